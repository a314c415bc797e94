"""The owner's dashboard: figures against the period before, the page and the API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from hanout.core import clock
from hanout.core.models import Shop
from hanout.core.permissions import Role
from hanout.expenses import services as expenses
from hanout.inventory import services as inventory
from hanout.pos.tests.factories import make_till, open_session, sell
from hanout.reports import selectors, services
from tests.factories import make_member
from tests.fixtures import api_client_for, login

D = Decimal
pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Brussels")
TODAY = date(2026, 3, 17)  # a Tuesday


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def till():
    till = make_till(quantity=None)
    Shop.objects.filter(pk=till.shop.pk).update(time_zone="Europe/Brussels")
    till.shop.refresh_from_db()
    for key, cost in (("croissant", "0.40"), ("cafe", "1.00"), ("chocolat", "2.00")):
        inventory.stock_receive(
            business=till.business,
            actor=None,
            product=till[key],
            location=till.location,
            quantity=D(500),
            unit_cost=D(cost),
        )
    open_session(till)
    return till


def sell_on(monkeypatch, till, day, *items, **kw):
    monkeypatch.setattr(clock, "now", lambda: at(day))
    sale = sell(till, *items, **kw)
    monkeypatch.undo()
    return sale


def test_today_is_compared_with_the_same_weekday_last_week_and_the_month_with_last_month(
    till, monkeypatch
):
    sell_on(monkeypatch, till, TODAY, ("chocolat", 2))  # 7.00, cost 4.00
    sell_on(monkeypatch, till, TODAY, ("croissant", 3))  # 3.00, cost 1.20
    sell_on(monkeypatch, till, date(2026, 3, 10), ("chocolat", 1))  # last Tuesday: 3.50
    sell_on(monkeypatch, till, date(2026, 3, 16), ("cafe", 4))  # yesterday: 10.00
    sell_on(monkeypatch, till, date(2026, 2, 5), ("cafe", 2))  # last month, before the 17th
    sell_on(monkeypatch, till, date(2026, 2, 20), ("cafe", 8))  # last month, after the 17th
    services.daily_refresh_pending(business=till.business)

    data = selectors.dashboard(business=till.business, today=TODAY)
    assert data.day.current.revenue == D("10.00")
    assert data.day.current.tickets == 2
    assert data.day.current.basket == D("5.00")
    assert data.day.previous.revenue == D("3.50")
    assert data.day.change("revenue").quantize(D("0.1")) == D("185.7")
    assert data.month.current.revenue == D("23.50")  # 10 + 3.50 + 10
    assert data.month.previous.revenue == D("5.00")  # only 1–17 February
    # Margin: revenue without tax − cost (all at 6 % VAT here).
    net = sum((D(x) - (D(x) * 6 / 106).quantize(D("0.01"))) for x in ("7.00", "3.00"))
    assert data.day.current.margin == net - D("5.20")
    # This month: chocolat 7.00 + 3.50, café 10.00, croissant 3.00.
    assert [p["name"] for p in data.top_products] == ["Chocolat noir", "Café", "Croissant"]
    # Day-by-day series: this month up to today, last month in full.
    assert data.daily["labels"][-1] == "28"
    assert data.daily["datasets"][0]["data"][16] == "10.00"
    assert data.daily["datasets"][0]["data"][17] is None
    assert data.daily["datasets"][1]["data"][19] == "20.00"
    assert len(data.monthly["labels"]) == 12
    assert data.monthly["datasets"][0]["data"][-1] == "23.50"


def test_a_comparison_with_nothing_before_has_no_percentage(till, monkeypatch):
    sell_on(monkeypatch, till, TODAY, ("croissant", 1))
    services.daily_refresh_pending(business=till.business)
    data = selectors.dashboard(business=till.business, today=TODAY)
    assert data.day.previous.revenue == 0
    assert data.day.change("revenue") is None
    assert data.day.previous.basket is None


def test_expenses_profit_cash_and_low_stock(till, monkeypatch):
    sell_on(monkeypatch, till, TODAY, ("chocolat", 2), cash="10.00")
    from hanout.expenses.selectors import category_list

    category = category_list(business=till.business)[0]
    for amount, day, comment in (("2.00", "2026-03-03", "Sacs"), ("50.00", "2026-02-03", "Old")):
        expenses.expense_create(
            business=till.business,
            actor=till.user,
            data={"category": category, "amount": amount, "spent_on": day, "comment": comment},
        )
    # Pain (none in stock) with a reorder point is low; café (500) is not.
    for key in ("pain", "cafe"):
        inventory.stock_level_set_thresholds(
            business=till.business,
            actor=till.user,
            product=till[key],
            location=till.location,
            reorder_point=D(5),
            reorder_quantity=D(20),
        )
    services.daily_refresh_pending(business=till.business)
    data = selectors.dashboard(business=till.business, today=TODAY)
    assert data.expenses_month == D("2.00")
    assert data.profit_month == (data.month.current.margin - D("2.00")).quantize(D("0.01"))
    assert data.open_sessions == 1
    assert data.cash_in_drawers == D("107.00")  # 100 float + 7.00 cash
    assert data.low_stock == 1


def test_the_dashboard_page_shows_the_figures_and_its_queries_do_not_grow(
    till, client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(clock, "now", lambda: at(TODAY, 12))
    sell(till, ("chocolat", 2))
    login(client, till.owner)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dashboard" in text and "Chocolat noir" in text
    assert "7.00" in text or "7,00" in text
    assert 'data-chart="daily-chart"' in text and 'id="monthly-chart"' in text
    client.get(reverse("dashboard"))  # settle the refresh mark
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("dashboard"))
    for _ in range(15):
        sell(till, ("cafe", 1), ("croissant", 2))
    services.daily_refresh_pending(business=till.business)
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = client.get(reverse("dashboard"))
    assert "Café" in response.content.decode()


def test_a_member_without_reports_is_refused_and_sees_no_menu_entry(till, client):
    cashier = make_member(till.owner, role=Role.CASHIER)
    login(client, cashier)
    assert client.get(reverse("dashboard")).status_code == 403
    assert 'href="/dashboard/"' not in client.get("/").content.decode()


def test_another_business_shop_is_a_404_and_its_sales_never_show(till, client, monkeypatch):
    other = make_till()
    open_session(other)
    monkeypatch.setattr(clock, "now", lambda: at(TODAY, 12))
    sell(other, ("chocolat", 9))
    sell(till, ("croissant", 1))
    login(client, till.owner)
    assert client.get(reverse("dashboard"), {"shop": str(other.shop.pk)}).status_code == 404
    assert client.get(reverse("dashboard"), {"shop": "not-a-uuid"}).status_code == 404
    page = client.get(reverse("dashboard")).content.decode()
    assert "Croissant" in page and "Chocolat noir" not in page


def test_the_api_gives_the_same_dashboard(till, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: at(TODAY, 12))
    sell(till, ("chocolat", 2))
    api = api_client_for(till.owner)
    response = api.get("/api/v1/reports/dashboard/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["today"] == "2026-03-17"
    assert body["day"]["current"]["revenue"] == "7.00"
    assert body["day"]["current"]["tickets"] == 1
    assert body["day"]["previous"]["basket"] is None
    assert body["top_products"][0]["name"] == "Chocolat noir"
    assert body["currency"] == "EUR"
    only_shop = api.get("/api/v1/reports/dashboard/", {"shop": str(till.shop.pk)})
    assert only_shop.json()["day"]["current"]["revenue"] == "7.00"


def test_the_api_refuses_bad_and_foreign_shops_and_strangers(till):
    other = make_till()
    api = api_client_for(till.owner)
    bad = api.get("/api/v1/reports/dashboard/", {"shop": "nope"})
    assert bad.status_code == 400 and "shop" in bad.json()["error"]["fields"]
    foreign = api.get("/api/v1/reports/dashboard/", {"shop": str(other.shop.pk)})
    assert foreign.status_code == 404 and "shop" in foreign.json()["error"]["fields"]
    cashier = make_member(till.owner, role=Role.CASHIER)
    assert api_client_for(cashier).get("/api/v1/reports/dashboard/").status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/reports/dashboard/").status_code == 401


def test_a_shop_filter_keeps_only_that_shops_figures(till, monkeypatch):
    from hanout.pos.tests.factories import make_register

    second = Shop.objects.create(business=till.business, name="Annexe", time_zone="Europe/Brussels")
    register = make_register(till.owner, "Annexe 1", shop=second)
    from hanout.pos import services as pos

    location = pos.register_location(register)
    inventory.stock_receive(
        business=till.business,
        actor=None,
        product=till["cafe"],
        location=location,
        quantity=D(10),
        unit_cost=D(1),
    )
    open_session(register, till.user)
    monkeypatch.setattr(clock, "now", lambda: at(TODAY, 12))
    sell(till, ("croissant", 1))
    sell(till, ("cafe", 2), register=register, client_uuid=uuid.uuid4())
    services.daily_refresh_pending(business=till.business)
    both = selectors.dashboard(business=till.business, today=TODAY)
    annexe = selectors.dashboard(business=till.business, today=TODAY, shop=second)
    assert both.day.current.revenue == D("6.00")
    assert annexe.day.current.revenue == D("5.00")
    assert annexe.open_sessions == 1


def test_twelve_months_come_from_one_daily_query_whatever_the_sales(
    till, monkeypatch, django_assert_num_queries
):
    # TODAY is 17 March 2026: the chart's months are April 2025 … March 2026.
    sell_on(monkeypatch, till, date(2025, 3, 31), ("cafe", 1))  # before the twelve months
    sell_on(monkeypatch, till, date(2025, 4, 1), ("chocolat", 2))  # April 2025: 7.00
    sell_on(monkeypatch, till, date(2025, 12, 31), ("cafe", 2))  # December: 5.00
    sell_on(monkeypatch, till, date(2026, 1, 31), ("croissant", 3))  # January: 3.00
    sell_on(monkeypatch, till, date(2026, 2, 1), ("cafe", 1))  # February, day by day
    sell_on(monkeypatch, till, date(2026, 2, 28), ("chocolat", 1))  # after the 17th
    sell_on(monkeypatch, till, date(2026, 3, 10), ("croissant", 1))  # a week ago
    sell_on(monkeypatch, till, TODAY, ("chocolat", 1), ("cafe", 1))  # today: 6.00
    services.daily_refresh_pending(business=till.business)

    # One query for the daily table (this month and last month day by day, the ten months
    # before one row each), two for the top products (the sums, then their names), the
    # month's expenses, the open sessions and the low stock: six, however many sales.
    with django_assert_num_queries(6):
        data = selectors.dashboard(business=till.business, today=TODAY)
    revenue = data.monthly["datasets"][0]["data"]
    assert revenue == ["7.00", "0", "0", "0", "0", "0", "0", "0", "5.00", "3.00", "6.00", "7.00"]
    margin = data.monthly["datasets"][1]["data"]
    assert margin[0] == str(
        (D("7.00") - (D("7.00") * 6 / 106).quantize(D("0.01")) - 4).quantize(D("0.01"))
    )
    assert data.day.current.revenue == D("6.00") and data.day.current.tickets == 1
    assert data.day.previous.revenue == D("1.00")
    assert (data.month.current.revenue, data.month.current.tickets) == (D("7.00"), 2)
    assert (data.month.previous.revenue, data.month.previous.tickets) == (D("2.50"), 1)
    this, last = (d["data"] for d in data.daily["datasets"])
    assert this[9] == "1.00" and this[16] == "6.00" and this[15] == "0.00" and this[17] is None
    assert len(this) == len(last) == 28 and last[0] == "2.50" and last[27] == "3.50"
    assert sum(D(v) for v in data.methods["datasets"][0]["data"]) == D("7.00")

    with django_assert_num_queries(6):
        shop_only = selectors.dashboard(business=till.business, today=TODAY, shop=till.shop)
    assert shop_only.monthly == data.monthly and shop_only.day == data.day
