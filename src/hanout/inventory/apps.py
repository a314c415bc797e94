from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "hanout.inventory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.inventory import notifications, services  # noqa: F401 (subscribes to events)

        ACTION_LABELS.update(services.ACTION_LABELS)
