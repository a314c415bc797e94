"""Time `hanout backup` and `hanout restore` on a large generated SQLite database.

    python bench/bench_backup.py [--mb 1000] [--data-dir /tmp/bench-backup] [--encrypt]

Makes a data folder with the demo shops (`hanout demo`, 3 days of history), then grows
the stock ledger to about --mb megabytes with movements that come in +q/−q pairs (so
every level still equals the sum of its movements and the restore's checks pass), then
runs, as an operator would: `hanout backup --to DIR`, `hanout restore NAME --check-only`
and `hanout restore NAME --yes`, and prints the database size, each wall time and MB/s.
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


def run(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "hanout.cli", *args], env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"hanout {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return took


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=1000, help="database size to reach")
    parser.add_argument("--data-dir", default="/tmp/bench-backup")  # noqa: S108
    parser.add_argument("--encrypt", action="store_true")
    opts = parser.parse_args()
    data = Path(opts.data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="hanout.settings",
        HANOUT_DATA_DIR=str(data),
        HANOUT_DEMO_HISTORY_DAYS="3",
        HANOUT_BACKUP_KEY="bench-key",
    )
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
    took = run(args, env)
    [archive] = [p for p in out.iterdir() if not p.name.endswith(".json")]
    mb = archive.stat().st_size / 1e6
    print(
        f"backup{' (encrypted)' if opts.encrypt else ''}: {took:6.1f} s  {size / took:6.1f} MB/s  archive {mb:,.0f} MB"
    )
    took = run(["restore", str(archive), "--check-only"], env)
    print(f"restore --check-only: {took:6.1f} s  {size / took:6.1f} MB/s")
    took = run(["restore", str(archive), "--yes"], env)
    print(
        f"restore --yes:        {took:6.1f} s  {size / took:6.1f} MB/s  (checks + replace + keep previous)"
    )
    for old in data.glob("*.before-restore-*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
