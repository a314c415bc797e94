"""Search: accent-insensitive substring search on both databases, scoped to the tenant,
with the search document (and SQLite's FTS5 mirror) kept in step by the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from hanout.catalog import search, selectors, services
from hanout.catalog.models import ProductSearch

pytestmark = pytest.mark.django_db


def make(membership, name, **data):
    return services.product_create(
        business=membership.business,
        actor=membership.user,
        data={"name": name, "sale_price": Decimal("1.00"), **data},
    )


def names(business, query, **filters):
    return sorted(
        p.name for p in selectors.product_list(business=business, search=query, **filters)
    )


def test_fold_removes_accents_and_case_but_keeps_other_scripts():
    assert search.fold("Café") == "cafe"
    assert search.fold("CAFÉ  Noir") == "cafe noir"
    assert search.fold("Straße") == "strasse"
    assert search.fold("ﬁlet") == "filet"
    assert search.fold("خبز") == "خبز"
    assert search.fold("ⵜⴰⵎⴰⵣⵉⵖⵜ") == "ⵜⴰⵎⴰⵣⵉⵖⵜ"
    # Arabic short vowels are marks: a vowelled word finds the plain one.
    assert search.fold("خُبْز") == "خبز"
    assert search.fold(None) == ""


def test_cafe_finds_cafe_with_accent_in_any_case(owner):
    make(owner, "Café", sku="0000")
    make(owner, "Croissant", sku="9012")
    b = owner.business
    assert names(b, "cafe") == ["Café"]
    assert names(b, "CAFÉ") == ["Café"]
    assert names(b, "Café") == ["Café"]


def test_substring_sku_barcode_brand_and_tag_are_searched(owner):
    make(
        owner,
        "Pain au chocolat",
        sku="1234",
        barcodes=[{"code": "1946753214860", "kind": "internal"}],
        brand="Kaching",
        tags=["viennoiserie"],
    )
    make(owner, "Tarte au riz", sku="5678")
    b = owner.business
    assert names(b, "choco") == ["Pain au chocolat"]
    assert names(b, "1234") == ["Pain au chocolat"]
    assert names(b, "753214") == ["Pain au chocolat"]
    assert names(b, "1946753214860") == ["Pain au chocolat"]
    assert names(b, "kaching") == ["Pain au chocolat"]
    assert names(b, "viennois") == ["Pain au chocolat"]
    # Every word must appear, in any order.
    assert names(b, "chocolat pain") == ["Pain au chocolat"]
    assert names(b, "chocolat riz") == []
    assert names(b, "au") == []  # short: a name prefix only
    assert names(b, "ta") == ["Tarte au riz"]
    assert names(b, "au riz") == ["Tarte au riz"]  # short word checked beside a long one


def test_short_queries_use_name_prefix_and_exact_codes(owner):
    make(owner, "Pain au chocolat", sku="12")
    make(owner, "Pomme", sku="7")
    make(owner, "Éclair", sku="")
    b = owner.business
    assert names(b, "p") == ["Pain au chocolat", "Pomme"]
    assert names(b, "e") == ["Éclair"]  # folded prefix
    assert names(b, "É") == ["Éclair"]
    assert names(b, "12") == ["Pain au chocolat"]  # exact SKU
    assert names(b, "7") == ["Pomme"]


def test_search_never_shows_another_business(owner, other_owner):
    make(owner, "Café", sku="0000", barcodes=["4006381333931"])
    make(other_owner, "Café noir", sku="0000", barcodes=["4006381333931"])
    assert names(owner.business, "cafe") == ["Café"]
    assert names(other_owner.business, "cafe") == ["Café noir"]
    assert names(owner.business, "4006381333931") == ["Café"]
    assert names(other_owner.business, "0000") == ["Café noir"]
    assert names(owner.business, "noir") == []
    assert names(owner.business, "c") == ["Café"]


def test_like_wildcards_in_the_query_are_plain_characters(owner):
    make(owner, "100% coton")
    make(owner, "Coton bio")
    b = owner.business
    assert names(b, "100%") == ["100% coton"]
    assert names(b, "%") == []
    assert names(b, "_") == []
    assert names(b, 'co"ton') == []  # a quote is searched as itself, never breaks the query
    assert names(b, "coton") == ["100% coton", "Coton bio"]


def test_search_combines_with_filters_and_ordering(owner):
    actor = owner.user
    dom = services.category_create(business=owner.business, actor=actor, name="Boulangerie")
    make(owner, "Pain blanc", category=dom, sale_price=Decimal("2"))
    make(owner, "Pain gris", sale_price=Decimal("1"))
    b = owner.business
    assert names(b, "pain", category=dom) == ["Pain blanc"]
    by_price = selectors.product_list(business=b, search="pain", ordering="price")
    assert [p.name for p in by_price] == ["Pain gris", "Pain blanc"]


def test_search_results_are_bounded(owner, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 3)
    for i in range(6):
        make(owner, f"Pain {i}", sku=f"P{i}")
    found = selectors.product_list(business=owner.business, search="pain")
    assert found.count() == 3
    # The exact article number is always among the results.
    assert "Pain 5" in names(owner.business, "P5")


def test_search_row_follows_updates_and_deletes(owner):
    product = make(owner, "Croissant", sku="9012", barcodes=["3792075124138"])
    b = owner.business
    services.product_update(
        product=product,
        actor=owner.user,
        data={"name": "Croissant au pistache", "barcodes": ["4006381333931"], "tags": ["vert"]},
    )
    assert names(b, "pistache") == ["Croissant au pistache"]
    assert names(b, "vert") == ["Croissant au pistache"]
    assert names(b, "4006381333931") == ["Croissant au pistache"]
    assert names(b, "3792075124138") == []
    row = ProductSearch.objects.get(product=product)
    assert "pistache" in row.text and row.name_key == "croissant au pistache"
    product.delete()
    assert names(b, "pistache") == []
    assert not ProductSearch.objects.filter(product_id=product.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 mirror exists on SQLite")
def test_sqlite_fts_table_stays_in_sync(owner):
    product = make(owner, "Tarte au riz", sku="5678")

    def fts(term):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM catalog_productsearch_fts WHERE catalog_productsearch_fts MATCH %s",
                [f'"{term}"'],
            )
            return [r[0] for r in cursor.fetchall()]

    row_id = ProductSearch.objects.get(product=product).pk
    assert fts("riz") == [row_id]
    services.product_update(product=product, actor=owner.user, data={"name": "Tarte au sucre"})
    assert fts("riz") == []
    assert fts("sucre") == [row_id]
    product.delete()
    assert fts("sucre") == []
    # The index agrees with its content table.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_productsearch_fts(catalog_productsearch_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_postgresql_trigram_index_exists_and_serves_substring_search(owner):
    make(owner, "Déodorant CienMEN", sku="4821")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'catalog_productsearch' "
            "AND indexname = 'product_search_text_trgm'"
        )
        (indexdef,) = cursor.fetchone()
        assert "gin_trgm_ops" in indexdef
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT product_id FROM catalog_productsearch WHERE text LIKE %s",
            ["%cienmen%"],
        )
        plan = "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "product_search_text_trgm" in plan
    assert names(owner.business, "deodorant") == ["Déodorant CienMEN"]


def test_rebuild_writes_the_same_rows_as_the_services(owner):
    make(owner, "Chocolat noir", sku="6051", barcodes=["4006381333931"], tags=["cacao"])
    before = list(ProductSearch.objects.values_list("product_id", "text", "name_key"))
    assert search.rebuild(business=owner.business) == 1
    after = list(ProductSearch.objects.values_list("product_id", "text", "name_key"))
    assert before == after
    assert names(owner.business, "cacao") == ["Chocolat noir"]
