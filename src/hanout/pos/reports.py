"""The end-of-day report: every line sold on a day, its totals, and the cash sessions.

A day is read in the SHOP's time zone: the report for 4 March of a shop in
Casablanca is [4 March 00:00, 5 March 00:00) Casablanca time. Without a shop
filter, each shop of the business is read in its own time zone (one OR'ed
condition per zone), so a chain spread over zones still gets each shop's own
day. Sales are placed on the day they were made (`sold_at`, the register's
clock), so a sale queued offline and sent the next morning is on the day it
was sold; a sale that arrived after its session closed (`late`) is included
and flagged.

Withdrawal (cashback) lines are listed apart and are not revenue. Return
lines are stored with negative quantities and amounts, so every sum below is
the net figure. The number of queries does not depend on the number of
lines: the lines are read as plain tuples in one query and the totals by
seller and by tax rate are summed from them in Python; payments by method
are one grouped query; sessions one query.

The downloads (CSV, XLSX, PDF) are in `reports_exports.py`, the Z report of
one cash session in `reports_session.py`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.money import quantize

ZERO = Decimal(0)
DAY_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class ReportLine:
    sale_id: str
    ticket: str
    is_return: bool
    sold_at: datetime  # in the shop's time zone
    shop: str
    register: str
    seller: str
    product: str
    sku: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    amount: Decimal
    tax_rate: Decimal
    tax: Decimal
    late: bool
    offline: bool
    session_id: str

    @property
    def time(self) -> str:
        return self.sold_at.strftime("%H:%M")


@dataclass
class MethodTotal:
    method: str
    label: str
    amount: Decimal
    count: int


@dataclass
class SellerTotal:
    seller: str
    sales: int
    returns: int
    revenue: Decimal


@dataclass
class RateTotal:
    rate: Decimal
    base: Decimal
    tax: Decimal
    total: Decimal


@dataclass
class SessionRow:
    id: str
    register: str
    number: int
    status: str
    status_label: str
    opened_at: datetime
    closed_at: datetime | None
    opened_by: str
    closed_by: str
    opening_float: Decimal
    expected: Decimal | None
    counted: Decimal | None
    difference: Decimal | None
    sales_count: int
    revenue: Decimal
    late_count: int = 0
    late_amount: Decimal = ZERO


@dataclass
class DayReport:
    day: date
    business: object
    business_name: str
    currency: str
    shop: object | None
    register: object | None
    time_zones: list[str]
    lines: list[ReportLine] = field(default_factory=list)
    withdrawals: list[ReportLine] = field(default_factory=list)
    by_method: list[MethodTotal] = field(default_factory=list)
    by_seller: list[SellerTotal] = field(default_factory=list)
    by_rate: list[RateTotal] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    sales_count: int = 0
    returns_count: int = 0
    late_count: int = 0
    revenue: Decimal = ZERO
    tax_total: Decimal = ZERO
    discount_total: Decimal = ZERO
    withdrawal_total: Decimal = ZERO
    collected: Decimal = ZERO  # what the customers paid: revenue + withdrawals

    @property
    def scope(self) -> str:
        if self.register is not None:
            return f"{self.register.shop.name} · {self.register.name}"
        if self.shop is not None:
            return self.shop.name
        return _("All shops")


# --- the bounds of a day -------------------------------------------------------------------


def parse_day(value) -> date:
    """A YYYY-MM-DD string (or a date) → the date; ValidationFailed naming `date` otherwise."""
    if isinstance(value, date):
        return value
    text = (value or "").strip()
    try:
        day = date.fromisoformat(text) if DAY_FORMAT.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 9998:  # the day after must exist too
        raise ValidationFailed(
            _("The date %(value)s is not a day; write it as YYYY-MM-DD (2026-03-04).")
            % {"value": text[:40] or '""'},
            fields={"date": [_("Write the day as YYYY-MM-DD.")]},
        )
    return day


def day_bounds(day: date, tz) -> tuple[datetime, datetime]:
    """[start, end) of `day` in the time zone `tz` (23 or 25 hours on a clock-change day)."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def today_for(*, business, shop=None) -> date:
    """Today in the shop's time zone (the business's first shop when none is given)."""
    from hanout.core import clock
    from hanout.core.models import Shop

    shop = shop or Shop.objects.for_business(business).order_by("created_at").first()
    now = clock.now()
    return now.astimezone(shop.tz).date() if shop else now.date()


def resolve_scope(*, business, shop=None, register=None):
    """The shop and register objects of this business for ids (None = all). NotFound otherwise."""
    from hanout.core.models import Shop
    from hanout.pos.models import Register

    shop_obj = register_obj = None
    if register not in (None, ""):
        register_obj = _get(Register.objects.select_related("shop"), business, register)
        if register_obj is None:
            raise NotFound(_("There is no such register."), fields={"register": [_("Not found.")]})
    if shop not in (None, ""):
        shop_obj = _get(Shop.objects.all(), business, shop)
        if shop_obj is None:
            raise NotFound(_("There is no such shop."), fields={"shop": [_("Not found.")]})
        if register_obj is not None and register_obj.shop_id != shop_obj.pk:
            raise ValidationFailed(
                _("The register %(register)s is not in the shop %(shop)s.")
                % {"register": register_obj.name, "shop": shop_obj.name},
                fields={"register": [_("This register is in another shop.")]},
            )
    if register_obj is not None:
        shop_obj = register_obj.shop
    return shop_obj, register_obj


def _get(queryset, business, value):
    import uuid

    if hasattr(value, "pk"):
        value = value.pk
    try:
        pk = uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None
    return queryset.filter(business=business, pk=pk).first()


def _window(*, business, day: date, shop=None, prefix: str = "") -> tuple[Q, list[str], list]:
    """The condition "sold on `day` in its shop's time zone" (+ the zones and the shops)."""
    from hanout.core.models import Shop

    shops = [shop] if shop is not None else list(Shop.objects.for_business(business))
    zones: dict[str, list] = defaultdict(list)
    for s in shops:
        zones[s.time_zone].append(s.pk)
    condition = Q(pk__in=[])
    for ids in zones.values():
        tz = next(s.tz for s in shops if s.pk == ids[0])
        start, end = day_bounds(day, tz)
        condition |= Q(
            **{
                f"{prefix}shop_id__in": ids,
                f"{prefix}sold_at__gte": start,
                f"{prefix}sold_at__lt": end,
            }
        )
    return condition, sorted(zones), shops


# --- the report ----------------------------------------------------------------------------

_LINE_FIELDS = (
    "sale_id",
    "sale__number",
    "sale__kind",
    "sale__sold_at",
    "sale__shop_id",
    "sale__register__name",
    "sale__cashier__full_name",
    "sale__cashier__email",
    "sale__late",
    "sale__offline",
    "sale__session_id",
    "kind",
    "name",
    "sku",
    "quantity",
    "unit_price",
    "discount",
    "total",
    "tax_rate",
    "tax_amount",
)


def day_report(*, business, day: date, shop=None, register=None) -> DayReport:
    """The report of `day` for the business, one shop, or one register (see the module docstring)."""
    from hanout.pos.models import (
        CashSession,
        LineKind,
        Payment,
        PaymentMethod,
        SaleKind,
        SaleLine,
    )

    currency = business.currency
    condition, zones, shops = _window(business=business, day=day, shop=shop, prefix="sale__")
    shop_names = {s.pk: s.name for s in shops}
    shop_tz = {s.pk: s.tz for s in shops}
    lines_qs = SaleLine.objects.filter(condition, business=business)
    if register is not None:
        lines_qs = lines_qs.filter(sale__register=register)
    rows = lines_qs.order_by("sale__sold_at", "sale__number", "sale_id", "position").values_list(
        *_LINE_FIELDS
    )

    report = DayReport(
        day=day,
        business=business,
        business_name=business.name,
        currency=currency,
        shop=shop,
        register=register,
        time_zones=zones,
    )
    sellers: dict[str, dict] = {}
    rates: dict[Decimal, list[Decimal]] = {}
    sales_seen: dict[str, str] = {}
    late_by_session: dict[str, list] = defaultdict(lambda: [set(), ZERO])
    for (
        sale_id,
        number,
        kind,
        sold_at,
        shop_id,
        register_name,
        full_name,
        email,
        late,
        offline,
        session_id,
        line_kind,
        name,
        sku,
        quantity,
        unit_price,
        discount,
        total,
        tax_rate,
        tax_amount,
    ) in rows.iterator(chunk_size=2000):
        is_return = kind == SaleKind.RETURN
        seller = full_name or email or ""
        line = ReportLine(
            sale_id=str(sale_id),
            ticket=f"{'R' if is_return else ''}{number:06d}",
            is_return=is_return,
            sold_at=sold_at.astimezone(shop_tz[shop_id]),
            shop=shop_names.get(shop_id, ""),
            register=register_name,
            seller=seller,
            product=name if line_kind != LineKind.WITHDRAWAL else _("Cash withdrawal"),
            sku=sku,
            quantity=quantity,
            unit_price=quantize(unit_price, currency),
            discount=quantize(discount, currency),
            amount=quantize(total, currency),
            tax_rate=tax_rate,
            tax=quantize(tax_amount, currency),
            late=late,
            offline=offline,
            session_id=str(session_id),
        )
        if str(sale_id) not in sales_seen:
            sales_seen[str(sale_id)] = kind
            entry = sellers.setdefault(seller, {"sales": 0, "returns": 0, "revenue": ZERO})
            entry["returns" if is_return else "sales"] += 1
        if late:
            late_by_session[str(session_id)][0].add(str(sale_id))
        if line_kind == LineKind.WITHDRAWAL:
            report.withdrawals.append(line)
            report.withdrawal_total += line.amount
            if late:
                late_by_session[str(session_id)][1] += line.amount
            continue
        report.lines.append(line)
        report.revenue += line.amount
        report.tax_total += line.tax
        report.discount_total += -line.discount if is_return else line.discount
        sellers[seller]["revenue"] += line.amount
        rate = Decimal(tax_rate).normalize()
        bucket = rates.setdefault(rate, [ZERO, ZERO])
        bucket[0] += line.amount - line.tax
        bucket[1] += line.tax
        if late:
            late_by_session[str(session_id)][1] += line.amount

    report.sales_count = sum(1 for k in sales_seen.values() if k != SaleKind.RETURN)
    report.returns_count = sum(1 for k in sales_seen.values() if k == SaleKind.RETURN)
    report.late_count = sum(len(ids) for ids, _amount in late_by_session.values())
    report.collected = report.revenue + report.withdrawal_total
    report.by_seller = sorted(
        (
            SellerTotal(seller=name, sales=v["sales"], returns=v["returns"], revenue=v["revenue"])
            for name, v in sellers.items()
        ),
        key=lambda s: (-s.revenue, s.seller),
    )
    report.by_rate = [
        RateTotal(rate=rate, base=base, tax=tax, total=base + tax)
        for rate, (base, tax) in sorted(rates.items())
    ]

    # Payments by method (refunds are negative payments on returns: net figures).
    payments = Payment.objects.filter(
        _window(business=business, day=day, shop=shop, prefix="sale__")[0], business=business
    )
    if register is not None:
        payments = payments.filter(sale__register=register)
    labels = dict(PaymentMethod.choices)
    order = {m: i for i, m in enumerate(PaymentMethod.values)}
    report.by_method = sorted(
        (
            MethodTotal(
                method=row["method"],
                label=str(labels.get(row["method"], row["method"])),
                amount=quantize(row["amount"] or ZERO, currency),
                count=row["count"],
            )
            for row in payments.values("method")
            .annotate(amount=Sum("amount"), count=Count("id"))
            .order_by()
        ),
        key=lambda m: (order.get(m.method, 99), m.method),
    )

    # Cash sessions that were open at some moment of the day.
    report.sessions = _sessions(
        business=business,
        day=day,
        shops=shops,
        register=register,
        late=late_by_session,
        model=CashSession,
    )
    return report


def _sessions(*, business, day, shops, register, late, model) -> list[SessionRow]:
    from hanout.pos.models import SessionStatus

    currency = business.currency
    zones = {s.pk: s.tz for s in shops}
    by_zone: dict[str, list] = defaultdict(list)
    for s in shops:
        by_zone[s.time_zone].append(s)
    condition = Q(pk__in=[])
    for group in by_zone.values():
        start, end = day_bounds(day, group[0].tz)
        condition |= Q(register__shop_id__in=[s.pk for s in group], opened_at__lt=end) & (
            Q(closed_at__gte=start) | Q(closed_at__isnull=True)
        )
    sessions = (
        model.objects.filter(condition, business=business)
        .select_related("register", "opened_by", "closed_by")
        .order_by("opened_at", "register__name", "number")
    )
    if register is not None:
        sessions = sessions.filter(register=register)
    labels = dict(SessionStatus.choices)
    out = []
    for s in sessions:
        is_open = s.status == SessionStatus.OPEN
        expected = s.expected_cash_now() if is_open else s.expected_cash
        ids, amount = late.get(str(s.pk), (set(), ZERO))
        out.append(
            SessionRow(
                id=str(s.pk),
                register=s.register.name,
                number=s.number,
                status=s.status,
                status_label=str(labels.get(s.status, s.status)),
                opened_at=s.opened_at.astimezone(zones[s.register.shop_id]),
                closed_at=s.closed_at.astimezone(zones[s.register.shop_id])
                if s.closed_at
                else None,
                opened_by=person(s.opened_by),
                closed_by=person(s.closed_by) if s.closed_by_id else "",
                opening_float=quantize(s.opening_float, currency),
                expected=quantize(expected, currency) if expected is not None else None,
                counted=quantize(s.counted_cash, currency) if s.counted_cash is not None else None,
                difference=quantize(s.difference, currency) if s.difference is not None else None,
                sales_count=s.sales_count,
                revenue=quantize(s.revenue, currency),
                late_count=len(ids),
                late_amount=amount,
            )
        )
    return out


def person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.email


# --- sales history -------------------------------------------------------------------------


def sale_history(*, business, day: date | None = None, register=None, cashier=None, ticket=""):
    """The business's sales and returns, newest first, with what the history page shows.

    `ticket` is a ticket number as printed ("000123", "R000004"); a number
    without the R finds sales and returns with that number.
    """
    from hanout.pos.models import Sale

    sales = Sale.objects.for_business(business).select_related("register", "cashier", "shop")
    if day is not None:
        sales = sales.filter(_window(business=business, day=day, shop=None)[0])
    if register is not None:
        sales = sales.filter(register=register)
    if cashier is not None:
        sales = sales.filter(cashier=cashier)
    if ticket:
        from hanout.pos.selectors import ticket_parse

        parsed = ticket_parse(ticket, bare=None)
        if parsed is None:
            return sales.none()
        kind, number = parsed
        sales = sales.filter(number=number)
        if kind:
            sales = sales.filter(kind=kind)
    return sales
