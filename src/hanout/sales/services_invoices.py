"""Every write on customer invoices."""

ACTION_LABELS: dict = {}
