"""The restore drill on a real SQLite file: `hanout backup`, lose data, `hanout restore`,
in subprocesses exactly as an operator runs them (whatever database the suite runs on)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

from hanout.sync import backups
from hanout.sync.engines import SQLITE, inspect
from hanout.sync.rotation import to_keep
from hanout.sync.tests.conftest import cli_env, hanout


def state(data: Path) -> dict:
    conn = sqlite3.connect(data / "hanout.sqlite3")
    try:
        return inspect(conn, SQLITE)
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def media_files(data: Path) -> dict[str, str]:
    return {
        str(p.relative_to(data)): digest(p)
        for root in ("media", "private")
        for p in sorted((data / root).rglob("*"))
        if p.is_file()
    }


def only_backup(folder: Path) -> Path:
    [archive] = [p for p in folder.iterdir() if backups.NAME.match(p.name)]
    return archive


def test_backup_wipe_restore(shop, tmp_path):
    env = cli_env(shop)
    before = state(shop)
    files_before = media_files(shop)
    assert before["row_counts"]["inventory_stockmovement"] > 0
    assert before["invariants"]["stock_level_is_sum_of_movements"]["checked"] > 0
    assert files_before, "the demo has product pictures"

    out = hanout("backup", "--to", tmp_path / "bk", env=env).stdout
    archive = only_backup(tmp_path / "bk")
    assert archive.name in out
    sidecar = json.loads(Path(f"{archive}.json").read_text())
    manifest = sidecar["manifest"]
    assert manifest["engine"] == "sqlite" and manifest["format_version"] == 1
    assert manifest["row_counts"] == before["row_counts"]
    assert manifest["invariants"] == before["invariants"]
    assert all(v["mismatched"] == 0 for v in manifest["invariants"].values())
    assert manifest["migrations"]["inventory"]
    assert sidecar["sha256"] == digest(archive)
    assert set(files_before) <= set(manifest["members"])

    # Lose data: a day's sales and stock gone, a table emptied, the pictures deleted.
    conn = sqlite3.connect(shop / "hanout.sqlite3")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM inventory_stockmovement")
    conn.execute("DELETE FROM customers_loyaltyentry")
    conn.execute("UPDATE marketplace_wallet SET posted = posted + 1000")
    conn.commit()
    conn.close()
    for path in (shop / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    assert state(shop)["row_counts"] != before["row_counts"]

    out = hanout("restore", archive, "--yes", env=env).stdout
    assert "Restored" in out and "before-restore" in out
    after = state(shop)
    assert after["row_counts"] == before["row_counts"]
    assert after["invariants"] == before["invariants"]
    assert media_files(shop) == files_before
    # The data before the restore is kept beside it.
    assert list(shop.glob("hanout.sqlite3.before-restore-*"))


def test_restore_onto_a_new_computer_with_a_key(shop, tmp_path):
    key_file = tmp_path / "backup.key"
    hanout("backup", "--make-key", key_file, env=cli_env(shop))
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    env = cli_env(shop, HANOUT_BACKUP_KEY_FILE=key_file)
    before = state(shop)
    hanout("backup", "--to", tmp_path / "bk", "--encrypt", env=env)
    archive = only_backup(tmp_path / "bk")
    assert archive.name.endswith(".tar.enc")
    blob = archive.read_bytes()
    assert b"SQLite format 3" not in blob and b"inventory_stockmovement" not in blob
    sidecar = json.loads(Path(f"{archive}.json").read_text())
    assert sidecar["encrypted"] and sidecar["manifest"] is None

    # The computer is lost: a new, empty data folder.
    new = tmp_path / "new-computer"
    new.mkdir()
    refused = hanout("restore", archive, "--yes", env=cli_env(new), check=False)
    assert refused.returncode == 1
    assert "encrypted" in refused.stderr and "Nothing was changed" in refused.stderr
    wrong = hanout(
        "restore", archive, "--yes", env=cli_env(new, HANOUT_BACKUP_KEY="not-the-key"), check=False
    )
    assert wrong.returncode == 1 and "Wrong key" in wrong.stderr
    assert not (new / "hanout.sqlite3").exists()

    hanout("restore", archive, "--yes", env=cli_env(new, HANOUT_BACKUP_KEY_FILE=key_file))
    after = state(new)
    assert after["row_counts"] == before["row_counts"]
    assert after["invariants"] == before["invariants"]
    assert media_files(new) == media_files(shop)


def test_tampered_or_cut_backups_are_refused_and_nothing_changes(shop, tmp_path):
    env = cli_env(shop)
    hanout("backup", "--to", tmp_path / "bk", env=env)
    archive = only_backup(tmp_path / "bk")
    good = archive.read_bytes()
    sidecar_path = Path(f"{archive}.json")
    good_sidecar = sidecar_path.read_text()
    # The live database moves on after the backup (a sale, say): a refused restore must
    # leave it exactly so.
    conn = sqlite3.connect(shop / "hanout.sqlite3")
    conn.execute("UPDATE customers_customer SET notes = 'after the backup'")
    conn.commit()
    conn.close()
    live = digest(shop / "hanout.sqlite3")
    files = media_files(shop)

    def refused(message: str) -> None:
        proc = hanout("restore", archive, "--yes", env=env, check=False)
        assert proc.returncode == 1, proc.stdout
        assert message in proc.stderr, proc.stderr
        assert "Nothing was changed" in proc.stderr
        assert digest(shop / "hanout.sqlite3") == live
        assert media_files(shop) == files
        assert not list(shop.glob("*.before-restore-*"))

    # 1. A byte changed in the middle (inside the database copy).
    damaged = bytearray(good)
    damaged[len(good) // 3] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    refused("does not match its checksum")

    # 2. The same, with the checksum file rewritten to match: the member checksum catches it.
    meta = json.loads(good_sidecar)
    meta["sha256"] = hashlib.sha256(bytes(damaged)).hexdigest()
    sidecar_path.write_text(json.dumps(meta))
    refused("does not match its checksum")

    # 3. Cut short (a copy that stopped half-way), checksum file made to match.
    cut = good[: len(good) // 2]
    archive.write_bytes(cut)
    meta.update(sha256=hashlib.sha256(cut).hexdigest(), size=len(cut))
    sidecar_path.write_text(json.dumps(meta))
    refused("")

    # 4. The checksum file lost.
    archive.write_bytes(good)
    sidecar_path.unlink()
    refused("checksum file")

    # The untouched backup still restores.
    sidecar_path.write_text(good_sidecar)
    check = hanout("restore", archive, "--check-only", env=env)
    assert "The backup is sound" in check.stdout
    assert digest(shop / "hanout.sqlite3") == live


def test_a_backup_from_a_newer_hanout_is_refused(shop, tmp_path):
    """A manifest naming a migration this code does not have: refused before any change."""
    env = cli_env(shop)
    conn = sqlite3.connect(shop / "hanout.sqlite3")
    conn.execute(
        "INSERT INTO django_migrations (app, name, applied) VALUES ('inventory', '9999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    hanout("backup", "--to", tmp_path / "bk", "--no-media", env=env)
    archive = only_backup(tmp_path / "bk")
    conn = sqlite3.connect(shop / "hanout.sqlite3")
    conn.execute("DELETE FROM django_migrations WHERE name = '9999_future'")
    conn.commit()
    conn.close()
    live = digest(shop / "hanout.sqlite3")
    proc = hanout("restore", archive, "--yes", env=env, check=False)
    assert proc.returncode == 1 and "newer Hanout" in proc.stderr and "9999_future" in proc.stderr
    assert digest(shop / "hanout.sqlite3") == live


def test_rotation_after_each_backup(shop, tmp_path):
    """40 nights of earlier backups in the folder: after one more, exactly the GFS set is left."""
    folder = tmp_path / "bk"
    folder.mkdir()
    today = dt.datetime.now(dt.UTC).replace(hour=3, minute=0, second=0, microsecond=0)
    old = [today - dt.timedelta(days=d) for d in range(1, 41)]
    for when in old:
        name = f"hanout-{when.strftime(backups.STAMP)}.tar"
        (folder / name).write_bytes(b"old")
        (folder / f"{name}.json").write_text("{}")
    (folder / "notes.txt").write_text("not a backup: left alone")
    out = hanout("backup", "--to", folder, "--no-media", env=cli_env(shop)).stdout
    new = only_backup_newest(folder)
    expected = to_keep([*old, backups.backup_time(new.name)])
    left = {backups.backup_time(p.name) for p in folder.iterdir() if backups.NAME.match(p.name)}
    assert left == expected
    assert backups.backup_time(new.name) in left
    for p in folder.iterdir():
        if backups.NAME.match(p.name):
            assert Path(f"{p}.json").exists()
    assert not [p for p in folder.glob("*.json") if not Path(str(p)[:-5]).exists()]
    assert (folder / "notes.txt").exists()
    assert out.count("Rotation removed") == 41 - len(expected)


def only_backup_newest(folder: Path) -> Path:
    return max((p for p in folder.iterdir() if backups.NAME.match(p.name)), key=lambda p: p.name)
