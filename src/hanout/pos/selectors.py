"""Reads of the register: registers, cash sessions, the Z figures, sales and tickets.

Every function is scoped to one business (another business's id is not found).
`session_summary` reads the session's running totals plus one grouped query over
its payments and one over its late sales, so a Z report of 5,000 sales costs the
same few queries as one of 5.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet, Sum

from hanout.core.errors import NotFound
from hanout.core.money import quantize
from hanout.pos.models import (
    CashMovementKind,
    CashSession,
    Payment,
    PaymentMethod,
    Register,
    RegisterDevice,
    Sale,
    SaleKind,
    SaleLine,
    SessionStatus,
)

ZERO = Decimal(0)


def _dec(value) -> Decimal:
    """SQLite sums decimals as floats: back to Decimal through str."""
    return Decimal(str(value)) if value is not None else ZERO


def _pk(value):
    pk = getattr(value, "pk", value)
    if isinstance(pk, uuid.UUID):
        return pk
    try:
        return uuid.UUID(str(pk))
    except (ValueError, TypeError, AttributeError) as exc:
        raise NotFound("Not found.") from exc


# --- registers -----------------------------------------------------------------------------


def register_list(*, business, shop=None) -> QuerySet[Register]:
    """The business's registers (active or not), by shop then name."""
    qs = Register.objects.for_business(business).select_related("business", "shop", "location")
    if shop is not None:
        qs = qs.filter(shop=getattr(shop, "pk", shop))
    return qs.order_by("shop__name", "name", "id")


def register_get(*, business, pk) -> Register:
    """One register; another business's or an unknown id raises Register.DoesNotExist."""
    try:
        return register_list(business=business).get(pk=pk)
    except (ValidationError, ValueError) as exc:
        raise Register.DoesNotExist from exc


def register_devices(*, business, active: bool | None = None) -> QuerySet[RegisterDevice]:
    """The business's paired devices, revoked ones too unless `active` says otherwise."""
    qs = RegisterDevice.objects.for_business(business).select_related("register__shop")
    if active is not None:
        qs = qs.filter(revoked_at__isnull=active)
    return qs.order_by("-created_at", "-id")


# --- cash sessions -------------------------------------------------------------------------


def session_list(*, business, register=None, status: str | None = None) -> QuerySet[CashSession]:
    qs = CashSession.objects.for_business(business).select_related(
        "register", "register__shop", "opened_by", "closed_by"
    )
    if register is not None:
        qs = qs.filter(register=getattr(register, "pk", register))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-opened_at", "-id")


def session_current(*, register) -> CashSession | None:
    """The register's open session, or None."""
    return (
        CashSession.objects.select_related("register", "opened_by")
        .filter(register=register, status=SessionStatus.OPEN)
        .first()
    )


def session_get(*, business, pk) -> CashSession:
    """One session; another business's or an unknown id raises CashSession.DoesNotExist."""
    try:
        return session_list(business=business).get(pk=pk)
    except (ValidationError, ValueError) as exc:
        raise CashSession.DoesNotExist from exc


def session_summary(*, session: CashSession) -> dict:
    """The Z report figures of a session.

    From the session's running totals (kept by the sales) plus three small
    queries: payments grouped by method, late sales (after the close; shown
    apart, not in the frozen figures), and the paid-in/paid-out list.
    """
    currency = session.business.currency

    def q(value):
        return quantize(_dec(value), currency)

    by_method = {
        row["method"]: row
        for row in Payment.objects.filter(sale__session=session, sale__late=False)
        .values("method")
        .annotate(amount=Sum("amount"), count=Count("id"))
    }
    methods = [
        {
            "method": method,
            "label": str(label),
            "amount": q(by_method.get(method, {}).get("amount")),
            "count": by_method.get(method, {}).get("count", 0),
        }
        for method, label in PaymentMethod.choices
        # Loyalty points only where they were used: most shops never take them.
        if method != PaymentMethod.POINTS or method in by_method
    ]
    late = Sale.objects.filter(session=session, late=True).aggregate(
        count=Count("id"), total=Sum("total"), revenue=Sum("revenue")
    )
    movements = [
        {
            "id": m.pk,
            "kind": m.kind,
            "label": m.get_kind_display(),
            "amount": q(m.amount),
            "reason": m.reason,
            "at": m.created_at,
            "actor": str(m.actor) if m.actor_id else "",
        }
        for m in session.movements.select_related("actor").order_by("created_at", "id")
    ]
    expected_now = q(session.expected_cash_now())
    closed = session.status == SessionStatus.CLOSED
    return {
        "id": session.pk,
        "number": session.number,
        "status": session.status,
        "register": session.register_id,
        "opened_at": session.opened_at,
        "closed_at": session.closed_at,
        "opening_float": q(session.opening_float),
        "cash_in": q(session.cash_in),
        "cash_change": q(session.cash_change),
        "cash_refunds": q(session.cash_refunds),
        "withdrawals": q(session.withdrawals),
        "paid_in": q(session.paid_in),
        "paid_out": q(session.paid_out),
        "movements": movements,
        "paid_in_count": sum(1 for m in movements if m["kind"] == CashMovementKind.PAID_IN),
        "paid_out_count": sum(1 for m in movements if m["kind"] == CashMovementKind.PAID_OUT),
        "sales_count": session.sales_count,
        "returns_count": session.returns_count,
        "revenue": q(session.revenue),
        "by_method": methods,
        "cash_sales": q(session.cash_in - session.cash_change),
        "expected_cash": q(session.expected_cash) if closed else expected_now,
        "counted_cash": q(session.counted_cash) if session.counted_cash is not None else None,
        "difference": q(session.difference) if session.difference is not None else None,
        "counted_denominations": session.counted_denominations or {},
        "late_sales": {
            "count": late["count"] or 0,
            "total": q(late["total"]),
            "revenue": q(late["revenue"]),
        },
        "currency": currency,
    }


# --- sales ---------------------------------------------------------------------------------


def _sales(business) -> QuerySet[Sale]:
    return Sale.objects.for_business(business).select_related(
        "register", "shop", "session", "cashier", "original"
    )


def sale_list(
    *,
    business,
    register=None,
    session=None,
    day: date | None = None,
    kind: str | None = None,
    tz=None,
    ticket: str = "",
) -> QuerySet[Sale]:
    """Sales and returns, newest first. `day` is a date in the shop's time zone (`tz`,
    default UTC); filter by register to use the shop's own zone. `ticket` is a number
    as printed, read as `ticket_parse` does (none match when it is not one): the
    registers number their tickets apart, so one number may name several."""
    qs = _sales(business)
    if ticket:
        parsed = ticket_parse(ticket)
        if parsed is None:
            return qs.none()
        qs = qs.filter(kind=parsed[0], number=parsed[1])
    if register is not None:
        qs = qs.filter(register=getattr(register, "pk", register))
        if tz is None and isinstance(register, Register):
            tz = register.shop.tz
    if session is not None:
        qs = qs.filter(session=getattr(session, "pk", session))
    if kind:
        qs = qs.filter(kind=kind)
    if day is not None:
        from zoneinfo import ZoneInfo

        zone = tz or ZoneInfo("UTC")
        start = datetime.combine(day, time(0), tzinfo=zone)
        qs = qs.filter(sold_at__gte=start, sold_at__lt=start + timedelta(days=1))
    return qs.order_by("-sold_at", "-id")


def with_lines(qs: QuerySet[Sale]) -> QuerySet[Sale]:
    return qs.prefetch_related(
        Prefetch("lines", queryset=SaleLine.objects.order_by("position")),
        Prefetch("payments", queryset=Payment.objects.order_by("created_at", "id")),
    )


def sale_get(*, business, pk) -> Sale:
    """One sale (or return) with its lines and payments; raises Sale.DoesNotExist."""
    try:
        return with_lines(_sales(business)).get(pk=pk)
    except (ValidationError, ValueError) as exc:
        raise Sale.DoesNotExist from exc


def ticket_parse(text: str, *, bare: str | None = SaleKind.SALE) -> tuple[str | None, int] | None:
    """A ticket number as printed (typed, or scanned from the paper): "000123" is sale
    123, "R000004" is return 4; spaces and the letter's case do not matter. None when
    the text is not a ticket number.

    `bare` is the kind a number without the R means: a sale for the API's `?ticket=`
    and the register's returns; None (a sale or a return) for the Tickets search."""
    text = "".join(str(text or "").split()).upper()
    kind = bare
    if text.startswith("R"):
        kind, text = SaleKind.RETURN, text[1:]
    # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return kind, int(text)


def sale_find(*, business, ticket: str, register=None) -> Sale | None:
    """A ticket by its printed number: "000123" (a sale) or "R000004" (a return).

    Without `register`, the most recent ticket with that number in the business."""
    parsed = ticket_parse(ticket)
    if parsed is None:
        return None
    qs = with_lines(_sales(business)).filter(kind=parsed[0], number=parsed[1])
    if register is not None:
        qs = qs.filter(register=getattr(register, "pk", register))
    return qs.order_by("-sold_at").first()
