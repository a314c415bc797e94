"""The batched bulk upsert: a bounded number of queries, and the same answers, rows,
audit entries and events as the rows going one by one through product_create/product_update
(services.products_upsert_by_row, the reference)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hanout.catalog import search, selectors, services
from hanout.catalog.barcodes import gs1_check_digit
from hanout.catalog.models import Barcode, Category, Product, ProductSearch, Tag
from hanout.core import events
from hanout.core.models import AuditEntry
from tests.factories import make_business

pytestmark = pytest.mark.django_db


def ean(n: int) -> str:
    body = f"54{n:010d}"
    return body + str(gs1_check_digit(body))


def upsert(owner, rows, *, atomic=False):
    return services.products_bulk_upsert(
        business=owner.business, actor=owner.user, rows=rows, atomic=atomic
    )


def setup_catalog(owner) -> dict:
    """The same small catalog in any business: a tree and two products."""
    b, u = owner.business, owner.user
    domain = services.category_create(business=b, actor=u, name="Boulangerie")
    viennoiseries = services.category_create(
        business=b, actor=u, name="Viennoiseries", parent=domain
    )
    croissants = services.category_create(
        business=b, actor=u, name="Croissants", parent=viennoiseries
    )
    services.category_create(business=b, actor=u, name="Épicerie")
    cafe = services.product_create(
        business=b,
        actor=u,
        data={
            "name": "Café",
            "sku": "1001",
            "sale_price": "1.00",
            "barcodes": [ean(1)],
            "tags": ["bio"],
            "category": croissants,
        },
    )
    the = services.product_create(
        business=b,
        actor=u,
        data={
            "name": "Thé",
            "sku": "1002",
            "sale_price": "2",
            "barcodes": [ean(2), {"code": "X-1", "kind": "internal"}],
        },
    )
    return {"cafe": cafe, "the": the, "croissants": croissants}


def mixed_rows(made: dict) -> list:
    """Creates, updates and errors, where later rows depend on what earlier rows did."""
    cafe, the = str(made["cafe"].pk), str(made["the"].pk)
    return [
        {"sku": "1001", "name": "Café moulu", "tags": ["bio", "promo"]},
        {
            "name": "Pain",
            "sku": "2001",
            "sale_price": "2.5",
            "barcodes": [ean(3)],
            "category": "boulangerie > viennoiseries",
        },
        {"name": "Pain 2", "sale_price": "1", "barcodes": [ean(3)]},  # taken by row 1
        {"id": the, "barcodes": [ean(2), {"code": "X-1", "kind": "code128"}]},  # kind only
        {"id": the, "sku": "2001"},  # the SKU row 1 made
        {"sku": "2001", "sale_price": "2.75", "tags": ["promo"]},  # updates row 1's product
        {"id": cafe, "barcodes": []},  # frees ean(1) …
        {"name": "Lait", "sale_price": "1", "barcodes": [ean(1)]},  # … which this row takes
        {"name": "", "sale_price": "x", "colour": "c" * 61, "wat": 1},
        "not an object",
        {"id": "not-a-uuid", "name": "D"},
        {"id": str(uuid.uuid4()), "name": "E"},
        {"sku": "1002", "category": "Nowhere > Else"},
        {"sku": "1002", "category": str(made["croissants"].pk), "name": "Thé vert"},
        {"name": "Éclair", "sale_price": "3", "barcodes": [ean(4), ean(4)]},
        {"name": "Éclair", "sale_price": "3", "sku": " 30 01 ", "tags": "sucré, bio"},
        {"sku": "1001", "sale_price": "1.00"},
        {"sku": "1001", "name": "Café moulu"},  # nothing changes
        {"sku": "3001", "name": "Éclair café", "barcodes": [ean(1)]},  # taken by "Lait"
        {"id": the, "barcodes": [ean(1)], "name": "Thé noir"},  # taken by "Lait"
        {"sku": "1002", "category": None, "tags": [], "is_active": False},
        # Found on PostgreSQL (UPPER), not on SQLite (LIKE folds ASCII only), on both paths.
        {"name": "Sel", "sale_price": "1", "category": "épicerie"},
        {"id": cafe, "sku": ""},  # gives up 1001 …
        {"name": "Nouveau café", "sku": "1001", "sale_price": "5"},  # … which a new one takes
    ]


def catalog_state(business) -> dict:
    """Everything the upsert writes, without the ids that differ between businesses."""
    names = {c.pk: c.name for c in Category.objects.for_business(business)}
    names.update({str(k): v for k, v in names.items()})
    products = {}
    for p in Product.objects.for_business(business).prefetch_related("tags", "barcodes"):
        products[p.sku or p.name] = {
            "fields": {
                k: str(v) for k, v in services.audit.snapshot(p, services.PRODUCT_FIELDS).items()
            }
            | {"category": names.get(p.category_id)},
            "barcodes": [(b.code, b.kind) for b in p.barcodes.all()],
            "tags": sorted(t.name for t in p.tags.all()),
            "search": ProductSearch.objects.filter(product=p).values_list("text", "name_key").get(),
        }
    audit = [
        (
            a.action,
            a.object_repr,
            {
                k: [names.get(x, x) if k == "category" else x for x in v]
                for k, v in a.changes.items()
            },
        )
        for a in AuditEntry.objects.filter(
            business=business, action__startswith="product."
        ).order_by("id")
    ]
    return {
        "products": products,
        "tags": sorted(Tag.objects.for_business(business).values_list("name", flat=True)),
        "counts": sorted(
            Category.objects.for_business(business).values_list("name", "product_count")
        ),
        "audit": audit,
    }


def answers(results, business) -> list:
    sku = dict(Product.objects.for_business(business).values_list("pk", "sku"))
    return [(r.index, r.status, r.errors, sku.get(r.product_id, r.product_id)) for r in results]


def run(owner, monkeypatch, django_capture_on_commit_callbacks, *, atomic, reference):
    made = setup_catalog(owner)
    AuditEntry.objects.filter(business=owner.business)  # (append-only: compared by action)
    sent = []
    monkeypatch.setattr(events, "_dispatch", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        if reference:
            with transaction.atomic():
                results = services.products_upsert_by_row(
                    business=owner.business, actor=owner.user, rows=mixed_rows(made), atomic=atomic
                )
        else:
            results = upsert(owner, mixed_rows(made), atomic=atomic)
    state = catalog_state(owner.business)
    state["answers"] = answers(results, owner.business)
    state["events"] = [
        (e.name, {k: v for k, v in e.payload.items() if k != "id"})
        for e in sent
        if e.name.startswith("product.")
    ]
    return state


@pytest.mark.parametrize("atomic", [False, True])
def test_mixed_rows_get_the_answers_and_writes_of_the_row_by_row_path(
    monkeypatch, django_capture_on_commit_callbacks, atomic
):
    batched = run(
        make_business("Batched"),
        monkeypatch,
        django_capture_on_commit_callbacks,
        atomic=atomic,
        reference=False,
    )
    reference = run(
        make_business("Reference"),
        monkeypatch,
        django_capture_on_commit_callbacks,
        atomic=atomic,
        reference=True,
    )
    assert batched["answers"] == reference["answers"]
    assert batched == reference
    statuses = [status for _i, status, _e, _p in batched["answers"]]
    if atomic:
        assert set(statuses) == {"error", "skipped"}
        assert batched["events"] == [] and not any(
            action != "product.create" for action, *_rest in batched["audit"]
        )
    else:
        assert statuses.count("created") == (5 if connection.vendor == "postgresql" else 4)
        assert statuses[2] == "error" and statuses[17] == "updated"
        assert "Pain" in batched["answers"][2][2]["barcodes[0]"][0]
        assert "Pain" in batched["answers"][4][2]["sku"][0]
        assert "Lait" in batched["answers"][18][2]["barcodes[0]"][0]
        assert batched["products"]["1002"]["barcodes"] == [(ean(2), "ean13"), ("X-1", "code128")]


def test_duplicate_barcode_within_the_batch(owner):
    results = upsert(
        owner,
        [
            {"name": "A", "sale_price": "1", "barcodes": [ean(7)]},
            {"name": "B", "sale_price": "1", "barcodes": [ean(8), ean(7)]},
            {"name": "C", "sale_price": "1", "barcodes": [ean(9), ean(9)]},
        ],
    )
    assert [r.status for r in results] == ["created", "error", "error"]
    assert results[1].errors == {
        "barcodes[1]": [f"The barcode {ean(7)} is already on “A”."],
    }
    assert results[2].errors == {"barcodes[1]": ["This barcode is given twice."]}
    assert list(Barcode.objects.values_list("code", flat=True)) == [ean(7)]


def test_atomic_batch_with_one_bad_row_writes_nothing(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        results = upsert(
            owner,
            [
                {"name": "A", "sale_price": "1", "tags": ["neuf"], "barcodes": [ean(5)]},
                {"name": "B", "sale_price": "1", "barcodes": [ean(5)]},
            ],
            atomic=True,
        )
    assert [(r.status, r.product_id) for r in results] == [("skipped", None), ("error", None)]
    assert not callbacks
    assert not Product.objects.exists() and not Tag.objects.exists()
    assert not Barcode.objects.exists() and not ProductSearch.objects.exists()


def test_search_finds_the_bulk_created_products_without_accents(owner):
    upsert(
        owner,
        [
            {"name": "Crème brûlée", "sale_price": "4", "brand": "Maïté"},
            {"name": "Pain au chocolat", "sale_price": "1.2", "tags": ["Pâtisserie"]},
        ],
    )
    found = lambda q: sorted(  # noqa: E731
        p.name for p in selectors.product_list(business=owner.business, search=q)
    )
    assert found("creme brulee") == ["Crème brûlée"]
    assert found("MAITE") == ["Crème brûlée"]
    assert found("patisserie") == ["Pain au chocolat"]
    assert ProductSearch.objects.get(product__name="Crème brûlée").text == search.document_text(
        name="Crème brûlée", brand="Maïté"
    )
    upsert(owner, [{"id": str(Product.objects.get(name="Crème brûlée").pk), "name": "Flan"}])
    assert found("creme") == [] and found("flan") == ["Flan"]


def rows_for(n: int, start: int) -> list:
    """Half new products (barcode, tags, category by path), half updates of existing ones."""
    rows = []
    for i in range(start, start + n):
        if i % 2:
            rows.append({"sku": f"E{i - 1}", "sale_price": "2", "tags": ["promo", f"t{i % 7}"]})
        else:
            rows.append(
                {
                    "name": f"Produit {i}",
                    "sku": f"N{i}",
                    "sale_price": "1",
                    "barcodes": [ean(1000 + i)],
                    "tags": ["bio"],
                    "category": "Épicerie",
                }
            )
    return rows


def queries(owner, rows) -> int:
    with CaptureQueriesContext(connection) as captured:
        results = upsert(owner, rows, atomic=True)
    assert {r.status for r in results} <= {"created", "updated"}
    return len(captured)


# Fetch (products, barcodes, tags, categories), tags, then a handful of inserts and
# updates; SQLite splits inserts of many rows into statements of 999 parameters.
MAX_QUERIES = 25


def test_query_count_does_not_grow_with_the_rows(owner):
    services.category_create(business=owner.business, actor=owner.user, name="Épicerie")
    # Existing products for the update rows of both batches.
    upsert(
        owner,
        [{"name": f"Ancien {i}", "sku": f"E{i}", "sale_price": "1"} for i in range(0, 220, 2)],
    )
    small = queries(owner, rows_for(10, 0))
    large = queries(owner, rows_for(100, 100))
    assert small <= MAX_QUERIES
    assert large <= MAX_QUERIES
    assert large <= small + 3  # only SQLite's statement splitting grows with the rows
    assert Product.objects.get(sku="E150").sale_price == Decimal(2)
    assert Category.objects.get(name="Épicerie").product_count == 55  # the new ones
    print(f"queries: {small} for 10 rows, {large} for 100 rows")


def test_skus_swapped_within_the_batch_fall_back_to_row_by_row(owner):
    """One UPDATE cannot swap two unique SKUs; the batch then goes row by row."""
    a = services.product_create(
        business=owner.business, actor=owner.user, data={"name": "A", "sku": "A", "sale_price": 1}
    )
    b = services.product_create(
        business=owner.business, actor=owner.user, data={"name": "B", "sku": "B", "sale_price": 1}
    )
    results = upsert(
        owner,
        [
            {"id": str(a.pk), "sku": "C"},
            {"id": str(b.pk), "sku": "A"},
            {"id": str(a.pk), "sku": "B"},
            {"name": "New", "sku": "C", "sale_price": "1"},
        ],
        atomic=True,
    )
    assert [r.status for r in results] == ["updated", "updated", "updated", "created"]
    assert dict(Product.objects.values_list("name", "sku")) == {"A": "B", "B": "A", "New": "C"}
    assert AuditEntry.objects.filter(action="product.update").count() == 3
