"""Background job of expenses: record the due recurring expenses (every hour, so each
shop's new day is seen soon after its midnight whatever its time zone)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def record_recurring_expenses() -> int:
    from hanout.expenses.services_recurring import recurring_run_due

    return recurring_run_due()
