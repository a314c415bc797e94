"""The Z report of one cash session: the frozen closing figures, how the money came in,
the paid-in/paid-out movements with their reasons, the counted drawer by
denomination, and the sales that arrived after the close, listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Sum
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

    The figures are the sales core's `session_summary` (the session's running
    totals and three grouped queries); this adds the list of late sales and
    puts every time in the shop's time zone. Five queries whatever the number
    of sales.
    """
    from hanout.pos.models import PaymentMethod, Sale, SessionStatus
    from hanout.pos.selectors import session_summary

    session = (
        type(session)
        .objects.select_related("business", "register__shop", "opened_by", "closed_by")
        .get(pk=session.pk)
    )
    summary = session_summary(session=session)
    business = session.business
    currency = business.currency
    tz = session.register.shop.tz
    is_open = session.status == SessionStatus.OPEN

    by_method = [
        MethodTotal(
            method=row["method"], label=row["label"], amount=row["amount"], count=row["count"]
        )
        for row in summary["by_method"]
        if row["count"]
    ]
    movements = [
        MovementRow(
            at=m["at"].astimezone(tz),
            kind=m["kind"],
            label=m["label"],
            amount=m["amount"],
            reason=m["reason"],
            actor=m["actor"],
        )
        for m in summary["movements"]
    ]
    late_sales = [
        LateSale(
            id=str(sale.pk),
            ticket=sale.ticket_number,
            sold_at=sale.sold_at.astimezone(tz),
            arrived_at=sale.created_at.astimezone(tz),
            cashier=person(sale.cashier),
            total=quantize(sale.total, currency),
            cash=quantize(sale.cash or ZERO, currency),
        )
        for sale in Sale.objects.filter(session=session, late=True)
        .select_related("cashier")
        .annotate(cash=Sum("payments__amount", filter=Q(payments__method=PaymentMethod.CASH)))
        .order_by("sold_at", "id")
    ]
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
        opening_float=summary["opening_float"],
        sales_count=summary["sales_count"],
        returns_count=summary["returns_count"],
        revenue=summary["revenue"],
        cash_in=summary["cash_in"],
        cash_change=summary["cash_change"],
        cash_refunds=summary["cash_refunds"],
        withdrawals=summary["withdrawals"],
        paid_in=summary["paid_in"],
        paid_out=summary["paid_out"],
        expected=summary["expected_cash"],
        counted=summary["counted_cash"],
        difference=summary["difference"],
        note=session.closing_note,
        by_method=by_method,
        movements=movements,
        denominations=_denominations(summary["counted_denominations"], currency),
        late_sales=late_sales,
        late_total=summary["late_sales"]["total"],
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
