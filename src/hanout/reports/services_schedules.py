"""Reports emailed on a schedule, at the shop's local hour, by the job queue.

A schedule covers the last full period when it runs: yesterday (daily, every day),
last Monday to Sunday (weekly, on Mondays) or last month (monthly, on the 1st). The
periodic job `schedules_send_due` sends every schedule whose `next_run_at` has come,
each in its own transaction under a row lock, then moves `next_run_at` to the next
occurrence after now (a worker that was down sends the missed period once, not a
flood). `last_period_end` makes a second run for the same period a no-op.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock
from hanout.core.errors import ValidationFailed
from hanout.core.models import Business, Shop
from hanout.reports import files
from hanout.reports.models import FileFormat, Frequency, ReportSchedule
from hanout.reports.selectors_sales import GROUPS

ACTION_LABELS = {
    "report_schedule.create": gettext_lazy("Scheduled a report by email"),
    "report_schedule.update": gettext_lazy("Changed a scheduled report"),
    "report_schedule.delete": gettext_lazy("Deleted a scheduled report"),
    "report_schedule.sent": gettext_lazy("Sent a scheduled report"),
}
MAX_RECIPIENTS = 20
FIELDS = (
    "name",
    "report",
    "by",
    "frequency",
    "hour",
    "shop",
    "file_format",
    "language",
    "recipients",
)
# The variant of each report when none is named.
DEFAULT_BY = {
    "sales": "day",
    "top-products": "revenue",
    "profit": "month",
    "customers": "",
    "expenses": "category",
}
# Reports that have no shop filter (expenses belong to the business, not to a shop).
WHOLE_BUSINESS = frozenset({"profit", "expenses"})


def kinds() -> list[tuple[str, str]]:
    """What a schedule can send, as "report:by" → label, in the active language."""
    return [
        *[
            (f"sales:{key}", _("Sales by %(group)s") % {"group": str(label).lower()})
            for key, label in GROUPS.items()
        ],
        ("top-products:revenue", _("Top products by sales")),
        ("top-products:quantity", _("Top products by quantity sold")),
        ("profit:month", _("Profit by month")),
        ("profit:day", _("Profit by day")),
        ("customers:", _("Customers")),
        ("expenses:category", _("Expenses by category")),
        ("expenses:month", _("Expenses by month")),
    ]


def kind_label(schedule: ReportSchedule) -> str:
    return dict(kinds()).get(f"{schedule.report}:{schedule.by}", schedule.report)


def _tz(schedule_or_shop, business: Business) -> ZoneInfo:
    shop = getattr(schedule_or_shop, "shop", schedule_or_shop)
    shop = shop or Shop.objects.for_business(business).order_by("created_at").first()
    return shop.tz if shop else ZoneInfo(settings.TIME_ZONE)


def next_run(*, frequency: str, hour: int, tz: ZoneInfo, after: datetime.datetime):
    """The first moment strictly after `after` when the schedule is due (UTC-aware)."""
    local = after.astimezone(tz)
    day = local.date()
    for _attempt in range(40):
        candidate = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
        due_day = (
            frequency == Frequency.DAILY
            or (frequency == Frequency.WEEKLY and day.weekday() == 0)
            or (frequency == Frequency.MONTHLY and day.day == 1)
        )
        if due_day and candidate > local:
            return candidate.astimezone(datetime.UTC)
        day += datetime.timedelta(days=1)
    raise AssertionError("no run within 40 days")  # pragma: no cover


def period_for(*, frequency: str, run_day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last full period before `run_day` (the local day of the run)."""
    yesterday = run_day - datetime.timedelta(days=1)
    if frequency == Frequency.DAILY:
        return yesterday, yesterday
    if frequency == Frequency.WEEKLY:
        sunday = run_day - datetime.timedelta(days=run_day.weekday() + 1)
        return sunday - datetime.timedelta(days=6), sunday
    last = run_day.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def _clean(*, business: Business, data: dict) -> dict:
    """Checked values, or a ValidationFailed naming every bad field (nothing written)."""
    errors: dict[str, list[str]] = {}
    out = {k: data[k] for k in FIELDS if k in data}
    out["name"] = str(out.get("name") or "").strip()[:120]
    if not out["name"]:
        errors["name"] = [_("Give the schedule a name.")]
    out.setdefault("report", "sales")
    out.setdefault("by", DEFAULT_BY.get(out["report"], "day"))
    if f"{out['report']}:{out.get('by', 'day')}" not in dict(kinds()):
        errors["by"] = [_("Choose a report from the list.")]
    if out.get("frequency", Frequency.WEEKLY) not in Frequency.values:
        errors["frequency"] = [_("Choose a frequency from the list.")]
    if out.get("file_format", FileFormat.PDF) not in FileFormat.values:
        errors["file_format"] = [_("Choose PDF, Excel or CSV.")]
    if out.get("language", "en") not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose a language from the list.")]
    try:
        hour = int(out.get("hour", 7))
        if not 0 <= hour <= 23:
            raise ValueError
        out["hour"] = hour
    except (TypeError, ValueError):
        errors["hour"] = [_("Choose an hour from 0 to 23.")]
    shop = out.get("shop")
    if shop is not None and getattr(shop, "business_id", None) != business.pk:
        errors["shop"] = [_("Choose one of your shops.")]
    elif shop is not None and out["report"] in WHOLE_BUSINESS:
        errors["shop"] = [_("This report is for the whole business: choose “All shops”.")]
    emails = []
    for raw in out.get("recipients") or []:
        email = str(raw).strip().lower()
        if not email or email in emails:
            continue
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.setdefault("recipients", []).append(
                _("%(email)s is not a valid email address.") % {"email": email}
            )
            continue
        emails.append(email)
    if not emails and "recipients" not in errors:
        errors["recipients"] = [_("Choose at least one person to send it to.")]
    if len(emails) > MAX_RECIPIENTS:
        errors["recipients"] = [
            _("At most %(n)s people per schedule.") % {"n": MAX_RECIPIENTS},
        ]
    out["recipients"] = emails
    if errors:
        raise ValidationFailed(_("Check the schedule."), fields=errors)
    return out


@transaction.atomic
def schedule_create(*, business: Business, actor, data: dict) -> ReportSchedule:
    values = _clean(business=business, data=data)
    values.setdefault("language", business.default_language)
    schedule = ReportSchedule(business=business, created_by=actor, **values)
    schedule.next_run_at = next_run(
        frequency=schedule.frequency,
        hour=schedule.hour,
        tz=_tz(schedule, business),
        after=clock.now(),
    )
    schedule.save()
    audit.record(
        business=business,
        actor=actor,
        action="report_schedule.create",
        obj=schedule,
        changes={k: [None, _plain(getattr(schedule, k))] for k in FIELDS},
    )
    return schedule


@transaction.atomic
def schedule_update(*, schedule: ReportSchedule, actor, data: dict) -> ReportSchedule:
    schedule = ReportSchedule.objects.select_for_update().get(pk=schedule.pk)
    current = {k: getattr(schedule, k) for k in FIELDS}
    values = _clean(business=schedule.business, data={**current, **data})
    changes = {k: [_plain(current[k]), _plain(v)] for k, v in values.items() if current.get(k) != v}
    for k, v in values.items():
        setattr(schedule, k, v)
    if "is_active" in data:
        active = bool(data["is_active"])
        if active != schedule.is_active:
            changes["is_active"] = [schedule.is_active, active]
            schedule.is_active = active
    schedule.next_run_at = next_run(
        frequency=schedule.frequency,
        hour=schedule.hour,
        tz=_tz(schedule, schedule.business),
        after=clock.now(),
    )
    schedule.save()
    if changes:
        audit.record(
            business=schedule.business,
            actor=actor,
            action="report_schedule.update",
            obj=schedule,
            changes=changes,
        )
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: ReportSchedule, actor) -> None:
    audit.record(
        business=schedule.business,
        actor=actor,
        action="report_schedule.delete",
        obj=schedule,
        changes={"name": [schedule.name, None]},
    )
    schedule.delete()


def _plain(value):
    if isinstance(value, Shop):
        return value.name
    return value


# --- sending ---------------------------------------------------------------------------------------


def schedules_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send every due schedule (the periodic job); returns how many were sent."""
    now = now or clock.now()
    due = list(
        ReportSchedule.objects.filter(is_active=True, next_run_at__lte=now)
        .order_by("next_run_at")
        .values_list("pk", flat=True)
    )
    return sum(schedule_send(pk=pk, now=now) for pk in due)


@transaction.atomic
def schedule_send(*, pk, now: datetime.datetime) -> bool:
    """Send one due schedule once for its period; False when it is not (or no longer) due."""
    from hanout.reports import services, tables
    from hanout.reports.selectors_sales import sales_report
    from hanout.reports.selectors_tables import table_report

    schedule = (
        ReportSchedule.objects.select_for_update(of=("self",))
        .select_related("business", "shop")
        .filter(pk=pk, is_active=True, next_run_at__lte=now)
        .first()
    )
    if schedule is None:
        return False  # sent meanwhile by another worker, paused or deleted
    business = schedule.business
    tz = _tz(schedule, business)
    start, end = period_for(
        frequency=schedule.frequency, run_day=schedule.next_run_at.astimezone(tz).date()
    )
    schedule.next_run_at = next_run(
        frequency=schedule.frequency, hour=schedule.hour, tz=tz, after=now
    )
    if schedule.last_period_end is not None and schedule.last_period_end >= end:
        schedule.save(update_fields=["next_run_at", "updated_at"])
        return False
    services.daily_refresh_pending(business=business)
    with translation.override(schedule.language):
        report = table = None
        if schedule.report == "sales":
            report = sales_report(
                business=business, start=start, end=end, by=schedule.by, shop=schedule.shop
            )
            body, content_type = files.sales_file(report, schedule.file_format)
            filename = files.sales_filename(report)
        else:
            table = table_report(
                schedule.report,
                business=business,
                start=start,
                end=end,
                shop=schedule.shop,
                by=schedule.by,
            )
            body, content_type = tables.table_file(table, schedule.file_format)
            filename = table.filename()
        subject = _("%(name)s · %(start)s – %(end)s · %(business)s") % {
            "name": schedule.name,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "business": business.name,
        }
        text = render_to_string(
            "reports/schedule_email.txt",
            {
                "schedule": schedule,
                "report": report,
                "table": table,
                "start": start,
                "end": end,
                "kind": kind_label(schedule),
                "business": business,
            },
        )
    message = EmailMessage(
        subject=f"{getattr(settings, 'ACCOUNT_EMAIL_SUBJECT_PREFIX', '')}{subject}",
        body=text,
        to=schedule.recipients,
    )
    message.attach(f"{filename}.{schedule.file_format}", body, content_type)
    schedule.last_period_end = end
    schedule.last_sent_at = now
    schedule.save(update_fields=["next_run_at", "last_period_end", "last_sent_at", "updated_at"])
    audit.record(
        business=business,
        actor=None,
        action="report_schedule.sent",
        obj=schedule,
        changes={"period": [None, f"{start.isoformat()}/{end.isoformat()}"]},
    )
    message.send()  # queued; delivered after commit
    return True
