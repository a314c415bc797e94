"""The purchase-order pages with Django's test client: list and filters, exports,
drafting, editing lines, sending, receiving (with the error beside the line),
closing, the PDF, another tenant (404), read-only people, constant queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from hanout.core.permissions import Role
from hanout.purchasing.models import POStatus, PurchaseOrder, PurchaseReceipt
from hanout.purchasing.tests.po_support import D, level_of, purchase_shop
from tests.factories import make_member
from tests.fixtures import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return purchase_shop(n_products=2)


@pytest.fixture
def web(client, shop):
    return login(client, shop.membership)


def test_drafting_editing_sending_and_receiving_through_the_pages(web, shop):
    a, b = shop.products
    r = web.post(
        reverse("po_create"),
        {"supplier": str(shop.supplier.pk), "location": str(shop.floor.pk), "note": "Side door"},
    )
    order = PurchaseOrder.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("po_detail", args=[order.pk])

    page = web.get(reverse("po_detail", args=[order.pk])).content.decode()
    assert f'name="qty_{a.pk}"' in page and "MILL-1" in page  # the supplier's catalog

    r = web.post(
        reverse("po_lines_save", args=[order.pk]),
        {f"qty_{a.pk}": "12", f"cost_{a.pk}": "2,10", f"qty_{b.pk}": "", f"cost_{b.pk}": "3.00"},
    )
    assert r.status_code == 302
    line = order.lines.get()
    assert (line.product_id, line.quantity, line.unit_cost) == (a.pk, D(12), D("2.10"))

    r = web.post(reverse("po_lines_save", args=[order.pk]), {f"qty_{a.pk}": "-3"})
    assert r.status_code == 400
    assert "Order a positive quantity" in r.content.decode()
    assert order.lines.get().quantity == D(12)

    r = web.post(reverse("po_send", args=[order.pk]), {"email": "", "notify": ""})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == POStatus.SENT

    url = reverse("po_receive", args=[order.pk])
    form = web.get(url).content.decode()
    assert f'name="qty_{line.pk}"' in form and 'value="12"' in form  # remaining proposed

    r = web.post(url, {f"qty_{line.pk}": "15", "location": str(shop.back.pk)})
    assert r.status_code == 400
    text = r.content.decode()
    assert "only 12 still expected" in text and "is-invalid" in text
    assert not PurchaseReceipt.objects.exists()

    r = web.post(
        url, {f"qty_{line.pk}": "7", "location": str(shop.back.pk), "delivery_note": "BL9"}
    )
    assert r.status_code == 302
    assert level_of(a, shop.back) == D(7)
    order.refresh_from_db()
    assert order.status == POStatus.PARTIAL

    detail = web.get(reverse("po_detail", args=[order.pk])).content.decode()
    assert "BL9" in detail and "7 of 12 received" in detail

    r = web.post(reverse("po_close", args=[order.pk]))
    order.refresh_from_db()
    assert r.status_code == 302 and order.status == POStatus.CLOSED


def test_send_without_address_shows_the_error_beside_the_field(web, shop):
    from hanout.suppliers import services as supplier_services

    supplier_services.supplier_update(supplier=shop.supplier, actor=shop.actor, data={"email": ""})
    order = shop.draft()
    r = web.post(reverse("po_send", args=[order.pk]), {"email": "", "notify": "on"})
    assert r.status_code == 400
    assert "Enter a valid email address" in r.content.decode()
    order.refresh_from_db()
    assert order.status == POStatus.DRAFT


def test_the_pdf_page(web, shop):
    order = shop.draft()
    r = web.get(reverse("po_pdf", args=[order.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_restock_page_drafts_an_order_for_the_chosen_supplier(web, shop):
    from hanout.inventory import services as inventory
    from hanout.inventory.models import MovementReason

    a = shop.products[0]
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(5), D(1))],
        reason=MovementReason.RECEIPT,
    )
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(-5))],
        reason=MovementReason.SALE,
    )
    page = web.get(reverse("po_restock")).content.decode()
    assert shop.supplier.name in page and a.name in page
    r = web.post(reverse("po_restock"), {"supplier": str(shop.supplier.pk)})
    order = PurchaseOrder.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("po_detail", args=[order.pk])
    assert order.lines.get().product_id == a.pk


def test_exports_follow_the_filters(web, shop):
    from openpyxl import load_workbook

    sent = shop.sent([3, 4])
    shop.draft([1, 1])
    r = web.get(reverse("po_export"), {"status": "sent", "format": "csv"})
    assert r.status_code == 200
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    rows = [row for row in text.splitlines() if row]
    assert rows[0].startswith("number,status,supplier")
    assert len(rows) == 3 and all(sent.reference in row for row in rows[1:])

    r = web.get(reverse("po_export"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    sheet = book.active
    values = list(sheet.values)
    assert values[0][0] == "number" and len(values) == 5  # header + 2 POs × 2 lines
    assert {row[11] for row in values[1:]} == {3, 4, 1}


def test_list_filters_and_search(web, shop):
    sent = shop.sent()
    draft = shop.draft()
    page = web.get(reverse("po_list"), {"status": "sent"}).content.decode()
    assert sent.reference in page and draft.reference not in page
    page = web.get(reverse("po_list"), {"q": str(draft.number)}).content.decode()
    assert draft.reference in page and sent.reference not in page
    r = web.get(reverse("po_list"), {"date_from": "not a date"})
    assert r.status_code == 200  # a bad filter is ignored, not a 500


def test_another_tenants_order_is_404(web, shop):
    other = purchase_shop("Other Grocer", n_products=1)
    theirs = other.sent([1])
    for name in ("po_detail", "po_receive", "po_pdf"):
        assert web.get(reverse(name, args=[theirs.pk])).status_code == 404
    for name in ("po_send", "po_close", "po_cancel", "po_lines_save", "po_update"):
        assert web.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == POStatus.SENT


def test_read_only_people_see_no_buttons_and_cannot_post(client, shop):
    from hanout.accounts.services import module_access_set

    viewer = make_member(shop.membership, role=Role.STAFF)
    module_access_set(
        actor_membership=shop.membership, membership=viewer, levels={"purchasing": "read"}
    )
    login(client, viewer)
    order = shop.draft()
    r = client.get(reverse("po_detail", args=[order.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Send the order" not in page and "Cancel the order" not in page
    assert client.get(reverse("po_create")).status_code == 403
    assert client.post(reverse("po_cancel", args=[order.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status == POStatus.DRAFT


def test_list_page_queries_do_not_grow_with_rows(web, shop, django_assert_max_num_queries):
    while PurchaseOrder.objects.count() < 2:
        shop.sent()
    with django_assert_max_num_queries(30) as small:
        web.get(reverse("po_list"))
    while PurchaseOrder.objects.count() < 20:
        shop.sent()
    with django_assert_max_num_queries(len(small.captured_queries)):
        web.get(reverse("po_list"))


def test_detail_page_queries_do_not_grow_with_deliveries(web, shop, django_assert_max_num_queries):
    order = shop.sent([50, 50])
    shop.receive(order, {shop.products[0]: 1})
    with django_assert_max_num_queries(40) as small:
        web.get(reverse("po_detail", args=[order.pk]))
    for _ in range(10):
        shop.receive(order, {shop.products[0]: 1, shop.products[1]: 1})
    with django_assert_max_num_queries(len(small.captured_queries)):
        web.get(reverse("po_detail", args=[order.pk]))
