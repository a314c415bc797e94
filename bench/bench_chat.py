"""Chat fan-out: 1,000 WebSockets open on one server process, a message to all of them.

For each channel layer (in memory; channels-redis when Redis answers):

1. a fresh data directory (SQLite, or --database-url) with one business of
   `--clients` people, each with an API token (the desktop app's way in);
2. `uvicorn hanout.asgi:application`, one process, as `hanout serve` runs it;
3. `--clients` WebSockets to /ws/chat/ opened from this process (asyncio,
   the `websockets` library), each waiting for its `ready`;
4. fan-out: `--messages` messages posted one after the other through the REST
   API to the business channel (every member is in it); for each, the time from
   just before the POST until each socket has `message.new` — p50 and p99 over
   every delivery, and the p50 / p99 / max of "the last socket has it";
5. sustained: `--burst-seconds` of messages posted by 4 concurrent senders as
   fast as the server takes them; messages per second until every socket has
   every one of them, and deliveries per second;
6. the loss check: every socket must hold every message's seq, 1 … N with no
   gap. A push a socket missed is then asked for with `sync` (what a real
   client does after a reconnect); "lost" counts messages not even in the
   database, which must be 0.

Target (issue 9): p99 under 100 ms to 1,000 clients, no message lost.

The clients run in this process, so their own work (reading 1,000 frames per
message) is inside the figures; on a 2-CPU machine the server and the clients
share the two CPUs.

    .venv/bin/python bench/bench_chat.py                   # both layers, 1,000 clients
    .venv/bin/python bench/bench_chat.py --layers memory --clients 200 --messages 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_P99_MS = 100.0
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def _env(data_dir: str, layer: str, database_url: str | None) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join(
            [str(HERE), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
        ),
        "HANOUT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HANOUT_DATA_DIR": data_dir,
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if layer == "redis":
        env["REDIS_URL"] = REDIS_URL
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# --- the business, made in a child process (Django set up with the run's settings) ---------

SETUP = r"""
import json, secrets, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
t0 = time.perf_counter()
call_command("migrate", verbosity=0)
from hanout.accounts import services as accounts
from hanout.accounts.models import ApiToken, Membership, User
from hanout.accounts.services import TOKEN_PREFIX, hash_token
from hanout.chat import services as chat
from hanout.chat.models import Conversation
from hanout.core.permissions import Role

n = int(sys.argv[1])
owner = User.objects.create_user(email="owner@bench.test", password=None, full_name="Owner")
m = accounts.business_register(
    store=accounts.StoreDetails(name="Bench Souk", currency="EUR", country="BE",
        time_zone="Europe/Brussels", language="en", shop_name="Bench shop"),
    owner=owner,
)
with transaction.atomic():
    users = User.objects.bulk_create(
        [User(email=f"member{i}@bench.test", full_name=f"Member {i}") for i in range(n - 1)]
    )
    members = Membership.objects.bulk_create(
        [Membership(business=m.business, user=u, role=Role.CASHIER) for u in users]
    )
    raws, rows = [], []
    for i, member in enumerate([m, *members]):
        prefix = secrets.token_hex(4)
        raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
        raws.append(raw)
        rows.append(ApiToken(membership=member, name="bench", prefix=prefix, key_hash=hash_token(raw)))
    ApiToken.objects.bulk_create(rows)
chat.channels_ensure(business=m.business, actor=owner)
channel = Conversation.objects.get(business=m.business, kind="business")
print(json.dumps({"tokens": raws, "channel": str(channel.pk), "seconds": time.perf_counter() - t0}))
"""


def make_business(env: dict, clients: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SETUP, str(clients)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=str(ROOT),
    )
    if out.returncode:
        sys.exit(f"setting up failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_server(env: dict, port: int, data_dir: str) -> subprocess.Popen:
    log = open(Path(data_dir) / "server.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "hanout.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--backlog",
            "4096",
            "--ws-per-message-deflate",
            "false",  # as `hanout serve` runs it
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=data_dir,
    )


# --- the clients ---------------------------------------------------------------------------


class Client:
    """One socket: records when each message.new arrived, by seq."""

    def __init__(self, token: str):
        self.token = token
        self.got: dict[int, float] = {}
        self.ws = None
        self.task = None
        self.synced: set[int] = set()

    async def open(self, url: str) -> None:
        import websockets

        self.ws = await websockets.connect(
            url,
            additional_headers={"Authorization": f"Token {self.token}"},
            max_queue=None,
            ping_interval=None,
            open_timeout=60,
        )
        while json.loads(await self.ws.recv())["type"] != "ready":
            pass
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                now = time.perf_counter()
                # the frames we wait for begin {"type": "message.new", "message": {... "seq": N
                if frame.startswith('{"type": "message.new"'):
                    self.got.setdefault(json.loads(frame)["message"]["seq"], now)
                elif frame.startswith('{"type": "messages"'):
                    for m in json.loads(frame)["messages"]:
                        self.synced.add(m["seq"])
        except Exception:  # noqa: S110 - closed at the end
            pass


_sessions = threading.local()


def _post_sync(base: str, token: str, channel: str, text: str) -> int:
    import requests

    session = getattr(_sessions, "s", None)
    if session is None:
        session = _sessions.s = requests.Session()
    url = f"{base}/api/v1/chat/conversations/{channel}/messages/"
    body = {"text": text, "client_id": str(uuid.uuid4())}
    r = session.post(url, json=body, headers={"Authorization": f"Token {token}"}, timeout=30)
    if r.status_code not in (200, 201):
        raise RuntimeError(f"POST {r.status_code}: {r.text[:300]}")
    return r.json()["seq"]


async def _post(base: str, token: str, channel: str, text: str) -> int:
    """A POST through the API from a thread (the sockets keep reading meanwhile)."""
    return await asyncio.to_thread(_post_sync, base, token, channel, text)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def run_layer(layer: str, args, database_url: str | None) -> dict:
    import requests

    data_dir = tempfile.mkdtemp(prefix=f"hanout-bench-chat-{layer}-")
    env = _env(data_dir, layer, database_url)
    if layer == "redis":
        subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=False, capture_output=True)
    t0 = time.perf_counter()
    world = make_business(env, args.clients)
    print(
        f"[{layer}] {args.clients:,} people with tokens in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    server = start_server(env, args.port, data_dir)
    base = f"http://127.0.0.1:{args.port}"
    result: dict = {"layer": layer}
    clients = [Client(t) for t in world["tokens"]]
    try:
        if True:
            for _ in range(300):
                try:
                    if requests.get(base + "/healthz", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                await asyncio.sleep(0.1)
            # open every socket, 50 handshakes at a time
            t0 = time.perf_counter()
            gate = asyncio.Semaphore(50)
            ws_url = f"ws://127.0.0.1:{args.port}/ws/chat/"

            async def open_one(c):
                async with gate:
                    await c.open(ws_url)

            await asyncio.gather(*(open_one(c) for c in clients))
            result["connect_s"] = time.perf_counter() - t0
            print(
                f"[{layer}] {len(clients):,} sockets open and ready in {result['connect_s']:.1f} s",
                flush=True,
            )
            await asyncio.sleep(args.settle)  # presence frames of the connections die down
            sender = world["tokens"][0]
            channel = world["channel"]
            await _post(base, sender, channel, "warm-up")
            await asyncio.sleep(1.0)

            # fan-out, one message at a time
            deliveries: list[float] = []
            lasts: list[float] = []
            posts: list[float] = []
            for i in range(args.messages):
                sent = time.perf_counter()
                seq = await _post(base, sender, channel, f"message {i}")
                posts.append((time.perf_counter() - sent) * 1000)
                deadline = time.perf_counter() + 10
                while time.perf_counter() < deadline and any(seq not in c.got for c in clients):
                    await asyncio.sleep(0.002)
                times = [(c.got[seq] - sent) * 1000 for c in clients if seq in c.got]
                deliveries.extend(times)
                if len(times) == len(clients):
                    lasts.append(max(times))
            result.update(
                p50=pct(deliveries, 50),
                p99=pct(deliveries, 99),
                last_p50=pct(lasts, 50),
                last_p99=pct(lasts, 99),
                last_max=max(lasts) if lasts else float("nan"),
                post_p50=pct(posts, 50),
            )
            print(
                f"[{layer}] fan-out, {args.messages} messages: every delivery p50"
                f" {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms; last socket p50"
                f" {result['last_p50']:.1f} ms, p99 {result['last_p99']:.1f} ms (the POST's own"
                f" answer: p50 {result['post_p50']:.1f} ms)",
                flush=True,
            )

            # sustained: 4 senders for burst_seconds
            first = max(max(c.got) for c in clients) + 1
            seqs: list[int] = []
            t0 = time.perf_counter()
            stop = t0 + args.burst_seconds

            async def sender_loop(k):
                token = world["tokens"][k]
                while time.perf_counter() < stop:
                    seqs.append(await _post(base, token, channel, f"burst {k}"))

            await asyncio.gather(*(sender_loop(k) for k in range(4)))
            posted = time.perf_counter() - t0
            wanted = set(range(first, first + len(seqs)))
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline and any(
                not wanted <= c.got.keys() for c in clients
            ):
                await asyncio.sleep(0.01)
            done = max((max(c.got) for c in clients), default=0)
            elapsed = max(max(c.got.values()) for c in clients) - t0
            result.update(
                burst_messages=len(seqs),
                burst_post_s=posted,
                burst_s=elapsed,
                msgs_per_s=len(seqs) / elapsed,
                deliveries_per_s=sum(len(wanted & c.got.keys()) for c in clients) / elapsed,
            )
            print(
                f"[{layer}] sustained: {len(seqs)} messages posted in {posted:.1f} s, all"
                f" delivered after {elapsed:.1f} s: {result['msgs_per_s']:.0f} messages/s,"
                f" {result['deliveries_per_s']:,.0f} deliveries/s (highest seq {done})",
                flush=True,
            )

            # the loss check: missing pushes are fetched with `sync`, as a client does
            last = first + len(seqs) - 1
            everything = set(range(1, last + 1))
            missed = [c for c in clients if not everything <= c.got.keys()]
            pushes_missed = sum(len(everything - c.got.keys()) for c in clients)
            for c in missed:
                await c.ws.send(json.dumps({"type": "sync", "conversation": channel, "after": 0}))
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline and any(
                not everything <= (c.got.keys() | c.synced) for c in missed
            ):
                await asyncio.sleep(0.05)
            lost = sum(len(everything - (c.got.keys() | c.synced)) for c in clients)
            result.update(pushes_missed=pushes_missed, lost=lost, sockets_missing=len(missed))
            print(
                f"[{layer}] loss check: {pushes_missed} pushes missed on {len(missed)} sockets,"
                f" {lost} messages lost after sync",
                flush=True,
            )
            for c in clients:
                await c.ws.close()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log = (Path(data_dir) / "server.log").read_text()
        errors = [line for line in log.splitlines() if "Error" in line or "Traceback" in line]
        result["server_errors"] = len(errors)
        if errors:
            print(f"[{layer}] server log: {len(errors)} error lines, e.g. {errors[:3]}")
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--messages", type=int, default=50)
    ap.add_argument("--burst-seconds", type=float, default=10.0)
    ap.add_argument("--settle", type=float, default=3.0)
    ap.add_argument("--layers", default="memory,redis")
    ap.add_argument("--database-url", default=None, help="PostgreSQL instead of SQLite")
    ap.add_argument("--port", type=int, default=8768)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    layers = [x for x in args.layers.split(",") if x]
    if "redis" in layers:
        ping = subprocess.run(
            ["redis-cli", "-u", REDIS_URL, "ping"], capture_output=True, text=True, check=False
        )
        if "PONG" not in ping.stdout:
            print(f"Redis does not answer at {REDIS_URL}: channels-redis skipped")
            layers.remove("redis")
    rows = []
    for layer in layers:
        rows.append(asyncio.run(run_layer(layer, args, args.database_url)))
    print()
    print(
        f"Chat fan-out, {args.clients:,} sockets on one uvicorn process,"
        f" {'PostgreSQL' if args.database_url else 'SQLite'}, {os.cpu_count()} CPUs,"
        f" load average {os.getloadavg()[0]:.1f} at the end; target p99 < {TARGET_P99_MS:.0f} ms"
    )
    print(
        "| layer | sockets ready | delivery p50 ms | delivery p99 ms | last socket p99 ms |"
        " p99 ÷ 100 ms | messages/s | deliveries/s | pushes missed | lost |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for r in rows:
        print(
            f"| {r['layer']} | {r['connect_s']:.1f} s | {r['p50']:.1f} | {r['p99']:.1f} |"
            f" {r['last_p99']:.1f} | {r['p99'] / TARGET_P99_MS:.2f}× | {r['msgs_per_s']:.0f} |"
            f" {r['deliveries_per_s']:,.0f} | {r['pushes_missed']} | {r['lost']} |"
        )
        failed = failed or r["lost"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
