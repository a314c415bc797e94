"""Expenses over the REST API: CRUD, attachments, filters, summary, export,
permissions, tenancy and a constant query count on the list."""

from __future__ import annotations

import base64
import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from hanout.core.permissions import Role
from hanout.expenses import selectors
from hanout.expenses.models import BuiltinCategory, Expense, ExpenseCategory
from hanout.expenses.tests.helpers import fake_pdf, pdf, png
from hanout.purchasing.selectors_bills import local_today
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/expenses/"


@pytest.fixture
def owner():
    return make_business("Api expenses")


def _cat(business, code=BuiltinCategory.SALARIES):
    selectors.category_list(business=business)
    return ExpenseCategory.objects.get(business=business, builtin=code)


def _post(api, business, **extra):
    body = {
        "category": str(_cat(business).pk),
        "amount": "1500.00",
        "spent_on": local_today(business).isoformat(),
        "comment": "Salaire Amine",
        **extra,
    }
    return api.post(URL, body, format="json")


def test_crud_filters_and_summary(owner):
    api = api_client_for(owner)
    created = _post(api, owner.business)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["currency"] == "EUR" and body["category_label"] == "Salaries"
    url = f"{URL}{body['id']}/"
    changed = api.patch(url, {"amount": "1600", "description": "Mars"}, format="json")
    assert changed.status_code == 200 and Decimal(changed.json()["amount"]) == Decimal(1600)
    _post(
        api,
        owner.business,
        amount="20",
        comment="Café",
        category=str(_cat(owner.business, BuiltinCategory.PERSONAL).pk),
    )
    listed = api.get(URL, {"amount_min": "100"}).json()["results"]
    assert [e["comment"] for e in listed] == ["Salaire Amine"]
    assert len(api.get(URL, {"search": "cafe"}).json()["results"]) == 1
    summary = api.get(URL + "summary/", {"group": "category"}).json()
    assert Decimal(summary["total"]) == Decimal("1620") and summary["count"] == 2
    assert {r["label"] for r in summary["rows"]} == {"Salaries", "Personal needs"}
    assert api.get(URL + "summary/", {"group": "week"}).status_code == 400
    assert api.delete(url).status_code == 204
    assert Expense.objects.count() == 1


@pytest.mark.parametrize(
    "bad,field",
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-3"}, "amount"),
        ({"amount": "999999999999"}, "amount"),
        ({"spent_on": "2999-01-01"}, "spent_on"),
        ({"comment": ""}, "comment"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(owner, bad, field):
    response = _post(api_client_for(owner), owner.business, **bad)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Expense.objects.exists()


def test_another_tenant_is_404_and_their_category_is_refused(owner):
    api = api_client_for(owner)
    expense_id = _post(api, owner.business).json()["id"]
    other = make_business("Other")
    their = api_client_for(other)
    url = f"{URL}{expense_id}/"
    assert their.get(url).status_code == 404
    assert their.patch(url, {"amount": "1"}, format="json").status_code == 404
    assert their.delete(url).status_code == 404
    assert their.get(URL).json()["results"] == []
    refused = _post(their, other.business, category=str(_cat(owner.business).pk))
    assert refused.status_code == 404 and "category" in refused.json()["error"]["fields"]
    assert Expense.objects.count() == 1


def test_attachments_upload_download_and_a_fake_is_refused(owner):
    api = api_client_for(owner)
    body = {
        "category": str(_cat(owner.business).pk),
        "amount": "42",
        "spent_on": local_today(owner.business).isoformat(),
        "comment": "Facture",
        "attachments": [png(), pdf()],
    }
    created = api.post(URL, body, format="multipart")
    assert created.status_code == 201, created.content
    atts = created.json()["attachments"]
    assert [a["content_type"] for a in atts] == ["image/png", "application/pdf"]
    got = api.get(atts[1]["url"])
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    listed = api.get(f"{URL}{created.json()['id']}/attachments/").json()
    assert [a["id"] for a in listed] == [a["id"] for a in atts]
    as_json = api.get(f"{URL}{created.json()['id']}/attachments/{atts[1]['id']}/").json()
    assert base64.b64decode(as_json["base64"]).startswith(b"%PDF")
    thumb = api.get(atts[0]["thumbnail_url"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"
    url = f"{URL}{created.json()['id']}/attachments/"
    bad = api.post(url, {"attachments": [fake_pdf()]}, format="multipart")
    assert bad.status_code == 400 and "attachments" in bad.json()["error"]["fields"]
    assert api.delete(atts[0]["url"]).status_code == 204
    assert len(api.get(f"{URL}{created.json()['id']}/").json()["attachments"]) == 1
    other = api_client_for(make_business("Other"))
    assert other.get(atts[1]["url"]).status_code == 404


def test_owners_and_managers_have_full_access_cashiers_and_staff_none(owner):
    manager = api_client_for(make_member(owner, role=Role.MANAGER))
    assert _post(manager, owner.business).status_code == 201
    for role in (Role.CASHIER, Role.STAFF):
        api = api_client_for(make_member(owner, role=role))
        assert api.get(URL).status_code == 403
        assert _post(api, owner.business).status_code == 403
        assert api.get("/api/v1/expense-categories/").status_code == 403
        assert api.get("/api/v1/recurring-expenses/").status_code == 403
    assert Expense.objects.count() == 1


def test_categories_and_recurring_over_the_api(owner):
    api = api_client_for(owner)
    cats = api.get("/api/v1/expense-categories/").json()["results"]
    assert len(cats) == 5 and {c["use_count"] for c in cats} == {0}
    made = api.post("/api/v1/expense-categories/", {"name": "Loyer"}, format="json")
    assert made.status_code == 201
    dup = api.post("/api/v1/expense-categories/", {"name": "LOYER"}, format="json")
    assert dup.status_code == 400 and "name" in dup.json()["error"]["fields"]
    cat_id = made.json()["id"]
    recurring = api.post(
        "/api/v1/recurring-expenses/",
        {
            "category": cat_id,
            "amount": "700",
            "comment": "Loyer",
            "unit": "months",
            "starts_on": local_today(owner.business).isoformat(),
        },
        format="json",
    )
    assert recurring.status_code == 201, recurring.content
    rid = recurring.json()["id"]
    assert api.post(f"/api/v1/recurring-expenses/{rid}/stop/").json()["is_active"] is False
    # Used by a template: archived, not deleted.
    gone = api.delete(f"/api/v1/expense-categories/{cat_id}/")
    assert gone.status_code == 200 and gone.json()["is_archived"] is True


def test_export_reads_back(owner):
    api = api_client_for(owner)
    _post(api, owner.business, comment="=SUM(A1)", amount="12.5")
    assert api.get(URL + "export/").status_code == 400  # `file` is required
    response = api.get(URL + "export/", {"file": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Date", "Category", "Amount"]
    assert rows[1][2] == "12.50" and rows[1][4] == "'=SUM(A1)"
    xlsx = api.get(URL + "export/", {"file": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == "Salaries" and Decimal(str(values[1][2])) == Decimal("12.5")


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_costs_the_same_queries_at_2_and_20_rows(
    owner, rows, django_assert_max_num_queries
):
    api = api_client_for(owner)
    for i in range(rows):
        _post(api, owner.business, comment=f"E{i}")
    with django_assert_max_num_queries(8):
        response = api.get(URL)
    assert len(response.json()["results"]) == rows


def test_the_openapi_schema_lists_the_expense_routes(owner):
    schema = api_client_for(owner).get("/api/schema/", {"format": "json"})
    if schema.status_code != 200:
        pytest.skip("schema served elsewhere")
    paths = schema.json()["paths"]
    assert "/api/v1/expenses/summary/" in paths and "/api/v1/expense-categories/" in paths


def test_filters_by_supplier_dates_and_amount_range(owner):
    import datetime

    from hanout.suppliers import services as supplier_services

    api = api_client_for(owner)
    supplier = supplier_services.supplier_create(
        business=owner.business, actor=owner.user, data={"name": "Électricité SA"}
    )
    today = local_today(owner.business)
    old = (today - datetime.timedelta(days=60)).isoformat()
    _post(api, owner.business, amount="50", supplier=str(supplier.pk), comment="Facture")
    _post(api, owner.business, amount="500", spent_on=old, comment="Ancienne")
    _post(api, owner.business, amount="5", comment="Petite")

    def comments(**params):
        return sorted(e["comment"] for e in api.get(URL, params).json()["results"])

    assert comments(supplier=str(supplier.pk)) == ["Facture"]
    assert comments(date_to=(today - datetime.timedelta(days=1)).isoformat()) == ["Ancienne"]
    assert comments(amount_min="10", amount_max="100") == ["Facture"]
    year = api.get(URL + "summary/", {"group": "month", "date_from": today.isoformat()}).json()
    assert Decimal(year["total"]) == Decimal("55") and year["count"] == 2
    assert api.get(URL, {"date_from": "not-a-date"}).status_code == 400


def test_the_list_is_newest_spending_first_across_pages_whatever_the_entry_order(owner):
    """Expenses entered out of order (last month's bill typed today) are listed by the day
    they were spent, and the cursor's pages keep that order with no row lost or repeated."""
    api = api_client_for(owner)
    today = local_today(owner.business)
    days = [3, 0, 7, 1, 7, 5, 2, 7, 4, 6]  # days ago, in the order typed; three on one day
    for i, ago in enumerate(days):
        when = (today - datetime.timedelta(days=ago)).isoformat()
        assert _post(api, owner.business, comment=f"E{i}", spent_on=when).status_code == 201
    seen, url, params = [], URL, {"page_size": 3}
    while url:
        page = api.get(url, params).json()
        seen += [(e["spent_on"], e["comment"]) for e in page["results"]]
        url, params = page["next"], None
    assert len(seen) == len(days) and len({c for _d, c in seen}) == len(days)
    assert [d for d, _c in seen] == sorted((d for d, _c in seen), reverse=True)
    # The same day: the latest entered first, as the selector orders them.
    assert [c for d, c in seen if d == (today - datetime.timedelta(days=7)).isoformat()] == [
        "E7",
        "E4",
        "E2",
    ]
