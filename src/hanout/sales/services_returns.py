"""Every write on customer returns."""

ACTION_LABELS: dict = {}
