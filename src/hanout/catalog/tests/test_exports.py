"""Exporting the explorer's list to CSV and XLSX: the import's columns, the explorer's
filters, a query count that does not grow with the rows, and a file that imports
back unchanged."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.catalog.import_files import PRODUCT_EXPORT_COLUMNS
from hanout.catalog.models import Product
from hanout.core.permissions import Role
from tests.fixtures import login

from .io_helpers import make_category, make_product, upload

pytestmark = pytest.mark.django_db

GOOD_EAN = "5901234123457"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _xlsx(response) -> list[list]:
    from openpyxl import load_workbook

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def catalog(owner):
    sub = make_category(owner, "Boulangerie", "Viennoiseries", "Chaud")
    drinks = make_category(owner, "Boissons")
    return {
        "croissant": make_product(
            owner,
            name="Croissant",
            sku="9012",
            barcodes=[GOOD_EAN, {"code": "1946753214861", "kind": "internal"}],
            sale_price=Decimal("1.00"),
            cost=Decimal("0.35"),
            tax_rate=Decimal("6"),
            category=sub,
            tags=["matin", "beurre"],
            brand="Maison",
            description='Pur beurre, "croustillant"\nsur deux lignes',
        ),
        "coca": make_product(
            owner,
            name="Canette Coca",
            sku="9630",
            sale_price=Decimal("3.50"),
            category=drinks,
            unit="piece",
        ),
        "old": make_product(owner, name='=HYPERLINK("x")', sku="0000", is_active=False),
    }


def test_csv_export_has_the_import_columns_and_values(owner_client, catalog):
    rows = _csv(owner_client.get(reverse("catalog_export"), {"format": "csv", "status": "all"}))
    assert rows[0] == PRODUCT_EXPORT_COLUMNS
    by_name = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    croissant = by_name["Croissant"]
    assert croissant["barcode"] == f"{GOOD_EAN}|1946753214861"
    assert croissant["barcode_kind"] == "ean13|internal"
    assert croissant["category"] == "Boulangerie > Viennoiseries > Chaud"
    assert croissant["tags"] == "beurre, matin"
    assert croissant["sale_price"] == "1.00"
    assert croissant["cost"] == "0.35"
    assert croissant["tax_rate"] == "6"
    assert croissant["description"] == 'Pur beurre, "croustillant"\nsur deux lignes'
    assert croissant["active"] == "yes"
    # A formula-looking name is defused for spreadsheets (and read back by the import).
    assert '\'=HYPERLINK("x")' in by_name
    assert by_name['\'=HYPERLINK("x")']["active"] == "no"


def test_export_follows_the_explorer_filters(owner_client, catalog, owner):
    url = reverse("catalog_export")
    names = lambda params: sorted(r[1] for r in _csv(owner_client.get(url, params))[1:])  # noqa: E731
    assert names({}) == ["Canette Coca", "Croissant"]  # explorer default: active only
    assert len(names({"status": "all"})) == 3
    assert names({"status": "inactive"}) == ['\'=HYPERLINK("x")']
    boulangerie = make_category(owner, "Boulangerie")
    assert names({"category": str(boulangerie.pk)}) == ["Croissant"]  # includes descendants
    tag = catalog["croissant"].tags.get(name="matin")
    assert names({"tag": str(tag.pk)}) == ["Croissant"]
    assert names({"q": "coca"}) == ["Canette Coca"]
    assert names({"category": "not-an-id"}) == ["Canette Coca", "Croissant"]
    rows = _csv(owner_client.get(url, {"sort": "-price"}))
    assert [r[1] for r in rows[1:]] == ["Canette Coca", "Croissant"]


def test_export_never_shows_another_business(owner_client, catalog, other_owner):
    make_product(other_owner, name="Their secret", sku="S")
    rows = _csv(owner_client.get(reverse("catalog_export"), {"status": "all"}))
    assert "Their secret" not in {r[1] for r in rows}


def test_xlsx_export_keeps_codes_as_text(owner_client, catalog):
    rows = _xlsx(owner_client.get(reverse("catalog_export"), {"format": "xlsx", "status": "all"}))
    assert rows[0] == PRODUCT_EXPORT_COLUMNS
    by_name = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name["Croissant"]["sale_price"] == 1
    assert by_name['=HYPERLINK("x")']["sku"] == "0000"  # text, not a formula, zeros kept
    assert by_name["Croissant"]["barcode"] == f"{GOOD_EAN}|1946753214861"


def test_unknown_format_is_a_404(owner_client):
    assert owner_client.get(reverse("catalog_export"), {"format": "pdf"}).status_code == 404


def test_read_only_member_may_export(owner, member_factory, client, catalog):
    login(client, member_factory(role=Role.CASHIER))
    assert len(_csv(client.get(reverse("catalog_export")))) == 3


def test_export_query_count_does_not_grow_with_rows(
    owner, owner_client, django_assert_max_num_queries
):
    made = iter(range(1000))

    def count_queries(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(n):
            i = next(made)
            make_product(
                owner, name=f"P{i:03}", sku=f"S{i:03}", tags=[f"t{i % 3}"], barcodes=[f"X{i}"]
            )
        with CaptureQueriesContext(connection) as ctx:
            _csv(owner_client.get(reverse("catalog_export")))
        return len(ctx.captured_queries)

    owner_client.get(reverse("catalog_export"))  # warm the per-process caches (the time zone)
    few = count_queries(3)
    many = count_queries(40)
    assert many == few
    with django_assert_max_num_queries(few):
        _csv(owner_client.get(reverse("catalog_export")))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_imports_back_unchanged(owner, owner_client, catalog, fmt):
    def snapshot():
        out = {}
        for p in Product.objects.for_business(owner.business).prefetch_related("barcodes", "tags"):
            out[str(p.pk)] = (
                p.name,
                p.sku,
                p.description,
                p.brand,
                p.unit,
                p.sale_price,
                p.cost,
                p.tax_rate,
                p.category_id,
                p.is_active,
                tuple((b.code, b.kind) for b in p.barcodes.all()),
                tuple(sorted(t.name for t in p.tags.all())),
            )
        return out

    before = snapshot()
    exported = owner_client.get(reverse("catalog_export"), {"format": fmt, "status": "all"})
    content = b"".join(exported.streaming_content)
    response = owner_client.post(
        reverse("catalog_import"), {"file": upload(content, f"catalog.{fmt}")}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = owner_client.get(response["Location"])
    assert preview.context["counts"]["error"] == 0, preview.context["errors"]
    # Every cell says what the product already holds: all three are up to date.
    assert preview.context["counts"]["unchanged"] == 3
    assert preview.context["counts"]["update"] == 0
    token = re.search(r"/import/([^/]+)/$", response["Location"]).group(1)
    owner_client.post(reverse("catalog_import_confirm", args=[token]))
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_csv_export_streams_under_asgi(owner, async_client):
    """Under uvicorn the body is an async iterator (read chunk by chunk, not all at once)."""
    from asgiref.sync import async_to_sync, sync_to_async

    for i in range(5):
        make_product(owner, name=f"P{i}", sku=f"S{i}")

    async def fetch():
        await sync_to_async(async_client.force_login)(owner.user)
        response = await async_client.get(reverse("catalog_export"))
        assert response.is_async
        return b"".join([chunk async for chunk in response.streaming_content])

    body = async_to_sync(fetch)().decode("utf-8-sig")
    assert body.count("\n") == 6
