"""Import, export and labels in a real browser (Debian Chromium through Playwright):
upload a CSV with a bad row, read the preview, confirm, see the result; build a
label sheet by searching and adding products. Console errors fail the test (CSP
violations show there). Screenshots land in artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
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
TIMEOUT_MS = 15_000

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


def _build_shop():
    from hanout.catalog import services
    from tests.factories import make_business

    owner = make_business("Épicerie IO")
    b, u = owner.business, owner.user
    bakery = services.category_create(business=b, actor=u, name="Bakery")
    for name, price, sku, code in (
        ("Croissant", "1.00", "9012", "3792075124138"),
        ("Pain au chocolat", "1.20", "1234", "1946753214860"),
        ("شاي بالنعناع", "7.00", "7777", ""),
    ):
        services.product_create(
            business=b,
            actor=u,
            data={
                "name": name,
                "sale_price": Decimal(price),
                "sku": sku,
                "category": bakery,
                "barcodes": [code] if code else [],
            },
        )
    return owner


@pytest.fixture
def shop(transactional_db):
    return _outside_the_event_loop(_build_shop)


def sign_in(page, live_server, email):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def test_import_preview_then_confirm(page, live_server, shop, tmp_path):
    sign_in(page, live_server, shop.user.email)
    page.goto(f"{live_server.url}/catalog/import/")
    shot(page, "catalog-import-upload")
    csv_file = tmp_path / "produits.csv"
    csv_file.write_text(
        "nom;référence;code-barres;prix;catégorie\n"
        "Tarte au riz;5678;9859432166010;1,10;Bakery\n"
        "Croissant;9012;3792075124138;1,05;Bakery\n"
        "Mauvais;1111;5901234123458;abc;Nowhere\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(csv_file))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Check the file')")
    expect(page.locator("h1")).to_have_text("Check the import")
    expect(page.locator("[data-count=create]")).to_have_text("1")
    expect(page.locator("[data-count=update]")).to_have_text("1")
    expect(page.locator("[data-count=error]")).to_have_text("1")
    expect(page.locator(".import-errors")).to_contain_text("check digit should be 7")
    shot(page, "catalog-import-preview")
    with page.expect_navigation():
        page.click("button:has-text('Import 2 valid rows')")
    expect(page.locator(".alert-success")).to_contain_text("1 product created")
    shot(page, "catalog-import-done")


def test_refused_file_says_why(page, live_server, shop, tmp_path):
    sign_in(page, live_server, shop.user.email)
    page.goto(f"{live_server.url}/catalog/import/")
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Check the file')")
    expect(page.locator(".alert-danger")).to_contain_text("not a CSV or an Excel")
    shot(page, "catalog-import-refused")


def test_labels_page_search_add_and_print(page, live_server, shop):
    from hanout.catalog.models import Product

    croissant = _outside_the_event_loop(lambda: str(Product.objects.get(sku="9012").pk))
    sign_in(page, live_server, shop.user.email)
    page.goto(f"{live_server.url}/catalog/labels/?product={croissant}")
    expect(page.locator("#label-rows tr")).to_have_count(1)
    page.fill("#label-search", "chocolat")
    page.locator("#label-search-results li:has-text('Pain au chocolat') button").click()
    expect(page.locator("#label-rows tr")).to_have_count(2)
    # Adding a product already on the sheet adds nothing.
    page.locator("#label-search-results li:has-text('Pain au chocolat') button").click()
    page.wait_for_timeout(300)
    expect(page.locator("#label-rows tr")).to_have_count(2)
    page.fill("#label-search", "7777")
    page.locator("#label-search-results li:has-text('شاي') button").click()
    expect(page.locator("#label-rows tr")).to_have_count(3)
    shot(page, "catalog-labels")
    # Remove the last row again.
    page.locator("#label-rows tr").last.locator("button").click()
    expect(page.locator("#label-rows tr")).to_have_count(2)
    with page.expect_popup() as popup:
        page.click("button:has-text('Make the PDF')")
    pdf = popup.value
    pdf.wait_for_load_state()
    assert pdf.url.endswith("/catalog/labels/")
