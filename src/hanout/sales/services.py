"""The sales app's writes, by sub-domain: orders, invoices, credit notes, returns."""

from hanout.sales import (
    services_credit_notes,
    services_invoices,
    services_orders,
    services_returns,
)

ACTION_LABELS = {
    **services_orders.ACTION_LABELS,
    **services_invoices.ACTION_LABELS,
    **services_credit_notes.ACTION_LABELS,
    **services_returns.ACTION_LABELS,
}
