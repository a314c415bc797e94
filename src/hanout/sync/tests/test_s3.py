"""Backups to S3-compatible storage, against a real local S3 server (moto's)."""

from __future__ import annotations

import datetime as dt
import json
import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

from hanout.sync import backups
from hanout.sync.rotation import to_keep
from hanout.sync.storage import S3Storage, StorageError
from hanout.sync.tests.conftest import cli_env, hanout

S3_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def s3_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, monkeypatch):
    for k, v in S3_ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("HANOUT_BACKUP_S3_ENDPOINT", s3_server)
    name = f"shop-{dt.datetime.now().strftime('%H%M%S%f')}"
    boto3.client("s3", endpoint_url=s3_server).create_bucket(Bucket=name)
    return name


def test_storage_interface(bucket, tmp_path):
    store = S3Storage(f"s3://{bucket}/nightly")
    assert store.list() == []
    local = tmp_path / "f"
    local.write_bytes(b"hello")
    store.put(local, "hanout-20270101T030000Z.tar")
    assert store.list() == ["hanout-20270101T030000Z.tar"]
    assert store.read("hanout-20270101T030000Z.tar") == b"hello"
    assert store.read("missing") is None
    store.get("hanout-20270101T030000Z.tar", tmp_path / "back")
    assert (tmp_path / "back").read_bytes() == b"hello"
    # Another prefix in the same bucket is another destination.
    assert S3Storage(f"s3://{bucket}/other").list() == []
    store.delete("hanout-20270101T030000Z.tar")
    assert store.list() == []
    with pytest.raises(StorageError, match="No backup named"):
        store.get("hanout-20270101T030000Z.tar", tmp_path / "x")


def test_unreachable_bucket_is_a_clear_error(bucket):
    with pytest.raises(StorageError, match="S3 listing failed"):
        S3Storage("s3://no-such-bucket-here/x").list()


def test_cli_round_trip_through_s3(shop, bucket, s3_server, tmp_path):
    """hanout backup --to s3://…, data lost, hanout restore s3://…/NAME; then rotation on S3."""
    import sqlite3

    from hanout.sync.engines import SQLITE, inspect

    env = cli_env(shop, HANOUT_BACKUP_S3_ENDPOINT=s3_server, **S3_ENV)
    dest = f"s3://{bucket}/shop1"
    with sqlite3.connect(shop / "hanout.sqlite3") as conn:
        before = inspect(conn, SQLITE)
    hanout("backup", "--to", dest, env=env)
    listing = hanout("backup", "--list", "--to", dest, env=env).stdout
    [entry] = backups.backups_list(dest)
    assert entry.name in listing and entry.complete and entry.engine == "sqlite"
    assert entry.manifest["row_counts"] == before["row_counts"]

    conn = sqlite3.connect(shop / "hanout.sqlite3")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM inventory_stocklevel")
    conn.commit()
    conn.close()
    hanout("restore", f"{dest}/{entry.name}", "--yes", env=env)
    with sqlite3.connect(shop / "hanout.sqlite3") as conn:
        after = inspect(conn, SQLITE)
    assert after["row_counts"] == before["row_counts"]
    assert after["invariants"] == before["invariants"]

    # Rotation runs on S3 too: 20 older nightly backups, one new one.
    client = boto3.client("s3", endpoint_url=s3_server)
    newest = backups.backup_time(entry.name)
    old = [newest - dt.timedelta(days=d) for d in range(1, 21)]
    for when in old:
        name = f"hanout-{when.strftime(backups.STAMP)}.tar"
        client.put_object(Bucket=bucket, Key=f"shop1/{name}", Body=b"old")
        client.put_object(Bucket=bucket, Key=f"shop1/{name}.json", Body=json.dumps({}).encode())
    deleted = backups.apply_rotation(S3Storage(dest))
    left = {e.created_at for e in backups.backups_list(dest)}
    assert left == to_keep([*old, newest])
    assert len(deleted) == 21 - len(left)
