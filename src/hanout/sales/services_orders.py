"""Every write on customer orders: create, edit a draft, confirm, pick, ship, deliver, cancel.

The life of an order
--------------------
draft → confirmed → picking → partly shipped → shipped → delivered, or
cancelled from draft, confirmed or picking. Each change is one
`OrderStatusChange` (dated by the clock, attributed to the actor), one audit
row and one `order.status_changed` event after commit.

Reservations
------------
Confirming reserves every line on `StockLevel.reserved` at the order's
location: available = on hand − reserved, and an order is confirmed only if
every product has enough available. The levels are locked with the ledger's
`lock_levels` (missing levels created, then `SELECT … FOR NO KEY UPDATE` in
(location, product) order — the order every stock operation locks in, so two
confirmations, a shipment and a register sale never deadlock). Every
shortfall is collected and raised at once (`InsufficientStock`, nothing
written). On SQLite the write transaction is serialised by BEGIN IMMEDIATE,
so the same code is safe there. Reservations are strict even when the
business allows selling below zero: a promise to a customer is not made on
stock we do not have.

Shipping posts `sale` movements through the ledger (`post_legs`: average cost,
low-stock flag, audit, `stock.moved`) and releases as much reservation as it
ships, in the same transaction. Cancelling releases what is still reserved;
an order that has shipped anything cannot be cancelled (its goods left: that
is a return).

Prices are the catalog's (tax included) unless a price or discount is given
and the caller is allowed to (`allow_price`: owners and managers); the tax of
each line is `core.tax.tax_inside`, rounded once per line. Parsing, pricing and
writing the lines is in `hanout.sales.services_orders_lines` (re-exported here).
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import Conflict, NotFound
from hanout.core.models import Business
from hanout.core.sequences import next_number
from hanout.customers.models import Customer
from hanout.inventory.ledger import InsufficientStock, Leg, lock_levels, post_legs, qty_text
from hanout.inventory.models import Location, MovementReason, StockLevel
from hanout.sales.models import (
    CustomerOrder,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    Shipment,
    ShipmentLine,
)

# MAX_LINES and OrderLineInput are re-exported: part of this module's contract
from hanout.sales.services_orders_lines import (  # noqa: F401
    MAX_LINES,
    ZERO,
    OrderLineInput,
    _fail,
    _priced_lines,
    _write_lines,
)

ACTION_LABELS = {
    "order.create": gettext_lazy("Created a customer order"),
    "order.update": gettext_lazy("Changed a draft customer order"),
    "order.confirm": gettext_lazy("Confirmed a customer order (stock reserved)"),
    "order.pick": gettext_lazy("Started picking a customer order"),
    "order.ship": gettext_lazy("Shipped a customer order"),
    "order.deliver": gettext_lazy("Marked a customer order delivered"),
    "order.cancel": gettext_lazy("Cancelled a customer order"),
    "order.close_short": gettext_lazy("Closed a partly shipped customer order short"),
}

CANCELLABLE = (OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.PICKING)
SHIPPABLE = (OrderStatus.CONFIRMED, OrderStatus.PICKING, OrderStatus.PARTIAL)
ORDER_FIELDS = ["promised_on", "shipping_address", "note"]


# --- helpers -------------------------------------------------------------------------------------


def _check_promised(promised_on) -> datetime.date | None:
    if promised_on in (None, ""):
        return None
    if isinstance(promised_on, datetime.datetime):
        promised_on = promised_on.date()
    if not isinstance(promised_on, datetime.date):
        try:
            promised_on = datetime.date.fromisoformat(str(promised_on))
        except ValueError:
            _fail("promised_on", _("Enter a date such as 2026-12-24."))
    if not datetime.date(2000, 1, 1) <= promised_on <= datetime.date(2100, 12, 31):
        _fail("promised_on", _("Enter a date between 2000 and 2100."))
    return promised_on


def _own_customer(business: Business, customer) -> Customer:
    if isinstance(customer, Customer) and customer.business_id == business.pk:
        return customer
    found = None
    if customer is not None and not isinstance(customer, Customer):
        try:
            found = Customer.objects.for_business(business).filter(pk=customer).first()
        except (ValueError, TypeError, DjangoValidationError):
            found = None
    if found is None:
        _fail("customer", _("This customer was not found."), NotFound)
    return found


def _own_location(business: Business, location) -> Location:
    if location is None:
        from hanout.core.models import Shop
        from hanout.inventory.services import default_location

        shop = Shop.objects.for_business(business).order_by("created_at", "id").first()
        if shop is None:
            _fail("location", _("This business has no shop to ship from."))
        return default_location(shop=shop)
    if isinstance(location, Location) and location.business_id == business.pk:
        return location
    found = None
    if not isinstance(location, Location):
        try:
            found = Location.objects.for_business(business).filter(pk=location).first()
        except (ValueError, TypeError, DjangoValidationError):
            found = None
    if found is None:
        _fail("location", _("This location was not found."), NotFound)
    return found


def _locked(order: CustomerOrder) -> CustomerOrder:
    return (
        CustomerOrder.objects.select_for_update(no_key=True, of=("self",))
        .select_related("business", "location", "customer")
        .get(pk=order.pk)
    )


def _change_status(
    order: CustomerOrder,
    *,
    actor,
    to: str,
    action: str,
    note: str = "",
    changes: dict | None = None,
    extra: dict | None = None,
) -> None:
    """Record one status change: the history row, the audit row, the event after commit."""
    before = order.status
    now = clock.now()
    order.status = to
    stamp = {
        OrderStatus.CONFIRMED: "confirmed_at",
        OrderStatus.DELIVERED: "delivered_at",
        OrderStatus.CANCELLED: "cancelled_at",
    }.get(to)
    fields = ["status", "updated_at"]
    if stamp:
        setattr(order, stamp, now)
        fields.append(stamp)
    order.save(update_fields=fields)
    OrderStatusChange.objects.create(
        business_id=order.business_id,
        order=order,
        from_status=before,
        to_status=to,
        at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=(note or "")[:500],
    )
    audit.record(
        business=order.business,
        actor=actor,
        action=action,
        obj=order,
        changes={"status": [before, to], **(changes or {})},
    )
    events.emit(
        "order.status_changed",
        business=order.business,
        payload={
            "id": order.pk,
            "number": order.number,
            "reference": order.reference,
            "from": before,
            "to": to,
            "at": now,
            **(extra or {}),
        },
    )


def _refuse(order: CustomerOrder, allowed, verb: str) -> None:
    if order.status not in allowed:
        message = _("Order %(ref)s is %(status)s: it cannot be %(verb)s.") % {
            "ref": order.reference,
            "status": OrderStatus(order.status).label.lower(),
            "verb": verb,
        }
        raise Conflict(message, code="order_status", fields={"status": [message]})


def _reserve_delta(business, location, deltas: dict) -> None:
    """Add (or with negatives, take back) reservations on levels already locked."""
    for product_id, delta in sorted(deltas.items(), key=lambda kv: str(kv[0])):
        if delta:
            StockLevel.objects.filter(
                business=business, location=location, product_id=product_id
            ).update(reserved=F("reserved") + delta, updated_at=clock.now())


# --- create and edit -----------------------------------------------------------------------------


@transaction.atomic
def order_create(
    *,
    business: Business,
    actor,
    customer,
    lines: list[OrderLineInput],
    location=None,
    promised_on=None,
    shipping_address: str | None = None,
    note: str = "",
    allow_price: bool = False,
    client_uuid: uuid.UUID | None = None,
) -> CustomerOrder:
    """Create a draft order SO-000123 (number gapless per business, taken in this
    transaction). Ships from `location` (default: the first shop's selling
    location) to `shipping_address` (default: the customer's address).

    The same `client_uuid` again returns the first order (`replayed` set); with
    another payload it is a 409. Nothing is reserved until `order_confirm`.
    """
    payload = {
        "customer": str(getattr(customer, "pk", customer)),
        "location": str(getattr(location, "pk", location)),
        "promised_on": str(promised_on),
        "shipping_address": shipping_address,
        "note": note,
        "lines": [
            [
                str(getattr(ln.product, "pk", ln.product)),
                ln.code,
                str(ln.quantity),
                str(ln.unit_price),
                str(ln.discount),
            ]
            for ln in lines
        ],
    }
    first = idempotency.claim(
        business=business, key=client_uuid, scope="order.create", payload=payload
    )
    if first is not None:
        order = CustomerOrder.objects.for_business(business).get(pk=first)
        order.replayed = True
        return order
    customer = _own_customer(business, customer)
    if not customer.is_active:
        _fail("customer", _("%(name)s is deactivated.") % {"name": customer.name})
    location = _own_location(business, location)
    promised = _check_promised(promised_on)
    priced = _priced_lines(business=business, lines=lines, allow_price=allow_price)
    address = customer.address if shipping_address is None else str(shipping_address).strip()
    if len(address) > 500 or len(note or "") > 2000:
        field = "shipping_address" if len(address) > 500 else "note"
        _fail(field, _("This text is too long."))
    order = CustomerOrder(
        business=business,
        customer=customer,
        number=next_number(business=business, key="customer_order"),
        location=location,
        promised_on=promised,
        shipping_address=address,
        note=(note or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_uuid=client_uuid,
    )
    order.save()
    _write_lines(order, priced)
    order.save(update_fields=["total", "tax_total", "discount_total"])
    OrderStatusChange.objects.create(
        business=business,
        order=order,
        from_status="",
        to_status=OrderStatus.DRAFT,
        at=clock.now(),
        actor=order.created_by,
    )
    audit.record(
        business=business,
        actor=actor,
        action="order.create",
        obj=order,
        changes={
            "customer": [None, customer.name],
            "total": [None, order.total],
            "lines": [None, len(priced)],
        },
    )
    idempotency.remember(business=business, key=client_uuid, result_id=order.pk)
    events.emit(
        "order.created",
        business=business,
        payload={"id": order.pk, "number": order.number, "total": order.total},
    )
    return order


@transaction.atomic
def order_update(
    *,
    order: CustomerOrder,
    actor,
    data: dict[str, Any] | None = None,
    lines: list[OrderLineInput] | None = None,
    allow_price: bool = False,
) -> CustomerOrder:
    """Change a draft: promised_on, shipping_address, note, location, customer, and
    (when `lines` is given) replace all its lines. A confirmed order is not edited:
    cancel it and make a new one, so a reservation always matches its lines."""
    order = _locked(order)
    _refuse(order, (OrderStatus.DRAFT,), _("changed"))
    business = order.business
    data = dict(data or {})
    changes: dict[str, list] = {}
    if "promised_on" in data:
        data["promised_on"] = _check_promised(data["promised_on"])
    for key in ("shipping_address", "note"):
        if key in data:
            data[key] = str(data[key] or "").strip()
            if len(data[key]) > (500 if key == "shipping_address" else 2000):
                _fail(key, _("This text is too long."))
    if "customer" in data:
        customer = _own_customer(business, data.pop("customer"))
        if customer.pk != order.customer_id:
            changes["customer"] = [order.customer.name, customer.name]
            order.customer = customer
    if "location" in data:
        location = _own_location(business, data.pop("location"))
        if location.pk != order.location_id:
            changes["location"] = [order.location.name, location.name]
            order.location = location
    before = audit.snapshot(order, ORDER_FIELDS)
    for key in ORDER_FIELDS:
        if key in data:
            setattr(order, key, data[key])
    changes |= audit.diff(before, audit.snapshot(order, ORDER_FIELDS))
    if lines is not None:
        priced = _priced_lines(business=business, lines=lines, allow_price=allow_price)
        old_total = order.total
        order.lines.all().delete()
        _write_lines(order, priced)
        if old_total != order.total:
            changes["total"] = [old_total, order.total]
        changes["lines"] = [None, len(priced)]
    if changes:
        order.save()
        audit.record(
            business=business, actor=actor, action="order.update", obj=order, changes=changes
        )
        events.emit(
            "order.updated", business=business, payload={"id": order.pk, "fields": sorted(changes)}
        )
    return order


# --- status changes ------------------------------------------------------------------------------


@transaction.atomic
def order_confirm(*, order: CustomerOrder, actor, note: str = "") -> CustomerOrder:
    """Reserve every line at the order's location and mark the order confirmed.

    All or nothing: if any product has less available (on hand − reserved) than
    the order needs, InsufficientStock lists every short product and nothing is
    reserved. Two confirmations racing for the last units queue on the level
    rows; the second sees the first's reservation.
    """
    order = _locked(order)
    _refuse(order, (OrderStatus.DRAFT,), _("confirmed"))
    business, location = order.business, order.location
    lines = list(order.lines.select_related("product").order_by("position", "id"))
    if not lines:
        _fail("lines", _("Add at least one line."))
    needed: dict = defaultdict(lambda: ZERO)
    products = {}
    for line in lines:
        needed[line.product_id] += line.quantity
        products[line.product_id] = line.product
    levels = lock_levels(business=business, keys=[(location.pk, pid) for pid in needed])
    shortfalls = []
    for pid, qty in sorted(needed.items(), key=lambda kv: products[kv[0]].name):
        level = levels[(location.pk, pid)]
        available = level.quantity - level.reserved
        if available < qty:
            shortfalls.append(
                {
                    "product": str(pid),
                    "product_name": products[pid].name,
                    "location": str(location.pk),
                    "location_name": location.name,
                    "available": max(available, ZERO),
                    "requested": qty,
                }
            )
    if shortfalls:
        raise InsufficientStock(shortfalls, field="lines")
    _reserve_delta(business, location, needed)
    for line in lines:
        line.reserved_quantity = line.quantity
    OrderLine.objects.bulk_update(lines, ["reserved_quantity"])
    _change_status(
        order,
        actor=actor,
        to=OrderStatus.CONFIRMED,
        action="order.confirm",
        note=note,
        changes={
            f"{products[p].name}: {_('reserved')}": [None, qty_text(q)] for p, q in needed.items()
        },
    )
    return order


@transaction.atomic
def order_pick(*, order: CustomerOrder, actor, note: str = "") -> CustomerOrder:
    """Someone is gathering the goods: confirmed → being picked."""
    order = _locked(order)
    _refuse(order, (OrderStatus.CONFIRMED,), _("picked"))
    _change_status(order, actor=actor, to=OrderStatus.PICKING, action="order.pick", note=note)
    return order


def _ship_quantities(order: CustomerOrder, lines: list[OrderLine], wanted) -> dict:
    """{line: quantity} to ship; `wanted` None ships everything still to ship."""
    from hanout.inventory.ledger import parse_quantity

    by_id = {str(line.pk): line for line in lines}
    if wanted is None:
        out = {ln: ln.quantity - ln.shipped_quantity for ln in lines}
        return {ln: q for ln, q in out.items() if q > 0}
    items = wanted.items() if isinstance(wanted, dict) else wanted
    out: dict = {}
    for i, (line_id, qty) in enumerate(items):
        field = f"lines[{i}]"
        line = by_id.get(str(getattr(line_id, "pk", line_id)))
        if line is None:
            _fail(f"{field}.line", _("This line is not on this order."), NotFound)
        qty = parse_quantity(qty, field=f"{field}.quantity", product=line.product)
        if qty == 0:
            continue
        if qty < 0:
            _fail(f"{field}.quantity", _("Enter a quantity above zero."))
        out[line] = out.get(line, ZERO) + qty
        left = line.quantity - line.shipped_quantity
        if out[line] > left:
            _fail(
                f"{field}.quantity",
                _("Only %(left)s of “%(name)s” are left to ship.")
                % {"left": qty_text(left), "name": line.name},
            )
    return out


@transaction.atomic
def order_ship(
    *,
    order: CustomerOrder,
    actor,
    lines=None,
    carrier: str = "",
    tracking: str = "",
    shipped_at: datetime.datetime | None = None,
    client_uuid: uuid.UUID | None = None,
) -> Shipment:
    """Ship some or all of what is left: one Shipment, a `sale` movement per line
    through the ledger, the same quantity of reservation released — one transaction.

    `lines`: {order_line_id: quantity} or [(id, quantity)]; None ships everything
    left. The order becomes partly shipped, or shipped when nothing is left. The
    same `client_uuid` again returns the first shipment (`replayed` set).
    """
    payload = {
        "order": str(order.pk),
        "lines": None
        if lines is None
        else sorted(
            [str(getattr(k, "pk", k)), str(v)]
            for k, v in (lines.items() if isinstance(lines, dict) else lines)
        ),
        "carrier": carrier,
        "tracking": tracking,
    }
    first = idempotency.claim(
        business=order.business, key=client_uuid, scope="order.ship", payload=payload
    )
    if first is not None:
        shipment = Shipment.objects.filter(business_id=order.business_id).get(pk=first)
        shipment.replayed = True
        return shipment
    order = _locked(order)
    _refuse(order, SHIPPABLE, _("shipped"))
    business, location = order.business, order.location
    carrier, tracking = (carrier or "").strip(), (tracking or "").strip()
    if len(carrier) > 80 or len(tracking) > 120:
        _fail("carrier" if len(carrier) > 80 else "tracking", _("This text is too long."))
    order_lines = list(
        order.lines.select_for_update(no_key=True, of=("self",))
        .select_related("product")
        .order_by("pk")
    )
    quantities = _ship_quantities(order, order_lines, lines)
    if not quantities:
        _fail("lines", _("Nothing to ship: enter a quantity on at least one line."))
    # Levels first (the ledger locks them again in the same order), then the ledger.
    lock_levels(business=business, keys=[(location.pk, ln.product_id) for ln in quantities])
    release: dict = defaultdict(lambda: ZERO)
    for line, qty in quantities.items():
        freed = min(qty, line.reserved_quantity)
        release[line.product_id] -= freed
        line.reserved_quantity -= freed
        line.shipped_quantity += qty
    _reserve_delta(business, location, release)
    ordered = sorted(quantities.items(), key=lambda kv: (kv[0].position, str(kv[0].pk)))
    from hanout.core.ids import uuid7

    group = uuid7()
    posted = post_legs(
        business=business,
        actor=actor,
        legs=[Leg(ln.product, location, MovementReason.SALE, quantity=-q) for ln, q in ordered],
        action="stock.sale",
        reference=order.reference,
        group=group,
        shortfall_field="lines",
    )
    OrderLine.objects.bulk_update(list(quantities), ["reserved_quantity", "shipped_quantity"])
    shipment = Shipment.objects.create(
        business=business,
        order=order,
        shipped_at=shipped_at or clock.now(),
        shipped_by=actor if getattr(actor, "is_authenticated", False) else None,
        carrier=carrier,
        tracking=tracking,
        movement_group=group,
        client_uuid=client_uuid,
    )
    ShipmentLine.objects.bulk_create(
        [
            ShipmentLine(
                business=business, shipment=shipment, order_line=ln, quantity=q, movement=p.movement
            )
            for (ln, q), p in zip(ordered, posted, strict=True)
        ]
    )
    done = all(ln.shipped_quantity >= ln.quantity for ln in order_lines)
    to = OrderStatus.SHIPPED if done else OrderStatus.PARTIAL
    extra = {"shipment": shipment.pk, "lines": [[str(ln.pk), qty_text(q)] for ln, q in ordered]}
    if to != order.status:
        _change_status(
            order,
            actor=actor,
            to=to,
            action="order.ship",
            extra=extra,
            changes={"shipment": [None, str(shipment.pk)]},
        )
    else:  # a further partial shipment: no status change, still on the record
        audit.record(
            business=business,
            actor=actor,
            action="order.ship",
            obj=order,
            changes={"shipment": [None, str(shipment.pk)]},
        )
        events.emit(
            "order.shipped",
            business=business,
            payload={"id": order.pk, "number": order.number, **extra},
        )
    idempotency.remember(business=business, key=client_uuid, result_id=shipment.pk)
    return shipment


@transaction.atomic
def order_deliver(*, order: CustomerOrder, actor, note: str = "") -> CustomerOrder:
    """The customer has everything: shipped → delivered (an invoice can be issued)."""
    order = _locked(order)
    _refuse(order, (OrderStatus.SHIPPED,), _("marked delivered"))
    _change_status(order, actor=actor, to=OrderStatus.DELIVERED, action="order.deliver", note=note)
    return order


@transaction.atomic
def order_cancel(*, order: CustomerOrder, actor, reason: str = "") -> CustomerOrder:
    """Cancel an order that has shipped nothing, releasing what it reserved.

    Refused (409) once anything shipped: those goods left the shop, which is a
    return, not a cancellation.
    """
    order = _locked(order)
    if order.status in (OrderStatus.PARTIAL, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        message = _(
            "Order %(ref)s has already shipped goods: it cannot be cancelled. Record a return instead."
        ) % {"ref": order.reference}
        raise Conflict(message, code="order_already_shipped", fields={"status": [message]})
    _refuse(order, CANCELLABLE, _("cancelled"))
    lines = list(order.lines.select_for_update(no_key=True).order_by("pk"))
    reserved = [ln for ln in lines if ln.reserved_quantity > 0]
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
        to=OrderStatus.CANCELLED,
        action="order.cancel",
        note=reason,
        changes={"reason": [None, reason]} if reason else None,
    )
    return order
