"""Phone payment by QR code in real browsers (Debian Chromium through Playwright),
served by uvicorn like `hanout serve` (WebSockets need an ASGI server):

- the register's page listens on its WebSocket;
- a second browser context, a phone, opens the link, has a card declined, pays
  with the test provider's good card and is told it can close the page;
- the register receives `payment.confirmed` over the WebSocket, no polling.

And the pay page in Arabic, right to left, with the language switch. Screenshots
land in artifacts/ (git-ignored); browser console errors fail the test.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, expect = playwright_api.sync_playwright, playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000

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
def asgi_server(transactional_db):
    """The whole Hanout ASGI application (HTTP and WebSocket) on a free port."""
    import uvicorn

    from hanout.asgi import application

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
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
def contexts(browser):
    """New browser contexts whose console errors fail the test."""
    made, errors = [], []

    def new(**kw):
        context = browser.new_context(**kw)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()

        def on_console(msg):
            # A declined card (200), a bad form (400) or a replay (409) is a page on
            # purpose; Chromium logs the status of the last two.
            expected = msg.location.get("url", "").endswith("/favicon.ico") or (
                "status of 40" in msg.text
            )
            if msg.type == "error" and not expected:
                errors.append(f"{msg.text} at {msg.location.get('url')} (page {page.url})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
        made.append(context)
        return page

    yield new
    for context in made:
        context.close()
    assert errors == [], "browser console errors:\n" + "\n".join(errors)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")


def _shop(name: str, **business):
    def build():
        from django.test import Client

        from hanout.pos.tests.payments_support import make_link, make_register
        from tests.factories import make_business

        owner = make_business(name, **business)
        register = make_register(owner, "Caisse 1")
        link = make_link(register, owner.user)
        client = Client()
        client.force_login(owner.user)
        return {"link": link, "register": register, "cookie": client.cookies["sessionid"].value}

    return _outside_the_event_loop(build)


LISTEN = """
(url) => new Promise((resolve, reject) => {
  window.registerMessages = [];
  const ws = new WebSocket(url);
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    window.registerMessages.push(message);
    if (message.type === "sync") resolve(message);
  });
  ws.addEventListener("close", (event) => reject(new Error("closed " + event.code)));
  window.registerSocket = ws;
})
"""


SHOW_QR = """
(svg) => new Promise((resolve) => {
  const img = new Image();
  img.onload = () => resolve(img.naturalWidth);
  img.onerror = () => resolve(-1);
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
})
"""


def test_the_phone_pays_and_the_register_hears_it_over_its_websocket(asgi_server, contexts):
    from hanout.pos.tests.payments_support import DECLINED, future_expiry

    shop = _shop("Boulangerie QR")
    link, register = shop["link"], shop["register"]

    # The register: a signed-in page listening on its WebSocket.
    till = contexts(viewport={"width": 1280, "height": 800})
    till.context.add_cookies([{"name": "sessionid", "value": shop["cookie"], "url": asgi_server}])
    till.goto(asgi_server + "/")
    ws_url = asgi_server.replace("http", "ws") + f"/ws/register/{register.pk}/"
    state = till.evaluate(LISTEN, ws_url)
    assert [s["link"] for s in state["links"]] == [str(link.pk)]

    # The register can show the API's QR code as an image (how the till does it).
    from hanout.pos.api_payments import qr_svg

    width = till.evaluate(SHOW_QR, qr_svg(f"{asgi_server}/pay/{link.token}/"))
    assert width > 100

    # The phone opens the link from the QR code.
    phone = contexts(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    phone.goto(f"{asgi_server}/pay/{link.token}/")
    expect(phone.locator("#pay-total")).to_have_text("9,00\xa0€")
    expect(phone.locator(".pay-lines li")).to_have_count(3)
    shot(phone, "pay-phone-form")

    # A declined card: the reason, and the form again.
    phone.fill("#card_number", DECLINED)
    phone.fill("#expiry", future_expiry())
    phone.fill("#cvc", "123")
    phone.click("#pay-submit")
    expect(phone.locator("#pay-error")).to_contain_text("card declined")
    shot(phone, "pay-phone-declined")

    # The good test card: typed digit by digit, as a person would.
    phone.locator("#card_number").press_sequentially("4242424242424242")
    assert phone.input_value("#card_number") == "4242 4242 4242 4242"
    phone.fill("#expiry", "")  # the page kept what was typed before
    phone.locator("#expiry").press_sequentially(future_expiry().replace("/", ""))
    assert phone.input_value("#expiry") == future_expiry()
    phone.fill("#cvc", "123")
    clicked = time.perf_counter()
    phone.click("#pay-submit")
    expect(phone.locator("[data-state=paid] h1")).to_have_text(
        "Payment accepted — you can close this page."
    )
    shot(phone, "pay-phone-accepted")

    # The register heard it, pushed, without asking.
    till.wait_for_function(
        "window.registerMessages.some((m) => m.type === 'payment.confirmed')", timeout=5000
    )
    heard = time.perf_counter() - clicked
    confirmed = till.evaluate("window.registerMessages.find((m) => m.type === 'payment.confirmed')")
    assert confirmed["link"] == str(link.pk)
    assert confirmed["amount"] == "9.00"
    assert confirmed["sale_client_uuid"] == str(link.sale_client_uuid)
    assert heard < 5

    def check():
        from hanout.pos.models import PaymentLink

        return PaymentLink.objects.get(pk=link.pk)

    paid = _outside_the_event_loop(check)
    assert paid.status == "paid" and paid.attempts == 1

    # The same link again (a second scan, the back button): already paid, nothing charged.
    phone.goto(f"{asgi_server}/pay/{link.token}/")
    expect(phone.locator("[data-state=paid]")).to_be_visible()
    assert phone.locator("#card_number").count() == 0


def test_the_pay_page_in_arabic_reads_right_to_left_and_switches_language(asgi_server, contexts):
    shop = _shop(
        "Alma7al QR", currency="MAD", country="MA", time_zone="Africa/Casablanca", language="ar"
    )
    phone = contexts(viewport=PHONE, is_mobile=True, has_touch=True, locale="ar-MA")
    phone.goto(f"{asgi_server}/pay/{shop['link'].token}/")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.get_attribute("html", "lang") == "ar"
    # The total sits at the inline end: on the left in a right-to-left page.
    total = phone.locator("#pay-total").bounding_box()
    label = phone.locator(".pay-total-row span").first.bounding_box()
    assert total["x"] < label["x"]
    shot(phone, "pay-phone-arabic")

    with phone.expect_navigation():
        phone.select_option("#language-select", "fr")
    assert phone.get_attribute("html", "lang") == "fr"
    assert phone.get_attribute("html", "dir") == "ltr"
    expect(phone.locator("#card_number")).to_be_visible()


def test_an_unknown_link_on_the_phone(asgi_server, contexts):
    phone = contexts(viewport=PHONE, is_mobile=True)
    response = phone.goto(f"{asgi_server}/pay/this-link-never-existed-0000000000000/")
    assert response.status == 404
    expect(phone.locator("[data-state=unknown] h1")).to_be_visible()
