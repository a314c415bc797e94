"""Keeping the daily tables: recompute a shop's day from its source rows.

What counts, per channel (the owner guide says the same in words):

- **register**: every ticket and till return sold that local day (`Sale.sold_at`, so a
  ticket made offline lands on the day it was sold, whenever it arrived). Revenue is
  `Sale.revenue` (withdrawals excluded, returns negative); cost is what the sale's stock
  movements took out at average cost, less what its returns put back.
- **orders**: invoices for customer orders issued that day, less the credit notes on
  them; cost is what the invoiced orders' shipments took out, less the goods their
  returns put back. Invoices made from a till ticket are not counted again.

`daily_refresh` replaces a shop's day in one transaction (idempotent: run it twice,
the same rows). `daily_refresh_pending` finds the days touched by rows created since
the business's `RefreshMark` and refreshes only those: the job queue runs it every few
minutes for every business, and a report page runs it for its own business before
reading, so what it shows always matches the books.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from hanout.core.models import Business, Shop
from hanout.reports.models import Channel, DailyProductSales, DailySales, RefreshMark, StaleDay

ZERO = Decimal(0)
MILL = Decimal("0.001")
# A change is folded in once the row's transaction has surely committed: rows created in
# the last seconds are looked at again by the next run (re-refreshing a day is harmless).
SETTLE = timedelta(seconds=30)


def _day_bounds(day: date, tz) -> tuple[datetime, datetime]:
    from hanout.pos.reports import day_bounds

    return day_bounds(day, tz)


def _value():
    """quantity × unit cost of a movement, as a Decimal expression."""
    return ExpressionWrapper(
        F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=28, decimal_places=6)
    )


def _money(value) -> Decimal:
    return Decimal(value or 0)


def _mill(value) -> Decimal:
    return Decimal(value).quantize(MILL, rounding=ROUND_HALF_UP)


@transaction.atomic
def daily_refresh(*, business: Business, shop: Shop, day: date) -> list[DailySales]:
    """Recompute `shop`'s figures for the local `day`, replacing the old rows."""
    start, end = _day_bounds(day, shop.tz)
    now = timezone.now()
    DailySales.objects.filter(business=business, shop=shop, day=day).delete()
    DailyProductSales.objects.filter(business=business, shop=shop, day=day).delete()
    rows: list[DailySales] = []
    products: dict = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])  # quantity, revenue, tax, cost

    register = _register_day(business, shop, start, end, products)
    if register is not None:
        rows.append(register)
    orders = _orders_day(business, shop, start, end, products)
    if orders is not None:
        rows.append(orders)
    for row in rows:
        row.business, row.shop, row.day, row.refreshed_at = business, shop, day, now
        # Σ quantity × unit cost has up to 6 places; the column keeps 3. Rounded here (as
        # PostgreSQL would on insert), SQLite stores the same figure instead of a float.
        row.cost = _mill(row.cost)
    DailySales.objects.bulk_create(rows)
    DailyProductSales.objects.bulk_create(
        [
            DailyProductSales(
                business=business,
                shop=shop,
                day=day,
                product_id=pid,
                quantity=q,
                revenue=r,
                tax=t.quantize(MILL),
                cost=_mill(c),
            )
            for pid, (q, r, t, c) in products.items()
            if q or r or t or c
        ]
    )
    return rows


def _register_day(business, shop, start, end, products) -> DailySales | None:
    from hanout.inventory.models import MovementReason, StockMovement
    from hanout.pos.models import LineKind, Payment, Sale, SaleKind, SaleLine

    sales = Sale.objects.filter(business=business, shop=shop, sold_at__gte=start, sold_at__lt=end)
    totals = sales.aggregate(
        tickets=Count("id", filter=Q(kind=SaleKind.SALE)),
        returns=Count("id", filter=Q(kind=SaleKind.RETURN)),
        revenue=Sum("revenue"),
        tax=Sum("tax_total"),
        discount=Sum("discount_total"),
        withdrawals=Sum("withdrawal_total"),
    )
    if not totals["tickets"] and not totals["returns"]:
        return None
    row = DailySales(
        channel=Channel.REGISTER,
        tickets=totals["tickets"],
        returns=totals["returns"],
        revenue=_money(totals["revenue"]),
        tax=_money(totals["tax"]),
        discount=_money(totals["discount"]),
        withdrawals=_money(totals["withdrawals"]),
    )
    ids = sales.values("pk")
    for p in (
        Payment.objects.filter(business=business, sale__in=ids)
        .values("method")
        .annotate(amount=Sum("amount"))
    ):
        if p["method"] in ("cash", "card", "phone", "points"):
            setattr(row, p["method"], _money(p["amount"]))
    # A withdrawal is paid by card (or phone) and handed over in cash: it is not takings.
    # Each ticket's withdrawal comes off what paid for it, card first, then phone, then cash.
    if row.withdrawals:
        paid: dict = defaultdict(dict)
        for sale_id, method, amount in (
            Payment.objects.filter(business=business, sale__in=sales.filter(withdrawal_total__gt=0))
            .values_list("sale_id", "method")
            .annotate(amount=Sum("amount"))
            .order_by()
        ):
            paid[sale_id][method] = _money(amount)
        for sale_id, withdrawn in sales.filter(withdrawal_total__gt=0).values_list(
            "pk", "withdrawal_total"
        ):
            left = withdrawn
            for method in ("card", "phone", "cash"):
                take = min(left, max(paid[sale_id].get(method, ZERO), ZERO))
                setattr(row, method, getattr(row, method) - take)
                left -= take
    for line in (
        SaleLine.objects.filter(business=business, sale__in=ids, kind=LineKind.PRODUCT)
        .values("product_id")
        .annotate(quantity=Sum("quantity"), revenue=Sum("total"), tax=Sum("tax_amount"))
    ):
        if line["product_id"] is None:
            continue
        entry = products[line["product_id"]]
        entry[0] += _money(line["quantity"])
        entry[1] += _money(line["revenue"])
        entry[2] += _money(line["tax"])
        row.items += _money(line["quantity"])
    for m in (
        StockMovement.objects.filter(
            business=business,
            group__in=ids,
            reason__in=[MovementReason.SALE, MovementReason.RETURN],
        )
        .values("product_id")
        .annotate(value=Sum(_value()))
    ):
        cost = -_money(m["value"])  # goods out are negative quantities
        products[m["product_id"]][3] += cost
        row.cost += cost
    return row


def _line_tax():
    """The tax inside an invoice line's total (tax included): total × rate / (100 + rate)."""
    return ExpressionWrapper(
        F("total") * F("tax_rate") / (F("tax_rate") + 100),
        output_field=DecimalField(max_digits=28, decimal_places=6),
    )


def _orders_day(business, shop, start, end, products) -> DailySales | None:
    from hanout.inventory.models import StockMovement
    from hanout.sales.models import CustomerReturn, Invoice, InvoiceKind, InvoiceLine, ShipmentLine

    in_day = Q(business=business, issued_at__gte=start, issued_at__lt=end)
    invoices = Invoice.objects.filter(
        in_day, kind=InvoiceKind.INVOICE, order__isnull=False, order__location__shop=shop
    )
    notes = Invoice.objects.filter(
        in_day,
        kind=InvoiceKind.CREDIT_NOTE,
        credited_invoice__order__isnull=False,
        credited_invoice__order__location__shop=shop,
    )
    inv = invoices.aggregate(n=Count("id"), total=Sum("total"), tax=Sum("tax_total"))
    cn = notes.aggregate(n=Count("id"), total=Sum("total"), tax=Sum("tax_total"))
    if not inv["n"] and not cn["n"]:
        return None
    row = DailySales(
        channel=Channel.ORDERS,
        tickets=inv["n"],
        returns=cn["n"],
        revenue=_money(inv["total"]) - _money(cn["total"]),
        tax=_money(inv["tax"]) - _money(cn["tax"]),
    )
    for qs, sign in ((invoices, 1), (notes, -1)):
        for line in (
            InvoiceLine.objects.filter(business=business, invoice__in=qs.values("pk"))
            .values("product_id")
            .annotate(quantity=Sum("quantity"), revenue=Sum("total"), tax=Sum(_line_tax()))
        ):
            quantity = sign * _money(line["quantity"])
            row.items += quantity
            if line["product_id"] is not None:
                entry = products[line["product_id"]]
                entry[0] += quantity
                entry[1] += sign * _money(line["revenue"])
                entry[2] += sign * _money(line["tax"])
    # Cost: what the invoiced orders' shipments took out …
    shipped = ShipmentLine.objects.filter(
        business=business,
        shipment__order__in=invoices.values("order_id"),
        movement__isnull=False,
    ).values("movement_id")
    groups = [
        StockMovement.objects.filter(pk__in=shipped),
        # … less what the credited returns put back on the shelf.
        StockMovement.objects.filter(
            business=business,
            group__in=CustomerReturn.objects.filter(
                business=business, credit_note__in=notes.values("pk")
            )
            .exclude(movement_group=None)
            .values("movement_group"),
        ),
    ]
    for qs in groups:
        for m in qs.values("product_id").annotate(value=Sum(_value())):
            cost = -_money(m["value"])
            products[m["product_id"]][3] += cost
            row.cost += cost
    return row


# --- finding what to refresh ---------------------------------------------------------------------


def _touched_days(business: Business, since: datetime | None, until: datetime) -> set:
    """(shop id, local day) of every source row created in [since, until)."""
    from hanout.pos.models import Sale
    from hanout.sales.models import Invoice

    shops = {s.pk: s for s in Shop.objects.filter(business=business)}
    created = (
        Q(created_at__lt=until) if since is None else Q(created_at__gte=since, created_at__lt=until)
    )
    touched = set()
    for shop_id, at in (
        Sale.objects.filter(created, business=business).values_list("shop_id", "sold_at").distinct()
    ):
        touched.add((shop_id, at.astimezone(shops[shop_id].tz).date()))
    for order_shop, credited_shop, at in (
        Invoice.objects.filter(created, business=business)
        .filter(Q(order__isnull=False) | Q(credited_invoice__order__isnull=False))
        .values_list(
            "order__location__shop_id", "credited_invoice__order__location__shop_id", "issued_at"
        )
    ):
        shop_id = order_shop or credited_shop
        touched.add((shop_id, at.astimezone(shops[shop_id].tz).date()))
    return {(shops[s], d) for s, d in touched}


def days_mark_stale(*, business: Business, days) -> None:
    """Have these (shop id, day) pairs computed again by the next refresh (see StaleDay)."""
    StaleDay.objects.bulk_create(
        [StaleDay(business=business, shop_id=shop_id, day=day) for shop_id, day in set(days)]
    )


def daily_refresh_pending(*, business: Business) -> int:
    """Refresh the days touched since the last run; returns how many were refreshed."""
    # Compared with `created_at`, which the database rows take from the real clock.
    until = timezone.now() - SETTLE
    mark = RefreshMark.objects.filter(business=business).first()
    since = mark.until - SETTLE if mark else None
    days = _touched_days(business, since, until + SETTLE)
    stale = list(StaleDay.objects.filter(business=business).values_list("pk", "shop_id", "day"))
    if stale:
        shops = Shop.objects.in_bulk({shop_id for _pk, shop_id, _day in stale})
        days |= {(shops[shop_id], day) for _pk, shop_id, day in stale if shop_id in shops}
    for shop, day in sorted(days, key=lambda d: (d[1], str(d[0].pk))):
        daily_refresh(business=business, shop=shop, day=day)
    RefreshMark.objects.update_or_create(business=business, defaults={"until": until})
    if stale:
        StaleDay.objects.filter(pk__in=[pk for pk, _shop, _day in stale]).delete()
    return len(days)


def daily_rebuild(*, business: Business, since: date | None = None) -> int:
    """Throw the daily tables of `business` away (from `since`) and build them again."""
    with transaction.atomic():
        qs = DailySales.objects.filter(business=business)
        pqs = DailyProductSales.objects.filter(business=business)
        if since is not None:
            qs, pqs = qs.filter(day__gte=since), pqs.filter(day__gte=since)
        qs.delete()
        pqs.delete()
        RefreshMark.objects.filter(business=business).delete()
    days = _touched_days(business, None, timezone.now() + timedelta(days=1))
    if since is not None:
        days = {(s, d) for s, d in days if d >= since}
    for shop, day in sorted(days, key=lambda d: (d[1], str(d[0].pk))):
        daily_refresh(business=business, shop=shop, day=day)
    RefreshMark.objects.update_or_create(
        business=business, defaults={"until": timezone.now() - SETTLE}
    )
    return len(days)


def refresh_all_pending() -> int:
    """Every active business's pending days (the periodic job)."""
    count = 0
    for business in Business.objects.all().only("pk"):
        count += daily_refresh_pending(business=business)
    return count
