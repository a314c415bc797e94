"""Closing a partly shipped order short: the customer will not get the rest.

A partly shipped order can be neither cancelled (goods left the shop) nor
delivered (not everything went), and it would hold its remaining reservation
for ever. Closing it short releases what is still reserved, keeps what was
shipped, and moves it to *shipped* — so it is then delivered and invoiced like
any other order, for the shipped quantities (invoices bill `shipped_quantity`).
The reason is required: it is written in the order's history, the audit and
the `order.status_changed` event, with what was left unshipped.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from hanout.core.errors import ValidationFailed
from hanout.inventory.ledger import lock_levels, qty_text
from hanout.sales.models import CustomerOrder, OrderLine, OrderStatus
from hanout.sales.services_orders import _change_status, _locked, _refuse, _reserve_delta
from hanout.sales.services_orders_lines import ZERO

MAX_REASON = 300


@transaction.atomic
def order_close_short(*, order: CustomerOrder, actor, reason: str) -> CustomerOrder:
    """Partly shipped → shipped, giving back what is still reserved (409 from any other status)."""
    reason = " ".join((reason or "").split())
    if not reason:
        message = _("Say why the rest will not be shipped (e.g. out of stock at the supplier).")
        raise ValidationFailed(message, fields={"reason": [message]})
    if len(reason) > MAX_REASON:
        message = _("Keep the reason under %(n)d characters.") % {"n": MAX_REASON}
        raise ValidationFailed(message, fields={"reason": [message]})
    order = _locked(order)
    _refuse(order, (OrderStatus.PARTIAL,), _("closed short"))
    lines = list(order.lines.select_for_update(no_key=True).order_by("pk"))
    unshipped = {
        str(line.product_id): qty_text(line.quantity - line.shipped_quantity)
        for line in lines
        if line.quantity > line.shipped_quantity
    }
    reserved = [line for line in lines if line.reserved_quantity > 0]
    if reserved:
        location = order.location
        lock_levels(business=order.business, keys=[(location.pk, ln.product_id) for ln in reserved])
        release: dict = defaultdict(lambda: ZERO)
        for line in reserved:
            release[line.product_id] -= line.reserved_quantity
            line.reserved_quantity = ZERO
        _reserve_delta(order.business, location, release)
        OrderLine.objects.bulk_update(reserved, ["reserved_quantity"])
    _change_status(
        order,
        actor=actor,
        to=OrderStatus.SHIPPED,
        action="order.close_short",
        note=reason,
        changes={"reason": [None, reason], "unshipped": [None, unshipped]},
        extra={"closed_short": True, "unshipped": unshipped},
    )
    return order
