"""The return pages: find the order or ticket, record a return, errors beside their field,
the list with filters and exports, the detail, permissions, tenants and query counts."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.core.permissions import Role
from hanout.sales.models import CustomerReturn, OrderStatus
from hanout.sales.tests.returns_support import (
    level,
    make_customer,
    make_shipped_order,
    make_till,
    open_session,
    order_lines,
    sale_lines,
    sell,
    take_back,
)
from tests.factories import make_business, make_member
from tests.fixtures import login

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    till = make_till(make_business("Kaching Pages"))
    open_session(till)
    return till


@pytest.fixture
def web(client, till):
    return login(client, till.owner)


def _post(web, till, source_param, data):
    url = reverse("return_create") + "?" + source_param
    body = {
        "_business": str(till.business.pk),
        "client_uuid": str(uuid.uuid4()),
        "reason": "Wrong size",
        "refund_method": "cash",
        "location": str(till.location.pk),
        **data,
    }
    return web.post(url, body)


def test_finding_a_ticket_and_an_order_by_number(till, web):
    sale = sell(till, ("deo", 1))
    order = make_shipped_order(till, make_customer(till.business), ("cafe", 1))

    page = web.get(reverse("return_create"), {"q": sale.ticket_number})
    assert page.status_code == 200
    assert f"?sale={sale.pk}" in page.content.decode()

    page = web.get(reverse("return_create"), {"q": order.reference})
    assert f"?order={order.pk}" in page.content.decode()

    page = web.get(reverse("return_create"), {"q": "SO-999999"})
    assert "No order or ticket has this number." in page.content.decode()


def test_recording_a_ticket_return_from_the_page(till, web):
    sale = sell(till, ("deo", 2), ("cafe", 1))
    deo, cafe = sale_lines(sale)
    form = web.get(reverse("return_create"), {"sale": str(sale.pk)})
    assert form.status_code == 200
    html = form.content.decode()
    assert "Déodorant CienMEN" in html and f'name="qty_{deo.pk}"' in html
    stock = level(till, till["deo"])

    response = _post(
        web,
        till,
        f"sale={sale.pk}",
        {f"qty_{deo.pk}": "1", f"disp_{deo.pk}": "restock", f"qty_{cafe.pk}": "0"},
    )

    assert response.status_code == 302
    ret = CustomerReturn.objects.get(business=till.business)
    assert response["Location"] == reverse("return_detail", args=[ret.pk])
    assert level(till, till["deo"]) == stock + 1
    detail = web.get(response["Location"])
    html = detail.content.decode()
    assert "RT-000001" in html and "Déodorant CienMEN" in html
    assert ret.credit_note.reference in html


def test_recording_an_order_return_with_a_write_off(till, web):
    order = make_shipped_order(
        till, make_customer(till.business), ("pain", 3), status=OrderStatus.DELIVERED
    )
    (pain,) = order_lines(order)
    stock = level(till, till["pain"])

    response = _post(
        web,
        till,
        f"order={order.pk}",
        {f"qty_{pain.pk}": "2", f"disp_{pain.pk}": "write_off", "refund_method": "bank"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    ret = CustomerReturn.objects.get(business=till.business)
    assert ret.order == order and ret.refund_method == "bank"
    assert level(till, till["pain"]) == stock  # written off
    pain.refresh_from_db()
    assert pain.returned_quantity == D("2")


def test_too_many_is_shown_beside_the_line_and_nothing_is_recorded(till, web):
    sale = sell(till, ("deo", 1), ("cafe", 2))
    deo, cafe = sale_lines(sale)

    response = _post(web, till, f"sale={sale.pk}", {f"qty_{deo.pk}": "1", f"qty_{cafe.pk}": "5"})

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_qty_{cafe.pk}_error"' in html
    assert "Only 2 of “Café” can still be returned." in html
    assert not CustomerReturn.objects.filter(business=till.business).exists()


def test_no_quantity_and_no_reason_are_refused(till, web):
    sale = sell(till, ("deo", 1))
    (deo,) = sale_lines(sale)

    response = _post(web, till, f"sale={sale.pk}", {f"qty_{deo.pk}": "0", "reason": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why the goods come back." in html
    assert not CustomerReturn.objects.filter(business=till.business).exists()


def test_an_order_not_yet_shipped_is_refused_politely(till, web):
    order = make_shipped_order(
        till, make_customer(till.business), ("cafe", 1), status=OrderStatus.CONFIRMED
    )

    page = web.get(reverse("return_create"), {"order": str(order.pk)})
    assert page.status_code == 200
    assert 'id="return-refused"' in page.content.decode()


def test_a_double_submit_records_one_return(till, web):
    sale = sell(till, ("deo", 2))
    (deo,) = sale_lines(sale)
    body = {
        "_business": str(till.business.pk),
        "client_uuid": str(uuid.uuid4()),
        "reason": "x",
        "refund_method": "cash",
        "location": str(till.location.pk),
        f"qty_{deo.pk}": "1",
    }
    url = reverse("return_create") + f"?sale={sale.pk}"
    first, second = web.post(url, body), web.post(url, body)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CustomerReturn.objects.filter(business=till.business).count() == 1


def test_another_business_ticket_order_and_return_are_404(till, web):
    other = make_till(make_business("Alma7al Pages", currency="MAD"))
    open_session(other)
    their_sale = sell(other, ("deo", 1))
    (line,) = sale_lines(their_sale)
    their_return = take_back(other, sale=their_sale, lines=[(line, 1)])
    their_order = make_shipped_order(other, make_customer(other.business), ("cafe", 1))

    assert web.get(reverse("return_create"), {"sale": str(their_sale.pk)}).status_code == 404
    assert web.get(reverse("return_create"), {"order": str(their_order.pk)}).status_code == 404
    assert web.get(reverse("return_create"), {"sale": "not-a-uuid"}).status_code == 404
    assert web.get(reverse("return_detail", args=[their_return.pk])).status_code == 404
    page = web.get(reverse("return_create"), {"q": their_sale.ticket_number})
    assert str(their_sale.pk) not in page.content.decode()
    assert their_return.reference not in web.get(reverse("return_list")).content.decode()


def test_a_cashier_reads_returns_but_cannot_record_one(till, client):
    sale = sell(till, ("deo", 1))
    (deo,) = sale_lines(sale)
    ret = take_back(till, sale=sale, lines=[(deo, 1)])
    cashier = login(client, make_member(till.owner, role=Role.CASHIER))

    assert cashier.get(reverse("return_list")).status_code == 200
    page = cashier.get(reverse("return_detail", args=[ret.pk]))
    assert page.status_code == 200
    assert reverse("return_create") not in cashier.get(reverse("return_list")).content.decode()
    assert cashier.get(reverse("return_create"), {"sale": str(sale.pk)}).status_code == 403


def test_the_list_filters_and_exports(till, web):
    order = make_shipped_order(till, make_customer(till.business), ("cafe", 2))
    (cafe,) = order_lines(order)
    sale = sell(till, ("deo", 1))
    (deo,) = sale_lines(sale)
    take_back(till, order=order, lines=[(cafe, 1)], refund_method="bank")
    take_back(till, sale=sale, lines=[(deo, 1)], refund_method="cash")

    html = web.get(reverse("return_list")).content.decode()
    assert "RT-000001" in html and "RT-000002" in html
    html = web.get(reverse("return_list"), {"source": "order"}).content.decode()
    assert "RT-000001" in html and "RT-000002" not in html
    html = web.get(reverse("return_list"), {"refund_method": "cash"}).content.decode()
    assert "RT-000002" in html and "RT-000001" not in html
    partial = web.get(reverse("return_list"), {"q": "RT-000002"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "RT-000002" in partial.content.decode()

    csv_file = web.get(reverse("return_export"), {"file": "csv", "source": "sale"})
    assert csv_file.status_code == 200
    text = csv_file.content.decode("utf-8-sig")
    assert "RT-000002" in text and "RT-000001" not in text
    xlsx = web.get(reverse("return_export"), {"file": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert web.get(reverse("return_export"), {"file": "pdf"}).status_code == 404


def _returns(till, n):
    sale = sell(till, ("croissant", n))
    (line,) = sale_lines(sale)
    for _ in range(n):
        take_back(till, sale=sale, lines=[(line, 1)])


def test_the_list_page_costs_the_same_queries_at_2_and_20_returns(
    till, web, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _returns(till, 2)
    with CaptureQueriesContext(connection) as small:
        assert web.get(reverse("return_list")).status_code == 200
    _returns(till, 18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = web.get(reverse("return_list")).content.decode()
    assert "RT-000020" in html


def test_the_detail_page_costs_the_same_queries_at_2_and_20_lines(
    till, web, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hanout.pos.tests.factories import make_product, stock

    products = [make_product(till.business, f"Article {i}", price="2.00") for i in range(20)]
    for product in products:
        stock(till, product, 5)
    sale = sell(till, *[(p, 1) for p in products])
    lines = sale_lines(sale)
    small = take_back(till, sale=sale, lines=[(line, 1) for line in lines[:2]])
    big = take_back(till, sale=sale, lines=[(line, 1) for line in lines[2:]])

    with CaptureQueriesContext(connection) as measured:
        assert web.get(reverse("return_detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(measured.captured_queries)):
        assert web.get(reverse("return_detail", args=[big.pk])).status_code == 200
