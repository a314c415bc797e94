"""Importing products and stock levels from CSV and XLSX files: the preview writes
nothing, confirming applies the valid rows in one transaction, malformed files are
refused whole with a clear message, and another business's import is a 404."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.catalog import import_files, imports
from hanout.catalog.models import Category, Product
from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from tests.fixtures import login

from .io_helpers import csv_bytes, make_category, make_product, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD_EAN = "5901234123457"
OTHER_EAN = "4006381333931"


def _post_file(client, content: bytes, name: str = "products.csv", url="catalog_import", **extra):
    return client.post(reverse(url), {"file": upload(content, name), **extra})


def _token(response) -> str:
    assert response.status_code == 302, response.content[:2000]
    match = re.search(r"/import/(?:stock/)?([A-Za-z0-9_-]{16,})/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _products(owner):
    return Product.objects.for_business(owner.business)


# --- the happy path ---------------------------------------------------------------------------


def test_csv_import_previews_without_writing_then_confirm_writes(owner, owner_client):
    make_category(owner, "Boulangerie", "Viennoiseries")
    content = csv_bytes(
        [
            ["Name", "SKU", "Barcode", "Sale price", "Category", "Tags", "Unit", "Active"],
            [
                "Pain au chocolat",
                "1234",
                GOOD_EAN,
                "1.20",
                "Boulangerie > Viennoiseries",
                "matin, chaud",
                "piece",
                "yes",
            ],
            ["Café", "0000", "1946753214861", "2,50", "", "", "", ""],
        ]
    )
    # 1946753214861 fails the EAN-13 check: with no kind given it is refused.
    response = _post_file(owner_client, content)
    token = _token(response)
    preview = owner_client.get(response["Location"])
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Pain au chocolat" in text and "Café" in text
    assert "Nothing has been changed yet." in text
    assert _products(owner).count() == 0
    plan_rows = preview.context["plan"].rows
    assert [r.action for r in plan_rows] == ["create", "error"]
    assert preview.context["errors"][0][:2] == (3, "Barcode")
    assert "check digit" in preview.context["errors"][0][2]

    done = owner_client.post(reverse("catalog_import_confirm", args=[token]))
    assert done.status_code == 302
    product = _products(owner).get()
    assert product.name == "Pain au chocolat"
    assert product.sku == "1234"
    assert product.sale_price == Decimal("1.20")
    assert product.category.name == "Viennoiseries"
    assert sorted(t.name for t in product.tags.all()) == ["chaud", "matin"]
    assert [(b.code, b.kind) for b in product.barcodes.all()] == [(GOOD_EAN, "ean13")]
    assert AuditEntry.objects.filter(business=owner.business, action="product.import").exists()

    result = owner_client.get(done["Location"])
    assert result.status_code == 200
    assert "1 product created" in result.content.decode()
    # The result stays; confirming again changes nothing.
    again = owner_client.post(reverse("catalog_import_confirm", args=[token]))
    assert again.status_code == 302
    assert _products(owner).count() == 1


def test_shop_own_code_with_kind_internal_and_decimal_comma(owner, owner_client):
    content = csv_bytes(
        [
            ["name", "sku", "barcode", "barcode_kind", "sale_price"],
            ["Café", "0000", "1946753214861", "internal", "2,50"],
            ["Croissant", "9012", f"{GOOD_EAN}|9012-A", "ean13|code128", "1"],
        ],
        delimiter=";",
    )
    token = _token(_post_file(owner_client, content))
    owner_client.post(reverse("catalog_import_confirm", args=[token]))
    cafe = _products(owner).get(sku="0000")
    assert cafe.sale_price == Decimal("2.50")
    assert [(b.code, b.kind) for b in cafe.barcodes.all()] == [("1946753214861", "internal")]
    croissant = _products(owner).get(sku="9012")
    assert [(b.code, b.kind) for b in croissant.barcodes.all()] == [
        (GOOD_EAN, "ean13"),
        ("9012-A", "code128"),
    ]


def test_xlsx_import_with_numbers_as_numbers(owner, owner_client):
    content = xlsx_bytes(
        [
            ["Nom", "Référence", "Code-barres", "Prix", "TVA", "Coût"],
            ["Tarte au riz", 5678, int(GOOD_EAN), 1.1, 6, 0.55],
        ]
    )
    token = _token(_post_file(owner_client, content, "products.xlsx"))
    owner_client.post(reverse("catalog_import_confirm", args=[token]))
    product = _products(owner).get()
    assert (product.name, product.sku) == ("Tarte au riz", "5678")
    assert product.sale_price == Decimal("1.10")
    assert product.tax_rate == Decimal("6.00")
    assert product.cost == Decimal("0.55")
    assert product.barcodes.get().code == GOOD_EAN


def test_rows_with_a_known_sku_update_that_product(owner, owner_client):
    existing = make_product(owner, name="Old name", sku="1234", cost=Decimal("0.40"))
    content = csv_bytes([["sku", "name", "sale_price"], ["1234", "New name", "3.00"]])
    response = _post_file(owner_client, content)
    preview = owner_client.get(response["Location"])
    assert preview.context["counts"]["update"] == 1
    owner_client.post(reverse("catalog_import_confirm", args=[_token(response)]))
    existing.refresh_from_db()
    assert (existing.name, existing.sale_price) == ("New name", Decimal("3.00"))
    assert existing.cost == Decimal("0.40")  # a column left out is left alone
    assert _products(owner).count() == 1


def test_importing_the_same_file_again_leaves_unchanged_rows_alone(owner, owner_client):
    make_category(owner, "Boulangerie", "Viennoiseries")
    header = ["Name", "SKU", "Barcode", "Sale price", "Cost", "Category", "Tags", "Unit", "Active"]
    rows = [
        [
            "Pain au chocolat",
            "1234",
            GOOD_EAN,
            "1.20",
            "0.40",
            "Boulangerie > Viennoiseries",
            "matin, chaud",
            "piece",
            "yes",
        ],
        ["Croissant", "1235", OTHER_EAN, "1,00", "", "", "", "piece", "yes"],
        ["Baguette", "1236", "", "0.90", "", "", "chaud", "", ""],
    ]
    first = _post_file(owner_client, csv_bytes([header, *rows]))
    owner_client.post(reverse("catalog_import_confirm", args=[_token(first)]))
    assert _products(owner).count() == 3

    # The same rows again, the tags in another order and one price changed.
    rows[0][6] = "chaud, matin"
    rows[2][3] = "0.95"
    again = _post_file(owner_client, csv_bytes([header, *rows]))
    token = _token(again)
    preview = owner_client.get(again["Location"])
    assert preview.context["counts"] == {
        "create": 0,
        "update": 1,
        "unchanged": 2,
        "error": 0,
        "total": 3,
    }
    assert [r.action for r in preview.context["preview_rows"]] == [
        "unchanged",
        "unchanged",
        "update",
    ]
    croissant = _products(owner).get(sku="1235")
    touched = croissant.updated_at
    owner_client.post(reverse("catalog_import_confirm", args=[token]))
    done = owner_client.get(reverse("catalog_import_preview", args=[token]))
    assert "2 already up to date" in done.content.decode()
    assert done.context["result"]["updated"] == 1 and done.context["result"]["unchanged"] == 2
    croissant.refresh_from_db()
    assert croissant.updated_at == touched  # not written at all
    assert _products(owner).get(sku="1236").sale_price == Decimal("0.95")
    entry = AuditEntry.objects.filter(action="product.import").latest("at")
    assert entry.changes["unchanged"] == [None, 2] and entry.changes["updated"] == [None, 1]


def test_a_barcode_or_category_change_is_an_update(owner, owner_client):
    make_category(owner, "Epicerie")
    make_product(owner, name="Sucre", sku="S1", sale_price=Decimal("2.00"))
    for cells in (["S1", "Sucre", GOOD_EAN, ""], ["S1", "Sucre", "", "Epicerie"]):
        response = _post_file(
            owner_client, csv_bytes([["sku", "name", "barcode", "category"], cells])
        )
        preview = owner_client.get(response["Location"])
        assert preview.context["counts"]["update"] == 1, cells
        owner_client.post(reverse("catalog_import_cancel", args=[_token(response)]))


def test_create_missing_categories_when_ticked(owner, owner_client):
    content = csv_bytes([["name", "sale_price", "category"], ["Coca", "3.5", "Boissons > Sodas"]])
    response = _post_file(owner_client, content, create_categories="on")
    preview = owner_client.get(response["Location"])
    assert preview.context["plan"].new_categories == ["Boissons > Sodas"]
    assert not Category.objects.for_business(owner.business).exists()
    owner_client.post(
        reverse("catalog_import_confirm", args=[_token(response)]), {"create_categories": "1"}
    )
    product = _products(owner).get()
    assert product.category.name == "Sodas"
    assert product.category.parent.name == "Boissons"


# --- per-row errors ---------------------------------------------------------------------------


def test_bad_rows_are_reported_with_row_column_and_message_and_skipped(owner, owner_client):
    content = csv_bytes(
        [
            ["name", "sku", "barcode", "sale_price", "category"],
            ["Good one", "A1", GOOD_EAN, "1.00", ""],  # row 2
            ["Bad EAN", "A2", "5901234123458", "1.00", ""],  # row 3
            ["Negative", "A3", "", "-2", ""],  # row 4
            ["Unknown category", "A4", "", "1", "Nowhere > Else"],  # row 5
            ["Not a number", "A5", "", "abc", ""],  # row 6
            ["Duplicate SKU", "A1", "", "1", ""],  # row 7
            ["Same barcode twice", "A6", GOOD_EAN, "1", ""],  # row 8
            ["", "A7", "", "1", ""],  # row 9: no name
        ]
    )
    response = _post_file(owner_client, content)
    token = _token(response)
    preview = owner_client.get(response["Location"])
    errors = {(row, column): message for row, column, message in preview.context["errors"]}
    assert "check digit should be 7" in errors[(3, "barcode")]
    assert errors[(4, "sale_price")] == "Must be zero or more."
    assert "Unknown category “Nowhere > Else”" in errors[(5, "category")]
    assert errors[(6, "sale_price")] == "“abc” is not a number."
    assert errors[(7, "sku")] == "This SKU is already on row 2 of the file."
    assert "already on row 2" in errors[(8, "barcode")]
    assert (9, "name") in errors
    assert preview.context["counts"] == {
        "create": 1,
        "update": 0,
        "unchanged": 0,
        "error": 7,
        "total": 8,
    }

    report = owner_client.get(reverse("catalog_import_errors", args=[token]))
    assert report.status_code == 200
    assert report["Content-Disposition"].startswith("attachment;")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    header = lines[0]
    assert header[:3] == ["row", "column", "message"]
    # The rejected row follows its error, cell by cell under the file's own headers.
    by_row = {line[0]: dict(zip(header, line, strict=False)) for line in lines[1:]}
    assert by_row["4"]["message"] == "Must be zero or more."
    assert by_row["4"]["column"] == "sale_price"
    assert by_row["4"]["name"] == "Negative"
    assert by_row["4"]["sale_price"] == "'-2"  # kept from being read as a formula
    assert header[3:] == ["name", "sku", "barcode", "sale_price", "category"]
    assert by_row["9"]["sku"] == "A7"

    owner_client.post(reverse("catalog_import_confirm", args=[token]))
    assert list(_products(owner).values_list("name", flat=True)) == ["Good one"]
    result = owner_client.get(reverse("catalog_import_preview", args=[token]))
    assert result.context["errors_total"] == 7
    # The error report still downloads after the import.
    report = owner_client.get(reverse("catalog_import_errors", args=[token]))
    assert "Must be zero or more." in report.content.decode("utf-8-sig")


def test_barcode_of_another_product_and_foreign_id_are_row_errors(owner, other_owner, owner_client):
    make_product(owner, name="Has it", barcodes=[GOOD_EAN])
    foreign = make_product(other_owner, name="Theirs")
    content = csv_bytes(
        [
            ["id", "name", "barcode", "sale_price"],
            ["", "New", GOOD_EAN, "1"],
            [str(foreign.pk), "Steal", "", "1"],
            ["not-a-uuid", "Junk", "", "1"],
        ]
    )
    preview = owner_client.get(_post_file(owner_client, content)["Location"])
    errors = {(row, column) for row, column, _m in preview.context["errors"]}
    assert errors == {(2, "barcode"), (3, "id"), (4, "id")}
    foreign.refresh_from_db()
    assert foreign.name == "Theirs"


# --- files refused whole ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"   \n\n", "blank.csv", "The file is empty."),
        (b"name,sale_price\n", "header.csv", "no rows to import"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "not a CSV or an Excel"),
        (b"%PDF-1.4\n%\xe2\xe3", "doc.csv", "not a CSV or an Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "old Excel format"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", "not a CSV or an Excel"),
        (b"produit;prix;colour\nx;1;red\n", "fr.csv", None),  # fine: French synonyms
        (b"title,price\nx,1\n", "wrong.csv", "Unknown column(s): “title”"),
        (b"price,prix\n1,2\n", "twice.csv", "mean the same thing"),
        (b"colour,size\nred,M\n", "nocols.csv", "needs a “name” column"),
        (b'name,sku\n"unterminated,1\n', "quote.csv", None),
        (b"a\x81b,c\n1,2\n", "enc.csv", "encoding could not be recognised"),
    ],
)
def test_malformed_files_are_refused_whole_with_a_clear_message(
    owner, owner_client, content, name, message
):
    response = _post_file(owner_client, content, name)
    if message is None:
        assert response.status_code in (302, 400)
        return
    assert response.status_code == 400
    text = response.content.decode()
    if name != "empty.csv":  # an empty upload is refused by the form itself
        assert "This file was not imported; nothing was changed." in text
    assert message in text.replace("&#x27;", "'").replace("&quot;", '"')
    assert _products(owner).count() == 0


def test_a_docx_is_not_a_spreadsheet(owner_client):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    response = _post_file(owner_client, buffer.getvalue(), "letter.docx")
    assert response.status_code == 400
    assert "not a CSV or an Excel" in response.content.decode()


def test_windows_1252_file_is_read_and_the_preview_says_so(owner, owner_client):
    content = "name;sale_price\nCafé crème;2,50\nThé à la menthe;1,80\n".encode("cp1252")
    response = _post_file(owner_client, content)
    preview = owner_client.get(response["Location"])
    text = preview.content.decode()
    assert "Windows-1252" in text
    assert "Café crème" in text
    owner_client.post(reverse("catalog_import_confirm", args=[_token(response)]))
    assert sorted(_products(owner).values_list("name", flat=True)) == [
        "Café crème",
        "Thé à la menthe",
    ]


def test_utf8_bom_and_tab_delimiter(owner, owner_client):
    content = "\ufeffname\tsale_price\nØl\t3\n".encode()
    preview = owner_client.get(_post_file(owner_client, content)["Location"])
    assert "Windows-1252" not in preview.content.decode()
    assert preview.context["plan"].rows[0].cells == {"name": "Øl", "sale_price": "3"}


def test_a_100k_row_file_is_refused_and_nothing_is_written(owner, owner_client, settings):
    lines = ["name,sale_price"] + [f"P{i},1" for i in range(100_000)]
    content = ("\n".join(lines) + "\n").encode()
    response = _post_file(owner_client, content, "huge.csv")
    assert response.status_code == 400
    assert "more than 20,000 rows" in response.content.decode()
    assert _products(owner).count() == 0
    folder = settings.STORAGES["private"]["OPTIONS"]["location"]
    import os

    assert not os.path.exists(os.path.join(folder, "imports"))


def test_exactly_the_row_limit_is_accepted_by_the_reader():
    lines = ["name,sale_price"] + [f"P{i},1" for i in range(import_files.MAX_ROWS)]
    table = import_files.read_table(("\n".join(lines)).encode())
    assert len(table.rows) == import_files.MAX_ROWS
    assert table.rows[-1][0] == import_files.MAX_ROWS + 1


def test_cells_are_parsed_as_people_type_them():
    assert import_files.parse_decimal("1,20") == Decimal("1.20")
    assert import_files.parse_decimal(" 1 200.50 ") == Decimal("1200.50")
    with pytest.raises(import_files.CellError, match="ambiguous"):
        import_files.parse_decimal("1.234,50")
    assert import_files.parse_tax_rate("20 %") == Decimal("20.00")
    assert import_files.parse_bool("Oui") is True
    assert import_files.parse_bool("non") is False
    assert import_files.parse_unit("Pièce") == "piece"
    assert import_files.parse_barcode_kind("EAN-13") == "ean13"
    assert import_files.parse_barcode_kind("Shop's own code") == "internal"


# --- tenancy, permissions, expiry ------------------------------------------------------------


def test_another_business_token_is_a_404(owner, other_owner, owner_client, client):
    content = csv_bytes([["name", "sale_price"], ["Mine", "1"]])
    token = _token(_post_file(owner_client, content))
    owner_client.logout()
    login(client, other_owner)
    for name, method in (
        ("catalog_import_preview", "get"),
        ("catalog_import_errors", "get"),
        ("catalog_import_confirm", "post"),
        ("catalog_import_cancel", "post"),
    ):
        response = getattr(client, method)(reverse(name, args=[token]))
        assert response.status_code == 404, name
    assert not Product.objects.filter(name="Mine").exists()


def test_another_person_of_the_same_business_cannot_use_the_token(
    owner, owner_client, member_factory, client
):
    token = _token(_post_file(owner_client, csv_bytes([["name", "sale_price"], ["A", "1"]])))
    manager = member_factory(role=Role.MANAGER)
    owner_client.logout()
    login(client, manager)
    assert client.get(reverse("catalog_import_preview", args=[token])).status_code == 404


def test_read_only_member_is_refused(owner, member_factory, client):
    cashier = member_factory(role=Role.CASHIER)  # catalog: read only
    login(client, cashier)
    assert client.get(reverse("catalog_import")).status_code == 403
    response = _post_file(client, csv_bytes([["name", "sale_price"], ["A", "1"]]))
    assert response.status_code == 403
    assert _products(owner).count() == 0


def test_expired_upload_is_gone(owner, owner_client, monkeypatch):
    token = _token(_post_file(owner_client, csv_bytes([["name", "sale_price"], ["A", "1"]])))
    from hanout.core import clock

    later = clock.now() + import_files.UPLOAD_TTL + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert owner_client.get(reverse("catalog_import_preview", args=[token])).status_code == 404
    assert owner_client.post(reverse("catalog_import_confirm", args=[token])).status_code == 404


def test_cancel_deletes_the_upload(owner_client):
    token = _token(_post_file(owner_client, csv_bytes([["name", "sale_price"], ["A", "1"]])))
    response = owner_client.post(reverse("catalog_import_cancel", args=[token]))
    assert response.status_code == 302
    assert owner_client.get(reverse("catalog_import_preview", args=[token])).status_code == 404


def test_confirm_rechecks_the_file(owner, owner_client):
    token = _token(
        _post_file(owner_client, csv_bytes([["name", "sku", "sale_price"], ["A", "X1", "1"]]))
    )
    # Meanwhile someone creates the product with that SKU: the row becomes an update.
    make_product(owner, name="Made meanwhile", sku="X1")
    owner_client.post(reverse("catalog_import_confirm", args=[token]))
    assert list(_products(owner).values_list("name", flat=True)) == ["A"]


def test_plan_is_a_dry_run_at_the_function_level(owner):
    raw = csv_bytes([["name", "sale_price"], ["A", "1"], ["B", "x"]])
    plan = imports.product_import_plan(business=owner.business, raw=raw)
    assert [r.action for r in plan.rows] == ["create", "error"]
    assert _products(owner).count() == 0
    result = imports.product_import_apply(business=owner.business, actor=owner.user, raw=raw)
    assert (result.created, result.updated) == (1, 0)
    assert result.errors == [(3, "sale_price", "“x” is not a number.")]


# --- stock levels -----------------------------------------------------------------------------


def _floor(owner):
    from hanout.core.models import Shop
    from hanout.inventory.services import default_location

    return default_location(shop=Shop.objects.for_business(owner.business).first())


def test_stock_levels_import_sets_counted_quantities(owner, owner_client):
    from hanout.inventory.models import StockLevel, StockMovement

    floor = _floor(owner)
    bread = make_product(owner, name="Bread", sku="B1", barcodes=[GOOD_EAN])
    cheese = make_product(owner, name="Cheese", sku="C1", unit="kg")
    make_product(owner, name="Milk", sku="M1")
    content = csv_bytes(
        [
            ["Product", "Location", "Quantity"],
            [GOOD_EAN, floor.name, "12"],
            ["C1", floor.name.upper(), "2,5"],
            ["NOPE", floor.name, "1"],
            ["B1", "Nowhere", "1"],
            ["M1", floor.name, "-1"],
        ]
    )
    response = _post_file(owner_client, content, url="catalog_import_stock")
    token = _token(response)
    preview = owner_client.get(response["Location"])
    assert preview.status_code == 200
    assert preview.context["counts"]["update"] == 2
    errors = {(row, col) for row, col, _m in preview.context["errors"]}
    assert errors == {(4, "Product"), (5, "Location"), (6, "Quantity")}
    assert not StockMovement.objects.filter(business=owner.business).exists()

    owner_client.post(reverse("catalog_import_stock_confirm", args=[token]))
    levels = dict(
        StockLevel.objects.for_business(owner.business).values_list("product_id", "quantity")
    )
    assert levels == {bread.pk: Decimal("12"), cheese.pk: Decimal("2.5")}
    assert StockMovement.objects.filter(business=owner.business, reason="count").count() == 2


def test_stock_import_without_location_column_uses_the_only_selling_location(owner, owner_client):
    from hanout.inventory.models import StockLevel

    floor = _floor(owner)
    make_product(owner, name="Bread", sku="B1")
    token = _token(
        _post_file(
            owner_client, csv_bytes([["sku", "qty"], ["B1", "4"]]), url="catalog_import_stock"
        )
    )
    owner_client.post(reverse("catalog_import_stock_confirm", args=[token]))
    level = StockLevel.objects.for_business(owner.business).get()
    assert (level.location_id, level.quantity) == (floor.pk, Decimal("4"))


def test_stock_import_needs_stock_access(owner, member_factory, client):
    cashier = member_factory(role=Role.CASHIER)  # stock: none
    login(client, cashier)
    assert client.get(reverse("catalog_import_stock")).status_code == 403


def test_a_stock_token_is_not_a_product_import(owner, owner_client):
    _floor(owner)
    make_product(owner, name="Bread", sku="B1")
    token = _token(
        _post_file(
            owner_client, csv_bytes([["sku", "qty"], ["B1", "4"]]), url="catalog_import_stock"
        )
    )
    assert owner_client.get(reverse("catalog_import_preview", args=[token])).status_code == 404


def test_a_large_file_is_applied_by_the_background_job(owner, owner_client, monkeypatch):
    from hanout.catalog import tasks

    calls = []
    job = tasks.import_apply_job

    def spy(*args):
        calls.append(args)
        return job(*args)  # Huey runs jobs at once in tests ("immediate")

    monkeypatch.setattr(tasks, "import_apply_job", spy)
    monkeypatch.setattr(imports, "INLINE_ROWS", 5)
    rows = [["name", "sale_price"]] + [[f"P{i}", "1"] for i in range(8)]
    token = _token(_post_file(owner_client, csv_bytes(rows)))
    done = owner_client.post(reverse("catalog_import_confirm", args=[token]))
    assert _products(owner).count() == 8
    assert len(calls) == 1
    assert "8 products created" in owner_client.get(done["Location"]).content.decode()
