"""The Z report of one cash session: the frozen closing figures, how the money came in,
the paid-in/paid-out movements with their reasons, the counted drawer by
denomination, and the sales that arrived after the close, listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string

from hanout.core.money import quantize
from hanout.pos.reports import ZERO, MethodTotal, person


@dataclass
class Denomination:
    value: Decimal
    count: int
    amount: Decimal


@dataclass
class MovementRow:
    at: datetime
    kind: str
    label: str
    amount: Decimal
    reason: str
    actor: str


@dataclass
class LateSale:
    id: str
    ticket: str
    sold_at: datetime
    arrived_at: datetime
    cashier: str
    total: Decimal
    cash: Decimal


@dataclass
class SessionReport:
    session: object
    business: object
    shop: object
    register: object
    is_open: bool
    opened_at: datetime
    closed_at: datetime | None
    opened_by: str
    closed_by: str
    opening_float: Decimal
    sales_count: int
    returns_count: int
    revenue: Decimal
    cash_in: Decimal
    cash_change: Decimal
    cash_refunds: Decimal
    withdrawals: Decimal
    paid_in: Decimal
    paid_out: Decimal
    expected: Decimal
    counted: Decimal | None
    difference: Decimal | None
    note: str
    by_method: list[MethodTotal] = field(default_factory=list)
    movements: list[MovementRow] = field(default_factory=list)
    denominations: list[Denomination] = field(default_factory=list)
    late_sales: list[LateSale] = field(default_factory=list)
    late_total: Decimal = ZERO

    @property
    def cash_sales(self) -> Decimal:
        """Cash kept from sales: received − change given."""
        return self.cash_in - self.cash_change

    @property
    def denominations_total(self) -> Decimal:
        return sum((d.amount for d in self.denominations), ZERO)


def _denominations(raw, currency: str) -> list[Denomination]:
    out = []
    for key, count in (raw or {}).items():
        try:
            value = Decimal(str(key))
            count = int(count)
        except (ArithmeticError, ValueError, TypeError):
            continue
        if count:
            out.append(
                Denomination(value=value, count=count, amount=quantize(value * count, currency))
            )
    return sorted(out, key=lambda d: -d.value)


def session_report(*, session) -> SessionReport:
    """The Z report of a cash session: the frozen closing figures, how the money came in,
    the cash movements with their reasons, the counted drawer, and the sales that
    arrived after the close (listed apart: the closing figures never change).

    Four queries whatever the number of sales: the session's own running totals
    hold the cash figures, payments are grouped by method in the database.
    """
    from hanout.pos.models import Payment, PaymentMethod, Sale, SessionStatus

    session = (
        type(session)
        .objects.select_related("business", "register__shop", "opened_by", "closed_by")
        .get(pk=session.pk)
    )
    business = session.business
    currency = business.currency
    tz = session.register.shop.tz
    is_open = session.status == SessionStatus.OPEN
    labels = dict(PaymentMethod.choices)
    order = {m: i for i, m in enumerate(PaymentMethod.values)}

    by_method = [
        MethodTotal(
            method=row["method"],
            label=str(labels.get(row["method"], row["method"])),
            amount=quantize(row["amount"] or ZERO, currency),
            count=row["count"],
        )
        for row in Payment.objects.filter(sale__session=session, sale__late=False)
        .values("method")
        .annotate(amount=Sum("amount"), count=Count("id"))
        .order_by()
    ]
    by_method.sort(key=lambda m: (order.get(m.method, 99), m.method))

    movements = [
        MovementRow(
            at=m.created_at.astimezone(tz),
            kind=m.kind,
            label=m.get_kind_display(),
            amount=quantize(m.amount, currency),
            reason=m.reason,
            actor=person(m.actor),
        )
        for m in session.movements.select_related("actor").order_by("created_at", "id")
    ]

    late_sales = []
    late = (
        Sale.objects.filter(session=session, late=True)
        .select_related("cashier")
        .annotate(cash=Sum("payments__amount", filter=Q(payments__method=PaymentMethod.CASH)))
        .order_by("sold_at", "id")
    )
    for sale in late:
        late_sales.append(
            LateSale(
                id=str(sale.pk),
                ticket=sale.ticket_number,
                sold_at=sale.sold_at.astimezone(tz),
                arrived_at=sale.created_at.astimezone(tz),
                cashier=person(sale.cashier),
                total=quantize(sale.total, currency),
                cash=quantize(sale.cash or ZERO, currency),
            )
        )

    expected = session.expected_cash_now() if is_open else session.expected_cash
    return SessionReport(
        session=session,
        business=business,
        shop=session.register.shop,
        register=session.register,
        is_open=is_open,
        opened_at=session.opened_at.astimezone(tz),
        closed_at=session.closed_at.astimezone(tz) if session.closed_at else None,
        opened_by=person(session.opened_by),
        closed_by=person(session.closed_by) if session.closed_by_id else "",
        opening_float=quantize(session.opening_float, currency),
        sales_count=session.sales_count,
        returns_count=session.returns_count,
        revenue=quantize(session.revenue, currency),
        cash_in=quantize(session.cash_in, currency),
        cash_change=quantize(session.cash_change, currency),
        cash_refunds=quantize(session.cash_refunds, currency),
        withdrawals=quantize(session.withdrawals, currency),
        paid_in=quantize(session.paid_in, currency),
        paid_out=quantize(session.paid_out, currency),
        expected=quantize(
            expected if expected is not None else session.expected_cash_now(), currency
        ),
        counted=quantize(session.counted_cash, currency)
        if session.counted_cash is not None
        else None,
        difference=quantize(session.difference, currency)
        if session.difference is not None
        else None,
        note=session.closing_note,
        by_method=by_method,
        movements=movements,
        denominations=_denominations(session.counted_denominations, currency),
        late_sales=late_sales,
        late_total=sum((s.total for s in late_sales), ZERO),
    )


def session_report_pdf(report: SessionReport, *, language: str | None = None) -> bytes:
    from django.utils import translation
    from weasyprint import HTML

    language = language or translation.get_language() or "en"
    with translation.override(language):
        html = render_to_string(
            "pos/z_report_pdf.html",
            {
                "z": report,
                "business": report.business,
                "language": language,
                "rtl": translation.get_language_bidi(),
            },
        )
    return HTML(string=html, base_url=None).write_pdf()
