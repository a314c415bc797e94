"""Signing in from the desktop app, on the real server: password, TOTP, a one-time code."""

from __future__ import annotations

import re

from conftest import DEMO_PASSWORD, OWNER, click, find, screenshot, sign_in
from tests.fixtures import Mailbox
from tests.otp import fresh_totp


def test_password_sign_in_opens_the_modules_of_the_member(qtbot, desktop):
    screenshot(desktop.window, "sign-in-en")
    sign_in(qtbot, desktop)
    me = desktop.session.me
    assert me["user"]["email"] == OWNER
    assert desktop.api.token.startswith("hnt_")
    levels = me["levels"]
    assert levels["catalog"] == "full"
    # The menu holds the modules the member may open (and the app has screens for).
    for entry in desktop.session.modules:
        assert levels[entry["module"]] in ("read", "full")
    screenshot(desktop.window, "shell-en")


def test_a_wrong_password_is_said_in_place_and_nothing_opens(qtbot, desktop):
    find(desktop.window, "emailField").setProperty("text", OWNER)
    find(desktop.window, "passwordField").setProperty("text", "wrong-password")
    click(desktop.window, find(desktop.window, "signInButton"))
    qtbot.waitUntil(lambda: desktop.session.error != "", timeout=20_000)
    assert desktop.session.state == "signedOut"
    label = find(desktop.window, "errorLabel")
    assert label.property("visible")
    assert "password" in label.property("text").lower()
    assert desktop.api.token == ""


def test_an_unreachable_server_says_which_address(qtbot, desktop):
    desktop.session.setServerUrl("http://127.0.0.1:9")
    desktop.session.signIn(OWNER, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: desktop.session.error != "", timeout=20_000)
    assert "127.0.0.1:9" in desktop.session.error
    assert desktop.session.state == "signedOut"


def test_totp_is_the_second_step(qtbot, desktop, hanout_server):
    email = "clothide@kaching.example"
    secret = (
        hanout_server.manage_shell(
            "from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret;"
            "from allauth.mfa.models import Authenticator;"
            "from hanout.accounts.models import User;"
            f"u = User.objects.get(email='{email}');"
            "Authenticator.objects.filter(user=u).delete();"
            "s = generate_totp_secret(); TOTP.activate(u, s); print('SECRET', s)"
        )
        .split("SECRET ")[-1]
        .strip()
    )
    desktop.session.signIn(email, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: desktop.session.state == "totp", timeout=20_000)
    screenshot(desktop.window, "sign-in-totp-en")
    find(desktop.window, "codeField").setProperty("text", fresh_totp(secret))
    click(desktop.window, find(desktop.window, "confirmCodeButton"))
    qtbot.waitUntil(lambda: desktop.session.state == "signedIn", timeout=20_000)
    assert desktop.session.me["user"]["email"] == email


CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})+|\d{6,9})\s*$", re.M)


def test_a_one_time_code_by_email(qtbot, desktop, hanout_server):
    email = "awa@kaching.example"
    before = len(hanout_server.mailbox.messages)
    find(desktop.window, "emailField").setProperty("text", email)
    click(desktop.window, find(desktop.window, "requestCodeButton"))
    qtbot.waitUntil(lambda: desktop.session.state == "code", timeout=20_000)
    found = []

    def code_arrived() -> bool:
        # Other mail may still be arriving (the demo's own notifications): find hers.
        for message in hanout_server.mailbox.messages[before:]:
            if email not in str(message["To"]):
                continue
            for body in Mailbox.bodies_of(message):
                match = CODE.search(body)
                if match:
                    found.append(match.group(1))
        return bool(found)

    qtbot.waitUntil(code_arrived, timeout=30_000)
    code = found[-1]
    find(desktop.window, "codeField").setProperty("text", code)
    click(desktop.window, find(desktop.window, "confirmCodeButton"))
    qtbot.waitUntil(lambda: desktop.session.state == "signedIn", timeout=20_000)
    assert desktop.session.me["user"]["email"] == email


def test_sign_out_revokes_the_token(qtbot, desktop):
    sign_in(qtbot, desktop)
    token = desktop.api.token
    click(desktop.window, find(desktop.window, "signOutButton"))
    qtbot.waitUntil(lambda: desktop.session.state == "signedOut", timeout=10_000)
    qtbot.waitUntil(lambda: not desktop.api.busy, timeout=10_000)
    desktop.api.token = token
    call = desktop.api.call("GET", "me/")
    with qtbot.waitSignal(call.failed, timeout=10_000) as blocker:
        pass
    assert blocker.args[1] == 401
    desktop.api.token = ""
