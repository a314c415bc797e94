"""The sales report: what was sold over a span of days, grouped one way.

By day, month, product or category it reads the daily tables (both channels: the
register's tickets and the invoiced customer orders), so a year costs the same few
queries as a week. By register, employee, payment method or tax rate it reads the
register's own tickets of the span (those groupings only exist at the register);
its cost per register or employee is one query per row, and there are few of them.

Every row has `revenue` (tax included, net of returns and credit notes); `tax`, `cost`,
`net` and `margin` when they are known for that grouping (a payment method has no
cost); `tickets` and `quantity` where they make sense.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core.models import Business, Shop
from hanout.core.money import minor_unit, quantize
from hanout.reports.models import DailyProductSales, DailySales

ZERO = Decimal(0)
GROUPS = {
    "day": gettext_lazy("Day"),
    "month": gettext_lazy("Month"),
    "product": gettext_lazy("Product"),
    "category": gettext_lazy("Category"),
    "register": gettext_lazy("Register"),
    "employee": gettext_lazy("Employee"),
    "method": gettext_lazy("Payment method"),
    "tax_rate": gettext_lazy("Tax rate"),
}
REGISTER_ONLY = frozenset({"register", "employee", "method", "tax_rate"})
MAX_DAYS = 732  # day by day: two years at most (a longer span is a question for months)
MAX_YEARS_DAYS = 3660  # any other grouping: ten years
CHART_ROWS = 15


@dataclass
class Row:
    key: str
    label: str
    revenue: Decimal = ZERO
    tax: Decimal | None = ZERO
    cost: Decimal | None = ZERO
    tickets: int | None = None
    quantity: Decimal | None = None
    expenses: Decimal | None = None  # day and month, all shops: what was spent then

    @property
    def profit(self) -> Decimal | None:
        """Margin − expenses (where both are known)."""
        margin = self.margin
        return None if margin is None or self.expenses is None else margin - self.expenses

    @property
    def net(self) -> Decimal | None:
        return None if self.tax is None else self.revenue - self.tax

    @property
    def margin(self) -> Decimal | None:
        if self.tax is None or self.cost is None:
            return None
        return self.revenue - self.tax - self.cost

    @property
    def margin_rate(self) -> Decimal | None:
        """Margin as a share of the revenue without tax, in per cent."""
        net, margin = self.net, self.margin
        if not net or margin is None:
            return None
        return (margin * 100 / net).quantize(Decimal("0.1"))


@dataclass
class SalesReport:
    business: Business
    by: str
    start: date
    end: date
    shop: Shop | None
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    chart: dict = field(default_factory=dict)

    @property
    def currency(self) -> str:
        return self.business.currency

    @property
    def register_only(self) -> bool:
        return self.by in REGISTER_ONLY

    @property
    def group_label(self) -> str:
        return str(GROUPS[self.by])

    @property
    def has_expenses(self) -> bool:
        """Expenses belong to the business, not a shop: shown by day or month, all shops."""
        return self.total is not None and self.total.expenses is not None


def _money(value) -> Decimal:
    return Decimal(value or 0)


def _dec(value) -> Decimal:
    return Decimal(str(value)) if value is not None else ZERO


def sales_report(
    *, business: Business, start: date, end: date, by: str = "day", shop: Shop | None = None
) -> SalesReport:
    """The report for [start, end] (local days). `by` is one of GROUPS."""
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    report = SalesReport(business=business, by=by, start=start, end=end, shop=shop)
    report.rows = _ROWS[by](business, start, end, shop)
    unit = minor_unit(business.currency)
    for row in report.rows:  # as core.money.quantize (the amounts are Decimals already)
        row.revenue = row.revenue.quantize(unit, ROUND_HALF_UP)
        if row.tax is not None:
            row.tax = row.tax.quantize(unit, ROUND_HALF_UP)
        if row.cost is not None:
            row.cost = row.cost.quantize(unit, ROUND_HALF_UP)
    if by in ("day", "month") and shop is None:
        _add_expenses(report.rows, business, start, end, by)
    report.total = _total(report.rows, by)
    report.chart = _chart(report)
    return report


def _total(rows: list[Row], by: str) -> Row:
    total = Row(key="", label=_("Total"))
    # One pass over the rows (a year by day is 365 of them); a column with one unknown
    # (None) value has no total.
    revenue, tax, cost, tickets, quantity, expenses = ZERO, ZERO, ZERO, 0, ZERO, ZERO
    for r in rows:
        revenue += r.revenue
        if tax is not None:
            tax = None if r.tax is None else tax + r.tax
        if cost is not None:
            cost = None if r.cost is None else cost + r.cost
        if tickets is not None:
            tickets = None if r.tickets is None else tickets + r.tickets
        if quantity is not None:
            quantity = None if r.quantity is None else quantity + r.quantity
        if expenses is not None:
            expenses = None if r.expenses is None else expenses + r.expenses
    total.revenue, total.tax, total.cost = revenue, tax, cost
    # A ticket paid two ways is in two payment rows: no total of tickets there.
    if rows and by != "method" and tickets is not None:
        total.tickets = tickets
    if rows and quantity is not None:
        total.quantity = quantity
    if rows and expenses is not None:
        total.expenses = expenses
    return total


def _add_expenses(rows: list[Row], business, start, end, by: str) -> None:
    from hanout.expenses.models import Expense

    spent = Expense.objects.filter(business=business, spent_on__gte=start, spent_on__lte=end)
    if by == "day":
        found = {
            r["spent_on"].isoformat(): r["total"]
            for r in spent.values("spent_on").annotate(total=Sum("amount")).order_by()
        }
    else:
        found = {
            f"{r['y']:04d}-{r['m']:02d}": r["total"]
            for r in spent.annotate(y=ExtractYear("spent_on"), m=ExtractMonth("spent_on"))
            .values("y", "m")
            .annotate(total=Sum("amount"))
            .order_by()
        }
    zero = quantize(ZERO, business.currency)
    for row in rows:
        spent_then = found.get(row.key)
        row.expenses = zero if spent_then is None else quantize(spent_then, business.currency)


# --- from the daily tables -----------------------------------------------------------------------


def _daily(business, start, end, shop):
    qs = DailySales.objects.filter(business=business, day__gte=start, day__lte=end)
    return qs.filter(shop=shop) if shop is not None else qs


def _products(business, start, end, shop):
    qs = DailyProductSales.objects.filter(business=business, day__gte=start, day__lte=end)
    return qs.filter(shop=shop) if shop is not None else qs


SUMS = {
    "tickets": Sum("tickets"),
    "items": Sum("items"),
    "revenue": Sum("revenue"),
    "tax": Sum("tax"),
    "cost": Sum("cost"),
}


# Django's date format letters that are plain numbers: a short date such as "d/m/Y" is
# then written with one str.format per row instead of django.utils.dateformat (a year by
# day spent half its time there). The arguments: day, month, year, year % 100.
_NUMERIC = {"d": "{0:02d}", "j": "{0}", "m": "{1:02d}", "n": "{1}", "Y": "{2:04d}", "y": "{3:02d}"}


@lru_cache(maxsize=32)
def _numeric_format(fmt: str) -> str | None:
    """`fmt` as a str.format template when it has only numeric letters, else None."""
    parts: list[str] = []
    for ch in fmt:
        if ch in _NUMERIC:
            parts.append(_NUMERIC[ch])
        elif ch.isalpha() or ch == "\\":
            return None
        else:
            parts.append(ch.replace("{", "{{").replace("}", "}}"))
    return "".join(parts)


def _day_labeller():
    """A function writing a day in the active language's SHORT_DATE_FORMAT."""
    template = _numeric_format(get_format("SHORT_DATE_FORMAT"))
    if template is None:
        return lambda day: date_format(day, "SHORT_DATE_FORMAT")
    fill = template.format
    return lambda day: fill(day.day, day.month, day.year, day.year % 100)


def _by_day(business, start, end, shop) -> list[Row]:
    label = _day_labeller()
    found = {
        r[0]: r
        for r in _daily(business, start, end, shop)
        .values_list("day")
        .annotate(*SUMS.values())
        .order_by()
    }
    rows, day, one = [], start, timedelta(days=1)
    while day <= end:
        r = found.get(day)
        if r is None:
            row = Row(day.isoformat(), label(day), ZERO, ZERO, ZERO, 0, ZERO)
        else:
            _day, tickets, items, revenue, tax, cost = r
            row = Row(
                day.isoformat(),
                label(day),
                _money(revenue),
                _money(tax),
                _money(cost),
                tickets or 0,
                _dec(items),
            )
        rows.append(row)
        day += one
    return rows


def _by_month(business, start, end, shop) -> list[Row]:
    found = {
        (r["y"], r["m"]): r
        for r in _daily(business, start, end, shop)
        .annotate(y=ExtractYear("day"), m=ExtractMonth("day"))
        .values("y", "m")
        .annotate(**SUMS)
        .order_by()
    }
    rows = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        r = found.get((year, month), {})
        first = date(year, month, 1)
        rows.append(
            Row(
                key=f"{year:04d}-{month:02d}",
                label=date_format(first, "YEAR_MONTH_FORMAT"),
                revenue=_money(r.get("revenue")),
                tax=_money(r.get("tax")),
                cost=_money(r.get("cost")),
                tickets=r.get("tickets") or 0,
                quantity=_dec(r.get("items")),
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def product_totals(qs, *, order: str = "revenue", limit: int | None = None) -> list[dict]:
    """Sums of daily product rows `qs` per product, the biggest `order` ("revenue" or
    "quantity") first (ties by name), each with the product's name, SKU and category.

    The sums are grouped on the product id alone and the names read afterwards for the
    rows kept: grouping on the joined names as well made the database sort every
    product row of the period by text (about twice as slow on a quarter of 5M lines)."""
    from hanout.catalog.models import Product

    sums = (
        qs.values("product_id")
        .annotate(
            quantity=Sum("quantity"), revenue=Sum("revenue"), tax=Sum("tax"), cost=Sum("cost")
        )
        .order_by(f"-{order}", "product_id")
    )
    rows = list(sums[:limit] if limit else sums)
    names = {
        p["pk"]: p
        for p in Product.objects.filter(pk__in=[r["product_id"] for r in rows]).values(
            "pk", "name", "sku", "category__name"
        )
    }
    for r in rows:
        product = names.get(r["product_id"], {})
        r["name"] = product.get("name", "")
        r["sku"] = product.get("sku", "")
        r["category"] = product.get("category__name")
    rows.sort(key=lambda r: (-(r[order] or 0), r["name"]))
    return rows


def _by_product(business, start, end, shop) -> list[Row]:
    return [
        Row(
            key=str(r["product_id"]),
            label=f"{r['name']} · {r['sku']}" if r["sku"] else r["name"],
            revenue=_money(r["revenue"]),
            tax=_money(r["tax"]),
            cost=_money(r["cost"]),
            quantity=_dec(r["quantity"]),
        )
        for r in product_totals(_products(business, start, end, shop))
    ]


def _by_category(business, start, end, shop) -> list[Row]:
    return [
        Row(
            key=str(r["product__category_id"] or ""),
            label=r["product__category__name"] or _("No category"),
            revenue=_money(r["revenue"]),
            tax=_money(r["tax"]),
            cost=_money(r["cost"]),
            quantity=_dec(r["quantity"]),
        )
        for r in _products(business, start, end, shop)
        .values("product__category_id", "product__category__name")
        .annotate(
            quantity=Sum("quantity"), revenue=Sum("revenue"), tax=Sum("tax"), cost=Sum("cost")
        )
        .order_by("-revenue", "product__category__name")
    ]


# --- from the register's tickets -----------------------------------------------------------------


def _span(business, start, end, shop) -> tuple[datetime, datetime]:
    from hanout.pos.reports import day_bounds

    shop = shop or Shop.objects.for_business(business).order_by("created_at").first()
    tz = shop.tz if shop else None
    first, _end = day_bounds(start, tz)
    _start, last = day_bounds(end, tz)
    return first, last


def _sales(business, start, end, shop):
    from hanout.pos.models import Sale

    first, last = _span(business, start, end, shop)
    qs = Sale.objects.filter(business=business, sold_at__gte=first, sold_at__lt=last)
    return qs.filter(shop=shop) if shop is not None else qs


def _cost_of(business, sales) -> Decimal:
    """What these tickets took out of stock at average cost, less what returns put back."""
    from hanout.inventory.models import MovementReason, StockMovement

    value = StockMovement.objects.filter(
        business=business,
        group__in=sales.values("pk"),
        reason__in=[MovementReason.SALE, MovementReason.RETURN],
    ).aggregate(
        v=Sum(
            ExpressionWrapper(
                F("quantity") * F("unit_cost"),
                output_field=DecimalField(max_digits=28, decimal_places=6),
            )
        )
    )["v"]
    return -_money(value)


def _items_of(business, sales) -> Decimal:
    from hanout.pos.models import LineKind, SaleLine

    return _dec(
        SaleLine.objects.filter(
            business=business, sale__in=sales.values("pk"), kind=LineKind.PRODUCT
        ).aggregate(q=Sum("quantity"))["q"]
    )


def _by_sale_field(business, start, end, shop, key: str, label: str, empty: str) -> list[Row]:
    from hanout.pos.models import SaleKind

    sales = _sales(business, start, end, shop)
    rows = []
    for r in (
        sales.values(key, label)
        .annotate(
            tickets=Count("id", filter=Q(kind=SaleKind.SALE)),
            revenue=Sum("revenue"),
            tax=Sum("tax_total"),
        )
        .order_by("-revenue", label)
    ):
        mine = sales.filter(**{key: r[key]})
        rows.append(
            Row(
                key=str(r[key] or ""),
                label=r[label] or empty,
                revenue=_money(r["revenue"]),
                tax=_money(r["tax"]),
                cost=_cost_of(business, mine),
                tickets=r["tickets"],
                quantity=_items_of(business, mine),
            )
        )
    return rows


def _by_register(business, start, end, shop) -> list[Row]:
    return _by_sale_field(business, start, end, shop, "register_id", "register__name", "—")


def _by_employee(business, start, end, shop) -> list[Row]:
    rows = _by_sale_field(
        business, start, end, shop, "cashier_id", "cashier__full_name", _("Unknown")
    )
    return rows


def _by_method(business, start, end, shop) -> list[Row]:
    from hanout.pos.models import Payment, PaymentMethod

    names = dict(PaymentMethod.choices)
    sales = _sales(business, start, end, shop)
    return [
        Row(
            key=r["method"],
            label=str(names.get(r["method"], r["method"])),
            revenue=_money(r["amount"]),
            tax=None,
            cost=None,
            tickets=r["tickets"],
        )
        for r in Payment.objects.filter(business=business, sale__in=sales.values("pk"))
        .values("method")
        .annotate(amount=Sum("amount"), tickets=Count("sale", distinct=True))
        .order_by("-amount", "method")
    ]


def _by_tax_rate(business, start, end, shop) -> list[Row]:
    from hanout.pos.models import LineKind, SaleLine

    sales = _sales(business, start, end, shop)
    return [
        Row(
            key=str(r["tax_rate"]),
            label=f"{Decimal(str(r['tax_rate'])).normalize():f} %",
            revenue=_money(r["revenue"]),
            tax=_money(r["tax"]),
            cost=None,
            quantity=_dec(r["quantity"]),
        )
        for r in SaleLine.objects.filter(
            business=business, sale__in=sales.values("pk"), kind=LineKind.PRODUCT
        )
        .values("tax_rate")
        .annotate(revenue=Sum("total"), tax=Sum("tax_amount"), quantity=Sum("quantity"))
        .order_by("tax_rate")
    ]


_ROWS = {
    "day": _by_day,
    "month": _by_month,
    "product": _by_product,
    "category": _by_category,
    "register": _by_register,
    "employee": _by_employee,
    "method": _by_method,
    "tax_rate": _by_tax_rate,
}


def _chart(report: SalesReport) -> dict:
    """A line (days), bars (months) or the top rows as bars, revenue and margin."""
    rows = report.rows
    if report.by not in ("day", "month"):
        rows = sorted(rows, key=lambda r: r.revenue, reverse=True)[:CHART_ROWS]
    datasets = [{"label": _("Sales"), "data": [str(r.revenue) for r in rows]}]
    margins = [r.margin for r in rows]
    if all(m is not None for m in margins):
        datasets.append({"label": _("Margin"), "data": [str(m) for m in margins]})
    return {
        "type": "line" if report.by == "day" else "bar",
        "currency": report.currency,
        "labels": [r.label for r in rows],
        "datasets": datasets,
    }
