"""Generate a realistic catalog of N products for the benchmarks, fast.

    HANOUT_DATA_DIR=/tmp/bench-sqlite python bench/generate_catalog.py --products 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hanout_bench \\
        python bench/generate_catalog.py --products 1000000

Creates a business "Bench Market" (EUR, Belgium) with an owner login
(bench@example.test / the password printed at the end), two locations, a
category tree of 10 domains × 10 categories × 10 sub-categories, 30 tags, and N
products with a unique article number (SKU), a unique EAN-13 barcode (valid
check digit), 0–2 tags, a price, a cost, a tax rate and stock.

Speed: the per-row services would take hours at a million products, so the
rows go straight into the tables in batches (executemany on SQLite, COPY on
PostgreSQL) — exactly the rows the services would have written:

- one `ProductSearch` row per product, its text built by
  `hanout.catalog.search` as the services build it;
- one `StockLevel` per product × location and, for each, the movements whose
  sum it is (a receipt, and for some products sales in the last 30 days), with
  `balance_after` filled in; the product's cost is the receipt's unit cost
  (the weighted average of a single receipt);
- thresholds on the shop floor, `is_low` set where the level is at or below.

Audit rows are not written for the generated products (a million "created a
product" lines would only measure the audit table). The secondary indexes of
the loaded tables (B-tree, the trigram GIN index on PostgreSQL, the FTS5
triggers on SQLite) are dropped during the load and built once at the end
(FTS5 with `'rebuild'`), which is several times faster than row by row; then
ANALYZE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wordlists import ARABIC, BRANDS_BY_DOMAIN, DOMAINS, SUBCATEGORIES, TAGS, TAX_BY_DOMAIN  # noqa: E402

BUSINESS_NAME = "Bench Market"
OWNER_EMAIL = "bench@example.test"
OWNER_PASSWORD = "bench-hanout-2026"
EAN_PREFIXES = ["540", "541", "611", "300", "301", "302", "303", "400", "500", "800"]
# Multiplying by a number coprime with 10^9 permutes 0 … 10^9 − 1: unique, random-looking bodies.
EAN_STEP = 387_420_489  # 3^18
EAN_OFFSET = 123_456_789


def ean13(n: int) -> str:
    """The n-th barcode: a country prefix, a permuted 9-digit body, the check digit."""
    body = (n * EAN_STEP + EAN_OFFSET) % 1_000_000_000
    digits = f"{EAN_PREFIXES[n % len(EAN_PREFIXES)]}{body:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def sku(n: int) -> str:
    return f"{100000 + n}"


class Ids:
    """Time-ordered UUIDv7-shaped ids as 32 hex digits, made fast.

    Same layout as `hanout.core.ids.uuid7` (48-bit milliseconds, version 7,
    12-bit counter, variant, random), so the rows sort by creation like real
    ones; a fresh millisecond every 4,096 ids.
    """

    def __init__(self, rng: random.Random, start_ms: int):
        self.rng = rng
        self.ms = start_ms
        self.counter = 0

    def next(self) -> str:
        self.counter += 1
        if self.counter > 0xFFF:
            self.counter = 0
            self.ms += 1
        value = (self.ms << 80) | (0x7 << 76) | (self.counter << 64) | (0b10 << 62)
        return f"{value | self.rng.getrandbits(62):032x}"


# --- the database side ------------------------------------------------------------------


class Writer:
    """Bulk insert of plain rows, one way per database."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.q = connection.ops.quote_name

    def ts(self, moment: dt.datetime) -> str:
        text = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text if self.vendor == "sqlite" else text + "+00"

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        cols = ", ".join(self.q(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {self.q(table)} ({cols}) FROM STDIN") as copy:
                    copy.write(_copy_text(rows))
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {self.q(table)} ({cols}) VALUES ({marks})"  # noqa: S608 (model names)
                cursor.executemany(sql, rows)


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


def _copy_text(rows: list[tuple]) -> bytes:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(_copy_value(v) for v in row))
        buf.write("\n")
    return buf.getvalue().encode()


def _check_columns(model, columns: list[str]) -> None:
    """Fail loudly when the model gained a required column this generator does not fill."""
    from django.db.models import NOT_PROVIDED
    from django.db.models.fields import AutoFieldMixin

    missing = [
        f.column
        for f in model._meta.local_concrete_fields
        if f.column not in columns
        # Python-side defaults do not apply to raw INSERTs: every NOT NULL column is filled.
        and not (f.null or isinstance(f, AutoFieldMixin) or f.db_default is not NOT_PROVIDED)
    ]
    if missing:
        raise SystemExit(
            f"bench/generate_catalog.py does not fill {model._meta.db_table}.{missing}: update it."
        )


# --- search-index maintenance around the load -------------------------------------------


# The tables the product batches fill: their secondary indexes are built once, after the load.
LOADED_TABLES = [
    "catalog_product",
    "catalog_barcode",
    "catalog_productsearch",
    "catalog_product_tags",
    "inventory_stocklevel",
    "inventory_stockmovement",
]


def suspend_indexes(connection) -> list[str]:
    """Drop the secondary indexes of the loaded tables and the FTS5 triggers; return the SQL
    that puts them back.

    Sorting a million keys once is far faster than inserting them one by one into a
    B-tree, a GIN index or an FTS5 table. Primary keys and the indexes behind
    constraints stay (they are what a UNIQUE constraint or a foreign key refers to);
    re-created unique indexes still check the loaded rows.
    """
    restore: list[str] = []
    names = ", ".join(f"'{t}'" for t in LOADED_TABLES)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "  # noqa: S608
                f"AND tbl_name IN ({names}) AND sql IS NOT NULL"
            )
            for kind, name, sql in cursor.fetchall():
                cursor.execute(f'DROP {kind.upper()} "{name}"')
                restore.append(sql)
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
    # Indexes before triggers (SQLite): the FTS table is rebuilt once, after.
    return sorted(restore, key=lambda sql: "TRIGGER" in sql.upper()[:20])


def fts_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%fts5%' "
            "AND sql LIKE '%catalog_productsearch%'"
        )
        return [row[0] for row in cursor.fetchall()]


def restore_indexes(connection, restore: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for sql in restore:
            cursor.execute(sql)
        if connection.vendor == "sqlite":
            for table in fts_tables(connection):
                cursor.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'rebuild\')')  # noqa: S608


# --- the catalog ------------------------------------------------------------------------


def search_row(*, name, sku, brand, model, codes, tags) -> tuple[str, str]:
    """The ProductSearch (text, name_key), exactly as the catalog services write them."""
    from hanout.catalog.search import document_text, name_key

    text = document_text(name=name, sku=sku, brand=brand, model=model, barcodes=codes, tags=tags)
    return text, name_key(name)


def make_owner_and_business(password: str):
    from allauth.account.models import EmailAddress

    from hanout.accounts import services as accounts
    from hanout.accounts.models import Membership, User
    from hanout.core.models import Business

    business = Business.objects.filter(name=BUSINESS_NAME).first()
    if business is not None:
        raise SystemExit(
            f"{BUSINESS_NAME} already exists in this database: use a fresh HANOUT_DATA_DIR / database."
        )
    user = User.objects.filter(email=OWNER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=OWNER_EMAIL, password=password, full_name="Bench Owner"
        )
        EmailAddress.objects.create(user=user, email=OWNER_EMAIL, primary=True, verified=True)
    membership: Membership = accounts.business_register(
        store=accounts.StoreDetails(
            name=BUSINESS_NAME,
            currency="EUR",
            country="BE",
            time_zone="Europe/Brussels",
            shop_name="Bench Market — Ixelles",
            language="fr",
        ),
        owner=user,
    )
    return membership


def make_locations(business, actor):
    from hanout.core.models import Shop
    from hanout.inventory import services as inventory
    from hanout.inventory.models import LocationKind

    shop = Shop.objects.for_business(business).get()
    floor = inventory.default_location(shop=shop)
    back = inventory.location_create(
        business=business, actor=actor, shop=shop, name="Réserve", kind=LocationKind.BACKROOM
    )
    return floor, back


def make_tree(business, writer: Writer, ids: Ids, now: str):
    """Categories and tags in bulk: returns [(domain, category, sub_id)] and tag ids."""
    from hanout.catalog.models import Category, Tag

    rows, leaves = [], []
    for d_pos, (domain, (categories, _variants, _sizes)) in enumerate(DOMAINS.items()):
        d_id = ids.next()
        rows.append((d_id, now, now, domain, 0, d_pos, business.id.hex, None, 0))
        for c_pos, category in enumerate(categories):
            c_id = ids.next()
            rows.append((c_id, now, now, category, 1, c_pos, business.id.hex, d_id, 0))
            for s_pos, sub in enumerate(SUBCATEGORIES):
                s_id = ids.next()
                rows.append((s_id, now, now, sub, 2, s_pos, business.id.hex, c_id, 0))
                leaves.append((domain, category, s_id))
    columns = [
        "id",
        "created_at",
        "updated_at",
        "name",
        "level",
        "position",
        "business_id",
        "parent_id",
        "product_count",
    ]
    _check_columns(Category, columns)
    writer.insert(Category._meta.db_table, columns, rows)
    tag_rows = [(ids.next(), now, now, name, business.id.hex) for name in TAGS]
    columns = ["id", "created_at", "updated_at", "name", "business_id"]
    _check_columns(Tag, columns)
    writer.insert(Tag._meta.db_table, columns, tag_rows)
    return leaves, [(r[0], r[3]) for r in tag_rows]


PRODUCT_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "name",
    "description",
    "sku",
    "model",
    "brand",
    "colour",
    "size",
    "unit",
    "sale_price",
    "cost",
    "tax_rate",
    "is_active",
    "business_id",
    "category_id",
]
BARCODE_COLUMNS = ["id", "created_at", "updated_at", "code", "kind", "business_id", "product_id"]
SEARCH_COLUMNS = ["business_id", "product_id", "text", "name_key"]
TAG_LINK_COLUMNS = ["product_id", "tag_id"]
LEVEL_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "quantity",
    "reserved",
    "reorder_point",
    "reorder_quantity",
    "is_low",
    "allow_negative",
    "business_id",
    "location_id",
    "product_id",
]
MOVEMENT_COLUMNS = [
    "id",
    "business_id",
    "product_id",
    "location_id",
    "reason",
    "quantity",
    "unit_cost",
    "balance_after",
    "group",
    "reference",
    "note",
    "actor_id",
    "created_at",
]


class Catalog:
    def __init__(self, *, business, actor, floor, back, leaves, tags, writer, seed, now_dt):
        self.business_hex = business.id.hex
        self.actor_hex = actor.id.hex
        self.floor_hex = floor.id.hex
        self.back_hex = back.id.hex
        self.allow_negative = business.allow_negative_stock
        self.leaves = leaves
        self.tags = tags
        self.writer = writer
        self.rng = random.Random(seed)
        self.now_dt = now_dt
        self.now = writer.ts(now_dt)
        start_ms = int(now_dt.timestamp() * 1000) - 10_000_000
        self.ids = Ids(self.rng, start_ms)
        self.per_category: dict[str, int] = {}
        self.counts = dict.fromkeys(
            ["products", "barcodes", "search", "tags", "levels", "movements", "low"], 0
        )
        # A handful of past instants for the movements, formatted once.
        self.receipt_times = [
            writer.ts(now_dt - dt.timedelta(days=45, minutes=m)) for m in range(0, 1440, 7)
        ]
        self.sale_times = [
            writer.ts(now_dt - dt.timedelta(days=d, hours=h))
            for d in range(1, 30)
            for h in range(8, 19)
        ]

    def product(self, n: int):
        rng = self.rng
        domain, category, leaf_id = self.leaves[rng.randrange(len(self.leaves))]
        _categories, variants, sizes = DOMAINS[domain]
        brand = rng.choice(BRANDS_BY_DOMAIN[domain])
        size = rng.choice(sizes)
        noun = category
        if category in ARABIC and rng.random() < 0.3:
            noun = ARABIC[category]
        name = f"{noun} {rng.choice(variants)} {brand} {size}"
        price = Decimal(round(rng.lognormvariate(1.2, 0.8), 1) + 0.09).quantize(Decimal("0.01"))
        price = max(price, Decimal("0.19"))
        cost = (price * Decimal(rng.uniform(0.45, 0.75)) / Decimal("1.06")).quantize(
            Decimal("0.01")
        )
        return leaf_id, domain, name, brand, size, price, cost

    def batch(self, start: int, stop: int) -> dict[str, list[tuple]]:
        rng, ids, now, b = self.rng, self.ids, self.now, self.business_hex
        out = {k: [] for k in ["product", "barcode", "search", "tag", "level", "movement"]}
        for n in range(start, stop):
            leaf_id, domain, name, brand, size, price, cost = self.product(n)
            pid = ids.next()
            code, article = ean13(n), sku(n)
            unit = "kg" if domain == "Fruits et légumes" and size.endswith("kg") else "piece"
            out["product"].append(
                (
                    pid,
                    now,
                    now,
                    name,
                    "",
                    article,
                    "",
                    brand,
                    "",
                    size,
                    unit,
                    str(price),
                    str(cost),
                    TAX_BY_DOMAIN[domain],
                    n % 97 != 0,
                    b,
                    leaf_id,
                )
            )
            out["barcode"].append((ids.next(), now, now, code, "ean13", b, pid))
            chosen = rng.sample(self.tags, k=rng.choice((0, 0, 1, 1, 1, 2)))
            for tag_id, _name in chosen:
                out["tag"].append((pid, tag_id))
            text, key = search_row(
                name=name,
                sku=article,
                brand=brand,
                model="",
                codes=[code],
                tags=[t[1] for t in chosen],
            )
            out["search"].append((b, pid, text, key))
            self.per_category[leaf_id] = self.per_category.get(leaf_id, 0) + 1
            # Stock: every product on the floor, about a third also in the back room.
            self.stock(out, pid, self.floor_hex, cost, floor=True)
            if rng.random() < 0.3:
                self.stock(out, pid, self.back_hex, cost, floor=False)
        return out

    def stock(self, out, pid: str, location: str, cost: Decimal, *, floor: bool) -> None:
        rng, ids, b = self.rng, self.ids, self.business_hex
        received = rng.choice((6, 12, 12, 24, 24, 48))
        balance = received
        group = ids.next()
        out["movement"].append(
            (
                ids.next(),
                b,
                pid,
                location,
                "receipt",
                f"{received}.000",
                str(cost),
                f"{received}.000",
                group,
                "BENCH-RECEIPT",
                "",
                self.actor_hex,
                rng.choice(self.receipt_times),
            )
        )
        if floor and rng.random() < 0.15:
            for when in sorted(rng.sample(self.sale_times, k=rng.randint(1, 3))):
                sold = min(balance, rng.randint(1, 4))
                if sold == 0:
                    break
                balance -= sold
                out["movement"].append(
                    (
                        ids.next(),
                        b,
                        pid,
                        location,
                        "sale",
                        f"{-sold}.000",
                        str(cost),
                        f"{balance}.000",
                        ids.next(),
                        "",
                        "",
                        self.actor_hex,
                        when,
                    )
                )
        reorder_point = rng.choice((2, 3, 4, 5)) if floor else None
        reorder_qty = rng.choice((12, 24)) if floor else None
        is_low = reorder_point is not None and balance <= reorder_point
        self.counts["low"] += is_low
        out["level"].append(
            (
                ids.next(),
                self.now,
                self.now,
                f"{balance}.000",
                "0.000",
                None if reorder_point is None else f"{reorder_point}.000",
                None if reorder_qty is None else f"{reorder_qty}.000",
                is_low,
                self.allow_negative,
                b,
                location,
                pid,
            )
        )

    def write_category_counts(self) -> None:
        """Category.product_count (products filed directly there), as the services keep it."""
        from hanout.catalog.models import Category

        table, q = Category._meta.db_table, self.writer.q
        with self.writer.connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {q(table)} SET {q('product_count')} = %s WHERE {q('id')} = %s",  # noqa: S608
                [(n, cid) for cid, n in self.per_category.items()],
            )

    def write(self, out) -> None:
        from hanout.catalog.models import Barcode, Product, ProductSearch
        from hanout.inventory.models import StockLevel, StockMovement

        w = self.writer
        w.insert(Product._meta.db_table, PRODUCT_COLUMNS, out["product"])
        w.insert(Barcode._meta.db_table, BARCODE_COLUMNS, out["barcode"])
        w.insert(ProductSearch._meta.db_table, SEARCH_COLUMNS, out["search"])
        w.insert(Product.tags.through._meta.db_table, TAG_LINK_COLUMNS, out["tag"])
        w.insert(StockLevel._meta.db_table, LEVEL_COLUMNS, out["level"])
        w.insert(StockMovement._meta.db_table, MOVEMENT_COLUMNS, out["movement"])
        for key, name in [
            ("product", "products"),
            ("barcode", "barcodes"),
            ("search", "search"),
            ("tag", "tags"),
            ("level", "levels"),
            ("movement", "movements"),
        ]:
            self.counts[name] += len(out[key])


def check_all_columns() -> None:
    from hanout.catalog.models import Barcode, Product, ProductSearch
    from hanout.inventory.models import StockLevel, StockMovement

    _check_columns(Product, PRODUCT_COLUMNS)
    _check_columns(Barcode, BARCODE_COLUMNS)
    _check_columns(ProductSearch, [*SEARCH_COLUMNS, "id"])
    _check_columns(StockLevel, LEVEL_COLUMNS)
    _check_columns(StockMovement, MOVEMENT_COLUMNS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", "-n", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--password", default=OWNER_PASSWORD)
    opts = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    t0 = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(label: str) -> None:
        marks.append((label, time.perf_counter() - t0))
        print(f"  {time.perf_counter() - t0:8.1f} s  {label}", flush=True)

    db = settings.DATABASES["default"]
    where = (
        db["NAME"] if connection.vendor == "sqlite" else f"{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    print(f"Generating {opts.products:,} products into {connection.vendor} ({where})", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    check_all_columns()
    mark("migrated")

    membership = make_owner_and_business(opts.password)
    business, actor = membership.business, membership.user
    floor, back = make_locations(business, actor)
    writer = Writer(connection)
    now_dt = dt.datetime.now(dt.UTC)
    tree_ids = Ids(random.Random(opts.seed + 1), int(now_dt.timestamp() * 1000) - 20_000_000)
    with transaction.atomic():
        leaves, tags = make_tree(business, writer, tree_ids, writer.ts(now_dt))
    mark(f"business, 2 locations, {len(leaves) + 110} categories, {len(tags)} tags")

    with connection.cursor() as cursor:
        # This connection only, while loading: a crash means generating again anyway.
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB
        else:
            cursor.execute("SET synchronous_commit = off")
    with transaction.atomic():
        restore = suspend_indexes(connection)
    catalog = Catalog(
        business=business,
        actor=actor,
        floor=floor,
        back=back,
        leaves=leaves,
        tags=tags,
        writer=writer,
        seed=opts.seed,
        now_dt=now_dt,
    )
    generated = written = 0.0
    for start in range(0, opts.products, opts.batch):
        stop = min(opts.products, start + opts.batch)
        g0 = time.perf_counter()
        out = catalog.batch(start, stop)
        g1 = time.perf_counter()
        with transaction.atomic():
            catalog.write(out)
        generated += g1 - g0
        written += time.perf_counter() - g1
        if (stop // opts.batch) % 10 == 0 or stop == opts.products:
            rate = stop / (time.perf_counter() - t0 - marks[-1][1] + 1e-9)
            print(
                f"  {time.perf_counter() - t0:8.1f} s  {stop:>10,} products  ({rate:,.0f}/s)",
                flush=True,
            )
    with transaction.atomic():
        catalog.write_category_counts()
    mark(f"rows written (python {generated:.1f} s, database {written:.1f} s)")
    with transaction.atomic():
        restore_indexes(connection, restore)
    mark(f"{len(restore)} indexes and triggers re-created, search index rebuilt")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
    mark("analyzed")

    total = time.perf_counter() - t0
    c = catalog.counts
    print()
    print(
        f"Done in {total:.1f} s on {connection.vendor}: {c['products']:,} products, "
        f"{c['barcodes']:,} barcodes, {c['search']:,} search rows, {c['tags']:,} tag links, "
        f"{c['levels']:,} stock levels ({c['low']:,} low), {c['movements']:,} movements."
    )
    print(f"Log in at /accounts/login/ as {OWNER_EMAIL} with the password “{opts.password}”.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
