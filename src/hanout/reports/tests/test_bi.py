"""Data for BI tools: the SQL views hold the books' figures, and the export API gives
the same rows as CSV or JSON, to its own business only, to those who may read reports."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from hanout.core.permissions import Role
from hanout.expenses import services as expenses
from hanout.expenses.models import ExpenseCategory
from hanout.inventory import services as inventory
from hanout.inventory.models import StockLevel
from hanout.pos import services as pos
from hanout.pos.reports import today_for
from hanout.pos.tests.factories import make_till, open_session, sell
from hanout.reports import services
from hanout.reports.models import DailyProductSales, DailySales, RefreshMark
from tests.factories import make_member
from tests.fixtures import api_client_for

D = Decimal
pytestmark = pytest.mark.django_db
MILL = D("0.001")
EXPORT = "/api/v1/reports/export/"


@pytest.fixture
def shop_day():
    """A day at a till: two tickets and a return, one expense, stock at known costs."""
    till = make_till(quantity=None)
    for key, cost in (("croissant", "0.40"), ("cafe", "1.00")):
        inventory.stock_receive(
            business=till.business,
            actor=None,
            product=till[key],
            location=till.location,
            quantity=D(100),
            unit_cost=D(cost),
        )
    open_session(till)
    first = sell(till, ("croissant", 4), ("cafe", 2))
    sell(till, ("cafe", 1), card="2.50")
    pos.sale_return(
        sale=first,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(first.lines.get(product=till["croissant"]), D(1))],
        refund_method="cash",
        reason="Stale",
    )
    expenses.ensure_builtin_categories(till.business)
    till.expense = expenses.expense_create(
        business=till.business,
        actor=till.user,
        data={
            "category": ExpenseCategory.objects.filter(business=till.business).first(),
            "amount": "42.50",
            "spent_on": today_for(business=till.business),
            "comment": "Flour",
        },
    )
    return till


def _view(name: str, business) -> list[dict]:
    """The view's rows of `business`, as a BI tool reads them (plain SQL)."""
    business_id = DailySales._meta.get_field("business").get_db_prep_value(business.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {name} WHERE business_id = %s", [business_id])
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _d(value) -> Decimal:
    """A number from a view (SQLite computes in floating point) at the columns' precision."""
    return D(str(value)).quantize(MILL)


def _id(value) -> str:
    return uuid.UUID(str(value)).hex


def test_the_views_hold_the_same_figures_as_the_books(shop_day):
    business = shop_day.business
    services.daily_refresh_pending(business=business)

    (day,) = _view("bi_daily_sales", business)
    row = DailySales.objects.get(business=business)
    assert _id(day["shop_id"]) == row.shop_id.hex and day["shop_name"] == shop_day.shop.name
    assert str(day["day"]) == row.day.isoformat() and day["channel"] == "register"
    assert (day["tickets"], day["returns"]) == (2, 1)
    assert day["currency"] == business.currency
    for column in ("revenue", "tax", "cost", "cash", "card", "phone", "points", "items"):
        assert _d(day[column]) == getattr(row, column), column
    assert _d(day["net"]) == row.revenue - row.tax
    assert _d(day["margin"]) == row.revenue - row.tax - row.cost
    assert row.revenue == D("10.50")  # 4.00 + 5.00 + 2.50 − 1.00

    products = {_id(p["product_id"]): p for p in _view("bi_product_sales", business)}
    assert len(products) == DailyProductSales.objects.filter(business=business).count() == 2
    for p in DailyProductSales.objects.filter(business=business).select_related("product"):
        v = products[p.product_id.hex]
        assert (v["sku"], v["product_name"]) == (p.product.sku, p.product.name)
        for column in ("quantity", "revenue", "tax", "cost"):
            assert _d(v[column]) == getattr(p, column), column
        assert _d(v["margin"]) == p.revenue - p.tax - p.cost

    (expense,) = _view("bi_expenses", business)
    assert _id(expense["expense_id"]) == shop_day.expense.pk.hex
    assert _d(expense["amount"]) == D("42.50")
    assert expense["category_name"] == shop_day.expense.category.name

    stock = {(_id(s["product_id"]), _id(s["location_id"])): s for s in _view("bi_stock", business)}
    levels = StockLevel.objects.filter(business=business).select_related("product")
    assert len(stock) == levels.count()
    for level in levels:
        s = stock[(level.product_id.hex, level.location_id.hex)]
        assert _d(s["quantity"]) == level.quantity
        assert _d(s["average_cost"]) == level.product.cost
        assert _d(s["value"]) == (level.quantity * level.product.cost).quantize(MILL)


def test_the_views_show_one_business_only_when_filtered_on_it(shop_day):
    other = make_till(quantity="5")
    open_session(other)
    sell(other, ("croissant", 1))
    services.daily_refresh_pending(business=shop_day.business)
    services.daily_refresh_pending(business=other.business)
    for name in ("bi_daily_sales", "bi_product_sales", "bi_stock"):
        mine = {_id(r["shop_id"]) for r in _view(name, shop_day.business)}
        assert mine == {shop_day.shop.pk.hex}, name


def test_the_export_gives_the_views_rows_as_json_in_pages(shop_day):
    api = api_client_for(shop_day.owner)
    body = api.get(f"{EXPORT}daily-sales/").json()
    (day,) = _view("bi_daily_sales", shop_day.business)
    assert body["count"] == 1 and body["currency"] == "EUR" and body["next"] is None
    (row,) = body["results"]
    assert row["revenue"] == "10.50" and _d(day["revenue"]) == D(row["revenue"])
    assert row["margin"] == str(_d(day["margin"]).quantize(D("0.01")))
    assert (row["tickets"], row["returns"], row["channel"]) == (2, 1, "register")

    first = api.get(f"{EXPORT}product-sales/", {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and first["next"]
    second = api.get(first["next"]).json()
    names = {first["results"][0]["product_name"], second["results"][0]["product_name"]}
    assert names == {p["product_name"] for p in _view("bi_product_sales", shop_day.business)}

    (expense,) = api.get(f"{EXPORT}expenses/").json()["results"]
    assert expense["amount"] == "42.50" and expense["comment"] == "Flour"
    stock = api.get(f"{EXPORT}stock/", {"format": "json"}).json()["results"]
    assert len(stock) == StockLevel.objects.filter(business=shop_day.business).count()
    assert {s["average_cost"] for s in stock} >= {"0.40", "1.00"}


def test_the_export_streams_csv_with_a_header_row(shop_day):
    api = api_client_for(shop_day.owner)
    response = api.get(f"{EXPORT}product-sales/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "shop_id",
        "shop_name",
        "day",
        "product_id",
        "sku",
        "product_name",
        "category_id",
        "category_name",
        "quantity",
        "revenue",
        "tax",
        "net",
        "cost",
        "margin",
    ]
    view = {_id(p["product_id"]): p for p in _view("bi_product_sales", shop_day.business)}
    assert len(rows) == len(view) == 2
    for row in rows:
        assert _d(view[_id(row["product_id"])]["revenue"]) == D(row["revenue"])

    stock = api.get(f"{EXPORT}stock/", {"format": "csv"})
    lines = b"".join(stock.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("product_id,sku,product_name")
    assert len(lines) == 1 + StockLevel.objects.filter(business=shop_day.business).count()


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("daily-sales/", {"start": "2026-03-17", "end": "2026-03-01"}, "end"),
        ("daily-sales/", {"start": "2000-01-01", "end": "2026-03-01"}, "start"),
        ("daily-sales/", {"start": "yesterday"}, "start"),
        ("daily-sales/", {"format": "xml"}, "format"),
        ("daily-sales/", {"shop": "not-a-uuid"}, "shop"),
        ("product-sales/", {"page": "99"}, "page"),
        ("expenses/", {"shop": str(uuid.uuid4())}, "shop"),
        ("stock/", {"start": "2026-03-01"}, "start"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter_and_write_nothing(
    shop_day, path, params, field
):
    api = api_client_for(shop_day.owner)
    response = api.get(EXPORT + path, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()["error"]["fields"]
    if path != "product-sales/":  # a bad page is found once the rows are read
        assert not RefreshMark.objects.filter(business=shop_day.business).exists()
        assert not DailySales.objects.filter(business=shop_day.business).exists()


def test_another_business_sees_none_of_it(shop_day):
    other = make_till(quantity="5")
    api = api_client_for(other.owner)
    for dataset in ("daily-sales", "product-sales", "expenses", "stock"):
        body = api.get(f"{EXPORT}{dataset}/").json()
        shops = {r.get("shop_id") for r in body["results"]}
        assert str(shop_day.shop.pk) not in shops, dataset
        text = b"".join(api.get(f"{EXPORT}{dataset}/", {"format": "csv"}).streaming_content)
        assert str(shop_day.shop.pk).encode() not in text and b"Flour" not in text
    mine = api.get(f"{EXPORT}daily-sales/", {"shop": str(shop_day.shop.pk)})
    assert mine.status_code == 404 and "shop" in mine.json()["error"]["fields"]


def test_only_members_who_may_read_reports_export(shop_day):
    cashier = make_member(shop_day.owner, role=Role.CASHIER)
    staff = make_member(shop_day.owner, role=Role.STAFF)
    for member in (cashier, staff):
        api = api_client_for(member)
        for fmt in ("json", "csv"):
            response = api.get(f"{EXPORT}daily-sales/", {"format": fmt})
            assert response.status_code == 403
            assert response.json()["error"]["code"]
    assert not RefreshMark.objects.filter(business=shop_day.business).exists()


@pytest.mark.django_db
def test_an_export_with_a_day_before_1900_is_a_400_not_a_500(owner):
    api = api_client_for(owner)
    response = api.get("/api/v1/reports/export/daily-sales/?end=0001-01-01")
    assert response.status_code == 400
    assert "end" in response.json()["error"]["fields"]
