from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "hanout.expenses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.expenses import services

        ACTION_LABELS.update(services.ACTION_LABELS)
