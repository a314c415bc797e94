"""Customers and orders in a real browser (Debian Chromium through Playwright), on the demo
data of both businesses: the French shop makes an order from a customer's page,
confirms it and ships part of it; the Arabic shop's pages are read right to left.
Console errors fail the test (CSP violations show there). Screenshots land in
artifacts/ (git-ignored)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, expect = playwright_api.sync_playwright, playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 360, "height": 780}

if not Path(CHROMIUM).exists():  # pragma: no cover - the machine lacks Debian's chromium
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


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
    context = browser.new_context(viewport=WIDE, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg):
        expected = (
            msg.location.get("url", "").endswith("/favicon.ico")
            or "status of 400" in msg.text
            or "status of 409" in msg.text
        )
        if msg.type == "error" and not expected:
            errors.append(f"{msg.text} at {msg.location.get('url')} (page {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
    yield page
    context.close()
    assert errors == [], "browser console errors:\n" + "\n".join(errors)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")
    page.set_viewport_size(NARROW)
    page.screenshot(path=ARTIFACTS / f"{name}-360.png", full_page=True, animations="disabled")
    page.set_viewport_size(WIDE)


def _outside_the_event_loop(build):
    import threading

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
    return result["value"]


@pytest.fixture
def demo(transactional_db):
    from hanout.demo import load_demo

    return _outside_the_event_loop(lambda: [b.name for b in load_demo()])


def sign_in(page, live_server, email):
    from hanout.demo import DEMO_PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def test_an_owner_orders_for_a_customer_confirms_and_ships_part(page, live_server, demo):
    sign_in(page, live_server, "admin@kaching.example")
    page.goto(f"{live_server.url}/customers/")
    from hanout.customers.models import Customer

    active = Customer.objects.filter(business__name="Boulangerie Kaching", is_active=True)
    expect(page.locator("#customer-rows tbody tr")).to_have_count(
        active.count()
    )  # not the inactive
    shot(page, "customers-list")
    page.click("text=Hélène Dubois")
    expect(page.locator("h1")).to_contain_text("Hélène Dubois")
    shot(page, "customer-detail")

    page.click("a[href*='/orders/new/']")
    page.select_option("#product-0", index=1)
    page.fill("#quantity-0", "2")
    page.select_option("#product-1", index=2)
    page.fill("#id_promised_on", "2026-12-24")
    shot(page, "order-create")
    with page.expect_navigation():
        page.click("button[type=submit].btn-primary")
    expect(page.locator(".alert-success, .toast, [role=status]").first).to_be_visible()
    shot(page, "order-draft")

    with page.expect_navigation():
        page.click("form[action$='/confirm/'] button")
    expect(page.locator("h1 + .badge, .badge.text-bg-primary").first).to_be_visible()
    first_ship = page.locator("input[name^='ship-']").first
    first_ship.fill("1")
    second = page.locator("input[name^='ship-']").nth(1)
    second.fill("0")
    page.fill("#id_carrier", "bpost")
    with page.expect_navigation():
        page.click("#ship-form button[type=submit]")
    expect(page.locator(".badge.text-bg-warning").first).to_be_visible()
    shot(page, "order-partial")

    from hanout.sales.models import CustomerOrder

    page.goto(f"{live_server.url}/orders/?status=all")
    mine = CustomerOrder.objects.filter(business__name="Boulangerie Kaching")
    expect(page.locator("#order-rows tbody tr")).to_have_count(mine.count())
    shot(page, "orders-list")


def test_the_arabic_shop_reads_its_orders_right_to_left(page, live_server, demo):
    sign_in(page, live_server, "admin@alma7al.example")
    page.goto(f"{live_server.url}/orders/?status=all")
    assert page.locator("html").get_attribute("dir") == "rtl"
    from hanout.sales.models import CustomerOrder

    theirs = CustomerOrder.objects.filter(business__name="Alma7al")
    expect(page.locator("#order-rows tbody tr")).to_have_count(theirs.count())
    shot(page, "orders-list-ar")
    page.locator("#order-rows tbody tr a[dir=ltr]").nth(3).click()
    page.wait_for_load_state()
    shot(page, "order-detail-ar")
    page.goto(f"{live_server.url}/customers/")
    shot(page, "customers-list-ar")
    page.locator("#customer-rows tbody tr a.fw-semibold").first.click()
    page.wait_for_load_state()
    shot(page, "customer-detail-ar")
