"""Exporting the catalog's filtered product list to CSV (streamed) and XLSX.

The columns are exactly the import's (`imports.PRODUCT_EXPORT_COLUMNS`), written
the way the import reads them, so an exported file imports back unchanged:
barcodes and their kinds joined with `|`, tags with `, `, the category as its
"Domain > Category > Sub" path, active as yes/no, money with a dot.

Rows are read as plain tuples (`values_list(...).iterator(chunk_size=2000)`),
with each chunk's barcodes and tags fetched as (product_id, value) tuples in one
query each, and category paths from one query of the tree: no model instance
per row, the number of queries grows by two per 2,000 rows, and memory stays
flat for a million products.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice

from django.utils.translation import gettext as _

from hanout.catalog.import_files import PRODUCT_EXPORT_COLUMNS, category_paths
from hanout.catalog.models import Category, Tag
from hanout.core.exports import csv_bytes, csv_lines, workbook_file, xlsx_heading
from hanout.core.money import quantize

__all__ = ["csv_bytes", "export_queryset", "product_rows", "products_csv", "products_xlsx"]
CHUNK = 2000

# The explorer's sort keys (catalog/forms.py SORTS) → the selector's orderings.
EXPLORER_SORTS = {"name": "name", "price": "price", "-price": "-price", "newest": "-created"}


def _object_or_none(model, business, pk):
    if not pk:
        return None
    try:
        return model.objects.for_business(business).filter(pk=pk).first()
    except Exception:  # a malformed id in the URL is "no filter", as in the explorer
        return None


def export_queryset(*, business, params):
    """The products the explorer shows for the same query string, in its order.

    Reads the explorer's parameters (q, category, tag, supplier, low, status,
    sort) and the API's names for them (search, low_stock, active, ordering).
    """
    from hanout.catalog import selectors
    from hanout.suppliers.models import Supplier

    search = (params.get("q") or params.get("search") or "").strip()[:100]
    low = params.get("low") or params.get("low_stock")
    if "status" in params:  # the explorer: "" = active (its default), inactive, all
        active = {"": True, "inactive": False}.get(params.get("status"))
    elif "active" in params:  # the API's name: true, false, or empty for all
        active = {"true": True, "1": True, "false": False, "0": False}.get(
            params.get("active", "").lower()
        )
    else:
        active = True
    ordering = params.get("ordering")
    if ordering not in selectors.ORDERINGS:
        ordering = EXPLORER_SORTS.get(params.get("sort") or "name", "name")
    products = selectors.product_list(
        business=business,
        search=search or None,
        category=_object_or_none(Category, business, params.get("category")),
        tag=_object_or_none(Tag, business, params.get("tag")),
        supplier=_object_or_none(Supplier, business, params.get("supplier")),
        low_stock=True if low in ("1", "true", "on", "yes") else None,
        active=active,
        ordering=ordering,
    )
    return products


_ROW_COLUMNS = (
    "id",
    "name",
    "sku",
    "description",
    "brand",
    "model",
    "colour",
    "size",
    "unit",
    "sale_price",
    "cost",
    "tax_rate",
    "category_id",
    "is_active",
)


def product_rows(*, business, products) -> Iterator[list]:
    """One list of cells per product, in PRODUCT_EXPORT_COLUMNS order (header not included).

    Plain tuples, no model instances: the product columns with `values_list`
    (read in chunks of CHUNK), and per chunk one query for its barcodes and one
    for its tags, as (product_id, …) tuples.
    """
    from hanout.catalog.models import Barcode, Product

    paths = category_paths(business=business)
    currency = business.currency
    tag_links = Product.tags.through
    rows = products.prefetch_related(None).values_list(*_ROW_COLUMNS).iterator(chunk_size=CHUNK)
    while True:
        chunk = list(islice(rows, CHUNK))
        if not chunk:
            return
        ids = [row[0] for row in chunk]
        codes: dict = {}
        for product_id, code, kind in (
            Barcode.objects.filter(product_id__in=ids)
            .order_by("created_at", "id")
            .values_list("product_id", "code", "kind")
        ):
            codes.setdefault(product_id, []).append((code, kind))
        names: dict = {}
        for product_id, name in tag_links.objects.filter(product_id__in=ids).values_list(
            "product_id", "tag__name"
        ):
            names.setdefault(product_id, []).append(name)
        for (
            pk,
            name,
            sku,
            description,
            brand,
            model,
            colour,
            size,
            unit,
            sale_price,
            cost,
            tax_rate,
            category_id,
            is_active,
        ) in chunk:
            barcodes = codes.get(pk, ())
            values = {
                "id": str(pk),
                "name": name,
                "sku": sku,
                "barcode": "|".join(code for code, _kind in barcodes),
                "barcode_kind": "|".join(kind for _code, kind in barcodes),
                "description": description,
                "brand": brand,
                "model": model,
                "colour": colour,
                "size": size,
                "unit": unit,
                "sale_price": quantize(sale_price, currency),
                "cost": quantize(cost, currency),
                "tax_rate": tax_rate.normalize() if tax_rate else tax_rate,
                "category": paths.get(category_id, ""),
                "tags": ", ".join(sorted(names.get(pk, ()))),
                "active": "yes" if is_active else "no",
            }
            yield [values[key] for key in PRODUCT_EXPORT_COLUMNS]


def products_csv(*, business, products) -> Iterator[str]:
    return csv_lines(PRODUCT_EXPORT_COLUMNS, product_rows(business=business, products=products))


def products_xlsx(*, business, products) -> tempfile.SpooledTemporaryFile:
    """The workbook in a temporary file (on disk past 20 MB), rewound for reading."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Products")[:31])
    sheet.append(xlsx_heading(sheet, PRODUCT_EXPORT_COLUMNS))
    text_columns = {
        i for i, key in enumerate(PRODUCT_EXPORT_COLUMNS) if key not in ("sale_price", "cost")
    }
    for row in product_rows(business=business, products=products):
        cells = []
        for i, value in enumerate(row):
            if i in text_columns:
                # Kept as text: SKU "0000" and barcode "0012…" keep their zeros, and
                # a name starting with "=" is not a formula.
                cell = WriteOnlyCell(sheet, value=_csv_text(value))
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0.00"
            cells.append(cell)
        sheet.append(cells)
    return workbook_file(workbook)


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
