"""Every write on the inventory: one function per business action.

Moving stock (receipts, sales, returns, adjustments, write-offs, transfers,
counts, imports) goes through the ledger engine in `hanout.inventory.ledger`
(locks in a stable order, shortfalls, weighted average cost, low-stock
crossings, audit and events); this module holds the business actions and
their checks. Locations and thresholds are here too.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hanout.catalog.models import Product
from hanout.core import audit, clock
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import Business, Shop
from hanout.core.sequences import next_number
from hanout.core.services import full_clean_or_raise, model_update
from hanout.inventory.ledger import (  # noqa: F401 (re-exported: part of this module's contract)
    APPLY_REASONS,
    NOTE_REQUIRED,
    QTY_STEP,
    InsufficientStock,
    Leg,
    MoveLine,
    StockLevelRow,
    check_sign,
    idempotent,
    lock_levels,
    own,
    parse_money,
    parse_quantity,
    post_legs,
    qty_text,
)
from hanout.inventory.models import (
    CountStatus,
    Location,
    LocationKind,
    MovementReason,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMovement,
)

# What each audit action code of this app means to a person reading the history.
ACTION_LABELS = {
    "location.create": gettext_lazy("Added a stock location"),
    "location.update": gettext_lazy("Changed a stock location"),
    "stock.receipt": gettext_lazy("Received stock"),
    "stock.sale": gettext_lazy("Sold stock"),
    "stock.return": gettext_lazy("Took back returned stock"),
    "stock.adjustment": gettext_lazy("Adjusted stock"),
    "stock.write_off": gettext_lazy("Wrote off stock"),
    "stock.transfer": gettext_lazy("Moved stock between locations"),
    "stock.import": gettext_lazy("Imported stock levels"),
    "stock_level.thresholds": gettext_lazy("Changed a low-stock threshold"),
    "stock_count.start": gettext_lazy("Started a stock count"),
    "stock_count.lines": gettext_lazy("Entered counted quantities"),
    "stock_count.validate": gettext_lazy("Validated a stock count"),
    "stock_count.cancel": gettext_lazy("Cancelled a stock count"),
    "business.allow_negative_stock": gettext_lazy("Changed selling below zero stock"),
}

# --- moving stock ------------------------------------------------------------------------------


@transaction.atomic
def stock_apply(
    *,
    business: Business,
    actor,
    lines: list[MoveLine],
    reason: str,
    reference: str = "",
    note: str = "",
    client_uuid: uuid.UUID | None = None,
    actor_label: str = "",
) -> list[StockMovement]:
    """Post several lines as one operation (a sale's basket, a delivery).

    Quantities are signed and must fit the reason: receipt and return add,
    sale and write-off remove, adjustment either way. Every shortfall is
    collected and reported at once (InsufficientStock); nothing is written
    then. Returns the movements in line order; the same `client_uuid` again
    returns the first call's movements and changes nothing.
    """
    if reason not in APPLY_REASONS:
        msg = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(str(MovementReason(r).label) for r in APPLY_REASONS)
        }
        raise ValidationFailed(f"reason: {msg}", fields={"reason": [msg]})
    if not lines:
        msg = _("Add at least one line.")
        raise ValidationFailed(msg, fields={"lines": [msg]})
    note = (note or "").strip()
    if reason in NOTE_REQUIRED and not note:
        msg = _("Say why in a note.")
        raise ValidationFailed(f"note: {msg}", fields={"note": [msg]})
    single = len(lines) == 1
    legs = []
    for i, line in enumerate(lines):
        prefix = "" if single else f"lines[{i}]."
        product = own(business, line.product, field=f"{prefix}product")
        location = own(business, line.location, field=f"{prefix}location")
        qty = parse_quantity(line.quantity, field=f"{prefix}quantity", product=product)
        check_sign(reason, qty, field=f"{prefix}quantity")
        unit_cost = None
        if line.unit_cost is not None and reason == MovementReason.RECEIPT:
            unit_cost = parse_money(line.unit_cost, business=business, field=f"{prefix}unit_cost")
        legs.append(Leg(product, location, reason, quantity=qty, unit_cost=unit_cost))
    payload = {
        "reason": reason,
        "reference": reference,
        "note": note,
        "lines": [
            [str(leg.product.pk), str(leg.location.pk), str(leg.quantity), str(leg.unit_cost)]
            for leg in legs
        ],
    }

    def work(group):
        posted = post_legs(
            business=business,
            actor=actor,
            legs=legs,
            action=f"stock.{reason}",
            reference=reference,
            note=note,
            group=group,
            actor_label=actor_label,
        )
        return [p.movement for p in posted]

    return idempotent(
        business=business, client_uuid=client_uuid, scope="stock.apply", payload=payload, work=work
    )


def stock_move(
    *,
    business: Business,
    actor,
    product: Product,
    location: Location,
    quantity: Decimal,
    reason: str,
    unit_cost: Decimal | None = None,
    reference: str = "",
    note: str = "",
    client_uuid: uuid.UUID | None = None,
) -> StockMovement:
    """Append one ledger row and update the level in the same transaction.

    Raises InsufficientStock when the level would go negative and the
    business does not allow it. Idempotent on client_uuid.
    """
    return stock_apply(
        business=business,
        actor=actor,
        lines=[MoveLine(product, location, quantity, unit_cost)],
        reason=reason,
        reference=reference,
        note=note,
        client_uuid=client_uuid,
    )[0]


def stock_receive(
    *,
    business: Business,
    actor,
    product: Product,
    location: Location,
    quantity: Decimal,
    unit_cost: Decimal | None = None,
    reference: str = "",
    note: str = "",
    client_uuid: uuid.UUID | None = None,
) -> StockMovement:
    """Goods in. `unit_cost` (None = the current average) updates the product's
    weighted average cost over what is on hand in all locations."""
    return stock_move(
        business=business,
        actor=actor,
        product=product,
        location=location,
        quantity=quantity,
        reason=MovementReason.RECEIPT,
        unit_cost=unit_cost,
        reference=reference,
        note=note,
        client_uuid=client_uuid,
    )


def stock_adjust(
    *,
    business: Business,
    actor,
    product: Product,
    location: Location,
    note: str,
    quantity: Decimal | None = None,
    new_quantity: Decimal | None = None,
    client_uuid: uuid.UUID | None = None,
) -> StockMovement:
    """Correct a level by a signed `quantity`, or to `new_quantity`, with a note saying why."""
    if (quantity is None) == (new_quantity is None):
        msg = _("Give either the change or the new quantity.")
        raise ValidationFailed(msg, fields={"quantity": [msg]})
    if quantity is not None:
        return stock_move(
            business=business,
            actor=actor,
            product=product,
            location=location,
            quantity=quantity,
            reason=MovementReason.ADJUSTMENT,
            note=note,
            client_uuid=client_uuid,
        )
    return _adjust_to(
        business=business,
        actor=actor,
        product=product,
        location=location,
        new_quantity=new_quantity,
        note=note,
        client_uuid=client_uuid,
    )


@transaction.atomic
def _adjust_to(*, business, actor, product, location, new_quantity, note, client_uuid):
    product = own(business, product, field="product")
    location = own(business, location, field="location")
    target = parse_quantity(new_quantity, field="new_quantity", product=product)
    note = (note or "").strip()
    if not note:
        msg = _("Say why in a note.")
        raise ValidationFailed(f"note: {msg}", fields={"note": [msg]})
    if target < 0:
        # Setting a level below zero is a removal: the business's rule applies.
        level = StockLevel.objects.filter(product=product, location=location).first()
        if not (level.allow_negative if level else business.allow_negative_stock):
            msg = _("The new quantity cannot be below zero.")
            raise ValidationFailed(msg, fields={"new_quantity": [msg]})
    payload = {"product": str(product.pk), "location": str(location.pk), "target": str(target)}
    payload["note"] = note

    def work(group):
        posted = post_legs(
            business=business,
            actor=actor,
            legs=[Leg(product, location, MovementReason.ADJUSTMENT, target=target)],
            action="stock.adjustment",
            note=note,
            group=group,
            shortfall_field="new_quantity",
        )
        if posted[0].movement is None:
            msg = _("“%(product)s” is already at %(quantity)s here; nothing to adjust.") % {
                "product": product.name,
                "quantity": qty_text(target),
            }
            raise ValidationFailed(msg, fields={"new_quantity": [msg]})
        return [posted[0].movement]

    return idempotent(
        business=business, client_uuid=client_uuid, scope="stock.adjust", payload=payload, work=work
    )[0]


def stock_write_off(
    *,
    business: Business,
    actor,
    product: Product,
    location: Location,
    quantity: Decimal,
    note: str,
    reference: str = "",
    client_uuid: uuid.UUID | None = None,
) -> StockMovement:
    """Remove damaged, expired or lost goods: `quantity` is the (positive) amount written off."""
    qty = parse_quantity(quantity, product=product)
    if qty <= 0:
        msg = _("Enter the quantity written off, more than zero.")
        raise ValidationFailed(f"quantity: {msg}", fields={"quantity": [msg]})
    return stock_move(
        business=business,
        actor=actor,
        product=product,
        location=location,
        quantity=-qty,
        reason=MovementReason.WRITE_OFF,
        reference=reference,
        note=note,
        client_uuid=client_uuid,
    )


@transaction.atomic
def stock_transfer(
    *,
    business: Business,
    actor,
    product: Product,
    from_location: Location,
    to_location: Location,
    quantity: Decimal,
    note: str = "",
    reference: str = "",
    client_uuid: uuid.UUID | None = None,
) -> tuple[StockMovement, StockMovement]:
    """Move goods between two locations of the business: two legs, one group, one transaction."""
    product = own(business, product, field="product")
    from_location = own(business, from_location, field="from_location")
    to_location = own(business, to_location, field="to_location")
    if from_location.pk == to_location.pk:
        msg = _("Choose two different locations.")
        raise ValidationFailed(msg, fields={"to_location": [msg]})
    qty = parse_quantity(quantity, product=product)
    if qty <= 0:
        msg = _("Enter the quantity to move, more than zero.")
        raise ValidationFailed(f"quantity: {msg}", fields={"quantity": [msg]})
    note = (note or "").strip()
    payload = {
        "product": str(product.pk),
        "from": str(from_location.pk),
        "to": str(to_location.pk),
        "quantity": str(qty),
        "note": note,
        "reference": reference,
    }

    def work(group):
        posted = post_legs(
            business=business,
            actor=actor,
            legs=[
                Leg(product, from_location, MovementReason.TRANSFER_OUT, quantity=-qty),
                Leg(product, to_location, MovementReason.TRANSFER_IN, quantity=qty),
            ],
            action="stock.transfer",
            reference=reference,
            note=note,
            group=group,
        )
        return [p.movement for p in posted]

    out, in_ = idempotent(
        business=business,
        client_uuid=client_uuid,
        scope="stock.transfer",
        payload=payload,
        work=work,
    )
    return out, in_


# --- thresholds and the business's rule --------------------------------------------------------


def _threshold(value, *, field: str, product: Product, positive: bool) -> Decimal | None:
    if value is None or value == "":
        return None
    qty = parse_quantity(value, field=field, product=product)
    if qty < 0 or (positive and qty == 0):
        msg = _("Enter more than zero.") if positive else _("Enter zero or more.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    return qty


def _set_thresholds(level: StockLevel, product, reorder_point, reorder_quantity) -> dict:
    """Set thresholds on a locked level; `is_low` follows quietly (no alert for a setting)."""
    before = audit.snapshot(level, ["reorder_point", "reorder_quantity", "is_low"])
    level.reorder_point = reorder_point
    level.reorder_quantity = reorder_quantity
    level.is_low = reorder_point is not None and level.quantity <= reorder_point
    changes = audit.diff(
        before, audit.snapshot(level, ["reorder_point", "reorder_quantity", "is_low"])
    )
    if changes:
        level.save(update_fields=["reorder_point", "reorder_quantity", "is_low", "updated_at"])
    return changes


@transaction.atomic
def stock_level_set_thresholds(
    *,
    business: Business,
    actor,
    product: Product,
    location: Location,
    reorder_point: Decimal | None,
    reorder_quantity: Decimal | None,
) -> StockLevel:
    """Set when to reorder (None clears). A level already at or below the new threshold is
    marked low without an alert: alerts are for crossings."""
    product = own(business, product, field="product")
    location = own(business, location, field="location")
    point = _threshold(reorder_point, field="reorder_point", product=product, positive=False)
    qty = _threshold(reorder_quantity, field="reorder_quantity", product=product, positive=True)
    level = lock_levels(business=business, keys=[(location.pk, product.pk)])[
        (location.pk, product.pk)
    ]
    changes = _set_thresholds(level, product, point, qty)
    if changes:
        audit.record(
            business=business,
            actor=actor,
            action="stock_level.thresholds",
            obj=level,
            object_repr=f"{product.name} @ {location.name}",
            changes=changes,
        )
    level.product, level.location = product, location
    return level


@transaction.atomic
def business_set_allow_negative_stock(*, business: Business, actor, allow: bool) -> Business:
    """Allow or forbid selling below zero. Turning it off is refused while a level is negative.

    The business row is locked first (new levels read the rule under the same lock), then
    every level of the business in (location, product) order, like the ledger does.
    """
    locked = Business.objects.select_for_update(no_key=True).get(pk=business.pk)
    levels = StockLevel.objects.filter(business=business)
    if not allow:
        negative = levels.filter(quantity__lt=0).count()
        if negative:
            msg = ngettext(
                "%(count)d stock level is below zero. Bring it back to zero or more (a receipt or a count) before turning this off.",
                "%(count)d stock levels are below zero. Bring them back to zero or more (receipts or counts) before turning this off.",
                negative,
            ) % {"count": negative}
            raise ValidationFailed(msg, fields={"allow_negative_stock": [msg]})
    changes = model_update(
        instance=locked, fields=["allow_negative_stock"], data={"allow_negative_stock": allow}
    )
    list(
        levels.select_for_update(no_key=True)
        .order_by("location_id", "product_id")
        .values_list("pk")
    )
    levels.exclude(allow_negative=allow).update(allow_negative=allow)
    business.allow_negative_stock = allow
    if changes:
        audit.record(
            business=business,
            actor=actor,
            action="business.allow_negative_stock",
            obj=locked,
            changes=changes,
        )
    return locked


# --- stock-level import (used by the catalog's CSV/XLSX import) --------------------------------


@transaction.atomic
def stock_levels_import(
    *,
    business: Business,
    actor,
    rows: list[StockLevelRow],
    note: str = "",
    client_uuid: uuid.UUID | None = None,
) -> list[StockMovement]:
    """Set on-hand quantities from a file, as `count` movements (counted − current level).

    All or nothing: every row is checked first and one ValidationFailed names every bad
    row as `rows[i].<field>` (i = the index in `rows`). Rows whose count equals the level
    post nothing; thresholds given on a row are set too. Returns the movements posted.
    """
    errors: dict[str, list[str]] = {}
    checked: list[tuple[StockLevelRow, Decimal, Decimal | None, Decimal | None]] = []
    seen = set()
    for i, row in enumerate(rows):
        try:
            product = own(business, row.product, field=f"rows[{i}].product")
            location = own(business, row.location, field=f"rows[{i}].location")
            counted = parse_quantity(row.counted, field=f"rows[{i}].counted", product=product)
            if counted < 0:
                msg = _("A counted quantity cannot be negative.")
                raise ValidationFailed(msg, fields={f"rows[{i}].counted": [msg]})
            point = _threshold(
                row.reorder_point, field=f"rows[{i}].reorder_point", product=product, positive=False
            )
            qty = _threshold(
                row.reorder_quantity,
                field=f"rows[{i}].reorder_quantity",
                product=product,
                positive=True,
            )
            if (location.pk, product.pk) in seen:
                msg = _("This product and location are already on another row.")
                raise ValidationFailed(msg, fields={f"rows[{i}].product": [msg]})
            seen.add((location.pk, product.pk))
            checked.append((row, counted, point, qty))
        except ValidationFailed as exc:  # NotFound is not a ValidationFailed: kept apart below
            for key, msgs in exc.fields.items():
                errors.setdefault(key, []).extend(msgs)
        except NotFound as exc:
            for key, msgs in exc.fields.items():
                errors.setdefault(key, []).extend(msgs)
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", fields=errors)
    note = (note or "").strip()
    payload = {
        "note": note,
        "rows": [
            [str(r.product.pk), str(r.location.pk), str(c), str(p), str(q)]
            for r, c, p, q in checked
        ],
    }

    def work(group):
        legs = [
            Leg(r.product, r.location, MovementReason.COUNT, target=c) for r, c, _p, _q in checked
        ]
        posted = post_legs(
            business=business,
            actor=actor,
            legs=legs,
            action="stock.import",
            note=note,
            group=group,
        )
        with_thresholds = [(r, p, q) for r, _c, p, q in checked if p is not None or q is not None]
        if with_thresholds:
            levels = lock_levels(
                business=business,
                keys=[(r.location.pk, r.product.pk) for r, _p, _q in with_thresholds],
            )
            for r, p, q in with_thresholds:
                level = levels[(r.location.pk, r.product.pk)]
                _set_thresholds(
                    level,
                    r.product,
                    p if p is not None else level.reorder_point,
                    q if q is not None else level.reorder_quantity,
                )
        return [p.movement for p in posted if p.movement is not None]

    return idempotent(
        business=business, client_uuid=client_uuid, scope="stock.import", payload=payload, work=work
    )


# --- locations ---------------------------------------------------------------------------------

LOCATION_FIELDS = ["name", "kind", "is_default", "is_active"]


def _clear_default(shop: Shop, *, keep=None) -> None:
    current = Location.objects.select_for_update(no_key=True).filter(shop=shop, is_default=True)
    if keep is not None:
        current = current.exclude(pk=keep.pk)
    for loc in current:
        loc.is_default = False
        loc.save(update_fields=["is_default", "updated_at"])


@transaction.atomic
def location_create(
    *,
    business: Business,
    actor,
    shop: Shop,
    name: str,
    kind: str = LocationKind.FLOOR,
    is_default: bool = False,
) -> Location:
    """A new place where stock sits. `is_default` makes it the shop's selling location."""
    if shop is None or shop.business_id != business.pk:
        msg = _("This shop was not found.")
        raise NotFound(msg, fields={"shop": [msg]})
    location = Location(
        business=business, shop=shop, name=(name or "").strip(), kind=kind, is_default=is_default
    )
    full_clean_or_raise(location, exclude=["business", "shop"], validate_unique=False)
    if Location.objects.filter(shop=shop, name__iexact=location.name).exists():
        msg = _("This shop already has a location with this name.")
        raise ValidationFailed(f"name: {msg}", fields={"name": [msg]})
    if is_default:
        _clear_default(shop)
    location.save()
    audit.record(
        business=business,
        actor=actor,
        action="location.create",
        obj=location,
        changes={
            k: [None, v] for k, v in audit.snapshot(location, ["shop", *LOCATION_FIELDS]).items()
        },
    )
    return location


@transaction.atomic
def location_update(*, location: Location, actor, data: dict) -> Location:
    """Rename, change kind, make it the selling location, or (de)activate it.

    The selling location stays active and stays the selling location until another one
    takes its place.
    """
    location = (
        Location.objects.select_for_update(no_key=True).select_related("shop").get(pk=location.pk)
    )
    data = dict(data)
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        clash = Location.objects.filter(shop=location.shop, name__iexact=data["name"]).exclude(
            pk=location.pk
        )
        if clash.exists():
            msg = _("This shop already has a location with this name.")
            raise ValidationFailed(f"name: {msg}", fields={"name": [msg]})
    if location.is_default and data.get("is_default") is False:
        msg = _("The shop sells from this location: make another location the selling one instead.")
        raise ValidationFailed(msg, fields={"is_default": [msg]})
    becomes_default = bool(data.get("is_default")) or location.is_default
    if becomes_default and data.get("is_active") is False:
        msg = _("The shop sells from this location: it cannot be deactivated.")
        raise ValidationFailed(msg, fields={"is_active": [msg]})
    if data.get("is_default") and not location.is_default:
        _clear_default(location.shop, keep=location)
    changes = model_update(instance=location, fields=LOCATION_FIELDS, data=data)
    if changes:
        audit.record(
            business=location.business,
            actor=actor,
            action="location.update",
            obj=location,
            changes=changes,
        )
    return location


def default_location(*, shop: Shop) -> Location:
    """The shop's selling location; a "Shop floor" is made (or promoted) if there is none."""
    found = Location.objects.filter(shop=shop, is_default=True).first()
    if found is not None:
        return found
    with transaction.atomic():
        try:
            with transaction.atomic():
                existing = (
                    Location.objects.select_for_update(no_key=True)
                    .filter(shop=shop, name=_("Shop floor"))
                    .first()
                )
                if existing is not None:
                    existing.is_default = True
                    existing.save(update_fields=["is_default", "updated_at"])
                    return existing
                return location_create(
                    business=shop.business,
                    actor=None,
                    shop=shop,
                    name=_("Shop floor"),
                    kind=LocationKind.FLOOR,
                    is_default=True,
                )
        except (IntegrityError, ValidationFailed):
            # Made at the same moment by another request: use theirs.
            return Location.objects.get(shop=shop, is_default=True)


# --- stock counts ------------------------------------------------------------------------------


def _open_count(count: StockCount) -> StockCount:
    """Lock the count and check it can still change."""
    locked = (
        StockCount.objects.select_for_update(no_key=True)
        .select_related("location", "business")
        .get(pk=count.pk)
    )
    if locked.status != CountStatus.OPEN:
        msg = _("This count is %(status)s and can no longer be changed.") % {
            "status": locked.get_status_display().lower()
        }
        raise Conflict(msg, code="count_closed")
    return locked


@transaction.atomic
def stock_count_start(*, location: Location, actor, note: str = "") -> StockCount:
    """Open a count sheet for a location; one open sheet per location at a time."""
    location = Location.objects.select_for_update(no_key=True).get(pk=location.pk)
    if StockCount.objects.filter(location=location, status=CountStatus.OPEN).exists():
        msg = _("A count is already open for %(location)s: finish or cancel it first.") % {
            "location": location.name
        }
        raise Conflict(msg, code="count_open", fields={"location": [msg]})
    try:
        with transaction.atomic():
            count = StockCount.objects.create(
                business_id=location.business_id,
                number=next_number(business=location.business, key="stock_count"),
                location=location,
                note=(note or "").strip()[:500],
                started_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:  # started at the same moment elsewhere
        msg = _("A count is already open for %(location)s: finish or cancel it first.") % {
            "location": location.name
        }
        raise Conflict(msg, code="count_open", fields={"location": [msg]}) from exc
    audit.record(
        business=count.business,
        actor=actor,
        action="stock_count.start",
        obj=count,
        object_repr=f"{count.reference} {location.name}",
    )
    return count


@transaction.atomic
def stock_count_set_lines(
    *, count: StockCount, actor, lines: list[tuple[Product, Decimal]], replace: bool = False
) -> list[StockCountLine]:
    """Enter counted quantities (≥ 0; whole numbers for pieces). `replace` drops the lines
    not given. Returns the lines set, in the order given."""
    count = _open_count(count)
    business = count.business
    checked, errors, seen = [], {}, set()
    single = len(lines) == 1
    for i, (product, counted) in enumerate(lines):
        prefix = "" if single else f"lines[{i}]."
        try:
            product = own(business, product, field=f"{prefix}product")
            qty = parse_quantity(counted, field=f"{prefix}counted", product=product)
            if qty < 0:
                msg = _("A counted quantity cannot be negative.")
                raise ValidationFailed(msg, fields={f"{prefix}counted": [msg]})
            if product.pk in seen:
                msg = _("This product is already on another line.")
                raise ValidationFailed(msg, fields={f"{prefix}product": [msg]})
            seen.add(product.pk)
            checked.append((product, qty))
        except (ValidationFailed, NotFound) as exc:
            if isinstance(exc, NotFound) and single:
                raise
            for key, msgs in exc.fields.items():
                errors.setdefault(key, []).extend(msgs)
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", fields=errors)
    existing = {line.product_id: line for line in count.lines.all()}
    changes = {}
    out = []
    for product, qty in checked:
        line = existing.get(product.pk)
        if line is None:
            line = StockCountLine.objects.create(
                business=business, count=count, product=product, counted=qty
            )
            changes[product.name] = [None, qty]
        elif line.counted != qty:
            changes[product.name] = [line.counted, qty]
            line.counted = qty
            line.save(update_fields=["counted", "updated_at"])
        line.product = product
        out.append(line)
    if replace:
        dropped = [line for pid, line in existing.items() if pid not in seen]
        if dropped:
            StockCountLine.objects.filter(pk__in=[line.pk for line in dropped]).delete()
            for line in dropped:
                changes[str(line.product_id)] = [line.counted, None]
    if changes:
        audit.record(
            business=business,
            actor=actor,
            action="stock_count.lines",
            obj=count,
            object_repr=f"{count.location.name} {count.created_at:%Y-%m-%d}",
            changes=changes,
        )
    return out


def stock_count_set_line(*, count: StockCount, actor, product: Product, counted) -> StockCountLine:
    """Enter (or correct) the counted quantity of one product."""
    return stock_count_set_lines(count=count, actor=actor, lines=[(product, counted)])[0]


@transaction.atomic
def stock_count_validate(*, count: StockCount, actor) -> StockCount:
    """Post the differences: for each line, expected = the level now, and a `count`
    movement of (counted − expected) when they differ. The count is read-only afterwards.

    Products not on the sheet are left as they are (a partial count is allowed).
    """
    count = _open_count(count)
    lines = list(count.lines.select_related("product").order_by("created_at", "id"))
    location = count.location
    posted = []
    if lines:
        posted = post_legs(
            business=count.business,
            actor=actor,
            legs=[
                Leg(line.product, location, MovementReason.COUNT, target=line.counted)
                for line in lines
            ],
            action="stock_count.validate",
            reference=count.reference or str(count.pk),
            note=count.note,
        )
    for line, result in zip(lines, posted, strict=True):
        line.expected = result.before
        line.movement = result.movement
    if lines:
        StockCountLine.objects.bulk_update(lines, ["expected", "movement"])
    count.status = CountStatus.VALIDATED
    count.validated_by = actor if getattr(actor, "is_authenticated", False) else None
    count.validated_at = clock.now()
    count.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])
    if not any(p.movement for p in posted):
        # post_legs records the operation when something moved; record the validation anyway.
        audit.record(
            business=count.business,
            actor=actor,
            action="stock_count.validate",
            obj=count,
            object_repr=f"{location.name} {count.created_at:%Y-%m-%d}",
            changes={"status": [CountStatus.OPEN, CountStatus.VALIDATED]},
        )
    return count


@transaction.atomic
def stock_count_cancel(*, count: StockCount, actor) -> StockCount:
    """Abandon an open count: nothing is posted."""
    count = _open_count(count)
    count.status = CountStatus.CANCELLED
    count.save(update_fields=["status", "updated_at"])
    audit.record(
        business=count.business,
        actor=actor,
        action="stock_count.cancel",
        obj=count,
        object_repr=f"{count.location.name} {count.created_at:%Y-%m-%d}",
        changes={"status": [CountStatus.OPEN, CountStatus.CANCELLED]},
    )
    return count


__all__ = [
    "ACTION_LABELS",
    "InsufficientStock",
    "MoveLine",
    "StockLevelRow",
    "business_set_allow_negative_stock",
    "default_location",
    "location_create",
    "location_update",
    "stock_adjust",
    "stock_apply",
    "stock_count_cancel",
    "stock_count_set_line",
    "stock_count_set_lines",
    "stock_count_start",
    "stock_count_validate",
    "stock_level_set_thresholds",
    "stock_levels_import",
    "stock_move",
    "stock_receive",
    "stock_transfer",
    "stock_write_off",
]
