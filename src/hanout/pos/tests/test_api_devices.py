"""The desktop app as a paired register, through the REST API: a manager pairs the
computer (its device token is answered once), employees sign in on it with code and
PIN and get a personal API token for the till's requests, and sign out again.

The shop, its register, its people and the frozen clock are the register pages' own
(test_register_pages.py): the same rules, whichever way the register is used.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from hanout.accounts.models import ApiToken
from hanout.accounts.services import api_token_create
from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from hanout.pos import services
from hanout.pos.models import RegisterDevice
from hanout.pos.tests import test_register_pages as pages
from hanout.pos.tests.factories import make_product, make_register, open_session, stock
from tests.factories import make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

# The register pages' shop: frozen on a Tuesday at 10:00 in Brussels, register "Caisse 1",
# cashier Khadija (code 14, PIN 1234), staff Awa (27/2727), manager Ayman (2/2222).
now = pages.now
register = pages.register
cashier = pages.cashier
staff = pages.staff
manager = pages.manager

DEVICES = "/api/v1/register-devices/"
SIGN_IN = DEVICES + "sign-in/"
SIGN_OUT = DEVICES + "sign-out/"
NOT_PAIRED = (
    "This computer is not paired as a register (or was unpaired). Ask a manager to pair it again."
)


def error(response, status, code=None):
    assert response.status_code == status, response.content
    err = response.json()["error"]
    assert set(err) == {"code", "message", "fields"} and err["message"]
    if code is not None:
        assert err["code"] == code, err
    return err


def paired(register, actor) -> str:
    """The raw token of a new device paired as `register`."""
    _, raw = services.device_pair(register=register, actor=actor, label="Counter")
    return raw


@pytest.fixture
def device(register, owner) -> str:
    return paired(register, owner.user)


def sign_in(raw: str | None, code="14", pin="1234"):
    api = APIClient()
    headers = {"HTTP_X_REGISTER_DEVICE": raw} if raw is not None else {}
    return api.post(SIGN_IN, {"code": code, "pin": pin}, format="json", **headers)


def token_client(raw_token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw_token}")
    return api


# --- pairing -------------------------------------------------------------------------------


def test_a_manager_pairs_a_computer_and_its_token_signs_in(register, manager, cashier):
    response = api_client_for(manager).post(
        DEVICES, {"register": str(register.pk), "label": " Counter Pi "}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    device = RegisterDevice.objects.get()
    assert body == {
        "id": str(device.pk),
        "register": str(register.pk),
        "register_name": "Caisse 1",
        "shop": str(register.shop_id),
        "shop_name": register.shop.name,
        "business": str(register.business_id),
        "business_name": register.business.name,
        "label": "Counter Pi",
        "token": body["token"],
    }
    assert len(body["token"]) >= 40 and device.token_hash != body["token"]
    assert AuditEntry.objects.filter(action="register.device_pair", actor=manager.user).exists()
    assert sign_in(body["token"]).status_code == 200


def test_a_cashier_cannot_pair_list_or_revoke(register, owner, cashier):
    raw_device = paired(register, owner.user)
    device = RegisterDevice.objects.get()
    api = api_client_for(cashier)

    refused = api.post(DEVICES, {"register": str(register.pk)}, format="json")
    err = error(refused, 403, "permission_denied")
    assert "Only an owner or a manager" in err["message"]
    error(api.get(DEVICES), 403)
    error(api.post(f"{DEVICES}{device.pk}/revoke/"), 403)

    assert RegisterDevice.objects.count() == 1
    device.refresh_from_db()
    assert device.revoked_at is None
    assert sign_in(raw_device).status_code == 200


def test_a_register_of_another_business_is_not_found(owner, other_owner, now):
    theirs = make_register(other_owner, "Their till")
    response = api_client_for(owner).post(DEVICES, {"register": str(theirs.pk)}, format="json")
    err = error(response, 404, "not_found")
    assert err["message"] == "This register was not found."
    assert err["fields"] == {"register": ["This register was not found."]}
    assert not RegisterDevice.objects.exists()


def test_a_switched_off_register_is_refused(owner, register):
    services.register_update(register=register, actor=owner.user, data={"is_active": False})
    response = api_client_for(owner).post(DEVICES, {"register": str(register.pk)}, format="json")
    err = error(response, 400)
    assert err["fields"] == {"register": ["This register is switched off."]}
    assert not RegisterDevice.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "register"),
        ({"register": "not-a-uuid"}, "register"),
        ({"register": None}, "register"),
        ({"register": "REGISTER", "label": "x" * 81}, "label"),
    ],
)
def test_bad_pairing_input_is_400_and_pairs_nothing(owner, register, data, field):
    if data.get("register") == "REGISTER":
        data = {**data, "register": str(register.pk)}
    err = error(api_client_for(owner).post(DEVICES, data, format="json"), 400, "invalid")
    assert field in err["fields"]
    assert not RegisterDevice.objects.exists()
    assert not AuditEntry.objects.filter(action="register.device_pair").exists()


# --- listing and revoking ------------------------------------------------------------------


def test_managers_list_their_devices_and_revoke_one(owner, other_owner, register, now):
    raw_device = paired(register, owner.user)
    paired(make_register(other_owner, "Their till"), other_owner.user)
    mine = RegisterDevice.objects.get(business=owner.business)
    api = api_client_for(owner)

    listed = api.get(DEVICES)
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()["results"]] == [str(mine.pk)]
    row = listed.json()["results"][0]
    assert set(row) == {
        "id",
        "register",
        "register_name",
        "label",
        "last_seen_at",
        "revoked_at",
        "created_at",
    }
    assert (row["register"], row["register_name"], row["label"]) == (
        str(register.pk),
        "Caisse 1",
        "Counter",
    )
    assert row["revoked_at"] is None

    revoked = api.post(f"{DEVICES}{mine.pk}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["id"] == str(mine.pk) and revoked.json()["revoked_at"]
    assert AuditEntry.objects.filter(action="register.device_revoke").count() == 1

    # Revoked: no longer signs in; still listed (with when), but not among the active ones.
    assert error(sign_in(raw_device), 401, "device_not_paired")["message"] == NOT_PAIRED
    assert [d["id"] for d in api.get(DEVICES, {"active": "true"}).json()["results"]] == []
    assert [d["id"] for d in api.get(DEVICES, {"active": "false"}).json()["results"]] == [
        str(mine.pk)
    ]
    # Revoking again changes nothing.
    assert api.post(f"{DEVICES}{mine.pk}/revoke/").json() == revoked.json()
    assert AuditEntry.objects.filter(action="register.device_revoke").count() == 1


def test_another_business_cannot_revoke_our_device(owner, other_owner, register, cashier):
    device_raw = paired(register, owner.user)
    device = RegisterDevice.objects.get()
    error(api_client_for(other_owner).post(f"{DEVICES}{device.pk}/revoke/"), 404, "not_found")
    device.refresh_from_db()
    assert device.revoked_at is None
    assert sign_in(device_raw).status_code == 200


# --- signing in ----------------------------------------------------------------------------


def test_a_cashier_signs_in_and_the_token_sells_and_reads_the_catalog(
    owner, register, cashier, device
):
    product = make_product(owner.business, "Croissant", price="1.20", barcode="5410000000017")
    stock(owner.business, product, "10", location=services.register_location(register))
    session = open_session(register, owner.user)

    response = sign_in(device)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "token": body["token"],
        "member": {"id": str(cashier.pk), "name": "Khadija", "role": "cashier"},
        "register": {
            "id": str(register.pk),
            "name": "Caisse 1",
            "shop": str(register.shop_id),
            "shop_name": register.shop.name,
            "idle_lock_seconds": register.idle_lock_seconds,
        },
        "session": str(session.pk),
        "currency": "EUR",
    }
    token = ApiToken.objects.get(membership=cashier)
    assert token.name == "Register · Caisse 1" and token.revoked_at is None
    assert AuditEntry.objects.filter(action="register.sign_in", actor=cashier.user).count() == 1

    till = token_client(body["token"])
    found = till.get("/api/v1/products/lookup", {"code": "5410000000017"})
    assert found.status_code == 200, found.content
    assert found.json()["id"] == str(product.pk)
    catalog = till.get("/pos/catalog.json")
    assert catalog.status_code == 200
    assert [p["name"] for p in catalog.json()["products"]] == ["Croissant"]
    sale = till.post(
        "/api/v1/sales/",
        {
            "client_uuid": str(uuid.uuid4()),
            "register": str(register.pk),
            "lines": [{"product": str(product.pk), "quantity": "2"}],
            "payments": [{"method": "cash", "tendered": "5.00"}],
        },
        format="json",
    )
    assert sale.status_code == 201, sale.content
    assert sale.json()["cashier"] == str(cashier.user.pk)
    assert Decimal(sale.json()["total"]) == Decimal("2.40")


def test_no_open_session_is_null(register, cashier, device):
    assert sign_in(device).json()["session"] is None


def test_a_wrong_pin_and_an_unknown_code_get_the_same_400(cashier, device):
    wrong_pin = error(sign_in(device, "14", "0000"), 400, "wrong_pin")
    assert wrong_pin["message"].startswith("This employee code and PIN do not match.")
    assert "4 tries left" in wrong_pin["message"]
    assert list(wrong_pin["fields"]) == ["pin"]
    unknown = error(sign_in(device, "99", "1234"), 400, "wrong_pin")
    assert unknown["fields"] == {"pin": [unknown["message"]]}
    assert not ApiToken.objects.exists()


def test_a_missing_code_or_pin_says_which(cashier, device):
    err = error(sign_in(device, "", ""), 400, "invalid")
    assert err["fields"] == {"code": ["Type your employee code."], "pin": ["Type your PIN."]}


def test_five_wrong_tries_pause_the_device_with_retry_after(cashier, device, now):
    for _ in range(4):
        error(sign_in(device, "14", "0000"), 400)
    fifth = sign_in(device, "14", "0000")
    error(fifth, 429, "sign_in_locked")
    assert fifth["Retry-After"] == "60"
    assert AuditEntry.objects.filter(action="register.sign_in_locked").count() == 1

    now.advance(seconds=20)
    right = sign_in(device)
    assert "Wait 40 seconds" in error(right, 429, "sign_in_locked")["message"]
    assert right["Retry-After"] == "40"
    assert not ApiToken.objects.exists()

    now.advance(seconds=41)
    assert sign_in(device).status_code == 200


def test_a_cashier_is_refused_outside_opening_hours(owner, cashier, device, now):
    pages.kaching_hours(owner)
    now.set(pages.SATURDAY_1830)

    err = error(sign_in(device), 403, "shop_closed")

    assert err["message"] == "The shop is closed. It opens at 06:00 (Monday)."
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="register.sign_in").exists()


def test_a_manager_signs_in_outside_opening_hours(owner, manager, device, now):
    pages.kaching_hours(owner)
    now.set(pages.SATURDAY_1830)
    response = sign_in(device, "2", "2222")
    assert response.status_code == 200
    assert response.json()["member"]["role"] == Role.MANAGER


@pytest.mark.parametrize("raw", [None, "", "not-a-device-token"])
def test_a_computer_that_is_not_paired_gets_401(cashier, raw):
    err = error(sign_in(raw), 401, "device_not_paired")
    assert err["message"] == NOT_PAIRED
    assert not ApiToken.objects.exists()


def test_a_switched_off_register_no_longer_signs_in(owner, register, cashier, device):
    services.register_update(register=register, actor=owner.user, data={"is_active": False})
    error(sign_in(device), 401, "device_not_paired")


def test_another_business_device_cannot_sign_in_with_our_employee_code(
    owner, other_owner, cashier, now
):
    theirs = paired(make_register(other_owner, "Their till"), other_owner.user)

    err = error(sign_in(theirs, "14", "1234"), 400, "wrong_pin")

    assert "do not match" in err["message"]
    assert not ApiToken.objects.filter(membership=cashier).exists()
    # Their own cashier with the same code and PIN signs in there, as theirs.
    twin = make_member(other_owner, role=Role.CASHIER, code="14", pin="1234")
    answer = sign_in(theirs, "14", "1234").json()
    assert answer["member"]["id"] == str(twin.pk)
    assert ApiToken.objects.get(membership__business=other_owner.business).membership == twin
    assert not ApiToken.objects.filter(membership__business=owner.business).exists()


# --- signing out ---------------------------------------------------------------------------


def test_sign_out_revokes_the_token_and_is_recorded(register, cashier, device):
    token = sign_in(device).json()["token"]
    till = token_client(token)
    assert till.get("/api/v1/sales/").status_code == 200

    response = till.post(SIGN_OUT, HTTP_X_REGISTER_DEVICE=device)

    assert response.status_code == 204
    assert ApiToken.objects.get(membership=cashier).revoked_at is not None
    error(till.get("/api/v1/sales/"), 401, "authentication_failed")
    entry = AuditEntry.objects.get(action="register.sign_out")
    assert entry.actor == cashier.user and entry.object_id == str(register.pk)
    assert entry.changes == {"reason": [None, "sign_out"]}
    # The device stays paired: the next person signs in.
    assert sign_in(device).status_code == 200


def test_sign_out_needs_the_device_header(cashier, device):
    till = token_client(sign_in(device).json()["token"])
    error(till.post(SIGN_OUT), 401, "device_not_paired")
    error(till.post(SIGN_OUT, HTTP_X_REGISTER_DEVICE="nope"), 401, "device_not_paired")
    assert till.get("/api/v1/sales/").status_code == 200
    assert not AuditEntry.objects.filter(action="register.sign_out").exists()


def test_sign_out_with_another_business_device_is_404_and_changes_nothing(
    other_owner, cashier, device, now
):
    theirs = paired(make_register(other_owner, "Their till"), other_owner.user)
    till = token_client(sign_in(device).json()["token"])
    error(till.post(SIGN_OUT, HTTP_X_REGISTER_DEVICE=theirs), 404, "not_found")
    assert till.get("/api/v1/sales/").status_code == 200
    assert not AuditEntry.objects.filter(action="register.sign_out").exists()


def test_sign_out_needs_a_token(device):
    error(APIClient().post(SIGN_OUT, HTTP_X_REGISTER_DEVICE=device), 401, "not_authenticated")


# --- the device unpairs itself ---------------------------------------------------------------

FORGET = DEVICES + "forget/"


def forget(raw: str | None, api: APIClient | None = None):
    headers = {"HTTP_X_REGISTER_DEVICE": raw} if raw is not None else {}
    return (api or APIClient()).post(FORGET, **headers)


def test_a_device_forgets_itself_and_its_token_stops_working(owner, register, cashier, device):
    mine = RegisterDevice.objects.get()

    response = forget(device)

    assert response.status_code == 204, response.content
    assert response.content == b""
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert error(sign_in(device), 401, "device_not_paired")["message"] == NOT_PAIRED
    # Recorded as the owner's revoke is, with the device (not a person) as the actor.
    entry = AuditEntry.objects.get(action="register.device_revoke")
    assert entry.business == owner.business and entry.actor is None
    assert entry.actor_label == "Caisse 1: Counter"
    assert (entry.object_type, entry.object_id) == ("pos.registerdevice", str(mine.pk))
    assert entry.object_repr == "Caisse 1: Counter"
    # Still listed for the managers, as revoked.
    listed = api_client_for(owner).get(DEVICES, {"active": "false"}).json()["results"]
    assert [d["id"] for d in listed] == [str(mine.pk)]


def test_forgetting_twice_is_refused_like_any_revoked_device(register, device):
    assert forget(device).status_code == 204
    revoked_at = RegisterDevice.objects.get().revoked_at

    err = error(forget(device), 401, "device_not_paired")

    assert err["message"] == NOT_PAIRED
    assert RegisterDevice.objects.get().revoked_at == revoked_at
    assert AuditEntry.objects.filter(action="register.device_revoke").count() == 1


def test_a_device_revoked_by_a_manager_cannot_forget_itself_again(owner, register, device):
    services.device_revoke(device=RegisterDevice.objects.get(), actor=owner.user)
    error(forget(device), 401, "device_not_paired")
    assert AuditEntry.objects.filter(action="register.device_revoke").count() == 1


def test_forgetting_touches_only_that_device(owner, other_owner, register, cashier, device, now):
    theirs_raw = paired(make_register(other_owner, "Their till"), other_owner.user)
    second_raw = paired(register, owner.user)
    theirs = RegisterDevice.objects.get(business=other_owner.business)

    assert forget(theirs_raw).status_code == 204

    theirs.refresh_from_db()
    assert theirs.revoked_at is not None
    assert not RegisterDevice.objects.filter(
        business=owner.business, revoked_at__isnull=False
    ).exists()
    entry = AuditEntry.objects.get(action="register.device_revoke")
    assert entry.business == other_owner.business and entry.actor_label == "Their till: Counter"
    # Ours still sign in; forgetting one of ours leaves the other.
    assert forget(second_raw).status_code == 204
    assert RegisterDevice.objects.filter(business=owner.business, revoked_at=None).count() == 1
    assert sign_in(device).status_code == 200


@pytest.mark.parametrize("raw", [None, "", "not-a-device-token"])
def test_forget_needs_a_device_token(register, device, raw):
    error(forget(raw), 401, "device_not_paired")
    assert RegisterDevice.objects.get().revoked_at is None
    assert not AuditEntry.objects.filter(action="register.device_revoke").exists()


def test_a_persons_token_cannot_forget_a_device(owner, register, cashier, device):
    """A person's API token is no device credential: not as Authorization (ignored
    here), nor in the device header; a signed-in cashier's token neither."""
    _, raw_token = api_token_create(membership=owner, name="tests")
    owner_api = token_client(raw_token)
    error(forget(None, owner_api), 401, "device_not_paired")
    error(forget(raw_token), 401, "device_not_paired")
    till_token = sign_in(device).json()["token"]
    error(forget(None, token_client(till_token)), 401, "device_not_paired")
    error(forget(till_token), 401, "device_not_paired")

    assert RegisterDevice.objects.get().revoked_at is None
    assert not AuditEntry.objects.filter(action="register.device_revoke").exists()
    assert sign_in(device).status_code == 200


def test_a_device_of_a_switched_off_register_may_still_forget_itself(owner, register, device):
    services.register_update(register=register, actor=owner.user, data={"is_active": False})
    assert forget(device).status_code == 204
    assert RegisterDevice.objects.get().revoked_at is not None


def test_a_device_may_only_revoke_itself_in_the_service(owner, register, device, now):
    mine = RegisterDevice.objects.get()
    other, _ = services.device_pair(register=register, actor=owner.user, label="Back")
    with pytest.raises(ValueError):
        services.device_revoke(device=mine, actor=other)
    mine.refresh_from_db()
    assert mine.revoked_at is None
