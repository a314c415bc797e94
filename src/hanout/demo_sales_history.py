"""A year of register days for the demo, so the dashboard and the reports have a past.

Every day of the last `DEMO_SALES_HISTORY_DAYS` days up to the day before yesterday
(daily for the last two months, one day a week before that — rung up as the whole
week's trade, so the year's chart keeps one scale) is a real cash session on
the demo register: the morning delivery covers what the day will sell (so the stock
ledger stays whole), a handful of tickets through the register's services, now and
then a return, then the drawer is counted. Figures follow a gentle season and the
weekday, and are the same on every load (a seeded generator). The setting is small in
the tests, which check the mechanism rather than a year of tickets.
"""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

DAILY_DAYS = 62  # every day of the last two months; older days: one a week


def history_days(today: datetime.date, span: int) -> list[datetime.date]:
    """The days to fill, oldest first: from `span` days ago to the day before yesterday."""
    days = []
    for back in range(span, 1, -1):
        day = today - datetime.timedelta(days=back)
        if back <= DAILY_DAYS or day.weekday() == 4:  # Fridays before that
            days.append(day)
    return days


def load(business, *, register, owner, cashiers, products, shop) -> int:
    """Fill the register's past; returns how many tickets were made.

    No low-stock alert is sent for these days: each morning's delivery lifts the stock
    over its threshold and the day's tickets take it back under, a real crossing each
    day that would mail everyone with access to Stock once per day of the past."""
    from hanout.core import events

    with events.quiet("stock.low"):
        return _fill(
            business,
            register=register,
            owner=owner,
            cashiers=cashiers,
            products=products,
            shop=shop,
        )


def _fill(business, *, register, owner, cashiers, products, shop) -> int:
    from hanout.demo_catalog import _at
    from hanout.inventory import services as inventory
    from hanout.inventory.models import MovementReason
    from hanout.pos import services as pos
    from hanout.pos.pricing import LineInput, price_basket
    from hanout.pos.services import PaymentInput

    span = getattr(settings, "DEMO_SALES_HISTORY_DAYS", 400)
    if span < 2 or not products:
        return 0
    rng = random.Random(f"{business.name}-history")
    location = pos.register_location(register)
    today = timezone.now().astimezone(shop.tz).date()
    made = 0
    for day in history_days(today, span):
        opening = datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=shop.tz)
        # More on Saturdays, fewer on Mondays, a little more in summer and December.
        season = 1.0 + 0.25 * (day.month in (7, 8, 12)) - 0.15 * (day.month in (1, 2))
        weekday = {0: 0.7, 5: 1.5, 6: 1.2}.get(day.weekday(), 1.0)
        count = max(2, round(rng.randint(4, 7) * season * weekday))
        # A day that stands for its week sells a week's worth in as many tickets.
        week = 1 if (today - day).days <= DAILY_DAYS else 7
        baskets = []
        for _n in range(count):
            picks = rng.sample(products, k=min(len(products), rng.choice((1, 1, 2, 3))))
            baskets.append([(p, Decimal(rng.choice((1, 1, 1, 2, 3)) * week)) for p in picks])
        need: dict = {}
        for basket in baskets:
            for product, qty in basket:
                need[product] = need.get(product, Decimal(0)) + qty
        with _at(opening):
            inventory.stock_apply(
                business=business,
                actor=owner,
                lines=[inventory.MoveLine(p, location, q, None) for p, q in need.items()],
                reason=MovementReason.RECEIPT,
                reference=f"BL-{day:%Y%m%d}",
            )
            session = pos.session_open(register=register, actor=owner, opening_float=Decimal(100))
        sales = []
        for n, basket in enumerate(baskets):
            moment = opening + datetime.timedelta(minutes=40 + n * rng.randint(25, 60))
            cashier = cashiers[n % len(cashiers)]
            lines = [LineInput(product=p, quantity=q) for p, q in basket]
            total = price_basket(business=business, lines=lines, allow_discount=False).total
            method = rng.choice(("cash", "cash", "cash", "card", "card"))
            if method == "card":
                payments = [PaymentInput(method="card", amount=total, reference=f"demo-{made}")]
            else:
                payments = [PaymentInput(method="cash", tendered=total)]
            with _at(moment):
                sales.append(
                    pos.sale_complete(
                        register=register,
                        actor=cashier,
                        client_uuid=uuid.uuid4(),
                        lines=lines,
                        payments=payments,
                        basket="main",
                    )
                )
            made += 1
        closing = opening + datetime.timedelta(hours=10)
        if rng.random() < 0.08:  # now and then something comes back
            with _at(closing - datetime.timedelta(minutes=30)):
                line = sales[0].lines.order_by("position").first()
                pos.sale_return(
                    sale=sales[0],
                    actor=owner,
                    client_uuid=uuid.uuid4(),
                    lines=[(line, Decimal(1))],
                    refund_method="cash",
                    reason=_("Damaged"),
                )
        with _at(closing):
            session.refresh_from_db()
            pos.session_close(
                session=session, actor=owner, counted_cash=session.expected_cash_now()
            )
    return made
