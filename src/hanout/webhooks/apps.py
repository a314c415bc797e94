from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "hanout.webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.webhooks import services, subscribers  # noqa: F401  (subscribers register)

        ACTION_LABELS.update(services.ACTION_LABELS)
