"""Expense pages: list with filters and totals, create with real PNG and PDF documents,
a fake document refused, detail, edit, categories, recurring, charts, export, access."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override as translation_override
from openpyxl import load_workbook

from hanout.core.permissions import Role
from hanout.expenses import selectors, services
from hanout.expenses.models import BuiltinCategory, Expense, ExpenseCategory, RecurringExpense
from hanout.expenses.tests.helpers import fake_pdf, pdf, png
from hanout.purchasing.selectors_bills import local_today
from tests.factories import make_business, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_business("Pages expenses")


def _cat(business, code=BuiltinCategory.STORE_CHARGES):
    selectors.category_list(business=business)
    return ExpenseCategory.objects.get(business=business, builtin=code)


def _form(owner, **extra):
    return {
        "category": str(_cat(owner.business).pk),
        "amount": "89.90",
        "spent_on": local_today(owner.business).isoformat(),
        "comment": "Électricité",
        "description": "",
        "supplier": "",
        **extra,
    }


def test_create_with_a_png_and_a_pdf_then_detail_and_documents(client, owner):
    client.force_login(owner.user)
    assert client.get(reverse("expense_create")).status_code == 200
    response = client.post(reverse("expense_create"), _form(owner, attachments=[png(), pdf()]))
    expense = Expense.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "expense_detail", args=[expense.pk]
    )
    page = client.get(response.url).content.decode()
    assert "Électricité" in page and "receipt.png" in page and "bill.pdf" in page
    png_att, pdf_att = expense.attachments.order_by("created_at")
    thumb = client.get(
        reverse("expense_attachment", args=[expense.pk, png_att.pk]) + "?thumbnail=1"
    )
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"
    doc = client.get(reverse("expense_attachment", args=[expense.pk, pdf_att.pk]))
    assert doc["Content-Type"] == "application/pdf" and doc["X-Content-Type-Options"] == "nosniff"
    other = make_business("Other")
    client.force_login(other.user)
    assert client.get(reverse("expense_detail", args=[expense.pk])).status_code == 404
    assert (
        client.get(reverse("expense_attachment", args=[expense.pk, pdf_att.pk])).status_code == 404
    )


def test_a_fake_document_or_a_bad_amount_is_refused_and_nothing_written(client, owner):
    client.force_login(owner.user)
    bad = client.post(reverse("expense_create"), _form(owner, attachments=[fake_pdf()]))
    assert bad.status_code == 400 and "PDF, JPEG, PNG or WebP" in bad.content.decode()
    zero = client.post(reverse("expense_create"), _form(owner, amount="0"))
    assert zero.status_code == 400 and "above zero" in zero.content.decode()
    assert not Expense.objects.exists()


def test_list_filters_totals_edit_and_export(client, owner):
    client.force_login(owner.user)
    today = local_today(owner.business)
    for amount, comment, days in (("10", "Baguettes", 0), ("250", "Loyer", 40), ("40", "Eau", 1)):
        services.expense_create(
            business=owner.business,
            actor=owner.user,
            data=_form(
                owner,
                amount=amount,
                comment=comment,
                spent_on=today - datetime.timedelta(days=days),
            ),
        )
    page = client.get(reverse("expense_list"), {"amount_min": "20"}).content.decode()
    assert "Loyer" in page and "Eau" in page and "Baguettes" not in page and "290,00" in page
    since = (today - datetime.timedelta(days=5)).isoformat()
    xlsx = client.get(reverse("expense_export"), {"date_from": since, "file": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert sorted(r[4] for r in rows[1:]) == ["Baguettes", "Eau"]
    csv = b"".join(client.get(reverse("expense_export")).streaming_content).decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 4
    loyer = Expense.objects.get(comment="Loyer")
    edited = client.post(
        reverse("expense_edit", args=[loyer.pk]),
        _form(owner, amount="260", comment="Loyer", spent_on=loyer.spent_on.isoformat()),
    )
    assert edited.status_code == 302
    loyer.refresh_from_db()
    assert loyer.amount == Decimal("260")
    assert client.post(reverse("expense_delete", args=[loyer.pk])).status_code == 302
    assert not Expense.objects.filter(pk=loyer.pk).exists()


def test_categories_recurring_and_charts_pages(client, owner):
    client.force_login(owner.user)
    page = client.get(reverse("expense_categories")).content.decode()
    assert "Supplier payments" in page and "Salaries" in page
    assert client.post(reverse("expense_categories"), {"name": "Loyer"}).status_code == 302
    assert client.post(reverse("expense_categories"), {"name": "loyer"}).status_code == 400
    made = client.post(
        reverse("expense_recurring_create"),
        {
            "category": str(_cat(owner.business).pk),
            "amount": "700",
            "comment": "Loyer boutique",
            "every": "1",
            "unit": "months",
            "starts_on": local_today(owner.business).isoformat(),
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    template = RecurringExpense.objects.get()
    assert "Loyer boutique" in client.get(reverse("expense_recurring_list")).content.decode()
    assert client.post(reverse("expense_recurring_stop", args=[template.pk])).status_code == 302
    template.refresh_from_db()
    assert not template.is_active
    services.expense_create(business=owner.business, actor=owner.user, data=_form(owner))
    charts = client.get(reverse("expense_charts")).content.decode()
    assert 'data-chart="month-chart"' in charts and "chart.umd.min.js" in charts
    assert "Store charges" in charts


def test_a_cashier_has_no_access(client, owner):
    cashier = make_member(owner, role=Role.CASHIER)
    client.force_login(cashier.user)
    assert client.get(reverse("expense_list")).status_code == 403
    assert client.post(reverse("expense_create"), _form(owner)).status_code == 403
    assert not Expense.objects.exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_page_costs_the_same_queries_at_2_and_20_rows(
    client, owner, rows, django_assert_max_num_queries
):
    for i in range(rows):
        services.expense_create(
            business=owner.business, actor=owner.user, data=_form(owner, comment=f"Row {i}")
        )
    client.force_login(owner.user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("expense_list"))
    assert response.content.decode().count("Row ") >= rows


def test_the_forms_render_for_editing_and_the_list_answers_htmx_with_rows(client, owner):
    client.force_login(owner.user)
    expense = services.expense_create(
        business=owner.business, actor=owner.user, data=_form(owner), attachments=[png()]
    )
    edit = client.get(reverse("expense_edit", args=[expense.pk])).content.decode()
    assert 'value="89.90"' in edit or 'value="89.900"' in edit
    assert "?thumbnail=1" in edit
    rows = client.get(reverse("expense_list"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows and "Électricité" in rows
    from hanout.expenses import services_recurring

    template = services_recurring.recurring_create(
        business=owner.business,
        actor=owner.user,
        data={
            "category": _cat(owner.business).pk,
            "amount": "5",
            "comment": "Abonnement",
            "unit": "weeks",
            "starts_on": local_today(owner.business),
        },
    )
    page = client.get(reverse("expense_recurring_edit", args=[template.pk])).content.decode()
    assert "Abonnement" in page
    with translation_override("ar"):
        client.cookies["django_language"] = "ar"
        assert client.get(reverse("expense_charts")).status_code == 200
