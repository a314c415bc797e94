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


def _sqlite_sql(table: str) -> list[str]:
    linked = "EXISTS (SELECT 1 FROM sync_hublink h WHERE h.business_id = {row}.business_id)"
    # Table names come from the models, never from input.
    note = (
        f"INSERT INTO {OUTBOX} (business_id, table_name, row_id, op) "  # noqa: S608
        "VALUES ({row}.business_id, '" + table + "', {row}.id, '{op}')"
    )
    out = []
    for event, row, op in (("INSERT", "NEW", "u"), ("UPDATE", "NEW", "u"), ("DELETE", "OLD", "d")):
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS {TRIGGER}_{event.lower()}_{table} "
            f"AFTER {event} ON {table} FOR EACH ROW WHEN {linked.format(row=row)} "
            f"BEGIN {note.format(row=row, op=op)}; END"
        )
    return out


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM sync_hublink h WHERE h.business_id = OLD.business_id) THEN
      INSERT INTO {OUTBOX} (business_id, table_name, row_id, op)
      VALUES (OLD.business_id, TG_TABLE_NAME, OLD.id, 'd');
    END IF;
    RETURN OLD;
  END IF;
  IF EXISTS (SELECT 1 FROM sync_hublink h WHERE h.business_id = NEW.business_id) THEN
    INSERT INTO {OUTBOX} (business_id, table_name, row_id, op)
    VALUES (NEW.business_id, TG_TABLE_NAME, NEW.id, 'u');
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""  # noqa: S608 - names from the models


def _sqlite_m2m_sql(link: str, column: str, owner: str) -> list[str]:
    out = []
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS {M2M_TRIGGER}_{event.lower()}_{link} "  # noqa: S608
            f"AFTER {event} ON {link} FOR EACH ROW BEGIN "
            f"INSERT INTO {OUTBOX} (business_id, table_name, row_id, op) "
            f"SELECT o.business_id, '{owner}', o.id, 'u' FROM {owner} o "
            f"WHERE o.id = {row}.{column} AND EXISTS "
            "(SELECT 1 FROM sync_hublink h WHERE h.business_id = o.business_id); END"
        )
    return out


def _postgres_m2m_sql(link: str, column: str, owner: str) -> list[str]:
    function = f"{M2M_TRIGGER}_{link}"
    return [
        f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
  INSERT INTO {OUTBOX} (business_id, table_name, row_id, op)
  SELECT o.business_id, '{owner}', o.id, 'u' FROM {owner} o
   WHERE o.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.{column} ELSE NEW.{column} END)
     AND EXISTS (SELECT 1 FROM sync_hublink h WHERE h.business_id = o.business_id);
  RETURN NULL;
END $$ LANGUAGE plpgsql
""",  # noqa: S608 - names from the models
        f"CREATE OR REPLACE TRIGGER {M2M_TRIGGER} AFTER INSERT OR DELETE ON {link} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _postgres_sql(table: str) -> list[str]:
    return [
        f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
    ]


def ensure_triggers(using: str = "default") -> None:
    """Create the outbox triggers on every synced table (idempotent)."""
    from django.db import connections

    conn = connections[using]
    tables = set(conn.introspection.table_names())
    if OUTBOX not in tables or "sync_hublink" not in tables:
        return
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
    resend when the hub lost what it had). Returns how many rows were noted."""
    total = 0
    with connection.cursor() as cursor:
        for model in synced_models():
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {OUTBOX} (business_id, table_name, row_id, op) "  # noqa: S608
                f"SELECT business_id, %s, id, 'u' FROM {table} WHERE business_id = %s "
                "ORDER BY id",
                [table, business_id.hex if connection.vendor == "sqlite" else business_id],
            )
            total += cursor.rowcount
    return total
