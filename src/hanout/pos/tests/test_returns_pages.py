"""Returns at the register, through the pages: the return form of a ticket, its errors
beside the fields, a double submit recording once, who may return, and finding a
ticket by scanning its number."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.accounts import services as accounts
from hanout.core.models import AuditEntry
from hanout.core.permissions import Level, Module, Role
from hanout.inventory.models import StockLevel, StockMovement
from hanout.pos.models import CashSession, Payment, Sale, SaleLine
from hanout.pos.tests.factories import make_register, make_till, open_session, sell
from tests.factories import make_member
from tests.fixtures import login

pytestmark = pytest.mark.django_db

D = Decimal
UUID_FIELD = re.compile(r'name="client_uuid" value="([0-9a-f-]{36})"')


@pytest.fixture
def till(owner):
    return make_till(owner)


@pytest.fixture
def session(till):
    return open_session(till)


@pytest.fixture
def ticket(till, session):
    """Chocolat noir × 3 (10.50) + croissant (1.00), paid 20.00 in cash: ticket 000001."""
    return sell(till, ("chocolat", 3), "croissant", cash="20.00")


def return_url(sale) -> str:
    return reverse("pos_sale_return", args=[sale.pk])


def level(till, key) -> Decimal:
    return StockLevel.objects.get(product=till[key], location=till.location).quantity


def lines_of(sale) -> tuple[SaleLine, SaleLine]:
    choc, croissant = sale.lines.order_by("position")
    return choc, croissant


def form_uuid(client, sale) -> str:
    response = client.get(return_url(sale))
    assert response.status_code == 200
    return UUID_FIELD.search(response.content.decode()).group(1)


def post_return(client, sale, client_uuid, *, quantities=None, **extra):
    data = {
        "client_uuid": client_uuid,
        "refund_method": "cash",
        "reason": "Melted",
        "restock": "on",
        **{f"qty_{line.pk}": str(q) for line, q in (quantities or {}).items()},
        **extra,
    }
    return client.post(return_url(sale), data)


def snapshot(till):
    return (
        Sale.objects.count(),
        SaleLine.objects.count(),
        Payment.objects.count(),
        StockMovement.objects.count(),
        list(SaleLine.objects.order_by("pk").values_list("returned_quantity", flat=True)),
        list(StockLevel.objects.order_by("pk").values_list("quantity", flat=True)),
        list(CashSession.objects.values_list("cash_refunds", "returns_count")),
    )


def test_the_return_form_lists_the_product_lines_with_what_can_still_come_back(
    client, owner, till, ticket
):
    login(client, owner)
    choc, croissant = lines_of(ticket)
    response = client.get(return_url(ticket))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chocolat noir" in html and "Croissant" in html
    assert f'name="qty_{choc.pk}" value="0"' in html
    assert f'name="qty_{croissant.pk}" value="0"' in html
    assert 'value="original"' in html and 'value="cash"' in html
    assert re.search(r'name="restock"[^>]*checked', html)
    assert UUID_FIELD.search(html)
    assert "<script>" not in html  # no inline script (CSP)


def test_returning_one_of_two_lines_in_cash_makes_a_return_and_puts_stock_back(
    client, owner, till, session, ticket
):
    login(client, owner)
    choc, croissant = lines_of(ticket)
    response = post_return(client, ticket, form_uuid(client, ticket), quantities={choc: 2})

    ret = Sale.objects.get(kind="return")
    assert response.status_code == 302
    assert response["Location"] == reverse("pos_sale_detail", args=[ret.pk])
    assert ret.ticket_number == "R000001" and ret.original_id == ticket.pk
    assert ret.reason == "Melted"
    back = ret.lines.get()
    assert (back.quantity, back.total, back.original_line_id) == (D("-2"), D("-7.00"), choc.pk)
    assert ret.total == D("-7.00")
    refund = ret.payments.get()
    assert (refund.method, refund.amount) == ("cash", D("-7.00"))
    choc.refresh_from_db()
    croissant.refresh_from_db()
    assert (choc.returned_quantity, croissant.returned_quantity) == (2, 0)
    assert level(till, "chocolat") == D("49")  # 50 − 3 sold + 2 back
    assert level(till, "croissant") == D("49")

    page = client.get(response["Location"])
    assert "R000001" in page.content.decode()
    # The original now shows 1 returnable chocolate.
    html = client.get(return_url(ticket)).content.decode()
    assert re.search(r">1</td>\s*<td class=\"text-end\">", html)


def test_returning_more_than_is_left_is_shown_beside_the_line_and_writes_nothing(
    client, owner, till, ticket
):
    login(client, owner)
    choc, _croissant = lines_of(ticket)
    before = snapshot(till)
    response = post_return(client, ticket, form_uuid(client, ticket), quantities={choc: 4})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_qty_{choc.pk}_error"' in html
    assert "Only 3 of “Chocolat noir” can still be returned." in html
    assert snapshot(till) == before


def test_missing_reason_and_no_line_are_refused(client, owner, till, ticket):
    login(client, owner)
    choc, _croissant = lines_of(ticket)
    before = snapshot(till)
    uuid_ = form_uuid(client, ticket)
    html = post_return(client, ticket, uuid_, quantities={choc: 1}, reason="").content.decode()
    assert 'id="id_reason_error"' in html and "Say why the customer brings it back." in html
    html = post_return(client, ticket, uuid_, quantities={choc: 0}).content.decode()
    assert "Choose at least one line to return." in html
    html = post_return(client, ticket, uuid_, quantities={choc: -1}).content.decode()
    assert f'id="id_qty_{choc.pk}_error"' in html
    assert snapshot(till) == before


def test_a_double_submit_records_one_return(client, owner, till, ticket):
    login(client, owner)
    choc, croissant = lines_of(ticket)
    uuid_ = form_uuid(client, ticket)
    first = post_return(client, ticket, uuid_, quantities={choc: 3, croissant: 1})
    second = post_return(client, ticket, uuid_, quantities={choc: 3, croissant: 1})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Sale.objects.filter(kind="return").count() == 1
    assert level(till, "chocolat") == D("50")
    assert StockMovement.objects.filter(reason="return").count() == 2


def test_a_return_needs_an_open_session_on_the_register(client, owner, till, session, ticket):
    login(client, owner)
    choc, _croissant = lines_of(ticket)
    CashSession.objects.filter(pk=session.pk).update(status="closed")
    before = snapshot(till)
    response = post_return(client, ticket, form_uuid(client, ticket), quantities={choc: 1})
    assert response.status_code == 400
    assert "No cash session is open on this register" in response.content.decode()
    assert snapshot(till) == before


def test_a_member_without_full_register_access_cannot_return(client, owner, till, ticket):
    cashier = make_member(owner, role=Role.CASHIER)
    accounts.module_access_set(
        actor_membership=owner, membership=cashier, levels={Module.REGISTER: Level.READ}
    )
    login(client, cashier)
    choc, _croissant = lines_of(ticket)
    detail = client.get(reverse("pos_sale_detail", args=[ticket.pk]))
    assert detail.status_code == 200
    assert return_url(ticket) not in detail.content.decode()
    assert client.get(return_url(ticket)).status_code == 403
    before = snapshot(till)
    response = post_return(
        client, ticket, "8d2f9c1e-0c1a-4a57-9a51-2b3f4c5d6e7f", quantities={choc: 1}
    )
    assert response.status_code == 403
    assert snapshot(till) == before


def test_a_cashier_with_full_register_access_sees_the_button(client, owner, ticket):
    login(client, make_member(owner, role=Role.CASHIER))
    html = client.get(reverse("pos_sale_detail", args=[ticket.pk])).content.decode()
    assert return_url(ticket) in html and "Return items" in html


def test_another_business_sale_is_not_found(client, other_owner, till, ticket):
    login(client, other_owner)
    assert client.get(return_url(ticket)).status_code == 404
    choc, _croissant = lines_of(ticket)
    before = snapshot(till)
    response = post_return(
        client, ticket, "8d2f9c1e-0c1a-4a57-9a51-2b3f4c5d6e7f", quantities={choc: 1}
    )
    assert response.status_code == 404
    assert snapshot(till) == before


def test_a_return_cannot_be_returned_and_has_no_return_button(client, owner, till, ticket):
    login(client, owner)
    choc, _croissant = lines_of(ticket)
    post_return(client, ticket, form_uuid(client, ticket), quantities={choc: 1})
    ret = Sale.objects.get(kind="return")

    detail = client.get(reverse("pos_sale_detail", args=[ret.pk])).content.decode()
    assert return_url(ret) not in detail and "Return items" not in detail
    response = client.get(return_url(ret))
    assert response.status_code == 200
    assert "A return cannot itself be returned." in response.content.decode()
    assert 'name="client_uuid"' not in response.content.decode()
    before = snapshot(till)
    response = client.post(return_url(ret), {"reason": "x", "refund_method": "cash"})
    assert response.status_code == 400
    assert snapshot(till) == before


def test_scanning_a_ticket_number_opens_the_ticket(client, owner, till, session, ticket):
    login(client, owner)
    second = sell(till, "croissant")
    detail = reverse("pos_sale_detail", args=[second.pk])
    sales = reverse("pos_sales")

    response = client.get(sales, {"q": "000002"})
    assert response.status_code == 302 and response["Location"] == detail
    # htmx (the filter form) is sent to the ticket page rather than swapping it in.
    response = client.get(sales, {"q": " 000002 "}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == detail
    # No match, or not a ticket number: the list as usual, search box focused.
    response = client.get(sales, {"q": "000099"})
    assert response.status_code == 200
    assert re.search(r'name="q"[^>]*autofocus', response.content.decode())
    assert client.get(sales, {"q": "abc"}).status_code == 200
    # Digits to str.isdigit() that are not ASCII ("²", Arabic-Indic) are not a number.
    assert client.get(sales, {"q": "²"}).status_code == 200
    assert client.get(sales, {"q": "R²"}).status_code == 200
    assert client.get(sales).status_code == 200


def test_scanning_a_return_number_opens_the_return(client, owner, till, ticket):
    login(client, owner)
    choc, _croissant = lines_of(ticket)
    post_return(client, ticket, form_uuid(client, ticket), quantities={choc: 1})
    ret = Sale.objects.get(kind="return")
    response = client.get(reverse("pos_sales"), {"q": "r000001"})
    assert response["Location"] == reverse("pos_sale_detail", args=[ret.pk])
    # "000001" is the sale, not the return with the same number.
    response = client.get(reverse("pos_sales"), {"q": "000001"})
    assert response["Location"] == reverse("pos_sale_detail", args=[ticket.pk])


def test_the_same_number_on_two_registers_shows_the_list_unless_a_register_is_picked(
    client, owner, till, ticket
):
    other = make_register(owner, "Caisse 2", location=till.location)
    open_session(other, owner.user)
    elsewhere = sell(till, "croissant", register=other)
    login(client, owner)
    response = client.get(reverse("pos_sales"), {"q": "000001"})
    assert response.status_code == 200
    # Picking the register says which ticket 000001 is meant.
    response = client.get(reverse("pos_sales"), {"q": "000001", "register": str(other.pk)})
    assert response["Location"] == reverse("pos_sale_detail", args=[elsewhere.pk])


def test_another_business_ticket_number_is_not_opened(client, other_owner, ticket):
    login(client, other_owner)
    response = client.get(reverse("pos_sales"), {"q": "000001"})
    assert response.status_code == 200
    assert reverse("pos_sale_detail", args=[ticket.pk]) not in response.content.decode()


def test_the_return_is_audited(client, owner, ticket):
    login(client, owner)
    choc, _croissant = lines_of(ticket)
    before = AuditEntry.objects.count()
    post_return(client, ticket, form_uuid(client, ticket), quantities={choc: 1})
    assert AuditEntry.objects.count() > before
