from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "hanout.referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.referrals import services

        ACTION_LABELS.update(services.ACTION_LABELS)
