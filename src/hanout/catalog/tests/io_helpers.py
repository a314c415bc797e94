"""Builders shared by the import, export and label tests: real CSV and XLSX files."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from hanout.catalog import services

PRODUCT_HEADER = ["name", "sku", "barcode", "sale_price", "category", "tags"]


def csv_bytes(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "products.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_product(membership, **data):
    data.setdefault("sale_price", Decimal("1.00"))
    return services.product_create(business=membership.business, actor=membership.user, data=data)


def make_category(membership, *path: str):
    parent = None
    from hanout.catalog.models import Category

    for name in path:
        found = (
            Category.objects.for_business(membership.business)
            .filter(parent=parent, name=name)
            .first()
        )
        parent = found or services.category_create(
            business=membership.business, actor=membership.user, name=name, parent=parent
        )
    return parent
