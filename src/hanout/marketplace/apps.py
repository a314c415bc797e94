from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "hanout.marketplace"
    verbose_name = _("Marketplace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.marketplace import notifications, services  # noqa: F401 (subscribes)

        ACTION_LABELS.update(services.ACTION_LABELS)
