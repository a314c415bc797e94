from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "hanout.chat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.chat import services
        from hanout.core.audit import ACTION_LABELS

        ACTION_LABELS.update(services.ACTION_LABELS)
