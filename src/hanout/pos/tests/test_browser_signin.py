"""Signing in at the register in a real browser (Debian Chromium through Playwright),
served by uvicorn like `hanout serve`:

- a manager pairs the browser as "Caisse 1" and signs out of the back office;
- Khadija types her code and PIN on the on-screen keypad (a wrong PIN first),
  counts her opening float on the keypad and gets the till;
- "Sign out" on the till brings the keypad back (the device stays a register);
  in Arabic (right to left) she signs in again with the keyboard only;
- after closing time she is refused with the time the shop opens.

Screenshots of each step land in artifacts/ (git-ignored); browser console
errors fail the test.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, expect = playwright_api.sync_playwright, playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
WIDE = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000
BRUSSELS = ZoneInfo("Europe/Brussels")
TUESDAY_10AM = datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS)
SATURDAY_1930 = datetime(2026, 3, 14, 19, 30, tzinfo=BRUSSELS)

if not Path(CHROMIUM).exists():  # pragma: no cover - the machine lacks Debian's chromium
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


def _outside_the_event_loop(build):
    """Run `build` in a plain thread: Playwright's event loop runs in this one, and the
    services' events (async_to_sync) refuse to run inside an event loop."""
    result = {}

    def run():
        from django.db import connection

        try:
            result["value"] = build()
        except BaseException as exc:  # re-raised in the test's thread
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def frozen(monkeypatch):
    """The shop's clock (the server runs in this process, so it reads it too)."""
    from hanout.core import clock

    state = {"now": TUESDAY_10AM}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


@pytest.fixture
def server(transactional_db, frozen):
    """The whole Hanout ASGI application (HTTP and WebSocket) on a free port."""
    import uvicorn

    from hanout.asgi import application

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uv = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WIDE, locale="en-GB", has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg):
        # A refused sign-in is a page answered 400/403/429 on purpose; Chromium logs it.
        url = msg.location.get("url", "")
        expected = url.endswith("/favicon.ico") or re.search(r"status of 4(00|03|29)", msg.text)
        if msg.type == "error" and not expected:
            errors.append(f"{msg.text} at {url} (page {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert errors == [], "browser console errors:\n" + "\n".join(errors)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")


@pytest.fixture
def shop(server):
    def build():
        from hanout.core.models import Shop
        from hanout.core.permissions import Role
        from hanout.pos import services
        from tests.factories import make_business, make_member

        owner = make_business("Boulangerie Kaching")
        shop = Shop.objects.filter(business=owner.business).first()
        register = services.register_create(
            business=owner.business, actor=owner.user, shop=shop, name="Caisse 1"
        )
        make_member(owner, role=Role.CASHIER, code="14", pin="1234", full_name="Khadija Amrani")
        return {"owner_email": owner.user.email, "register": register}

    return _outside_the_event_loop(build)


def tap(page, keys: str) -> None:
    """Press digits on the on-screen keypad."""
    for key in keys:
        page.locator(f"[data-keypad] button[data-key='{key}']").first.click()


def back_office_sign_in(page, server, email):
    from tests.factories import PASSWORD

    page.goto(f"{server}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def test_manager_pairs_then_a_cashier_signs_in_on_the_keypad(page, server, shop):
    # The manager pairs this browser as Caisse 1.
    back_office_sign_in(page, server, shop["owner_email"])
    page.goto(f"{server}/pos/")
    expect(page.locator("#device-status")).to_contain_text("This device is not a register.")
    page.select_option("#id_register", label="Caisse 1")
    page.fill("#id_label", "Counter tablet")
    with page.expect_navigation():
        page.click("#pair-submit")
    expect(page.locator("#device-status")).to_contain_text("Caisse 1")
    expect(page.locator("#device-table")).to_contain_text("Counter tablet")
    shot(page, "register-01-paired")

    # Opening the till: the back-office sign-in does not count at the register.
    page.click("#open-till")
    expect(page.locator("#signed-in-elsewhere")).to_be_visible()

    # The manager signs out of the back office; the device stays a register.
    page.goto(f"{server}/pos/")
    page.click(".app-topbar .dropdown-toggle")
    with page.expect_navigation():
        page.click(".app-topbar form[action='/accounts/logout/'] button")
    page.goto(f"{server}/pos/till/")
    expect(page.locator("#signin-title")).to_have_text("Sign in at the register")
    expect(page.locator("#signed-in-elsewhere")).to_have_count(0)
    expect(page.locator("#signin-ok")).to_have_text("OK")
    shot(page, "register-02-keypad")

    # Khadija: code 14, then a wrong PIN.
    tap(page, "14")
    expect(page.locator("#id_code")).to_have_value("14")
    page.click("#signin-ok")
    expect(page.locator("#signin-ok")).to_have_text("Sign in")
    tap(page, "9999")
    expect(page.locator("#id_pin")).to_have_value("9999")
    assert page.get_attribute("#id_pin", "type") == "password"
    with page.expect_navigation():
        page.click("#signin-ok")
    expect(page.locator("#signin-error")).to_contain_text(
        "This employee code and PIN do not match."
    )
    # The code stays; the keypad now types the PIN.
    expect(page.locator("#id_code")).to_have_value("14")
    expect(page.locator("#id_pin")).to_have_value("")
    shot(page, "register-03-wrong-pin")

    tap(page, "1234")
    page.locator("[data-keypad] [data-action=back]").click()
    tap(page, "4")
    with page.expect_navigation():
        page.click("#signin-ok")

    # No session yet: the opening float, typed on the keypad.
    expect(page.locator("#open-title")).to_contain_text("Open the till")
    tap(page, "50")
    page.locator("[data-keypad] button[data-key='.']").click()
    tap(page, "00")
    expect(page.locator("#id_opening_float")).to_have_value("50.00")
    shot(page, "register-04-opening-float")
    with page.expect_navigation():
        page.click("#session-open-submit")

    # The till, for Khadija, on Caisse 1.
    expect(page.locator("#till")).to_be_visible()
    expect(page.locator("#till-cashier")).to_have_text("Khadija")
    config = page.evaluate("JSON.parse(document.getElementById('till-config').textContent)")
    assert config["register"] == str(shop["register"].pk) and config["session"]
    shot(page, "register-05-till")

    # Paid out 5.00 for the window cleaner, from the till's "Cash in / out".
    with page.expect_navigation():
        page.click("#cash-link")
    page.check("#id_kind_1", force=True)  # paid out
    page.click("#id_amount")
    tap(page, "5")
    page.fill("#id_reason", "Window cleaner")
    shot(page, "register-06-paid-out")
    with page.expect_navigation():
        page.click("#cash-submit")
    expect(page.locator("#till")).to_be_visible()
    expect(page.locator(".register-toasts")).to_contain_text("Paid out recorded")
    page.click(".register-toasts .alert")  # a tap closes it (else it goes after 5 s)
    expect(page.locator(".register-toasts .alert")).to_have_count(0)

    # Closing: the drawer counted note by note (keypad and keyboard), a live total.
    with page.expect_navigation():
        page.click("#close-link")
    page.click("#id_n_2000")
    tap(page, "2")
    page.click("#id_n_500")
    page.keyboard.type("1")
    expect(page.locator("#count-total")).to_have_text("45,00\xa0€")
    shot(page, "register-07-count")
    with page.expect_navigation():
        page.click("#close-submit")  # the confirmation is accepted
    expect(page.locator("#difference-sentence")).to_have_text("The drawer is right.")
    expect(page.locator("#expected-cash")).to_have_text("45,00\xa0€")
    shot(page, "register-08-closed")

    # Sign out: back to the keypad, still a register.
    with page.expect_navigation():
        page.click("#shell-sign-out")
    expect(page.locator("#signin-title")).to_be_visible()

    # In Arabic, right to left, with the keyboard only.
    page.select_option("#language-select", "ar")
    page.wait_for_selector("html[dir=rtl]")
    expect(page.locator("#id_code")).to_be_focused()
    shot(page, "register-09-keypad-ar")
    page.keyboard.type("14")
    page.keyboard.press("Enter")
    expect(page.locator("#id_pin")).to_be_focused()
    page.keyboard.type("1234")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#session-open-form")).to_be_visible()
    assert page.get_attribute("html", "dir") == "rtl"
    shot(page, "register-10-opening-float-ar")
    page.click("#id_opening_float")
    page.keyboard.type("20")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#till")).to_be_visible()
    shot(page, "register-11-till-ar")

    # The till's own "Sign out" button brings the keypad back.
    page.click("#signout-button")
    expect(page.locator("#signin-title")).to_be_visible()


def test_after_closing_time_the_cashier_is_told_when_the_shop_opens(page, server, shop, frozen):
    from django.core.signing import get_cookie_signer

    from hanout.pos import services
    from hanout.pos.views_register import DEVICE_COOKIE, DEVICE_SALT

    def pair():
        from hanout.accounts.models import User

        owner = User.objects.get(email=shop["owner_email"])
        _, raw = services.device_pair(register=shop["register"], actor=owner)
        return get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_SALT).sign(raw)

    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": _outside_the_event_loop(pair), "url": server}]
    )
    frozen["now"] = SATURDAY_1930  # the default hours: 08:00–19:00, closed on Sunday

    page.goto(f"{server}/pos/till/")
    page.keyboard.type("14")
    page.keyboard.press("Enter")
    page.keyboard.type("1234")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#signin-error")).to_have_text(
        "The shop is closed. It opens at 08:00 (Monday)."
    )
    shot(page, "register-12-shop-closed")
