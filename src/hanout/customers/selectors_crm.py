"""Reads of the CRM: what a customer bought and what it earned the shop, their
segment (RFM), a suggested trust level, the points ledger and the dashboard.

Purchases are the customer's register tickets (`pos.Sale`, returns included as
negative revenue) and their orders that went ahead (not draft, not cancelled).
Invoices are documents *of* those tickets and orders, so they are listed but
never counted twice.

Segments, one per customer, decided in this order (documented in
docs/customers.md; all in SQL, so the list can filter on them):

- **lapsed**: has bought, but not for `LAPSED_DAYS` (90) days;
- **top**: bought within 90 days and their money spent is in the top fifth
  (quintile) of the customers who did;
- **new**: first purchase (or, with none yet, their card) less than
  `NEW_DAYS` (30) days old;
- **regular**: bought at least `REGULAR_PURCHASES` (2) times, last within 90 days;
- **occasional**: bought once, 30 to 90 days ago;
- **prospect**: never bought, card older than 30 days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    Coalesce,
    Greatest,
    Least,
    Ntile,
    NullIf,
    TruncMonth,
    TruncYear,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hanout.core import clock
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.customers.models import Customer, LoyaltyEntry, TrustLevel

NEW_DAYS = 30
LAPSED_DAYS = 90
REGULAR_PURCHASES = 2
TOP_SHARE = 5  # the top fifth

SEGMENTS = {
    "new": gettext_lazy("New"),
    "regular": gettext_lazy("Regular"),
    "top": gettext_lazy("Top"),
    "occasional": gettext_lazy("Occasional"),
    "lapsed": gettext_lazy("Lapsed"),
    "prospect": gettext_lazy("No purchase yet"),
}
SEGMENT_BADGES = {
    "new": "text-bg-info",
    "regular": "text-bg-primary",
    "top": "text-bg-success",
    "occasional": "text-bg-light border",
    "lapsed": "text-bg-warning",
    "prospect": "text-bg-secondary",
}
GONE_ORDER_STATUSES = ("draft", "cancelled")
_MONEY = DecimalField(max_digits=20, decimal_places=3)
_FAR_PAST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_FAR_FUTURE = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


def _one(qs, expr, output_field):
    """A correlated subquery giving one aggregate per customer."""
    return Subquery(
        qs.filter(customer=OuterRef("pk")).values("customer").annotate(v=expr).values("v")[:1],
        output_field=output_field,
    )


def with_rfm(qs: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotate recency/frequency/monetary: `first_purchase_at`, `last_purchase_at`
    (None when never), `purchase_count`, `spent` (net of register returns)."""
    from hanout.pos.models import Sale, SaleKind
    from hanout.sales.models import CustomerOrder

    tickets = Sale.objects.filter(kind=SaleKind.SALE)
    all_tickets = Sale.objects.all()
    orders = CustomerOrder.objects.exclude(status__in=GONE_ORDER_STATUSES)
    when = DateTimeField()
    qs = qs.annotate(
        _t_last=_one(tickets, Max("sold_at"), when),
        _t_first=_one(tickets, Min("sold_at"), when),
        _t_count=_one(tickets, Count("id"), IntegerField()),
        _t_spent=_one(all_tickets, Sum("revenue"), _MONEY),
        _o_last=_one(orders, Max("created_at"), when),
        _o_first=_one(orders, Min("created_at"), when),
        _o_count=_one(orders, Count("id"), IntegerField()),
        _o_spent=_one(orders, Sum("total"), _MONEY),
    )
    return qs.annotate(
        purchase_count=Coalesce("_t_count", 0) + Coalesce("_o_count", 0),
        spent=Coalesce("_t_spent", Value(Decimal(0)), output_field=_MONEY)
        + Coalesce("_o_spent", Value(Decimal(0)), output_field=_MONEY),
        # NULLs would make SQLite's MAX()/MIN() NULL: compare against far-away dates.
        last_purchase_at=NullIf(
            Greatest(
                Coalesce("_t_last", Value(_FAR_PAST), output_field=when),
                Coalesce("_o_last", Value(_FAR_PAST), output_field=when),
            ),
            Value(_FAR_PAST),
        ),
        first_purchase_at=NullIf(
            Least(
                Coalesce("_t_first", Value(_FAR_FUTURE), output_field=when),
                Coalesce("_o_first", Value(_FAR_FUTURE), output_field=when),
            ),
            Value(_FAR_FUTURE),
        ),
    )


def _recent_buyers(business: Business, now) -> QuerySet[Customer]:
    return with_rfm(Customer.objects.for_business(business)).filter(
        purchase_count__gt=0, last_purchase_at__gte=now - datetime.timedelta(days=LAPSED_DAYS)
    )


def top_threshold_expression(*, business: Business, now) -> Subquery:
    """SQL for the least money spent that still puts a recent buyer in the top fifth
    (NTILE(5) over money spent, first tile; NULL when nobody bought recently).

    Uncorrelated, so the database works it out once per query: the list costs no
    extra round trip for it."""
    ranked = _recent_buyers(business, now).annotate(
        tile=Window(Ntile(TOP_SHARE), order_by=[F("spent").desc(), F("pk").asc()])
    )
    first_tile = ranked.filter(tile=1).order_by("spent").values("spent")[:1]
    return Subquery(first_tile, output_field=_MONEY)


def top_threshold(*, business: Business, now=None) -> Decimal | None:
    """The threshold of `top_threshold_expression`, as a value (one query)."""
    now = now or clock.now()
    ranked = _recent_buyers(business, now).annotate(
        tile=Window(Ntile(TOP_SHARE), order_by=[F("spent").desc(), F("pk").asc()])
    )
    return ranked.filter(tile=1).order_by("spent").values_list("spent", flat=True).first()


def with_segment(qs: QuerySet[Customer], *, business: Business, now=None) -> QuerySet[Customer]:
    """`with_rfm` plus `segment` (see the module docstring for the rule). One query."""
    now = now or clock.now()
    recent_since = now - datetime.timedelta(days=LAPSED_DAYS)
    new_since = now - datetime.timedelta(days=NEW_DAYS)
    bought = Q(purchase_count__gt=0)
    qs = with_rfm(qs).annotate(_top_from=top_threshold_expression(business=business, now=now))
    top = bought & Q(spent__gt=0, _top_from__isnull=False, spent__gte=F("_top_from"))
    return qs.annotate(
        segment=Case(
            When(bought & Q(last_purchase_at__lt=recent_since), then=Value("lapsed")),
            When(top, then=Value("top")),
            When(bought & Q(first_purchase_at__gte=new_since), then=Value("new")),
            When(~bought & Q(created_at__gte=new_since), then=Value("new")),
            When(purchase_count__gte=REGULAR_PURCHASES, then=Value("regular")),
            When(bought, then=Value("occasional")),
            default=Value("prospect"),
            output_field=CharField(),
        )
    )


def segment_counts(*, business: Business, now=None) -> dict[str, int]:
    """How many active customers are in each segment (every segment listed)."""
    qs = with_segment(
        Customer.objects.for_business(business).filter(is_active=True), business=business, now=now
    )
    counts = dict.fromkeys(SEGMENTS, 0)
    for row in qs.values("segment").annotate(n=Count("id")).order_by():
        counts[row["segment"]] = row["n"]
    return counts


def customer_segment(*, customer: Customer, now=None) -> str:
    qs = Customer.objects.filter(pk=customer.pk)
    return with_segment(qs, business=customer.business, now=now).values_list("segment", flat=True)[
        0
    ]


# --- one customer's figures --------------------------------------------------------------------


@dataclass
class CustomerStats:
    currency: str
    tickets_spent: Decimal = Decimal(0)
    orders_spent: Decimal = Decimal(0)
    order_returns: Decimal = Decimal(0)
    ticket_returns: Decimal = Decimal(0)  # given back at the register (positive)
    net_revenue: Decimal = Decimal(0)  # without tax
    cost: Decimal = Decimal(0)
    ticket_count: int = 0
    return_count: int = 0
    order_count: int = 0
    cancelled_orders: int = 0
    invoice_count: int = 0
    payments: dict[str, Decimal] = field(default_factory=dict)  # method → net amount
    last_purchase_at: datetime.datetime | None = None

    @property
    def total_spent(self) -> Decimal:
        return self.tickets_spent + self.orders_spent - self.order_returns

    @property
    def net_gain(self) -> Decimal:
        return self.net_revenue - self.cost

    @property
    def cash(self) -> Decimal:
        return self.payments.get("cash", Decimal(0))

    @property
    def online(self) -> Decimal:
        return sum((v for k, v in self.payments.items() if k != "cash"), Decimal(0))

    @property
    def online_share(self) -> int | None:
        paid = self.cash + self.online
        return round(self.online * 100 / paid) if paid > 0 else None


def customer_stats(*, customer: Customer) -> CustomerStats:
    """What the customer bought and what it earned the shop, in 6 queries.

    - spent: register tickets net of their returns + orders that went ahead −
      refunds of back-office returns;
    - net gain: revenue without tax − the cost of the goods *at the time of the
      sale* (the average cost the stock ledger stamped on each sale, return and
      shipment movement), for tickets and for shipped or delivered orders;
    - payments: ticket payments by method (refunds subtract).
    """
    from hanout.inventory.models import StockMovement
    from hanout.pos.models import Payment, Sale, SaleKind
    from hanout.sales.models import CustomerOrder, CustomerReturn, Invoice, ShipmentLine

    business = customer.business
    stats = CustomerStats(currency=business.currency)
    tickets = Sale.objects.filter(business_id=business.pk, customer=customer)
    t = tickets.aggregate(
        spent=Sum("revenue"),
        returned=Sum("revenue", filter=Q(kind=SaleKind.RETURN)),
        tax=Sum("tax_total"),
        n=Count("id", filter=Q(kind=SaleKind.SALE)),
        r=Count("id", filter=Q(kind=SaleKind.RETURN)),
        last=Max("sold_at", filter=Q(kind=SaleKind.SALE)),
    )
    stats.tickets_spent = t["spent"] or Decimal(0)
    stats.ticket_returns = -(t["returned"] or Decimal(0))
    stats.ticket_count, stats.return_count = t["n"], t["r"]
    stats.net_revenue = stats.tickets_spent - (t["tax"] or Decimal(0))
    stats.last_purchase_at = t["last"]
    moves = StockMovement.objects.filter(
        business_id=business.pk,
        group__in=tickets.values("pk"),
        reason__in=["sale", "return"],
    ).aggregate(c=Sum(F("quantity") * F("unit_cost"), output_field=_MONEY))
    stats.cost = -(moves["c"] or Decimal(0))

    orders = CustomerOrder.objects.filter(business_id=business.pk, customer=customer)
    o = orders.aggregate(
        spent=Sum("total", filter=~Q(status__in=GONE_ORDER_STATUSES)),
        n=Count("id", filter=~Q(status__in=GONE_ORDER_STATUSES)),
        cancelled=Count("id", filter=Q(status="cancelled")),
        net=Sum(F("total") - F("tax_total"), filter=Q(status__in=["shipped", "delivered"])),
        last=Max("created_at", filter=~Q(status__in=GONE_ORDER_STATUSES)),
    )
    stats.orders_spent = o["spent"] or Decimal(0)
    stats.order_count, stats.cancelled_orders = o["n"], o["cancelled"]
    stats.net_revenue += o["net"] or Decimal(0)
    if o["last"] and (stats.last_purchase_at is None or o["last"] > stats.last_purchase_at):
        stats.last_purchase_at = o["last"]
    shipped = ShipmentLine.objects.filter(
        business_id=business.pk,
        shipment__order__customer=customer,
        shipment__order__status__in=["shipped", "delivered"],
        movement__isnull=False,
    ).aggregate(c=Sum(F("movement__quantity") * F("movement__unit_cost"), output_field=_MONEY))
    stats.cost += -(shipped["c"] or Decimal(0))

    back = CustomerReturn.objects.filter(
        business_id=business.pk, customer=customer, order__isnull=False
    ).aggregate(s=Sum("refund_amount"), n=Count("id"))
    stats.order_returns = back["s"] or Decimal(0)
    stats.return_count += back["n"]
    stats.invoice_count = Invoice.objects.filter(
        business_id=business.pk, customer=customer, kind="invoice"
    ).count()
    for row in (
        Payment.objects.filter(business_id=business.pk, sale__customer=customer)
        .values("method")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        stats.payments[row["method"]] = row["s"] or Decimal(0)
    currency = business.currency
    for name in (
        "tickets_spent",
        "ticket_returns",
        "orders_spent",
        "order_returns",
        "net_revenue",
        "cost",
    ):
        setattr(stats, name, quantize(getattr(stats, name), currency))
    return stats


# --- trust ---------------------------------------------------------------------------------------


@dataclass
class TrustSuggestion:
    level: str
    reasons: list[str]

    @property
    def label(self) -> str:
        return TrustLevel(self.level).label


def trust_suggestion(*, stats: CustomerStats) -> TrustSuggestion:
    """A trust level worked out from the payment history, with the reasons in words.

    - nothing bought yet → unknown;
    - returns worth over 30 % of what they bought, or at least 2 cancelled orders
      and more cancelled than went ahead → low;
    - at least 5 purchases, returns under 10 % and at most one cancelled order → high;
    - otherwise → normal.

    Invoices carry no due date or payment state yet and declined phone payments
    are not tied to a customer, so neither counts (see docs/customers.md).
    """
    purchases = stats.ticket_count + stats.order_count
    if purchases == 0:
        return TrustSuggestion(TrustLevel.UNKNOWN, [_("No purchase yet.")])
    returned = stats.ticket_returns + stats.order_returns
    gross = stats.tickets_spent + stats.ticket_returns + stats.orders_spent
    returned_share = (returned * 100 / gross) if gross > 0 else Decimal(0)
    reasons = [
        ngettext("%(n)s purchase.", "%(n)s purchases.", purchases) % {"n": purchases},
        _("Returns: %(p)s %% of what they bought.") % {"p": round(returned_share)},
    ]
    if stats.cancelled_orders:
        n = stats.cancelled_orders
        reasons.append(ngettext("%(n)s cancelled order.", "%(n)s cancelled orders.", n) % {"n": n})
    if returned_share > 30 or (
        stats.cancelled_orders >= 2 and stats.cancelled_orders > stats.order_count
    ):
        return TrustSuggestion(TrustLevel.LOW, reasons)
    if purchases >= 5 and returned_share < 10 and stats.cancelled_orders <= 1:
        return TrustSuggestion(TrustLevel.HIGH, reasons)
    return TrustSuggestion(TrustLevel.NORMAL, reasons)


# --- points --------------------------------------------------------------------------------------


def loyalty_entries(*, customer: Customer, limit: int | None = None) -> QuerySet[LoyaltyEntry]:
    """The customer's points ledger, newest first."""
    qs = LoyaltyEntry.objects.filter(
        business_id=customer.business_id, customer=customer
    ).select_related("sale", "actor")
    return qs[:limit] if limit else qs


# --- lookup at the register --------------------------------------------------------------------


def customer_lookup(*, business: Business, phone: str = "", card: str = "") -> list[Customer]:
    """Active customers with this card code, or this phone number (read with the
    business's country: "0612…" finds "+212612…"). At most 10, best match first."""
    from django.core.exceptions import ValidationError

    from hanout.core.validation import normalize_phone

    qs = Customer.objects.for_business(business).filter(is_active=True)
    if card:
        return list(qs.filter(card_code=card.strip())[:10])
    if phone:
        try:
            e164 = normalize_phone(phone, business.country)
        except ValidationError:
            return []
        return list(qs.filter(phone=e164).order_by("name", "id")[:10])
    return []


# --- dashboard -----------------------------------------------------------------------------------


def new_customers_by(*, business: Business, period: str, since=None) -> list[dict]:
    """New customers (cards created) per month or year, in the shop's time zone:
    [{"key": first day (a date), "count": n}], oldest first."""
    from hanout.purchasing.selectors_bills import business_zone

    zone = business_zone(business)
    trunc = TruncMonth if period == "month" else TruncYear
    qs = Customer.objects.for_business(business)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    rows = (
        qs.annotate(k=trunc("created_at", tzinfo=zone))
        .values("k")
        .annotate(count=Count("id"))
        .order_by("k")
    )
    out = []
    for r in rows:
        key = r["k"]
        if isinstance(key, datetime.datetime):
            key = key.date()  # Trunc hands it back aware in `zone`: midnight of the 1st
        out.append({"key": key, "count": r["count"]})
    return out


def new_customers_last_months(
    *, business: Business, today: datetime.date, months: int = 12
) -> list[dict]:
    """New customers in each of the last `months` months up to `today`'s (a shop-local
    date), every month listed even when none came: [{"month": first day, "count": n}]."""
    from hanout.purchasing.selectors_bills import business_zone

    first = today.replace(day=1)
    days = []
    for back in range(months - 1, -1, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        days.append(datetime.date(y, m + 1, 1))
    since = datetime.datetime.combine(days[0], datetime.time.min, tzinfo=business_zone(business))
    found = {
        r["key"]: r["count"]
        for r in new_customers_by(business=business, period="month", since=since)
    }
    return [{"month": day, "count": found.get(day, 0)} for day in days]


def top_customers(*, business: Business, limit: int = 10, now=None) -> list[Customer]:
    """The active customers who spent the most (all time), with their segment."""
    qs = with_segment(
        Customer.objects.for_business(business).filter(is_active=True), business=business, now=now
    )
    return list(qs.filter(spent__gt=0).order_by("-spent", "name")[:limit])
