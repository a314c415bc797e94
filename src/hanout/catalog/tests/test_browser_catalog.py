"""The catalog in a real browser (Debian Chromium through Playwright): live search,
switching to the table view, adding a product with two barcodes, the category tree
on a phone, and the pages in Arabic (right to left).

Every page is checked for browser console errors (Content-Security-Policy
violations show there). Screenshots land in artifacts/ (git-ignored).
"""

from __future__ import annotations

import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, expect = playwright_api.sync_playwright, playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 360, "height": 780}
TIMEOUT_MS = 10_000

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
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg):
        # A form sent back with errors answers 400 on purpose; Chromium logs that status.
        expected = (
            msg.location.get("url", "").endswith("/favicon.ico") or "status of 400" in msg.text
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


def png(colour) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buf, format="PNG")
    return buf.getvalue()


def _outside_the_event_loop(build):
    """Run `build` in a plain thread: Playwright's event loop runs in this one, and the
    services' events (async_to_sync) refuse to run inside an event loop."""
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
def shop(transactional_db):
    """A bakery with a small tree and a few products (three with an image)."""
    return _outside_the_event_loop(_build_shop)


def _build_shop():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hanout.catalog import services
    from tests.factories import make_business

    owner = make_business("Boulangerie Test")
    b, u = owner.business, owner.user
    bakery = services.category_create(business=b, actor=u, name="Bakery")
    vien = services.category_create(business=b, actor=u, name="Viennoiseries", parent=bakery)
    drinks = services.category_create(business=b, actor=u, name="Drinks")
    rows = [
        ("Pain au chocolat", "1.20", "1234", vien, (120, 70, 30)),
        ("Croissant", "1.00", "9012", vien, (220, 170, 80)),
        ("Tarte au riz", "1.10", "5678", bakery, None),
        ("Canette Coca", "3.50", "9630", drinks, (200, 20, 30)),
        ("Café", "2.50", "0000", drinks, None),
    ]
    for name, price, sku, category, colour in rows:
        p = services.product_create(
            business=b,
            actor=u,
            data={"name": name, "sale_price": Decimal(price), "sku": sku, "category": category},
        )
        if colour:
            services.product_image_add(
                product=p,
                actor=u,
                file=SimpleUploadedFile(f"{sku}.png", png(colour), content_type="image/png"),
            )
    return owner


def sign_in(page, live_server, email):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def test_search_live_then_switch_to_the_table(page, live_server, shop):
    sign_in(page, live_server, shop.user.email)
    page.goto(f"{live_server.url}/catalog/")
    assert page.locator(".product-card").count() == 5
    shot(page, "catalog-explorer")

    page.fill("#id_q", "crois")
    page.wait_for_url(re.compile(r".*[?&]q=crois.*"))
    expect(page.locator(".product-card")).to_have_count(1)
    assert page.locator(".product-card").first.inner_text().startswith("Croissant")

    page.click("label[for=view-table]")
    page.wait_for_url(re.compile(r".*view=table.*"))
    page.wait_for_selector("table.product-table")
    assert page.locator("table.product-table tbody tr").count() == 1
    # The search is still applied, and reloading keeps both.
    page.reload()
    assert page.locator("table.product-table tbody tr").count() == 1
    assert page.input_value("#id_q") == "crois"

    page.fill("#id_q", "")
    expect(page.locator("table.product-table tbody tr")).to_have_count(5)
    shot(page, "catalog-explorer-table")

    # The tree filters too, keeping the table view; the short address has no empty keys.
    page.click(".category-tree a:has-text('Drinks')")
    expect(page.locator("table.product-table tbody tr")).to_have_count(2)
    page.wait_for_url(re.compile(r".*category=.*"))
    assert "view=table" in page.url and "tag=" not in page.url
    expect(page.locator(".category-tree a.active")).to_have_text(re.compile("Drinks"))


def test_add_a_product_with_two_barcodes(page, live_server, shop):
    sign_in(page, live_server, shop.user.email)
    page.goto(f"{live_server.url}/catalog/products/new/")
    page.fill("#id_name", "Croissant au pistache")
    page.fill("#id_sku", "2020")
    page.fill("#id_sale_price", "1.50")
    page.select_option("#id_category", label="\u2003· Viennoiseries")
    page.fill("#id_barcodes-0-code", "1738459201678")  # wrong EAN-13 check digit
    page.click("[data-add-row=barcodes]")
    page.fill("#id_barcodes-1-code", "2020")
    page.select_option("#id_barcodes-1-kind", "internal")
    with page.expect_navigation():
        page.click("#product-form button[type=submit]")
    error = page.locator("#id_barcodes-0-code_error")
    assert "check digit should be" in error.inner_text()
    shot(page, "catalog-product-form-error")
    page.select_option("#id_barcodes-0-kind", "internal")
    with page.expect_navigation():
        page.click("#product-form button[type=submit]")
    assert "/catalog/products/" in page.url and "/new/" not in page.url
    body = page.locator("main").inner_text()
    assert "1738459201678" in body and "2020" in body
    shot(page, "catalog-product-detail")


def test_arabic_and_phone(page, live_server, shop):
    sign_in(page, live_server, shop.user.email)
    page.goto(f"{live_server.url}/catalog/")
    page.select_option("#language-select", "ar")
    page.wait_for_load_state()
    page.wait_for_selector("html[dir=rtl]")
    shot(page, "catalog-explorer-ar")
    page.set_viewport_size(NARROW)
    # On a phone the tree is behind a button (offcanvas).
    assert not page.locator("#category-tree").is_visible()
    page.click("button[data-bs-target='#category-tree']")
    page.wait_for_selector("#category-tree.show")
    page.screenshot(path=ARTIFACTS / "catalog-tree-ar-360.png", animations="disabled")
    page.set_viewport_size(WIDE)
    page.goto(f"{live_server.url}/catalog/categories/")
    shot(page, "catalog-categories-ar")
