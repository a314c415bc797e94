"""The paper trail end to end, through the REST API only, as an integrator drives it.

Buy from a supplier, receive, sell to a company customer by order in two
shipments, invoice the delivered order, take one unit back with a credit note —
and at every step the stock ledger, the reservations, the average cost, the
document numbers and the totals are exactly what a bookkeeper would write by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest

from hanout.inventory.models import StockLevel
from hanout.inventory.tests.stockdata import ledger_sum
from hanout.purchasing.tests.po_support import purchase_shop
from hanout.sales.models import CustomerReturn, Invoice
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db
D = Decimal


def _level(product, location) -> StockLevel:
    return StockLevel.objects.get(product=product, location=location)


@pytest.fixture
def trail():
    shop = purchase_shop("Paper Trail Bakery", n_products=2)
    flour, sugar = shop.products
    flour.sale_price, flour.tax_rate = D("12.00"), D("21")
    flour.save(update_fields=["sale_price", "tax_rate"])
    sugar.sale_price, sugar.tax_rate = D("5.50"), D("6")
    sugar.save(update_fields=["sale_price", "tax_rate"])
    return shop


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_buy_receive_sell_invoice_and_take_back(trail):
    api = api_client_for(trail.membership)
    flour, sugar = trail.products
    floor = trail.floor

    # 1. A purchase order to the mill, sent by phone, received in full.
    po = _ok(
        api.post(
            "/api/v1/purchase-orders/",
            {
                "supplier": str(trail.supplier.pk),
                "location": str(floor.pk),
                "lines": [
                    {"product": str(flour.pk), "quantity": "10", "unit_cost": "4.00"},
                    {"product": str(sugar.pk), "quantity": "20", "unit_cost": "2.00"},
                ],
            },
            format="json",
        ),
        201,
    )
    _ok(api.post(f"/api/v1/purchase-orders/{po['id']}/send/", {"notify": False}, format="json"))
    lines = {line["product"]: line["id"] for line in po["lines"]}
    received = _ok(
        api.post(
            f"/api/v1/purchase-orders/{po['id']}/receive/",
            {
                "lines": [
                    {"line": lines[str(flour.pk)], "quantity": "10"},
                    {"line": lines[str(sugar.pk)], "quantity": "20"},
                ]
            },
            format="json",
        ),
        201,
    )
    assert received["status"] == "received"
    assert (_level(flour, floor).quantity, _level(sugar, floor).quantity) == (D(10), D(20))
    flour.refresh_from_db()
    assert flour.cost == D("4.00")  # nothing was on hand: the average is the delivery's cost

    # 2. A company customer orders 3 flour and 4 sugar; confirming reserves them.
    customer = _ok(
        api.post(
            "/api/v1/customers/",
            {
                "name": "Atelier Nour",
                "is_company": True,
                "email": "compta@nour.example",
                "tax_id": "BE0123456789",
            },
            format="json",
        ),
        201,
    )
    order = _ok(
        api.post(
            "/api/v1/orders/",
            {
                "customer": customer["id"],
                "location": str(floor.pk),
                "lines": [
                    {"product": str(flour.pk), "quantity": "3"},
                    {"product": str(sugar.pk), "quantity": "4"},
                ],
            },
            format="json",
        ),
        201,
    )
    assert D(order["total"]) == D("58.00")  # 3 × 12.00 + 4 × 5.50, tax included
    _ok(api.post(f"/api/v1/orders/{order['id']}/confirm/", {}, format="json"))
    assert _level(flour, floor).reserved == D(3) and _level(sugar, floor).reserved == D(4)

    # 3. Two shipments: 2 flour first, then everything that is left.
    order_lines = {line["product"]: line["id"] for line in order["lines"]}
    _ok(
        api.post(
            f"/api/v1/orders/{order['id']}/ship/",
            {"lines": [{"line": order_lines[str(flour.pk)], "quantity": "2"}]},
            format="json",
        ),
        201,
    )
    flour_level = _level(flour, floor)
    assert (flour_level.quantity, flour_level.reserved) == (D(8), D(1))
    _ok(api.post(f"/api/v1/orders/{order['id']}/ship/", {}, format="json"), 201)
    delivered = _ok(api.post(f"/api/v1/orders/{order['id']}/deliver/", {}, format="json"))
    assert delivered["status"] == "delivered"
    assert [h["to_status"] for h in delivered["history"]][-4:] == [
        "confirmed",
        "partial",
        "shipped",
        "delivered",
    ]
    assert (_level(flour, floor).quantity, _level(flour, floor).reserved) == (D(7), D(0))
    assert (_level(sugar, floor).quantity, _level(sugar, floor).reserved) == (D(16), D(0))

    # 4. The invoice: first of the year, tax per rate rounded once per line.
    invoice = _ok(api.post("/api/v1/invoices/", {"order": order["id"]}, format="json"), 201)
    year = Invoice.objects.get(pk=invoice["id"]).year
    assert invoice["reference"] == f"{year}-0001"
    assert D(invoice["total"]) == D("58.00")
    taxes = {D(t["rate"]): D(t["tax"]) for t in invoice["taxes"]}
    assert taxes == {D("6"): D("1.25"), D("21"): D("6.25")}  # 22×6/106, 36×21/121
    assert D(invoice["tax_total"]) == D("7.50")
    assert invoice["buyer"]["tax_id"] == "BE0123456789"

    if shutil.which("pdftotext"):
        pdf = api.get(f"/api/v1/invoices/{invoice['id']}/pdf/", HTTP_ACCEPT="application/pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert f"{year}-0001" in text and "Atelier Nour" in text

    # 5. One flour comes back broken: refunded by bank, back to stock, credited.
    shipped_flour = order_lines[str(flour.pk)]
    too_many = api.post(
        "/api/v1/returns/",
        {
            "order": order["id"],
            "lines": [{"line": shipped_flour, "quantity": "4", "disposition": "restock"}],
            "reason": "Broken bag",
            "refund_method": "bank",
        },
        format="json",
    )
    assert too_many.status_code == 400, too_many.content
    assert CustomerReturn.objects.count() == 0

    ret = _ok(
        api.post(
            "/api/v1/returns/",
            {
                "order": order["id"],
                "lines": [{"line": shipped_flour, "quantity": "1", "disposition": "restock"}],
                "reason": "Broken bag",
                "refund_method": "bank",
            },
            format="json",
        ),
        201,
    )
    assert D(ret["refund_amount"]) == D("12.00")
    assert _level(flour, floor).quantity == D(8)
    credit = Invoice.objects.get(return_record_id=ret["id"])
    assert credit.reference == f"AV-{year}-0001"
    assert (
        credit.credited_invoice_id is not None and str(credit.credited_invoice_id) == invoice["id"]
    )
    assert credit.total == D("12.00") and credit.tax_total == D("2.08")  # 12 × 21 / 121

    # The ledger explains every level.
    for product in (flour, sugar):
        level = _level(product, floor)
        assert level.quantity == ledger_sum(product, floor)
