"""Webhook pages in a real browser (Debian Chromium through Playwright): an owner adds an
endpoint pointing at a real receiver, copies the secret, sends a test event, reads the
delivery and replays it. Console errors fail the test. Screenshots land in artifacts/."""

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


@pytest.fixture
def page():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--no-first-run"],
        )
        context = browser.new_context(viewport=WIDE, locale="en-GB")
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and "favicon" not in msg.location.get("url", "")
                and errors.append(f"{msg.text} ({page.url})")
            ),
        )
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
        yield page
        browser.close()
        assert errors == [], "browser console errors:\n" + "\n".join(errors)


def _outside_the_event_loop(build):
    """Run ORM work in a plain thread (Playwright's loop runs in this one) and close
    that thread's connection, so none is left open when the test database goes."""
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


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")
    page.set_viewport_size(NARROW)
    page.screenshot(path=ARTIFACTS / f"{name}-360.png", full_page=True, animations="disabled")
    page.set_viewport_size(WIDE)


def test_an_owner_adds_an_endpoint_sends_a_test_and_replays_it(page, live_server, receiver):
    from tests.factories import PASSWORD, make_business

    owner = _outside_the_event_loop(lambda: make_business("Webhook Bakery"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", owner.user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")

    page.goto(f"{live_server.url}/settings/webhooks/")
    expect(page.locator("h1")).to_have_text("Webhooks")
    page.click("text=Add an endpoint")
    page.fill("#id_url", receiver.url)
    page.check("input[name=events][value='order.status_changed']")
    page.check("input[name=events][value='sale.completed']")
    page.fill("#id_description", "Accounting")
    shot(page, "webhook-form")
    with page.expect_navigation():
        page.click("form[method=post] button[type=submit].btn-primary")
    secret = page.locator("#webhook-secret").inner_text().strip()
    assert secret.startswith("whsec_")
    receiver.secret = secret
    shot(page, "webhook-endpoint")

    with page.expect_navigation():
        page.click("text=Send a test event")
    expect(page.locator("h1")).to_contain_text("ping")
    expect(page.locator("h1")).to_contain_text("Delivered")
    assert receiver.requests[0].signature_ok
    shot(page, "webhook-delivery")

    with page.expect_navigation():
        page.click("button:has-text('Replay')")
    expect(page.locator("body")).to_contain_text("Replay of")
    assert len(receiver.requests) == 2 and receiver.requests[1].signature_ok
    page.goto(f"{live_server.url}/settings/webhooks/")
    expect(page.locator("table tbody tr")).to_have_count(1)
    shot(page, "webhook-list")
