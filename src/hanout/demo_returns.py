"""Demo data for returns (called by hanout.demo.load_demo; idempotent).

Each demo business gets a return from one of yesterday's register tickets (one
unit back to stock, refunded in cash) and, when the orders demo shipped an
order, a return from that order (one unit written off, refunded by bank
transfer, crediting the order's invoice when the invoices demo made one). When
there is no shipped order yet, a second ticket return shows a write-off.
Everything goes through `services_returns.return_record`, so the numbers, the
stock movements, the credit notes and the audit are the real ones.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

ONE = Decimal(1)


def _owner(business, spec):
    from hanout.accounts.models import Membership

    return Membership.objects.get(business=business, user__email=spec["owner"].email).user


def _ticket_lines_left(business, *, skip=()):
    """(sale, line) pairs of register tickets with at least one unit still returnable."""
    from hanout.pos.models import LineKind, SaleLine

    lines = (
        SaleLine.objects.filter(
            business=business, sale__kind="sale", kind=LineKind.PRODUCT, product__isnull=False
        )
        .exclude(sale__in=list(skip))
        .select_related("sale")
        .order_by("sale__sold_at", "position")
    )
    return [(line.sale, line) for line in lines if line.quantity - line.returned_quantity >= ONE]


def _shipped_order_line(business):
    from hanout.sales.models import OrderLine, OrderStatus

    lines = (
        OrderLine.objects.filter(
            business=business,
            order__status__in=(OrderStatus.DELIVERED, OrderStatus.SHIPPED, OrderStatus.PARTIAL),
        )
        .select_related("order")
        .order_by("order__number", "position")
    )
    for line in lines:
        if line.shipped_quantity - line.returned_quantity >= ONE:
            return line
    return None


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    from hanout.sales import services_returns as returns
    from hanout.sales.models import CustomerReturn

    if CustomerReturn.objects.filter(business=business).exists():
        return
    owner = _owner(business, spec)
    candidates = _ticket_lines_left(business)
    if not candidates:
        return
    sale, line = candidates[-1]
    returns.return_record(
        business=business,
        actor=owner,
        sale=sale,
        lines=[returns.ReturnLineInput(line=line, quantity=ONE)],
        reason=_("Wrong flavour, unopened"),
        refund_method="cash",
    )
    order_line = _shipped_order_line(business)
    if order_line is not None:
        returns.return_record(
            business=business,
            actor=owner,
            order=order_line.order,
            lines=[returns.ReturnLineInput(line=order_line, quantity=ONE, disposition="write_off")],
            reason=_("Arrived damaged"),
            refund_method="bank",
            refund_reference="DEMO-RT-1",
        )
        return
    others = _ticket_lines_left(business, skip=[sale.pk])
    if others:
        other_sale, other_line = others[0]
        returns.return_record(
            business=business,
            actor=owner,
            sale=other_sale,
            lines=[returns.ReturnLineInput(line=other_line, quantity=ONE, disposition="write_off")],
            reason=_("Arrived damaged"),
            refund_method="card",
        )
