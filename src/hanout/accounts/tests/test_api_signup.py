"""Registering a store from an app: step one on /api/v1/signup/, step two on allauth's
headless signup with the session step one opened. The web's rules apply to both."""

from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from hanout.accounts.models import Membership, User
from hanout.core.models import Business, Shop
from hanout.core.permissions import Role
from hanout.referrals.models import Sponsorship
from hanout.referrals.services import referral_code_ensure

pytestmark = pytest.mark.django_db

STORE = {
    "name": "Épicerie Atlas",
    "currency": "MAD",
    "country": "MA",
    "time_zone": "Africa/Casablanca",
    "shop_name": "Atlas Derb Sultan",
    "address": "12 rue Mohammed V, Casablanca",
    "language": "fr",
}
MANAGER = {
    "email": "yasmine@atlas.example",
    "password": "a-long-Passphrase-9",
    "full_name": "Yasmine Alaoui",
    "phone": "0612345678",
}


def step_one(client=None, **changes):
    return (client or APIClient()).post("/api/v1/signup/", {**STORE, **changes}, format="json")


def step_two(session_token, **changes):
    return APIClient().post(
        "/_allauth/app/v1/auth/signup",
        {**MANAGER, **changes},
        format="json",
        HTTP_X_SESSION_TOKEN=session_token,
    )


def counts():
    return (User.objects.count(), Business.objects.count(), Shop.objects.count())


def test_the_choices_come_in_the_askers_language():
    body = APIClient().get("/api/v1/signup/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {"value": "MAD", "label": "MAD"} in body["currencies"]
    morocco = next(c for c in body["countries"] if c["value"] == "MA")
    assert morocco["label"] == "Maroc (MA)"
    assert {"value": "Africa/Casablanca", "label": "Africa/Casablanca"} in body["time_zones"]
    assert [lang["value"] for lang in body["languages"]] == ["en", "fr", "ar", "zgh"]
    assert body["defaults"] == {"currency": "EUR", "time_zone": "Europe/Brussels", "language": "fr"}


def test_two_steps_make_the_store_its_shop_and_its_owner_once_the_email_is_confirmed():
    first = step_one()
    assert first.status_code == 201, first.content
    answer = first.json()
    assert answer["store"]["name"] == "Épicerie Atlas"
    assert answer["sponsor"] is None
    assert counts() == (0, 0, 0)  # step one writes nothing but its session

    second = step_two(answer["session_token"])
    # allauth's answer for "confirm your email address first".
    assert second.status_code == 401, second.content
    pending = [f["id"] for f in second.json()["data"]["flows"] if f.get("is_pending")]
    assert pending == ["verify_email"]

    user = User.objects.get(email="yasmine@atlas.example")
    assert user.full_name == "Yasmine Alaoui"
    assert user.phone == "+212612345678"  # read with the store's country
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    business = membership.business
    assert (business.name, business.currency, business.country, business.default_language) == (
        "Épicerie Atlas",
        "MAD",
        "MA",
        "fr",
    )
    shop = Shop.objects.get(business=business)
    assert (shop.name, shop.time_zone) == ("Atlas Derb Sultan", "Africa/Casablanca")

    # The confirmation email, with the web's link; once confirmed, the password signs in.
    assert [m.to for m in mail.outbox] == [["yasmine@atlas.example"]]
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[0].body).group(1)
    client = APIClient()
    page = client.post(f"/accounts/confirm-email/{key}/")
    assert page.status_code == 302
    login = APIClient().post(
        "/_allauth/app/v1/auth/login",
        {"email": MANAGER["email"], "password": MANAGER["password"]},
        format="json",
    )
    assert login.status_code == 200, login.content


def test_a_bad_store_names_each_field_and_opens_nothing():
    from django.contrib.sessions.models import Session

    before = Session.objects.count()
    response = step_one(name="  ", currency="XXQ", country="", time_zone="Mars/Olympus")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"name", "currency", "country", "time_zone"}
    assert Session.objects.count() == before


def test_an_unknown_referral_code_is_named_and_a_known_one_names_its_sponsor(owner):
    unknown = step_one(referral_code="NOPE-NOPE")
    assert unknown.status_code == 400
    assert "referral_code" in unknown.json()["error"]["fields"]

    code = referral_code_ensure(business=owner.business).code
    known = step_one(referral_code=code.lower())
    assert known.status_code == 201, known.content
    assert known.json()["sponsor"] == owner.business.name
    assert step_two(known.json()["session_token"]).status_code == 401
    sponsee = Business.objects.get(name="Épicerie Atlas")
    assert Sponsorship.objects.get(sponsee=sponsee).business == owner.business  # the sponsor


def test_step_one_keeps_the_signup_pace_of_the_web(monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    from hanout.accounts.api_signup import SignupThrottle

    # A cache of this test's own: in the chain run the shared Redis is cleared by the
    # other test workers' tests, which would reset the count mid-way.
    monkeypatch.setattr(SignupThrottle, "cache", LocMemCache("signup-pace", {}))
    client = APIClient()
    answers = [step_one(client).status_code for _ in range(20)]
    assert answers == [201] * 20
    refused = step_one(client)
    assert refused.status_code == 429
    assert refused.json()["error"]["message"]
    assert int(refused["Retry-After"]) > 0


def test_step_two_without_step_one_is_refused_and_makes_nothing():
    # (An international number: without a store there is no country to read it with.)
    assert step_two("", phone="+212 6 12 34 56 78").status_code == 403
    assert step_two("not-a-session").status_code == 410
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"password": "123"}, "password"),
        ({"phone": "12"}, "phone"),
        ({"full_name": ""}, "full_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_a_bad_manager_is_named_makes_nothing_and_the_step_can_be_tried_again(changes, param):
    token = step_one().json()["session_token"]
    refused = step_two(token, **changes)
    assert refused.status_code == 400, refused.content
    assert param in [e.get("param") for e in refused.json()["errors"]]
    assert counts() == (0, 0, 0)
    assert mail.outbox == []
    # The same session still holds the store: corrected, the sign-up goes through.
    assert step_two(token).status_code == 401
    assert counts() == (1, 1, 1)


def test_a_sign_up_session_makes_one_store_only():
    token = step_one().json()["session_token"]
    assert step_two(token).status_code == 401
    again = step_two(token, email="someone.else@atlas.example", phone="+212612345679")
    assert again.status_code == 403
    assert counts() == (1, 1, 1)


def test_a_sponsor_closed_between_the_steps_stops_step_two_cleanly(owner):
    code = referral_code_ensure(business=owner.business).code
    token = step_one(referral_code=code).json()["session_token"]
    Business.objects.filter(pk=owner.business.pk).update(is_active=False)
    refused = step_two(token)
    assert refused.status_code == 400, refused.content
    assert "referral code" in refused.json()["errors"][0]["message"]
    assert User.objects.filter(email=MANAGER["email"]).count() == 0
    assert Business.objects.filter(name="Épicerie Atlas").count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the SQLite test database is in memory, where a second writer fails at once "
    "(table locked) instead of waiting its turn as on the product's own SQLite file",
)
@pytest.mark.django_db(transaction=True)
def test_two_apps_signing_up_the_same_email_at_once_make_one_account():
    tokens = [step_one().json()["session_token"] for _ in range(2)]
    answers = []

    def sign_up(token):
        try:
            answer = step_two(token)
            answers.append((answer.status_code, answer.content))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sign_up, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert User.objects.filter(email=MANAGER["email"]).count() == 1
    assert Business.objects.filter(name="Épicerie Atlas").count() == 1
    assert Membership.objects.count() == 1
    # The loser either saw the winner's account (allauth then answers as for a new one,
    # not to tell strangers which addresses exist) or lost the race to the unique index.
    assert sorted(a[0] for a in answers) in ([400, 401], [401, 401]), answers
