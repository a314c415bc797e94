"""Background jobs of the register: expiring phone-payment links, phone refunds.

Both run in the job consumer (`hanout jobs`, Huey). Expiry runs every minute: a register waiting
on a link hears `payment.expired` over its WebSocket; the pay page already says
"expired" from the moment the time is up, before this job has run. A phone refund
is queued when a return that gives a phone payment back commits.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="*"))
def expire_payment_links() -> int:
    """Mark pending payment links past their time as expired (events pushed)."""
    from hanout.pos.services_payments import payment_links_expire_due

    return payment_links_expire_due()


@db_task(retries=0)
def send_phone_refund(payment_id: str) -> str:
    """Give a phone payment back through its provider (see services_refunds)."""
    from hanout.pos.services_refunds import phone_refund_send

    return phone_refund_send(payment_id=payment_id)
