"""Generate years of register sales for the report benchmarks, fast.

    HANOUT_DATA_DIR=/tmp/bench-sales-sqlite python bench/generate_sales.py --lines 5000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hanout_bench_sales \\
        python bench/generate_sales.py --lines 5000000

Creates a business "Bench Sales" (MAD, Morocco, a shop in Africa/Casablanca) with its
owner (sales-bench@example.test / the password printed at the end), one register, 110
categories (the 10 domains of `wordlists.py` and their categories) and 1,000 products
— all through the project's services — then `--lines` register ticket lines spread
over `--years` years ending today: tickets of 1–5 lines, more on Fridays and
Saturdays, in summer and in December, a business growing by a quarter over the
years, busy hours at noon and in the evening, about 0.6 % of tickets partly returned
later the same day (a till return, restocked, refunded in cash).

Speed: `sale_complete` costs ~12 ms of CPU per ticket (bench/RESULTS.md), i.e. hours
for 1.7 million tickets, so the rows go straight into the tables in batches of days
(executemany on SQLite, COPY on PostgreSQL) — the rows a completed sale and a till
return write:

- `Sale` (gapless numbers per register and kind, `sold_at`, total / revenue / tax /
  discount / paid / change, created when sold), its `SaleLine`s (name, SKU, price,
  tax rate copied; `total` tax included, `tax_amount` inside it; `returned_quantity`
  on the lines a return took back) and its `Payment`s (cash with tendered and change,
  or card; a return's refund is a negative cash payment);
- one `StockMovement` per product line (reason `sale`, negative, at the product's
  average cost, `group` = the sale's id, `balance_after`) and per returned line
  (reason `return`); receipts at opening time when a product runs low, at its cost,
  so the average cost never moves; the final `StockLevel` = the sum of the movements;
- one `CashSession` per day (opened 07:30, closed and counted 21:30 local time, its
  running totals the sum of its tickets; today's is still open).

Not written: the audit rows and the `sale.completed` events of the generated tickets.
The secondary indexes of the loaded tables are dropped during the load and built once
at the end, then ANALYZE. Finally the daily report tables are filled by the project's
own `reports_rebuild` command (`reports.services.daily_rebuild`), timed.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import math
import os
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_catalog import Writer, _check_columns, ean13  # noqa: E402
from wordlists import BRANDS_BY_DOMAIN, DOMAINS  # noqa: E402

BUSINESS_NAME = "Bench Sales"
OWNER_EMAIL = "sales-bench@example.test"
OWNER_PASSWORD = "bench-hanout-2026"
TIME_ZONE = "Africa/Casablanca"
# Moroccan VAT by shelf (per cent).
TAX_BY_DOMAIN = {
    "Boulangerie": 0,
    "Épicerie salée": 7,
    "Épicerie sucrée": 20,
    "Boissons": 20,
    "Crèmerie": 7,
    "Fruits et légumes": 0,
    "Hygiène": 20,
    "Entretien": 20,
    "Bébé": 7,
    "Maison et bazar": 20,
}
WEEKDAY = [0.9, 0.88, 0.93, 1.0, 1.18, 1.32, 0.8]  # Monday … Sunday
HOURS = {8: 0.4, 9: 0.6, 10: 0.8, 11: 1.0, 12: 1.25, 13: 1.0, 14: 0.7, 15: 0.7, 16: 0.9}
HOURS |= {17: 1.2, 18: 1.45, 19: 1.3, 20: 0.8}
LINES_PER_TICKET = [1, 2, 3, 4, 5]  # uniform: 3 on average
RETURN_RATE = 0.006
OPENING_FLOAT = 50_000  # centimes


def money(c: int) -> str:
    """Centimes as a decimal string."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def qty(m: int) -> str:
    """Thousandths as a decimal string."""
    sign = "-" if m < 0 else ""
    m = abs(m)
    return f"{sign}{m // 1000}.{m % 1000:03d}"


def round_div(a: int, b: int) -> int:
    """a / b rounded half away from zero (ROUND_HALF_UP on a signed amount), b > 0."""
    q = (abs(a) * 2 + b) // (2 * b)
    return q if a >= 0 else -q


def tax_inside(total: int, rate: int) -> int:
    """`core.tax.tax_inside` in centimes: the tax inside a tax-included total."""
    return round_div(total * rate, 100 + rate) if rate else 0


class Ids:
    """UUIDv7 ids (as `core.ids.uuid7`: 48-bit ms, version, 12-bit counter, variant,
    random) for rows made at a given instant, so they sort like real ones."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ms = 0
        self.counter = 0

    def at(self, ms: int) -> str:
        if ms > self.ms:
            self.ms, self.counter = ms, self.rng.getrandbits(11)
        else:
            self.counter += 1
            if self.counter > 0xFFF:
                self.counter, self.ms = 0, self.ms + 1
        value = (self.ms << 80) | (0x7 << 76) | (self.counter << 64) | (0b10 << 62)
        return f"{value | self.rng.getrandbits(62):032x}"

    def random(self) -> str:
        """A version-4 UUID (the register's client_uuid)."""
        value = self.rng.getrandbits(128) & ~(0xF << 76) & ~(0x3 << 62)
        return f"{value | (0x4 << 76) | (0b10 << 62):032x}"


# --- columns: exactly what the services write ---------------------------------------------

SESSION_COLUMNS = [
    "id", "business_id", "created_at", "updated_at", "register_id", "number", "status",
    "opened_by_id", "opened_at", "opening_float", "cash_in", "cash_change", "cash_refunds",
    "withdrawals", "paid_in", "paid_out", "sales_count", "returns_count", "revenue",
    "closed_by_id", "closed_at", "expected_cash", "counted_cash", "difference",
    "counted_denominations", "closing_note",
]  # fmt: skip
SALE_COLUMNS = [
    "id", "business_id", "created_at", "updated_at", "client_uuid", "kind", "register_id",
    "shop_id", "session_id", "number", "cashier_id", "sold_at", "basket", "original_id",
    "reason", "total", "revenue", "tax_total", "discount_total", "withdrawal_total",
    "paid_total", "change_given", "offline", "late", "email", "customer_id",
    "request_fingerprint",
]  # fmt: skip
LINE_COLUMNS = [
    "id", "business_id", "created_at", "updated_at", "sale_id", "position", "kind",
    "product_id", "original_line_id", "name", "sku", "quantity", "unit_price", "discount",
    "tax_rate", "total", "tax_amount", "returned_quantity",
]  # fmt: skip
PAYMENT_COLUMNS = [
    "id", "business_id", "created_at", "updated_at", "sale_id", "method", "amount",
    "tendered", "change", "reference", "points", "payment_link_id", "refund_of_id",
    "provider_status", "provider_message",
]  # fmt: skip
MOVEMENT_COLUMNS = [
    "id", "business_id", "product_id", "location_id", "reason", "quantity", "unit_cost",
    "balance_after", "group", "reference", "note", "actor_id", "created_at",
]  # fmt: skip
LEVEL_COLUMNS = [
    "id", "created_at", "updated_at", "quantity", "reserved", "reorder_point",
    "reorder_quantity", "is_low", "allow_negative", "business_id", "location_id", "product_id",
]  # fmt: skip
LOADED_TABLES = ["pos_cashsession", "pos_sale", "pos_saleline", "pos_payment"]
LOADED_TABLES += ["inventory_stockmovement"]


def check_all_columns() -> None:
    from hanout.inventory.models import StockLevel, StockMovement
    from hanout.pos.models import CashSession, Payment, Sale, SaleLine

    for model, columns in [
        (CashSession, SESSION_COLUMNS),
        (Sale, SALE_COLUMNS),
        (SaleLine, LINE_COLUMNS),
        (Payment, PAYMENT_COLUMNS),
        (StockMovement, MOVEMENT_COLUMNS),
        (StockLevel, LEVEL_COLUMNS),
    ]:
        _check_columns(model, columns)


def suspend_indexes(connection, tables: list[str]) -> list[str]:
    """Drop the secondary indexes of `tables` (not the primary keys, nor on PostgreSQL the
    indexes behind constraints); return the SQL that re-creates them."""
    restore: list[str] = []
    names = ", ".join(f"'{t}'" for t in tables)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "  # noqa: S608
                f"AND tbl_name IN ({names}) AND sql IS NOT NULL"
            )
        else:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "  # noqa: S608
                f"WHERE i.tablename IN ({names}) AND i.schemaname = current_schema() "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
                "quote_ident(i.indexname))::regclass)"
            )
        for name, sql in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(sql)
    return restore


# --- the business, through the services -----------------------------------------------------


def make_business(password: str, n_products: int, rng: random.Random):
    from allauth.account.models import EmailAddress

    from hanout.accounts import services as accounts
    from hanout.accounts.models import User
    from hanout.catalog import services as catalog
    from hanout.core.models import Business, Shop
    from hanout.inventory import services as inventory
    from hanout.pos import services as pos

    if Business.objects.filter(name=BUSINESS_NAME).exists():
        raise SystemExit(
            f"{BUSINESS_NAME} already exists in this database: use a fresh HANOUT_DATA_DIR / database."
        )
    user = User.objects.filter(email=OWNER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=OWNER_EMAIL, password=password, full_name="Sales Bench Owner"
        )
        EmailAddress.objects.create(user=user, email=OWNER_EMAIL, primary=True, verified=True)
    membership = accounts.business_register(
        store=accounts.StoreDetails(
            name=BUSINESS_NAME,
            currency="MAD",
            country="MA",
            time_zone=TIME_ZONE,
            shop_name="Bench Sales — Maârif",
            language="fr",
        ),
        owner=user,
    )
    business = membership.business
    shop = Shop.objects.for_business(business).get()
    floor = inventory.default_location(shop=shop)
    register = pos.register_create(business=business, actor=user, shop=shop, name="Caisse 1")

    leaves = []
    for d_pos, (domain, (categories, variants, sizes)) in enumerate(DOMAINS.items()):
        top = catalog.category_create(business=business, actor=user, name=domain, position=d_pos)
        for c_pos, name in enumerate(categories):
            cat = catalog.category_create(
                business=business, actor=user, name=name, parent=top, position=c_pos
            )
            leaves.append((domain, name, cat, variants, sizes))
    products = []
    for n in range(n_products):
        domain, noun, cat, variants, sizes = leaves[n % len(leaves)]
        brand = rng.choice(BRANDS_BY_DOMAIN[domain])
        kg = domain == "Fruits et légumes"
        size = "vrac" if kg else rng.choice(sizes)
        price = max(150, round(rng.lognormvariate(2.6, 0.75) * 10) * 10)  # centimes
        cost = int(price * rng.uniform(0.55, 0.8) * 100 / (100 + TAX_BY_DOMAIN[domain]))
        p = catalog.product_create(
            business=business,
            actor=user,
            data={
                "name": f"{noun} {rng.choice(variants)} {brand} {size}",
                "sku": f"S{100000 + n}",
                "brand": brand,
                "size": size,
                "unit": "kg" if kg else "piece",
                "sale_price": money(price),
                "cost": money(cost),
                "tax_rate": f"{TAX_BY_DOMAIN[domain]}.00",
                "category": cat,
                "barcodes": [ean13(500_000 + n)],
            },
        )
        products.append(
            {
                "id": p.pk.hex,
                "name": p.name,
                "sku": p.sku,
                "price": price,
                "cost": cost,
                "rate": TAX_BY_DOMAIN[domain],
                "kg": kg,
            }
        )
    return membership, shop, floor, register, products


# --- the tickets ------------------------------------------------------------------------------


class Sales:
    """Makes the rows of one day at a time, in the order they happened."""

    def __init__(self, *, business, owner, shop, floor, register, products, writer, rng, n_days):
        self.b = business.id.hex
        self.owner = owner.id.hex
        self.shop = shop.id.hex
        self.floor = floor.id.hex
        self.register = register.id.hex
        self.allow_negative = business.allow_negative_stock
        self.products = products
        self.writer = writer
        self.rng = rng
        self.ids = Ids(rng)
        self.tz = ZoneInfo(shop.time_zone)
        self.pg = writer.vendor == "postgresql"
        # Popularity: a long tail (rank^-0.9), shuffled so it does not follow the categories.
        weights = [1 / (r + 1) ** 0.9 for r in range(len(products))]
        rng.shuffle(weights)
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.share = [w / total for w in weights]
        self.balance = [0] * len(products)  # thousandths
        self.numbers = {"sale": 0, "return": 0}
        self.session_number = 0
        self.n_days = n_days
        self.counts = dict.fromkeys(
            ["sessions", "sales", "returns", "lines", "return_lines", "payments", "movements"], 0
        )
        self.receipts = 0
        self.min_balance = 0
        self.hours = sorted(HOURS)
        self.hour_cum = list(itertools.accumulate(HOURS[h] for h in self.hours))
        self._day, self._midnight = None, 0
        self.day_sales: list[str] = []  # the ids of the current day's tickets, in order

    def ts(self, ms: int) -> str:
        text = dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text + "+00" if self.pg else text

    def local_ms(self, day: dt.date, seconds: int) -> int:
        """Local time of day (seconds after midnight) → UTC epoch ms (offset at noon: the
        clocks change at night)."""
        if day != self._day:
            noon = dt.datetime.combine(day, dt.time(12), tzinfo=self.tz)
            self._day, self._midnight = day, int(noon.timestamp()) - 12 * 3600
        return (self._midnight + seconds) * 1000

    def basket(self) -> list[tuple[int, int]]:
        """[(product index, quantity in thousandths)] of distinct products."""
        rng, n = self.rng, len(self.products)
        size = rng.choice(LINES_PER_TICKET)
        chosen: list[int] = []
        while len(chosen) < size:
            i = bisect.bisect_left(self.cum, rng.random() * self.cum[-1])
            i = min(i, n - 1)
            if i not in chosen:
                chosen.append(i)
        out = []
        for i in chosen:
            if self.products[i]["kg"]:
                q = rng.randrange(250, 2500, 5)
            else:
                r = rng.random()
                q = 1000 if r < 0.8 else 2000 if r < 0.95 else rng.randint(3, 6) * 1000
            out.append((i, q))
        return out

    def day(self, day: dt.date, quota: int, out: dict, *, last: bool, now_ms: int) -> None:
        """The rows of one day: opening receipts, its session, `quota` sale lines in
        tickets, some returns."""
        rng, ids, b = self.rng, self.ids, self.b
        open_ms = self.local_ms(day, 7 * 3600 + 30 * 60)
        close_ms = self.local_ms(day, 21 * 3600 + 30 * 60)
        # Receipts at 07:00 for every product with less than ~12 days of its demand.
        daily_lines = quota or 1
        receipt_ms = self.local_ms(day, 7 * 3600)
        for i, p in enumerate(self.products):
            need = int(daily_lines * self.share[i] * 1300)  # thousandths a day, roughly
            if self.balance[i] < need * 12 + 5000:
                amount = max(need * 30, 24000) // 1000 * 1000
                self.balance[i] += amount
                gid = ids.at(receipt_ms)
                out["movement"].append(
                    (ids.at(receipt_ms), b, p["id"], self.floor, "receipt", qty(amount),
                     money(p["cost"]), qty(self.balance[i]), gid, "BENCH-RECEIPT", "",
                     self.owner, self.ts(receipt_ms))
                )  # fmt: skip
                self.receipts += 1
        # Tickets: their times first (sorted), then the baskets.
        seconds = []
        lines_left = quota
        baskets = []
        while lines_left > 0:
            basket = self.basket()[:lines_left]
            lines_left -= len(basket)
            baskets.append(basket)
            h = self.hours[bisect.bisect_left(self.hour_cum, rng.random() * self.hour_cum[-1])]
            seconds.append(h * 3600 + rng.randrange(3600))
        seconds.sort()
        events = [
            (self.local_ms(day, s), 0, basket) for s, basket in zip(seconds, baskets, strict=True)
        ]
        events = [e for e in events if e[0] <= now_ms]
        # Some tickets are partly brought back later that day.
        returns = []
        for k, (ms, _kind, _basket) in enumerate(events):
            if rng.random() < RETURN_RATE:
                back = min(ms + rng.randint(10, 240) * 60_000, close_ms - 60_000)
                if back > ms and back <= now_ms:
                    returns.append((back, 1, k))
        timeline = sorted(events + returns, key=lambda e: (e[0], e[1]))

        self.session_number += 1
        session_id = ids.at(open_ms)
        totals = dict.fromkeys(["cash_in", "change", "refunds", "sales", "returns", "revenue"], 0)
        # sale id → (sale id, [[line id, product index, qty, total, discount, returned, row]])
        done = {}
        for ms, kind, item in timeline:
            if kind == 0:
                self.sale(ms, item, session_id, out, totals, done)
            else:
                self.give_back(ms, item, session_id, out, totals, done)
        # Lines given back: their returned_quantity (the lines are not written yet).
        for _sale_id, lines in done.values():
            for line in lines:
                if line[5]:
                    row = out["line"][line[6]]
                    out["line"][line[6]] = row[:17] + (qty(line[5]),)
        is_open = last
        expected = OPENING_FLOAT + totals["cash_in"] - totals["change"] - totals["refunds"]
        out["session"].append(
            (session_id, b, self.ts(open_ms), self.ts(now_ms if is_open else close_ms),
             self.register, self.session_number, "open" if is_open else "closed", self.owner,
             self.ts(open_ms), money(OPENING_FLOAT), money(totals["cash_in"]),
             money(totals["change"]), money(totals["refunds"]), "0.00", "0.00", "0.00",
             totals["sales"], totals["returns"], money(totals["revenue"]),
             None if is_open else self.owner, None if is_open else self.ts(close_ms),
             None if is_open else money(expected), None if is_open else money(expected),
             None if is_open else "0.00", "{}", "")
        )  # fmt: skip
        self.counts["sessions"] += 1

    def sale(self, ms, basket, session_id, out, totals, done) -> None:
        rng, ids, b, ts = self.rng, self.ids, self.b, self.ts(ms)
        sale_id = ids.at(ms)
        self.numbers["sale"] += 1
        total = tax = discount_total = 0
        lines = []
        for pos, (i, q) in enumerate(basket, start=1):
            p = self.products[i]
            gross = round_div(q * p["price"], 1000)
            discount = round_div(gross, 10) if rng.random() < 0.02 else 0
            line_total = gross - discount
            line_tax = tax_inside(line_total, p["rate"])
            line_id = ids.at(ms)
            lines.append([line_id, i, q, line_total, discount, 0, len(out["line"])])
            out["line"].append(
                (line_id, b, ts, ts, sale_id, pos, "product", p["id"], None, p["name"], p["sku"],
                 qty(q), money(p["price"]), money(discount), f"{p['rate']}.00",
                 money(line_total), money(line_tax), "0.000")
            )  # fmt: skip
            total += line_total
            tax += line_tax
            discount_total += discount
            self.balance[i] -= q
            self.min_balance = min(self.min_balance, self.balance[i])
            out["movement"].append(
                (ids.at(ms), b, p["id"], self.floor, "sale", qty(-q), money(p["cost"]),
                 qty(self.balance[i]), sale_id, "", "", self.owner, ts)
            )  # fmt: skip
        number = self.numbers["sale"]
        if rng.random() < 0.62:  # cash: a round note or the exact amount
            step = rng.choice((100, 1000, 2000, 5000, 10000))
            tendered = max(total, -(-total // step) * step)
            change = tendered - total
            out["payment"].append(
                (ids.at(ms), b, ts, ts, sale_id, "cash", money(total), money(tendered),
                 money(change), "", None, None, None, "", "")
            )  # fmt: skip
            totals["cash_in"] += tendered
            totals["change"] += change
            paid = tendered
        else:
            change = 0
            out["payment"].append(
                (ids.at(ms), b, ts, ts, sale_id, "card", money(total), None, "0.00", "", None,
                 None, None, "", "")
            )  # fmt: skip
            paid = total
        out["sale"].append(
            (sale_id, b, ts, ts, ids.random(), "sale", self.register, self.shop, session_id,
             number, self.owner, ts, "", None, "", money(total), money(total), money(tax),
             money(discount_total), "0.00", money(paid), money(change), False, False, "", None,
             "")
        )  # fmt: skip
        totals["sales"] += 1
        totals["revenue"] += total
        done[sale_id] = (sale_id, lines)
        self.counts["sales"] += 1
        self.counts["lines"] += len(lines)
        self.counts["payments"] += 1
        self.counts["movements"] += len(lines)
        self.day_sales.append(sale_id)  # by its rank among the day's tickets, for returns

    def give_back(self, ms, k, session_id, out, totals, done) -> None:
        """A till return of one line (all or part of it) of the day's k-th ticket."""
        rng, ids, b, ts = self.rng, self.ids, self.b, self.ts(ms)
        original_id = self.day_sales[k]
        _sid, lines = done[original_id]
        line = rng.choice(lines)
        line_id, i, q, line_total, discount, returned, _row = line
        p = self.products[i]
        back_q = q if p["kg"] or q == 1000 else rng.randint(1, q // 1000) * 1000
        back_q = min(back_q, q - returned)
        if back_q <= 0:
            return
        line[5] += back_q
        total = line_total if back_q == q else round_div(line_total * back_q, q)
        back_discount = round_div(discount * back_q, q)
        tax = tax_inside(total, p["rate"])
        ret_id = ids.at(ms)
        self.numbers["return"] += 1
        out["sale"].append(
            (ret_id, b, ts, ts, ids.random(), "return", self.register, self.shop, session_id,
             self.numbers["return"], self.owner, ts, "", original_id, "Changed their mind",
             money(-total), money(-total), money(-tax), money(-back_discount), "0.00",
             money(-total), "0.00", False, False, "", None, "")
        )  # fmt: skip
        out["line"].append(
            (ids.at(ms), b, ts, ts, ret_id, 1, "product", p["id"], line_id, p["name"], p["sku"],
             qty(-back_q), money(p["price"]), money(-back_discount), f"{p['rate']}.00",
             money(-total), money(-tax), "0.000")
        )  # fmt: skip
        out["payment"].append(
            (ids.at(ms), b, ts, ts, ret_id, "cash", money(-total), None, "0.00", "", None, None,
             None, "", "")
        )  # fmt: skip
        self.balance[i] += back_q
        out["movement"].append(
            (ids.at(ms), b, p["id"], self.floor, "return", qty(back_q), money(p["cost"]),
             qty(self.balance[i]), ret_id, "", "", self.owner, ts)
        )  # fmt: skip
        totals["refunds"] += total
        totals["returns"] += 1
        totals["revenue"] -= total
        self.counts["returns"] += 1
        self.counts["return_lines"] += 1
        self.counts["payments"] += 1
        self.counts["movements"] += 1

    def write(self, out) -> None:
        from hanout.inventory.models import StockMovement
        from hanout.pos.models import CashSession, Payment, Sale, SaleLine

        w = self.writer
        w.insert(CashSession._meta.db_table, SESSION_COLUMNS, out["session"])
        w.insert(Sale._meta.db_table, SALE_COLUMNS, out["sale"])
        w.insert(SaleLine._meta.db_table, LINE_COLUMNS, out["line"])
        w.insert(Payment._meta.db_table, PAYMENT_COLUMNS, out["payment"])
        w.insert(StockMovement._meta.db_table, MOVEMENT_COLUMNS, out["movement"])

    def finish(self, now_ms: int) -> None:
        """The stock levels (the sums of the movements) and the register's counters."""
        from hanout.inventory.models import StockLevel
        from hanout.pos.models import Register

        ts = self.ts(now_ms)
        rows = [
            (self.ids.at(now_ms), ts, ts, qty(self.balance[i]), "0.000", "10.000", "48.000",
             self.balance[i] <= 10_000, self.allow_negative, self.b, self.floor, p["id"])
            for i, p in enumerate(self.products)
        ]  # fmt: skip
        self.writer.insert(StockLevel._meta.db_table, LEVEL_COLUMNS, rows)
        Register.objects.filter(pk=self.register).update(
            next_ticket_number=self.numbers["sale"] + 1,
            next_return_number=self.numbers["return"] + 1,
            next_session_number=self.session_number + 1,
        )


def day_weights(days: list[dt.date], rng: random.Random) -> list[float]:
    """Relative trade of each day: weekday, season, growth, noise; closed on 1 January."""
    weights = []
    for n, day in enumerate(days):
        if (day.month, day.day) == (1, 1):
            weights.append(0.0)
            continue
        doy = day.timetuple().tm_yday
        season = 1 + 0.12 * math.cos(2 * math.pi * (doy - 210) / 365.25)
        if day.month == 12:
            season *= 1.15
        growth = 1 + 0.25 * n / max(1, len(days) - 1)
        weights.append(WEEKDAY[day.weekday()] * season * growth * rng.lognormvariate(0, 0.08))
    return weights


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5_000_000, help="sale lines in all")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--batch-days", type=int, default=7, help="days per transaction")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--password", default=OWNER_PASSWORD)
    parser.add_argument("--no-rebuild", action="store_true", help="skip filling the daily tables")
    opts = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    t0 = time.perf_counter()

    def mark(label: str) -> float:
        print(f"  {time.perf_counter() - t0:8.1f} s  {label}", flush=True)
        return time.perf_counter() - t0

    db = settings.DATABASES["default"]
    where = (
        db["NAME"] if connection.vendor == "sqlite" else f"{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    print(
        f"Generating {opts.lines:,} ticket lines over {opts.years} years, {opts.products:,} "
        f"products, into {connection.vendor} ({where})",
        flush=True,
    )
    call_command("migrate", interactive=False, verbosity=0)
    check_all_columns()
    mark("migrated")

    rng = random.Random(opts.seed)
    with transaction.atomic():
        membership, shop, floor, register, products = make_business(
            opts.password, opts.products, rng
        )
    business, owner = membership.business, membership.user
    mark(f"business, register, 110 categories, {len(products):,} products (services)")

    tz = ZoneInfo(shop.time_zone)
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(tz).date()
    try:
        first = today.replace(year=today.year - opts.years) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - opts.years, day=28) + dt.timedelta(days=2)
    days = [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]
    weights = day_weights(days, rng)
    # Today's tickets later than now are left out: a few thousand lines fewer than asked.
    total_w = sum(weights)
    quotas, carry = [], 0.0
    for w in weights:
        exact = opts.lines * w / total_w + carry
        quotas.append(int(exact))
        carry = exact - int(exact)
    quotas[-1] += opts.lines - sum(quotas)

    writer = Writer(connection)
    sales = Sales(
        business=business,
        owner=owner,
        shop=shop,
        floor=floor,
        register=register,
        products=products,
        writer=writer,
        rng=rng,
        n_days=len(days),
    )
    with connection.cursor() as cursor:
        # This connection only, while loading: a crash means generating again anyway.
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB
        else:
            cursor.execute("SET synchronous_commit = off")
    with transaction.atomic():
        restore = suspend_indexes(connection, LOADED_TABLES)
    mark(f"{len(restore)} secondary indexes dropped for the load")

    now_ms = int(now.timestamp() * 1000)
    generated = written = 0.0
    load0 = time.perf_counter()
    for start in range(0, len(days), opts.batch_days):
        chunk = range(start, min(len(days), start + opts.batch_days))
        g0 = time.perf_counter()
        out = {k: [] for k in ["session", "sale", "line", "payment", "movement"]}
        for n in chunk:
            sales.day_sales = []
            sales.day(days[n], quotas[n], out, last=n == len(days) - 1, now_ms=now_ms)
        g1 = time.perf_counter()
        with transaction.atomic():
            sales.write(out)
        generated += g1 - g0
        written += time.perf_counter() - g1
        if (start // opts.batch_days) % 13 == 0 or chunk.stop == len(days):
            c = sales.counts
            rate = c["lines"] / (time.perf_counter() - load0 + 1e-9)
            print(
                f"  {time.perf_counter() - t0:8.1f} s  {days[chunk.stop - 1]}  "
                f"{c['lines']:>10,} lines  {c['sales']:>9,} tickets  ({rate:,.0f} lines/s)",
                flush=True,
            )
    with transaction.atomic():
        sales.finish(now_ms)
    mark(f"rows written (python {generated:.1f} s, database {written:.1f} s)")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for sql in restore:
            cursor.execute(sql)
    mark(f"{len(restore)} indexes re-created")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    mark("analyzed")

    c = sales.counts
    print(
        f"\nTickets: {c['sales']:,} sales with {c['lines']:,} lines, {c['returns']:,} returns "
        f"with {c['return_lines']:,} lines, {c['payments']:,} payments, "
        f"{c['movements'] + sales.receipts:,} stock movements ({sales.receipts:,} receipts), "
        f"{c['sessions']:,} cash sessions, {days[0]} → {days[-1]} ({shop.time_zone}); "
        f"lowest stock balance {qty(sales.min_balance)}.",
        flush=True,
    )
    if not opts.no_rebuild:
        r0 = time.perf_counter()
        call_command("reports_rebuild", business=str(business.pk))
        rebuild = time.perf_counter() - r0
        from hanout.reports.models import DailyProductSales, DailySales

        print(
            f"reports_rebuild (reports.services.daily_rebuild): {rebuild:.1f} s → "
            f"{DailySales.objects.filter(business=business).count():,} DailySales rows, "
            f"{DailyProductSales.objects.filter(business=business).count():,} "
            "DailyProductSales rows",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"\nDone in {time.perf_counter() - t0:.1f} s on {connection.vendor}.")
    print(f"Log in at /accounts/login/ as {OWNER_EMAIL} with the password “{opts.password}”.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
