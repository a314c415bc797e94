"""Paying (part of) a ticket with the customer's loyalty points: the value is the
rule's point value × points, the balance falls in the sale's own transaction, a
replay redeems once, refusals write nothing, and a return refunded by the original
method gives the points share back as points."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from escpos.printer import Dummy

from hanout.core.errors import ValidationFailed
from hanout.customers import services_loyalty
from hanout.customers.models import LoyaltyEntry, LoyaltyKind
from hanout.customers.tests.crm_support import loyalty_on, make_customer
from hanout.pos import selectors, services, tickets
from hanout.pos.models import Payment, PaymentMethod, Sale
from hanout.pos.services import PaymentInput
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
def amina(till):
    """A customer with 500 points; a point pays 0.05."""
    customer = make_customer(till.owner, "Amina Tazi", phone="+212612345678")
    loyalty_on(till.owner, step="10", points=1, value="0.05")
    services_loyalty.loyalty_adjust(
        customer=customer, actor=till.owner.user, points=500, reason="Welcome"
    )
    customer.refresh_from_db()
    return customer


def points(n, **kw):
    return PaymentInput(method="points", points=n, **kw)


def cash(amount):
    return PaymentInput(method="cash", tendered=D(amount))


def written():
    return (
        Sale.objects.count(),
        Payment.objects.count(),
        LoyaltyEntry.objects.filter(kind=LoyaltyKind.REDEEM).count(),
    )


def test_part_of_a_ticket_paid_with_points_lowers_the_balance_once(till, amina):
    # 2 × chocolat = 7.00: 120 points pay 6.00, cash the rest.
    sale = sell(till, ("chocolat", 2), customer=amina, payments=[points(120), cash("1.00")])
    sale.refresh_from_db()
    assert sale.paid_total == D("7.00") and sale.change_given == 0
    paid = {p.method: p for p in sale.payments.all()}
    assert paid["points"].amount == D("6.00") and paid["points"].points == 120
    assert paid["cash"].amount == D("1.00")
    amina.refresh_from_db()
    assert amina.loyalty_points == 380
    entry = LoyaltyEntry.objects.get(kind=LoyaltyKind.REDEEM)
    assert entry.points == -120 and entry.value == D("6.00")
    assert entry.reference == sale.ticket_number
    assert entry.client_uuid == uuid.uuid5(sale.client_uuid, "hanout.pos.points")


def test_points_are_not_cash_in_the_drawer_and_show_in_the_z_report(till, amina):
    session = till.register.sessions.get(status="open")
    before = selectors.session_summary(session=session)["expected_cash"]
    sell(till, ("chocolat", 2), customer=amina, payments=[points(120), cash("1.00")])
    session.refresh_from_db()
    summary = selectors.session_summary(session=session)
    assert summary["expected_cash"] == before + D("1.00")
    methods = {m["method"]: m for m in summary["by_method"]}
    assert methods["points"]["amount"] == D("6.00") and methods["points"]["count"] == 1
    assert sum(m["amount"] for m in summary["by_method"]) == D("7.00")


def test_the_ticket_shows_the_points_and_their_value(till, amina):
    sale = sell(till, ("chocolat", 2), customer=amina, payments=[points(120), cash("1.00")])
    ticket = tickets.ticket_data(Sale.objects.get(pk=sale.pk))
    line = next(p for p in ticket.payments if p.method == "points")
    assert line.label == "Points: 120 pts" and "6,00" in line.amount
    assert b"Points: 120 pts" in tickets.print_ticket(sale, Dummy()).output
    assert "Points: 120 pts" in render_to_string("pos/ticket.html", {"ticket": ticket})


def test_a_replay_does_not_redeem_twice(till, amina):
    key = uuid.uuid4()
    first = sell(
        till, ("chocolat", 2), customer=amina, client_uuid=key, payments=[points(120), cash("1.00")]
    )
    again = sell(
        till, ("chocolat", 2), customer=amina, client_uuid=key, payments=[points(120), cash("1.00")]
    )
    assert again.pk == first.pk and again.replayed
    amina.refresh_from_db()
    assert amina.loyalty_points == 380
    assert LoyaltyEntry.objects.filter(kind=LoyaltyKind.REDEEM).count() == 1


@pytest.mark.parametrize(
    "pays, message",
    [
        ([points(501)], "Not enough points: Amina Tazi has 500."),
        ([points(200)], "more than is left to pay"),  # 10.00 for a 7.00 ticket
        ([points(0), cash("7.00")], "above zero"),
        ([points(10), points(10), cash("7.00")], "only once"),
    ],
)
def test_bad_points_payments_are_refused_on_payments_and_write_nothing(till, amina, pays, message):
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        sell(till, ("chocolat", 2), customer=amina, payments=pays)
    assert "payments" in caught.value.fields
    assert message in caught.value.message
    assert written() == before
    amina.refresh_from_db()
    assert amina.loyalty_points == 500


def test_points_need_a_customer(till, amina):
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        sell(till, ("chocolat", 2), payments=[points(20), cash("6.00")])
    assert caught.value.fields["payments"] == [
        "Attach a customer to pay with their loyalty points."
    ]
    assert written() == before


def test_points_are_refused_when_the_programme_is_off(till, amina):
    services_loyalty.loyalty_rule_set(
        business=till.business, actor=till.owner.user, data={"enabled": False}
    )
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        sell(till, ("chocolat", 2), customer=amina, payments=[points(20), cash("6.00")])
    assert caught.value.fields["payments"] == ["The loyalty programme is switched off."]
    assert written() == before


def test_another_business_customer_cannot_pay_with_points(till, amina):
    other = make_till()
    stranger = make_customer(other.owner, "Not yours")
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        sell(till, ("chocolat", 2), customer=stranger, payments=[points(20), cash("6.00")])
    assert "customer" in caught.value.fields
    assert written() == before
    # Nor can this shop spend the points of its own customer at another business's till.
    open_session(other)
    with pytest.raises(ValidationFailed):
        sell(other, "croissant", customer=amina, payments=[points(20)])
    amina.refresh_from_db()
    assert amina.loyalty_points == 500


def test_a_return_by_original_method_gives_the_points_back_as_points(till, amina):
    sale = sell(till, ("chocolat", 2), customer=amina, payments=[points(120), cash("1.00")])
    line = sale.lines.get()
    # One of two (3.50) comes back: points first, 70 points (3.50 at 0.05).
    ret = services.sale_return(
        sale=sale,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(line, D(1))],
        refund_method="original",
        reason="Melted",
    )
    refunds = {p.method: p for p in ret.payments.all()}
    assert set(refunds) == {"points"}
    assert refunds["points"].amount == D("-3.50") and refunds["points"].points == 70
    amina.refresh_from_db()
    assert amina.loyalty_points == 380 + 70
    back = LoyaltyEntry.objects.get(sale=ret, kind=LoyaltyKind.ADJUST)
    assert back.points == 70 and back.reference == ret.ticket_number
    # The last one: 2.50 left in points (50 points), 1.00 in cash.
    ret2 = services.sale_return(
        sale=sale,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(line, D(1))],
        refund_method="original",
        reason="Melted",
    )
    refunds = {p.method: p for p in ret2.payments.all()}
    assert refunds["points"].amount == D("-2.50") and refunds["points"].points == 50
    assert refunds["cash"].amount == D("-1.00")
    amina.refresh_from_db()
    assert amina.loyalty_points == 500


def test_a_return_in_cash_gives_cash_only(till, amina):
    sale = sell(till, ("chocolat", 2), customer=amina, payments=[points(120), cash("1.00")])
    ret = services.sale_return(
        sale=sale,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(sale.lines.get(), D(2))],
        refund_method="cash",
        reason="Changed mind",
    )
    assert [(p.method, p.amount) for p in ret.payments.all()] == [("cash", D("-7.00"))]
    amina.refresh_from_db()
    assert amina.loyalty_points == 380


# --- the API ------------------------------------------------------------------------------


def test_the_api_takes_points_payments(till, amina):
    api = api_client_for(till.owner)
    data = {
        "client_uuid": str(uuid.uuid4()),
        "register": str(till.register.pk),
        "customer": str(amina.pk),
        "lines": [{"product": str(till["chocolat"].pk), "quantity": "2"}],
        "payments": [{"method": "points", "points": 120}, {"method": "cash", "tendered": "1.00"}],
    }
    response = api.post(SALES, data, format="json")
    assert response.status_code == 201, response.content
    paid = {p["method"]: p for p in response.json()["payments"]}
    assert paid["points"]["points"] == 120 and D(paid["points"]["amount"]) == D("6.00")
    again = api.post(SALES, data, format="json")
    assert again.status_code == 200
    amina.refresh_from_db()
    assert amina.loyalty_points == 380
    refused = api.post(
        SALES,
        {
            **data,
            "client_uuid": str(uuid.uuid4()),
            "payments": [{"method": "points", "points": 9999}],
        },
        format="json",
    )
    assert refused.status_code == 400
    assert "payments" in refused.json()["error"]["fields"]
    assert Sale.objects.count() == 1
    assert PaymentMethod.POINTS == "points"
