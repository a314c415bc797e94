"""A customer attached to a ticket at the register: found by phone or card, checked to be
an active customer of the same business, kept on the sale and its returns, and earning
(then giving back) loyalty points through the sale events. Refusals write nothing."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from escpos.printer import Dummy

from hanout.core import events
from hanout.core.errors import Conflict, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.customers import services as customers
from hanout.customers.models import Customer, LoyaltyEntry
from hanout.customers.tests.crm_support import loyalty_on, make_customer
from hanout.pos import services, tickets
from hanout.pos.models import Payment, Sale, SaleLine
from hanout.pos.tests.factories import make_till, open_session, sell
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

D = Decimal
SALES = "/api/v1/sales/"


@pytest.fixture
def till(owner):
    till = make_till(owner, quantity="100")
    open_session(till)
    return till


@pytest.fixture
def client_of(till):
    return make_customer(till.owner, "Amina Tazi", phone="+212612345678", card_code="FID-0042")


def written():
    return (
        Sale.objects.count(),
        SaleLine.objects.count(),
        Payment.objects.count(),
        AuditEntry.objects.filter(action="sale.complete").count(),
    )


def test_a_ticket_sold_to_a_customer_is_theirs_and_earns_their_points(
    till, client_of, django_capture_on_commit_callbacks
):
    loyalty_on(till.owner, step="1", points=1)
    seen = []
    events.subscribe("sale.completed")(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sale = sell(till, ("chocolat", 2), customer=client_of)
    finally:
        events._subscribers["sale.completed"].remove(seen.append)

    sale.refresh_from_db()
    assert sale.customer_id == client_of.pk
    audit = AuditEntry.objects.get(action="sale.complete", object_id=str(sale.pk))
    assert audit.changes == {"customer": [None, str(client_of.pk)]}
    assert seen[-1].payload["customer"] == str(client_of.pk)
    client_of.refresh_from_db()
    assert client_of.loyalty_points == 7  # 7.00 spent, 1 point per 1.00
    assert LoyaltyEntry.objects.get(sale=sale).points == 7


def test_a_ticket_without_a_customer_says_so_in_its_event(till, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe("sale.completed")(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sale = sell(till, "croissant")
    finally:
        events._subscribers["sale.completed"].remove(seen.append)
    assert sale.customer_id is None
    assert seen[-1].payload["customer"] is None
    assert AuditEntry.objects.get(action="sale.complete", object_id=str(sale.pk)).changes == {}


def test_the_customer_can_be_named_by_id(till, client_of):
    sale = sell(till, "croissant", customer=str(client_of.pk))
    assert Sale.objects.get(pk=sale.pk).customer_id == client_of.pk


def test_another_business_customer_is_refused_and_nothing_is_written(till, client_of):
    other = make_till()
    stranger = make_customer(other.owner, "Not yours")
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        sell(till, "croissant", customer=stranger)
    assert "customer" in caught.value.fields
    assert "not found" in str(caught.value.message).lower()
    assert written() == before


def test_an_unknown_or_malformed_customer_id_is_refused(till):
    before = written()
    for bad in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(ValidationFailed) as caught:
            sell(till, "croissant", customer=bad)
        assert "customer" in caught.value.fields
    assert written() == before


def test_an_inactive_customer_is_refused_by_name(till, client_of):
    customers.customer_set_active(customer=client_of, actor=till.user, active=False)
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        sell(till, "croissant", customer=client_of)
    assert caught.value.fields["customer"] == ["Amina Tazi is no longer an active customer."]
    assert written() == before


def test_a_replay_with_another_customer_is_a_conflict(till, client_of):
    other = make_customer(till.owner, "Youssef")
    key = uuid.uuid4()
    first = sell(till, "croissant", client_uuid=key, customer=client_of)
    again = sell(till, "croissant", client_uuid=key, customer=client_of)
    assert again.pk == first.pk and again.replayed
    for changed in (other, None):
        with pytest.raises(Conflict):
            sell(till, "croissant", client_uuid=key, customer=changed)
    assert Sale.objects.count() == 1
    assert Sale.objects.get(pk=first.pk).customer_id == client_of.pk


def test_a_sale_without_customer_cannot_be_replayed_with_one(till, client_of):
    key = uuid.uuid4()
    sell(till, "croissant", client_uuid=key)
    assert sell(till, "croissant", client_uuid=key).replayed
    with pytest.raises(Conflict):
        sell(till, "croissant", client_uuid=key, customer=client_of)


def test_a_return_is_the_customer_s_and_takes_their_points_back(
    till, client_of, django_capture_on_commit_callbacks
):
    loyalty_on(till.owner, step="1", points=1)
    with django_capture_on_commit_callbacks(execute=True):
        sale = sell(till, ("chocolat", 4), customer=client_of)
    client_of.refresh_from_db()
    assert client_of.loyalty_points == 14
    line = sale.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        ret = services.sale_return(
            sale=sale,
            actor=till.user,
            client_uuid=uuid.uuid4(),
            lines=[(line, D(2))],
            refund_method="cash",
            reason="Melted",
        )
    assert Sale.objects.get(pk=ret.pk).customer_id == client_of.pk
    client_of.refresh_from_db()
    assert client_of.loyalty_points == 7
    assert LoyaltyEntry.objects.get(sale=ret).points == -7


def test_the_ticket_names_the_customer(till, client_of):
    sale = sell(till, "croissant", customer=client_of)
    ticket = tickets.ticket_data(Sale.objects.get(pk=sale.pk))
    assert ticket.customer_name == "Amina Tazi"
    assert "Amina Tazi" in ticket.texts()
    assert b"Customer: Amina Tazi" in tickets.print_ticket(sale, Dummy()).output
    html = render_to_string("pos/ticket.html", {"ticket": ticket})
    assert "ticket-customer" in html and "Amina Tazi" in html
    anonymous = tickets.ticket_data(Sale.objects.get(pk=sell(till, "croissant").pk))
    assert anonymous.customer_name == ""


# --- the API the till and the offline queue use ------------------------------------------------


def body(till, **extra):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "register": str(till.register.pk),
        "lines": [{"product": str(till["cafe"].pk), "quantity": "1"}],
        "payments": [{"method": "cash", "tendered": "5.00"}],
    }
    data.update(extra)
    return data


def test_the_api_attaches_the_customer_and_answers_it(till, client_of):
    api = api_client_for(till.owner)
    data = body(till, customer=str(client_of.pk), offline=True)
    response = api.post(SALES, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["customer"] == str(client_of.pk)
    assert Sale.objects.get(pk=response.json()["id"]).customer_id == client_of.pk
    # The offline queue sends it again: the first sale, once.
    again = api.post(SALES, data, format="json")
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    other = make_customer(till.owner, "Youssef")
    conflict = api.post(SALES, {**data, "customer": str(other.pk)}, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_conflict"
    assert Sale.objects.count() == 1


def test_the_api_refuses_another_business_customer_with_a_field_error(till):
    stranger = make_customer(make_till().owner, "Not yours")
    api = api_client_for(till.owner)
    before = written()
    response = api.post(SALES, body(till, customer=str(stranger.pk)), format="json")
    assert response.status_code == 400, response.content
    err = response.json()["error"]
    assert "customer" in err["fields"]
    assert "Not yours" not in str(err)
    assert written() == before


def test_the_api_without_customer_still_sells(till):
    response = api_client_for(till.owner).post(SALES, body(till, customer=None), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["customer"] is None
    assert not Customer.objects.exists()


# --- the till's configuration ------------------------------------------------------------------


def _config_for(membership, till):
    from django.test import RequestFactory

    from hanout.pos.views_register import till_config

    request = RequestFactory().get("/pos/till/")
    request.user = membership.user
    session = till.register.sessions.get(status="open")
    return till_config(request, register=till.register, session=session, membership=membership)


def test_a_cashier_can_look_customers_up_at_the_till(till):
    from hanout.core.permissions import Role
    from tests.factories import make_member

    cashier = make_member(till.owner, role=Role.CASHIER)
    config = _config_for(cashier, till)
    assert config["api"]["customer_lookup"] == "/api/v1/customers/lookup/"
    assert config["trust_levels"]["high"] == "High"


def test_without_access_to_customers_the_till_offers_no_lookup(till):
    from hanout.accounts.services import module_access_set
    from hanout.core.permissions import Module, Role
    from tests.factories import make_member

    cashier = make_member(till.owner, role=Role.CASHIER)
    module_access_set(
        actor_membership=till.owner, membership=cashier, levels={Module.CUSTOMERS: "none"}
    )
    cashier.refresh_from_db()
    assert _config_for(cashier, till)["api"]["customer_lookup"] == ""
