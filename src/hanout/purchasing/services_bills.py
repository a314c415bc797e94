"""Every write on supplier invoices and supplier payments."""

from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "supplier_invoice.create": gettext_lazy("Recorded a supplier invoice"),
}
