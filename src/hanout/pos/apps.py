from django.apps import AppConfig


class PosConfig(AppConfig):
    name = "hanout.pos"
    label = "pos"
    verbose_name = "Register"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core.audit import ACTION_LABELS
        from hanout.pos import (  # noqa: F401 (subscribes to events)
            services,
            services_payments,
            services_register,
            tickets,
        )

        ACTION_LABELS.update(services.ACTION_LABELS)
        ACTION_LABELS.update(services_payments.ACTION_LABELS)
        ACTION_LABELS.update(services_register.ACTION_LABELS)
        ACTION_LABELS.update(tickets.ACTION_LABELS)
