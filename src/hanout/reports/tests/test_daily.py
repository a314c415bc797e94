"""The daily tables: what a shop's day adds up to, per channel, from the real services."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from hanout.core import clock
from hanout.core.models import Shop
from hanout.inventory import services as inventory
from hanout.pos import services as pos
from hanout.pos.tests.factories import make_till, open_session, sell, withdrawal
from hanout.reports import services
from hanout.reports.models import Channel, DailyProductSales, DailySales
from hanout.sales.services_invoices import invoice_issue_for_order
from hanout.sales.tests.returns_support import (
    make_customer,
    make_shipped_order,
    order_lines,
    take_back,
)

D = Decimal
pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def till():
    till = make_till(quantity=None)
    Shop.objects.filter(pk=till.shop.pk).update(time_zone="Europe/Brussels")
    till.shop.refresh_from_db()
    # Stock with known costs: croissant 0.40, café 1.00, chocolat 2.00.
    for key, cost in (("croissant", "0.40"), ("cafe", "1.00"), ("chocolat", "2.00")):
        inventory.stock_receive(
            business=till.business,
            actor=None,
            product=till[key],
            location=till.location,
            quantity=D(100),
            unit_cost=D(cost),
        )
    open_session(till)
    return till


def on(monkeypatch, moment: datetime):
    monkeypatch.setattr(clock, "now", lambda: moment)


def row(business, channel=Channel.REGISTER, day=None) -> DailySales:
    qs = DailySales.objects.filter(business=business, channel=channel)
    return qs.get(day=day) if day else qs.get()


def test_a_register_day_adds_up_sales_returns_withdrawals_cost_and_payments(till, monkeypatch):
    day = date(2026, 3, 10)
    on(monkeypatch, at(day, 9))
    first = sell(till, ("croissant", 4), ("cafe", 2), cash="20.00")  # 4.00 + 5.00
    on(monkeypatch, at(day, 10))
    sell(till, ("chocolat", 1), withdrawal("20.00"), card="23.50")  # 3.50 + 20 cash back
    on(monkeypatch, at(day, 11))
    croissants = first.lines.get(product=till["croissant"])
    pos.sale_return(
        sale=first,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(croissants, D(1))],
        refund_method="cash",
        reason="Stale",
    )
    monkeypatch.undo()

    assert services.daily_refresh_pending(business=till.business) == 1
    r = row(till.business)
    assert r.day == day and r.shop_id == till.shop.pk
    assert (r.tickets, r.returns) == (2, 1)
    assert r.revenue == D("11.50")  # 9.00 + 3.50 − 1.00; the 20.00 withdrawal is not revenue
    assert r.withdrawals == D("20.00")
    assert r.cost == D("5.20")  # 4×0.40 + 2×1.00 + 1×2.00 − 1×0.40 put back
    assert r.cash == D("8.00")  # 9.00 paid − 1.00 refunded
    assert r.card == D("3.50")  # 23.50 on the card − 20.00 handed back as cash
    assert r.items == D(6)  # 7 sold, 1 back
    products = {p.product_id: p for p in DailyProductSales.objects.filter(business=till.business)}
    assert products[till["croissant"].pk].quantity == D(3)
    assert products[till["croissant"].pk].revenue == D("3.00")
    assert products[till["croissant"].pk].cost == D("1.20")


def test_refreshing_twice_changes_nothing(till, monkeypatch):
    on(monkeypatch, at(date(2026, 3, 10), 9))
    sell(till, ("croissant", 2))
    monkeypatch.undo()
    shop, day = till.shop, date(2026, 3, 10)
    services.daily_refresh(business=till.business, shop=shop, day=day)
    services.daily_refresh(business=till.business, shop=shop, day=day)
    assert DailySales.objects.filter(business=till.business).count() == 1
    assert row(till.business).revenue == D("2.00")
    assert DailyProductSales.objects.filter(business=till.business).count() == 1


def test_a_ticket_sold_after_midnight_local_time_counts_on_the_shops_new_day(till, monkeypatch):
    # 23:30 UTC on the 10th is 00:30 on the 11th in Brussels.
    on(monkeypatch, datetime(2026, 3, 10, 23, 30, tzinfo=ZoneInfo("UTC")))
    sell(till, ("croissant", 1))
    monkeypatch.undo()
    services.daily_refresh_pending(business=till.business)
    assert row(till.business).day == date(2026, 3, 11)


def test_an_offline_ticket_arriving_late_is_counted_on_the_day_it_was_sold(till, monkeypatch):
    monday, tuesday = date(2026, 3, 9), date(2026, 3, 10)
    on(monkeypatch, at(monday, 12))
    sell(till, ("croissant", 1))
    monkeypatch.undo()
    services.daily_refresh_pending(business=till.business)
    assert row(till.business, day=monday).revenue == D("1.00")

    # Made offline on Monday afternoon, sent on Tuesday.
    on(monkeypatch, at(tuesday, 9))
    sell(till, ("cafe", 1), sold_at=at(monday, 16), offline=True)
    monkeypatch.undo()
    assert services.daily_refresh_pending(business=till.business) == 1
    assert row(till.business, day=monday).revenue == D("3.50")
    assert row(till.business, day=monday).tickets == 2
    assert not DailySales.objects.filter(business=till.business, day=tuesday).exists()


def test_a_day_marked_stale_is_refreshed_whatever_its_rows_creation_time(till, monkeypatch):
    """Rows that keep an old `created_at` (a store's sales arriving on its hub) are not
    seen by the sweep; the days marked stale are refreshed anyway, once."""
    monday = date(2026, 3, 9)
    on(monkeypatch, at(monday, 12))
    sell(till, ("croissant", 1))
    monkeypatch.undo()
    services.daily_refresh_pending(business=till.business)
    on(monkeypatch, at(monday, 13))
    sell(till, ("cafe", 1))  # sold on Monday, created before the refresh mark set below
    monkeypatch.undo()
    services.RefreshMark.objects.filter(business=till.business).update(
        until=services.timezone.now() + timedelta(minutes=5)
    )
    assert services.daily_refresh_pending(business=till.business) == 0
    assert row(till.business, day=monday).revenue == D("1.00")

    services.days_mark_stale(
        business=till.business, days={(till.shop.pk, monday)} | {(till.shop.pk, monday)}
    )
    assert services.daily_refresh_pending(business=till.business) == 1
    assert row(till.business, day=monday).revenue == D("3.50")
    assert not services.StaleDay.objects.exists()
    services.RefreshMark.objects.filter(business=till.business).update(
        until=services.timezone.now() + timedelta(minutes=5)
    )
    assert services.daily_refresh_pending(business=till.business) == 0  # the mark is used up


def test_nothing_new_means_nothing_is_refreshed(till, monkeypatch):
    sell(till, ("croissant", 1))
    assert services.daily_refresh_pending(business=till.business) == 1
    assert services.daily_refresh_pending(business=till.business) in (0, 1)  # settling window
    services.RefreshMark.objects.filter(business=till.business).update(
        until=services.timezone.now() + timedelta(minutes=5)
    )
    assert services.daily_refresh_pending(business=till.business) == 0


def test_invoiced_orders_count_on_the_invoice_day_less_their_credit_notes(till, monkeypatch):
    customer = make_customer(till.business)
    order = make_shipped_order(
        till, customer, ("chocolat", 4), ("cafe", 2), status="delivered"
    )  # 14.00 + 5.00
    day = date(2026, 4, 2)
    on(monkeypatch, at(day, 15))
    invoice = invoice_issue_for_order(order=order, actor=till.user)
    chocolat = next(line for line in order_lines(order) if line.product_id == till["chocolat"].pk)
    ret = take_back(till, order=order, lines=[(chocolat, 1)], refund_method="bank")
    monkeypatch.undo()
    assert ret.credit_note.total == D("3.50")

    services.daily_refresh_pending(business=till.business)
    r = row(till.business, Channel.ORDERS)
    assert r.day == day
    assert (r.tickets, r.returns) == (1, 1)
    assert r.revenue == invoice.total - D("3.50") == D("15.50")
    assert r.tax == invoice.tax_total - ret.credit_note.tax_total
    assert r.cost == D("8.00")  # 4×2.00 + 2×1.00 shipped − 1×2.00 back on the shelf
    products = {p.product_id: p for p in DailyProductSales.objects.filter(business=till.business)}
    assert products[till["chocolat"].pk].quantity == D(3)
    # The register channel has nothing that day.
    assert not DailySales.objects.filter(business=till.business, channel=Channel.REGISTER).exists()


def test_an_invoice_made_from_a_ticket_is_not_counted_twice(till, monkeypatch):
    from hanout.sales.services_invoices import invoice_issue_for_sale

    sale = sell(till, ("chocolat", 1))
    invoice_issue_for_sale(sale=sale, actor=till.user, customer=make_customer(till.business))
    services.daily_refresh_pending(business=till.business)
    assert DailySales.objects.filter(business=till.business).count() == 1
    assert row(till.business).revenue == D("3.50")


def test_another_business_sales_stay_in_its_own_rows(till, monkeypatch):
    other = make_till()
    open_session(other)
    sell(other, ("chocolat", 3))
    sell(till, ("croissant", 1))
    services.daily_refresh_pending(business=till.business)
    assert DailySales.objects.filter(business=till.business).get().revenue == D("1.00")
    assert not DailySales.objects.filter(business=other.business).exists()
    services.daily_refresh_pending(business=other.business)
    assert DailySales.objects.get(business=other.business).revenue == D("10.50")


def test_rebuild_command_builds_every_day_again(till, monkeypatch, capsys):
    for d in (date(2026, 2, 1), date(2026, 2, 2)):
        on(monkeypatch, at(d, 10))
        sell(till, ("croissant", 2))
    monkeypatch.undo()
    DailySales.objects.create(  # a wrong row left behind
        business=till.business,
        shop=till.shop,
        day=date(2026, 2, 3),
        channel=Channel.REGISTER,
        revenue=D(99),
        refreshed_at=services.timezone.now(),
    )
    call_command("reports_rebuild", "--business", str(till.business.pk))
    assert "2 shop-days rebuilt" in capsys.readouterr().out
    days = sorted(DailySales.objects.filter(business=till.business).values_list("day", flat=True))
    assert days == [date(2026, 2, 1), date(2026, 2, 2)]


def test_rebuild_command_refuses_a_bad_day():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reports_rebuild", "--since", "yesterday")


def test_the_periodic_job_refreshes_every_business(till):
    from hanout.reports.tasks import refresh_daily_tables

    other = make_till()
    open_session(other)
    sell(other, ("cafe", 1))
    sell(till, ("cafe", 2))
    refresh_daily_tables.call_local()
    assert DailySales.objects.filter(business=till.business).get().revenue == D("5.00")
    assert DailySales.objects.filter(business=other.business).get().revenue == D("2.50")


def test_loyalty_points_paid_are_takings_of_their_own(till, monkeypatch):
    from hanout.customers import services_loyalty
    from hanout.customers.tests.crm_support import loyalty_on, make_customer
    from hanout.pos.services import PaymentInput
    from hanout.reports import selectors

    on(monkeypatch, at(date(2026, 3, 17), 10))
    customer = make_customer(till.owner, "Amina Tazi")
    loyalty_on(till.owner, step="10", points=1, value="0.05")
    services_loyalty.loyalty_adjust(
        customer=customer, actor=till.owner.user, points=40, reason="Welcome"
    )
    # Chocolat 3.50: 40 points pay 2.00, the rest in cash.
    sell(
        till,
        ("chocolat", 1),
        payments=[
            PaymentInput(method="points", points=40),
            PaymentInput(method="cash", tendered=D("1.50")),
        ],
        customer=customer,
    )
    services.daily_refresh(business=till.business, shop=till.shop, day=date(2026, 3, 17))
    row = DailySales.objects.get(shop=till.shop, day=date(2026, 3, 17))
    assert (row.points, row.cash, row.revenue) == (D("2.00"), D("1.50"), D("3.50"))
    methods = selectors.dashboard(business=till.business, today=date(2026, 3, 17)).methods
    assert methods["labels"][-1] == "Loyalty points"
    assert methods["datasets"][0]["data"][-1] == "2.00"


def test_a_cost_of_many_decimals_is_stored_rounded_to_the_column_on_every_database(
    till, monkeypatch
):
    from django.db import connection

    from hanout.catalog.models import Unit
    from hanout.pos.tests.factories import make_product

    on(monkeypatch, at(date(2026, 3, 16), 10))
    cheese = make_product(till.business, "Comté", price="24.00", unit=Unit.KG)
    inventory.stock_receive(
        business=till.business,
        actor=None,
        product=cheese,
        location=till.location,
        quantity=D(5),
        unit_cost=D("13.33"),
    )
    # 0.375 kg at 13.33 → 4.99875 out of stock: five places for a three-place column.
    sell(till, (cheese, D("0.375")))
    services.daily_refresh_pending(business=till.business)
    # What the database holds (its sums add these), not what Django reads back: SQLite
    # would keep 4.99875 as a float where PostgreSQL rounds; both must hold 4.999.
    with connection.cursor() as cursor:
        for table in ("reports_dailysales", "reports_dailyproductsales"):
            cursor.execute(f"SELECT CAST(cost AS TEXT) FROM {table}")  # noqa: S608
            (stored,) = cursor.fetchone()
            assert D(stored) == D("4.999"), table
