"""Background jobs of the register: expiring phone-payment links.

Runs in the job consumer (`hanout jobs`, Huey) every minute. A register waiting
on a link hears `payment.expired` over its WebSocket; the pay page already says
"expired" from the moment the time is up, before this job has run.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def expire_payment_links() -> int:
    """Mark pending payment links past their time as expired (events pushed)."""
    from hanout.pos.services_payments import payment_links_expire_due

    return payment_links_expire_due()
