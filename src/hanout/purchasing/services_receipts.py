"""Every write that ends a purchase order's wait: receiving deliveries, closing, cancelling.

- Receiving posts one `receipt` movement per line through the stock ledger
  (`inventory.services.stock_apply`), which keeps the weighted average cost, and
  records a `PurchaseReceipt` with its lines. Receiving more than is still
  expected needs a reason. The PO row is locked first, so two people receiving
  the same PO at once are serialised and `received_quantity` is never lost.
- Closing short-closes what is missing; cancelling is allowed only before any
  delivery.

Split from `hanout.purchasing.services` (drafting and sending) to keep each
module to one part of the PO's life; the pieces both need (the row lock, the
history row, the event) are in `hanout.purchasing.services_shared`.
`hanout.purchasing.services` still re-exports every public name here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock, idempotency
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.inventory.ledger import MoveLine, parse_money, parse_quantity, qty_text
from hanout.inventory.models import Location, MovementReason
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from hanout.purchasing.services_shared import (
    OPEN,
    _check_location,
    _emit,
    _event,
    _fail,
    _locked,
    _who,
)

# What each audit action code of this module means to a person reading the history.
ACTION_LABELS = {
    "purchase_order.receive": gettext_lazy("Received a delivery"),
    "purchase_order.close": gettext_lazy("Closed a purchase order"),
    "purchase_order.cancel": gettext_lazy("Cancelled a purchase order"),
}


FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class ReceiveLine:
    """One line of a delivery: a PO line and how much came (`unit_cost` None = the PO's)."""

    line: Any  # a PurchaseOrderLine or its id
    quantity: Any
    unit_cost: Any = None


def _receive_lines(lines) -> list[ReceiveLine]:
    if isinstance(lines, dict):
        return [ReceiveLine(line=k, quantity=v) for k, v in lines.items()]
    out = []
    for item in lines or []:
        if isinstance(item, ReceiveLine):
            out.append(item)
        elif isinstance(item, dict):
            out.append(
                ReceiveLine(
                    line=item.get("line"),
                    quantity=item.get("quantity"),
                    unit_cost=item.get("unit_cost"),
                )
            )
        else:
            line, qty = item
            out.append(ReceiveLine(line=line, quantity=qty))
    return out


def _received_moment(value, order: PurchaseOrder) -> datetime:
    now = clock.now()
    if value in (None, ""):
        return now
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value))
        except ValueError:
            raise _fail("received_at", _("Enter a date and time.")) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=order.location.shop.tz)
    if value > now + FUTURE_SLACK:
        raise _fail("received_at", _("A delivery cannot be received in the future."))
    if order.ordered_on and value.astimezone(order.location.shop.tz).date() < order.ordered_on:
        raise _fail("received_at", _("A delivery cannot arrive before the order was sent."))
    return value


def _save_received(lines: list[PurchaseOrderLine]) -> None:
    """The new received quantities: one UPDATE per line sent together (executemany),
    much faster than `bulk_update`'s CASE over 500 lines."""
    field = PurchaseOrderLine._meta.get_field("received_quantity")
    pk = PurchaseOrderLine._meta.pk
    stamp = connection.ops.adapt_datetimefield_value(clock.now())
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {q(PurchaseOrderLine._meta.db_table)} SET received_quantity = %s,"  # noqa: S608
            " updated_at = %s WHERE id = %s",
            [
                (
                    field.get_db_prep_save(line.received_quantity, connection),
                    stamp,
                    pk.get_db_prep_value(line.pk, connection),
                )
                for line in lines
            ],
        )


@transaction.atomic
def purchase_order_receive(
    *,
    order: PurchaseOrder,
    actor,
    lines,
    location: Location | None = None,
    delivery_note: str = "",
    over_receipt_reason: str = "",
    received_at=None,
    client_uuid: uuid.UUID | None = None,
) -> PurchaseReceipt:
    """Receive one delivery of a sent PO.

    `lines`: {line_id: quantity}, or a list of ReceiveLine / {"line", "quantity",
    "unit_cost"} / (line_id, quantity); lines at 0 are skipped. Each received line
    posts a `receipt` movement into `location` (default: the PO's) at the line's
    unit cost (or the one given for this delivery), so the weighted average cost
    follows. More than what is still expected needs `over_receipt_reason`.
    The PO row is locked for the whole delivery: concurrent receipts of the same
    PO are serialised. Idempotent on `client_uuid` (the same key returns the
    first receipt; other data with it is a 409). Nothing is written on error.
    """
    from hanout.inventory.services import stock_apply

    business = order.business
    wanted = _receive_lines(lines)
    payload = {
        "order": str(order.pk),
        "location": str(getattr(location, "pk", "")),
        "delivery_note": delivery_note or "",
        "over_receipt_reason": over_receipt_reason or "",
        "received_at": str(received_at or ""),
        "lines": [
            [str(getattr(w.line, "pk", w.line)), str(w.quantity), str(w.unit_cost)] for w in wanted
        ],
    }
    first = idempotency.claim(
        business=business, key=client_uuid, scope="purchase_order.receive", payload=payload
    )
    if first is not None:
        return PurchaseReceipt.objects.get(business=business, pk=first)

    order = _locked(order)
    if order.status not in OPEN:
        msg = (
            _("Send this purchase order before receiving it.")
            if order.status == POStatus.DRAFT
            else _("This purchase order is %(status)s: nothing more can be received.")
            % {"status": order.get_status_display().lower()}
        )
        raise Conflict(msg, code="not_receivable")
    location = _check_location(business, location or order.location)
    if location.pk == order.location_id:
        location = order.location
    moment = _received_moment(received_at, order)
    delivery_note = (delivery_note or "").strip()
    over_reason = (over_receipt_reason or "").strip()
    if len(delivery_note) > 120:
        raise _fail("delivery_note", _("Keep the delivery note under 120 characters."))
    if len(over_reason) > 500:
        raise _fail("over_receipt_reason", _("Keep the reason under 500 characters."))

    order_lines = {
        str(line.pk): line for line in order.lines.select_related("product").order_by("position")
    }
    taken, chosen = set(), []
    for i, w in enumerate(wanted):
        prefix = f"lines[{i}]."
        line = order_lines.get(str(getattr(w.line, "pk", w.line)))
        if line is None:
            raise _fail(
                f"{prefix}line", _("This line is not on this purchase order."), cls=NotFound
            )
        if line.pk in taken:
            raise _fail(f"{prefix}line", _("This line is given twice."))
        taken.add(line.pk)
        qty = parse_quantity(w.quantity, field=f"{prefix}quantity", product=line.product)
        if qty < 0:
            raise _fail(f"{prefix}quantity", _("A delivery cannot have a negative quantity."))
        if qty == 0:
            continue
        cost = line.unit_cost
        if w.unit_cost not in (None, ""):
            cost = parse_money(w.unit_cost, business=business, field=f"{prefix}unit_cost")
        chosen.append((prefix, line, qty, cost))
    if not chosen:
        raise _fail("lines", _("Enter the quantity received of at least one line."))
    over = [(prefix, line, qty) for prefix, line, qty, _cost in chosen if qty > line.remaining]
    if over and not over_reason:
        fields = {
            f"{prefix}quantity": [
                _("%(product)s: %(qty)s received, only %(left)s still expected.")
                % {
                    "product": line.product.name,
                    "qty": qty_text(qty),
                    "left": qty_text(line.remaining),
                }
            ]
            for prefix, line, qty in over
        }
        msg = _("More than ordered was entered: say why, or correct the quantities.")
        fields["over_receipt_reason"] = [msg]
        raise ValidationFailed(msg, code="over_receipt", fields=fields)

    movements = stock_apply(
        business=business,
        actor=actor,
        lines=[MoveLine(line.product, location, qty, cost) for _p, line, qty, cost in chosen],
        reason=MovementReason.RECEIPT,
        reference=order.reference,
        note=delivery_note,
    )
    receipt = PurchaseReceipt.objects.create(
        business=business,
        order=order,
        location=location,
        received_at=moment,
        received_by=_who(actor),
        delivery_note=delivery_note,
        over_receipt_reason=over_reason if over else "",
        movement_group=movements[0].group if movements else None,
        client_uuid=client_uuid,
    )
    PurchaseReceiptLine.objects.bulk_create(
        [
            PurchaseReceiptLine(
                business=business,
                receipt=receipt,
                order_line=line,
                quantity=qty,
                unit_cost=cost,
                movement=movement,
            )
            for (_p, line, qty, cost), movement in zip(chosen, movements, strict=True)
        ]
    )
    for _p, line, qty, _cost in chosen:
        line.received_quantity += qty
    _save_received([line for _p, line, _q, _c in chosen])
    complete = all(line.received_quantity >= line.quantity for line in order_lines.values())
    before = order.status
    order.status = POStatus.RECEIVED if complete else POStatus.PARTIAL
    if complete:
        order.received_at = moment
    order.save(update_fields=["status", "received_at", "updated_at"])
    received = sum((qty for _p, _l, qty, _c in chosen), Decimal(0))
    ordered = sum((line.quantity for line in order_lines.values()), Decimal(0))
    so_far = sum((line.received_quantity for line in order_lines.values()), Decimal(0))
    note = _("Received %(qty)s (%(so_far)s of %(ordered)s so far)") % {
        "qty": qty_text(received),
        "so_far": qty_text(so_far),
        "ordered": qty_text(ordered),
    }
    if delivery_note:
        note += f" · {delivery_note}"
    _event(order, actor, order.status, note=note, at=moment)
    audit.record(
        business=business,
        actor=actor,
        action="purchase_order.receive",
        obj=order,
        object_repr=order.reference,
        changes={
            "status": [before, order.status],
            **{
                line.product.name: [
                    qty_text(line.received_quantity - qty),
                    qty_text(line.received_quantity),
                ]
                for _p, line, qty, _c in chosen[:50]
            },
            **({"over_receipt_reason": [None, over_reason]} if over else {}),
        },
    )
    idempotency.remember(business=business, key=client_uuid, result_id=receipt.pk)
    _emit(
        "purchase_order.received",
        order,
        receipt=receipt.pk,
        location=location.pk,
        lines=len(chosen),
        complete=complete,
    )
    return receipt


@transaction.atomic
def purchase_order_close(*, order: PurchaseOrder, actor, note: str = "") -> PurchaseOrder:
    """Close a sent, partly or fully received PO: what is still missing will not come."""
    order = _locked(order)
    if order.status not in (*OPEN, POStatus.RECEIVED):
        msg = (
            _("A draft is not closed: cancel it instead.")
            if order.status == POStatus.DRAFT
            else _("This purchase order is already %(status)s.")
            % {"status": order.get_status_display().lower()}
        )
        raise Conflict(msg, code="not_closable")
    note = (note or "").strip()[:500]
    missing = sum((line.remaining for line in order.lines.all()), Decimal(0))
    if not note and missing:
        note = _("Closed with %(qty)s not delivered") % {"qty": qty_text(missing)}
    before = order.status
    order.status = POStatus.CLOSED
    order.closed_at = clock.now()
    order.save(update_fields=["status", "closed_at", "updated_at"])
    _event(order, actor, POStatus.CLOSED, note=note, at=order.closed_at)
    audit.record(
        business=order.business,
        actor=actor,
        action="purchase_order.close",
        obj=order,
        object_repr=order.reference,
        changes={"status": [before, POStatus.CLOSED], "missing": [None, qty_text(missing)]},
    )
    _emit("purchase_order.closed", order, missing=missing)
    return order


@transaction.atomic
def purchase_order_cancel(*, order: PurchaseOrder, actor, note: str = "") -> PurchaseOrder:
    """Cancel a draft or a sent PO before any delivery (after one, close it instead)."""
    order = _locked(order)
    if order.status not in (POStatus.DRAFT, POStatus.SENT) or order.receipts.exists():
        msg = (
            _("Goods were already received on this order: close it instead.")
            if order.status in (POStatus.PARTIAL, POStatus.RECEIVED)
            else _("This purchase order is already %(status)s.")
            % {"status": order.get_status_display().lower()}
        )
        raise Conflict(msg, code="not_cancellable")
    before = order.status
    order.status = POStatus.CANCELLED
    order.closed_at = clock.now()
    order.save(update_fields=["status", "closed_at", "updated_at"])
    _event(order, actor, POStatus.CANCELLED, note=(note or "").strip()[:500], at=order.closed_at)
    audit.record(
        business=order.business,
        actor=actor,
        action="purchase_order.cancel",
        obj=order,
        object_repr=order.reference,
        changes={"status": [before, POStatus.CANCELLED]},
    )
    _emit("purchase_order.cancelled", order)
    return order
