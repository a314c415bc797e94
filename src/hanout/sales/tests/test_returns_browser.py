"""Recording returns in a real browser (Debian Chromium through Playwright), served by
uvicorn like `hanout serve`:

- the owner finds a ticket by its printed number, asks to take back more than was
  sold (the error shows beside that line), then takes back one unit to stock and
  one written off, refunded by card, and lands on the return with its credit note;
- the same from a shipped order; the list shows both and filters them;
- on a phone-sized screen and in Arabic (right to left) the pages stay usable.

Screenshots of each step land in artifacts/ (git-ignored); browser console
errors fail the test.
"""

from __future__ import annotations

import os
import re
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
WIDE = {"width": 1280, "height": 800}
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
def server(transactional_db):
    """The whole Hanout ASGI application on a free port."""
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


def _page(browser, viewport, locale="en-GB"):
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg):
        url = msg.location.get("url", "")
        expected = url.endswith("/favicon.ico") or re.search(r"status of 4(00|03|04)", msg.text)
        if msg.type == "error" and not expected:
            errors.append(f"{msg.text} at {url} (page {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
    return context, page, errors


@pytest.fixture
def page(browser):
    context, page, errors = _page(browser, WIDE)
    yield page
    context.close()
    assert errors == [], "browser console errors:\n" + "\n".join(errors)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")


def sign_in(page, server, email):
    from tests.factories import PASSWORD

    page.goto(f"{server}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def _shop(name="Boulangerie Kaching", **business):
    from hanout.sales.tests.returns_support import (
        make_customer,
        make_shipped_order,
        make_till,
        open_session,
        sell,
    )
    from tests.factories import make_business

    till = make_till(make_business(name, **business))
    open_session(till)
    sale = sell(till, ("deo", 2), ("cafe", 3), ("croissant", 1))
    customer = make_customer(till.business, "Atelier Nour")
    order = make_shipped_order(till, customer, ("chocolat", 4), ("pain", 2))
    return {
        "email": till.user.email,
        "ticket": sale.ticket_number,
        "sale": str(sale.pk),
        "order": order.reference,
        "order_id": str(order.pk),
        "lines": {line.name: str(line.pk) for line in sale.lines.all()},
        "order_lines": {line.name: str(line.pk) for line in order.lines.all()},
    }


@pytest.fixture
def shop(server):
    return _outside_the_event_loop(_shop)


def test_the_owner_takes_back_part_of_a_ticket_and_of_an_order(page, server, shop):
    sign_in(page, server, shop["email"])
    page.goto(f"{server}/returns/new/")
    page.fill("#id_q", shop["ticket"])
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    shot(page, "returns-01-find-ticket")
    with page.expect_navigation():
        page.click(f"a[href$='?sale={shop['sale']}']")
    expect(page.locator("h1")).to_contain_text(shop["ticket"])
    shot(page, "returns-02-ticket-form")

    deo, cafe = shop["lines"]["Déodorant CienMEN"], shop["lines"]["Café"]
    page.fill(f"#id_qty_{deo}", "5")
    page.fill("#id_reason", "Wrong scent")
    with page.expect_navigation():
        page.click("#return-submit")
    expect(page.locator(f"#id_qty_{deo}_error")).to_contain_text("Only 2 of")
    shot(page, "returns-03-too-many")

    page.fill(f"#id_qty_{deo}", "1")
    page.fill(f"#id_qty_{cafe}", "1")
    page.select_option(f"#id_disp_{cafe}", "write_off")
    page.check("input[name=refund_method][value=card]")
    with page.expect_navigation():
        page.click("#return-submit")
    expect(page.locator("h1")).to_contain_text("RT-000001")
    expect(page.locator("#return-lines")).to_contain_text("Written off")
    expect(page.locator("#return-refund")).to_contain_text("7,00")
    shot(page, "returns-04-detail")

    page.goto(f"{server}/returns/new/?order={shop['order_id']}")
    pain = shop["order_lines"]["Pain au chocolat"]
    page.fill(f"#id_qty_{pain}", "2")
    page.fill("#id_reason", "Crushed in the parcel")
    page.check("input[name=refund_method][value=bank]")
    page.fill("#id_refund_reference", "VIR-2026-118")
    with page.expect_navigation():
        page.click("#return-submit")
    expect(page.locator("h1")).to_contain_text("RT-000002")
    expect(page.locator("body")).to_contain_text(shop["order"])
    shot(page, "returns-05-order-detail")

    page.goto(f"{server}/returns/")
    expect(page.locator("#return-rows tbody tr")).to_have_count(2)
    shot(page, "returns-06-list")
    page.select_option("#id_source", "order")
    expect(page.locator("#return-rows tbody tr")).to_have_count(1)
    expect(page.locator("#return-rows")).to_contain_text("RT-000002")
    shot(page, "returns-07-list-filtered")


def test_the_pages_on_a_phone_and_in_arabic(browser, server):
    def build():
        data = _shop(
            "Alma7al", currency="MAD", country="MA", time_zone="Africa/Casablanca", language="ar"
        )
        from hanout.accounts.models import User
        from hanout.pos.models import SaleLine
        from hanout.sales import services_returns as returns
        from hanout.sales.models import CustomerOrder

        user = User.objects.get(email=data["email"])
        line = SaleLine.objects.get(pk=data["lines"]["Café"])
        order = CustomerOrder.objects.get(pk=data["order_id"])
        business = order.business
        returns.return_record(
            business=business,
            actor=user,
            sale=line.sale,
            lines=[returns.ReturnLineInput(line=line, quantity=1)],
            reason="منتهي الصلاحية",
            refund_method="cash",
        )
        return data

    data = _outside_the_event_loop(build)
    context, page, errors = _page(browser, PHONE, locale="ar-MA")
    sign_in(page, server, data["email"])
    page.goto(f"{server}/returns/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot(page, "returns-08-list-arabic-phone")
    page.goto(f"{server}/returns/new/?sale={data['sale']}")
    shot(page, "returns-09-form-arabic-phone")
    # Nothing wider than the screen: the table stacks on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    context.close()
    assert errors == [], "browser console errors:\n" + "\n".join(errors)
