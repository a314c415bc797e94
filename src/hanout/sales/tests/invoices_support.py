"""Builders for the invoice tests: register tickets through the real register services,
customers and delivered orders straight through the models (the order services belong to
another part of the app; an invoice only reads what a delivered order holds).

    till = make_till()                      # business, shop, register, products in stock
    open_session(till)
    sale = sell(till, ("croissant", 2), ("deo", 1))
    customer = make_customer(till.business, "Atelier Nour")
    order = make_delivered_order(till, customer, ("cafe", 3), ("deo", 2))
"""

from __future__ import annotations

import subprocess
import tempfile
from decimal import Decimal

from django.db import transaction

from hanout.core import clock
from hanout.core.money import quantize
from hanout.core.sequences import next_number
from hanout.core.tax import tax_inside
from hanout.customers.models import Customer
from hanout.pos.tests.factories import (  # noqa: F401  (re-exported for the tests)
    Till,
    make_product,
    make_till,
    open_session,
    sell,
)
from hanout.sales.models import CustomerOrder, OrderLine, OrderStatus

D = Decimal


def make_customer(business, name="Atelier Nour", **fields) -> Customer:
    defaults = {
        "is_company": True,
        "email": "compta@atelier-nour.test",
        "address": "12 rue des Tanneurs\n1000 Bruxelles",
        "tax_id": "BE0123456789",
        "phone": "+3225550101",
    }
    defaults.update(fields)
    return Customer.objects.create(
        business=business, name=name, search_text=name.lower(), **defaults
    )


@transaction.atomic
def make_delivered_order(
    till: Till, customer: Customer, *items, status=OrderStatus.DELIVERED, shipped=None
) -> CustomerOrder:
    """An order of `items` (key or product, quantity[, discount]) shipped in full and delivered.

    `shipped` maps an item index to the quantity actually shipped (short shipments).
    """
    business = till.business
    currency = business.currency
    order = CustomerOrder.objects.create(
        business=business,
        customer=customer,
        number=next_number(business=business, key="customer_order"),
        status=status,
        location=till.location,
        shipping_address=customer.address,
        delivered_at=clock.now() if status == OrderStatus.DELIVERED else None,
    )
    total = tax_total = discount_total = D(0)
    for i, item in enumerate(items):
        product, qty = item[0], D(str(item[1]))
        discount = D(str(item[2])) if len(item) > 2 else D(0)
        if isinstance(product, str):
            product = till[product]
        line_total = quantize(product.sale_price * qty - discount, currency)
        tax = tax_inside(line_total, product.tax_rate, currency)
        sent = D(str((shipped or {}).get(i, qty)))
        OrderLine.objects.create(
            business=business,
            order=order,
            position=i + 1,
            product=product,
            name=product.name,
            sku=product.sku,
            quantity=qty,
            unit_price=product.sale_price,
            discount=discount,
            tax_rate=product.tax_rate,
            total=line_total,
            tax_amount=tax,
            shipped_quantity=sent if status == OrderStatus.DELIVERED else D(0),
        )
        total += line_total
        tax_total += tax
        discount_total += discount
    CustomerOrder.objects.filter(pk=order.pk).update(
        total=total, tax_total=tax_total, discount_total=discount_total
    )
    order.refresh_from_db()
    return order


BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it, without the bidi marks it adds
    around right-to-left runs (Arabic comes out in logical order)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", f.name, "-"],
            check=True,
            capture_output=True,
        )
    return out.stdout.decode("utf-8").translate(BIDI_MARKS)


def pdf_info(pdf: bytes) -> dict[str, str]:
    """poppler's pdfinfo fields (Pages, Page size …)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True)
    info = {}
    for row in out.stdout.decode("utf-8", "replace").splitlines():
        key, _sep, value = row.partition(":")
        info[key.strip()] = value.strip()
    return info
