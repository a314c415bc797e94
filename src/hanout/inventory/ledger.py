"""The stock ledger's engine, used by every stock service (see `services`).

The ledger
----------
Every change of stock goes through `_post`, which, in the caller's
transaction:

1. creates the missing `StockLevel` rows without races
   (`bulk_create(ignore_conflicts=True)`, copying the business's
   `allow_negative_stock` read under a lock of the business row, so that a
   concurrent `business_set_allow_negative_stock` cannot be missed);
2. locks the levels with `select_for_update()` sorted by
   (location_id, product_id), so two multi-line operations always take their
   locks in the same order and never deadlock (on SQLite the whole write
   transaction is serialised by BEGIN IMMEDIATE: the same code is safe there).
   Every lock here is FOR NO KEY UPDATE: inserting a movement takes FOR KEY
   SHARE on the rows it references (business, product, location), and a
   plain FOR UPDATE on the business row while another transaction holds a
   level and inserts its movement is a deadlock (found by the race tests);
3. computes each new quantity, collects every shortfall and raises
   `InsufficientStock` once when the level's `allow_negative` is off (the
   locked row carries the business's rule, so the decision and the database
   CHECK agree);
4. appends the movements (with `balance_after`), updates the levels, keeps
   the weighted average `Product.cost` on receipts, flags levels that cross
   their threshold downward, records one audit row for the operation and
   emits `stock.moved` (and `stock.low`) after commit.

Idempotency: the public functions take a `client_uuid`; the same key again
returns the first operation's movements (found by their `group`), the same
key with another payload is a 409 (see `hanout.core.idempotency`).

Signs: quantities in the ledger are signed (+ in, − out). `stock_move` and
`stock_apply` take signed quantities and check the sign fits the reason
(a receipt adds, a sale removes …); `stock_write_off` and `stock_transfer`
take the positive amount a person says ("write off 3").
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext as _

from hanout.catalog.models import QTY_DIGITS, QTY_PLACES, Product, Unit
from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.inventory.models import (
    Location,
    MovementReason,
    StockLevel,
    StockMovement,
)

QTY_STEP = Decimal(1).scaleb(-QTY_PLACES)
QTY_LIMIT = Decimal(10) ** (QTY_DIGITS - QTY_PLACES)

# Which way each reason moves stock: +1 adds, -1 removes, 0 either.
REASON_SIGN = {
    MovementReason.RECEIPT: 1,
    MovementReason.RETURN: 1,
    MovementReason.TRANSFER_IN: 1,
    MovementReason.SALE: -1,
    MovementReason.WRITE_OFF: -1,
    MovementReason.TRANSFER_OUT: -1,
    MovementReason.ADJUSTMENT: 0,
    MovementReason.COUNT: 0,
}
# Reasons `stock_apply` accepts; transfers and counts have their own services.
APPLY_REASONS = (
    MovementReason.RECEIPT,
    MovementReason.SALE,
    MovementReason.RETURN,
    MovementReason.ADJUSTMENT,
    MovementReason.WRITE_OFF,
)
NOTE_REQUIRED = (MovementReason.ADJUSTMENT, MovementReason.WRITE_OFF)


class InsufficientStock(ValidationFailed):
    """A removal needs more than is on hand and the business forbids going below zero.

    `shortfalls` lists every line that is short (not only the first), each
    as {"product", "location", "available", "requested"}.
    """

    code = "insufficient_stock"

    def __init__(self, shortfalls: list[dict], *, field: str = "quantity"):
        self.shortfalls = shortfalls
        messages = [
            _(
                "Not enough “%(product)s” at %(location)s: %(available)s available, %(requested)s asked."
            )
            % {
                "product": s["product_name"],
                "location": s["location_name"],
                "available": qty_text(s["available"]),
                "requested": qty_text(s["requested"]),
            }
            for s in shortfalls
        ]
        super().__init__(" ".join(messages), code=self.code, fields={field: messages})


@dataclass(frozen=True)
class MoveLine:
    """One line of `stock_apply`: a signed quantity of a product at a location."""

    product: Product
    location: Location
    quantity: Decimal
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class StockLevelRow:
    """One row of a stock-level import: what was counted, and optionally thresholds.

    `reorder_point` / `reorder_quantity` left at None keep the current values.
    """

    product: Product
    location: Location
    counted: Decimal
    reorder_point: Decimal | None = None
    reorder_quantity: Decimal | None = None


@dataclass
class Leg:
    """What `post_legs` moves: a delta (`quantity`) or a level to reach (`target`)."""

    product: Product
    location: Location
    reason: str
    quantity: Decimal | None = None
    target: Decimal | None = None
    unit_cost: Decimal | None = None

    @property
    def key(self) -> tuple:
        return (self.location.pk, self.product.pk)


@dataclass
class Posted:
    leg: Leg
    before: Decimal
    movement: StockMovement | None


# --- small checks ------------------------------------------------------------------------------


def qty_text(value: Decimal) -> str:
    """3.000 → "3", 1.250 → "1.25": how a person writes a quantity."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def parse_quantity(value, *, field: str = "quantity", product: Product | None = None) -> Decimal:
    """A Decimal with at most 3 decimals, whole for products sold by the piece."""
    try:
        qty = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        qty = None
    if qty is None or not qty.is_finite():
        raise ValidationFailed(
            _("%(field)s: enter a number.") % {"field": field},
            fields={field: [_("Enter a number.")]},
        )
    msg = None
    if abs(qty) >= QTY_LIMIT:
        msg = _("This number is too large.")
    elif qty != qty.quantize(QTY_STEP):
        msg = _("Use at most 3 decimals.")
    if msg:
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    qty = qty.quantize(QTY_STEP)
    if product is not None and product.unit == Unit.PIECE and qty != qty.to_integral_value():
        msg = _("“%(product)s” is counted in pieces: enter a whole number.") % {
            "product": product.name
        }
        raise ValidationFailed(msg, fields={field: [msg]})
    return qty


def parse_money(value, *, business: Business, field: str = "unit_cost") -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed(
            _("%(field)s: enter an amount.") % {"field": field},
            fields={field: [_("Enter an amount.")]},
        )
    if amount < 0:
        msg = _("A cost cannot be negative.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    if amount >= Decimal(10) ** 11:
        msg = _("This number is too large.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    return quantize(amount, business.currency)


def own(business: Business, obj, *, field: str):
    """Another business's product or location is not found (a 404), never "forbidden"."""
    if obj is None or obj.business_id != business.pk:
        if isinstance(obj, Product) or field.endswith("product"):
            msg = _("This product was not found.")
        else:
            msg = _("This location was not found.")
        raise NotFound(msg, fields={field: [msg]})
    return obj


def check_sign(reason: str, qty: Decimal, *, field: str = "quantity") -> None:
    if qty == 0:
        msg = _("The quantity cannot be zero.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    sign = REASON_SIGN[reason]
    if sign > 0 and qty < 0:
        msg = _("A %(reason)s adds stock: enter a positive quantity.") % {
            "reason": MovementReason(reason).label.lower()
        }
        raise ValidationFailed(msg, fields={field: [msg]})
    if sign < 0 and qty > 0:
        msg = _("A %(reason)s removes stock: enter a negative quantity.") % {
            "reason": MovementReason(reason).label.lower()
        }
        raise ValidationFailed(msg, fields={field: [msg]})


# --- the ledger core ---------------------------------------------------------------------------


def _db_id(value):
    return StockLevel._meta.pk.get_db_prep_value(value, connection)


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def lock_levels(
    *, business: Business, keys: Iterable[tuple], with_cost: bool = False
) -> dict[tuple, StockLevel]:
    """Create the missing levels, then lock them all in (location, product) order.

    Two statements, written as SQL (compiling the equivalent querysets, with the
    model's ordering joins, cost more than running them on the sale's hot path):
    which levels exist (no lock), then the levels locked in order. With
    `with_cost`, each level also carries its product's average cost (`level.cost`),
    read by the same statement.
    """
    keys = sorted(set(keys))
    location_ids = sorted({k[0] for k in keys})
    product_ids = sorted({k[1] for k in keys})
    q = connection.ops.quote_name
    table = q(StockLevel._meta.db_table)
    scope = (
        f" WHERE l.business_id = %s AND l.location_id IN ({_in(location_ids)})"
        f" AND l.product_id IN ({_in(product_ids)})"
    )
    params = [_db_id(business.pk), *map(_db_id, location_ids), *map(_db_id, product_ids)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT l.location_id, l.product_id FROM {table} l{scope}", params)  # noqa: S608
        existing = {(_uuid(loc), _uuid(prod)) for loc, prod in cursor.fetchall()}
    missing = [k for k in keys if k not in existing]
    if missing:
        # Read the rule under the business row's lock: turning it off takes the same lock.
        allow = (
            Business.objects.select_for_update(no_key=True)
            .values_list("allow_negative_stock", flat=True)
            .get(pk=business.pk)
        )
        StockLevel.objects.bulk_create(
            [
                StockLevel(
                    business=business, location_id=loc, product_id=prod, allow_negative=allow
                )
                for loc, prod in missing
            ],
            ignore_conflicts=True,
        )
    columns = ", ".join(f"l.{q(f.column)}" for f in StockLevel._meta.concrete_fields)
    join = ""
    if with_cost:
        columns += ", p.cost AS cost"
        join = f" JOIN {q(Product._meta.db_table)} p ON p.id = l.product_id"
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR NO KEY UPDATE" if connection.features.has_select_for_no_key_update else ""
        lock = (lock or " FOR UPDATE") + (
            " OF l" if connection.features.has_select_for_update_of else ""
        )
    locked = StockLevel.objects.raw(
        f"SELECT {columns} FROM {table} l{join}{scope}"  # noqa: S608 (identifiers from the models)
        f" ORDER BY l.location_id, l.product_id{lock}",
        params,
    )
    return {(lvl.location_id, lvl.product_id): lvl for lvl in locked}


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _save_levels(levels: list[StockLevel], now) -> None:
    """The new quantities and low flags: one statement per level, sent together
    (executemany: one pipelined round trip on PostgreSQL)."""
    q = connection.ops.quote_name
    stamp = connection.ops.adapt_datetimefield_value(now)
    quantity = StockLevel._meta.get_field("quantity")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {q(StockLevel._meta.db_table)} SET quantity = %s, is_low = %s,"  # noqa: S608
            " updated_at = %s WHERE id = %s",
            [
                (
                    quantity.get_db_prep_save(level.quantity, connection),
                    level.is_low,
                    stamp,
                    _db_id(level.pk),
                )
                for level in levels
            ],
        )


def _save_costs(cost_changes: dict, now) -> None:
    """The new weighted average costs of a receipt: one statement per product, sent together
    (a 500-line delivery is one round trip on PostgreSQL, not 500)."""
    q = connection.ops.quote_name
    stamp = connection.ops.adapt_datetimefield_value(now)
    cost = Product._meta.get_field("cost")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {q(Product._meta.db_table)} SET cost = %s, updated_at = %s"  # noqa: S608
            " WHERE id = %s",
            [
                (cost.get_db_prep_save(new, connection), stamp, _db_id(pid))
                for pid, (_old, new) in cost_changes.items()
            ],
        )


def post_legs(
    *,
    business: Business,
    actor,
    legs: list[Leg],
    action: str,
    reference: str = "",
    note: str = "",
    group: uuid.UUID | None = None,
    shortfall_field: str = "quantity",
    actor_label: str = "",
) -> list[Posted]:
    """Apply legs to the ledger under locks; see the module docstring. Call inside atomic().

    `actor_label` names an actor that is not a person of this business (another business's
    marketplace purchase): pass `actor=None` with it, and the audit entry shows the label."""
    from hanout.core.ids import uuid7

    group = group or uuid7()
    receipts = [leg for leg in legs if leg.reason == MovementReason.RECEIPT]
    levels = lock_levels(business=business, keys=[leg.key for leg in legs], with_cost=not receipts)

    # Costs: receipts change the weighted average, so lock those products (after the levels,
    # always in the same order); other movements are valued at the current average, read
    # with the levels.
    product_ids = sorted({leg.product.pk for leg in legs})
    if receipts:
        products = (
            Product.objects.filter(business=business, pk__in=product_ids)
            .order_by("pk")
            .select_for_update(no_key=True)
        )
        cost = dict(products.values_list("pk", "cost"))
    else:
        places = Decimal(1).scaleb(-Product._meta.get_field("cost").decimal_places)
        cost = {  # a raw column: SQLite gives a float for a decimal
            level.product_id: Decimal(str(level.cost)).quantize(places) for level in levels.values()
        }
    on_hand = {}
    if receipts:
        on_hand = {
            pid: Decimal(total).quantize(QTY_STEP)  # SQLite sums decimals as floats
            for pid, total in StockLevel.objects.filter(
                business=business, product_id__in=product_ids
            )
            .values("product_id")
            .annotate(total=Sum("quantity"))
            .values_list("product_id", "total")
        }

    running = {key: level.quantity for key, level in levels.items()}
    shortfalls, planned = [], []
    for leg in legs:
        before = running[leg.key]
        delta = leg.quantity if leg.target is None else leg.target - before
        if delta == 0:
            planned.append((leg, before, None))
            continue
        after = before + delta
        if abs(after) >= QTY_LIMIT:
            msg = _("This would make the stock level too large.")
            raise ValidationFailed(msg, fields={shortfall_field: [msg]})
        if delta < 0 and after < 0 and not levels[leg.key].allow_negative:
            shortfalls.append(
                {
                    "product": str(leg.product.pk),
                    "product_name": leg.product.name,
                    "location": str(leg.location.pk),
                    "location_name": leg.location.name,
                    "available": before,
                    "requested": -delta,
                }
            )
            continue
        running[leg.key] = after
        planned.append((leg, before, (delta, after)))
    if shortfalls:
        raise InsufficientStock(shortfalls, field=shortfall_field)

    movements, posted, cost_changes = [], [], {}
    for leg, before, change in planned:
        if change is None:
            posted.append(Posted(leg, before, None))
            continue
        delta, after = change
        pid = leg.product.pk
        if leg.reason == MovementReason.RECEIPT:
            unit_cost = leg.unit_cost if leg.unit_cost is not None else cost[pid]
            held = max(on_hand.get(pid) or Decimal(0), Decimal(0))
            new_cost = (
                quantize((held * cost[pid] + delta * unit_cost) / (held + delta), business.currency)
                if held > 0
                else unit_cost
            )
            if new_cost != cost[pid]:
                cost_changes.setdefault(pid, [cost[pid], new_cost])[1] = new_cost
                cost[pid] = new_cost
            on_hand[pid] = (on_hand.get(pid) or Decimal(0)) + delta
        else:
            unit_cost = cost[pid]
        movement = StockMovement(
            business=business,
            product_id=pid,
            location_id=leg.location.pk,
            reason=leg.reason,
            quantity=delta,
            unit_cost=unit_cost,
            balance_after=after,
            group=group,
            reference=reference[:120],
            note=note[:500],
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        movement.product, movement.location = leg.product, leg.location
        movements.append(movement)
        posted.append(Posted(leg, before, movement))
    StockMovement.objects.bulk_create(movements)

    # Levels: new quantities and the low-stock flag (fires once per downward crossing).
    now = clock.now()
    changed, crossed, level_changes = [], [], {}
    names = {leg.key: (leg.product, leg.location) for leg in legs}
    product_names = {leg.product.pk: leg.product.name for leg in legs}
    for key, level in levels.items():
        new = running[key]
        if new == level.quantity:
            continue
        product, location = names[key]
        level_changes[f"{product.name} @ {location.name}"] = [level.quantity, new]
        level.quantity = new
        if level.reorder_point is not None:
            if new <= level.reorder_point and not level.is_low:
                level.is_low = True
                crossed.append((level, product, location))
            elif new > level.reorder_point and level.is_low:
                level.is_low = False
        level.updated_at = now
        changed.append(level)
    if changed:
        _save_levels(changed, now)
    if cost_changes:
        _save_costs(cost_changes, now)

    if movements:
        first = movements[0]
        audit.record(
            business=business,
            actor=actor,
            actor_label=actor_label,
            action=action,
            object_type="inventory.stockmovement",
            object_id=str(group),
            object_repr=(
                f"{first.product.name} {qty_text(first.quantity)} @ {first.location.name}"
                if len(movements) == 1
                else f"{MovementReason(first.reason).label} ×{len(movements)}"
            ),
            changes={
                **level_changes,
                **{
                    f"{product_names[pid]}: {_('cost')}": pair for pid, pair in cost_changes.items()
                },
            },
        )
        events.emit(
            "stock.moved",
            business=business,
            payload={
                "group": group,
                "movements": [
                    {
                        "id": m.pk,
                        "product": m.product_id,
                        "location": m.location_id,
                        "reason": m.reason,
                        "quantity": m.quantity,
                        "balance_after": m.balance_after,
                    }
                    for m in movements
                ],
            },
        )
    if crossed:
        events.emit(
            "stock.low",
            business=business,
            payload={
                "levels": [
                    {
                        "id": level.pk,
                        "product": product.pk,
                        "product_name": product.name,
                        "location": location.pk,
                        "location_name": location.name,
                        "quantity": level.quantity,
                        "reorder_point": level.reorder_point,
                    }
                    for level, product, location in crossed
                ]
            },
        )
    return posted


def replay(business: Business, result_id: str) -> list[StockMovement]:
    """The movements of an earlier operation, in the order they were posted."""
    if not result_id:
        return []
    return list(
        StockMovement.objects.filter(business=business, group=result_id)
        .select_related("product", "location")
        .order_by("id")
    )


def idempotent(*, business, client_uuid, scope: str, payload: dict, work) -> list[StockMovement]:
    """Run `work(group)` once per client key; the same key again returns the first result."""
    from hanout.core.ids import uuid7

    first = idempotency.claim(business=business, key=client_uuid, scope=scope, payload=payload)
    if first is not None:
        return replay(business, first)
    group = uuid7()
    result = work(group)
    idempotency.remember(business=business, key=client_uuid, result_id=group)
    return result
