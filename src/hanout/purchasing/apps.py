from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "hanout.purchasing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.purchasing import services, services_bills, services_receipts

        ACTION_LABELS.update(services.ACTION_LABELS)
        ACTION_LABELS.update(services_receipts.ACTION_LABELS)
        ACTION_LABELS.update(services_bills.ACTION_LABELS)
