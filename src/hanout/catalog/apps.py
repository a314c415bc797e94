from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "hanout.catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.catalog import services
        from hanout.core.audit import ACTION_LABELS

        ACTION_LABELS.update(services.ACTION_LABELS)
