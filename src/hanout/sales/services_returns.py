"""Every write on customer returns: goods a customer brings back, from a shipped
customer order or from a register ticket.

`return_record` is one transaction, with its locks always taken in this order
(the same order as the register's own returns and the order's shipments, so the
paths never deadlock):

    1. the idempotency key of the request (a twin request waits on its index);
    2. the order row (an order return), then the lines of the order or the ticket,
       `SELECT … FOR UPDATE` ordered by id;
    3. the gapless return number (`core.sequences.next_number(key="return")`);
    4. the stock levels, through `inventory.services.stock_apply`;
    5. the credit note's number and the credited invoice (`credit_note_issue`).

How much can come back: a ticket line up to `SaleLine.quantity −
returned_quantity`, an order line up to `shipped_quantity − returned_quantity`.
The locked line's `returned_quantity` is raised in the same transaction, so the
register (which reads the same column under the same lock) can never take the
same units back again, and two returns of the same line cannot both squeeze in.

Amounts: a part of a line is its share of the line's total (discount included),
rounded once (`core.tax`); the last units of a line take whatever is left of the
line's total after every earlier return (register and back office), so a line
returned in pieces adds up to exactly what was paid. The refund is at most the
returned lines' total (a smaller refund keeps, say, a restocking fee). Parsing
and pricing the lines is in `sales.services_returns_lines` (re-exported here).

Goods, per line:

- restock: a `return` movement into the chosen location (default: the order's
  location, or the ticket register's);
- write-off: a `return` movement and a `write_off` movement of the same quantity
  at that location. The level does not change, and the ledger says what happened:
  the goods came back and were thrown away (a loss in the stock reports, valued
  at the average cost), instead of silently staying "sold".

A credit note is issued for the returned lines (`sales.services_credit_notes.
credit_note_issue`), crediting the order's or the ticket's invoice when there is
one. Audit `return.record`; event `return.recorded` after commit.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import NotFound
from hanout.core.money import quantize
from hanout.core.sequences import next_number
from hanout.inventory.ledger import MoveLine
from hanout.inventory.models import Location, MovementReason
from hanout.sales.models import (
    CustomerOrder,
    CustomerReturn,
    OrderLine,
    OrderStatus,
    RefundMethod,
    ReturnDisposition,
    ReturnLine,
)

# MAX_LINES, QTY_STEP, ZERO and ReturnLineInput are re-exported: part of this module's contract
from hanout.sales.services_returns_lines import (  # noqa: F401
    MAX_LINES,
    QTY_STEP,
    ZERO,
    ReturnLineInput,
    _bad,
    _key,
    _locked_order_lines,
    _locked_sale_lines,
    _parse_lines,
    _price,
)

ACTION_LABELS = {
    "return.record": gettext_lazy("Recorded a customer return"),
}

MAX_REASON = 500
MAX_REFERENCE = 120
SCOPE = "return.record"
# Orders whose shipped goods can come back (an order is never cancelled once shipped).
RETURNABLE_ORDER_STATUSES = (OrderStatus.PARTIAL, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def _uuid(value) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise _bad("client_uuid", _("Enter a valid UUID.")) from None


def _amount(value, business, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise _bad(field, _("Enter an amount."))
    if amount < 0:
        raise _bad(field, _("A refund cannot be negative."))
    if amount >= Decimal(10) ** 11:
        raise _bad(field, _("This number is too large."))
    return quantize(amount, business.currency)


def _text(value, field: str, *, limit: int, required: bool, message: str = "") -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not text:
        raise _bad(field, message or _("This field is required."))
    if len(text) > limit:
        raise _bad(field, _("Keep it under %(n)s characters.") % {"n": limit})
    return text


def _fingerprint(*, source, wanted, reason, refund_method, refund_amount, reference, location):
    return {
        "source": source,
        "lines": sorted([w.line_id, str(w.quantity), w.disposition] for w in wanted),
        "reason": reason,
        "refund_method": refund_method,
        "refund_amount": str(refund_amount) if refund_amount is not None else None,
        "refund_reference": reference,
        "location": _key(location) or None,
    }


def _replay(business, result_id) -> CustomerReturn:
    ret = CustomerReturn.objects.get(business=business, pk=result_id)
    ret.replayed = True
    return ret


# --- the service ---------------------------------------------------------------------------


def return_record(
    *,
    business,
    actor,
    lines: list,
    reason: str,
    refund_method: str,
    order: CustomerOrder | None = None,
    sale=None,
    location: Location | None = None,
    refund_amount=None,
    refund_reference: str = "",
    client_uuid=None,
) -> CustomerReturn:
    """Take back some lines of a shipped order or of a register ticket.

    `lines` are `ReturnLineInput`s (or dicts / tuples of line, quantity,
    disposition); a line is an `OrderLine` of `order` or a `SaleLine` of `sale`,
    by object or id. Everything is checked before anything is written, and every
    line that asks for too much is reported at once (400, code
    `return_too_much`). The same `client_uuid` again returns the first return
    (`.replayed` is True); with other data it is a 409.
    """
    if (order is None) == (sale is None):
        raise _bad("order", _("Take back goods from an order or from a ticket."))
    source = order if order is not None else sale
    if source.business_id != business.pk:
        field = "order" if order is not None else "sale"
        raise NotFound(_("This document was not found."), fields={field: [_("Not found.")]})
    if sale is not None and sale.kind != "sale":
        raise _bad("sale", _("A return ticket cannot itself be returned."))
    key = _uuid(client_uuid)
    reason = _text(
        reason, "reason", limit=MAX_REASON, required=True, message=_("Say why the goods come back.")
    )
    if refund_method not in RefundMethod.values:
        raise _bad("refund_method", _("Choose how the money is given back."))
    refund_reference = _text(
        refund_reference, "refund_reference", limit=MAX_REFERENCE, required=False
    )
    if refund_amount not in (None, ""):
        refund_amount = _amount(refund_amount, business, "refund_amount")
    else:
        refund_amount = None
    if location is not None:
        if location.business_id != business.pk:
            raise NotFound(
                _("This location was not found."), fields={"location": [_("Not found.")]}
            )
        if not location.is_active:
            raise _bad("location", _("This location is switched off."))
    wanted = _parse_lines(lines)
    payload = _fingerprint(
        source=f"{'order' if order is not None else 'sale'}:{source.pk}",
        wanted=wanted,
        reason=reason,
        refund_method=refund_method,
        refund_amount=refund_amount,
        reference=refund_reference,
        location=location,
    )
    try:
        with transaction.atomic():
            first = idempotency.claim(business=business, key=key, scope=SCOPE, payload=payload)
            if first is not None:
                return _replay(business, first)
            ret = _write(
                business=business,
                actor=actor,
                order=order,
                sale=sale,
                wanted=wanted,
                reason=reason,
                refund_method=refund_method,
                refund_amount=refund_amount,
                refund_reference=refund_reference,
                location=location,
                key=key,
            )
            idempotency.remember(business=business, key=key, result_id=ret.pk)
    except IntegrityError:
        # A twin with the same key committed between our claim and our insert: its
        # key row exists now, so `claim` only compares (409 when the data differ).
        if (
            key is None
            or not CustomerReturn.objects.filter(business=business, client_uuid=key).exists()
        ):
            raise
        first = idempotency.claim(business=business, key=key, scope=SCOPE, payload=payload)
        return _replay(business, first)
    return ret


def _default_location(order, sale) -> Location:
    if order is not None:
        return order.location
    from hanout.pos.services import register_location

    return register_location(sale.register)


def _post_stock(*, business, actor, priced, location, reference, reason):
    """The return movements (every line), then the write-off of the written-off ones.
    Returns (movement per priced line, the group of the return movements)."""
    from hanout.inventory.services import stock_apply

    back = stock_apply(
        business=business,
        actor=actor,
        lines=[MoveLine(p.product, location, p.wanted.quantity) for p in priced],
        reason=MovementReason.RETURN,
        reference=reference,
        note=reason,
    )
    movements = list(back)
    thrown = [
        i for i, p in enumerate(priced) if p.wanted.disposition == ReturnDisposition.WRITE_OFF
    ]
    if thrown:
        gone = stock_apply(
            business=business,
            actor=actor,
            lines=[
                MoveLine(priced[i].product, location, -priced[i].wanted.quantity) for i in thrown
            ],
            reason=MovementReason.WRITE_OFF,
            reference=reference,
            note=_("Returned and written off: %(reason)s") % {"reason": reason},
        )
        for i, movement in zip(thrown, gone, strict=True):
            movements[i] = movement
    return movements, (back[0].group if back else None)


def _write(
    *,
    business,
    actor,
    order,
    sale,
    wanted,
    reason,
    refund_method,
    refund_amount,
    refund_reference,
    location,
    key,
) -> CustomerReturn:
    from hanout.sales.services_credit_notes import CreditLine, credit_note_issue
    from hanout.sales.services_invoices import invoice_for_return_target

    currency = business.currency
    if order is not None:
        locked = _locked_order_lines(business, order)
        order = CustomerOrder.objects.select_related("location", "customer").get(pk=order.pk)
        if order.status not in RETURNABLE_ORDER_STATUSES:
            raise _bad(
                "order",
                _("Nothing of order %(number)s was shipped: there is nothing to take back.")
                % {"number": order.reference},
                code="order_not_shipped",
            )
    else:
        locked = _locked_sale_lines(business, sale)
    priced = _price(business=business, order=order, sale=sale, wanted=wanted, locked=locked)
    total = quantize(sum((p.total for p in priced), ZERO), currency)
    if refund_amount is None:
        refund_amount = total
    elif refund_amount > total:
        raise _bad(
            "refund_amount",
            _("The refund cannot be more than the returned goods: %(total)s.") % {"total": total},
            code="refund_too_much",
        )
    location = location or _default_location(order, sale)
    source = order if order is not None else sale
    ret = CustomerReturn(
        business=business,
        number=next_number(business=business, key="return"),
        order=order,
        sale=sale,
        customer=source.customer,
        reason=reason,
        location=location,
        refund_method=refund_method,
        refund_amount=refund_amount,
        refund_reference=refund_reference,
        returned_at=clock.now(),
        processed_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_uuid=key,
    )
    movements, group = _post_stock(
        business=business,
        actor=actor,
        priced=priced,
        location=location,
        reference=ret.reference,
        reason=reason,
    )
    ret.movement_group = group
    ret.save(force_insert=True)
    rows = [
        ReturnLine(
            business=business,
            customer_return=ret,
            order_line=p.source_line if order is not None else None,
            sale_line=p.source_line if sale is not None else None,
            product=p.product,
            name=p.name,
            quantity=p.wanted.quantity,
            unit_price=p.unit_price,
            tax_rate=p.tax_rate,
            total=p.total,
            tax_amount=p.tax_amount,
            disposition=p.wanted.disposition,
            movement=movement,
        )
        for p, movement in zip(priced, movements, strict=True)
    ]
    ReturnLine.objects.bulk_create(rows)
    _mark_returned(order=order, sale=sale, priced=priced)

    credit_note = credit_note_issue(
        business=business,
        actor=actor,
        lines=[
            CreditLine(
                product=p.product,
                name=p.name,
                sku=p.sku,
                quantity=p.wanted.quantity,
                unit_price=p.unit_price,
                tax_rate=p.tax_rate,
                total=p.total,
                tax_amount=p.tax_amount,
            )
            for p in priced
        ],
        reason=reason,
        invoice=invoice_for_return_target(customer_return=ret),
        customer=ret.customer,
        customer_return=ret,
    )
    audit.record(
        business=business,
        actor=actor,
        action="return.record",
        obj=ret,
        object_repr=(
            f"{ret.reference} ← {source}: {refund_amount} {currency} "
            f"({RefundMethod(refund_method).label}), {credit_note.reference}"
        ),
        changes={
            f"{p.name}: {_('returned')}": [
                str(p.source_line.returned_quantity - p.wanted.quantity),
                str(p.source_line.returned_quantity),
            ]
            for p in priced
        },
    )
    events.emit(
        "return.recorded",
        business=business,
        payload={
            "id": ret.pk,
            "number": ret.reference,
            "order": order.pk if order is not None else None,
            "sale": sale.pk if sale is not None else None,
            "customer": ret.customer_id,
            "refund_method": refund_method,
            "refund_amount": refund_amount,
            "total": total,
            "credit_note": credit_note.pk,
            "lines": [
                {
                    "product": p.product.pk,
                    "quantity": p.wanted.quantity,
                    "total": p.total,
                    "disposition": p.wanted.disposition,
                }
                for p in priced
            ],
        },
    )
    ret.replayed = False
    ret.total = total
    return ret


def _mark_returned(*, order, sale, priced) -> None:
    """Raise `returned_quantity` on the locked lines (one statement per model)."""
    changed = {}
    for p in priced:
        line = p.source_line
        line.returned_quantity = line.returned_quantity + p.wanted.quantity
        changed[line.pk] = line
    lines = list(changed.values())
    if order is not None:
        now = clock.now()
        for line in lines:
            line.updated_at = now
        OrderLine.objects.bulk_update(lines, ["returned_quantity", "updated_at"])
    else:
        from hanout.pos.models import SaleLine

        SaleLine.objects.bulk_update(lines, ["returned_quantity"])
