"""The dashboard in Debian Chromium, in English and in Arabic: every chart is drawn (the
day-by-day one with visible lines), the Arabic page runs right to left with its category
axes reversed, and nothing is refused by the page's CSP. Screenshots go to artifacts/."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

from hanout.inventory import services as inventory  # noqa: E402
from hanout.pos.tests.factories import make_till, open_session, sell  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

if not Path(CHROMIUM).exists():  # pragma: no cover
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

CHARTS = """() => Object.fromEntries([...document.querySelectorAll('canvas[data-chart]')].map(
  (c) => { const chart = Chart.getChart(c); return [c.dataset.chart, chart && {
    type: chart.config.type,
    width: chart.data.datasets[0].borderWidth,
    points: chart.data.datasets[0].data.length,
    reversed: chart.options.scales && chart.options.scales.x ? chart.options.scales.x.reverse : null,
  }]; }))"""


def signed_in(browser, live_server, email: str, errors: list[str]):
    """A page of `browser` signed in as `email`, collecting console and page errors."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10_000)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    return page


def test_the_dashboard_draws_its_charts_in_english_and_in_arabic(live_server):
    till = make_till(quantity=None)
    inventory.stock_receive(
        business=till.business,
        actor=None,
        product=till["chocolat"],
        location=till.location,
        quantity=Decimal(50),
        unit_cost=Decimal("2.00"),
    )
    open_session(till)
    sell(till, ("chocolat", 2))
    sell(till, ("chocolat", 1), card="3.50")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = signed_in(browser, live_server, till.owner.user.email, errors)

            page.goto(f"{live_server.url}/dashboard/")
            page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3")
            page.wait_for_function("typeof Chart !== 'undefined'")
            charts = page.evaluate(CHARTS)
            assert set(charts) == {"daily-chart", "monthly-chart", "methods-chart"}
            assert all(charts.values()), f"a chart was not drawn: {charts}"
            assert charts["daily-chart"]["type"] == "line"
            assert charts["daily-chart"]["width"] > 0, "the day-by-day lines are invisible"
            assert charts["monthly-chart"]["points"] == 12
            assert charts["monthly-chart"]["reversed"] is False
            assert page.evaluate("document.documentElement.dir") != "rtl"
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "dashboard-en.png", full_page=True)

            user = till.owner.user
            user.language = "ar"
            user.save(update_fields=["language"])
            page.goto(f"{live_server.url}/dashboard/")
            page.wait_for_function("typeof Chart !== 'undefined'")
            assert page.evaluate("document.documentElement.dir") == "rtl"
            charts = page.evaluate(CHARTS)
            assert all(charts.values()), f"a chart was not drawn in Arabic: {charts}"
            assert charts["monthly-chart"]["reversed"] is True
            assert charts["daily-chart"]["reversed"] is True
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=ARTIFACTS / "dashboard-ar-phone.png", full_page=True)
        finally:
            browser.close()
    assert not errors, errors


def test_the_other_reports_draw_their_charts_right_to_left_in_arabic(live_server):
    till = make_till(quantity=None)
    inventory.stock_receive(
        business=till.business,
        actor=None,
        product=till["chocolat"],
        location=till.location,
        quantity=Decimal(50),
        unit_cost=Decimal("2.00"),
    )
    open_session(till)
    sell(till, ("chocolat", 2))
    user = till.owner.user
    user.language = "ar"
    user.save(update_fields=["language"])
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = signed_in(browser, live_server, user.email, errors)
            for path, kind in (
                ("/reports/top-products/", "bar"),
                ("/reports/profit/", "bar"),
                ("/reports/expenses/", None),  # no expense: no chart, an empty table
            ):
                page.goto(f"{live_server.url}{path}")
                assert page.evaluate("document.documentElement.dir") == "rtl"
                assert page.locator("#report-rows").is_visible()
                if kind is None:
                    assert page.locator("canvas[data-chart]").count() == 0
                    continue
                page.wait_for_function("typeof Chart !== 'undefined'")
                page.wait_for_function(
                    "Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined"
                )
                charts = page.evaluate(CHARTS)
                assert charts["report-chart"]["type"] == kind
                assert charts["report-chart"]["reversed"] is True, path
            ARTIFACTS.mkdir(exist_ok=True)
            page.goto(f"{live_server.url}/reports/top-products/")
            page.screenshot(path=ARTIFACTS / "top-products-ar.png", full_page=True)
        finally:
            browser.close()
    assert not errors, errors
