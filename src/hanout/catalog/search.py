"""Product search that stays fast at a million products, on both databases.

The document
    Every product has one `ProductSearch` row (kept in step by the services, in
    the same transaction as the change): `text` is the product's name, SKU,
    barcodes, brand, model and tags, folded (`fold`: NFKD, combining marks
    removed, casefolded, so "Café" and "CAFÉ" are "cafe"; Arabic and Tifinagh
    letters stay, Arabic short vowels are dropped like accents); `name_key` is
    the start of the folded name.

Queries of three characters or more (substring: "choc" finds "Pain au chocolat")
    PostgreSQL: `text LIKE '%choc%'` served by a GIN trigram index
    (`pg_trgm`, `gin_trgm_ops`, migration 0002).
    SQLite: an FTS5 table `catalog_productsearch_fts` with the trigram
    tokenizer, external content on `catalog_productsearch` and three triggers
    that mirror every insert, update and delete (migration 0002); the query is
    a MATCH of each word as a quoted phrase, joined to the document by rowid
    to scope it to the business.
    Each word of the query must appear (AND); words shorter than three
    characters are checked with LIKE on the rows the longer words found.

Queries shorter than three characters (trigrams cannot serve them)
    Prefix of the product's name: `name_key` has a (business, name_key) index
    (`varchar_pattern_ops` on PostgreSQL so LIKE 'ab%' uses it; a plain binary
    index on SQLite, queried as the range [ab, ac)). Plus exact SKU and barcode.
    So "p" lists products whose name starts with P, never a scan.

Bounded results (the trade-off)
    A search never sorts the whole catalog: it takes at most
    `CANDIDATE_LIMIT` (500) matching ids in index order (no ORDER BY, so the
    scan stops as soon as it has them), adds the exact SKU/barcode match, and
    only then are those rows filtered (category, tag …) and ordered (by name)
    and paged. When "pain" matches 100,000 products the person sees 500 of
    them sorted by name, not the first 500 of all 100,000 by name, and filters
    apply within those 500; more words narrow it. The exact article number or
    barcode is always among the results. Measured at a million products: each
    candidate costs one primary-key fetch of its product, so the cap is what
    keeps a common word under the 50 ms budget.

    PostgreSQL detail: the LIKE query sits in a MATERIALIZED CTE. It is
    planned for all its rows, so the planner takes the trigram index unless
    the words are very common, and read lazily, so the LIMIT still stops it
    early. With a bare LIMIT the planner prefers a sequential scan that stops
    "soon" — and reads most of the table for a rare word.
"""

# SQL here formats in only table names from the models; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db import connection

MIN_TRIGRAM = 3
CANDIDATE_LIMIT = 500
NAME_KEY_LENGTH = 64
FTS_TABLE = "catalog_productsearch_fts"


def fold(text: str | None) -> str:
    """Lower case without accents, spaces collapsed: "Café  Noir" → "cafe noir".

    Letters of any script stay (Arabic, Tifinagh); only combining marks go.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def name_key(name: str) -> str:
    return fold(name)[:NAME_KEY_LENGTH]


def document_text(
    *,
    name: str,
    sku: str = "",
    brand: str = "",
    model: str = "",
    barcodes: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> str:
    """The folded search text of one product."""
    parts = [name, sku, *barcodes, brand, model, *tags]
    return fold(" ".join(p for p in parts if p))


def document_for(product, *, barcodes: Iterable[str], tags: Iterable[str]) -> dict:
    """Field values of the product's ProductSearch row."""
    return {
        "text": document_text(
            name=product.name,
            sku=product.sku,
            brand=product.brand,
            model=product.model,
            barcodes=barcodes,
            tags=tags,
        ),
        "name_key": name_key(product.name),
    }


def document_save(product, *, barcodes: Iterable[str], tags: Iterable[str]) -> None:
    """Write the product's search row (create or update). Call inside the service's transaction."""
    from hanout.catalog.models import ProductSearch

    values = document_for(product, barcodes=barcodes, tags=tags)
    updated = ProductSearch.objects.filter(product_id=product.pk).update(**values)
    if not updated:
        ProductSearch.objects.create(business_id=product.business_id, product=product, **values)


def rebuild(*, business, batch_size: int = 2000) -> int:
    """Rewrite every search row of the business from its products.

    For bulk loaders (the benchmark generator, a restore) that insert products
    without the services. Returns the number of rows written.
    """
    from hanout.catalog.models import Barcode, Product, ProductSearch

    ProductSearch.objects.filter(business=business).delete()
    written = 0
    last = None
    while True:
        qs = Product.objects.filter(business=business).order_by("id")
        if last is not None:
            qs = qs.filter(id__gt=last)
        products = list(qs.prefetch_related("tags")[:batch_size])
        if not products:
            return written
        codes: dict = {}
        for product_id, code in Barcode.objects.filter(product__in=products).values_list(
            "product_id", "code"
        ):
            codes.setdefault(product_id, []).append(code)
        ProductSearch.objects.bulk_create(
            [
                ProductSearch(
                    business_id=p.business_id,
                    product=p,
                    **document_for(
                        p, barcodes=codes.get(p.pk, []), tags=[t.name for t in p.tags.all()]
                    ),
                )
                for p in products
            ]
        )
        written += len(products)
        last = products[-1].pk


# --- queries ---------------------------------------------------------------------------------


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _db(value, field):
    return field.get_db_prep_value(value, connection)


def candidates_sql(*, business, query: str, limit: int | None = None) -> tuple[str, list]:
    """SQL selecting at most `limit` product ids matching `query` (+ exact SKU/barcode).

    Meant to be used as `Product.objects.filter(id__in=RawSQL(sql, params))`.
    Returns ("", []) when the query has nothing to search for.
    """
    from hanout.catalog.models import Barcode, Product, ProductSearch

    limit = CANDIDATE_LIMIT if limit is None else limit
    raw = " ".join(str(query or "").split())
    folded = fold(raw)
    if not folded:
        return "", []
    business_id = _db(business.pk, ProductSearch._meta.get_field("business"))
    words = list(dict.fromkeys(folded.split()))
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
    short_words = [w for w in words if len(w) < MIN_TRIGRAM]
    vendor = connection.vendor
    ps, fts = ProductSearch._meta.db_table, FTS_TABLE

    if long_words:
        short_like = "".join(" AND s.text LIKE %s ESCAPE '\\'" for _ in short_words)
        short_params = [f"%{_like_escape(w)}%" for w in short_words]
        if vendor == "sqlite":
            match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
            fuzzy = (
                f"SELECT s.product_id FROM {fts} f JOIN {ps} s ON s.id = f.rowid "
                f"WHERE f.text MATCH %s AND s.business_id = %s{short_like} LIMIT %s"
            )
            fuzzy_params = [match, business_id, *short_params, limit]
        else:
            # MATERIALIZED: planned for all rows, read lazily (see the module docstring).
            likes = "".join(" AND s.text LIKE %s ESCAPE '\\'" for _ in long_words)
            fuzzy = (
                "WITH m AS MATERIALIZED ("
                f"SELECT s.product_id FROM {ps} s WHERE s.business_id = %s{likes}{short_like}"
                ") SELECT product_id FROM m LIMIT %s"
            )
            fuzzy_params = [
                business_id,
                *[f"%{_like_escape(w)}%" for w in long_words],
                *short_params,
                limit,
            ]
    else:
        prefix = folded[:NAME_KEY_LENGTH]
        if vendor == "postgresql":
            fuzzy = (
                f"SELECT s.product_id FROM {ps} s WHERE s.business_id = %s "
                "AND s.name_key LIKE %s LIMIT %s"
            )
            fuzzy_params = [business_id, _like_escape(prefix) + "%", limit]
        else:
            # The range [prefix, next prefix) is exactly "starts with" in binary (code point) order.
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            fuzzy = (
                f"SELECT s.product_id FROM {ps} s WHERE s.business_id = %s "
                "AND s.name_key >= %s AND s.name_key < %s LIMIT %s"
            )
            fuzzy_params = [business_id, prefix, upper, limit]

    exact_value = "".join(raw.split())[:64]
    product_business = _db(business.pk, Product._meta.get_field("business"))
    barcode_business = _db(business.pk, Barcode._meta.get_field("business"))
    # Only table names (from the models) are formatted in; every value is a parameter.
    sql = (
        f"SELECT * FROM ({fuzzy}) fuzzy"
        f" UNION SELECT p.id FROM {Product._meta.db_table} p"
        # Spelled like the partial unique index's condition, so SQLite can use that index.
        " WHERE p.business_id = %s AND p.sku = %s AND NOT (p.sku = '')"
        f" UNION SELECT b.product_id FROM {Barcode._meta.db_table} b"
        " WHERE b.business_id = %s AND b.code = %s"
    )
    params = [*fuzzy_params, product_business, raw[:64], barcode_business, exact_value]
    return sql, params
