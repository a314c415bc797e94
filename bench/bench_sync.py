"""Time a store sending its queued sales to its hub (issue: 10,000 queued sales < 30 s).

    python bench/bench_sync.py [--sales 10000] [--batch 2000] [--keep DIR]

Two real Hanout processes, as in production: the hub is `hanout serve` on PostgreSQL
(a new database on 127.0.0.1:5432 when it answers, else SQLite); the store is a data
folder on SQLite. The store is linked first, then sells --sales tickets of one to three
products through the real services while the hub is not called (as a store offline for
a day or a week); then `hanout sync push` is timed, from start to "sent". Printed: the
changes sent (sales, lines, payments, stock movements, levels, audit rows), the wall
time, sales per second and the ratio of the time to the 30 s target (below 1 is met).
Afterwards every sale and stock level on the hub is compared with the store.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET_S = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=2000, help="changes per request")
    parser.add_argument("--keep", default="", help="keep the data folders here")
    parser.add_argument(
        "--first-sync",
        action="store_true",
        help="sell first, link after: the first sync of a store's history (e.g. a year of a "
        "busy shop: --sales 73000)",
    )
    opts = parser.parse_args()

    from hanout.sync.tests.hub import Hub, Proxy, Store  # noqa: F401 - same harness as tests

    root = Path(opts.keep or tempfile.mkdtemp(prefix="bench-sync-"))
    (root / "hub").mkdir(parents=True, exist_ok=True)
    (root / "store").mkdir(parents=True, exist_ok=True)
    hub = Hub(root / "hub")
    store = Store(root / "store")
    store.env_extra = {"HANOUT_SYNC_BATCH": str(opts.batch)}
    try:
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        started = time.perf_counter()
        hub.start()
        print(f"hub on {hub.database} up in {time.perf_counter() - started:.1f} s")
        hub_business = hub.make_business("Bench chain")
        code = hub.pairing_code(hub_business, "Bench store")["code"]
        store.migrate()
        started = time.perf_counter()
        store_business = store.run(
            "from hanout.accounts import services as accounts\n"
            "from hanout.accounts.models import User\n"
            "from hanout.pos.tests.factories import make_till, open_session\n"
            "from hanout.sync import services\n"
            f"owner = User.objects.create_user(email='{Store.OWNER}', password='x-pass-1234')\n"
            "m = accounts.business_register(store=accounts.StoreDetails(name='Bench store',"
            " currency='EUR', country='BE', time_zone='Europe/Brussels', shop_name='Bench',"
            " language='en'), owner=owner)\n"
            + (
                ""
                if opts.first_sync
                else f"services.hub_link(business=m.business, hub_url='{hub.url}', code='{code}',"
                " actor=owner)\nservices.push(business=m.business)\n"
            )
            + "out = str(m.business_id)"
        )
        store.run(
            "import random\n"
            "from hanout.accounts.models import Membership\n"
            "from hanout.pos.tests.factories import make_till, open_session, sell\n"
            f"m = Membership.objects.get(business_id='{store_business}', role='owner')\n"
            "till = make_till(m, quantity='100000')\n"
            "open_session(till)\n"
            "rng = random.Random(1)\n"
            "keys = list(till.products)\n"
            f"for _ in range({opts.sales}):\n"
            "    sell(till, *[(k, rng.randint(1, 3)) for k in rng.sample(keys, rng.randint(1, 3))])\n",
            timeout=3600,
        )
        print(f"{opts.sales} sales made on the store in {time.perf_counter() - started:.0f} s")
        if opts.first_sync:
            started = time.perf_counter()
            store.run(
                "from hanout.accounts.models import User\n"
                "from hanout.core.models import Business\n"
                "from hanout.sync import services\n"
                f"services.hub_link(business=Business.objects.get(pk='{store_business}'),"
                f" hub_url='{hub.url}', code='{code}',"
                f" actor=User.objects.get(email='{Store.OWNER}'))",
                timeout=3600,
            )
            print(f"linked (every row noted) in {time.perf_counter() - started:.1f} s")
        waiting = store.run(
            "from hanout.sync import selectors\nfrom hanout.core.models import Business\n"
            f"out = selectors.waiting_count(business=Business.objects.get(pk='{store_business}'))"
        )
        started = time.perf_counter()
        pushing = store.push_process()
        code = pushing.wait()
        took = time.perf_counter() - started
        if code != 0:
            print((store.data_dir / "push.log").read_text())
            return 1
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        print()
        print(
            f"| sales | changes sent | batch | hub database | push wall time | sales/s | ratio to {TARGET_S:.0f} s |"
        )
        print("|---:|---:|---:|---|---:|---:|---:|")
        print(
            f"| {opts.sales:,} | {waiting:,} | {opts.batch} | {hub.database} | {took:.1f} s "
            f"| {opts.sales / took:,.0f} | {took / TARGET_S:.2f} |"
        )
        compare = (
            "from hanout.pos.models import Sale\nfrom hanout.inventory.models import StockLevel\n"
            "out = [Sale.objects.filter(business_id='{b}').count(),"
            " sorted(str(q.normalize()) for q in StockLevel.objects.filter(business_id='{b}')"
            ".values_list('quantity', flat=True))]"
        )
        on_store = store.run(compare.format(b=store_business))
        on_hub = hub.run(compare.format(b=hub_business))
        print()
        print(
            f"sales on the store {on_store[0]:,}, on the hub {on_hub[0]:,}; stock levels "
            f"{'equal' if on_store[1] == on_hub[1] else 'DIFFERENT'}"
        )
        return 0 if on_store == on_hub else 1
    finally:
        hub.close()
        if not opts.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
