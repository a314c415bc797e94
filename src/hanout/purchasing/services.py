"""Every write on purchase orders and their deliveries: one function per business action.

The life of a purchase order (PO):

    draft ──send──▶ sent ──receive──▶ partial ──receive──▶ received ──close──▶ closed
      │               │                  │
      └──cancel──▶ cancelled ◀──cancel───┘ (only before any delivery)      partial ──close──▶ closed

- A draft's lines are edited freely (`purchase_order_set_lines`); each line is
  one product, with the supplier's reference and our unit cost (from the
  supplier's catalog unless given).
- Sending fixes the order date (the shop's local day), and emails the supplier
  an A4 PDF of the order (`hanout.purchasing.pdf`); a PO agreed by phone can be
  marked sent without an email.
- Receiving, closing and cancelling are in `hanout.purchasing.services_receipts`
  (re-exported here); the row lock, the history row and the events both share
  are in `hanout.purchasing.services_shared`.

Every status change appends a `PurchaseOrderEvent` (date, author, note), an
audit row, and an event after commit (`purchase_order.<action>`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog.models import Product
from hanout.core import audit, clock, idempotency
from hanout.core.errors import Conflict, NotFound
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.core.sequences import next_number
from hanout.inventory.ledger import own, parse_money, parse_quantity, qty_text
from hanout.inventory.models import Location
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
)

# re-exported: part of this module's contract (receiving, closing, cancelling moved there)
from hanout.purchasing.services_receipts import (  # noqa: F401
    FUTURE_SLACK,
    ReceiveLine,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_receive,
)

# OPEN and local_today are re-exported too: part of this module's contract
from hanout.purchasing.services_shared import (  # noqa: F401
    OPEN,
    _check_location,
    _emit,
    _event,
    _fail,
    _locked,
    _who,
    local_today,
)
from hanout.suppliers.models import Supplier, SupplierProduct

# What each audit action code of this module means to a person reading the history.
ACTION_LABELS = {
    "purchase_order.create": gettext_lazy("Drafted a purchase order"),
    "purchase_order.update": gettext_lazy("Changed a draft purchase order"),
    "purchase_order.lines": gettext_lazy("Changed the lines of a purchase order"),
    "purchase_order.send": gettext_lazy("Sent a purchase order"),
    "purchase_order.resend": gettext_lazy("Emailed a purchase order again"),
}

MAX_LINES = 2000


@dataclass(frozen=True)
class POLineInput:
    """One line of a draft: `unit_cost`/`supplier_sku` None = from the supplier's catalog."""

    product: Product | None
    quantity: Any
    unit_cost: Any = None
    supplier_sku: str | None = None


# --- helpers -------------------------------------------------------------------------------------


def _check_supplier(business: Business, supplier) -> Supplier:
    if supplier is None or getattr(supplier, "business_id", None) != business.pk:
        raise _fail("supplier", _("This supplier was not found."), cls=NotFound)
    supplier = Supplier.objects.for_business(business).get(pk=supplier.pk)  # fresh flag
    if not supplier.is_active:
        raise _fail("supplier", _("This supplier is inactive: reactivate it first."))
    return supplier


def _default_location(business: Business) -> Location:
    location = (
        Location.objects.for_business(business)
        .filter(is_active=True)
        .select_related("shop")
        .order_by("-is_default", "created_at", "id")
        .first()
    )
    if location is None:
        raise _fail("location", _("Add a stock location first."))
    return location


def _check_expected(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value)[:10])
        except ValueError:
            raise _fail("expected_on", _("Enter a date.")) from None
    if not date(2000, 1, 1) <= value <= date(2999, 12, 31):
        raise _fail("expected_on", _("Enter a realistic date."))
    return value


def _lines_data(
    business: Business, supplier: Supplier, lines: list[POLineInput]
) -> list[PurchaseOrderLine]:
    """Check every line and build the (unsaved) PO lines; costs from the catalog by default."""
    if len(lines) > MAX_LINES:
        raise _fail("lines", _("At most %(n)d lines per order.") % {"n": MAX_LINES})
    products = [line.product for line in lines]
    catalog = {
        item.product_id: item
        for item in SupplierProduct.objects.filter(
            business=business,
            supplier=supplier,
            product_id__in=[p.pk for p in products if getattr(p, "business_id", None)],
        )
    }
    seen, out = set(), []
    for i, line in enumerate(lines):
        prefix = f"lines[{i}]."
        product = own(business, line.product, field=f"{prefix}product")
        if product.pk in seen:
            raise _fail(
                f"{prefix}product",
                _("“%(product)s” is already on this order: change its quantity instead.")
                % {"product": product.name},
            )
        seen.add(product.pk)
        qty = parse_quantity(line.quantity, field=f"{prefix}quantity", product=product)
        if qty <= 0:
            raise _fail(f"{prefix}quantity", _("Order a positive quantity."))
        item = catalog.get(product.pk)
        if line.unit_cost in (None, ""):
            cost = item.cost if item else product.cost
            cost = quantize(cost, business.currency)
        else:
            cost = parse_money(line.unit_cost, business=business, field=f"{prefix}unit_cost")
        sku = line.supplier_sku
        if sku is None:
            sku = item.supplier_sku if item else ""
        sku = str(sku).strip()[:64]
        out.append(
            PurchaseOrderLine(
                business=business,
                position=i,
                product=product,
                supplier_sku=sku,
                quantity=qty,
                unit_cost=cost,
                total=quantize(qty * cost, business.currency),
            )
        )
    return out


# --- drafting ------------------------------------------------------------------------------------


@transaction.atomic
def purchase_order_create(
    *,
    business: Business,
    actor,
    supplier: Supplier,
    lines: list[POLineInput] | None = None,
    location: Location | None = None,
    expected_on=None,
    note: str = "",
    client_uuid: uuid.UUID | None = None,
) -> PurchaseOrder:
    """Draft a PO to `supplier`, numbered PO-000001, 2, 3 … without gaps.

    Lines may be empty (added later on the draft). The goods go to `location`
    (default: the business's selling location). Idempotent on `client_uuid`:
    the same key again returns the first PO; with other data it is a 409.
    """
    lines = list(lines or [])
    payload = {
        "supplier": str(getattr(supplier, "pk", supplier)),
        "location": str(getattr(location, "pk", "")),
        "expected_on": str(expected_on or ""),
        "note": note or "",
        "lines": [
            [str(getattr(x.product, "pk", "")), str(x.quantity), str(x.unit_cost), x.supplier_sku]
            for x in lines
        ],
    }
    first = idempotency.claim(
        business=business, key=client_uuid, scope="purchase_order.create", payload=payload
    )
    if first is not None:
        return PurchaseOrder.objects.get(business=business, pk=first)
    supplier = _check_supplier(business, supplier)
    location = _check_location(business, location or _default_location(business))
    expected = _check_expected(expected_on)
    note = (note or "").strip()
    if len(note) > 2000:
        raise _fail("note", _("Keep the note under 2,000 characters."))
    built = _lines_data(business, supplier, lines)
    order = PurchaseOrder.objects.create(
        business=business,
        supplier=supplier,
        number=next_number(business=business, key="purchase_order"),
        location=location,
        expected_on=expected,
        note=note,
        total=sum((line.total for line in built), Decimal(0)),
        created_by=_who(actor),
        client_uuid=client_uuid,
    )
    for line in built:
        line.order = order
    PurchaseOrderLine.objects.bulk_create(built)
    _event(order, actor, POStatus.DRAFT)
    audit.record(
        business=business,
        actor=actor,
        action="purchase_order.create",
        obj=order,
        object_repr=order.reference,
        changes={"supplier": [None, supplier.name], "lines": [None, len(built)]},
    )
    idempotency.remember(business=business, key=client_uuid, result_id=order.pk)
    _emit("purchase_order.created", order)
    return order


@transaction.atomic
def purchase_order_update(*, order: PurchaseOrder, actor, data: dict[str, Any]) -> PurchaseOrder:
    """Change a draft's delivery location, expected date or note (keys present in `data`)."""
    order = _locked(order)
    business = order.business
    if order.status != POStatus.DRAFT and set(data) - {"expected_on", "note"}:
        raise Conflict(_("Only a draft can be changed this way."), code="not_draft")
    if order.status not in (POStatus.DRAFT, *OPEN):
        raise Conflict(_("This purchase order is finished."), code="finished")
    changes = {}
    if "location" in data and data["location"] is not None:
        location = _check_location(business, data["location"])
        if location.pk != order.location_id:
            changes["location"] = [order.location.name, location.name]
            order.location = location
    if "expected_on" in data:
        expected = _check_expected(data["expected_on"])
        if expected != order.expected_on:
            changes["expected_on"] = [str(order.expected_on or ""), str(expected or "")]
            order.expected_on = expected
    if "note" in data:
        note = (data["note"] or "").strip()
        if len(note) > 2000:
            raise _fail("note", _("Keep the note under 2,000 characters."))
        if note != order.note:
            changes["note"] = [order.note, note]
            order.note = note
    if changes:
        order.save()
        audit.record(
            business=business,
            actor=actor,
            action="purchase_order.update",
            obj=order,
            object_repr=order.reference,
            changes=changes,
        )
        _emit("purchase_order.updated", order, fields=sorted(changes))
    return order


@transaction.atomic
def purchase_order_set_lines(
    *, order: PurchaseOrder, actor, lines: list[POLineInput]
) -> PurchaseOrder:
    """Replace a draft's lines (the draft page saves them all at once)."""
    order = _locked(order)
    if order.status != POStatus.DRAFT:
        raise Conflict(
            _("The lines of a sent purchase order cannot change."),
            code="not_draft",
            fields={"lines": [_("Only a draft's lines can change.")]},
        )
    built = _lines_data(order.business, order.supplier, list(lines))
    before = {
        str(pid): qty_text(qty) for pid, qty in order.lines.values_list("product__name", "quantity")
    }
    order.lines.all().delete()
    for line in built:
        line.order = order
    PurchaseOrderLine.objects.bulk_create(built)
    order.total = sum((line.total for line in built), Decimal(0))
    order.save(update_fields=["total", "updated_at"])
    after = {line.product.name: qty_text(line.quantity) for line in built}
    audit.record(
        business=order.business,
        actor=actor,
        action="purchase_order.lines",
        obj=order,
        object_repr=order.reference,
        changes={
            name: [before.get(name), after.get(name)]
            for name in sorted(set(before) | set(after))
            if before.get(name) != after.get(name)
        },
    )
    _emit("purchase_order.updated", order, fields=["lines"])
    return order


def purchase_orders_from_restock(
    *, business: Business, actor, groups, location: Location | None = None, supplier_ids=None
) -> list[PurchaseOrder]:
    """One draft per preferred supplier from restock suggestions (`inventory.selectors.
    restock_groups`); products without a preferred supplier are left out. `supplier_ids`
    limits it to those suppliers."""
    wanted = {str(s) for s in supplier_ids} if supplier_ids else None
    made = []
    with transaction.atomic():
        for group in groups:
            if group.supplier is None or not group.lines:
                continue
            if wanted is not None and str(group.supplier.pk) not in wanted:
                continue
            made.append(
                purchase_order_create(
                    business=business,
                    actor=actor,
                    supplier=group.supplier,
                    location=location,
                    note="",
                    lines=[
                        POLineInput(
                            product=line.product,
                            quantity=line.quantity,
                            unit_cost=line.unit_cost,
                            supplier_sku=line.supplier_sku,
                        )
                        for line in group.lines
                    ],
                )
            )
    return made


# --- sending -------------------------------------------------------------------------------------


def _check_email(email: str) -> str:
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.validators import validate_email

    email = (email or "").strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise _fail("email", _("Enter a valid email address.")) from None
    return email


def purchase_order_send(
    *, order: PurchaseOrder, actor, email: str | None = None, notify: bool = True
) -> PurchaseOrder:
    """Send a draft: status sent, order date = today in the shop, and (with `notify`)
    the A4 PDF emailed to `email` (default: the supplier's address).

    The PDF is drawn before the transaction (it takes a moment and must not hold
    the lock); the email leaves after commit through the queued mail backend.
    Sending a PO that is already sent (or partly received) emails it again.
    """
    from hanout.purchasing import pdf

    order = (
        PurchaseOrder.objects.select_related("supplier", "business", "location__shop")
        .filter(business_id=order.business_id)
        .get(pk=order.pk)
    )
    if order.status not in (POStatus.DRAFT, *OPEN):
        raise Conflict(_("This purchase order is finished: it cannot be sent."), code="finished")
    to = ""
    if notify:
        to = _check_email(order.supplier.email if email in (None, "") else email)
    if order.status == POStatus.DRAFT and not order.lines.exists():
        raise _fail("lines", _("Add at least one line before sending."))
    message = drawn_at = None
    if to:  # drawn outside the lock, as the supplier will see it
        drawn_at = order.updated_at
        if order.status == POStatus.DRAFT:
            order.ordered_on = local_today(order)
        message = pdf.purchase_order_email(order=order, email=to)
    with transaction.atomic():
        order = _locked(order)
        if order.status not in (POStatus.DRAFT, *OPEN):
            raise Conflict(
                _("This purchase order is finished: it cannot be sent."), code="finished"
            )
        resend = order.status != POStatus.DRAFT
        if not resend and not order.lines.exists():
            raise _fail("lines", _("Add at least one line before sending."))
        now = clock.now()
        if not resend:
            order.status = POStatus.SENT
            order.ordered_on = local_today(order)
        if to:
            order.sent_to, order.sent_at = to, now
            if order.updated_at != drawn_at:  # changed meanwhile: draw it again
                message = pdf.purchase_order_email(order=order, email=to)
        if not resend or to:
            order.save()
        if not resend:
            _event(order, actor, POStatus.SENT, note=to, at=now)
        elif not to:
            return order
        audit.record(
            business=order.business,
            actor=actor,
            action="purchase_order.resend" if resend else "purchase_order.send",
            obj=order,
            object_repr=order.reference,
            changes={"sent_to": [None, to]} if to else {"status": [POStatus.DRAFT, order.status]},
        )
        if message is not None:
            message.send()  # queued: leaves after commit
        _emit("purchase_order.sent", order, email=to)
    return order
