"""The till in a real browser (Debian Chromium through Playwright): a cashier signs in
on a paired register, scans, types an article number on the keypad, adds a cash
withdrawal, opens the sub-account, pays with change; then the network is cut, two
sales are made, the page is reloaded while offline (the service worker serves it),
the network returns and the server has both sales exactly once.

The "network" is a small TCP proxy between the browser and the live server that
the test can cut (connections reset, new ones refused) — what a pulled cable does
— together with Chromium's own offline switch (navigator.onLine, the `offline`
and `online` events). Screenshots land in artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import threading
from datetime import time
from decimal import Decimal
from pathlib import Path
from time import time as epoch_seconds

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, expect = playwright_api.sync_playwright, playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
WIDE = {"width": 1280, "height": 800}
TABLET = {"width": 1024, "height": 768}
TABLET_PORTRAIT = {"width": 768, "height": 1024}
TIMEOUT_MS = 10_000
PAIN_AU_CHOCOLAT = "1946753214860"

if not Path(CHROMIUM).exists():  # pragma: no cover - the machine lacks Debian's chromium
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


# --- the browser ---------------------------------------------------------------------------


LAUNCH = {
    "executable_path": CHROMIUM,
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ],
}


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    browser = playwright.chromium.launch(**LAUNCH)
    try:
        yield browser
    finally:
        browser.close()


class Console:
    """Browser console errors, minus the ones a test provokes on purpose."""

    def __init__(self):
        self.errors: list[str] = []
        self.allow: list[str] = []

    def watch(self, page):
        def on_console(msg):
            if msg.type != "error":
                return
            text = f"{msg.text} at {msg.location.get('url')}"
            if not any(re.search(pattern, text) for pattern in self.allow):
                self.errors.append(text)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))


@pytest.fixture
def console():
    c = Console()
    yield c
    assert c.errors == [], "browser console errors:\n" + "\n".join(c.errors)


def new_page(
    browser, console, base_url, *, viewport=WIDE, locale="en-GB", device_cookie="", sw="allow"
):
    context = browser.new_context(
        viewport=viewport, locale=locale, base_url=base_url, service_workers=sw
    )
    context.set_default_timeout(TIMEOUT_MS)
    if device_cookie:
        context.add_cookies([{"name": "hanout_register", "value": device_cookie, "url": base_url}])
    page = context.new_page()
    console.watch(page)
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"till-{name}.png", animations="disabled")


# --- the shop ------------------------------------------------------------------------------


def _outside_the_event_loop(build):
    """Run `build` in a plain thread: Playwright's event loop runs in this one, and the
    services' events (async_to_sync) refuse to run inside an event loop."""
    result = {}

    def run():
        from django.db import connection

        try:
            result["value"] = build()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "value" not in result:
        raise RuntimeError("building the shop failed (see the thread's traceback above)")
    return result["value"]


def png(colour) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(buf, format="PNG")
    return buf.getvalue()


class Shop:
    def __init__(self, owner, cashier, register, session, device_cookie):
        self.owner = owner
        self.cashier = cashier
        self.register = register
        self.session = session
        self.device_cookie = device_cookie


def _build_shop() -> Shop:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.signing import get_cookie_signer

    from hanout.catalog import services as catalog
    from hanout.core import services as core_services
    from hanout.core.models import Shop as ShopModel
    from hanout.core.permissions import Role
    from hanout.inventory import services as inventory
    from hanout.pos import services as pos
    from tests.factories import make_business, make_member

    owner = make_business("Boulangerie Test")
    b, u = owner.business, owner.user
    shop = ShopModel.objects.for_business(b).order_by("created_at").first()
    # Open round the clock: the test may run at any hour.
    core_services.opening_hours_set(
        shop=shop,
        actor=u,
        hours=[
            {"weekday": d, "opens_at": time(0), "closes_at": time(23, 59, 59), "is_closed": False}
            for d in range(7)
        ],
    )
    vien = catalog.category_create(business=b, actor=u, name="Viennoiseries")
    drinks = catalog.category_create(business=b, actor=u, name="Boissons")
    hygiene = catalog.category_create(business=b, actor=u, name="Hygiène")
    location = inventory.default_location(shop=shop)
    rows = [
        ("Pain au chocolat", "1.20", "1234", vien, [PAIN_AU_CHOCOLAT], (120, 70, 30)),
        ("Croissant", "1.00", "9012", vien, [], (220, 170, 80)),
        ("Café", "2.50", "0000", drinks, [], None),
        ("Chocolat noir", "3.50", "4321", None, [], (60, 30, 20)),
        ("Déodorant CienMEN", "4.50", "7777", hygiene, [], None),
    ]
    for name, price, sku, category, codes, colour in rows:
        p = catalog.product_create(
            business=b,
            actor=u,
            data={
                "name": name,
                "sale_price": Decimal(price),
                "sku": sku,
                "category": category,
                "barcodes": codes,
                "tax_rate": Decimal("6"),
            },
        )
        if colour:
            catalog.product_image_add(
                product=p,
                actor=u,
                file=SimpleUploadedFile(f"{sku}.png", png(colour), content_type="image/png"),
            )
        inventory.stock_receive(
            business=b, actor=u, product=p, location=location, quantity=Decimal("100")
        )
    cashier = make_member(owner, role=Role.CASHIER, code="14", pin="1234", full_name="Khadija")
    register = pos.register_create(business=b, actor=u, shop=shop, name="Caisse 1")
    session = pos.session_open(register=register, actor=u, opening_float=Decimal("50.00"))
    _device, raw = pos.device_pair(register=register, actor=u, label="Counter")
    from hanout.pos.views_register import DEVICE_COOKIE, DEVICE_SALT

    cookie = get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_SALT).sign(raw)
    return Shop(owner, cashier, register, session, cookie)


@pytest.fixture
def shop(transactional_db):
    return _outside_the_event_loop(_build_shop)


def sales_of(shop):
    from hanout.pos.models import Sale

    return list(
        Sale.objects.filter(register=shop.register)
        .prefetch_related("lines", "payments")
        .order_by("number")
    )


@pytest.fixture
def asgi_server(transactional_db):
    """The whole Hanout ASGI application (HTTP and WebSocket) on a free port, served by
    uvicorn like `hanout serve`: the QR payment needs the register's WebSocket."""
    import time as clock

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
    deadline = clock.monotonic() + 10
    while not server.started:
        assert clock.monotonic() < deadline, "uvicorn did not start"
        clock.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- a network the test can cut --------------------------------------------------------------


class CuttableNetwork:
    """A TCP proxy to the live server. `cut()` resets every open connection and refuses
    new ones (the browser sees net::ERR_CONNECTION_RESET / REFUSED); `restore()` lets
    traffic through again."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.down = False
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if self.down:
                self._reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                self._reset(client)
                continue
            with self.lock:
                self.open |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    @staticmethod
    def _reset(sock):
        try:
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            sock.close()
        except OSError:
            pass

    def cut(self):
        self.down = True
        with self.lock:
            for s in list(self.open):
                self._reset(s)
            self.open.clear()

    def restore(self):
        self.down = False

    def close(self):
        self.running = False
        self.cut()
        self.server.close()


@pytest.fixture
def network(live_server):
    from urllib.parse import urlsplit

    parts = urlsplit(live_server.url)
    net = CuttableNetwork(parts.hostname, parts.port)
    yield net
    net.close()


# --- steps ---------------------------------------------------------------------------------


def sign_in_at_the_register(page, code="14", pin="1234"):
    page.goto("/pos/till/")
    keypad = page.locator("[data-keypad]")
    for digit in code:
        keypad.locator(f"[data-key='{digit}']").click()
    page.click("#signin-ok")
    for digit in pin:
        keypad.locator(f"[data-key='{digit}']").click()
    with page.expect_navigation():
        page.click("#signin-ok")
    page.wait_for_selector("#till[data-ready=yes]")


SCANNER_GAP = 0.004  # seconds between the keys of a USB scanner


def scan(page, code: str):
    """A USB scanner: the characters 4 ms apart, then Enter.

    The keys go through the DevTools protocol with their time stamps set, as a scanner's
    keys carry the time the computer received them. Typed with ``page.keyboard`` on a
    loaded CI machine, one key now and then left the test process 150+ ms after the one
    before, and the till rightly took the keys before the lag for a person's typing
    (seen on PostgreSQL: "1946753214860" scanned as "46753214860").
    """
    cdp = getattr(page, "_hanout_cdp", None)
    if cdp is None:
        cdp = page._hanout_cdp = page.context.new_cdp_session(page)
    start = max(epoch_seconds(), getattr(page, "_hanout_scan_end", 0.0) + 0.02)
    keys = [(ch, {"key": ch, "text": ch}) for ch in code]
    keys.append(
        ("Enter", {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"})
    )
    for i, (_, fields) in enumerate(keys):
        stamp = start + i * SCANNER_GAP
        cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "timestamp": stamp, **fields})
        up = {k: v for k, v in fields.items() if k != "text"}
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "timestamp": stamp + 0.001, **up})
    page._hanout_scan_end = start + len(keys) * SCANNER_GAP


def keypad(page, digits: str):
    for digit in digits:
        page.click(f"#till-keypad [data-key='{digit}']")


def tap(page, product: str):
    page.locator(".till-product", has_text=product).first.click()


def add_withdrawal(page, amount: str):
    page.click("#withdrawal-button")
    page.fill("#withdrawal-amount", amount)
    page.click("#withdrawal-form button[type=submit]")


def lines(page) -> list[str]:
    return [t.split("\n")[0] for t in page.locator(".till-line").all_inner_texts()]


def pay_cash(page, quick: str | None = None):
    page.click("#pay-button")
    page.wait_for_selector("#pay-panel:not([hidden])")
    if quick:
        page.locator("#pay-quick button", has_text=quick).click()
    page.click("#pay-cash-ok")


def pay_card(page):
    page.click("#pay-button")
    page.click(".pay-method[data-method=card]")
    page.click("#pay-card-ok")


# --- the stories ---------------------------------------------------------------------------


def test_a_cashier_scans_types_an_article_adds_a_withdrawal_and_pays_two_baskets(
    browser, console, live_server, shop
):
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    expect(page.locator("#till-cashier")).to_contain_text("Khadija")
    expect(page.locator(".till-product")).to_have_count(5)
    expect(page.locator("#net-status")).to_have_text(re.compile("Online"))
    shot(page, "1-empty")

    # Main basket: a scan, the café's article number on the keypad, a cash withdrawal.
    scan(page, PAIN_AU_CHOCOLAT)
    expect(page.locator(".till-line")).to_have_count(1)
    keypad(page, "0000")
    page.click("#till-keypad [data-action=enter]")
    expect(page.locator(".till-line")).to_have_count(2)
    assert lines(page) == ["Pain au chocolat", "Café"]
    add_withdrawal(page, "15")
    expect(page.locator("#till-withdrawal-amount")).to_have_text("€15.00")
    expect(page.locator("#till-total")).to_have_text("€18.70")
    shot(page, "2-main-basket")

    # The sub-account: three buttons (by category and by search).
    page.click("#tab-sub")
    expect(page.locator(".till-line")).to_have_count(0)
    page.click(".till-chip:has-text('Viennoiseries')")
    expect(page.locator(".till-product")).to_have_count(2)
    tap(page, "Croissant")
    page.click(".till-chip:has-text('All')")
    tap(page, "Chocolat noir")
    page.fill("#till-search", "deodo")
    expect(page.locator(".till-product")).to_have_count(1)
    tap(page, "Déodorant")
    page.fill("#till-search", "")
    expect(page.locator("#till-total")).to_have_text("€9.00")
    expect(page.locator("#tab-main [data-total]")).to_have_text("€18.70")
    shot(page, "3-sub-account")

    # The sub-account is paid first, by card: its own sale and ticket.
    pay_card(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    expect(page.locator("#receipt-number")).to_have_text("000001")
    page.click("#receipt-next")
    # The main basket still waits and comes back by itself.
    expect(page.locator("#tab-main")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#till-total")).to_have_text("€18.70")

    # Cash: 20.00 handed over, the change shown big before and after.
    page.click("#pay-button")
    page.locator("#pay-quick button", has_text="€20.00").click()
    expect(page.locator("#pay-change")).to_have_text("€1.30")
    shot(page, "4-pay-cash")
    page.click("#pay-cash-ok")
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    expect(page.locator("#receipt-number")).to_have_text("000002")
    expect(page.locator("#receipt-change")).to_have_text("€1.30")
    expect(page.locator("#receipt-pdf")).to_be_enabled()
    shot(page, "5-ticket")
    # The ticket as an 80 mm PDF, from the server's sale.
    sale_id = page.get_attribute("#receipt-panel", "data-sale-id")
    pdf = page.request.get(f"/pos/sales/{sale_id}/ticket.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    page.click("#receipt-next")
    expect(page.locator("#till-total")).to_have_text("€0.00")

    # The server priced and recorded both, as two sales.
    sub, main = sales_of(shop)
    assert (sub.basket, sub.total, sub.revenue) == ("sub", Decimal("9.00"), Decimal("9.00"))
    assert [p.method for p in sub.payments.all()] == ["card"]
    assert (main.basket, main.total) == ("main", Decimal("18.70"))
    assert (main.withdrawal_total, main.revenue) == (Decimal("15.00"), Decimal("3.70"))
    assert main.change_given == Decimal("1.30")
    assert sorted(line.kind for line in main.lines.all()) == ["product", "product", "withdrawal"]
    assert main.cashier == shop.cashier.user
    assert not main.offline


def test_an_unknown_code_adds_nothing_and_a_scan_into_the_search_box_still_sells(
    browser, console, live_server, shop
):
    console.allow.append(r"status of 404")  # the server's answer to an unknown code
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)

    scan(page, "123")
    expect(page.locator("#till-message")).to_contain_text("No product with code 123")
    expect(page.locator(".till-line")).to_have_count(0)

    # The search box has the focus and a half-typed word: the scan adds the product and
    # the word stays as it was.
    page.click("#till-search")
    page.keyboard.type("cro", delay=120)
    expect(page.locator(".till-product")).to_have_count(1)
    scan(page, PAIN_AU_CHOCOLAT)
    scan(page, PAIN_AU_CHOCOLAT)
    expect(page.locator(".till-line")).to_have_count(1)
    expect(page.locator(".till-line-qty")).to_have_text("2")
    assert page.input_value("#till-search") == "cro"
    expect(page.locator(".till-product")).to_have_count(1)

    # The keypad sets the quantity of the selected line; − and the bin change it.
    page.locator("#till-search").blur()
    keypad(page, "3")
    page.click("#till-keypad [data-action=quantity]")
    expect(page.locator(".till-line-qty")).to_have_text("3")
    expect(page.locator("#till-total")).to_have_text("€3.60")
    page.click(".till-line.selected button[aria-label='One less']")
    expect(page.locator("#till-total")).to_have_text("€2.40")
    # A cashier without Sales: full gives no discount (the server refuses too).
    expect(page.locator("#discount-button")).to_be_hidden()
    page.click(".till-line.selected button[aria-label^='Remove']")
    expect(page.locator(".till-line")).to_have_count(0)
    assert sales_of(shop) == []


def test_a_cashier_allowed_to_discount_takes_an_amount_off_a_line(
    browser, console, live_server, shop
):
    def allow():
        from hanout.accounts.services import module_access_set
        from hanout.core.permissions import Module

        module_access_set(
            actor_membership=shop.owner, membership=shop.cashier, levels={Module.SALES: "full"}
        )

    _outside_the_event_loop(allow)
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    tap(page, "Chocolat noir")
    tap(page, "Chocolat noir")
    keypad(page, "0.50")
    page.click("#discount-button")
    expect(page.locator(".till-line-discount")).to_have_text(" − €0.50")
    expect(page.locator("#till-total")).to_have_text("€6.50")
    # More than the line is refused on the till already.
    keypad(page, "9")
    page.click("#discount-button")
    expect(page.locator("#till-message")).to_contain_text("cannot be more than the line")
    pay_cash(page, quick="€10.00")
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    expect(page.locator("#receipt-change")).to_have_text("€3.50")
    (sale,) = sales_of(shop)
    assert (sale.total, sale.discount_total) == (Decimal("6.50"), Decimal("0.50"))


def test_the_sub_account_is_paid_by_phone_and_the_till_hears_it_without_reloading(
    browser, console, asgi_server, shop
):
    from hanout.pos.tests.payments_support import APPROVED, future_expiry

    page = new_page(browser, console, asgi_server, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    page.click("#tab-sub")
    for name in ("Croissant", "Chocolat noir", "Déodorant"):
        tap(page, name)
    expect(page.locator("#till-total")).to_have_text("€9.00")
    page.click("#pay-button")
    page.click(".pay-method[data-method=phone]")
    page.click("#pay-phone-start")
    expect(page.locator(".pay-qr-image")).to_be_visible()
    expect(page.locator("#pay-phone-amount")).to_have_text("€9.00")
    expect(page.locator("#pay-phone-status")).to_contain_text("Waiting for the customer")
    # Changed their mind: cancelled from the register, then a new code.
    page.click("#pay-phone-cancel")
    expect(page.locator("#pay-phone-status")).to_contain_text("cancelled")
    page.click("#pay-phone-start")
    expect(page.locator(".pay-qr-image")).to_be_visible()
    shot(page, "8-qr")
    url = page.get_attribute(".pay-link", "href")

    # The phone: another browser, no register cookie, just the link in the QR code.
    phone = new_page(browser, console, asgi_server, viewport={"width": 390, "height": 844})
    phone.goto(url)
    expect(phone.locator("#pay-total")).to_contain_text("9")
    phone.fill("#card_number", APPROVED)
    phone.fill("#expiry", future_expiry())
    phone.fill("#cvc", "123")
    phone.click("#pay-submit")
    expect(phone.locator("[data-state=paid]")).to_be_visible()

    # The till hears it over its WebSocket and completes the sale by itself.
    expect(page.locator("#pay-phone-status")).to_contain_text("Payment accepted")
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    expect(page.locator("#receipt-number")).to_have_text("000001")
    shot(page, "9-qr-paid")

    def check():
        (sale,) = sales_of(shop)
        payment = sale.payments.get()
        return sale.basket, sale.total, payment.method, payment.payment_link.status

    assert _outside_the_event_loop(check) == ("sub", Decimal("9.00"), "phone", "paid")


def test_offline_sales_wait_survive_a_reload_and_reach_the_server_once(
    browser, console, live_server, shop, network
):
    # While the network is cut, failed requests are the point.
    console.allow += [r"net::ERR_", r"Failed to load resource"]
    page = new_page(browser, console, network.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    # The service worker has the app shell before the cable is pulled.
    page.wait_for_selector("#till[data-sw=warmed]")
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    network.cut()
    page.context.set_offline(True)
    expect(page.locator("#net-status")).to_have_text(re.compile("Offline"))

    # Two sales, cash and card: each gets a provisional number.
    tap(page, "Croissant")
    page.click("#pay-button")
    expect(page.locator("#pay-method-phone")).to_contain_text("Needs the network")
    page.click("#pay-cash-ok")
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "queued")
    expect(page.locator("#receipt-number")).to_have_text(re.compile(r"^OFF-[0-9A-F]{8}$"))
    expect(page.locator("#receipt-provisional")).to_be_visible()
    expect(page.locator("#receipt-pdf")).to_be_disabled()
    shot(page, "6-offline-ticket")
    page.click("#receipt-next")
    scan(page, PAIN_AU_CHOCOLAT)
    keypad(page, "0000")
    page.keyboard.press("Enter")
    expect(page.locator("#till-total")).to_have_text("€3.70")
    pay_card(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "queued")
    page.click("#receipt-next")
    expect(page.locator("#outbox-count")).to_have_text("2 sales waiting")

    # Switching cashier is refused while sales wait.
    page.click("#lock-button")
    expect(page.locator("#till-message")).to_contain_text("2 sales are waiting to be sent")
    assert page.url.endswith("/pos/till/")
    shot(page, "7-offline-waiting")

    # A reload while offline: the service worker serves the till; the queue is still there.
    page.reload()
    page.wait_for_selector("#till[data-ready=yes]")
    expect(page.locator("#outbox-count")).to_have_text("2 sales waiting")
    expect(page.locator(".till-product")).to_have_count(5)
    assert sales_of(shop) == []

    # The network returns: both are sent, once each, and marked as made offline.
    network.restore()
    page.context.set_offline(False)
    expect(page.locator("#outbox-button")).to_be_hidden(timeout=20_000)
    expect(page.locator("#net-status")).to_have_text(re.compile("Online"))
    sent = sales_of(shop)
    assert [s.total for s in sent] == [Decimal("1.00"), Decimal("3.70")]
    assert all(s.offline for s in sent)
    assert len({s.client_uuid for s in sent}) == 2
    # The register's journal pairs each provisional number with the server's.
    numbers = page.evaluate(
        "window.HanoutTill.outbox.journal(5).then(j => j.map(e => [e.provisional, e.sale.ticket]))"
    )
    assert sorted(n for _, n in numbers) == ["000001", "000002"]
    assert all(p.startswith("OFF-") for p, _ in numbers)


def test_a_sale_queued_before_a_power_cut_is_still_there_after_it(
    playwright, console, live_server, shop, network, tmp_path
):
    console.allow += [r"net::ERR_", r"Failed to load resource"]
    profile = tmp_path / "chromium-profile"

    def start():
        context = playwright.chromium.launch_persistent_context(
            profile, viewport=WIDE, locale="en-GB", base_url=network.url, **LAUNCH
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.pages[0] if context.pages else context.new_page()
        console.watch(page)
        return context, page

    context, page = start()
    context.add_cookies(
        [{"name": "hanout_register", "value": shop.device_cookie, "url": network.url}]
    )
    sign_in_at_the_register(page)
    page.wait_for_selector("#till[data-sw=warmed]")
    network.cut()
    context.set_offline(True)
    tap(page, "Croissant")
    pay_cash(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "queued")
    expect(page.locator("#outbox-count")).to_have_text("1 sale waiting")
    context.close()  # the power goes off: the browser is gone

    # The power comes back, the network not yet: the till opens from the service worker's
    # copy and the sale is still in the queue.
    context, page = start()
    context.set_offline(True)
    page.goto("/pos/till/")
    page.wait_for_selector("#till[data-ready=yes]")
    expect(page.locator("#outbox-count")).to_have_text("1 sale waiting")
    assert sales_of(shop) == []
    network.restore()
    context.set_offline(False)
    expect(page.locator("#outbox-button")).to_be_hidden(timeout=20_000)
    (sale,) = sales_of(shop)
    assert sale.total == Decimal("1.00") and sale.offline
    context.close()


def test_a_sale_whose_answer_is_lost_is_sent_again_and_recorded_once(
    browser, console, live_server, shop
):
    console.allow += [r"net::ERR_FAILED", r"Failed to load resource"]
    # (No service worker here: Playwright routes only what the page itself fetches.)
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie, sw="block")
    sign_in_at_the_register(page)
    attempts = []

    def lose_the_first_answer(route):
        response = route.fetch()  # the server records the sale…
        attempts.append(response.status)
        if len(attempts) == 1:
            route.abort("failed")  # …but the answer never arrives
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/sales/", lose_the_first_answer)
    tap(page, "Café")
    pay_cash(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent", timeout=20_000)
    expect(page.locator("#receipt-number")).to_have_text("000001")
    assert attempts == [201, 200]  # the retry finds the first sale
    assert len(sales_of(shop)) == 1


def test_the_till_in_arabic_reads_right_to_left(browser, console, live_server, shop):
    page = new_page(
        browser, console, live_server.url, locale="ar-MA", device_cookie=shop.device_cookie
    )
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    sign_in_at_the_register(page)
    assert page.get_attribute("html", "dir") == "rtl"
    scan(page, PAIN_AU_CHOCOLAT)
    tap(page, "Croissant")
    add_withdrawal(page, "20")
    # The basket sits on the left in Arabic (mirrored), the keypad keeps 7-8-9 from the left.
    side = page.locator(".till-side").bounding_box()
    catalog = page.locator(".till-catalog").bounding_box()
    assert side["x"] < catalog["x"]
    seven = page.locator("#till-keypad [data-key='7']").bounding_box()
    nine = page.locator("#till-keypad [data-key='9']").bounding_box()
    assert seven["x"] < nine["x"]
    shot(page, "ar-1280")
    page.set_viewport_size(TABLET)
    shot(page, "ar-1024")
    page.set_viewport_size(TABLET_PORTRAIT)
    shot(page, "ar-768")
    page.click("#pay-button")
    shot(page, "ar-768-pay")


def test_an_idle_register_locks_itself(browser, console, live_server, shop):
    from hanout.pos.models import Register

    Register.objects.filter(pk=shop.register.pk).update(idle_lock_seconds=2)
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    page.wait_for_selector("#signin-form", timeout=8000)
    assert page.locator("#till").count() == 0
