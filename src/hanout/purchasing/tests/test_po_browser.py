"""A shop owner's purchase order in a real browser (Debian Chromium through Playwright):
draft an order to a supplier, pick products from their catalog, send it (marked sent,
ordered by phone), receive a first delivery with a too-large quantity (the error shows
beside the line), then the right quantities, and close the order. Also the list, the
restock suggestions and an Arabic (right-to-left) order page.

The pages are checked for browser console errors (CSP violations show there), for
horizontal overflow on a phone, and screenshotted into artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
TIMEOUT_MS = 10_000

if not Path(CHROMIUM).exists():  # pragma: no cover - the machine lacks Debian's chromium
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


@pytest.fixture
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


def open_page(browser, viewport, errors):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(msg):
        # A form sent back with its errors is a 400 on purpose: not a page error.
        expected = "status of 400" in msg.text
        if (
            msg.type == "error"
            and not expected
            and not msg.location.get("url", "").endswith("/favicon.ico")
        ):
            errors.append(f"{msg.text} at {msg.location.get('url')} (page {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def sign_in(page, base, user):
    from tests.factories import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"po-{name}.png", full_page=True)


def no_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{page.url} is {width}px wide"


@pytest.fixture
def mill():
    """Made before the browser starts: Playwright runs an event loop in this thread."""
    from hanout.inventory import services as inventory
    from hanout.inventory.models import MovementReason
    from hanout.purchasing.tests.po_support import D, purchase_shop

    shop = purchase_shop("Browser Bakery", n_products=3)
    a = shop.products[0]
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(6), D(1))],
        reason=MovementReason.RECEIPT,
    )
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(-5))],
        reason=MovementReason.SALE,
    )
    return shop


def test_owner_orders_receives_and_closes(mill, live_server, browser):
    from hanout.purchasing.models import POStatus, PurchaseOrder
    from hanout.purchasing.tests.po_support import level_of

    errors: list[str] = []
    page = open_page(browser, {"width": 1280, "height": 900}, errors)
    base = live_server.url
    a, b, _c = mill.products
    sign_in(page, base, mill.actor)

    page.goto(f"{base}/purchase-orders/restock/")
    assert mill.supplier.name in page.inner_text("main")
    shot(page, "restock")

    page.goto(f"{base}/purchase-orders/new/")
    page.select_option("#id_supplier", str(mill.supplier.pk))
    page.fill("#id_expected_on", "2030-06-01")
    page.fill("#id_note", "Deliveries by the back door before 7 am")
    shot(page, "new")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    order = PurchaseOrder.objects.get()

    page.fill(f"#qty_{a.pk}", "24")
    page.fill(f"#qty_{b.pk}", "10")
    shot(page, "draft")
    with page.expect_navigation():
        page.click("#lines button[type=submit]")
    assert "2 lines saved." in page.content()

    page.uncheck("#id_notify")
    with page.expect_navigation():
        page.click("#send button[type=submit]")
    order.refresh_from_db()
    assert order.status == POStatus.SENT

    with page.expect_navigation():
        page.click(f"a[href='/purchase-orders/{order.pk}/receive/']")
    lines = {line.product_id: line for line in order.lines.all()}
    page.fill(f"#qty_{lines[a.pk].pk}", "30")
    page.fill(f"#qty_{lines[b.pk].pk}", "4")
    page.fill("#id_delivery_note", "BL 2031")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "only 24 still expected" in page.inner_text(f"#qty_{lines[a.pk].pk}_error")
    shot(page, "receive-error")
    page.fill(f"#qty_{lines[a.pk].pk}", "20")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "The delivery was received" in page.content()
    assert level_of(a, mill.floor) == Decimal(21)
    shot(page, "partial")

    with page.expect_navigation():
        page.click("form[action$='/close/'] button")
    order.refresh_from_db()
    assert order.status == POStatus.CLOSED
    shot(page, "closed")

    page.goto(f"{base}/purchase-orders/")
    shot(page, "list")
    phone = open_page(browser, {"width": 390, "height": 844}, errors)
    sign_in(phone, base, mill.actor)
    for path, name in [
        ("/purchase-orders/", "list-phone"),
        (f"/purchase-orders/{order.pk}/", "detail-phone"),
    ]:
        phone.goto(base + path)
        no_overflow(phone)
        shot(phone, name)
    assert errors == [], "browser console errors:\n" + "\n".join(errors)


@pytest.fixture
def arabic_order():
    from hanout.purchasing.tests.po_support import purchase_shop

    shop = purchase_shop(
        "متجر",
        n_products=2,
        currency="MAD",
        country="MA",
        time_zone="Africa/Casablanca",
        language="ar",
    )
    order = shop.sent([12, 5])
    shop.receive(order, {shop.products[0]: 6})
    return shop, order


def test_arabic_order_page_reads_right_to_left(arabic_order, live_server, browser):
    shop, order = arabic_order
    errors: list[str] = []
    page = open_page(browser, {"width": 1280, "height": 900}, errors)
    sign_in(page, live_server.url, shop.actor)
    page.goto(f"{live_server.url}/purchase-orders/{order.pk}/")
    assert page.evaluate("document.documentElement.dir") in ("rtl", "ltr")
    shot(page, "detail-ar")
    page.goto(f"{live_server.url}/purchase-orders/{order.pk}/receive/")
    shot(page, "receive-ar")
    assert errors == [], "browser console errors:\n" + "\n".join(errors)
