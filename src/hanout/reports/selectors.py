"""Reads for the dashboard, from the daily tables (never from the whole ledger).

`dashboard()` compares today with the same weekday a week before (a shop's Tuesday
looks like its last Tuesday, not like its Monday) and this month so far with the same
days of last month. Its query count does not depend on how many sales there are: six,
one of them for the whole daily table's year (day by day for this month and last, one
row per month before), summed per span in Python.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, Func, Sum, Value
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hanout.core.models import Business, Shop
from hanout.core.money import minor_unit
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


def month_start(day: date, back: int = 0) -> date:
    """The first day of `day`'s month, `back` months earlier."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _same_day_last_month(day: date) -> date:
    start = month_start(day, 1)
    last = calendar.monthrange(start.year, start.month)[1]
    return start.replace(day=min(day.day, last))


SUMS = ("revenue", "tax", "cost", "tickets", "cash", "card", "phone", "points")
REVENUE, TAX, COST, TICKETS, CASH, CARD, PHONE, POINTS = range(len(SUMS))


class DayOrMonth(Func):
    """`day` itself from `since` on, else the first day of its month (a date).

    Written per database with its own string or date functions: Django's `TruncMonth`
    on SQLite calls a Python function for every row, and a CASE of ten date
    comparisons (one per month) costs about a millisecond to build through the ORM."""

    output_field = DateField()

    def __init__(self, day, since: date):
        super().__init__(day, Value(since, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra_context):
        (day, day_params), (since, since_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        if connection.vendor == "sqlite":  # dates are 'YYYY-MM-DD' text
            month = f"substr({day}, 1, 7) || '-01'"
        else:
            month = f"CAST(date_trunc('month', CAST({day} AS timestamp)) AS date)"
        sql = f"CASE WHEN {day} >= {since} THEN {day} ELSE {month} END"
        return sql, (*day_params, *since_params, *day_params, *day_params)


def _daily_sums(qs, today: date) -> tuple[dict[date, tuple], dict[date, tuple]]:
    """The twelve months up to `today` in one query: this month and last month day by
    day, the ten months before them one row each (keyed by their first day). Each value
    is the tuple of the `SUMS` of that day or month, Decimals (ints for tickets)."""
    prev_first = month_start(today, 1)
    rows = (
        qs.filter(day__gte=month_start(today, 11), day__lte=today)
        .values_list(DayOrMonth(F("day"), prev_first))
        .annotate(*[Sum(name) for name in SUMS])
        .order_by()
    )
    days: dict[date, tuple] = {}
    months: dict[date, tuple] = {}
    for key, *sums in rows:
        values = tuple(ZERO if v is None else v for v in sums)
        (days if key >= prev_first else months)[key] = values
    return days, months


def _add(rows, columns: range | tuple) -> list:
    """Column sums of `rows` (tuples of SUMS) for the given column indexes."""
    return [sum((r[i] for r in rows), ZERO) for i in columns]


def _figures(days: dict[date, tuple], start: date, end: date) -> Figures:
    chosen = [v for d, v in days.items() if start <= d <= end]
    revenue, tax, cost, tickets = _add(chosen, (REVENUE, TAX, COST, TICKETS))
    return Figures(revenue=revenue, tax=tax, cost=cost, tickets=int(tickets))


def dashboard(*, business: Business, today: date, shop: Shop | None = None) -> Dashboard:
    from hanout.expenses.models import Expense
    from hanout.inventory.selectors import low_stock_list
    from hanout.pos.models import CashSession, SessionStatus

    currency = business.currency
    unit = minor_unit(currency)

    def money(value) -> Decimal:
        return Decimal(value).quantize(unit, rounding=ROUND_HALF_UP)  # as core.money.quantize

    days, older = _daily_sums(_scope(business, shop), today)

    week_ago = today - timedelta(days=7)
    day = Comparison(
        label=_("Today"),
        previous_label=_("%(weekday)s last week") % {"weekday": date_format(week_ago, "l")},
        current=_figures(days, today, today),
        previous=_figures(days, week_ago, week_ago),
    )
    first = month_start(today)
    prev_first, prev_same = month_start(today, 1), _same_day_last_month(today)
    month = Comparison(
        label=_("This month"),
        previous_label=_("Same days last month"),
        current=_figures(days, first, today),
        previous=_figures(days, prev_first, prev_same),
    )

    # Day by day: this month so far against the whole of last month.
    prev_last = first - timedelta(days=1)
    length = max(today.day, prev_last.day)

    zero = str(money(ZERO))

    def series(start: date, upto: int) -> list[str | None]:
        data: list[str | None] = []
        for i in range(length):
            r = days.get(start + timedelta(days=i)) if i < upto else None
            data.append(None if i >= upto else str(money(r[REVENUE])) if r else zero)
        return data

    daily = {
        "type": "line",
        "currency": currency,
        "labels": [str(i + 1) for i in range(length)],
        "datasets": [
            {
                "label": date_format(first, "YEAR_MONTH_FORMAT"),
                "data": series(first, today.day),
            },
            {
                "label": date_format(prev_first, "YEAR_MONTH_FORMAT"),
                "data": series(prev_first, prev_last.day),
            },
        ],
    }

    # The last twelve months, revenue and margin (revenue without tax − cost).
    this_month = [v for d, v in days.items() if d >= first]
    last_month = [v for d, v in days.items() if d < first]
    older[first] = tuple(_add(this_month, range(len(SUMS)))) if this_month else None
    older[prev_first] = tuple(_add(last_month, range(len(SUMS)))) if last_month else None
    labels, revenue, margin = [], [], []
    for back in range(11, -1, -1):
        start = month_start(today, back)
        r = older.get(start)
        labels.append(date_format(start, "YEAR_MONTH_FORMAT"))
        revenue.append(str(money(r[REVENUE])) if r else "0")
        margin.append(str(money(r[REVENUE] - r[TAX] - r[COST])) if r else "0")
    monthly = {
        "type": "bar",
        "currency": currency,
        "labels": labels,
        "datasets": [
            {"label": _("Revenue"), "data": revenue},
            {"label": _("Margin"), "data": margin},
        ],
    }

    pay = dict(
        zip(
            ("cash", "card", "phone", "points"),
            _add(this_month, (CASH, CARD, PHONE, POINTS)),
            strict=True,
        )
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
                "data": [str(money(pay[k])) for k, _label in kinds],
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
            "revenue": money(t["revenue"] or ZERO),
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
    # As CashSession.expected_cash_now(), without building the sessions.
    open_sessions = list(
        sessions.values_list(
            "opening_float",
            "cash_in",
            "cash_change",
            "withdrawals",
            "cash_refunds",
            "paid_in",
            "paid_out",
        )
    )
    cash = sum(
        (
            float_ + cash_in - change - withdrawn - refunds + paid_in - paid_out
            for float_, cash_in, change, withdrawn, refunds, paid_in, paid_out in open_sessions
        ),
        ZERO,
    )

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
        expenses_month=money(expenses),
        profit_month=money(month.current.margin - expenses),
        cash_in_drawers=money(cash),
        open_sessions=len(open_sessions),
    )


def shop_count(business: Business) -> int:
    return Shop.objects.filter(business=business).aggregate(n=Count("id"))["n"]
