"""Which tables travel from a store to its hub, and the triggers that note their changes.

The order of `SYNCED` is the order of a first sync: a row's parents come before it.
After that, the outbox's own order (the order the changes were written) keeps parents
first, and the hub applies each batch in one transaction with the foreign keys checked
at commit, so a batch may hold a row and its parent in any order.

The triggers are (re)made after every `migrate` (SQLite's table rebuilds drop them) and
when a store is linked; `missing_triggers()` lists any that are not there.
"""

from __future__ import annotations

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
OUTBOX = OutboxEntry._meta.db_table


def synced_models():
    return [apps.get_model(label) for label in SYNCED]


def model_for_table(table: str):
    for model in synced_models():
        if model._meta.db_table == table:
            return model
    return None


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
            ]
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        have = {r[0] for r in cursor.fetchall()}
        return [m._meta.db_table for m in synced_models() if m._meta.db_table not in have]


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
