"""Every write on customers."""

from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "customer.create": gettext_lazy("Added a customer"),
    "customer.update": gettext_lazy("Changed a customer"),
}
