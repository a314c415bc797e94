"""The desktop app's sign-in: allauth's headless API for apps, then a personal token.

Password, one-time code by email and TOTP, each ending in `POST /api/v1/tokens/`
made with the `X-Session-Token` that the sign-in returned."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from rest_framework.test import APIClient

from hanout.accounts.models import ApiToken
from tests.factories import PASSWORD
from tests.otp import fresh_totp

BASE = "/_allauth/app/v1"
pytestmark = pytest.mark.django_db


def post(client, path, data, session_token=None):
    headers = {"HTTP_X_SESSION_TOKEN": session_token} if session_token else {}
    return client.post(f"{BASE}{path}", data, format="json", **headers)


def make_token(session_token):
    api = APIClient()
    return api.post(
        "/api/v1/tokens/",
        {"name": "Hanout desktop"},
        format="json",
        HTTP_X_SESSION_TOKEN=session_token,
    )


def test_password_sign_in_gives_a_session_that_makes_a_token(owner):
    client = APIClient()
    response = post(client, "/auth/login", {"email": owner.user.email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    session_token = response.json()["meta"]["session_token"]

    made = make_token(session_token)
    assert made.status_code == 201, made.content
    raw = made.json()["token"]
    token = ApiToken.objects.get(membership=owner, name="Hanout desktop")
    assert token.revoked_at is None

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    me = api.get("/api/v1/me/").json()
    assert me["business"]["name"] == owner.business.name


def test_a_wrong_password_says_so_and_makes_nothing(owner):
    response = post(APIClient(), "/auth/login", {"email": owner.user.email, "password": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["param"] == "password"
    assert body["errors"][0]["message"]
    assert not ApiToken.objects.filter(membership=owner).exists()


def test_an_unknown_or_forged_session_token_is_refused(owner):
    response = make_token("not-a-session")
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_totp_is_asked_after_the_password(owner):
    secret = generate_totp_secret()
    TOTP.activate(owner.user, secret)
    client = APIClient()
    response = post(client, "/auth/login", {"email": owner.user.email, "password": PASSWORD})
    assert response.status_code == 401
    body = response.json()
    pending = [f["id"] for f in body["data"]["flows"] if f.get("is_pending")]
    assert pending == ["mfa_authenticate"]
    session_token = body["meta"]["session_token"]
    # Not signed in yet: the half-finished session cannot make a token.
    assert make_token(session_token).status_code == 401

    wrong = post(client, "/auth/2fa/authenticate", {"code": "000000"}, session_token)
    if wrong.status_code == 400:
        assert wrong.json()["errors"][0]["param"] == "code"
    done = post(client, "/auth/2fa/authenticate", {"code": fresh_totp(secret)}, session_token)
    assert done.status_code == 200, done.content
    assert make_token(done.json()["meta"]["session_token"]).status_code == 201


def test_one_time_code_by_email(owner):
    client = APIClient()
    response = post(client, "/auth/code/request", {"email": owner.user.email})
    assert response.status_code == 401  # the flow "login_by_code" is now pending
    session_token = response.json()["meta"]["session_token"]
    assert len(mail.outbox) == 1
    code = re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})+|\d{6,9})\s*$", mail.outbox[0].body, re.M)
    assert code, mail.outbox[0].body
    done = post(client, "/auth/code/confirm", {"code": code.group(1)}, session_token)
    assert done.status_code == 200, done.content
    assert make_token(done.json()["meta"]["session_token"]).status_code == 201


def test_the_token_belongs_to_the_members_own_business(owner, other_owner):
    client = APIClient()
    response = post(client, "/auth/login", {"email": other_owner.user.email, "password": PASSWORD})
    made = make_token(response.json()["meta"]["session_token"])
    assert made.status_code == 201
    assert ApiToken.objects.get().membership == other_owner
