"""The Reports section's other reports, each a `tables.Table`: top products (by quantity or
by sales), profit (sales − cost − expenses), customers and expenses. Periods are local
days, both ends included.

- Top products and profit read the daily tables (as the sales report does), so a year
  costs the same few queries as a week.
- Customers reads the register's tickets and the customer orders of the period that
  carry a customer: four queries whatever the number of customers.
- Expenses reads the expense list (it has no shop: expenses belong to the business).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Max, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hanout.core.models import Business, Shop
from hanout.core.money import quantize
from hanout.reports.models import DailyProductSales
from hanout.reports.selectors_sales import product_totals
from hanout.reports.tables import Column, Table, chart_of

ZERO = Decimal(0)
TOP_LIMITS = (10, 25, 50, 100)
_MONEY = DecimalField(max_digits=28, decimal_places=6)


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _margin_rate(margin: Decimal | None, net: Decimal | None) -> Decimal | None:
    if margin is None or not net:
        return None
    return (margin * 100 / net).quantize(Decimal("0.1"))


# --- top products --------------------------------------------------------------------------------


def top_products(
    *,
    business: Business,
    start: date,
    end: date,
    shop: Shop | None = None,
    sort: str = "revenue",
    limit: int = 25,
) -> Table:
    """The `limit` products that sold the most by `sort` ("revenue" or "quantity"), each
    with its share of the period's total of that measure. Ties go by name."""
    if sort not in ("revenue", "quantity"):
        raise ValueError(f"unknown sort {sort!r}")
    currency = business.currency
    qs = DailyProductSales.objects.filter(business=business, day__gte=start, day__lte=end)
    if shop is not None:
        qs = qs.filter(shop=shop)
    whole = qs.aggregate(q=Sum("quantity"), r=Sum("revenue"), t=Sum("tax"), c=Sum("cost"))
    whole_measure = Decimal(whole["q" if sort == "quantity" else "r"] or 0)
    whole_revenue = quantize(Decimal(whole["r"] or 0), currency)
    whole_net = whole_revenue - quantize(Decimal(whole["t"] or 0), currency)
    whole_margin = whole_net - quantize(Decimal(whole["c"] or 0), currency)
    found = product_totals(qs, order=sort, limit=limit)
    rows = []
    for rank, r in enumerate(found, start=1):
        revenue = quantize(Decimal(r["revenue"] or 0), currency)
        net = revenue - quantize(Decimal(r["tax"] or 0), currency)
        margin = net - quantize(Decimal(r["cost"] or 0), currency)
        quantity = Decimal(r["quantity"] or 0)
        rows.append(
            {
                "key": str(r["product_id"]),
                "rank": rank,
                "product": r["name"],
                "sku": r["sku"] or "",
                "category": r["category"] or _("No category"),
                "quantity": quantity,
                "revenue": revenue,
                "margin": margin,
                "margin_rate": _margin_rate(margin, net),
                "share": _share(quantity if sort == "quantity" else revenue, whole_measure),
            }
        )
    measure = _("quantity sold") if sort == "quantity" else _("sales")
    table = Table(
        slug="top-products",
        title=_("Top products"),
        business=business,
        start=start,
        end=end,
        shop=shop,
        columns=[
            Column("rank", "#", "int"),
            Column("product", _("Product")),
            Column("sku", _("Article number")),
            Column("category", _("Category")),
            Column("quantity", _("Quantity"), "qty"),
            Column("revenue", _("Sales"), "money"),
            Column("margin", _("Margin"), "money"),
            Column("margin_rate", _("Margin %"), "percent"),
            Column("share", _("Share of the total %"), "percent"),
        ],
        rows=rows,
        total={
            "product": _("All products"),
            "quantity": Decimal(whole["q"] or 0),
            "revenue": whole_revenue,
            "margin": whole_margin,
            "margin_rate": _margin_rate(whole_margin, whole_net),
            "share": Decimal(100) if whole_measure else None,
        },
        subtitle=_("The %(count)s best by %(measure)s") % {"count": limit, "measure": measure},
        note=_(
            "Register tickets and invoiced customer orders, net of returns; sales are tax "
            "included; the share is of all products' %(measure)s in the period."
        )
        % {"measure": measure},
        empty=_("Nothing was sold in this period."),
    )
    table.chart = chart_of(
        table,
        label_key="product",
        series=[(sort, _("Quantity") if sort == "quantity" else _("Sales"))],
        money=sort == "revenue",
    )
    return table


# --- profit --------------------------------------------------------------------------------------


def profit(*, business: Business, start: date, end: date, by: str = "month") -> Table:
    """Sales − cost − expenses by day or month, for the whole business (expenses have no
    shop): the sales report's figures with the expenses of the same days."""
    from hanout.reports.selectors_sales import sales_report

    if by not in ("day", "month"):
        raise ValueError(f"unknown grouping {by!r}")
    report = sales_report(business=business, start=start, end=end, by=by)

    def row(r, label=None) -> dict:
        return {
            "key": r.key,
            "period": label or r.label,
            "revenue": r.revenue,
            "net": r.net,
            "cost": r.cost,
            "margin": r.margin,
            "expenses": r.expenses,
            "profit": r.profit,
            "profit_rate": _margin_rate(r.profit, r.net),
        }

    table = Table(
        slug="profit",
        title=_("Profit"),
        business=business,
        start=start,
        end=end,
        columns=[
            Column("period", _("Day") if by == "day" else _("Month")),
            Column("revenue", _("Sales"), "money"),
            Column("net", _("Sales without tax"), "money"),
            Column("cost", _("Cost"), "money"),
            Column("margin", _("Margin"), "money"),
            Column("expenses", _("Expenses"), "money"),
            Column("profit", _("Profit"), "money"),
            Column("profit_rate", _("Profit %"), "percent"),
        ],
        rows=[row(r) for r in report.rows],
        total=row(report.total, _("Total")),
        note=_(
            "Profit is sales without tax, minus the cost of the goods sold (their average "
            "cost when they went out), minus the expenses dated in the period. All shops."
        ),
        empty=_("Nothing in this period."),
    )
    table.chart = chart_of(
        table,
        label_key="period",
        series=[("margin", _("Margin")), ("expenses", _("Expenses")), ("profit", _("Profit"))],
    )
    return table


# --- customers -----------------------------------------------------------------------------------


def customers(
    *, business: Business, start: date, end: date, shop: Shop | None = None, limit: int = 100
) -> Table:
    """The customers who bought in the period, biggest spenders first (`limit` of them):
    register tickets (net of returns) and customer orders that went ahead; the margin is
    the tickets' (sales without tax − the goods' cost when they went out)."""
    from hanout.customers.models import Customer
    from hanout.customers.selectors_crm import GONE_ORDER_STATUSES
    from hanout.inventory.models import MovementReason, StockMovement
    from hanout.pos.models import Sale, SaleKind
    from hanout.reports.selectors_sales import _span
    from hanout.sales.models import CustomerOrder

    currency = business.currency
    first, last = _span(business, start, end, shop)
    tickets = Sale.objects.filter(
        business=business, customer__isnull=False, sold_at__gte=first, sold_at__lt=last
    )
    orders = CustomerOrder.objects.filter(
        business=business, created_at__gte=first, created_at__lt=last
    ).exclude(status__in=GONE_ORDER_STATUSES)
    if shop is not None:
        tickets = tickets.filter(shop=shop)
        orders = orders.filter(location__shop=shop)
    people: dict = {}

    def person(pk) -> dict:
        return people.setdefault(
            pk,
            {
                "key": str(pk),
                "tickets": 0,
                "orders": 0,
                "spent": ZERO,
                "net": ZERO,
                "cost": ZERO,
                "last": None,
            },
        )

    for r in (
        tickets.values("customer_id")
        .annotate(
            n=Count("id", filter=Q(kind=SaleKind.SALE)),
            spent=Sum("revenue"),
            tax=Sum("tax_total"),
            last=Max("sold_at"),
        )
        .order_by()
    ):
        p = person(r["customer_id"])
        p["tickets"] = r["n"]
        p["spent"] += Decimal(r["spent"] or 0)
        p["net"] += Decimal(r["spent"] or 0) - Decimal(r["tax"] or 0)
        p["last"] = r["last"]
    owner = dict(tickets.values_list("pk", "customer_id"))
    if owner:
        for r in (
            StockMovement.objects.filter(
                business=business,
                group__in=tickets.values("pk"),
                reason__in=[MovementReason.SALE, MovementReason.RETURN],
            )
            .values("group")
            .annotate(c=Sum(F("quantity") * F("unit_cost"), output_field=_MONEY))
            .order_by()
        ):
            person(owner[r["group"]])["cost"] -= Decimal(r["c"] or 0)
    for r in (
        orders.values("customer_id")
        .annotate(n=Count("id"), spent=Sum("total"), last=Max("created_at"))
        .order_by()
    ):
        p = person(r["customer_id"])
        p["orders"] = r["n"]
        p["spent"] += Decimal(r["spent"] or 0)
        if p["last"] is None or r["last"] > p["last"]:
            p["last"] = r["last"]
    named = {
        c["pk"]: c
        for c in Customer.objects.filter(business=business, pk__in=list(people)).values(
            "pk", "name", "phone"
        )
    }
    zone = shop.tz if shop else None
    rows = []
    for pk, p in people.items():
        margin = quantize(p["net"], currency) - quantize(p["cost"], currency)
        last_day = p["last"].astimezone(zone).date() if isinstance(p["last"], datetime) else None
        rows.append(
            {
                "key": p["key"],
                "customer": named.get(pk, {}).get("name", "—"),
                "phone": named.get(pk, {}).get("phone", ""),
                "tickets": p["tickets"],
                "orders": p["orders"],
                "spent": quantize(p["spent"], currency),
                "margin": margin,
                "last": last_day,
            }
        )
    rows.sort(key=lambda r: (-r["spent"], r["customer"]))
    everyone = len(rows)
    total = {
        "customer": _("Total (%(count)s customers)") % {"count": everyone},
        "tickets": sum(r["tickets"] for r in rows),
        "orders": sum(r["orders"] for r in rows),
        "spent": sum((r["spent"] for r in rows), ZERO),
        "margin": sum((r["margin"] for r in rows), ZERO),
    }
    new = Customer.objects.filter(
        business=business, created_at__gte=first, created_at__lt=last
    ).count()
    table = Table(
        slug="customers",
        title=_("Customers"),
        business=business,
        start=start,
        end=end,
        shop=shop,
        columns=[
            Column("customer", _("Customer")),
            Column("phone", _("Phone")),
            Column("tickets", _("Tickets"), "int"),
            Column("orders", _("Orders"), "int"),
            Column("spent", _("Spent"), "money"),
            Column("margin", _("Margin on tickets"), "money"),
            Column("last", _("Last purchase"), "date"),
        ],
        rows=rows[:limit],
        total=total,
        subtitle=_("%(buyers)s customers bought, %(new)s new customer cards")
        % {"buyers": everyone, "new": new},
        note=_(
            "Tickets net of returns and customer orders that went ahead (not cancelled), "
            "tax included. Sales without a customer are not here. The table shows the "
            "%(limit)s biggest spenders; the total counts everyone."
        )
        % {"limit": limit},
        empty=_("No customer bought in this period."),
    )
    table.chart = chart_of(table, label_key="customer", series=[("spent", _("Spent"))], limit=15)
    return table


# --- expenses ------------------------------------------------------------------------------------


def expenses(*, business: Business, start: date, end: date, by: str = "category") -> Table:
    """What was spent in the period by category or by month, with each row's share."""
    from hanout.expenses.models import Expense
    from hanout.expenses.selectors import summary

    if by not in ("category", "month"):
        raise ValueError(f"unknown grouping {by!r}")
    currency = business.currency
    qs = Expense.objects.filter(business=business, spent_on__gte=start, spent_on__lte=end)
    found = summary(qs=qs, group=by)
    if by == "month":  # every month of the span, those without expenses at zero
        known = {r["key"]: r for r in found}
        found, year, month = [], start.year, start.month
        while (year, month) <= (end.year, end.month):
            key = f"{year:04d}-{month:02d}"
            found.append(known.get(key, {"key": key, "total": ZERO, "count": 0}))
            found[-1]["label"] = date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    whole = sum((Decimal(r["total"] or 0) for r in found), ZERO)
    rows = [
        {
            "key": r["key"],
            "group": str(r["label"]),
            "count": r["count"],
            "amount": quantize(Decimal(r["total"] or 0), currency),
            "share": _share(Decimal(r["total"] or 0), whole),
        }
        for r in found
    ]
    table = Table(
        slug="expenses",
        title=_("Expenses"),
        business=business,
        start=start,
        end=end,
        columns=[
            Column("group", _("Category") if by == "category" else _("Month")),
            Column("count", _("Expenses"), "int"),
            Column("amount", _("Amount"), "money"),
            Column("share", _("Share %"), "percent"),
        ],
        rows=rows,
        total={
            "group": _("Total"),
            "count": sum(r["count"] for r in rows),
            "amount": quantize(whole, currency),
            "share": Decimal(100) if whole else None,
        },
        note=_("Expenses dated in the period, whatever shop they were for."),
        empty=_("No expense in this period."),
    )
    table.chart = chart_of(
        table,
        label_key="group",
        series=[("amount", _("Amount"))],
        kind="doughnut" if by == "category" else "bar",
    )
    return table


# --- by name (the scheduled emails) -------------------------------------------------------------


def table_report(
    slug: str, *, business: Business, start: date, end: date, shop=None, by: str = ""
) -> Table:
    """The table report `slug` for a period; `by` is its variant (top-products: revenue or
    quantity; profit: month or day; expenses: category or month; customers: none)."""
    if slug == "top-products":
        return top_products(
            business=business, start=start, end=end, shop=shop, sort=by or "revenue"
        )
    if slug == "profit":
        return profit(business=business, start=start, end=end, by=by or "month")
    if slug == "customers":
        return customers(business=business, start=start, end=end, shop=shop)
    if slug == "expenses":
        return expenses(business=business, start=start, end=end, by=by or "category")
    raise ValueError(f"unknown report {slug!r}")


# --- adapters: the stock valuation and the supplier performance as tables ------------------------


def valuation_table(valuation, *, business: Business, day: date | None) -> Table:
    """`inventory.selectors.valuation()` as a table (its page's chart and files)."""
    by_category = valuation.group_by == "category"
    table = Table(
        slug=f"stock-valuation-{valuation.group_by}",
        title=_("Stock valuation"),
        business=business,
        end=day or valuation.at.date(),
        columns=[
            Column("group", _("Category") if by_category else _("Location")),
            Column("products", _("Products"), "int"),
            Column("quantity", _("Quantity"), "qty"),
            Column("value", _("Value"), "money"),
            Column("share", _("Share %"), "percent"),
        ],
        rows=[
            {
                "key": str(r.key or ""),
                "group": r.label,
                "products": r.products,
                "quantity": r.quantity,
                "value": r.value,
                "share": _share(r.value, valuation.total),
            }
            for r in valuation.rows
        ],
        total={
            "group": _("Total"),
            "quantity": valuation.total_quantity,
            "value": valuation.total,
            "share": Decimal(100) if valuation.total else None,
        },
        subtitle=(
            _("Value at the end of %(day)s") % {"day": date_format(day, "DATE_FORMAT")}
            if day
            else _("Value now")
        ),
        note=_("At weighted average cost, recomputed from the ledger."),
        empty=_("No stock at that date."),
    )
    table.chart = chart_of(
        table, label_key="group", series=[("value", _("Value"))], kind="doughnut"
    )
    return table


def performance_table(report, *, business: Business) -> Table:
    """`purchasing.performance.supplier_performance()` as a table (for its PDF)."""
    rows = [
        {
            "supplier": r.name if r.supplier_id else _("All suppliers"),
            "orders": r.orders,
            "receipt_lines": r.receipt_lines,
            "on_time_rate": r.on_time_rate,
            "lead_time": r.lead_time_days,
            "ordered": r.ordered_quantity,
            "received": r.received_quantity,
            "fill_rate": r.fill_rate,
            "spend": quantize(r.spend, business.currency),
        }
        for r in [*report.rows, report.total]
    ]
    return Table(
        slug="supplier-performance",
        title=_("Supplier performance"),
        business=business,
        start=report.date_from,
        end=report.date_to,
        columns=[
            Column("supplier", _("Supplier")),
            Column("orders", _("Purchase orders"), "int"),
            Column("receipt_lines", _("Receipt lines"), "int"),
            Column("on_time_rate", _("On time %"), "percent"),
            Column("lead_time", _("Average lead time (days)"), "qty"),
            Column("ordered", _("Ordered quantity"), "qty"),
            Column("received", _("Received quantity"), "qty"),
            Column("fill_rate", _("Fill rate %"), "percent"),
            Column("spend", _("Spend"), "money"),
        ],
        rows=rows[:-1],
        total=rows[-1],
        note=_(
            "Purchase orders sent in the period (not cancelled). On time: receipt lines "
            "delivered by the expected date. Fill rate: what came of what was ordered, "
            "line by line. Spend: the supplier's invoices dated in the period, tax included."
        ),
        empty=_("No purchase order or invoice in this period."),
    )
