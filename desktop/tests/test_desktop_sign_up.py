"""Registering a store from the desktop app, on the real server: the store, its manager,
the confirmation email's link, then signing in as the new store's owner."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request

from conftest import click, find, screenshot, sign_in
from tests.fixtures import Mailbox

PASSWORD = "Atlas-counter-2026"
LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")


def choose(box, value: str) -> None:
    """Pick the entry of a ComboBox whose value is `value` (as a person's choice would)."""
    index = box.indexOfValue(value)
    assert index >= 0, f"{value!r} is not offered"
    box.setProperty("currentIndex", index)


def confirm_email_like_a_person(link: str) -> None:
    """Open the link in a 'browser' (cookies kept) and press the page's Confirm button."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(link, timeout=20) as page:
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(link, data=form, headers={"Referer": link})
    with browser.open(request, timeout=20) as answer:
        assert answer.status == 200  # followed to the signed-in home page


def wait_for_link(qtbot, mailbox, email: str, before: int) -> str:
    found: list[str] = []

    def arrived() -> bool:
        for message in mailbox.messages[before:]:
            if email in str(message["To"]):
                for body in Mailbox.bodies_of(message):
                    found.extend(LINK.findall(body))
        return bool(found)

    qtbot.waitUntil(arrived, timeout=30_000)
    return found[-1]


def test_a_new_store_in_two_steps_then_its_owner_signs_in(qtbot, desktop, hanout_server):
    window, session = desktop.window, desktop.session
    click(window, find(window, "registerStoreButton"))
    qtbot.waitUntil(lambda: session.state == "signUpStore", timeout=10_000)
    country = find(window, "countryBox")
    qtbot.waitUntil(lambda: country.property("count") > 100, timeout=20_000)
    # The web's defaults are chosen; the country is left for the person.
    assert find(window, "currencyBox").property("currentValue") == "EUR"
    assert find(window, "timeZoneBox").property("currentValue") == "Europe/Brussels"
    assert country.property("currentIndex") == -1

    # Step one with nothing typed: the server names each missing field beside it.
    click(window, find(window, "storeNextButton"))
    qtbot.waitUntil(lambda: session.error != "", timeout=20_000)
    assert session.state == "signUpStore"
    assert find(window, "nameError").property("visible")
    assert find(window, "countryError").property("visible")
    screenshot(window, "sign-up-store-errors-en")

    find(window, "storeNameField").setProperty("text", "Épicerie Atlas")
    choose(country, "MA")
    choose(find(window, "currencyBox"), "MAD")
    choose(find(window, "timeZoneBox"), "Africa/Casablanca")
    find(window, "shopNameField").setProperty("text", "Atlas Derb Sultan")
    click(window, find(window, "storeNextButton"))
    qtbot.waitUntil(lambda: session.state == "signUpManager", timeout=20_000)
    # Step two opens at its top, though step one was scrolled down to Continue.
    qtbot.waitUntil(lambda: find(window, "signUpFlick").property("contentY") == 0)
    assert "Épicerie Atlas" in find(window, "signUpStoreSummary").property("text")
    assert not find(window, "nameError").property("visible")

    email = "yasmine@atlas.example"
    find(window, "fullNameField").setProperty("text", "Yasmine Alaoui")
    find(window, "signUpEmailField").setProperty("text", email)
    find(window, "phoneField").setProperty("text", "0612345678")  # read as a Moroccan number
    find(window, "signUpPasswordField").setProperty("text", PASSWORD)
    find(window, "signUpPassword2Field").setProperty("text", PASSWORD + "x")
    click(window, find(window, "createStoreButton"))
    qtbot.waitUntil(lambda: session.error != "", timeout=5_000)
    assert find(window, "password2Error").property("visible")  # said here, nothing sent

    # A password the server's rules refuse: its words, beside the field.
    find(window, "signUpPasswordField").setProperty("text", "123")
    find(window, "signUpPassword2Field").setProperty("text", "123")
    click(window, find(window, "createStoreButton"))
    qtbot.waitUntil(lambda: find(window, "passwordError").property("visible"), timeout=20_000)
    assert session.state == "signUpManager"
    screenshot(window, "sign-up-manager-errors-en")

    before = len(hanout_server.mailbox.messages)
    find(window, "signUpPasswordField").setProperty("text", PASSWORD)
    find(window, "signUpPassword2Field").setProperty("text", PASSWORD)
    click(window, find(window, "createStoreButton"))
    qtbot.waitUntil(lambda: session.state == "signUpSent", timeout=30_000)
    assert email in find(window, "signUpSentLabel").property("text")
    screenshot(window, "sign-up-sent-en")

    confirm_email_like_a_person(wait_for_link(qtbot, hanout_server.mailbox, email, before))

    click(window, find(window, "backToSignInButton"))
    qtbot.waitUntil(lambda: session.state == "signedOut", timeout=5_000)
    assert find(window, "emailField").property("text") == email
    sign_in(qtbot, desktop, email=email, password=PASSWORD)
    me = session.me
    assert me["business"]["name"] == "Épicerie Atlas"
    assert me["business"]["currency"] == "MAD"
    assert me["membership"]["role"] == "owner"
    assert me["user"]["phone"] == "+212612345678"
    assert all(level == "full" for level in me["levels"].values())


def test_an_expired_registration_goes_back_to_the_store_and_then_goes_through(
    qtbot, desktop, hanout_server
):
    session = desktop.session
    session.startSignUp()
    qtbot.waitUntil(lambda: not session.busy, timeout=20_000)
    assert session.signUpChoices["countries"], session.error
    store = {
        "name": "Hanout Tafraout",
        "country": "MA",
        "currency": "MAD",
        "time_zone": "Africa/Casablanca",
    }
    session.submitStore(store)
    qtbot.waitUntil(lambda: session.state == "signUpManager", timeout=20_000)
    manager = {
        "full_name": "Idir Amazigh",
        "email": "idir@tafraout.example",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    # The server forgot the sign-up session (it expired while the form was open).
    hanout_server.manage_shell(
        "from django.contrib.sessions.models import Session;"
        f"Session.objects.filter(session_key='{session._pending_session}').delete()"
    )
    session.submitManager(manager)
    qtbot.waitUntil(lambda: session.state == "signUpStore", timeout=30_000)
    assert "expired" in session.error
    assert "Tafraout" not in hanout_server.manage_shell(
        "from hanout.core.models import Business; print(list(Business.objects.values_list('name', flat=True)))"
    )

    session.submitStore(store)
    qtbot.waitUntil(lambda: session.state == "signUpManager", timeout=20_000)
    session.submitManager(manager)
    qtbot.waitUntil(lambda: session.state == "signUpSent", timeout=30_000)
    made = hanout_server.manage_shell(
        "from hanout.core.models import Business;"
        "print(Business.objects.filter(name='Hanout Tafraout').count())"
    )
    assert made.strip().splitlines()[-1] == "1"


def test_the_country_box_finds_a_country_by_its_first_letters_and_keeps_its_ampersand(
    qtbot, desktop
):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from test_desktop_chat import type_text

    window, session = desktop.window, desktop.session
    click(window, find(window, "registerStoreButton"))
    qtbot.waitUntil(lambda: session.state == "signUpStore", timeout=10_000)
    country = find(window, "countryBox")
    qtbot.waitUntil(lambda: country.property("count") > 100, timeout=20_000)
    country.forceActiveFocus()
    type_text(window, "bosn")
    assert country.property("currentValue") == "BA"
    label = country.property("currentText")
    QTest.qWait(1100)  # a pause starts a new search
    type_text(window, "new z")
    assert country.property("currentValue") == "NZ"
    QTest.qWait(1100)
    type_text(window, "cote")  # accents aside: Côte d’Ivoire
    assert country.property("currentValue") == "CI"

    # The open list: typing moves its highlight, Enter chooses it; its entries are
    # drawn as plain text (an "&" stays an "&").
    QTest.qWait(1100)
    QTest.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: country.property("listOpen"), timeout=5_000)
    type_text(window, "bosn")
    assert country.property("highlightedIndex") == country.indexOfValue("BA")
    screenshot(window, "sign-up-country-list-en")
    shown = []
    stack = [window.contentItem()]
    while stack:
        item = stack.pop()
        if item.objectName() == "countryBox_option" and item.isVisible():
            shown.append(item.property("contentItem").property("text"))
        stack.extend(item.childItems())
    assert label in shown  # "Bosnia & Herzegovina" as the server wrote it
    QTest.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: country.property("currentValue") == "BA", timeout=5_000)
