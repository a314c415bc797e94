"""Expenses: the services (checks, audit, tenancy), categories, summaries."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest

from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.expenses import selectors, services
from hanout.expenses.models import BuiltinCategory, Expense, ExpenseAttachment, ExpenseCategory
from hanout.expenses.tests.helpers import fake_pdf, pdf, png, webp
from hanout.purchasing.selectors_bills import local_today
from hanout.suppliers import services as supplier_services
from tests.factories import make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_business("Depenses test")


def _category(business, code=BuiltinCategory.STORE_CHARGES):
    selectors.category_list(business=business)
    return ExpenseCategory.objects.get(business=business, builtin=code)


def _data(owner, **extra):
    return {
        "category": _category(owner.business).pk,
        "amount": "125.40",
        "spent_on": local_today(owner.business),
        "comment": "Électricité mars",
        **extra,
    }


def _make(owner, attachments=None, **extra):
    return services.expense_create(
        business=owner.business,
        actor=owner.user,
        data=_data(owner, **extra),
        attachments=attachments,
    )


def test_the_built_in_categories_are_made_once_with_translated_labels(owner):
    rows = selectors.category_list(business=owner.business)
    selectors.category_list(business=owner.business)
    assert ExpenseCategory.objects.filter(business=owner.business).count() == 5
    assert {r.label for r in rows} >= {"Supplier payments", "Salaries", "Personal needs"}


def test_an_expense_is_recorded_in_the_business_currency_audited_and_found(owner):
    expense = _make(owner, description="Compteur n° 4", amount="125.404")
    assert expense.amount == Decimal("125.40") and expense.currency == "EUR"
    assert expense.recorded_by == owner.user
    entry = AuditEntry.objects.get(action="expense.create", object_id=str(expense.pk))
    assert Decimal(entry.changes["amount"][1]) == Decimal("125.40")
    found = selectors.expense_list(business=owner.business, search="electricite")
    assert list(found) == [expense]


@pytest.mark.parametrize(
    "field,value",
    [
        ("amount", "0"),
        ("amount", "-5"),
        ("amount", "abc"),
        ("amount", "1e12"),
        ("amount", "NaN"),
        ("spent_on", "1999-12-31"),
        ("spent_on", "not a date"),
        ("comment", ""),
        ("comment", "x" * 201),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(owner, field, value):
    with pytest.raises(ValidationFailed) as exc:
        _make(owner, **{field: value})
    assert field in exc.value.fields
    assert not Expense.objects.exists()


def test_a_date_far_in_the_future_is_refused_but_next_month_is_fine(owner):
    today = local_today(owner.business)
    with pytest.raises(ValidationFailed):
        _make(owner, spent_on=today + datetime.timedelta(days=40))
    assert _make(owner, spent_on=today + datetime.timedelta(days=20)).pk


def test_another_business_category_or_supplier_is_not_found_and_nothing_written(owner):
    other = make_business("Other")
    theirs = _category(other.business)
    supplier = supplier_services.supplier_create(
        business=other.business, actor=other.user, data={"name": "Their supplier"}
    )
    with pytest.raises(NotFound) as exc:
        _make(owner, category=theirs.pk)
    assert "category" in exc.value.fields
    with pytest.raises(NotFound) as exc:
        _make(owner, supplier=supplier.pk)
    assert "supplier" in exc.value.fields
    with pytest.raises(NotFound):
        _make(owner, category="not-a-uuid")
    assert not Expense.objects.exists()


def test_attachments_are_checked_by_their_bytes_and_thumbnailed(owner):
    expense = _make(owner, attachments=[png(), pdf(), webp()])
    atts = list(expense.attachments.order_by("created_at"))
    assert [a.content_type for a in atts] == ["image/png", "application/pdf", "image/webp"]
    assert atts[0].thumbnail and atts[2].thumbnail and not atts[1].thumbnail
    assert atts[1].file.open("rb").read().startswith(b"%PDF")


@pytest.mark.parametrize(
    "upload",
    [
        fake_pdf,
        lambda: png(name="scan.pdf"),
        lambda: png(content_type="application/pdf"),
        lambda: webp(name="x.png"),
    ],
)
def test_an_attachment_lying_about_its_type_refuses_the_whole_expense(owner, upload):
    with pytest.raises(ValidationFailed) as exc:
        _make(owner, attachments=[png(), upload()])
    assert "attachments" in exc.value.fields
    assert not Expense.objects.exists() and not ExpenseAttachment.objects.exists()


def test_a_too_big_attachment_is_refused(owner, monkeypatch):
    from hanout.expenses import attachments

    monkeypatch.setattr(attachments, "MAX_BYTES", 100)
    with pytest.raises(ValidationFailed) as exc:
        _make(owner, attachments=[png()])
    assert "attachments" in exc.value.fields and not Expense.objects.exists()


def test_update_audits_only_what_changed_and_delete_removes_files(
    owner, django_capture_on_commit_callbacks
):
    expense = _make(owner, attachments=[png()])
    services.expense_update(expense=expense, actor=owner.user, data={"amount": "99"})
    entry = AuditEntry.objects.get(action="expense.update")
    assert list(entry.changes) == ["amount"]
    assert [Decimal(v) for v in entry.changes["amount"]] == [Decimal("125.40"), Decimal(99)]
    stored = expense.attachments.get().file
    storage, name = stored.storage, stored.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.expense_delete(expense=expense, actor=owner.user)
    assert not Expense.objects.exists() and not storage.exists(name)


def test_own_categories_are_unique_without_case_and_archived_when_used(owner):
    rent = services.category_create(business=owner.business, actor=owner.user, name="Loyer")
    for clash in ("loyer", " LOYER ", "Salaries"):
        with pytest.raises(ValidationFailed):
            services.category_create(business=owner.business, actor=owner.user, name=clash)
    spare = services.category_create(business=owner.business, actor=owner.user, name="Divers")
    assert services.category_delete(category=spare, actor=owner.user) is True
    _make(owner, category=rent.pk)
    assert services.category_delete(category=rent, actor=owner.user) is False
    rent.refresh_from_db()
    assert rent.is_archived
    with pytest.raises(ValidationFailed) as exc:
        _make(owner, category=rent.pk)
    assert "category" in exc.value.fields


def test_summary_totals_equal_an_independent_sum(owner):
    business = owner.business
    rng = random.Random(7)
    cats = [_category(business, c) for c in BuiltinCategory.values]
    expected_month, expected_year, expected_cat = {}, {}, {}
    today = local_today(business)
    for _i in range(40):
        day = today - datetime.timedelta(days=rng.randint(0, 800))
        amount = Decimal(rng.randint(100, 99999)) / 100
        cat = rng.choice(cats)
        _make(owner, category=cat.pk, amount=str(amount), spent_on=day)
        month = f"{day.year:04d}-{day.month:02d}"
        expected_month[month] = expected_month.get(month, 0) + amount
        expected_year[str(day.year)] = expected_year.get(str(day.year), 0) + amount
        expected_cat[str(cat.pk)] = expected_cat.get(str(cat.pk), 0) + amount
    qs = selectors.expense_list(business=business)
    for group, expected in (
        ("month", expected_month),
        ("year", expected_year),
        ("category", expected_cat),
    ):
        rows = selectors.summary(qs=qs, group=group)
        assert {r["key"]: r["total"] for r in rows} == expected, group
    assert selectors.totals(qs)["total"] == sum(expected_year.values())
    other = make_business("Other")
    assert selectors.summary(qs=selectors.expense_list(business=other.business), group="year") == []
