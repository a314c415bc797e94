"""Invoices in a real browser (Debian Chromium through Playwright, uvicorn like
`hanout serve`): from a ticket's page, issue its invoice to a customer, see it,
credit one item, find both in the list; the same pages in Arabic (right to left).
Screenshots land in artifacts/; browser console errors fail the test."""

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
sync_playwright = playwright_api.sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"

if not Path(CHROMIUM).exists():  # pragma: no cover
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


def _in_thread(build):
    """Run `build` outside Playwright's event loop (the services' events refuse one)."""
    result = {}

    def run():
        from django.db import connection

        try:
            result["value"] = build()
        except BaseException as exc:
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
        assert time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


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
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []

        def on_console(msg):
            url = msg.location.get("url", "")
            expected = url.endswith("/favicon.ico") or re.search(r"status of 4(00|03)", msg.text)
            if msg.type == "error" and not expected:
                errors.append(f"{msg.text} at {url}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        yield page
        browser.close()
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


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_issue_see_and_credit_an_invoice_in_the_browser(page, server, language):
    def build():
        from hanout.sales.tests.invoices_support import make_customer, make_till, open_session, sell
        from tests.factories import make_business

        arabic = language == "ar"
        owner = make_business(
            "Alma7al" if arabic else "Boulangerie Kaching",
            currency="MAD" if arabic else "EUR",
            country="MA" if arabic else "BE",
            time_zone="Africa/Casablanca" if arabic else "Europe/Brussels",
            language=language,
        )
        owner.user.language = language
        owner.user.save()
        b = owner.business
        b.legal_name = f"{b.name} SARL"
        b.tax_id = "IF 40123456" if arabic else "BE0712345678"
        b.save()
        till = make_till(owner)
        open_session(till)
        sale = sell(till, ("croissant", 3), ("deo", 1), ("cafe", 2, "0.50"))
        make_customer(b, "مقهى النور" if arabic else "Atelier Nour")
        return owner.user.email, str(sale.pk)

    email, sale_id = _in_thread(build)
    sign_in(page, server, email)

    page.goto(f"{server}/pos/sales/{sale_id}/")
    page.click("#ticket-invoice")
    page.select_option("#invoice-customer", index=1)
    shot(page, f"invoice-{language}-1-issue")
    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")
    assert re.search(r"\d{4}-0001", page.content())
    shot(page, f"invoice-{language}-2-detail")

    page.locator("input[name^='qty-']").first.fill("1")
    page.fill("#credit-reason", "Stale" if language == "fr" else "منتج تالف")
    with page.expect_navigation():
        page.click("form[action$='/credit/'] button[type=submit]")
    assert "AV-" in page.content()
    shot(page, f"invoice-{language}-3-credit-note")

    page.goto(f"{server}/invoices/")
    assert page.locator("tbody tr").count() == 2
    shot(page, f"invoice-{language}-4-list")
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
