"""Which tables travel from a store to its hub, and the triggers that note their changes.

The order of `SYNCED` is the order of a first sync: a row's parents come before it.
After that, the outbox's own order (the order the changes were written) keeps parents
first, and the hub applies each batch in one transaction with the foreign keys checked
at commit, so a batch may hold a row and its parent in any order.

The triggers are (re)made after every `migrate` (SQLite's table rebuilds drop them) and
when a store is linked; `missing_triggers()` lists any that are not there.
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.db import connection

from hanout.sync.models import OutboxEntry

# Master data (the same thing may already exist on the hub: matched by its unique fields)
MASTER = [
    "core.Shop",
    "core.OpeningHours",
    "accounts.Membership",
    "accounts.ModuleAccess",
    "inventory.Location",
    "catalog.Category",
    "catalog.Tag",
    "catalog.Product",
    "catalog.Barcode",
    "suppliers.Supplier",
    "suppliers.SupplierProduct",
    "customers.Customer",
    "pos.Register",
    "expenses.ExpenseCategory",
    "expenses.RecurringExpense",
]
# Facts and the state they move (made on the store, never on the hub).
FACTS = [
    "pos.CashSession",
    "pos.CashMovement",
    "pos.PaymentLink",
    "pos.Sale",
    "pos.SaleLine",
    "pos.Payment",
    "inventory.StockMovement",
    "inventory.StockLevel",
    "expenses.Expense",
    "customers.LoyaltyEntry",
    "core.AuditEntry",
]
SYNCED = MASTER + FACTS
# The master rows a hub sends down to its stores (ADR 0016): the chain's staff, its
# catalog, suppliers, customers and expense categories. A shop's own rows and every fact
# stay where they were written.
DOWN = [
    "accounts.Membership",
    "accounts.ModuleAccess",
    "catalog.Category",
    "catalog.Tag",
    "catalog.Product",
    "catalog.Barcode",
    "suppliers.Supplier",
    "suppliers.SupplierProduct",
    "customers.Customer",
    "expenses.ExpenseCategory",
]
# Fields each side counts from its own rows: never sent down, never a conflict (a
# category's products, a customer's points: the sum of that side's loyalty entries).
LOCAL_FIELDS = {
    "catalog.category": {"product_count"},
    "customers.customer": {"loyalty_points"},
}

TRIGGER = "hanout_sync_note"
M2M_TRIGGER = "hanout_sync_note_m2m"


def m2m_links() -> list[tuple[str, str, str]]:
    """(link table, column, owner table) of the synced many-to-many fields: a change of
    links only (a product's tags) writes no row of the owner, so its trigger notes it."""
    out = []
    for model in synced_models():
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            column = through._meta.get_field(field.m2m_field_name()).column
            out.append((through._meta.db_table, column, model._meta.db_table))
    return out


OUTBOX = OutboxEntry._meta.db_table


def synced_models():
    return [apps.get_model(label) for label in SYNCED]


@functools.cache
def _by_table() -> dict:
    return {model._meta.db_table: model for model in synced_models()}


def model_for_table(table: str):
    """The synced model of a table (None for another table); looked up for every outbox
    entry of a batch, so from a dict made once."""
    return _by_table().get(table)


# A business with a hub link notes every change; one unlinked (the link row is kept, with
# `unlinked_at`) still notes its deletions, for a link made again (ADR 0015).
LINKED = (
    "EXISTS (SELECT 1 FROM sync_hublink h WHERE h.business_id = {row}.business_id"
    " AND h.unlinked_at IS NULL)"
)
EVER_LINKED = "EXISTS (SELECT 1 FROM sync_hublink h WHERE h.business_id = {row}.business_id)"
# On a hub, a business with a linked store notes the changes of its `DOWN` rows.
HUB = (
    "EXISTS (SELECT 1 FROM sync_storelink s WHERE s.business_id = {row}.business_id"
    " AND s.linked_at IS NOT NULL AND s.revoked_at IS NULL)"
)
# The link whose batch is being applied, in the applying transaction only (SyncOrigin).
ORIGIN = "(SELECT link_id FROM sync_origin LIMIT 1)"


def _down_tables() -> set[str]:
    return {apps.get_model(label)._meta.db_table for label in DOWN}


def _sqlite_sql(table: str) -> list[str]:
    # Table names come from the models, never from input.
    note = (
        f"INSERT INTO {OUTBOX} (business_id, table_name, row_id, op, origin) "  # noqa: S608
        "VALUES ({row}.business_id, '" + table + "', {row}.id, '{op}', " + ORIGIN + ")"
    )
    down = table in _down_tables()
    out = []
    for event, row, op in (("INSERT", "NEW", "u"), ("UPDATE", "NEW", "u"), ("DELETE", "OLD", "d")):
        when = (EVER_LINKED if op == "d" else LINKED).format(row=row)
        if down:
            when = f"({when} OR {HUB.format(row=row)})"
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS {TRIGGER}_{event.lower()}_{table} "
            f"AFTER {event} ON {table} FOR EACH ROW "
            f"WHEN {when} "
            f"BEGIN {note.format(row=row, op=op)}; END"
        )
    return out


# TG_ARGV[0] is 'down' on the tables a hub sends down (noted on a hub too).
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF {EVER_LINKED.format(row="OLD")}
       OR (TG_ARGV[0] = 'down' AND {HUB.format(row="OLD")}) THEN
      INSERT INTO {OUTBOX} (business_id, table_name, row_id, op, origin)
      VALUES (OLD.business_id, TG_TABLE_NAME, OLD.id, 'd', {ORIGIN});
    END IF;
    RETURN OLD;
  END IF;
  IF {LINKED.format(row="NEW")} OR (TG_ARGV[0] = 'down' AND {HUB.format(row="NEW")}) THEN
    INSERT INTO {OUTBOX} (business_id, table_name, row_id, op, origin)
    VALUES (NEW.business_id, TG_TABLE_NAME, NEW.id, 'u', {ORIGIN});
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""  # noqa: S608 - names from the models


def _m2m_when(owner: str) -> str:
    linked = LINKED.format(row="o")
    return f"({linked} OR {HUB.format(row='o')})" if owner in _down_tables() else linked


def _sqlite_m2m_sql(link: str, column: str, owner: str) -> list[str]:
    out = []
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS {M2M_TRIGGER}_{event.lower()}_{link} "  # noqa: S608
            f"AFTER {event} ON {link} FOR EACH ROW BEGIN "
            f"INSERT INTO {OUTBOX} (business_id, table_name, row_id, op, origin) "
            f"SELECT o.business_id, '{owner}', o.id, 'u', {ORIGIN} FROM {owner} o "
            f"WHERE o.id = {row}.{column} AND {_m2m_when(owner)}; END"
        )
    return out


def _postgres_m2m_sql(link: str, column: str, owner: str) -> list[str]:
    function = f"{M2M_TRIGGER}_{link}"
    return [
        f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
  INSERT INTO {OUTBOX} (business_id, table_name, row_id, op, origin)
  SELECT o.business_id, '{owner}', o.id, 'u', {ORIGIN} FROM {owner} o
   WHERE o.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.{column} ELSE NEW.{column} END)
     AND {_m2m_when(owner)};
  RETURN NULL;
END $$ LANGUAGE plpgsql
""",  # noqa: S608 - names from the models
        f"CREATE OR REPLACE TRIGGER {M2M_TRIGGER} AFTER INSERT OR DELETE ON {link} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _postgres_sql(table: str) -> list[str]:
    kind = "down" if table in _down_tables() else "up"
    return [
        f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}('{kind}')"
    ]


def ensure_triggers(using: str = "default") -> None:
    """Create the outbox triggers on every synced table (idempotent)."""
    from django.db import connections

    conn = connections[using]
    tables = set(conn.introspection.table_names())
    if not {OUTBOX, "sync_hublink", "sync_storelink", "sync_origin"} <= tables:
        return  # the sync app is not migrated this far yet (its next migrate makes them)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for model in synced_models():
            table = model._meta.db_table
            if table not in tables:
                continue
            for sql in _sqlite_sql(table) if conn.vendor == "sqlite" else _postgres_sql(table):
                cursor.execute(sql)
        for link, column, owner in m2m_links():
            if link not in tables:
                continue
            make = _sqlite_m2m_sql if conn.vendor == "sqlite" else _postgres_m2m_sql
            for sql in make(link, column, owner):
                cursor.execute(sql)


def drop_triggers(using: str = "default") -> None:
    """Remove the outbox triggers (before migrating: a table rebuild must not trip on a
    trigger that names a table being rebuilt; `ensure_triggers` puts them back after)."""
    from django.db import connections

    conn = connections[using]
    tables = set(conn.introspection.table_names())
    with conn.cursor() as cursor:
        for model in synced_models():
            table = model._meta.db_table
            if table not in tables:
                continue
            if conn.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{event}_{table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        for link, _column, _owner in m2m_links():
            if link not in tables:
                continue
            if conn.vendor == "sqlite":
                for event in ("insert", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {M2M_TRIGGER}_{event}_{link}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {M2M_TRIGGER} ON {link}")


def missing_triggers() -> list[str]:
    """The synced tables without their trigger (empty when all is well)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            have = {(t, n) for t, n in cursor.fetchall()}
            return [
                m._meta.db_table
                for m in synced_models()
                if any(
                    (m._meta.db_table, f"{TRIGGER}_{e}_{m._meta.db_table}") not in have
                    for e in ("insert", "update", "delete")
                )
            ] + [
                link
                for link, _column, _owner in m2m_links()
                if any(
                    (link, f"{M2M_TRIGGER}_{e}_{link}") not in have for e in ("insert", "delete")
                )
            ]
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname IN (%s, %s)",
            [TRIGGER, M2M_TRIGGER],
        )
        have = {tuple(r) for r in cursor.fetchall()}
        return [
            m._meta.db_table for m in synced_models() if (m._meta.db_table, TRIGGER) not in have
        ] + [link for link, _c, _o in m2m_links() if (link, M2M_TRIGGER) not in have]


def enqueue_all(*, business_id) -> int:
    """Note every synced row of the business, parents first (the first sync, or a full
    resend when the hub lost what it had), after a tombstone of every row deleted that the
    outbox remembers (tombstones are kept, ADR 0015): a hub restored from an older backup,
    or linked again, may still hold them. Returns how many entries were noted."""
    total = 0
    business = business_id.hex if connection.vendor == "sqlite" else business_id
    with connection.cursor() as cursor:
        for model in synced_models():
            table = model._meta.db_table
            # Table names come from the models, never from input.
            cursor.execute(
                f"INSERT INTO {OUTBOX} (business_id, table_name, row_id, op) "  # noqa: S608
                "SELECT DISTINCT o.business_id, o.table_name, o.row_id, 'd' "
                f"FROM {OUTBOX} o WHERE o.business_id = %s AND o.table_name = %s "
                f"AND o.op = 'd' AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = o.row_id)",
                [business, table],
            )
            total += cursor.rowcount
    return total + note_rows(business_id=business_id, models=synced_models())


def note_rows(*, business_id, models) -> int:
    """Note every row of the business in `models`, in that order (a first sync, a full
    resend, a store newly paired with a hub). Returns how many entries were noted."""
    total = 0
    business = business_id.hex if connection.vendor == "sqlite" else business_id
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            # Table names come from the models, never from input.
            cursor.execute(
                f"INSERT INTO {OUTBOX} (business_id, table_name, row_id, op) "  # noqa: S608
                f"SELECT business_id, %s, id, 'u' FROM {table} WHERE business_id = %s "
                "ORDER BY id",
                [table, business],
            )
            total += cursor.rowcount
    return total


def publish(*, business_id, floor: int, limit: int, hub: bool = False) -> int:
    """Give positions (`pos`) to up to `limit` waiting entries, in the order they were
    written, above every position given so far and above `floor` (what the hub is known
    to have). Returns how many were published.

    Only committed entries are seen here, and the positions are given one push at a time
    (the hub link's row is locked): an entry whose transaction commits later — on
    PostgreSQL, after a transaction that started writing after it — is published later,
    above the others, so it can never fall below a position the hub confirmed. On
    SQLite, where writers are serialized, positions simply follow the writing order."""
    from django.db import transaction
    from django.db.models import F, Max

    from hanout.sync.models import HubLink, StoreLink

    with transaction.atomic():
        # One publisher at a time per business (writers are never blocked by it): the
        # store's push holds its hub link; on a hub, a store's `down/` call holds the
        # business's store links (all of them, in one order).
        lock = StoreLink if hub else HubLink
        list(
            lock.objects.select_for_update()
            .filter(business_id=business_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if hub:
            # Above every position any store was sent (pruned entries no longer say it).
            sent = StoreLink.objects.filter(business_id=business_id).aggregate(
                m=Max("down_sent_seq")
            )["m"]
            floor = max(floor, sent or 0)
        waiting = list(
            OutboxEntry.objects.filter(business_id=business_id, pos__isnull=True)
            .order_by("seq")
            .values_list("seq", flat=True)[:limit]
        )
        if not waiting:
            return 0
        top = OutboxEntry.objects.filter(business_id=business_id).aggregate(m=Max("pos"))["m"]
        base = max(top or 0, floor)
        first, last = waiting[0], waiting[-1]
        # Entries committed since the read above, inside [first, last], are published too
        # (in order); one below `first` waits for the next call, above everything.
        return OutboxEntry.objects.filter(
            business_id=business_id, pos__isnull=True, seq__gte=first, seq__lte=last
        ).update(pos=F("seq") + (base - first + 1))


def prune(*, business_id, upto: int) -> int:
    """Forget the confirmed entries up to position `upto`, except the newest tombstone of
    each deleted row: a full resend carries those (the hub may still hold the row)."""
    from django.db.models import Exists, OuterRef

    newer_tombstone = OutboxEntry.objects.filter(
        business_id=business_id,
        table_name=OuterRef("table_name"),
        row_id=OuterRef("row_id"),
        op="d",
        seq__gt=OuterRef("seq"),
    )
    old = OutboxEntry.objects.filter(business_id=business_id, pos__lte=upto)
    count, _ = old.filter(op="u").delete()
    gone, _ = old.filter(op="d").filter(Exists(newer_tombstone)).delete()
    return count + gone
