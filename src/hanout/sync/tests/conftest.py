"""A real shop on a real SQLite file, for the backup drills: `hanout demo` once per test
run (shared by the xdist workers through a file lock), copied into each test's folder.
And the hub of the store ↔ hub tests (tests/hub.py): one `hanout serve` per module."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hanout.sync.tests.hub import Hub, NoPostgres, Proxy

# What a drill's `hanout` subprocess must not inherit from the test run (the PostgreSQL CI
# run sets DATABASE_URL and REDIS_URL; the drill on SQLite must stay on SQLite).
STRIPPED = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "HANOUT_BACKUP_DIR",
    "HANOUT_BACKUP_KEY",
    "HANOUT_BACKUP_KEY_FILE",
    "HANOUT_BACKUP_TIME",
    "HANOUT_TESTING",
)


def cli_env(data_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="hanout.settings",
        HANOUT_DATA_DIR=str(data_dir),
        HANOUT_DEMO_HISTORY_DAYS="3",
        HANOUT_LOG_LEVEL="WARNING",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def hanout(*args, env: dict, timeout: int = 600, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "hanout.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"hanout {' '.join(map(str, args))} → {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A data folder with the demo shops on SQLite, made once for the whole run."""
    shared = tmp_path_factory.getbasetemp().parent  # common to the xdist workers
    template = shared / "backup-demo-sqlite"
    with open(shared / "backup-demo-sqlite.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "ready").exists():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            hanout("demo", env=cli_env(template), timeout=900)
            (template / "ready").touch()
    return template


@pytest.fixture
def shop(demo_template, tmp_path) -> Path:
    """This test's own copy of the demo data folder."""
    data = tmp_path / "shop"
    shutil.copytree(demo_template, data, ignore=shutil.ignore_patterns("ready", "backups"))
    return data


# --- the store ↔ hub tests (test_hub_sync*.py): one hub per test module ---------------


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    try:
        server = Hub(tmp_path_factory.mktemp("hub"))
    except NoPostgres as exc:  # the only reason to skip (HANOUT_TEST_HUB_DATABASE=sqlite runs)
        pytest.skip(
            f"the hub runs on PostgreSQL: {exc}; HANOUT_TEST_HUB_DATABASE=sqlite for SQLite"
        )
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def proxy(hub):
    relay = Proxy(hub.port)
    yield relay
    relay.release()
    relay.close()
