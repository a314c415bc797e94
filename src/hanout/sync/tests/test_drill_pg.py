"""The restore drill on PostgreSQL: a scratch database made and dropped here (whatever
database the suite itself runs on); skipped only when no server answers on 127.0.0.1."""

from __future__ import annotations

import json
import secrets
import subprocess
from pathlib import Path

import pytest

from hanout.sync import backups
from hanout.sync.engines import POSTGRES, inspect
from hanout.sync.tests.conftest import cli_env, hanout

SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def connect(dbname: str):
    import psycopg

    return psycopg.connect(dbname=dbname, autocommit=True, connect_timeout=3, **SERVER)


@pytest.fixture
def pg_shop(tmp_path):
    try:
        admin = connect("postgres")
    except Exception as exc:  # the only reason to skip
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({exc.__class__.__name__})")
    name = f"hanout_drill_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    data = tmp_path / "shop"
    data.mkdir()
    env = cli_env(data, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}")
    try:
        hanout("demo", env=env, timeout=900)
        yield name, data, env
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        leftovers = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{name}%",)
        ).fetchall()
        admin.close()
        assert not leftovers, "the restore check left a scratch database behind"


def state(name: str) -> dict:
    with connect(name) as conn:
        return inspect(conn, POSTGRES)


def test_pg_backup_wipe_restore(pg_shop, tmp_path):
    name, data, env = pg_shop
    before = state(name)
    assert before["row_counts"]["inventory_stockmovement"] > 0
    assert all(v["mismatched"] == 0 for v in before["invariants"].values())

    hanout("backup", "--to", tmp_path / "bk", env=env)
    [archive] = [p for p in (tmp_path / "bk").iterdir() if backups.NAME.match(p.name)]
    manifest = json.loads(Path(f"{archive}.json").read_text())["manifest"]
    assert manifest["engine"] == "postgresql"
    assert manifest["row_counts"] == before["row_counts"]
    assert "database.pgdump" in manifest["members"]

    # A damaged backup is refused and the database left as it is.
    good = archive.read_bytes()
    damaged = bytearray(good)
    damaged[len(good) // 2] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    proc = hanout("restore", archive, "--yes", env=env, check=False)
    assert proc.returncode == 1 and "does not match its checksum" in proc.stderr
    assert state(name) == before
    archive.write_bytes(good)

    # Lose data: rows deleted, a table dropped, a stray table from "a newer version" added.
    with connect(name) as conn:
        conn.execute("TRUNCATE customers_loyaltyentry, marketplace_walletentry CASCADE")
        conn.execute("DROP TABLE expenses_expense CASCADE")
        conn.execute("CREATE TABLE stray_table (id int)")
    assert state(name)["row_counts"] != before["row_counts"]

    out = hanout("restore", archive, "--yes", env=env).stdout
    assert "Restored" in out
    # The database as it was before the restore is kept, and can be restored itself.
    [kept] = [
        line.split(" is kept at ", 1)[1].split(" (delete", 1)[0]
        for line in out.splitlines()
        if "The previous data is kept at" in line and ".pgdump" in line
    ]
    listing = subprocess.run(  # noqa: S603
        ["pg_restore", "--list", kept],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert " TABLE public stray_table " in listing
    assert " TABLE public expenses_expense " not in listing
    after = state(name)
    assert after["row_counts"] == before["row_counts"]
    assert after["invariants"] == before["invariants"]
    assert "stray_table" not in after["row_counts"]
    # The restored tables have planner statistics at once (not after autovacuum's turn).
    with connect(name) as conn:
        analyzed = conn.execute(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'inventory_stockmovement'"
        ).fetchone()[0]
    assert analyzed
