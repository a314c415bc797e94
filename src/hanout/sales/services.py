"""The sales app's writes, by sub-domain: orders, invoices (and credit notes), returns."""

from hanout.sales import services_invoices, services_orders, services_returns

ACTION_LABELS = {
    **services_orders.ACTION_LABELS,
    **services_invoices.ACTION_LABELS,
    **services_returns.ACTION_LABELS,
}
