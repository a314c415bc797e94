"""The register shell through Django's test client, the way a shop uses it: a manager
pairs a device, cashiers sign in on its keypad with code and PIN (refused outside
the opening hours, owners and managers always let in), open a session with a
float, put cash in and take it out, close by counting the drawer, and sign out
while the device stays a register.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.signing import get_cookie_signer
from django.test import Client
from django.urls import reverse

from hanout.accounts import services as accounts
from hanout.core import clock
from hanout.core import services as core_services
from hanout.core.models import AuditEntry, Shop
from hanout.core.permissions import Level, Module, Role
from hanout.pos import services
from hanout.pos.models import CashMovement, CashSession, Register, RegisterDevice, SessionStatus
from hanout.pos.views_register import (
    DEVICE_COOKIE,
    DEVICE_SALT,
    SESSION_CASHIER_KEY,
    SESSION_REGISTER_KEY,
)
from tests.conftest import login
from tests.factories import make_business, make_member

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
TUESDAY_10AM = datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS)  # the shop is open
SATURDAY_1830 = datetime(2026, 3, 14, 18, 30, tzinfo=BRUSSELS)


# --- the shop ------------------------------------------------------------------------------


@pytest.fixture
def now(monkeypatch):
    """The shop's clock, frozen; `now.set(...)` moves it."""

    class Clock:
        value = TUESDAY_10AM

        def set(self, moment):
            self.value = moment

        def advance(self, **kw):
            self.value = self.value + timedelta(**kw)

    c = Clock()
    monkeypatch.setattr(clock, "now", lambda: c.value)
    return c


def shop_of(membership) -> Shop:
    return Shop.objects.filter(business=membership.business).order_by("created_at").first()


@pytest.fixture
def register(owner, now):
    return services.register_create(
        business=owner.business, actor=owner.user, shop=shop_of(owner), name="Caisse 1"
    )


@pytest.fixture
def cashier(owner):
    return make_member(owner, role=Role.CASHIER, code="14", pin="1234", full_name="Khadija")


@pytest.fixture
def staff(owner):
    return make_member(owner, role=Role.STAFF, code="27", pin="2727", full_name="Awa")


@pytest.fixture
def manager(owner):
    return make_member(owner, role=Role.MANAGER, code="2", pin="2222", full_name="Ayman")


def give_code(owner, code="1", pin="1111"):
    accounts.employee_update(actor_membership=owner, membership=owner, data={"employee_code": code})
    accounts.employee_set_pin(actor_membership=owner, membership=owner, pin=pin)


def pair(client: Client, register: Register, actor) -> RegisterDevice:
    """Make `client` a paired register, as the pairing page does."""
    device, raw = services.device_pair(register=register, actor=actor, label="Counter")
    client.cookies[DEVICE_COOKIE] = get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_SALT).sign(raw)
    return device


@pytest.fixture
def device_client(register, owner):
    client = Client()
    pair(client, register, owner.user)
    return client


def sign_in(client, code="14", pin="1234"):
    return client.post(reverse("pos_sign_in"), {"code": code, "pin": pin})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def open_session(client, opening_float="50.00"):
    return client.post(
        reverse("pos_session_open"),
        {"opening_float": opening_float, "client_uuid": "0190a0a0-0000-7000-8000-000000000001"},
    )


def kaching_hours(owner):
    """KACHING's hours: Monday to Saturday 06:00–18:00, closed on Sunday."""
    core_services.opening_hours_set(
        shop=shop_of(owner),
        actor=owner.user,
        hours=[
            {"weekday": d, "opens_at": time(6), "closes_at": time(18), "is_closed": d == 6}
            for d in range(7)
        ],
    )


# --- pairing -------------------------------------------------------------------------------


def test_manager_pairs_this_browser_as_a_register(client, owner, register):
    login(client, owner)
    page = client.get(reverse("pos_home"))
    assert page.status_code == 200
    assert "This device is not a register." in text(page)

    response = client.post(reverse("pos_pair"), {"register": register.pk, "label": "Tablet"})

    assert response.status_code == 302
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    device = RegisterDevice.objects.get(register=register)
    assert device.label == "Tablet" and device.revoked_at is None
    assert cookie.value.split(":")[0] not in device.token_hash  # only the hash is stored
    page = client.get(reverse("pos_home"))
    assert "This device is the register <strong>Caisse 1</strong>" in text(page)
    assert 'href="/pos/till/"' in text(page)
    assert "Tablet" in text(page)  # listed among the paired devices


def test_a_forged_device_cookie_is_no_register(client, register):
    client.cookies[DEVICE_COOKIE] = "not-a-token:bad-signature"
    page = client.get(reverse("pos_till"))
    assert "This device is not a register yet" in text(page)
    assert 'href="/pos/"' in text(page)


def test_revoked_device_no_longer_opens_the_register(client, owner, register):
    login(client, owner)
    device = pair(client, register, owner.user)
    assert "Sign in at the register" in text(client.get(reverse("pos_till")))

    response = client.post(reverse("pos_device_revoke", args=[device.pk]))

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert response.cookies[DEVICE_COOKIE].value == ""  # this browser forgets it too
    assert "This device is not a register yet" in text(client.get(reverse("pos_till")))


def test_cashier_sees_the_register_page_but_cannot_pair_or_revoke(client, owner, cashier, register):
    device = pair(Client(), register, owner.user)
    login(client, cashier)
    page = client.get(reverse("pos_home"))
    assert page.status_code == 200
    assert "Ask a manager to pair it." in text(page)
    assert 'action="/pos/pair/"' not in text(page)

    assert client.post(reverse("pos_pair"), {"register": register.pk}).status_code == 403
    assert client.post(reverse("pos_device_revoke", args=[device.pk])).status_code == 403
    assert RegisterDevice.objects.filter(register=register).count() == 1
    device.refresh_from_db()
    assert device.revoked_at is None


def test_another_business_cannot_pair_or_revoke_our_registers(client, owner, other_owner, register):
    device = pair(Client(), register, owner.user)
    login(client, other_owner)
    response = client.post(reverse("pos_pair"), {"register": register.pk})
    assert response.status_code == 400  # not one of their registers
    assert RegisterDevice.objects.count() == 1
    assert client.post(reverse("pos_device_revoke", args=[device.pk])).status_code == 404
    device.refresh_from_db()
    assert device.revoked_at is None


def test_people_without_register_access_are_refused(client, owner, register):
    clerk = make_member(owner, role=Role.STAFF)
    accounts.module_access_set(
        actor_membership=owner, membership=clerk, levels={Module.REGISTER: Level.NONE}
    )
    login(client, clerk)
    page = client.get(reverse("pos_home"))
    assert page.status_code == 403
    assert "You have no access to Register" in text(page)


# --- the device's page -----------------------------------------------------------------------


def test_a_browser_that_is_not_a_register_is_told_how_to_pair(client):
    page = client.get(reverse("pos_till"))
    assert page.status_code == 200
    assert "This device is not a register yet" in text(page)


def test_a_paired_device_shows_the_pin_keypad(device_client):
    page = device_client.get(reverse("pos_till"))
    body = text(page)
    assert "Sign in at the register" in body and "Caisse 1" in body
    assert 'name="code"' in body and 'name="pin"' in body and 'type="password"' in body
    assert body.count("data-key=") >= 10
    assert page["Cache-Control"].startswith("max-age=0")


def test_a_back_office_sign_in_is_not_a_register_sign_in(device_client, owner):
    login(device_client, owner)
    body = text(device_client.get(reverse("pos_till")))
    assert "Sign in at the register" in body
    assert "is signed in to the back office in this browser" in body


def test_cashier_signs_in_with_code_and_pin(device_client, cashier, register, now):
    response = sign_in(device_client)

    assert response.status_code == 302 and response["Location"] == reverse("pos_till")
    session = device_client.session
    assert session[SESSION_REGISTER_KEY] == str(register.pk)
    assert session[SESSION_CASHIER_KEY] is True
    assert session["hanout_business_id"] == str(register.business_id)
    assert str(session["_auth_user_id"]) == str(cashier.user.pk)
    entry = AuditEntry.objects.get(action="register.sign_in")
    assert entry.actor == cashier.user and entry.object_id == str(register.pk)
    assert entry.at == TUESDAY_10AM
    # Nobody opened the till yet: the opening float comes first.
    page = device_client.get(reverse("pos_till"))
    assert "Open the till" in text(page) and 'name="opening_float"' in text(page)


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.STAFF, Role.CASHIER])
def test_every_role_with_register_access_signs_in_during_opening_hours(device_client, owner, role):
    if role == Role.OWNER:
        give_code(owner, code="1", pin="1111")
        code, pin = "1", "1111"
    else:
        make_member(owner, role=role, code="40", pin="4040")
        code, pin = "40", "4040"
    response = sign_in(device_client, code, pin)
    assert response.status_code == 302, text(response)
    assert device_client.session[SESSION_CASHIER_KEY] is True


def test_wrong_pin_and_unknown_code_get_the_same_answer(device_client, cashier):
    wrong_pin = sign_in(device_client, "14", "9999")
    unknown_code = sign_in(device_client, "77", "1234")

    assert wrong_pin.status_code == unknown_code.status_code == 400
    first = re.search(r'id="signin-error"[^>]*>([^<]*)<', text(wrong_pin)).group(1)
    second = re.search(r'id="signin-error"[^>]*>([^<]*)<', text(unknown_code)).group(1)
    assert first.startswith("This employee code and PIN do not match.")
    assert second.startswith("This employee code and PIN do not match.")
    assert "_auth_user_id" not in device_client.session
    assert not AuditEntry.objects.filter(action="register.sign_in").exists()


def test_empty_code_or_pin_says_what_is_missing(device_client, cashier):
    response = device_client.post(reverse("pos_sign_in"), {"code": "", "pin": ""})
    assert response.status_code == 400
    assert "Type your employee code." in text(response)


def test_five_wrong_tries_pause_the_device_for_a_minute(device_client, cashier, now):
    for _ in range(4):
        assert sign_in(device_client, "14", "0000").status_code == 400
    fifth = sign_in(device_client, "14", "0000")
    assert fifth.status_code == 429
    assert "Too many wrong tries on this register. Wait 60 seconds" in text(fifth)
    assert AuditEntry.objects.filter(action="register.sign_in_locked").count() == 1

    # Even the right PIN waits; the page counts down.
    now.advance(seconds=20)
    right = sign_in(device_client, "14", "1234")
    assert right.status_code == 429
    assert "Wait 40 seconds" in text(right)
    assert 'data-wait="40"' in text(device_client.get(reverse("pos_till")))

    now.advance(seconds=41)
    assert sign_in(device_client, "14", "1234").status_code == 302


def test_the_pause_is_per_device(device_client, owner, cashier, register, now):
    for _ in range(5):
        sign_in(device_client, "14", "0000")
    second_register = Client()
    pair(second_register, register, owner.user)
    assert sign_in(second_register, "14", "1234").status_code == 302


def test_cashier_is_refused_outside_opening_hours_with_the_opening_time(
    device_client, owner, cashier, now
):
    kaching_hours(owner)
    now.set(SATURDAY_1830)

    response = sign_in(device_client)

    assert response.status_code == 403
    assert "The shop is closed. It opens at 06:00 (Monday)." in text(response)
    assert "_auth_user_id" not in device_client.session


def test_the_refusal_is_in_the_cashiers_language(device_client, owner, cashier, now):
    kaching_hours(owner)
    accounts.user_set_language(user=cashier.user, language="fr")
    now.set(SATURDAY_1830)
    response = sign_in(device_client)
    # The day is written as inside a French sentence: "(lundi)", not the table's "Lundi".
    assert "06:00 (lundi)." in text(response)


def test_opening_time_is_read_in_the_shops_time_zone(device_client, owner, cashier, now):
    kaching_hours(owner)
    # 04:30 UTC on a Tuesday is 05:30 in Brussels: closed, opens at 06:00 the same day.
    now.set(datetime(2026, 3, 10, 4, 30, tzinfo=ZoneInfo("UTC")))
    assert "It opens at 06:00 (Tuesday)." in text(sign_in(device_client))
    now.set(datetime(2026, 3, 10, 5, 5, tzinfo=ZoneInfo("UTC")))  # 06:05 in Brussels
    assert sign_in(device_client).status_code == 302


def test_staff_are_refused_outside_hours_too(device_client, owner, staff, now):
    kaching_hours(owner)
    now.set(SATURDAY_1830)
    assert sign_in(device_client, "27", "2727").status_code == 403


def test_manager_and_owner_always_get_in(device_client, owner, manager, now):
    kaching_hours(owner)
    now.set(SATURDAY_1830)
    assert sign_in(device_client, "2", "2222").status_code == 302
    device_client.post(reverse("pos_sign_out"))
    give_code(owner)
    assert sign_in(device_client, "1", "1111").status_code == 302


def test_code_of_another_business_is_refused(device_client, owner, other_owner):
    make_member(other_owner, role=Role.CASHIER, code="14", pin="1234")
    response = sign_in(device_client, "14", "1234")
    assert response.status_code == 400
    assert "This employee code and PIN do not match." in text(response)


def test_a_deactivated_employee_cannot_sign_in(device_client, owner, cashier):
    accounts.employee_set_active(actor_membership=owner, membership=cashier, active=False)
    assert sign_in(device_client).status_code == 400


def test_a_member_without_register_access_is_refused_after_the_pin(device_client, owner, staff):
    accounts.module_access_set(
        actor_membership=owner, membership=staff, levels={Module.REGISTER: Level.READ}
    )
    response = sign_in(device_client, "27", "2727")
    assert response.status_code == 403
    assert "You have read-only access to Register" in text(response)
    assert "_auth_user_id" not in device_client.session


def test_signing_in_on_another_register_does_not_open_this_one(
    device_client, owner, cashier, register
):
    other_register = services.register_create(
        business=owner.business, actor=owner.user, shop=shop_of(owner), name="Caisse 2"
    )
    assert sign_in(device_client).status_code == 302
    # The same browser is re-paired as another register: the sign-in was for Caisse 1.
    pair(device_client, other_register, owner.user)
    assert "Sign in at the register" in text(device_client.get(reverse("pos_till")))


# --- signing out ---------------------------------------------------------------------------


def test_sign_out_goes_back_to_the_keypad_and_keeps_the_device(device_client, cashier, register):
    sign_in(device_client)
    response = device_client.post(reverse("pos_sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("pos_till")
    assert "_auth_user_id" not in device_client.session
    page = device_client.get(reverse("pos_till"))
    assert "Sign in at the register" in text(page)  # still a register
    entry = AuditEntry.objects.get(action="register.sign_out")
    assert entry.actor == cashier.user and entry.changes == {"reason": [None, "sign_out"]}


def test_lock_signs_out_too(device_client, cashier):
    sign_in(device_client)
    response = device_client.post(reverse("pos_lock"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "redirect": reverse("pos_till")}
    assert "_auth_user_id" not in device_client.session
    assert AuditEntry.objects.get(action="register.sign_out").changes["reason"] == [None, "lock"]


def test_sign_out_is_refused_while_offline_sales_wait(device_client, cashier):
    sign_in(device_client)
    response = device_client.post(reverse("pos_sign_out"), {"pending": "2"})
    assert response.status_code == 302
    assert "_auth_user_id" in device_client.session
    page = device_client.get(reverse("pos_till"))
    assert "2 sales made offline are still waiting to be sent" in text(page)

    response = device_client.post(
        reverse("pos_lock"), data=json.dumps({"pending": 1}), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "sales_waiting"
    assert "_auth_user_id" in device_client.session


def test_sign_out_needs_post(device_client, cashier):
    sign_in(device_client)
    assert device_client.get(reverse("pos_sign_out")).status_code == 405
    assert "_auth_user_id" in device_client.session


# --- the cash session ----------------------------------------------------------------------


@pytest.fixture
def at_till(device_client, cashier):
    assert sign_in(device_client).status_code == 302
    return device_client


def test_cashier_opens_the_session_and_gets_the_till(at_till, cashier, register):
    response = open_session(at_till, "50.00")

    assert response.status_code == 302
    session = CashSession.objects.get(register=register)
    assert session.status == SessionStatus.OPEN and session.opening_float == Decimal("50.000")
    assert session.opened_by == cashier.user
    page = at_till.get(reverse("pos_till"))
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "pos/till.html"
    ctx = page.context
    assert ctx["register"] == register and ctx["session"] == session
    assert ctx["cashier"] == cashier.user and ctx["membership"].pk == cashier.pk
    config = json.loads(
        re.search(
            r'<script id="till-config" type="application/json">(.*?)</script>',
            page.content.decode(),
            re.S,
        ).group(1)
    )
    assert config["register"] == str(register.pk) and config["session"] == str(session.pk)
    assert config["currency"] == "EUR" and config["decimal_places"] == 2
    assert config["idle_lock_seconds"] == register.idle_lock_seconds
    assert config["can_discount"] is False  # cashiers have Sales: read
    assert config["api"]["sales"] == "/api/v1/sales/"
    assert config["api"]["lookup"] == "/api/v1/products/lookup"
    assert config["api"]["catalog"] == "/pos/catalog.json"
    assert config["ws_url"] == f"/ws/register/{register.pk}/"
    assert config["urls"]["sign_out"] == "/pos/sign-out/" and config["urls"]["lock"] == "/pos/lock/"
    assert config["urls"]["session_close"] == "/pos/session/close/"
    assert config["urls"]["sign_in"] == "/pos/till/"
    assert "00000000-0000-0000-0000-000000000000" in config["urls"]["ticket_pdf_pattern"]
    assert config["csrf_header"] == "X-CSRFToken"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "The opening float cannot be negative."),
        ("abc", "Enter a number."),
        ("", "This field is required."),
    ],
)
def test_bad_opening_float_is_refused_and_nothing_opens(at_till, register, value, message):
    response = open_session(at_till, value)
    assert response.status_code == 400
    assert message in text(response)
    assert not CashSession.objects.filter(register=register).exists()


def test_opening_float_with_a_decimal_comma(at_till, register):
    assert open_session(at_till, "12,50").status_code == 302
    assert CashSession.objects.get(register=register).opening_float == Decimal("12.500")


def test_cashier_cannot_open_the_till_after_closing_time(at_till, owner, register, now):
    kaching_hours(owner)
    now.set(SATURDAY_1830)  # signed in earlier, the shop closed meanwhile
    response = open_session(at_till)
    assert response.status_code == 400
    assert "The shop is closed. It opens at 06:00 (Monday)." in text(response)
    assert not CashSession.objects.filter(register=register).exists()


def test_session_pages_need_a_cashier_signed_in_at_the_register(device_client, owner, register):
    assert device_client.get(reverse("pos_session_cash"))["Location"] == reverse("pos_till")
    assert device_client.get(reverse("pos_session_close"))["Location"] == reverse("pos_till")
    login(device_client, owner)  # a back-office sign-in is not enough
    assert open_session(device_client).status_code == 302
    assert not CashSession.objects.filter(register=register).exists()


def test_paid_out_with_a_reason(at_till, register, cashier):
    open_session(at_till, "50")
    page = at_till.get(reverse("pos_session_cash"))
    assert page.status_code == 200 and "No cash put in or taken out yet." in text(page)

    response = at_till.post(
        reverse("pos_session_cash"),
        {
            "kind": "paid_out",
            "amount": "7.50",
            "reason": "Window cleaner",
            "client_uuid": "0190a0a0-0000-7000-8000-0000000000aa",
        },
    )

    assert response.status_code == 302 and response["Location"] == reverse("pos_till")
    movement = CashMovement.objects.get()
    assert movement.kind == "paid_out" and movement.amount == Decimal("7.500")
    assert movement.reason == "Window cleaner" and movement.actor == cashier.user
    session = CashSession.objects.get(register=register)
    assert session.paid_out == Decimal("7.500")
    assert "Window cleaner" in text(at_till.get(reverse("pos_session_cash")))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "paid_in", "amount": "5", "reason": "  "},
            "reason",
            "Say why the cash goes in or out.",
        ),
        (
            {"kind": "paid_in", "amount": "0", "reason": "Change"},
            "amount",
            "The amount must be more than zero.",
        ),
        (
            {"kind": "paid_in", "amount": "-3", "reason": "Change"},
            "amount",
            "The amount must be more than zero.",
        ),
        ({"kind": "paid_in", "amount": "five", "reason": "Change"}, "amount", "Enter a number."),
        ({"kind": "stolen", "amount": "5", "reason": "Change"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_cash_movements_are_refused_and_nothing_is_written(at_till, data, field, message):
    open_session(at_till, "50")
    response = at_till.post(
        reverse("pos_session_cash"), {**data, "client_uuid": "0190a0a0-0000-7000-8000-0000000000bb"}
    )
    assert response.status_code == 400
    assert message in text(response)
    assert f'id="id_{field}_error"' in text(response)
    assert not CashMovement.objects.exists()


def test_closing_counts_the_drawer_and_shows_the_difference(at_till, register, cashier):
    open_session(at_till, "50")
    page = at_till.get(reverse("pos_session_close"))
    body = text(page)
    assert page.status_code == 200
    assert 'name="n_2000"' in body and 'name="n_1"' in body  # €20 note and 1-cent coin
    assert "Expected in the drawer" not in body  # a blind count: the figure comes after

    response = at_till.post(
        reverse("pos_session_close"),
        {
            "n_2000": "2",
            "n_1000": "1",
            "n_50": "3",
            "n_1": "",
            "note": "Counted twice",
            "pending": "0",
        },
    )

    session = CashSession.objects.get(register=register)
    assert response.status_code == 302
    assert response["Location"] == reverse("pos_session_closed", args=[session.pk])
    assert session.status == SessionStatus.CLOSED and session.closed_by == cashier.user
    assert session.counted_cash == Decimal("51.500")
    assert session.expected_cash == Decimal("50.000")
    assert session.difference == Decimal("1.500")
    assert session.closing_note == "Counted twice"
    page = at_till.get(response["Location"])
    body = text(page)
    assert "Session closed" in body and "There is more cash than expected." in body
    assert "50,00 €" in body and "51,50 €" in body and "1,50 €" in body  # en in Belgium
    assert f"/pos/sessions/{session.pk}/" in body  # the Z report
    # The till asks for a new float.
    assert "Open the till" in text(at_till.get(reverse("pos_till")))


@pytest.mark.parametrize("count", ["two", "-1", "1.5"])
def test_bad_counts_are_refused_and_the_session_stays_open(at_till, register, count):
    open_session(at_till, "50")
    response = at_till.post(reverse("pos_session_close"), {"n_2000": count, "n_100": "1"})
    assert response.status_code == 400
    body = text(response)
    assert "Nothing was closed." in body
    assert 'id="id_n_2000_error"' in body
    assert CashSession.objects.get(register=register).status == SessionStatus.OPEN


def test_paying_out_more_than_the_drawer_holds_is_refused(at_till):
    open_session(at_till, "20")
    response = at_till.post(
        reverse("pos_session_cash"),
        {
            "kind": "paid_out",
            "amount": "25",
            "reason": "Supplier",
            "client_uuid": "0190a0a0-0000-7000-8000-0000000000cc",
        },
    )
    assert response.status_code == 400
    assert 'id="id_amount_error"' in text(response) and "should hold only" in text(response)
    assert not CashMovement.objects.exists()


def test_a_blank_count_is_refused_but_an_empty_drawer_can_be_closed(at_till, register):
    open_session(at_till, "0")
    response = at_till.post(reverse("pos_session_close"), {"note": ""})
    assert response.status_code == 400
    assert "Count the drawer: type how many of each note and coin" in text(response)
    assert CashSession.objects.get(register=register).status == SessionStatus.OPEN

    response = at_till.post(reverse("pos_session_close"), {"n_2000": "0"})
    assert response.status_code == 302
    session = CashSession.objects.get(register=register)
    assert session.status == SessionStatus.CLOSED and session.counted_cash == 0


def test_closing_is_refused_while_offline_sales_wait(at_till, register):
    open_session(at_till, "50")
    response = at_till.post(reverse("pos_session_close"), {"n_2000": "2", "pending": "3"})
    assert response.status_code == 409
    assert "3 sales made offline are still waiting to be sent" in text(response)
    assert CashSession.objects.get(register=register).status == SessionStatus.OPEN


def test_a_currency_without_denominations_is_counted_as_one_total(client, now):
    owner = make_business("Yen Shop", currency="JPY", country="JP", time_zone="Asia/Tokyo")
    now.set(datetime(2026, 3, 10, 11, 0, tzinfo=ZoneInfo("Asia/Tokyo")))
    make_member(owner, role=Role.CASHIER, code="5", pin="5555")
    register = services.register_create(
        business=owner.business, actor=owner.user, shop=shop_of(owner), name="Reji"
    )
    pair(client, register, owner.user)
    assert sign_in(client, "5", "5555").status_code == 302
    open_session(client, "10000")
    page = client.get(reverse("pos_session_close"))
    assert 'name="counted_cash"' in text(page) and 'name="n_' not in text(page)
    response = client.post(reverse("pos_session_close"), {"counted_cash": "9000"})
    assert response.status_code == 302
    session = CashSession.objects.get(register=register)
    assert session.counted_cash == Decimal("9000") and session.difference == Decimal("-1000")


def test_closed_session_page_is_not_shown_to_another_business(at_till, register, other_owner):
    open_session(at_till, "50")
    at_till.post(reverse("pos_session_close"), {"n_2000": "2", "n_1000": "1"})
    session = CashSession.objects.get(register=register)
    other = login(Client(), other_owner)
    assert other.get(reverse("pos_session_closed", args=[session.pk])).status_code == 404


# --- managing registers ---------------------------------------------------------------------


def test_owner_adds_and_edits_a_register(client, owner, now):
    login(client, owner)
    shop = shop_of(owner)
    assert client.get(reverse("pos_register_create")).status_code == 200
    response = client.post(
        reverse("pos_register_create"),
        {
            "name": "Caisse 2",
            "shop": shop.pk,
            "location": "",
            "idle_lock_seconds": "90",
            "printer_kind": "network",
            "printer_target": "192.168.1.50:9100",
        },
    )
    assert response.status_code == 302
    register = Register.objects.get(name="Caisse 2")
    assert register.idle_lock_seconds == 90 and register.printer_target == "192.168.1.50:9100"
    assert "Caisse 2" in text(client.get(reverse("pos_registers")))

    response = client.post(
        reverse("pos_register_edit", args=[register.pk]),
        {
            "name": "Caisse 2 (terrasse)",
            "shop": shop.pk,
            "idle_lock_seconds": "0",
            "printer_kind": "none",
            "printer_target": "ignored",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    register.refresh_from_db()
    assert register.name == "Caisse 2 (terrasse)" and register.idle_lock_seconds == 0
    assert register.printer_kind == "none" and register.printer_target == ""


def shop_options(response) -> list[tuple[str, bool]]:
    """The shop box of the register form: (value, selected) of each option."""
    box = re.search(r'<select name="shop"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    assert box, "no shop box on the page"
    return [
        (value, bool(selected))
        for value, selected in re.findall(r'<option value="([^"]*)"( selected)?', box.group(1))
    ]


def test_the_only_shop_is_chosen_already_when_adding_a_register(client, owner, now):
    login(client, owner)
    shop = shop_of(owner)
    assert shop_options(client.get(reverse("pos_register_create"))) == [(str(shop.pk), True)]

    # A second shop: the manager picks one, nothing is chosen for them.
    annexe = core_services.shop_create(
        business=owner.business, actor=owner.user, name="Annexe", time_zone="Europe/Brussels"
    )
    options = shop_options(client.get(reverse("pos_register_create")))
    assert options[0] == ("", True)  # "---------"
    assert sorted(options[1:]) == sorted([(str(shop.pk), False), (str(annexe.pk), False)])

    # The annexe closed for good: one shop again, chosen already.
    core_services.shop_update(shop=annexe, actor=owner.user, data={"is_active": False})
    assert shop_options(client.get(reverse("pos_register_create"))) == [(str(shop.pk), True)]


def test_editing_a_register_shows_its_own_shop(client, owner, register):
    login(client, owner)
    annexe = core_services.shop_create(
        business=owner.business, actor=owner.user, name="Annexe", time_zone="Europe/Brussels"
    )
    options = dict(shop_options(client.get(reverse("pos_register_edit", args=[register.pk]))))
    assert options[str(register.shop_id)] and not options[str(annexe.pk)]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"idle_lock_seconds": "-1"}, "idle_lock_seconds", "greater than or equal to 0"),
        ({"printer_kind": "network", "printer_target": ""}, "printer_target", "Give the printer"),
        ({"printer_kind": "network", "printer_target": "printer"}, "printer_target", "host:port"),
    ],
)
def test_bad_register_input_is_refused(client, owner, data, field, message):
    login(client, owner)
    base = {
        "name": "Caisse 3",
        "shop": shop_of(owner).pk,
        "idle_lock_seconds": "120",
        "printer_kind": "none",
        "printer_target": "",
    }
    response = client.post(reverse("pos_register_create"), {**base, **data})
    assert response.status_code == 400
    assert message in text(response) and f'id="id_{field}_error"' in text(response)
    assert not Register.objects.filter(business=owner.business).exists()


def test_a_location_of_another_shop_is_refused(client, owner):
    from hanout.inventory import services as inventory

    login(client, owner)
    other_shop = core_services.shop_create(
        business=owner.business, actor=owner.user, name="Annexe", time_zone="Europe/Brussels"
    )
    elsewhere = inventory.default_location(shop=other_shop)
    response = client.post(
        reverse("pos_register_create"),
        {
            "name": "Caisse 3",
            "shop": shop_of(owner).pk,
            "location": elsewhere.pk,
            "idle_lock_seconds": "120",
            "printer_kind": "none",
        },
    )
    assert response.status_code == 400
    assert "is in another shop" in text(response)


def test_cashiers_see_the_registers_but_do_not_manage_them(client, cashier, register):
    login(client, cashier)
    page = client.get(reverse("pos_registers"))
    assert page.status_code == 200 and "Caisse 1" in text(page)
    assert reverse("pos_register_create") not in text(page)
    assert client.get(reverse("pos_register_create")).status_code == 403
    assert client.get(reverse("pos_register_edit", args=[register.pk])).status_code == 403


def test_another_business_gets_a_404_for_our_register(client, other_owner, register):
    login(client, other_owner)
    assert client.get(reverse("pos_register_edit", args=[register.pk])).status_code == 404


def test_the_menu_shows_the_register_to_cashiers(client, cashier):
    login(client, cashier)
    page = client.get(reverse("pos_home"))
    assert any(item["url"] == "pos_home" and item["active"] for item in page.context["nav"])


# --- the offline shell files -----------------------------------------------------------------


def test_service_worker_is_served_from_pos_with_its_scope(client):
    response = client.get("/pos/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/pos/"
    assert response["Cache-Control"] == "no-cache"
    assert b"self.addEventListener" in response.content


def test_web_app_manifest_starts_at_the_till(client):
    response = client.get("/pos/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/pos/till/" and data["display"] == "standalone"
    assert data["scope"] == "/pos/" and data["icons"]


# --- Shop.next_opening -----------------------------------------------------------------------


def test_next_opening(owner):
    kaching_hours(owner)
    shop = shop_of(owner)
    tz = shop.tz
    # Before opening on a Tuesday: today at 06:00.
    assert shop.next_opening(datetime(2026, 3, 10, 5, 0, tzinfo=tz)) == datetime(
        2026, 3, 10, 6, 0, tzinfo=tz
    )
    # Open now: the next day's opening.
    assert shop.next_opening(datetime(2026, 3, 10, 12, 0, tzinfo=tz)) == datetime(
        2026, 3, 11, 6, 0, tzinfo=tz
    )
    # Saturday evening: Sunday is closed, Monday at 06:00.
    opens = shop.next_opening(SATURDAY_1830)
    assert opens == datetime(2026, 3, 16, 6, 0, tzinfo=tz) and opens.tzinfo == tz
    # Exactly at opening time.
    assert shop.next_opening(datetime(2026, 3, 10, 6, 0, tzinfo=tz)) == datetime(
        2026, 3, 10, 6, 0, tzinfo=tz
    )


def test_next_opening_when_the_shop_never_opens(owner):
    shop = shop_of(owner)
    core_services.opening_hours_set(
        shop=shop,
        actor=owner.user,
        hours=[
            {"weekday": d, "opens_at": time(8), "closes_at": time(18), "is_closed": True}
            for d in range(7)
        ],
    )
    assert shop.next_opening(TUESDAY_10AM) is None
