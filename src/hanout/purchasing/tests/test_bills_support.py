"""Helpers of the bills and performance tests (no tests here).

Purchase orders and their deliveries are written with the ORM so a test controls
every date exactly (the order day, the expected day, the moment of each
delivery); the performance figures read only these rows, so how they were made
does not matter to them.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from hanout.core.sequences import next_number
from hanout.inventory.models import Location
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from hanout.suppliers.tests.helpers import make_product, make_supplier

__all__ = ["make_product", "make_supplier"]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def pdf_upload(name="invoice.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def location_of(business) -> Location:
    from hanout.core.models import Shop
    from hanout.inventory.services import default_location

    location = Location.objects.filter(business=business).order_by("-is_default", "id").first()
    if location is None:
        location = default_location(shop=Shop.objects.filter(business=business).first())
    return location


def at(business_tz: str, day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(business_tz)
    )


@transaction.atomic
def make_po(
    membership,
    supplier,
    lines: list[tuple],
    *,
    ordered_on: datetime.date,
    expected_on: datetime.date | None = None,
    status: str = POStatus.SENT,
):
    """A sent PO; `lines` = [(product, quantity, unit_cost), …]. Returns (po, [po lines])."""
    business = membership.business
    po = PurchaseOrder.objects.create(
        business=business,
        supplier=supplier,
        number=next_number(business=business, key="purchase_order"),
        status=status,
        location=location_of(business),
        ordered_on=ordered_on,
        expected_on=expected_on,
        created_by=membership.user,
    )
    out, total = [], Decimal(0)
    for i, (product, quantity, cost) in enumerate(lines):
        quantity, cost = Decimal(str(quantity)), Decimal(str(cost))
        out.append(
            PurchaseOrderLine.objects.create(
                business=business,
                order=po,
                position=i,
                product=product,
                quantity=quantity,
                unit_cost=cost,
                total=quantity * cost,
            )
        )
        total += quantity * cost
    po.total = total
    po.save(update_fields=["total"])
    return po, out


@transaction.atomic
def receive(membership, po, received_at: datetime.datetime, quantities: dict) -> PurchaseReceipt:
    """One delivery: `quantities` = {po line: quantity}. Updates the lines and the status."""
    business = membership.business
    receipt = PurchaseReceipt.objects.create(
        business=business,
        order=po,
        location=po.location,
        received_at=received_at,
        received_by=membership.user,
    )
    for line, quantity in quantities.items():
        quantity = Decimal(str(quantity))
        PurchaseReceiptLine.objects.create(
            business=business,
            receipt=receipt,
            order_line=line,
            quantity=quantity,
            unit_cost=line.unit_cost,
        )
        line.received_quantity += quantity
        line.save(update_fields=["received_quantity"])
    lines = list(po.lines.all())
    done = all(line.received_quantity >= line.quantity for line in lines)
    po.status = POStatus.RECEIVED if done else POStatus.PARTIAL
    po.save(update_fields=["status"])
    return receipt
