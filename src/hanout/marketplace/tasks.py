"""Background jobs of the marketplace (every few minutes): expiries and deadlines."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def market_housekeeping() -> dict:
    """Expire undecided deposits/withdrawals and offers; complete deliveries nobody confirmed."""
    from hanout.marketplace.services_trade import offers_expire, purchases_complete_due
    from hanout.marketplace.services_wallet import requests_expire

    return {
        "requests_expired": requests_expire(),
        "offers_expired": offers_expire(),
        "purchases_completed": purchases_complete_due(),
    }
