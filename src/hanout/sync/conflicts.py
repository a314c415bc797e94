"""Three-way comparison of a master row that changed on a store and on its hub (ADR 0016).

The hub keeps, per store and row, the values both last agreed on (`SyncBase`). When the
store's row arrives, each field is compared with the hub's and the base's:

- changed on the store only: the store's value is applied;
- changed on the hub only: the hub's value is kept (it is on its way down);
- changed on both, to the same value: nothing to do;
- changed on both, to different values: a conflict; the default rule of `RULES` picks
  the value applied now, and the owner may keep the other on the conflicts page.

Values are compared in their JSON form (Django's "python" serialization through the
wire's encoder), so a decimal read from SQLite and one from PostgreSQL compare equal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hanout.sync.outbox import LOCAL_FIELDS

# Never compared: the row's clock, and what each side derives from the other fields.
CLOCK = {"created_at", "updated_at"}
DERIVED: dict[str, set[str]] = {
    "catalog.category": {"level", "product_count"},
    "customers.customer": {"search_text", "loyalty_points"},
}
# Shown to nobody: a conflict on a PIN says that it changed, never the hashes.
SECRET = {"accounts.membership": {"pin_hash"}}

# Who wins a conflict by default, per model; `STORE_FIELDS` are what the shop floor knows
# best (a customer's phone and address as the cashier typed them, a cashier's PIN).
# Everything else follows the hub: the catalog, its prices and the roles are set centrally.
STORE_FIELDS: dict[str, set[str]] = {
    "customers.customer": {"phone", "address"},
    # A cashier's register PIN and code, as set at the shop's till.
    "accounts.membership": {"pin_hash", "employee_code"},
}


def rule(label: str, field: str) -> str:
    """ "store" or "hub": whose value a conflict on this field applies by default."""
    return "store" if field in STORE_FIELDS.get(label, set()) else "hub"


def normal(fields: dict, label: str = "") -> dict:
    """The fields as JSON would carry them (decimals, dates and ids as text, lists of
    many-to-many ids sorted), without the fields never compared."""
    from hanout.sync.wire import dumps

    skip = CLOCK | DERIVED.get(label, set())
    out = json.loads(dumps({k: v for k, v in fields.items() if k not in skip}))
    for key, value in out.items():
        if isinstance(value, list):
            out[key] = sorted(str(v) for v in value)
    return out


def compared(label: str, fields: dict) -> dict:
    local = LOCAL_FIELDS.get(label, set())
    return {k: v for k, v in normal(fields, label).items() if k not in local}


@dataclass
class Clash:
    field: str
    store: object
    hub: object
    base: object
    applied: str  # "store" or "hub"


_UNKNOWN = object()


def merge(label: str, *, store: dict, hub: dict, base: dict | None) -> tuple[dict, list[Clash]]:
    """The fields to apply on the hub (normal form) and the conflicts found.

    `base` None: the hub has never had this row from this store nor sent it (a row the
    store made, sent again): the store's values are applied. `base` {}: the two sides
    never agreed on it (the store's row was matched to a hub row by its SKU, code or
    name): every field that differs is a conflict, settled by the rule."""
    if base is None:
        return dict(store), []
    merged, clashes = dict(hub), []
    for name, mine in store.items():
        theirs = hub.get(name)
        before = base.get(name, _UNKNOWN)
        if mine in (theirs, before):
            continue  # the same on both sides, or changed on the hub only
        if theirs == before:
            merged[name] = mine  # changed on the store only
            continue
        side = rule(label, name)
        merged[name] = mine if side == "store" else theirs
        clashes.append(Clash(name, mine, theirs, None if before is _UNKNOWN else before, side))
    return merged, clashes
