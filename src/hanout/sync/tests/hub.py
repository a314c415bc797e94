"""A second Hanout process to act as the hub in the sync tests.

The store is the test process (its database is the test run's: SQLite or PostgreSQL);
the hub is `hanout serve` in its own data folder, on a PostgreSQL database of its own
(as in CI). Where no PostgreSQL server answers, the hub tests are skipped and say so
(`hub_database`), unless HANOUT_TEST_HUB_DATABASE=sqlite asks for a hub on SQLite; a
server that answers but refuses (a wrong password, no right to create a database)
fails the tests loudly.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

PG_SERVER = os.environ.get("HANOUT_TEST_HUB_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Databases made for hubs are named PREFIX + 12 hex digits (and dropped after).
PG_PREFIX = os.environ.get("HANOUT_TEST_HUB_DB_PREFIX", "hanout_hub_")
# "postgresql" (the default: skipped without a server), or "sqlite" (asked for).
HUB_DATABASE = os.environ.get("HANOUT_TEST_HUB_DATABASE", "postgresql")


class NoPostgres(Exception):
    """No PostgreSQL server answers at PG_SERVER (the message says what was tried)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_database() -> str:
    """A new, empty PostgreSQL database for the hub. Raises NoPostgres when no server
    answers; any other trouble (the server refuses) is raised as it is."""
    import psycopg

    name = f"{PG_PREFIX}{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if "connection refused" in str(exc).lower() or "timeout" in str(exc).lower():
            raise NoPostgres(f"no PostgreSQL server answers at {PG_SERVER} ({exc})") from None
        raise
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Hub:
    """`hanout serve` as a hub, with the owner of a business ready to link stores."""

    OWNER = "chain.owner@example.test"

    def __init__(self, data_dir: Path, database: str = HUB_DATABASE):
        """`database`: "postgresql" (a database of its own; NoPostgres when no server
        answers) or "sqlite" (in its data folder)."""
        if database not in ("postgresql", "sqlite"):
            raise ValueError(f"a hub runs on postgresql or sqlite, not {database!r}")
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = data_dir / "hub.log"
        self.pg_name = _postgres_database() if database == "postgresql" else None

    @property
    def database(self) -> str:
        return "postgresql" if self.pg_name else "sqlite"

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            HANOUT_DATA_DIR=str(self.data_dir),
            HANOUT_PUBLIC_URL=self.url,
            HANOUT_SECRET_KEY="sync-tests-hub-only",
            HANOUT_BACKUP_TIME="off",
            PYTHONUNBUFFERED="1",
        )
        if self.pg_name:
            env["DATABASE_URL"] = f"{PG_SERVER}/{self.pg_name}"
        return env

    def start(self, timeout: float = 240) -> None:
        hanout = Path(sys.executable).with_name("hanout")
        command = [str(hanout), "serve", "--port", str(self.port), "--no-demo", "--no-worker"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, env=self.env(), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub stopped:\n{self.log.read_text()[-4000:]}")
            if self.healthy():
                return
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer:\n{self.log.read_text()[-4000:]}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop()
        if self.pg_name:
            _drop_postgres_database(self.pg_name)

    def run(self, code: str, timeout: float = 120):
        """Run Python in the hub's own Django; what it assigns to `out` comes back (JSON)."""
        hanout = Path(sys.executable).with_name("hanout")
        script = f"import json\nout = None\n{code}\nprint('OUT' + json.dumps(out, default=str))"
        result = subprocess.run(  # noqa: S603
            [str(hanout), "manage", "shell", "-c", script],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return json.loads(result.stdout.rsplit("OUT", 1)[-1])

    def make_business(self, name: str = "Chain", currency: str = "EUR") -> str:
        """A business on the hub with its owner (OWNER); returns its id."""
        return self.run(
            "from hanout.accounts import services as accounts\n"
            "from hanout.accounts.models import User\n"
            f"owner = User.objects.filter(email='{self.OWNER}').first() or "
            f"User.objects.create_user(email='{self.OWNER}', password='hub-pass-1234', "
            "full_name='Chain Owner')\n"
            "m = accounts.business_register(store=accounts.StoreDetails("
            f"name={name!r}, currency={currency!r}, country='BE', time_zone='Europe/Brussels',"
            f" shop_name='Hub shop', language='en'), owner=owner)\n"
            "out = str(m.business_id)"
        )

    def pairing_code(self, business_id: str, name: str = "Store") -> dict:
        """A store link of the business and its one-time code."""
        return self.run(
            "from hanout.sync import services\n"
            "from hanout.accounts.models import Membership\n"
            f"m = Membership.objects.get(business_id='{business_id}', user__email='{self.OWNER}')\n"
            f"link, code = services.store_link_create(business=m.business, name={name!r},"
            " actor=m.user)\n"
            "out = {'link': str(link.pk), 'code': code}"
        )

    def call(self, path: str, body: dict | None = None, *, key: str = "", token: str = ""):
        """(status, JSON) of a call to the hub's API."""
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Store {key}"
        if token:
            headers["Authorization"] = f"Token {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310
            f"{self.url}/api/v1/{path}", data=data, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")


class Store(Hub):
    """`hanout` as a store server on SQLite, in its own data folder (no web server needed:
    the tests run its commands, as a cron job or the owner would)."""

    OWNER = "store.owner@example.test"

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = 0
        self.url = ""
        self.process = None
        self.log = data_dir / "store.log"
        self.pg_name = None

    env_extra: dict[str, str] = {}

    def env(self) -> dict[str, str]:
        env = super().env()
        env.update(HANOUT_SECRET_KEY="sync-tests-store-only", HANOUT_SYNC_ALLOW_HTTP="1")
        env.update(self.env_extra)
        return env

    def migrate(self) -> None:
        hanout = Path(sys.executable).with_name("hanout")
        subprocess.run(  # noqa: S603
            [str(hanout), "manage", "migrate", "--verbosity", "0"],
            env=self.env(),
            check=True,
            timeout=300,
        )

    def open_linked(
        self, *, name: str, shop: str, language: str, sales: int, hub_url: str, code: str
    ) -> str:
        """Migrate this store, register its business (Belgium, EUR), sell a day of `sales`
        tickets, and link it to the hub at `hub_url` with the pairing `code`; returns the
        store business's id."""
        self.data_dir.mkdir()
        self.migrate()
        return self.run(
            "from hanout.accounts import services as accounts\n"
            "from hanout.accounts.models import User\n"
            "from hanout.sync import services\n"
            "from hanout.sync.tests import scenario\n"
            f"owner = User.objects.create_user(email='{Store.OWNER}', password='x-pass-1234')\n"
            f"m = accounts.business_register(store=accounts.StoreDetails(name='{name}',"
            f" currency='EUR', country='BE', time_zone='Europe/Brussels', shop_name='{shop}',"
            f" language='{language}'), owner=owner)\n"
            f"scenario.a_day(m, sales={sales})\n"
            f"services.hub_link(business=m.business, hub_url='{hub_url}',"
            f" code='{code}', actor=owner)\n"
            "out = str(m.business_id)"
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """`hanout ARGS` on this store, finished."""
        hanout = Path(sys.executable).with_name("hanout")
        return subprocess.run(  # noqa: S603
            [str(hanout), *args], env=self.env(), capture_output=True, text=True, timeout=300
        )

    def push_process(self) -> subprocess.Popen:
        """`hanout sync push` running (the caller waits for it, or kills it)."""
        hanout = Path(sys.executable).with_name("hanout")
        log = (self.data_dir / "push.log").open("ab")
        return subprocess.Popen(  # noqa: S603
            [str(hanout), "sync", "push"], env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )


class Proxy:
    """A TCP relay between the store and the hub that the test can break on purpose.

    mode "pass": relay both ways; for the requests to `only` (a batch), "cut": relay
    `cut_after` bytes of the request, then close both ends (the hub never gets the whole
    batch); "lose_answer": relay the request, then close the store's end instead of
    relaying the hub's answer (the hub applied the batch, the store does not know);
    "hold": keep the request until `release()`, then relay it (the store may have been
    killed meanwhile)."""

    def __init__(self, target_port: int):
        import threading

        self.target_port = target_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mode = "pass"
        self.cut_after = 20_000
        self.only = "/sync/push/"  # the requests the mode applies to (others pass)
        self.held = threading.Event()  # a request is being held
        self._release = threading.Event()
        self.cuts = 0
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def release(self) -> None:
        self._release.set()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                client, _addr = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        import threading

        mode = self.mode
        upstream = None
        try:
            request = _read_request(client)
            if mode == "pass" or self.only not in request.split(b"\r\n", 1)[0].decode():
                upstream = self._upstream()
                upstream.sendall(request)
                threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
                _pipe(client, upstream)
                return
            self.cuts += 1
            if mode == "hold":
                self.held.set()
                self._release.wait(120)
            # Connected only now: the hub closes a connection left idle for seconds.
            upstream = self._upstream()
            if mode in ("hold", "lose_answer"):
                upstream.sendall(request)
                _drain(upstream)  # the hub answers; the answer goes nowhere
            elif mode == "cut":
                upstream.sendall(request[: self.cut_after])
        finally:
            for end in (client, upstream):
                if end is not None:
                    with contextlib.suppress(OSError):
                        end.close()

    def _upstream(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.target_port))


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def _read_request(client: socket.socket) -> bytes:
    """One whole HTTP request (headers and a Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _drain(upstream: socket.socket) -> None:
    """Read the hub's whole answer (so it finished the request) and drop it."""
    upstream.settimeout(120)
    try:
        while upstream.recv(65536):
            pass
    except OSError:
        pass
