"""The database side of a backup: a consistent copy, and what a copy must show.

SQLite: the online backup API copies the live file in one step while the server runs
(WAL readers never block writers); the copy is a plain one-file database. PostgreSQL:
`pg_dump --format=custom` inside a snapshot that the row counts and invariants are
read in too, so the manifest describes exactly the dump.

`inspect()` reads a copy through any DB-API connection: the row count of every table,
the applied migrations, and the ledger invariants the code promises (DESIGN.md):
a stock level is the sum of its movements, a wallet's posted and held amounts are the
sums of its entries, a customer's loyalty points the sum of its loyalty entries.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path

SQLITE, POSTGRES = "sqlite", "postgresql"


class RestoreFailed(Exception):
    """Something the operator must read: nothing was changed unless it says so."""


# --- what a copy must show ------------------------------------------------------------------

# (name, the rows checked, the rows off, totals to compare), each a SELECT of one row.
INVARIANTS = {
    "stock_level_is_sum_of_movements": {
        "table": "inventory_stocklevel",
        "checked": "SELECT COUNT(*) FROM inventory_stocklevel",
        "off": """
            SELECT
              (SELECT COUNT(*) FROM inventory_stocklevel l
                 LEFT JOIN (SELECT business_id, product_id, location_id, SUM(quantity) AS s
                              FROM inventory_stockmovement
                             GROUP BY business_id, product_id, location_id) m
                   ON m.business_id = l.business_id AND m.product_id = l.product_id
                  AND m.location_id = l.location_id
                WHERE ABS(l.quantity - COALESCE(m.s, 0)) > 0.0005)
            + (SELECT COUNT(*) FROM (SELECT business_id, product_id, location_id,
                                            SUM(quantity) AS s
                                       FROM inventory_stockmovement
                                      GROUP BY business_id, product_id, location_id) m
                WHERE ABS(m.s) > 0.0005 AND NOT EXISTS (
                  SELECT 1 FROM inventory_stocklevel l
                   WHERE l.business_id = m.business_id AND l.product_id = m.product_id
                     AND l.location_id = m.location_id))
        """,
        "totals": "SELECT COALESCE(SUM(quantity), 0) FROM inventory_stocklevel",
        "places": 3,
    },
    "wallet_is_sum_of_entries": {
        "table": "marketplace_wallet",
        "checked": "SELECT COUNT(*) FROM marketplace_wallet",
        "off": """
            SELECT COUNT(*) FROM marketplace_wallet w
              LEFT JOIN (SELECT wallet_id, SUM(posted_change) AS p, SUM(held_change) AS h
                           FROM marketplace_walletentry GROUP BY wallet_id) e
                ON e.wallet_id = w.id
             WHERE ABS(w.posted - COALESCE(e.p, 0)) > 0.0005
                OR ABS(w.held - COALESCE(e.h, 0)) > 0.0005
        """,
        "totals": "SELECT COALESCE(SUM(posted), 0) FROM marketplace_wallet",
        "places": 2,
    },
    "loyalty_points_are_sum_of_entries": {
        "table": "customers_customer",
        "checked": "SELECT COUNT(*) FROM customers_customer",
        "off": """
            SELECT COUNT(*) FROM customers_customer c
              LEFT JOIN (SELECT customer_id, SUM(points) AS p
                           FROM customers_loyaltyentry GROUP BY customer_id) e
                ON e.customer_id = c.id
             WHERE c.loyalty_points <> COALESCE(e.p, 0)
        """,
        "totals": "SELECT COALESCE(SUM(loyalty_points), 0) FROM customers_customer",
        "places": 0,
    },
}


def _one(cur, sql: str):
    cur.execute(sql)
    return cur.fetchone()[0]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables(conn, vendor: str) -> list[str]:
    cur = conn.cursor()
    if vendor == SQLITE:
        cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    return sorted(r[0] for r in cur.fetchall())


def inspect(conn, vendor: str) -> dict:
    """Row counts, applied migrations and the ledger invariants of the database `conn` opens."""
    cur = conn.cursor()
    names = tables(conn, vendor)
    counts = {name: int(_one(cur, f"SELECT COUNT(*) FROM {_quote(name)}")) for name in names}  # noqa: S608
    invariants = {}
    for key, inv in INVARIANTS.items():
        if inv["table"] not in counts:
            continue
        total = Decimal(str(_one(cur, inv["totals"])))
        invariants[key] = {
            "checked": int(_one(cur, inv["checked"])),
            "mismatched": int(_one(cur, inv["off"])),
            "total": str(total.quantize(Decimal(1).scaleb(-inv["places"]))),
        }
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cur.execute("SELECT app, name FROM django_migrations")
        for app, name in cur.fetchall():
            migrations.setdefault(app, []).append(name)
    return {
        "row_counts": counts,
        "invariants": invariants,
        "migrations": {app: sorted(n) for app, n in sorted(migrations.items())},
    }


def broken_invariants(invariants: dict) -> list[str]:
    return [
        f"{k}: {v['mismatched']} of {v['checked']}"
        for k, v in invariants.items()
        if v["mismatched"]
    ]


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_copy(live: str | sqlite3.Connection, dest: Path) -> dict:
    """A consistent copy of the live database into `dest` (one file, no WAL), inspected.

    `live` is a path, or an open connection to an in-memory database (the tests'), which is
    serialized as that connection sees it (the backup API would wait for its transaction)."""
    if isinstance(live, sqlite3.Connection):
        dest.write_bytes(live.serialize())
        dst = sqlite3.connect(dest)
        try:
            dst.execute("PRAGMA journal_mode=DELETE")
            return inspect(dst, SQLITE)
        finally:
            dst.close()
    src = sqlite3.connect(live, timeout=30)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)  # one step: a snapshot; writers of a WAL database go on
            dst.execute("PRAGMA journal_mode=DELETE")
            return inspect(dst, SQLITE)
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_check_copy(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise RestoreFailed(f"The database in the backup is damaged (SQLite says: {result}).")
        return inspect(conn, SQLITE)
    except sqlite3.DatabaseError as exc:
        raise RestoreFailed(f"The database in the backup cannot be opened: {exc}") from exc
    finally:
        conn.close()


def sqlite_restore_live(copy: Path, live: Path, keep_previous: Path | None) -> dict:
    """Write the checked copy into the live file through the backup API, in one transaction
    (a running server's connections see the old data or the new, never a mix), with the
    server's writers queued behind it; the previous database is kept at `keep_previous`."""
    from hanout.core.sqlite.base import write_lock_for

    lock = write_lock_for(str(live), in_memory=False)
    held = lock.acquire(timeout=60)
    try:
        src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        dst = sqlite3.connect(live, timeout=60)
        try:
            if keep_previous is not None:
                prev = sqlite3.connect(keep_previous)
                dst.backup(prev)
                prev.execute("PRAGMA journal_mode=DELETE")
                prev.close()
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            return inspect(dst, SQLITE)
        finally:
            src.close()
            dst.close()
    finally:
        lock.release(*held)


# --- PostgreSQL -------------------------------------------------------------------------------


def pg_env(db: dict, name: str | None = None) -> dict:
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = name or db["NAME"]
    return env


def pg_connect(db: dict, name: str | None = None):
    import psycopg

    return psycopg.connect(
        dbname=name or db["NAME"],
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    )


def _run(args: list[str], env: dict, what: str, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, env=env, capture_output=True, text=True, **kw)  # noqa: S603
    if proc.returncode != 0:
        raise RestoreFailed(f"{what} failed: {proc.stderr.strip()[-2000:]}")
    return proc


def pg_copy(db: dict, dest: Path) -> dict:
    """pg_dump (custom format) of the snapshot the counts and invariants are read in."""
    conn = pg_connect(db)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dest}",
            ],
            pg_env(db),
            "pg_dump",
        )
        found = inspect(conn, POSTGRES)
        conn.execute("COMMIT")
        return found
    finally:
        conn.close()


def pg_check_copy(db: dict, dump: Path) -> dict:
    """Restore the dump into a scratch database, inspect it, drop it."""
    scratch = f"{db['NAME'][:30]}_restore_check_{secrets.token_hex(4)}"
    admin = pg_connect(db)
    try:
        try:
            admin.execute(f"CREATE DATABASE {_quote(scratch)}")
        except Exception as exc:
            raise RestoreFailed(
                f"Could not create the scratch database {scratch} to check the backup in "
                f"(the database user needs CREATEDB): {exc}"
            ) from exc
        try:
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={scratch}",
                    str(dump),
                ],
                pg_env(db, scratch),
                "Restoring the backup into a scratch database",
            )
            conn = pg_connect(db, scratch)
            try:
                return inspect(conn, POSTGRES)
            finally:
                conn.close()
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)} WITH (FORCE)")
    finally:
        admin.close()


_TOC = re.compile(r"^\d+; \d+ \d+ (TABLE|VIEW|MATERIALIZED VIEW) public (\S+) ")


def pg_restore_live(db: dict, dump: Path) -> dict:
    """Replace the live database's contents with the dump in one transaction.

    `pg_restore --clean --if-exists` writes the SQL, `psql --single-transaction` runs it
    after dropping the tables and views the dump does not have (from a newer migration),
    with ON_ERROR_STOP: any error rolls everything back and the database is as it was."""
    env = pg_env(db)
    listing = _run(["pg_restore", "--list", str(dump)], env, "Reading the dump").stdout
    in_dump = {m.group(2) for line in listing.splitlines() if (m := _TOC.match(line))}
    conn = pg_connect(db)
    try:
        live = conn.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = 'public'"
        ).fetchall()
    finally:
        conn.close()
    drops = [
        f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS public.{_quote(name)} CASCADE;"
        for name, kind in live
        if name not in in_dump
    ]
    script = subprocess.Popen(  # noqa: S603 - the PostgreSQL client tools are found on PATH
        [  # noqa: S607
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--file=-",
            str(dump),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    args = ["psql", "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
    if drops:
        args += ["-c", " ".join(drops)]
    args += ["-f", "-"]
    env = {**env, "PGOPTIONS": "-c lock_timeout=60s -c client_min_messages=warning"}
    psql = subprocess.run(args, env=env, stdin=script.stdout, capture_output=True, text=False)  # noqa: S603
    script.stdout.close()
    script_err = script.stderr.read().decode(errors="replace")
    script.wait()
    if script.returncode != 0 or psql.returncode != 0:
        raise RestoreFailed(
            "Restoring into the database failed and was rolled back: "
            + (script_err or psql.stderr.decode(errors="replace")).strip()[-2000:]
        )
    conn = pg_connect(db)
    try:
        # A restored database has no planner statistics until autovacuum gets to it: the
        # first pages would be planned blind (a sequential scan of the stock ledger).
        conn.execute("ANALYZE")
        return inspect(conn, POSTGRES)
    finally:
        conn.close()
