from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "hanout.suppliers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.suppliers import services

        ACTION_LABELS.update(services.ACTION_LABELS)
