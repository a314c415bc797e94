"""`/api/v1/payment-links/`: the register asks for a QR code, looks at it, cancels it."""

from __future__ import annotations

import uuid

import pytest

from hanout.accounts.services import module_access_set
from hanout.core.permissions import Role
from hanout.pos.models import CashSession, PaymentLink, PaymentLinkStatus
from hanout.pos.tests.payments_support import BASKET, make_link, make_register, pay
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/payment-links/"


@pytest.fixture
def till(owner):
    return make_register(owner)


def body(register, **extra):
    return {
        "register": str(register.pk),
        "amount": "9.00",
        "sale_client_uuid": str(uuid.uuid4()),
        "lines": BASKET,
        **extra,
    }


def test_register_gets_a_link_with_its_qr_code(owner_api, till):
    response = owner_api.post(URL, body(till), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    link = PaymentLink.objects.get(pk=data["id"])
    assert data["token"] == link.token
    assert data["url"] == f"http://testserver/pay/{link.token}/"
    assert data["qr_svg"].startswith("<svg") and "</svg>" in data["qr_svg"]
    assert data["status"] == "pending" and data["amount"] == "9.00"
    assert data["expires_at"] and data["session"] == str(CashSession.objects.get().pk)
    assert data["lines"] == BASKET


def test_the_pay_address_can_be_set_for_phones(owner_api, till, settings):
    settings.HANOUT_PAY_BASE_URL = "https://pay.kaching.example/"
    data = owner_api.post(URL, body(till), format="json").json()
    assert data["url"] == f"https://pay.kaching.example/pay/{data['token']}/"


def test_the_same_client_uuid_answers_the_first_link(owner_api, till):
    payload = body(till, client_uuid=str(uuid.uuid4()))
    first = owner_api.post(URL, payload, format="json")
    again = owner_api.post(URL, payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = owner_api.post(URL, {**payload, "amount": "5.00"}, format="json")
    assert other.status_code == 409
    assert other.json()["error"]["fields"]["client_uuid"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"sale_client_uuid": "nope"}, "sale_client_uuid"),
        ({"lines": [{"name": "", "total": "1"}]}, "lines[0].name"),
        ({"lines": [{"name": "x", "total": "a"}]}, "lines[0].total"),
        ({"ttl_seconds": 1}, "ttl_seconds"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(owner_api, till, change, field):
    response = owner_api.post(URL, body(till, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not PaymentLink.objects.exists()


def test_no_open_session_is_a_400(owner_api, owner):
    register = make_register(owner, "Caisse 2", open_session=False)
    response = owner_api.post(URL, body(register), format="json")
    assert response.status_code == 400
    assert "session" in response.json()["error"]["fields"]


def test_another_business_register_or_session_is_not_found(owner_api, till, other_owner):
    theirs = make_register(other_owner, "Their till")
    response = owner_api.post(URL, body(theirs), format="json")
    assert response.status_code == 404
    assert "register" in response.json()["error"]["fields"]
    their_session = CashSession.objects.get(register=theirs)
    response = owner_api.post(URL, body(till, session=str(their_session.pk)), format="json")
    assert response.status_code == 404
    assert "session" in response.json()["error"]["fields"]
    assert not PaymentLink.objects.exists()


def test_another_business_link_is_not_found(owner_api, other_owner):
    theirs = make_register(other_owner, "Their till")
    link = make_link(theirs, other_owner.user)
    assert owner_api.get(f"{URL}{link.pk}/").status_code == 404
    assert owner_api.post(f"{URL}{link.pk}/cancel/").status_code == 404
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PENDING
    assert owner_api.get(URL).json()["results"] == []


def test_get_one_link_and_the_list(owner_api, owner, till):
    link = make_link(till, owner.user)
    other = make_register(owner, "Caisse 2")
    make_link(other, owner.user)
    one = owner_api.get(f"{URL}{link.pk}/").json()
    assert one["id"] == str(link.pk) and one["qr_svg"].startswith("<svg")
    assert len(owner_api.get(URL).json()["results"]) == 2
    assert [r["id"] for r in owner_api.get(URL, {"register": till.pk}).json()["results"]] == [
        str(link.pk)
    ]
    assert owner_api.get(URL, {"status": "paid"}).json()["results"] == []
    pay(link)
    assert owner_api.get(URL, {"status": "paid"}).json()["results"][0]["id"] == str(link.pk)
    assert owner_api.get(URL, {"status": "nope"}).status_code == 400
    assert owner_api.get(URL, {"register": uuid.uuid4()}).status_code == 404


def test_cancel_from_the_register(owner_api, owner, till):
    link = make_link(till, owner.user)
    response = owner_api.post(f"{URL}{link.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_a_paid_link_cannot_be_cancelled(owner_api, owner, till):
    link = make_link(till, owner.user)
    pay(link)
    response = owner_api.post(f"{URL}{link.pk}/cancel/")
    assert response.status_code == 409
    assert "already made" in response.json()["error"]["message"]


def test_a_cashier_may_make_and_cancel_links(owner, member_factory, till):
    api = api_client_for(member_factory(role=Role.CASHIER))
    created = api.post(URL, body(till), format="json")
    assert created.status_code == 201
    assert api.post(f"{URL}{created.json()['id']}/cancel/").status_code == 200


def test_read_only_register_access_may_look_but_not_create(owner, member_factory, till):
    member = member_factory(role=Role.STAFF)
    module_access_set(actor_membership=owner, membership=member, levels={"register": "read"})
    api = api_client_for(member)
    link = make_link(till, owner.user)
    assert api.get(f"{URL}{link.pk}/").status_code == 200
    response = api.post(URL, body(till), format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]["message"]
    assert api.post(f"{URL}{link.pk}/cancel/").status_code == 403


def test_no_register_access_is_refused(owner, member_factory, till):
    member = member_factory(role=Role.STAFF)
    module_access_set(actor_membership=owner, membership=member, levels={"register": "none"})
    api = api_client_for(member)
    assert api.get(URL).status_code == 403


def test_anonymous_is_refused(client, till):
    assert client.get(URL).status_code in (401, 403)
