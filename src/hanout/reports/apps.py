from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hanout.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.reports.services_schedules import ACTION_LABELS as SCHEDULES

        ACTION_LABELS.update(SCHEDULES)
