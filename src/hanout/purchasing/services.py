"""Every write on purchase orders and their deliveries."""

from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "purchase_order.create": gettext_lazy("Drafted a purchase order"),
}
