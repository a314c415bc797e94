"""Recurring expenses: a template (rent every month, wages every week) and the job
that records what is due.

The n-th date of a template is computed from its first date, never from the
previous one, so a monthly expense on the 31st falls on the last day of
shorter months (30 April, 28 or 29 February) and comes back to the 31st in
May. "Due" is judged with the date in the shop's time zone. Recording is
idempotent: an expense is unique per (template, date), the template's row is
locked while it is advanced, so running the job twice (or two workers at
once) records each date once.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hanout.core import audit
from hanout.core.models import Business
from hanout.expenses import services
from hanout.expenses.models import Expense, Frequency, RecurringExpense
from hanout.purchasing.selectors_bills import local_today

log = logging.getLogger(__name__)

MAX_EVERY = 24
# Catching up never records more than this many dates of one template in one run.
MAX_CATCH_UP = 60
RECURRING_FIELDS = [
    "category",
    "amount",
    "comment",
    "description",
    "supplier",
    "every",
    "unit",
    "starts_on",
    "ends_on",
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months`, clamped to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrence(template: RecurringExpense, n: int) -> datetime.date:
    """The n-th date (0 = the first) of a template."""
    if template.unit == Frequency.WEEKS:
        return template.starts_on + datetime.timedelta(weeks=template.every * n)
    return add_months(template.starts_on, template.every * n)


def _next_on(template: RecurringExpense) -> datetime.date | None:
    day = occurrence(template, template.made)
    if template.ends_on is not None and day > template.ends_on:
        return None
    return day


def _fields(business: Business, data: dict[str, Any], *, partial: bool) -> dict:
    errors = services._Errors()
    out: dict[str, Any] = {}
    not_found = None
    if "category" in data or not partial:
        try:
            out["category"] = services.check_category(business, data.get("category"))
        except services.NotFound as exc:
            not_found = exc
    if "supplier" in data:
        try:
            out["supplier"] = services.check_supplier(business, data.get("supplier"))
        except services.NotFound as exc:
            not_found = not_found or exc
    if "amount" in data or not partial:
        out["amount"] = services.check_amount(data.get("amount"), business.currency, errors)
    if "comment" in data or not partial:
        out["comment"] = services.check_text(data.get("comment"), errors, "comment", 200, True)
    if "description" in data:
        out["description"] = services.check_text(
            data.get("description"), errors, "description", 5000
        )
    if "every" in data or not partial:
        try:
            every = 1 if data.get("every") in (None, "") else int(data["every"])
        except (TypeError, ValueError):
            every = 0
        if not 1 <= every <= MAX_EVERY:
            errors.add("every", _("Enter a whole number from 1 to %(n)d.") % {"n": MAX_EVERY})
        out["every"] = every
    if "unit" in data or not partial:
        unit = data.get("unit") or Frequency.MONTHS
        if unit not in Frequency.values:
            errors.add("unit", _("Choose months or weeks."))
        out["unit"] = unit
    if "starts_on" in data or not partial:
        out["starts_on"] = services.check_date(
            data.get("starts_on"), business, errors, "starts_on", ahead=366
        )
    if "ends_on" in data:
        out["ends_on"] = (
            None
            if data.get("ends_on") in (None, "")
            else services.check_date(data["ends_on"], business, errors, "ends_on", ahead=3660)
        )
    starts, ends = out.get("starts_on"), out.get("ends_on")
    if isinstance(starts, datetime.date) and isinstance(ends, datetime.date) and ends < starts:
        errors.add("ends_on", _("The end date is before the first date."))
    errors.raise_if_any()
    if not_found is not None:
        raise not_found
    return out


def _snapshot(template: RecurringExpense) -> dict:
    snap = audit.snapshot(
        template, ["amount", "comment", "every", "unit", "starts_on", "ends_on", "is_active"]
    )
    snap["category"] = str(template.category_id)
    return snap


@transaction.atomic
def recurring_create(*, business: Business, actor, data: dict[str, Any]) -> RecurringExpense:
    """A template; its first expense is recorded by the job on `starts_on`."""
    fields = _fields(business, data, partial=False)
    template = RecurringExpense(business=business, created_by=services._user(actor), **fields)
    template.next_on = _next_on(template)
    template.save()
    audit.record(
        business=business,
        actor=actor,
        action="recurring_expense.create",
        obj=template,
        changes={k: [None, v] for k, v in _snapshot(template).items() if v not in ("", None)},
    )
    return template


@transaction.atomic
def recurring_update(*, template: RecurringExpense, actor, data: dict[str, Any]):
    """Change a template; a new first date or rhythm starts counting again from it."""
    template = (
        RecurringExpense.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=template.pk)
    )
    fields = _fields(template.business, data, partial=True)
    ends = fields.get("ends_on", template.ends_on)
    starts = fields.get("starts_on", template.starts_on)
    if ends is not None and ends < starts:
        raise services.ValidationFailed(
            "ends_on: " + _("The end date is before the first date."),
            fields={"ends_on": [_("The end date is before the first date.")]},
        )
    before = _snapshot(template)
    rhythm = {k: getattr(template, k) for k in ("every", "unit", "starts_on")}
    for key, value in fields.items():
        setattr(template, key, value)
    if any(getattr(template, k) != v for k, v in rhythm.items()):
        # Count again from the new first date, skipping the dates already recorded.
        template.made = 0
        last = template.expenses.order_by("-spent_on").values_list("spent_on", flat=True).first()
        while last is not None and occurrence(template, template.made) <= last:
            template.made += 1
    template.next_on = _next_on(template) if template.is_active else None
    changes = audit.diff(before, _snapshot(template))
    template.save()
    if changes:
        audit.record(
            business=template.business,
            actor=actor,
            action="recurring_expense.update",
            obj=template,
            changes=changes,
        )
    return template


@transaction.atomic
def recurring_stop(*, template: RecurringExpense, actor) -> RecurringExpense:
    """No more expenses from this template; those already recorded stay."""
    template = (
        RecurringExpense.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=template.pk)
    )
    if not template.is_active:
        return template
    template.is_active = False
    template.next_on = None
    template.save(update_fields=["is_active", "next_on", "updated_at"])
    audit.record(
        business=template.business,
        actor=actor,
        action="recurring_expense.stop",
        obj=template,
        changes={"is_active": [True, False]},
    )
    return template


def recurring_record_due(*, template: RecurringExpense, today: datetime.date | None = None):
    """Record every date of this template due by `today` (shop time); returns how many."""
    made = 0
    with transaction.atomic():
        template = (
            RecurringExpense.objects.select_for_update(of=("self",))
            .select_related("business", "category")
            .get(pk=template.pk)
        )
        business = template.business
        today = today or local_today(business)
        while (
            template.is_active
            and template.next_on is not None
            and template.next_on <= today
            and made < MAX_CATCH_UP
        ):
            day = template.next_on
            if not Expense.objects.filter(recurring=template, spent_on=day).exists():
                try:
                    with transaction.atomic():
                        expense = Expense.objects.create(
                            business=business,
                            category=template.category,
                            amount=template.amount,
                            currency=business.currency,
                            spent_on=day,
                            comment=template.comment,
                            description=template.description,
                            supplier_id=template.supplier_id,
                            recurring=template,
                            search_text=services.fold(f"{template.comment} {template.description}")[
                                :600
                            ],
                        )
                        made += 1
                        services._emit("expense.created", expense)
                except IntegrityError:  # recorded by another worker meanwhile
                    pass
            template.made += 1
            template.next_on = _next_on(template)
        template.save(update_fields=["made", "next_on", "updated_at"])
        if made:
            audit.record(
                business=business,
                actor=None,
                action="recurring_expense.record",
                obj=template,
                changes={"recorded": [None, made], "next_on": [None, template.next_on]},
            )
    return made


def recurring_run_due(*, now: datetime.datetime | None = None) -> int:
    """The job: record what every business's active templates have due today."""
    from django.utils import timezone

    now = now or timezone.now()
    horizon = (now + datetime.timedelta(days=1)).date()  # no shop is a day ahead of UTC
    total = 0
    due = RecurringExpense.objects.filter(is_active=True, next_on__lte=horizon).select_related(
        "business"
    )
    for template in due.iterator():
        zone = _zone(template.business)
        today = now.astimezone(zone).date()
        if template.next_on > today:
            continue
        try:
            total += recurring_record_due(template=template, today=today)
        except Exception:  # one broken template must not stop the others
            log.exception("recurring expense %s failed", template.pk)
    return total


def _zone(business: Business):
    from hanout.purchasing.selectors_bills import business_zone

    return business_zone(business)
