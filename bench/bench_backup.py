"""Time `hanout backup` and `hanout restore` on a large generated database.

    python bench/bench_backup.py [--db sqlite|postgres] [--mb 1000] [--data-dir DIR]
                                 [--encrypt] [--keep]

Makes a data folder with the demo shops (`hanout demo`, 3 days of history), then grows
the stock ledger to about --mb megabytes with movements that come in +q/−q pairs (so
every level still equals the sum of its movements and the restore's checks pass), then
runs, as an operator would: `hanout backup --to DIR`, `hanout restore NAME --check-only`
and `hanout restore NAME --yes`, and prints the database size, each wall time and MB/s.

SQLite (the default): the data folder is /tmp/bench-backup, kept and reused.

PostgreSQL (`--db postgres`): the database `hanout_bench_backup` on
postgres://postgres@127.0.0.1:5432 (dropped first if it is there, and at the end unless
--keep; no other database is touched, apart from the scratch database `hanout restore`
makes and drops itself), the media and backups in /tmp/bench-backup-pg (emptied first,
removed at the end unless --keep). The size is `pg_database_size`. The reference is the
same database through the bare tools, timed here too: `pg_dump -Fc` against
`hanout backup`, `pg_restore --clean --if-exists` into the same database against
`hanout restore --yes`; the ratios hanout/bare are printed. Under each hanout step, the
time at which it printed each of its lines (its phases).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "hanout_bench_backup"


def run(args: list[str], env: dict) -> tuple[float, list[tuple[float, str]]]:
    """Run `hanout ARGS`; its wall time and each line it printed with the time it came."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hanout.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = [(time.perf_counter() - start, line.rstrip()) for line in proc.stdout]
    proc.wait()
    took = time.perf_counter() - start
    if proc.returncode != 0:
        out = "\n".join(line for _, line in lines)
        sys.exit(f"hanout {' '.join(args)} failed:\n{out}")
    return took, lines


def run_tool(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return took


def phases(lines: list[tuple[float, str]]) -> None:
    """Each line the step printed, with the seconds since the line before (its phase)."""
    last = 0.0
    for at, line in lines:
        print(f"    {at:6.1f} s (+{at - last:5.1f})  {line[:90]}")
        last = at


def grow(db: Path, target_mb: int) -> int:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    cols = [r[1] for r in conn.execute("PRAGMA table_info(inventory_stockmovement)")]
    other = [f'"{c}"' for c in cols if c not in ("id", "quantity", "note", "balance_after")]
    seed = conn.execute("SELECT COUNT(*) FROM inventory_stockmovement").fetchone()[0]
    if not seed:
        sys.exit("the demo made no stock movements to copy")
    padding = "x" * 160  # a note of a realistic length
    added = 0
    batch = 100_000
    while db.stat().st_size + Path(f"{db}-wal").stat().st_size < target_mb * 1e6:
        conn.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {batch - 1})
            INSERT INTO inventory_stockmovement (id, quantity, note, balance_after, {", ".join(other)})
            SELECT lower(hex(randomblob(16))),
                   CASE WHEN n.i % 2 = 0 THEN 1 ELSE -1 END,
                   '{padding}' || n.i, 0, {", ".join("m." + c for c in other)}
              FROM n JOIN (SELECT * FROM inventory_stockmovement LIMIT 1) m
            """  # noqa: S608
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        added += batch
    conn.close()
    return added


def pg_size(conn) -> int:
    return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def grow_pg(url: str, target_mb: int) -> int:
    """The SQLite `grow` on PostgreSQL: +1/−1 pairs copied from one movement, so the levels
    (and every invariant the restore checks: levels, wallets, loyalty points) stay as
    they are; `balance_after` is 0 as there (no check reads it). Batches of 200,000 (even:
    whole pairs) in their own transactions, through the table's triggers and indexes."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cols = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = 'inventory_stockmovement' "
                "ORDER BY ordinal_position"
            )
        ]
        other = [f'"{c}"' for c in cols if c not in ("id", "quantity", "note", "balance_after")]
        seed = conn.execute(
            "SELECT id FROM inventory_stockmovement ORDER BY created_at, id LIMIT 1"
        ).fetchone()
        if not seed:
            sys.exit("the demo made no stock movements to copy")
        padding = "x" * 160  # a note of a realistic length
        added = 0
        batch = 200_000
        while pg_size(conn) < target_mb * 1e6:
            conn.execute(
                f"""
                INSERT INTO inventory_stockmovement (id, quantity, note, balance_after, {", ".join(other)})
                SELECT gen_random_uuid(),
                       CASE WHEN n %% 2 = 0 THEN 1 ELSE -1 END,
                       %s::text || n, 0, {", ".join("m." + c for c in other)}
                  FROM generate_series(0, {batch - 1}) AS n,
                       (SELECT * FROM inventory_stockmovement WHERE id = %s) AS m
                """,  # noqa: S608
                (padding, seed[0]),
            )
            added += batch
        # VACUUM as well as ANALYZE: sets the hint bits of the new rows once, here, instead
        # of in whichever of the timed dumps reads them first.
        conn.execute("VACUUM (ANALYZE) inventory_stockmovement")
    return added


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main_postgres(opts, env: dict) -> int:
    import psycopg

    data = Path(opts.data_dir or "/tmp/bench-backup-pg")  # noqa: S108
    url = f"{PG_SERVER}/{PG_NAME}"
    env["DATABASE_URL"] = url
    pg_tools = {**env, "PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres"}
    out = data.parent / f"{data.name}-backups"
    bare = data.parent / f"{data.name}-bare.pgdump"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    pg_admin(f"CREATE DATABASE {PG_NAME}")
    try:
        print("hanout demo …", flush=True)
        run(["demo"], env)
        start = time.perf_counter()
        added = grow_pg(url, opts.mb)
        if added:
            print(f"added {added:,} stock movements in {time.perf_counter() - start:.0f} s")
        with psycopg.connect(url) as conn:
            size = pg_size(conn) / 1e6
            table = conn.execute(
                "SELECT pg_total_relation_size('inventory_stockmovement')"
            ).fetchone()[0]
            rows = conn.execute("SELECT COUNT(*) FROM inventory_stockmovement").fetchone()[0]
        print(
            f"database: {size:,.0f} MB (pg_database_size), {rows:,} stock movements "
            f"({table / 1e6:,.0f} MB with their indexes)"
        )
        shutil.rmtree(out, ignore_errors=True)
        args = ["backup", "--to", str(out)] + (["--encrypt"] if opts.encrypt else [])
        backup, lines = run(args, env)
        [archive] = [p for p in out.iterdir() if not p.name.endswith(".json")]
        mb = archive.stat().st_size / 1e6
        print(
            f"backup{' (encrypted)' if opts.encrypt else ''}: {backup:6.1f} s  {size / backup:6.1f} MB/s  archive {mb:,.0f} MB"
        )
        phases(lines)
        bare_dump = run_tool(["pg_dump", "-Fc", f"--file={bare}", f"--dbname={PG_NAME}"], pg_tools)
        print(
            f"bare pg_dump -Fc:     {bare_dump:6.1f} s  {size / bare_dump:6.1f} MB/s  dump {bare.stat().st_size / 1e6:,.0f} MB"
        )
        check, lines = run(["restore", str(archive), "--check-only"], env)
        print(f"restore --check-only: {check:6.1f} s  {size / check:6.1f} MB/s")
        phases(lines)
        restore, lines = run(["restore", str(archive), "--yes"], env)
        print(
            f"restore --yes:        {restore:6.1f} s  {size / restore:6.1f} MB/s  (checks + keep previous + replace)"
        )
        phases(lines)
        bare_restore = run_tool(
            ["pg_restore", "--clean", "--if-exists", f"--dbname={PG_NAME}", str(bare)], pg_tools
        )
        print(f"bare pg_restore --clean: {bare_restore:6.1f} s  {size / bare_restore:6.1f} MB/s")
        with psycopg.connect(url) as conn:
            print(f"database after the restores: {pg_size(conn) / 1e6:,.0f} MB")
        print(
            f"hanout/bare, backup (hanout backup / pg_dump -Fc):           {backup / bare_dump:5.2f}"
        )
        print(
            f"hanout/bare, check (restore --check-only / pg_restore):      {check / bare_restore:5.2f}"
        )
        print(
            f"hanout/bare, restore (restore --yes / pg_restore --clean):   {restore / bare_restore:5.2f}"
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
        bare.unlink(missing_ok=True)
        if not opts.keep:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            shutil.rmtree(data, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--mb", type=int, default=1000, help="database size to reach")
    parser.add_argument(
        "--data-dir", default=None, help="default /tmp/bench-backup, /tmp/bench-backup-pg"
    )
    parser.add_argument("--encrypt", action="store_true")
    parser.add_argument(
        "--keep", action="store_true", help="postgres: keep the database and the data folder"
    )
    opts = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="hanout.settings",
        HANOUT_DEMO_HISTORY_DAYS="3",
        HANOUT_BACKUP_KEY="bench-key",
    )
    if opts.db == "postgres":
        env["HANOUT_DATA_DIR"] = str(opts.data_dir or "/tmp/bench-backup-pg")  # noqa: S108
        return main_postgres(opts, env)
    data = Path(opts.data_dir or "/tmp/bench-backup")  # noqa: S108
    env["HANOUT_DATA_DIR"] = str(data)
    db = data / "hanout.sqlite3"
    if not db.exists():
        data.mkdir(parents=True, exist_ok=True)
        print("hanout demo …", flush=True)
        run(["demo"], env)
    start = time.perf_counter()
    added = grow(db, opts.mb)
    if added:
        print(f"added {added:,} stock movements in {time.perf_counter() - start:.0f} s")
    size = db.stat().st_size / 1e6
    rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM inventory_stockmovement").fetchone()[0]
    print(f"database: {size:,.0f} MB, {rows:,} stock movements")
    out = data.parent / f"{data.name}-backups"
    shutil.rmtree(out, ignore_errors=True)
    args = ["backup", "--to", str(out)] + (["--encrypt"] if opts.encrypt else [])
    took, _ = run(args, env)
    [archive] = [p for p in out.iterdir() if not p.name.endswith(".json")]
    mb = archive.stat().st_size / 1e6
    print(
        f"backup{' (encrypted)' if opts.encrypt else ''}: {took:6.1f} s  {size / took:6.1f} MB/s  archive {mb:,.0f} MB"
    )
    took, _ = run(["restore", str(archive), "--check-only"], env)
    print(f"restore --check-only: {took:6.1f} s  {size / took:6.1f} MB/s")
    took, _ = run(["restore", str(archive), "--yes"], env)
    print(
        f"restore --yes:        {took:6.1f} s  {size / took:6.1f} MB/s  (checks + replace + keep previous)"
    )
    for old in data.glob("*.before-restore-*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
