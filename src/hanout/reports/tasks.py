"""Background jobs of reports: fold new tickets and invoices into the daily tables, and
send the scheduled report emails."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(minute="*/5"))
@lock_task("reports-refresh")
def refresh_daily_tables() -> int:
    from hanout.reports.services import refresh_all_pending

    return refresh_all_pending()


@db_periodic_task(crontab(minute="*/5"))
@lock_task("reports-schedules")
def send_scheduled_reports() -> int:
    from hanout.reports.services_schedules import schedules_send_due

    return schedules_send_due()
