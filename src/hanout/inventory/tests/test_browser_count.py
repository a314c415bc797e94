"""The count sheet on a tablet, in a real browser (Debian Chromium through Playwright):
scan a code, type the counted quantity, save line by line without reloading the
page, review the differences in the confirmation dialog, validate.

The page is checked for browser console errors (CSP violations show there).
Screenshots land in artifacts/ (git-ignored).
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
TABLET = {"width": 820, "height": 1180}
TIMEOUT_MS = 10_000

if not Path(CHROMIUM).exists():  # pragma: no cover - the machine lacks Debian's chromium
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


@pytest.fixture
def page():
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
        context = browser.new_context(viewport=TABLET, locale="en-GB", has_touch=True)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []

        def on_console(msg):
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
                errors.append(f"{msg.text} at {msg.location.get('url')} (page {page.url})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
        try:
            yield page
        finally:
            context.close()
            browser.close()
        assert errors == [], "browser console errors:\n" + "\n".join(errors)


@pytest.fixture
def shelf_with_stock(owner):
    """Made before the browser starts: Playwright runs an event loop in this thread."""
    from hanout.catalog import services as catalog
    from hanout.core.models import Shop
    from hanout.inventory import services

    business, user = owner.business, owner.user
    shelf = services.default_location(shop=Shop.objects.get(business=business))
    for name, sku, barcode, unit, qty in [
        ("Croissant", "9012", "3792075124138", "piece", "24"),
        ("Flour", "FL", None, "kg", "10"),
        ("Coffee", "0000", None, "piece", "8"),
    ]:
        data = {"name": name, "sku": sku, "unit": unit, "sale_price": Decimal("1.00")}
        if barcode:
            data["barcodes"] = [barcode]
        product = catalog.product_create(business=business, actor=user, data=data)
        services.stock_receive(
            business=business,
            actor=user,
            product=product,
            location=shelf,
            quantity=Decimal(qty),
            unit_cost=Decimal("0.50"),
        )
    return shelf


def test_count_sheet_on_a_tablet(shelf_with_stock, owner, live_server, page):
    from hanout.catalog.models import Product
    from hanout.inventory.models import StockLevel
    from tests.factories import PASSWORD

    shelf, user = shelf_with_stock, owner.user
    products = {p.name: p for p in Product.objects.filter(business=owner.business)}

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")

    page.goto(f"{live_server.url}/stock/counts/")
    page.select_option("#id_location", str(shelf.pk))
    with page.expect_navigation():
        page.click("#count-start")
    assert "hidden while you count" in page.content()

    # A keyboard-wedge scanner types the code and presses Enter; the scan box has the focus.
    page.wait_for_selector("#count-code:focus")
    page.keyboard.type("3792075124138")
    page.keyboard.press("Enter")
    page.wait_for_selector("#count-counted:focus")
    assert page.inner_text("#count-product") == "Croissant"
    page.keyboard.type("22")
    page.keyboard.press("Enter")
    page.wait_for_selector("#count-code:focus")
    page.wait_for_selector("#line-" + str(products["Croissant"].pk))
    assert "Saved: Croissant, 22 counted." in page.inner_text("#count-panel")

    # Typed by hand: an article number, and kilograms with decimals.
    page.fill("#count-code", "FL")
    page.click("#count-find")
    page.wait_for_selector("#count-counted")
    page.fill("#count-counted", "9.5")
    page.click("#count-save")
    page.wait_for_selector("#line-" + str(products["Flour"].pk))
    # The sheet comes back with the scan box focused, ready (as after the scanner's save
    # above): typing before that, on a loaded machine, beat the new form's wiring and
    # submitted it as a whole page (seen once in CI).
    page.wait_for_selector("#count-code:focus")

    # An unknown code says so and keeps the scan box.
    page.fill("#count-code", "123")
    page.keyboard.press("Enter")
    page.wait_for_selector("#count-code-error")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "stock-count-tablet.png", full_page=True)

    # Nothing reloaded the page, and the expected quantities never showed.
    assert "Expected" not in page.inner_text("main")

    page.click("#count-review")
    page.wait_for_selector("#validate-modal.show #count-validate")
    dialog = page.inner_text("#validate-modal")
    assert "Croissant" in dialog and "−2" in dialog and "−0.5" in dialog and "Coffee" not in dialog
    page.screenshot(path=ARTIFACTS / "stock-count-tablet-review.png")
    with page.expect_navigation():
        page.click("#count-validate")
    assert "Validated" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "stock-count-tablet-validated.png", full_page=True)

    levels = {
        lvl.product.name: lvl.quantity
        for lvl in StockLevel.objects.filter(location=shelf).select_related("product")
    }
    assert levels == {"Croissant": 22, "Flour": Decimal("9.5"), "Coffee": 8}
