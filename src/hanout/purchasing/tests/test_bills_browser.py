"""The supplier bills pages in a real browser (Debian Chromium through Playwright).

A shop owner records an invoice with its scan, pays part of it, and reads the
account, the recap (pie chart drawn by Chart.js from the page's JSON block) and
the performance page; then the same pages in Arabic, right to left, in dirhams.
Console errors (where CSP violations show) fail the test. Screenshots go to
artifacts/ at 1280 px and 360 px wide.
"""

from __future__ import annotations

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

from hanout.purchasing import selectors_bills, services_bills  # noqa: E402
from hanout.purchasing.models import SupplierInvoice  # noqa: E402
from hanout.purchasing.tests.test_bills_support import (  # noqa: E402
    PDF,
    at,
    make_po,
    make_product,
    make_supplier,
    receive,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 360, "height": 780}

if not Path(CHROMIUM).exists():  # pragma: no cover
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


def _signed_in_page(browser, live_server, membership, errors):
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    context = browser.new_context(viewport=WIDE, reduced_motion="reduce")
    context.set_default_timeout(10_000)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    page = context.new_page()

    def on_console(msg):
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{msg.text} at {msg.location.get('url')} (page {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(300)  # Chart.js resizes its canvas on the next frames
    page.screenshot(path=ARTIFACTS / f"{name}-360.png", full_page=True, animations="disabled")
    page.set_viewport_size(WIDE)


def _no_horizontal_scroll(page) -> None:
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(300)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.set_viewport_size(WIDE)
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 360 px ({page.url})"


def _chart(page):
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    return page.evaluate(
        """() => { const c = Chart.getChart(document.querySelector('canvas[data-chart]'));
                   return {type: c.config.type, labels: c.data.labels,
                           data: c.data.datasets[0].data,
                           rtl: c.options.plugins.legend.rtl,
                           width: c.width, height: c.height}; }"""
    )


def _shop(membership, names, scale=1):
    """The data, made in another thread: Playwright's loop runs in this one, and the
    services push their events with async_to_sync, which refuses to run beside it."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def work():
        try:
            return _make_shop(membership, names, scale)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def _make_shop(membership, names, scale=1):
    today = selectors_bills.local_today(membership.business)
    flour = make_product(membership, "Flour T55" if scale == 1 else "دقيق", "F55")
    suppliers = [make_supplier(membership, n) for n in names]
    for i, supplier in enumerate(suppliers):
        po, (line,) = make_po(
            membership, supplier, [(flour, 20, "1.50")],
            ordered_on=today - datetime.timedelta(days=10 + i),
            expected_on=today - datetime.timedelta(days=5),
        )  # fmt: skip
        tz = "Europe/Brussels" if scale == 1 else "Africa/Casablanca"
        receive(membership, po, at(tz, today - datetime.timedelta(days=4 + i)), {line: 18 - i})
        invoice = services_bills.supplier_invoice_record(
            business=membership.business, actor=membership.user, supplier=supplier,
            number=f"F-{i + 1:04d}", issued_on=today - datetime.timedelta(days=3),
            due_on=today + datetime.timedelta(days=-1 if i == 1 else 27),
            total=Decimal(120 + 80 * i) * scale,
        )  # fmt: skip
        if i == 0:
            services_bills.supplier_payment_record(
                business=membership.business, actor=membership.user, supplier=supplier,
                invoice=invoice, amount=Decimal(50) * scale, method="cash", paid_on=today,
            )  # fmt: skip
    return suppliers


def test_a_shop_owner_records_pays_and_reads_the_recap(browser, live_server, owner, tmp_path):
    suppliers = _shop(owner, ["Moulin de la Senne", "Grossiste Horeca Brabant", "Épices Sarl"])
    errors: list[str] = []
    page = _signed_in_page(browser, live_server, owner, errors)

    # Record an invoice with its scan, through the form.
    page.goto(live_server.url + "/purchasing/bills/new/")
    page.select_option("select[name=supplier]", str(suppliers[0].pk))
    page.fill("input[name=number]", "MS-2026-0042")
    page.fill("input[name=total]", "86.40")
    page.fill("input[name=tax_total]", "4.89")
    scan = tmp_path / "facture.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("input[name=attachment]", str(scan))
    shot(page, "bills-form")
    with page.expect_navigation():
        page.click("button[type=submit].btn-primary")
    invoice = SupplierInvoice.objects.get(number="MS-2026-0042")
    assert page.url.endswith(f"/purchasing/bills/{invoice.pk}/")
    assert invoice.attachment

    # Pay part of it from the invoice page.
    page.fill("input[name=amount]", "40.00")
    page.select_option("select[name=paid_by]", "cash")
    with page.expect_navigation():
        page.click("text=Record the payment")
    invoice.refresh_from_db()
    assert invoice.paid_total == Decimal("40.00")
    assert page.locator(".badge", has_text="Partly paid").count() == 1
    shot(page, "bills-detail")

    page.goto(live_server.url + "/purchasing/bills/")
    assert page.locator("table tbody tr").count() == 4
    shot(page, "bills-list")
    _no_horizontal_scroll(page)

    page.goto(live_server.url + f"/suppliers/{suppliers[0].pk}/account/")
    shot(page, "bills-account")
    _no_horizontal_scroll(page)

    page.goto(live_server.url + "/purchasing/recap/")
    chart = _chart(page)
    assert chart["type"] == "pie" and chart["rtl"] is False
    assert chart["labels"][0] == "Épices Sarl" and chart["data"][0] == 280
    assert chart["width"] > 100 and chart["height"] > 100
    shot(page, "bills-recap")
    _no_horizontal_scroll(page)

    page.goto(live_server.url + "/purchasing/performance/")
    chart = _chart(page)
    assert chart["type"] == "bar"
    assert page.locator("tfoot").inner_text().count("%") >= 2
    shot(page, "bills-performance")
    _no_horizontal_scroll(page)
    page.context.close()
    assert errors == [], "\n".join(errors)


def test_the_pages_in_arabic_right_to_left(browser, live_server, other_owner):
    user = other_owner.user
    user.language = "ar"
    user.save(update_fields=["language"])
    _shop(other_owner, ["أطلس للتوزيع", "الشركة المغربية للتغليف"], scale=10)
    errors: list[str] = []
    page = _signed_in_page(browser, live_server, other_owner, errors)
    for path, name in [
        ("/purchasing/bills/", "bills-list-ar"),
        ("/purchasing/payments/", "bills-payments-ar"),
        ("/purchasing/recap/", "bills-recap-ar"),
        ("/purchasing/performance/", "bills-performance-ar"),
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate("() => document.documentElement.dir") == "rtl"
        if "recap" in path or "performance" in path:
            chart = _chart(page)
            assert chart["rtl"] is True
        shot(page, name)
        _no_horizontal_scroll(page)
    text = page.locator("tfoot").inner_text()
    assert re.search(r"\d", text)
    page.context.close()
    assert errors == [], "\n".join(errors)
