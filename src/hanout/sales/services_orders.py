"""Every write on customer orders."""

ACTION_LABELS: dict = {}
