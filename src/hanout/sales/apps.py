from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "hanout.sales"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.sales import services

        ACTION_LABELS.update(services.ACTION_LABELS)
