from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "hanout.customers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hanout.core import events
        from hanout.core.audit import ACTION_LABELS
        from hanout.customers import services, services_loyalty

        ACTION_LABELS.update(services.ACTION_LABELS)
        ACTION_LABELS.update(services_loyalty.ACTION_LABELS)
        # Loyalty points follow the register's sales without the register knowing:
        # earned when a sale with a customer completes, taken back on its returns.
        for name, handler in (
            ("sale.completed", services_loyalty.on_sale_completed),
            ("sale.returned", services_loyalty.on_sale_returned),
        ):
            if handler not in events._subscribers[name]:
                events.subscribe(name)(handler)
