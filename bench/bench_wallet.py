"""Wallet transfers per second on PostgreSQL with 16 concurrent clients, then the lost-update check.

    .venv/bin/python bench/bench_wallet.py                       # everything, ~2 minutes
    .venv/bin/python bench/bench_wallet.py --seconds 5 --purchases 400 --no-api
    make bench-wallet WALLET_ARGS="--seconds 20"

Reference: Formance reports about 1,000 writes/s per ledger; the issue's target is
≥ 1,000 transfers/s through the service layer on this 2-core machine.

It drops and creates the database `hanout_bench_wallet` on 127.0.0.1:5432 (user
postgres), migrates it, and makes `--businesses` (32) businesses with a wallet of
1,000,000.00 deposited and approved, of which 500,000.00 held (as if bought and
not yet paid), plus one "hot" seller. Then, each with `--clients` (16) clients —
threads (one connection each, one Python: they share the GIL) and processes
(forked, one connection each) — for `--seconds`:

| run | one operation = |
|---|---|
| transfer, 32 wallets | `transaction.atomic(): services_wallet.transfer_held(payer, payee, 1.00)` between two random businesses: lock both wallets (in id order), two entries, two wallet rows saved — the money movement of a completed purchase and nothing else |
| transfer, one hot wallet | the same, every client paying from its own business into the one hot seller (every transfer queues on that wallet's row lock) |
| confirm, service | `services_trade.purchase_confirm` of a DELIVERED purchase (made before by `buy_now` + `purchase_deliver`): the purchase and listing locks, the transfer, the ownership row, audit, events — the whole transfer a buyer does |
| confirm, API | `POST /api/v1/market/purchases/{id}/confirm/` with the buyer's token, to uvicorn (2 processes × HANOUT_HTTP_THREADS, like `hanout serve --workers 2`) |

After every run, the lost-update check (exit status 1 when it fails): for every
wallet, posted = Σ entries.posted_change, held = Σ entries.held_change, seq = the
number of its entries = its last entry's seq, and its last entry's totals are the
wallet's; Σ posted of all wallets = approved deposits − approved withdrawals;
the entries of kind `sale` and of kind `purchase` each number the transfers made
so far, and all entries number deposits + holds + 2 × transfers.

Finally one transfer is profiled on its own (its queries; the wall time, the time
waiting on the database and the client's CPU time of one transfer, medians of 300).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_BASE = "postgres://postgres@127.0.0.1:5432"
PG_DB = "hanout_bench_wallet"
REFERENCE = 1000.0  # Formance: ~1,000 writes/s per ledger; the target
ONE = Decimal("1.00")
FUNDS = Decimal("1000000")
HELD = Decimal("500000")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _setup_django(db_url: str | None, data_dir: str) -> None:
    sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "src")]
    os.environ["HANOUT_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    if db_url:
        os.environ["DATABASE_URL"] = db_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- the world ----------------------------------------------------------------------------------


class World:
    """The businesses, what was made, and the running totals the check compares to."""

    def __init__(self) -> None:
        self.businesses = []  # the 32 (buyers, sellers, payers)
        self.memberships = []
        self.hot = None
        self.admin = None
        self.deposits = 0
        self.holds = 0
        self.transfers = 0


def build(n: int) -> World:
    from hanout.accounts import services as accounts
    from hanout.accounts.models import User
    from hanout.marketplace import services_wallet as wallet

    w = World()
    stamp = time.time_ns()
    w.admin = User.objects.create_user(email=f"admin-{stamp}@bench.test", password=None)
    w.admin.is_staff = True
    w.admin.save(update_fields=["is_staff"])

    def register(name):
        owner = User.objects.create_user(email=f"{name.lower()}-{stamp}@bench.test", password=None)
        return accounts.business_register(
            store=accounts.StoreDetails(
                name=name,
                currency="EUR",
                country="BE",
                time_zone="Europe/Brussels",
                language="en",
                shop_name=f"{name} shop",
            ),
            owner=owner,
        )

    from django.db import transaction

    for i in range(n):
        m = register(f"Wallet {i:02d}")
        request = wallet.deposit_request(business=m.business, actor=None, amount=FUNDS)
        wallet.request_approve(request=request, admin=w.admin)
        with transaction.atomic():
            wallet.hold(business=m.business, amount=HELD)
        w.memberships.append(m)
        w.businesses.append(m.business)
        w.deposits += 1
        w.holds += 1
    w.hot = register("Hot seller").business
    wallet.wallet_of(w.hot)
    return w


def prepare_purchases(w: World, count: int, clients: int) -> list[list[str]]:
    """`count` DELIVERED purchases of 1.00: client i's buyer is business i, its seller i + clients."""
    from hanout.marketplace import services_listings as listings
    from hanout.marketplace import services_trade as trade

    out: list[list[str]] = [[] for _ in range(clients)]
    per = max(1, count // clients)
    for i in range(clients):
        buyer = w.businesses[i % len(w.businesses)]
        seller_m = w.memberships[(i + clients) % len(w.memberships)]
        listing = listings.listing_create(
            business=seller_m.business,
            actor=seller_m.user,
            data={"name": f"Lot {i} {time.time_ns()}", "price": "1.00", "quantity": per},
            publish=True,
        )
        for _ in range(per):
            p = trade.buy_now(business=buyer, actor=None, listing=listing)
            trade.purchase_deliver(purchase=p, business=seller_m.business, actor=None)
            out[i].append(str(p.pk))
            w.holds += 1
    return out


# --- load ---------------------------------------------------------------------------------------


def _transfer_loop(kind: str, i: int, gate, seconds: float, ids, seed: int):
    """One client: transfers until the time is up; returns (count, latencies, errors)."""
    from django.db import connection, transaction

    from hanout.core.models import Business
    from hanout.marketplace import services_wallet as wallet

    businesses = list(Business.objects.filter(pk__in=ids["businesses"]).order_by("name"))
    hot = Business.objects.get(pk=ids["hot"])
    rng = random.Random(seed * 1000 + i)
    latencies, errors = [], {}
    stop = gate() + seconds
    while time.time() < stop:
        if kind == "hot":
            payer, payee = businesses[i % len(businesses)], hot
        else:
            payer, payee = rng.sample(businesses, 2)
        t0 = time.perf_counter()
        try:
            with transaction.atomic():
                wallet.transfer_held(payer=payer, payee=payee, amount=ONE)
        except Exception as e:  # noqa: BLE001 — counted and printed
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
            continue
        latencies.append(time.perf_counter() - t0)
    connection.close()
    return len(latencies), latencies, errors, time.time()


def _confirm_loop(kind: str, i: int, gate, seconds: float, ids, seed: int):
    from django.db import connection

    from hanout.core.models import Business
    from hanout.marketplace import services_trade as trade
    from hanout.marketplace.models import Purchase

    mine = ids["purchases"][i]
    buyer = Business.objects.get(pk=Purchase.objects.get(pk=mine[0]).business_id)
    latencies, errors = [], {}
    gate()
    for pk in mine:
        t0 = time.perf_counter()
        try:
            trade.purchase_confirm(purchase=Purchase(pk=pk), business=buyer, actor=None)
        except Exception as e:  # noqa: BLE001
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
            continue
        latencies.append(time.perf_counter() - t0)
    connection.close()
    return len(latencies), latencies, errors, time.time()


LOOPS = {"transfer": _transfer_loop, "hot": _transfer_loop, "confirm": _confirm_loop}


def _client_main(argv: list[str]) -> int:
    """A client process: `--_client KIND I START_AT SECONDS IDS.json OUT.json` (own connection)."""
    import json

    kind, i, seconds, ids_file, out = argv
    sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    from django.conf import settings

    # One client = one connection: no pool of 4 kept open per process.
    settings.DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
    import django

    django.setup()
    ids = json.loads(Path(ids_file).read_text())
    folder = Path(ids_file).parent

    def gate() -> float:
        """Say ready, wait for the parent's start time (every client set up first)."""
        (folder / f"ready{i}").touch()
        while not (folder / "go").exists():
            time.sleep(0.01)
        start_at = float((folder / "go").read_text())
        while time.time() < start_at:
            time.sleep(0.001)
        return start_at

    try:
        r = LOOPS[kind](kind, int(i), gate, float(seconds), ids, 1)
    except BaseException as e:  # noqa: BLE001
        r = (0, [], {f"crash {type(e).__name__}: {e}": 1}, time.time())
    Path(out).write_text(json.dumps(r))
    return 0


def run(kind: str, mode: str, clients: int, seconds: float, ids: dict, seed: int = 1) -> dict:
    """`clients` threads or forked processes running LOOPS[kind]; figures over the wall time."""
    from django.db import connections

    connections.close_all()  # back to the pool: the 16 clients need its 16 connections
    start_at = time.time() + 0.3
    results: list = []
    if mode == "threads":
        lock = threading.Lock()

        def gate() -> float:
            while time.time() < start_at:
                time.sleep(0.001)
            return start_at

        def go(i):
            r = LOOPS[kind](kind, i, gate, seconds, ids, seed)
            with lock:
                results.append(r)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        import json

        tmp = Path(tempfile.mkdtemp(prefix="bench-wallet-clients-"))
        (tmp / "ids.json").write_text(json.dumps(ids, default=str))
        procs = [
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    __file__,
                    "--_client",
                    kind,
                    str(i),
                    str(seconds),
                    str(tmp / "ids.json"),
                    str(tmp / f"out{i}.json"),
                ]
            )
            for i in range(clients)
        ]
        while len(list(tmp.glob("ready*"))) < clients and all(p.poll() is None for p in procs):
            time.sleep(0.05)
        start_at = time.time() + 0.2
        (tmp / "go.tmp").write_text(repr(start_at))
        (tmp / "go.tmp").rename(tmp / "go")
        for p in procs:
            p.wait()
        results = [json.loads((tmp / f"out{i}.json").read_text()) for i in range(clients)]
        shutil.rmtree(tmp, ignore_errors=True)
    end = max(r[3] for r in results)
    latencies = [x for r in results for x in r[1]]
    errors: dict = {}
    for r in results:
        for k, v in r[2].items():
            errors[k] = errors.get(k, 0) + v
    # a fixed set of confirms: the time is until the last client finished
    wall = max(end - start_at, 1e-9) if kind == "confirm" else seconds
    done = sum(r[0] for r in results)
    return {
        "done": done,
        "per_second": done / wall,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": errors,
        "wall": wall,
    }


# --- through the API ----------------------------------------------------------------------------


def api_run(w: World, purchases: list[list[str]], port: int, data_dir: str, workers: int) -> dict:
    import requests

    from hanout.accounts import services as accounts

    tokens = []
    for i in range(len(purchases)):
        _t, raw = accounts.api_token_create(membership=w.memberships[i], name=f"bench {i}")
        tokens.append(raw)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join(
            [str(HERE), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
        ),
        "HANOUT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "HANOUT_DATA_DIR": data_dir,
    }
    if workers > 1:
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    log = open(Path(data_dir) / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
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
            *(["--workers", str(workers)] if workers > 1 else []),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    try:
        for _ in range(150):
            try:
                requests.get(base + "/healthz", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        # warm every worker: a read with each token
        for tok in tokens:
            requests.get(
                base + "/api/v1/market/wallet/",
                headers={"Authorization": f"Token {tok}"},
                timeout=30,
            )

        def client(i):
            s = requests.Session()
            h = {"Authorization": f"Token {tokens[i]}"}
            mine, bad = [], {}
            for pk in purchases[i]:
                t0 = time.perf_counter()
                r = s.post(f"{base}/api/v1/market/purchases/{pk}/confirm/", headers=h, timeout=60)
                if r.status_code == 200:
                    mine.append(time.perf_counter() - t0)
                else:
                    key = f"{r.status_code} {r.text[:120]}"
                    bad[key] = bad.get(key, 0) + 1
            with lock:
                latencies.extend(mine)
                for k, v in bad.items():
                    errors[k] = errors.get(k, 0) + v

        threads = [threading.Thread(target=client, args=(i,)) for i in range(len(purchases))]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "done": len(latencies),
        "per_second": len(latencies) / wall,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": errors,
        "wall": wall,
    }


# --- the lost-update check ----------------------------------------------------------------------


def check(w: World) -> list[str]:
    """Every way a lost update would show; an empty list when the ledger holds."""
    from django.db.models import Count, Max, Sum

    from hanout.marketplace.models import (
        RequestKind,
        RequestStatus,
        Wallet,
        WalletEntry,
        WalletRequest,
    )

    problems = []
    sums = {
        r["wallet"]: r
        for r in WalletEntry.objects.values("wallet").annotate(
            p=Sum("posted_change"), h=Sum("held_change"), n=Count("id"), last=Max("seq")
        )
    }
    wallets = list(Wallet.objects.all())
    for wal in wallets:
        s = sums.get(wal.pk, {"p": Decimal(0), "h": Decimal(0), "n": 0, "last": 0})
        if (s["p"] or 0) != wal.posted or (s["h"] or 0) != wal.held:
            problems.append(
                f"wallet {wal.pk}: posted {wal.posted} held {wal.held} ≠ entries {s['p']} {s['h']}"
            )
        if not (s["n"] == (s["last"] or 0) == wal.seq):
            problems.append(f"wallet {wal.pk}: seq {wal.seq}, {s['n']} entries, last {s['last']}")
        if s["n"]:
            last = WalletEntry.objects.filter(wallet=wal, seq=wal.seq).first()
            if last is None or (last.posted_after, last.held_after) != (wal.posted, wal.held):
                problems.append(f"wallet {wal.pk}: last entry's totals are not the wallet's")
    approved = WalletRequest.objects.filter(status=RequestStatus.POSTED)
    dep = approved.filter(kind=RequestKind.DEPOSIT).aggregate(t=Sum("amount"))["t"] or 0
    wd = approved.filter(kind=RequestKind.WITHDRAWAL).aggregate(t=Sum("amount"))["t"] or 0
    total = sum((x.posted for x in wallets), Decimal(0))
    if total != dep - wd:
        problems.append(f"Σ posted {total} ≠ deposits {dep} − withdrawals {wd}")
    kinds = dict(WalletEntry.objects.values_list("kind").annotate(n=Count("id")))
    for kind in ("sale", "purchase"):
        if kinds.get(kind, 0) != w.transfers:
            problems.append(
                f"{kinds.get(kind, 0)} entries of kind {kind} ≠ {w.transfers} transfers"
            )
    expected = w.deposits + w.holds + 2 * w.transfers
    if sum(kinds.values()) != expected:
        problems.append(
            f"{sum(kinds.values())} entries ≠ {w.deposits} deposits + {w.holds} holds"
            f" + 2 × {w.transfers} transfers"
        )
    return problems


# --- one transfer, profiled ---------------------------------------------------------------------


def profile_one(w: World, n: int = 300) -> dict:
    """Queries of one transfer, then the median of `n`: wall time, time waiting on the
    database (each statement, and the COMMIT at the atomic block's end), client CPU."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from hanout.marketplace import services_wallet as wallet

    a, b = w.businesses[0], w.businesses[1]
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        wallet.transfer_held(payer=a, payee=b, amount=ONE)
    w.transfers += 1
    queries = [q["sql"] for q in ctx.captured_queries]
    waited = [0.0]

    def timed(execute, sql, params, many, context):
        # Django logs query times as "%.3f" seconds: 0.000 for most of these. Timed here.
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[0] += time.perf_counter() - t

    sql_ms, total_ms, cpu_ms = [], [], []
    with connection.execute_wrapper(timed):
        for _ in range(n):
            waited[0] = 0.0
            c0, t0 = time.process_time(), time.perf_counter()
            with transaction.atomic():
                wallet.transfer_held(payer=a, payee=b, amount=ONE)
                t1 = time.perf_counter()
            t2 = time.perf_counter()
            cpu_ms.append((time.process_time() - c0) * 1000)
            total_ms.append((t2 - t0) * 1000)
            sql_ms.append((waited[0] + t2 - t1) * 1000)  # BEGIN goes with the first statement
            w.transfers += 1
    return {
        "queries": queries,
        "total_ms": statistics.median(total_ms),
        "sql_ms": statistics.median(sql_ms),
        "cpu_ms": statistics.median(cpu_ms),
    }


# --- main ---------------------------------------------------------------------------------------


def _line(name: str, r: dict, unit: str, entries_per: int) -> str:
    return (
        f"| {name} | {r['done']:,} | {r['per_second']:,.0f} | {r['per_second'] * entries_per:,.0f} |"
        f" {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['per_second'] / REFERENCE:.2f} |"
        + (f" {sum(r['errors'].values())} errors: {r['errors']}" if r["errors"] else "")
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--businesses", type=int, default=32)
    ap.add_argument("--purchases", type=int, default=640, help="for each confirm run")
    ap.add_argument("--modes", default="threads,processes", help="threads and/or processes")
    ap.add_argument("--no-api", action="store_true")
    ap.add_argument("--api-workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8767)
    ap.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    ap.add_argument(
        "--in-place",
        action="store_true",
        help="use the database Django is already set up with (the test suite)",
    )
    args = ap.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    pg = {**os.environ, "PGHOST": "127.0.0.1", "PGUSER": "postgres"}
    data_dir = tempfile.mkdtemp(prefix="hanout-bench-wallet-")
    if not args.in_place:
        subprocess.run(["dropdb", "--if-exists", "--force", PG_DB], env=pg, check=True)
        subprocess.run(["createdb", PG_DB], env=pg, check=True)
        subprocess.run(["redis-cli", "-n", "9", "flushdb"], check=False, capture_output=True)
        t0 = time.perf_counter()
        _setup_django(f"{PG_BASE}/{PG_DB}", data_dir)
        print(f"migrated {PG_DB} in {time.perf_counter() - t0:.1f} s", flush=True)
    from django.db import connection

    vendor = connection.vendor
    if vendor != "postgresql":
        modes = ["threads"]  # SQLite (the test): one writer; forking is pointless
    t0 = time.perf_counter()
    w = build(args.businesses)
    print(f"{args.businesses} funded businesses in {time.perf_counter() - t0:.1f} s", flush=True)
    ids = {"businesses": [b.pk for b in w.businesses], "hot": w.hot.pk}

    rows: list[str] = []
    failed = False

    def after(name: str) -> None:
        nonlocal failed
        t = time.perf_counter()
        problems = check(w)
        verdict = "OK" if not problems else "FAILED: " + "; ".join(problems[:5])
        print(
            f"  lost-update check after {name}: {verdict}"
            f" ({w.transfers:,} transfers so far, {time.perf_counter() - t:.1f} s)",
            flush=True,
        )
        failed = failed or bool(problems)

    for kind, label in (("transfer", f"{args.businesses} wallets"), ("hot", "one hot wallet")):
        for mode in modes:
            name = f"transfer_held, {label}, {args.clients} {mode}"
            print(f"running {name} for {args.seconds:g} s …", flush=True)
            r = run(kind, mode, args.clients, args.seconds, ids)
            w.transfers += r["done"]
            rows.append(_line(name, r, "transfers", 2))
            after(name)

    for mode in modes if args.purchases else []:
        t0 = time.perf_counter()
        ids["purchases"] = prepare_purchases(w, args.purchases, args.clients)
        n = sum(len(x) for x in ids["purchases"])
        print(f"{n} delivered purchases made in {time.perf_counter() - t0:.1f} s", flush=True)
        name = f"purchase_confirm, {args.clients} {mode}"
        print(f"running {name} …", flush=True)
        r = run("confirm", mode, args.clients, args.seconds, ids)
        w.transfers += r["done"]
        rows.append(_line(name, r, "transfers", 2))
        after(name)

    if vendor == "postgresql" and not args.no_api and args.purchases:
        t0 = time.perf_counter()
        purchases = prepare_purchases(w, args.purchases, args.clients)
        n = sum(len(x) for x in purchases)
        print(f"{n} delivered purchases made in {time.perf_counter() - t0:.1f} s", flush=True)
        name = f"POST …/purchases/{{id}}/confirm/, {args.clients} HTTP clients"
        print(f"running {name} ({args.api_workers} uvicorn processes) …", flush=True)
        r = api_run(w, purchases, args.port, data_dir, args.api_workers)
        w.transfers += r["done"]
        rows.append(_line(name, r, "requests", 2))
        after("the API run")
        if r["errors"]:
            tail = (Path(data_dir) / "server.log").read_text().splitlines()[-30:]
            print("server log (last lines):", *tail, sep="\n  ")

    prof = profile_one(w)
    after("the profile")

    print()
    print(
        f"Wallet transfers, {vendor}, {os.cpu_count()} CPUs, load average"
        f" {os.getloadavg()[0]:.1f} at the end; reference: Formance ~1,000 writes/s per ledger"
        f" (target ≥ 1,000 transfers/s through the service layer)"
    )
    print("| run | transfers | transfers/s | entries/s | p50 ms | p99 ms | ÷ 1,000/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row)
    print()
    print(
        f"one transfer alone (transfer_held in its transaction, one client, median of 300):"
        f" {prof['total_ms']:.2f} ms, of which {prof['sql_ms']:.2f} ms in"
        f" {len(prof['queries'])} queries (the wait for each, COMMIT included);"
        f" client CPU {prof['cpu_ms']:.2f} ms"
    )
    for q in prof["queries"]:
        print(f"    {q[:150]}")
    print(f"lost-update check: {'FAILED' if failed else 'OK after every run'}")
    if not args.in_place and not args.keep:
        connection.close()
        subprocess.run(["dropdb", "--if-exists", "--force", PG_DB], env=pg, check=False)
    shutil.rmtree(data_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--_client"]:
        sys.exit(_client_main(sys.argv[2:]))
    sys.exit(main())
