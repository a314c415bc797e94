"""Jobs of the webhooks: send one delivery, and the every-minute sweep of due retries.

The sweep is what makes retries happen (and what picks up a delivery whose job
was lost); the claim in services_deliveries keeps a delivery from being sent
twice when both reach it.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=0)
def deliver(delivery_id: str) -> bool:
    """Make the next attempt of one delivery, if it is due."""
    from hanout.webhooks.services_deliveries import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id) is not None


@db_periodic_task(crontab(minute="*"))
def send_due_webhooks() -> int:
    """Queue the deliveries whose next attempt is due."""
    from hanout.webhooks.services_deliveries import deliveries_send_due

    return deliveries_send_due()
