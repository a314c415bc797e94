"""Registers selling through the API at once: sales/s and latency, beside a bare view and pgbench.

    python bench/bench_sales.py --db sqlite              # embedded shop: one process
    python bench/bench_sales.py --db postgres            # chain: PostgreSQL + Redis on 127.0.0.1
    python bench/bench_sales.py --db postgres --workers 2   # one app process per core
    python bench/bench_sales.py --db postgres --registers 16 --seconds 20 --close-sales 5000

What it does, in one run:

1. Sets up a scratch database (a temporary data dir for SQLite; the database
   `hanout_bench_sales` on PostgreSQL, dropped and made again): a business, an
   owner with an API token, N registers each with an open cash session, 300
   products with plenty of stock.
2. Starts `uvicorn` (`--workers` processes, default one, like `hanout serve`;
   each serves HANOUT_HTTP_THREADS requests at once, see hanout/core/asgi.py) on the full Hanout
   application plus one extra route, `/bench/bare-sale/` (bench/bench_bare.py):
   a bare Django + DRF view that does the same statements as a 3-line sale
   (ticket counter, ticket, lines, stock levels, movements, audit) with no
   authentication, permission, validation, idempotency or events.
3. N threads (one per register, keep-alive connections) post 3-line cash sales
   to `POST /api/v1/sales/` for `--seconds`, then the same load on the bare view.
4. Runs pgbench (TPC-B-like, N clients) for the same time on the same machine,
   as the reference of what the database itself does here.
5. Completes `--close-sales` sales in one session in-process and times
   `session_close` (the Z report) on it.

Prints sales/s, p50/p99 latency (client side) and the ratios to the bare view
and to pgbench. Targets (issue 5): ≥ 200 sales/s on both databases with 16
registers; session close with 5,000 sales < 2 s.

Figures (2 vCPU, load generator on the same machine; bench/RESULTS.md has the
tables and commands). Quiet machine, 2026-12-04: SQLite 28.9 → 62.0 sales/s
(p99 3.8 s → 0.39 s, no "database is locked" any more; bare view 90.8);
PostgreSQL 25.5 → 42.5 with one process, 72.6 with `--workers 2` (bare view
103.4); server CPU per sale 36 → 18–21 ms. Busy machine (load 8–14), this
command: SQLite 31.9 vs bare 21.9, pgbench 1,002 TPS; PostgreSQL --workers 2
40.3 vs bare 36.9, pgbench 830 TPS. Session close with 5,000 sales: 16.7 ms
(SQLite), 57.8 ms (PostgreSQL). The 200 sales/s target is not met: the
server's Python per sale is the limit (RESULTS.md says what is left).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
PG_DB = "hanout_bench_sales"
PG_BASE = "postgres://postgres@127.0.0.1:5432"
PGBENCH_DB = "hanout_pgbench"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --- set-up (runs in a child process with Django configured) ---------------------------------


def setup(registers: int, out: Path) -> None:
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from hanout.accounts import services as accounts
    from hanout.accounts.models import User
    from hanout.catalog import services as catalog
    from hanout.core.models import Shop
    from hanout.inventory import services as inventory
    from hanout.pos import services as pos

    owner = User.objects.create_user(email="bench-sales@example.test", password="bench-2026")
    membership = accounts.business_register(
        store=accounts.StoreDetails(
            name="Bench Sales",
            currency="EUR",
            country="BE",
            time_zone="Europe/Brussels",
            language="en",
            shop_name="Bench shop",
        ),
        owner=owner,
    )
    business = membership.business
    shop = Shop.objects.for_business(business).get()
    location = inventory.default_location(shop=shop)
    products = []
    for i in range(300):
        p = catalog.product_create(
            business=business,
            actor=owner,
            data={
                "name": f"Bench product {i:03d}",
                "sku": f"B{i:05d}",
                "sale_price": Decimal("1.00") + Decimal(i % 50) / 10,
                "tax_rate": Decimal("6") if i % 2 else Decimal("21"),
            },
        )
        inventory.stock_receive(
            business=business,
            actor=owner,
            product=p,
            location=location,
            quantity=Decimal("1000000"),
            unit_cost=Decimal("0.50"),
        )
        products.append(str(p.pk))
    regs = []
    for i in range(registers):
        reg = pos.register_create(business=business, actor=owner, shop=shop, name=f"Till {i + 1}")
        session = pos.session_open(register=reg, actor=owner, opening_float=Decimal("100"))
        regs.append({"register": str(reg.pk), "session": str(session.pk)})
    _token, raw = accounts.api_token_create(membership=membership, name="bench")
    out.write_text(json.dumps({"token": raw, "registers": regs, "products": products}))


def close_bench(sales: int) -> dict:
    """Complete `sales` sales in one session in-process, then time the close."""
    import django

    django.setup()
    from decimal import Decimal

    from django.db import connection

    from hanout.accounts.models import User
    from hanout.catalog.models import Product
    from hanout.core.models import Shop
    from hanout.pos import services as pos
    from hanout.pos.pricing import LineInput
    from hanout.pos.services import PaymentInput

    owner = User.objects.get(email="bench-sales@example.test")
    shop = Shop.objects.get(name="Bench shop")
    business = shop.business
    reg = pos.register_create(business=business, actor=owner, shop=shop, name="Close bench")
    session = pos.session_open(register=reg, actor=owner, opening_float=Decimal("100"))
    products = list(Product.objects.filter(business=business)[:30])
    started = time.perf_counter()
    for i in range(sales):
        lines = [LineInput(product=products[(i + k) % len(products)], quantity=1) for k in range(3)]
        if i % 10 == 0:
            lines.append(LineInput(kind="withdrawal", amount=Decimal("10")))
        method = ("cash", "card")[i % 2]
        pos.sale_complete(
            register=reg,
            actor=owner,
            client_uuid=uuid.uuid4(),
            lines=lines,
            payments=[
                PaymentInput(method=method, tendered=Decimal("100") if method == "cash" else None)
            ],
        )
    filled = time.perf_counter() - started
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        closed = pos.session_close(
            session=session, actor=owner, counted_cash=session.expected_cash_now()
        )
        took = time.perf_counter() - t0
    return {
        "sales": sales,
        "fill_seconds": round(filled, 1),
        "close_ms": round(took * 1000, 1),
        "close_queries": len(ctx.captured_queries),
        "expected_cash": str(closed.expected_cash),
    }


# --- load -------------------------------------------------------------------------------------


def load(base: str, path: str, data: dict, seconds: float, bare: bool) -> dict:
    headers = {"Authorization": f"Token {data['token']}", "Content-Type": "application/json"}
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    products = data["products"]

    def run(i: int, reg: dict) -> None:
        s = requests.Session()
        n = 0
        mine, bad = [], {}
        while time.perf_counter() < stop:
            n += 1
            picks = [products[(i * 7 + n * 3 + k) % len(products)] for k in range(3)]
            body = {
                "client_uuid": str(uuid.uuid4()),
                "register": reg["register"],
                "session": reg["session"],
                "lines": [{"product": p, "quantity": 1} for p in picks],
                "payments": [{"method": "cash", "tendered": "100.00"}],
            }
            t0 = time.perf_counter()
            r = s.post(base + path, data=json.dumps(body), headers=headers, timeout=30)
            dt = time.perf_counter() - t0
            if r.status_code in (200, 201):
                mine.append(dt)
            else:
                key = f"{r.status_code} {r.text[:120] if r.status_code < 500 else ''}"
                bad[key] = bad.get(key, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in bad.items():
                errors[k] = errors.get(k, 0) + v

    threads = [
        threading.Thread(target=run, args=(i, reg)) for i, reg in enumerate(data["registers"])
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {
        "sales": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": errors,
    }


def pgbench(clients: int, seconds: int) -> float | None:
    if not shutil.which("pgbench"):
        return None
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGUSER": "postgres"}
    subprocess.run(["dropdb", "--if-exists", PGBENCH_DB], env=env, check=False)
    subprocess.run(["createdb", PGBENCH_DB], env=env, check=True)
    subprocess.run(
        ["pgbench", "-i", "-q", "-s", "10", PGBENCH_DB], env=env, check=True, capture_output=True
    )
    out = subprocess.run(
        ["pgbench", "-c", str(clients), "-j", "2", "-T", str(seconds), PGBENCH_DB],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    subprocess.run(["dropdb", "--if-exists", PGBENCH_DB], env=env, check=False)
    for line in out.splitlines():
        if line.startswith("tps ="):
            return float(line.split()[2])
    return None


def child_env(db: str, data_dir: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": str(HERE) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "HANOUT_DATA_DIR": data_dir,
        "HANOUT_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_BASE}/{PG_DB}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/9"
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--registers", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--close-sales", type=int, default=5000)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument(
        "--workers",
        type=int,
        default=1,
        help="uvicorn processes (like `hanout serve --workers`; PostgreSQL + Redis only)",
    )
    ap.add_argument("--_setup", help=argparse.SUPPRESS)
    ap.add_argument("--_close", type=int, help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts._setup:
        setup(opts.registers, Path(opts._setup))
        return 0
    if opts._close:
        print(json.dumps(close_bench(opts._close)))
        return 0

    if opts.workers > 1 and opts.db == "sqlite":
        ap.error("--workers > 1 needs Redis for the channel layer: use --db postgres")
    data_dir = tempfile.mkdtemp(prefix="hanout-bench-sales-")
    env = child_env(opts.db, data_dir)
    if opts.db == "postgres":
        pg = {**os.environ, "PGHOST": "127.0.0.1", "PGUSER": "postgres"}
        subprocess.run(["dropdb", "--if-exists", "--force", PG_DB], env=pg, check=True)
        subprocess.run(["createdb", PG_DB], env=pg, check=True)
        subprocess.run(["redis-cli", "-n", "9", "flushdb"], check=False, capture_output=True)
    setup_file = Path(data_dir) / "bench.json"
    print(f"setting up {opts.registers} registers on {opts.db} …", flush=True)
    subprocess.run(
        [sys.executable, __file__, "--registers", str(opts.registers), "--_setup", str(setup_file)],
        env=env,
        check=True,
    )
    data = json.loads(setup_file.read_text())

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
            str(opts.port),
            "--log-level",
            "warning",
            "--no-access-log",
            *(["--workers", str(opts.workers)] if opts.workers > 1 else []),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{opts.port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/healthz", timeout=5)
                break
            except requests.RequestException:  # not up yet, or slow to answer its first
                time.sleep(0.2)
        # Warm both paths (first requests import modules and open connections).
        load(base, "/api/v1/sales/", data, 2, False)
        load(base, "/bench/bare-sale/", data, 2, True)
        ours = load(base, "/api/v1/sales/", data, opts.seconds, False)
        bare = load(base, "/bench/bare-sale/", data, opts.seconds, True)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    tps = pgbench(opts.registers, opts.seconds)

    close = None
    if opts.close_sales:
        out = subprocess.run(
            [sys.executable, __file__, "--_close", str(opts.close_sales)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        close = json.loads(out.strip().splitlines()[-1])

    print()
    print(
        f"Sales through the API, {opts.registers} registers, {opts.seconds} s, {opts.db},"
        f" {opts.workers} server process(es) × {os.environ.get('HANOUT_HTTP_THREADS', '8')}"
        f" threads; load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(f"{'':28} {'sales/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'sales':>7}")
    for name, r in (("Hanout POST /api/v1/sales/", ours), ("bare Django+DRF view", bare)):
        print(
            f"{name:28} {r['per_second']:9.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['sales']:7d}"
        )
        for err, count in r["errors"].items():
            print(f"    {count} × {err}")
    print(f"ratio Hanout / bare view: {ours['per_second'] / bare['per_second']:.2f}")
    print(f"ratio Hanout / target 200 sales/s: {ours['per_second'] / 200:.2f}")
    if tps:
        print(
            f"pgbench ({opts.registers} clients, same machine, same run): {tps:.0f} TPS;"
            f" Hanout sales/s ÷ pgbench TPS = {ours['per_second'] / tps:.3f}"
        )
    if close:
        print(
            f"session close with {close['sales']} sales: {close['close_ms']} ms,"
            f" {close['close_queries']} queries (target < 2000 ms; ratio"
            f" {close['close_ms'] / 2000:.3f}); filling took {close['fill_seconds']} s"
        )
    if ours["errors"] or bare["errors"]:
        tail = (Path(data_dir) / "server.log").read_text().splitlines()[-40:]
        print("server log (last lines):", *tail, sep="\n  ")
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
