"""Recurring expenses: the dates (31st → last day of shorter months), the job
(idempotent, judged in the shop's time zone), edits and stopping."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from hanout.core import events
from hanout.core.errors import ValidationFailed
from hanout.expenses import selectors, services_recurring
from hanout.expenses.models import BuiltinCategory, Expense, ExpenseCategory, RecurringExpense
from hanout.expenses.tasks import record_recurring_expenses
from tests.factories import make_business

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


@pytest.fixture
def owner():
    return make_business("Recurring test", time_zone="Asia/Tokyo")


def _rent(owner, **extra):
    selectors.category_list(business=owner.business)
    category = ExpenseCategory.objects.get(
        business=owner.business, builtin=BuiltinCategory.STORE_CHARGES
    )
    data = {
        "category": category.pk,
        "amount": "800",
        "comment": "Loyer",
        "every": 1,
        "unit": "months",
        "starts_on": D(2026, 1, 31),
        **extra,
    }
    return services_recurring.recurring_create(business=owner.business, actor=owner.user, data=data)


def _dates(template):
    return list(
        Expense.objects.filter(recurring=template)
        .order_by("spent_on")
        .values_list("spent_on", flat=True)
    )


def test_a_monthly_expense_on_the_31st_falls_on_the_last_day_of_shorter_months(owner):
    template = _rent(owner)
    made = services_recurring.recurring_record_due(template=template, today=D(2026, 5, 31))
    assert made == 5
    assert _dates(template) == [
        D(2026, 1, 31),
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 30),
        D(2026, 5, 31),
    ]
    template.refresh_from_db()
    assert template.next_on == D(2026, 6, 30) and template.made == 5
    assert services_recurring.add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)


def test_running_the_job_twice_records_each_date_once(owner):
    template = _rent(owner, starts_on=D(2026, 3, 1))
    now = datetime.datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
    assert services_recurring.recurring_run_due(now=now) == 2
    assert services_recurring.recurring_run_due(now=now) == 0
    # Even a template whose counter was rolled back (a crashed run) does not duplicate.
    RecurringExpense.objects.filter(pk=template.pk).update(made=0, next_on=D(2026, 3, 1))
    assert services_recurring.recurring_run_due(now=now) == 0
    assert _dates(template) == [D(2026, 3, 1), D(2026, 4, 1)]
    expense = Expense.objects.filter(recurring=template).first()
    assert expense.amount == Decimal("800.00") and expense.currency == "EUR"


def test_due_is_judged_in_the_shop_time_zone(owner):
    template = _rent(owner, starts_on=D(2026, 6, 1))
    # 31 May 16:00 UTC is already 1 June 01:00 in Tokyo: due.
    late_may = datetime.datetime(2026, 5, 31, 16, 0, tzinfo=UTC)
    assert services_recurring.recurring_run_due(now=late_may - datetime.timedelta(hours=2)) == 0
    assert services_recurring.recurring_run_due(now=late_may) == 1
    assert _dates(template) == [D(2026, 6, 1)]
    west = make_business("Los Angeles", time_zone="America/Los_Angeles")
    far = _rent(west, starts_on=D(2026, 6, 1))
    # 1 June 05:00 UTC is still 31 May in Los Angeles: not due yet.
    assert (
        services_recurring.recurring_run_due(now=datetime.datetime(2026, 6, 1, 5, tzinfo=UTC)) == 0
    )
    assert (
        services_recurring.recurring_run_due(now=datetime.datetime(2026, 6, 1, 8, tzinfo=UTC)) == 1
    )
    assert _dates(far) == [D(2026, 6, 1)]


def test_weekly_with_an_end_date_stops_and_stopping_keeps_the_past(
    owner, django_capture_on_commit_callbacks
):
    template = _rent(owner, unit="weeks", every=2, starts_on=D(2026, 1, 1), ends_on=D(2026, 1, 31))
    seen = []
    events.subscribe("expense.created")(seen.append)
    with django_capture_on_commit_callbacks(execute=True):
        services_recurring.recurring_record_due(template=template, today=D(2026, 3, 1))
    assert _dates(template) == [D(2026, 1, 1), D(2026, 1, 15), D(2026, 1, 29)]
    assert len([e for e in seen if e.business_id == str(owner.business.pk)]) == 3
    template.refresh_from_db()
    assert template.next_on is None
    other = _rent(owner, starts_on=D(2026, 1, 10))
    services_recurring.recurring_stop(template=other, actor=owner.user)
    assert services_recurring.recurring_record_due(template=other, today=D(2026, 3, 1)) == 0


def test_the_periodic_task_calls_the_job(owner):
    _rent(owner, starts_on=D(2026, 1, 1))
    assert record_recurring_expenses.call_local() >= 1


def test_bad_templates_are_refused(owner):
    for bad in ({"every": 0}, {"unit": "days"}, {"amount": "-1"}, {"ends_on": D(2025, 1, 1)}):
        with pytest.raises(ValidationFailed) as exc:
            _rent(owner, **bad)
        assert set(bad) <= set(exc.value.fields)
    assert not RecurringExpense.objects.exists()


def test_changing_the_first_date_skips_dates_already_recorded(owner):
    template = _rent(owner, starts_on=D(2026, 1, 15))
    services_recurring.recurring_record_due(template=template, today=D(2026, 2, 20))
    template = services_recurring.recurring_update(
        template=template, actor=owner.user, data={"starts_on": D(2026, 1, 20)}
    )
    # 15 Jan and 15 Feb are recorded; counting from 20 Jan, 20 Jan is skipped.
    assert template.next_on == D(2026, 2, 20)
    services_recurring.recurring_record_due(template=template, today=D(2026, 3, 25))
    assert _dates(template) == [D(2026, 1, 15), D(2026, 2, 15), D(2026, 2, 20), D(2026, 3, 20)]


def test_moving_a_recorded_expense_onto_another_day_of_the_same_template_is_a_conflict(owner):
    from hanout.core.errors import Conflict
    from hanout.expenses import services

    template = _rent(owner)
    services_recurring.recurring_record_due(template=template, today=D(2026, 2, 28))
    january, february = Expense.objects.filter(recurring=template).order_by("spent_on")
    with pytest.raises(Conflict) as err:
        services.expense_update(
            expense=february, actor=owner.user, data={"spent_on": january.spent_on}
        )
    assert "spent_on" in err.value.fields
    february.refresh_from_db()
    assert february.spent_on == D(2026, 2, 28)
