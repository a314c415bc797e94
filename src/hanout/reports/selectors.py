"""Reads for the dashboard, from the daily tables (never from the whole ledger).

`dashboard()` compares today with the same weekday a week before (a shop's Tuesday
looks like its last Tuesday, not like its Monday) and this month so far with the same
days of last month. Its query count does not depend on how many sales there are.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hanout.core.models import Business, Shop
from hanout.core.money import quantize
from hanout.reports.models import DailyProductSales, DailySales
from hanout.reports.selectors_sales import product_totals

ZERO = Decimal(0)
TOP = 10


@dataclass
class Figures:
    """Sales over a span of days (all channels)."""

    revenue: Decimal = ZERO
    tax: Decimal = ZERO
    cost: Decimal = ZERO
    tickets: int = 0

    @property
    def net(self) -> Decimal:
        """Revenue without tax."""
        return self.revenue - self.tax

    @property
    def margin(self) -> Decimal:
        return self.net - self.cost

    @property
    def basket(self) -> Decimal | None:
        return self.revenue / self.tickets if self.tickets else None


@dataclass
class Comparison:
    label: str
    previous_label: str
    current: Figures
    previous: Figures

    def change(self, attr: str) -> Decimal | None:
        """Percentage change of `attr` against the previous span (None when it was 0)."""
        now, before = getattr(self.current, attr), getattr(self.previous, attr)
        if before in (None, 0) or now is None:
            return None
        return (Decimal(now) - Decimal(before)) * 100 / abs(Decimal(before))


@dataclass
class Dashboard:
    currency: str
    today: date
    day: Comparison
    month: Comparison
    daily: dict  # chart spec: this month and last month, day by day
    monthly: dict  # chart spec: the last 12 months' revenue and margin
    methods: dict  # chart spec: this month's takings by payment method
    top_products: list[dict] = field(default_factory=list)
    low_stock: int = 0
    expenses_month: Decimal = ZERO
    profit_month: Decimal = ZERO
    cash_in_drawers: Decimal = ZERO
    open_sessions: int = 0


def _scope(business: Business, shop: Shop | None):
    qs = DailySales.objects.filter(business=business)
    return qs.filter(shop=shop) if shop is not None else qs


def _figures(qs, start: date, end: date) -> Figures:
    row = qs.filter(day__gte=start, day__lte=end).aggregate(
        revenue=Sum("revenue"), tax=Sum("tax"), cost=Sum("cost"), tickets=Sum("tickets")
    )
    return Figures(
        revenue=row["revenue"] or ZERO,
        tax=row["tax"] or ZERO,
        cost=row["cost"] or ZERO,
        tickets=row["tickets"] or 0,
    )


def month_start(day: date, back: int = 0) -> date:
    """The first day of `day`'s month, `back` months earlier."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _same_day_last_month(day: date) -> date:
    start = month_start(day, 1)
    last = calendar.monthrange(start.year, start.month)[1]
    return start.replace(day=min(day.day, last))


def _by_day(qs, start: date, end: date) -> dict[date, Decimal]:
    return {
        r["day"]: r["revenue"] or ZERO
        for r in qs.filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(revenue=Sum("revenue"))
        .order_by()
    }


def dashboard(*, business: Business, today: date, shop: Shop | None = None) -> Dashboard:
    from hanout.expenses.models import Expense
    from hanout.inventory.selectors import low_stock_list
    from hanout.pos.models import CashSession, SessionStatus

    currency = business.currency
    qs = _scope(business, shop)

    week_ago = today - timedelta(days=7)
    day = Comparison(
        label=_("Today"),
        previous_label=_("%(weekday)s last week") % {"weekday": date_format(week_ago, "l")},
        current=_figures(qs, today, today),
        previous=_figures(qs, week_ago, week_ago),
    )
    first = month_start(today)
    prev_first, prev_same = month_start(today, 1), _same_day_last_month(today)
    month = Comparison(
        label=_("This month"),
        previous_label=_("Same days last month"),
        current=_figures(qs, first, today),
        previous=_figures(qs, prev_first, prev_same),
    )

    # Day by day: this month so far against the whole of last month.
    prev_last = first - timedelta(days=1)
    this_days = _by_day(qs, first, today)
    last_days = _by_day(qs, prev_first, prev_last)
    length = max(today.day, prev_last.day)

    def series(values: dict, start: date, upto: int):
        return [
            str(quantize(values.get(start + timedelta(days=i), ZERO), currency))
            if i < upto
            else None
            for i in range(length)
        ]

    daily = {
        "type": "line",
        "currency": currency,
        "labels": [str(i + 1) for i in range(length)],
        "datasets": [
            {
                "label": date_format(first, "YEAR_MONTH_FORMAT"),
                "data": series(this_days, first, today.day),
            },
            {
                "label": date_format(prev_first, "YEAR_MONTH_FORMAT"),
                "data": series(last_days, prev_first, prev_last.day),
            },
        ],
    }

    # The last twelve months, revenue and margin (revenue without tax − cost).
    year_ago = month_start(today, 11)
    months = {
        (r["y"], r["m"]): r
        for r in qs.filter(day__gte=year_ago, day__lte=today)
        .annotate(y=ExtractYear("day"), m=ExtractMonth("day"))
        .values("y", "m")
        .annotate(revenue=Sum("revenue"), tax=Sum("tax"), cost=Sum("cost"))
        .order_by()
    }
    labels, revenue, margin = [], [], []
    for back in range(11, -1, -1):
        start = month_start(today, back)
        r = months.get((start.year, start.month))
        labels.append(date_format(start, "YEAR_MONTH_FORMAT"))
        revenue.append(str(quantize(r["revenue"] or ZERO, currency)) if r else "0")
        margin.append(
            str(
                quantize(
                    (r["revenue"] or ZERO) - (r["tax"] or ZERO) - (r["cost"] or ZERO), currency
                )
            )
            if r
            else "0"
        )
    monthly = {
        "type": "bar",
        "currency": currency,
        "labels": labels,
        "datasets": [
            {"label": _("Revenue"), "data": revenue},
            {"label": _("Margin"), "data": margin},
        ],
    }

    pay = qs.filter(day__gte=first, day__lte=today).aggregate(
        cash=Sum("cash"), card=Sum("card"), phone=Sum("phone"), points=Sum("points")
    )
    kinds = [("cash", _("Cash")), ("card", _("Card")), ("phone", _("Phone (QR)"))]
    if pay["points"]:  # only for shops that take loyalty points
        kinds.append(("points", _("Loyalty points")))
    methods = {
        "type": "doughnut",
        "currency": currency,
        "labels": [label for _key, label in kinds],
        "datasets": [
            {
                "label": _("Takings"),
                "data": [str(quantize(pay[k] or ZERO, currency)) for k, _label in kinds],
            }
        ],
    }

    products = DailyProductSales.objects.filter(business=business, day__gte=first, day__lte=today)
    if shop is not None:
        products = products.filter(shop=shop)
    top = product_totals(products, limit=TOP)
    top_products = [
        {
            "id": t["product_id"],
            "name": t["name"],
            "sku": t["sku"],
            "quantity": t["quantity"],
            "revenue": quantize(t["revenue"] or ZERO, currency),
        }
        for t in top
    ]

    expenses = (
        Expense.objects.filter(
            business=business, spent_on__gte=first, spent_on__lte=today
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )

    sessions = CashSession.objects.filter(business=business, status=SessionStatus.OPEN)
    if shop is not None:
        sessions = sessions.filter(register__shop=shop)
    open_sessions = list(sessions)
    cash = sum((s.expected_cash_now() for s in open_sessions), ZERO)

    low = low_stock_list(business=business)
    if shop is not None:
        low = low.filter(location__shop=shop)

    return Dashboard(
        currency=currency,
        today=today,
        day=day,
        month=month,
        daily=daily,
        monthly=monthly,
        methods=methods,
        top_products=top_products,
        low_stock=low.count(),
        expenses_month=quantize(expenses, currency),
        profit_month=quantize(month.current.margin - expenses, currency),
        cash_in_drawers=quantize(cash, currency),
        open_sessions=len(open_sessions),
    )


def shop_count(business: Business) -> int:
    return Shop.objects.filter(business=business).aggregate(n=Count("id"))["n"]
