"""Measure the catalog over HTTP against a running server, as a browser or the register would.

    # the same HANOUT_DATA_DIR / DATABASE_URL as bench/generate_catalog.py used
    python bench/http_bench.py --start-server            # starts `hanout serve --no-demo`, stops it after
    python bench/http_bench.py --url http://127.0.0.1:8000   # or against a server you started

Logs in through the login form (a session cookie, like a person), picks random
existing barcodes and article numbers from the database, then times:

- barcode lookups      GET /api/v1/products/lookup?code=<EAN-13>   (the register, on every scan)
- article-number lookups GET /api/v1/products/lookup?code=<SKU>
- searches             GET /api/v1/products/?search=<substring>  (accents folded: "cafe" → "Café")
- explorer pages       GET /catalog/  plain, by category, with a search
- one CSV export       GET /catalog/export/?format=csv&category=<a domain of ~10 % of the catalog>

Client time is measured around each request (keep-alive connection, body read);
server time is read from the `Server-Timing: app;dur=<ms>` header every
response carries (the time spent in Django, without the network and uvicorn).
Prints one table with p50/p99 of both and the ratio of the server p99 to the
issue's target (< 1 means the target is met).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wordlists import SEARCHES  # noqa: E402

BUSINESS_NAME = "Bench Market"
OWNER_EMAIL = "bench@example.test"
OWNER_PASSWORD = "bench-hanout-2026"
TARGETS_MS = {"lookup": 5.0, "search": 50.0, "explorer": 150.0}
TIMING = re.compile(r"app;dur=([0-9.]+)")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Sample:
    def __init__(self, name: str, target: str | None = None):
        self.name, self.target = name, target
        self.client: list[float] = []
        self.server: list[float] = []
        self.errors: list[str] = []
        self.rows = 0

    def row(self) -> dict:
        target = TARGETS_MS.get(self.target) if self.target else None
        s99 = percentile(self.server, 0.99)
        return {
            "measure": self.name,
            "n": len(self.client),
            "client_p50": percentile(self.client, 0.5),
            "client_p99": percentile(self.client, 0.99),
            "server_p50": percentile(self.server, 0.5),
            "server_p99": s99,
            "target_ms": target,
            "ratio": (s99 / target) if target and self.server else None,
            "errors": len(self.errors),
            "rows": self.rows,
        }


class Bench:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.http = requests.Session()

    def login(self, email: str, password: str) -> None:
        page = self.http.get(f"{self.base}/accounts/login/")
        page.raise_for_status()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not token:
            raise SystemExit("No CSRF token on /accounts/login/: is this a Hanout server?")
        response = self.http.post(
            f"{self.base}/accounts/login/",
            data={"csrfmiddlewaretoken": token.group(1), "login": email, "password": password},
            headers={"Referer": f"{self.base}/accounts/login/"},
            allow_redirects=False,
        )
        if response.status_code not in (302, 303):
            raise SystemExit(f"Login as {email} failed ({response.status_code}); wrong password?")

    def get(self, path: str, sample: Sample, *, expect=(200,), stream=False) -> requests.Response:
        t0 = time.perf_counter()
        response = self.http.get(f"{self.base}{path}", stream=stream, allow_redirects=False)
        if stream:
            for line in response.iter_lines():
                if line:
                    sample.rows += 1
        else:
            _ = response.content
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code not in expect:
            sample.errors.append(f"{response.status_code} {path}")
            return response
        sample.client.append(elapsed)
        found = TIMING.search(response.headers.get("Server-Timing", ""))
        if found:
            sample.server.append(float(found.group(1)))
        return response


def pick_data(n_codes: int, seed: int) -> dict:
    """Random existing barcodes, SKUs and categories of the bench business, read from the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    import django

    django.setup()
    from django.db import connection

    from hanout.catalog.models import Barcode, Category, Product
    from hanout.core.models import Business

    business = Business.objects.filter(name=BUSINESS_NAME).first()
    if business is None:
        raise SystemExit(f"No business “{BUSINESS_NAME}”: run bench/generate_catalog.py first.")
    count = Product.objects.filter(business=business).count()
    rng = random.Random(seed)
    # Every code once (a few seconds at a million), then a random sample of them.
    codes = list(Barcode.objects.filter(business=business).values_list("code", flat=True))
    skus = list(
        Product.objects.filter(business=business).exclude(sku="").values_list("sku", flat=True)
    )
    domains = list(Category.objects.filter(business=business, level=0).values_list("id", flat=True))
    leaves = list(Category.objects.filter(business=business, level=2).values_list("id", flat=True))
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            version = cursor.connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    return {
        "database": database,
        "where": db["NAME"],
        "products": count,
        "codes": rng.sample(codes, min(n_codes, len(codes))),
        "skus": rng.sample(skus, min(n_codes, len(skus))),
        "domains": [str(d) for d in domains],
        "leaves": [str(c) for c in leaves],
    }


def start_server(port: int) -> subprocess.Popen:
    """`hanout serve --no-demo --no-worker` on `port`, with this process's environment."""
    hanout = Path(sys.executable).with_name("hanout")
    command = [str(hanout), "serve", "--no-demo", "--no-worker", "--port", str(port)]
    fd, log_name = tempfile.mkstemp(prefix="hanout-bench-server-", suffix=".log")
    print("starting:", " ".join(command), f"(log: {log_name})", flush=True)
    # The log goes to a file: a pipe nobody reads would fill up and stall the server.
    with os.fdopen(fd, "wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped:\n{Path(log_name).read_text()[-2000:]}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    raise SystemExit(f"the server did not answer /healthz within 300 s (see {log_name})")


def run(bench: Bench, data: dict, opts) -> list[Sample]:
    rng = random.Random(opts.seed)
    samples = []

    def warm(paths):
        scratch = Sample("warm-up")
        for path in paths:
            bench.get(path, scratch, expect=(200, 404))

    codes, skus = data["codes"], data["skus"]
    warm([f"/api/v1/products/lookup?code={c}" for c in codes[:20]])
    lookup = Sample("barcode lookup", "lookup")
    for i in range(opts.lookups):
        bench.get(f"/api/v1/products/lookup?code={codes[i % len(codes)]}", lookup)
    samples.append(lookup)

    by_sku = Sample("article-number lookup", "lookup")
    for i in range(opts.lookups // 4):
        bench.get(f"/api/v1/products/lookup?code={skus[i % len(skus)]}", by_sku)
    samples.append(by_sku)

    terms = [rng.choice(SEARCHES) for _ in range(opts.searches)]
    warm([f"/api/v1/products/?search={requests.utils.quote(t)}" for t in terms[:10]])
    search = Sample("API search", "search")
    for term in terms:
        bench.get(f"/api/v1/products/?search={requests.utils.quote(term)}", search)
    samples.append(search)

    explorer_paths = []
    for i in range(opts.pages):
        kind = i % 4
        if kind == 0:
            explorer_paths.append("/catalog/")
        elif kind == 1:
            explorer_paths.append(f"/catalog/?category={rng.choice(data['domains'])}")
        elif kind == 2:
            explorer_paths.append(f"/catalog/?category={rng.choice(data['leaves'])}")
        else:
            explorer_paths.append(f"/catalog/?q={requests.utils.quote(rng.choice(SEARCHES))}")
    warm(explorer_paths[:8])
    explorer = Sample("explorer page", "explorer")
    by_kind = {
        k: Sample(f"  explorer: {k}", "explorer") for k in ["all", "domain", "leaf", "search"]
    }
    for i, path in enumerate(explorer_paths):
        one = Sample("")
        bench.get(path, one)
        for s in (explorer, by_kind[["all", "domain", "leaf", "search"][i % 4]]):
            s.client += one.client
            s.server += one.server
            s.errors += one.errors
    samples.append(explorer)
    samples += by_kind.values()

    if opts.export:
        export = Sample("CSV export (1 request)")
        domain = data["domains"][0]
        bench.get(f"/catalog/export/?format=csv&category={domain}", export, stream=True)
        export.rows = max(export.rows - 1, 0)  # the header line
        samples.append(export)
    return samples


def report(data: dict, samples: list[Sample], wall: float, load: tuple) -> str:
    lines = [
        f"database: {data['database']} ({data['where']}) · products: {data['products']:,} · "
        f"{time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPU · wall {wall:.0f} s · "
        f"load average before/after {load[0]:.1f}/{load[1]:.1f}",
        "",
        "| measure | n | client p50 ms | client p99 ms | server p50 ms | server p99 ms "
        "| target (server p99) | ratio | errors |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for s in samples:
        r = s.row()
        target = f"< {r['target_ms']:g} ms" if r["target_ms"] else ""
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else ""
        name = r["measure"] + (f" ({r['rows']:,} rows)" if r["rows"] else "")
        lines.append(
            f"| {name} | {r['n']} | {r['client_p50']:.1f} | {r['client_p99']:.1f} | "
            f"{r['server_p50']:.1f} | {r['server_p99']:.1f} | {target} | {ratio} | {r['errors']} |"
        )
    errors = [e for s in samples for e in s.errors[:3]]
    if errors:
        lines += ["", "first errors: " + "; ".join(errors)]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="")
    parser.add_argument("--start-server", action="store_true")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--email", default=OWNER_EMAIL)
    parser.add_argument("--password", default=OWNER_PASSWORD)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--no-export", dest="export", action="store_false")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", default="", help="also write the figures to this file")
    opts = parser.parse_args(argv)

    data = pick_data(max(opts.lookups, 100), opts.seed)
    server = start_server(opts.port) if opts.start_server else None
    base = opts.url or f"http://127.0.0.1:{opts.port}"
    try:
        bench = Bench(base)
        bench.login(opts.email, opts.password)
        t0, load_before = time.perf_counter(), os.getloadavg()[0]
        samples = run(bench, data, opts)
        wall, load = time.perf_counter() - t0, (load_before, os.getloadavg()[0])
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    print()
    print(report(data, samples, wall, load))
    if opts.json:
        Path(opts.json).write_text(
            json.dumps(
                {k: v for k, v in data.items() if k in ("database", "where", "products")}
                | {"rows": [s.row() for s in samples]},
                indent=2,
            )
        )
    return 0 if not any(s.errors for s in samples) else 1


if __name__ == "__main__":
    sys.exit(main())
