from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hanout.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate, pre_migrate

        from hanout.reports import bi_views

        # The BI views step aside while migrations run (see bi_views).
        pre_migrate.connect(bi_views.before_migrate, sender=self)
        post_migrate.connect(bi_views.after_migrate, sender=self)
        from hanout.core.audit import ACTION_LABELS
        from hanout.reports.services_schedules import ACTION_LABELS as SCHEDULES

        ACTION_LABELS.update(SCHEDULES)
