"""Random tickets, returns and expenses around a month's end and a clock change: the
report figures equal a computation straight from the raw tickets, lines, movements and
expenses done here in Python, and the daily tables kept by the watermark equal a full
rebuild.

The window, 27 March – 1 April 2026 in Brussels, holds the night the clocks go forward
(29 March, a 23-hour day) and the end of March: a ticket at 00:30 local on 1 April is in
April though UTC still says 31 March (22:30). A fixed case of each follows the random one."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hanout.core import clock
from hanout.core.models import Shop
from hanout.expenses import services as expenses
from hanout.expenses.models import ExpenseCategory
from hanout.inventory import services as inventory
from hanout.inventory.models import StockMovement
from hanout.pos import services as pos
from hanout.pos.models import LineKind, Sale, SaleKind, SaleLine
from hanout.pos.pricing import price_basket
from hanout.pos.services import PaymentInput
from hanout.pos.tests.factories import line as line_input
from hanout.pos.tests.factories import make_till, open_session, sell
from hanout.reports import selectors_tables, services
from hanout.reports.models import DailyProductSales, DailySales
from hanout.reports.selectors_sales import sales_report

pytestmark = pytest.mark.django_db
D = Decimal
TZ = ZoneInfo("Europe/Brussels")
START = datetime(2026, 3, 27, 0, 0, tzinfo=TZ)
MINUTES = 6 * 24 * 60 - 60  # six local days, one of them 23 hours long
NOW = datetime(2026, 4, 2, 12, tzinfo=TZ)
FIRST, LAST = date(2026, 3, 27), date(2026, 4, 1)
KEYS = ["croissant", "cafe", "chocolat", "deo"]

ticket = st.fixed_dictionaries(
    {
        "minute": st.integers(min_value=0, max_value=MINUTES - 1),
        "lines": st.lists(
            st.tuples(st.sampled_from(KEYS), st.integers(min_value=1, max_value=4)),
            min_size=1,
            max_size=3,
            unique_by=lambda line: line[0],
        ),
        "card": st.booleans(),
        "give_back": st.one_of(st.none(), st.integers(min_value=1, max_value=600)),
    }
)


def local_moment(minute: int) -> datetime:
    # Add real minutes to a UTC instant so the clock change night has 23 hours.
    return (START.astimezone(ZoneInfo("UTC")) + timedelta(minutes=minute)).astimezone(TZ)


def independent(business) -> dict:
    """Per local day, straight from the rows: revenue, tax, tickets, cost; per product
    quantity; expenses."""
    days: dict = defaultdict(lambda: {"revenue": D(0), "tax": D(0), "tickets": 0, "cost": D(0)})
    for sale in Sale.objects.filter(business=business):
        day = sale.sold_at.astimezone(TZ).date()
        lines = SaleLine.objects.filter(sale=sale, kind=LineKind.PRODUCT)
        days[day]["revenue"] += sum((line.total for line in lines), D(0))
        days[day]["tax"] += sum((line.tax_amount for line in lines), D(0))
        days[day]["tickets"] += sale.kind == SaleKind.SALE
        days[day]["cost"] -= sum(
            (m.quantity * m.unit_cost for m in StockMovement.objects.filter(group=sale.pk)),
            D(0),
        )
    quantities: dict = defaultdict(Decimal)
    for line in SaleLine.objects.filter(business=business, kind=LineKind.PRODUCT):
        quantities[line.product_id] += line.quantity
    return {"days": days, "quantities": quantities}


@settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    tickets=st.lists(ticket, min_size=1, max_size=6),
    spent=st.lists(
        st.tuples(st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=9999)),
        max_size=3,
    ),
)
def test_report_figures_equal_the_raw_rows_and_the_tables_equal_a_rebuild(tickets, spent):
    with mock.patch.object(clock, "now", lambda: START - timedelta(days=1)):
        till = make_till(quantity=None)
        Shop.objects.filter(pk=till.shop.pk).update(time_zone="Europe/Brussels")
        till.shop.refresh_from_db()
        for n, key in enumerate(KEYS):
            inventory.stock_receive(
                business=till.business,
                actor=None,
                product=till[key],
                location=till.location,
                quantity=D(1000),
                unit_cost=D("0.50") + D(n) / 4,
            )
        open_session(till)
    business = till.business
    with mock.patch.object(clock, "now", lambda: NOW):
        for t in tickets:
            sold = local_moment(t["minute"])
            lines = [line_input(till[key], qty) for key, qty in t["lines"]]
            total = price_basket(business=business, lines=lines, allow_discount=False).total
            payment = (
                PaymentInput(method="card", amount=total)
                if t["card"]
                else PaymentInput(method="cash", tendered=total)
            )
            sale = sell(till, *lines, payments=[payment], offline=True, sold_at=sold)
            if t["give_back"] is not None:
                back = min(sold + timedelta(minutes=t["give_back"]), local_moment(MINUTES - 1))
                line = sale.lines.order_by("position").first()
                with mock.patch.object(clock, "now", lambda back=back: back):
                    pos.sale_return(
                        sale=sale,
                        actor=till.owner.user,
                        client_uuid=uuid.uuid4(),
                        lines=[(line, D(1))],
                        refund_method="cash",
                        reason="test",
                    )
        expenses.ensure_builtin_categories(business)
        category = ExpenseCategory.objects.for_business(business).order_by("name").first()
        spent_on: dict = defaultdict(Decimal)
        for offset, cents in spent:
            amount = D(cents) / 100
            day = FIRST + timedelta(days=offset)
            expenses.expense_create(
                business=business,
                actor=till.owner.user,
                data={"category": category.pk, "amount": amount, "spent_on": day, "comment": "t"},
            )
            spent_on[day] += amount

        services.daily_refresh_pending(business=business)
        raw = independent(business)

        report = sales_report(business=business, start=FIRST, end=LAST, by="day")
        for row in report.rows:
            day = date.fromisoformat(row.key)
            want = raw["days"].get(day, {"revenue": 0, "tax": 0, "tickets": 0, "cost": D(0)})
            assert row.revenue == want["revenue"], row.key
            assert row.tax == want["tax"], row.key
            assert row.tickets == want["tickets"], row.key
            assert row.cost == want["cost"].quantize(D("0.01")), row.key
            assert row.expenses == spent_on[day], row.key
            # profit = sales − tax − cost − expenses
            assert row.profit == row.revenue - row.tax - row.cost - spent_on[day]
        assert report.total.expenses == sum(spent_on.values(), D(0))
        for row in sales_report(business=business, start=FIRST, end=LAST, by="product").rows:
            assert row.quantity == raw["quantities"][uuid.UUID(row.key)]
        # By month: March and April split on the shop's clock, not on UTC's.
        months = {
            r.key: r.revenue
            for r in sales_report(business=business, start=FIRST, end=LAST, by="month").rows
        }
        march = sum((v["revenue"] for d, v in raw["days"].items() if d.month == 3), D(0))
        assert months["2026-03"] == march

        # The profit table: margin − expenses per day, the same independent figures.
        profit = selectors_tables.profit(business=business, start=FIRST, end=LAST, by="day")
        for row in profit.rows:
            day = date.fromisoformat(row["key"])
            want = raw["days"].get(day, {"revenue": 0, "tax": 0, "cost": D(0)})
            margin = want["revenue"] - want["tax"] - want["cost"].quantize(D("0.01"))
            assert row["profit"] == margin - spent_on[day], row["key"]
        # Top products by quantity: every product sold, in order, with the right counts.
        top = selectors_tables.top_products(
            business=business, start=FIRST, end=LAST, sort="quantity", limit=100
        )
        sold = {k: q for k, q in raw["quantities"].items() if q}
        listed = {uuid.UUID(r["key"]): r["quantity"] for r in top.rows if r["quantity"]}
        assert listed == sold  # (a product sold and all returned may be listed at 0)
        quantities = [r["quantity"] for r in top.rows]
        assert quantities == sorted(quantities, reverse=True)
        assert top.total["quantity"] == sum(sold.values(), D(0))
        # The expenses table by month adds up to what was spent.
        spent = selectors_tables.expenses(business=business, start=FIRST, end=LAST, by="month")
        assert spent.total["amount"] == sum(spent_on.values(), D(0))

        def snapshot():
            return sorted(
                (r.shop_id, r.day, r.channel, r.tickets, r.revenue, r.tax, r.cost, r.cash, r.card)
                for r in DailySales.objects.filter(business=business)
            ), sorted(
                (r.day, r.product_id, r.quantity, r.revenue, r.tax, r.cost)
                for r in DailyProductSales.objects.filter(business=business)
            )

        kept = snapshot()
        services.daily_rebuild(business=business)
        assert snapshot() == kept


def test_a_ticket_at_half_past_midnight_on_april_1st_is_in_april():
    with mock.patch.object(clock, "now", lambda: START - timedelta(days=1)):
        till = make_till()
        Shop.objects.filter(pk=till.shop.pk).update(time_zone="Europe/Brussels")
        till.shop.refresh_from_db()
        open_session(till)
    with mock.patch.object(clock, "now", lambda: NOW):
        sell(till, ("croissant", 1), offline=True, sold_at=datetime(2026, 3, 31, 23, 30, tzinfo=TZ))
        sell(till, ("cafe", 1), offline=True, sold_at=datetime(2026, 4, 1, 0, 30, tzinfo=TZ))
        # The short night: 02:00–03:00 does not exist; 01:59 and 03:01 are the same day.
        sell(till, ("cafe", 1), offline=True, sold_at=datetime(2026, 3, 29, 3, 1, tzinfo=TZ))
        services.daily_refresh_pending(business=till.business)
    months = {
        r.key: r.revenue
        for r in sales_report(business=till.business, start=FIRST, end=LAST, by="month").rows
    }
    assert months == {"2026-03": D("3.50"), "2026-04": D("2.50")}
    days = {
        r.key: r.tickets
        for r in sales_report(business=till.business, start=FIRST, end=LAST, by="day").rows
    }
    assert days["2026-03-29"] == 1 and days["2026-03-31"] == 1 and days["2026-04-01"] == 1
