from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "hanout.customers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.customers import services

        ACTION_LABELS.update(services.ACTION_LABELS)
