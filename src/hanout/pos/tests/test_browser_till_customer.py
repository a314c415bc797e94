"""The customer of a sale at the till, in a real browser (Debian Chromium through
Playwright): the cashier finds one customer by phone number and another by scanning
their loyalty card into the Customer panel (the scan does not add a product), each
basket keeps its own, both sales reach the server with their customer and earn their
points; an unknown number says so; offline the lookup cannot run but a sale with a
customer already attached waits in the queue and reaches the server with them.

The browser, the shop and the steps are those of test_browser_till.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from hanout.pos.tests import test_browser_till as till_browser
from hanout.pos.tests.test_browser_till import (
    PAIN_AU_CHOCOLAT,
    _outside_the_event_loop,
    expect,
    new_page,
    pay_card,
    pay_cash,
    sales_of,
    scan,
    shot,
    sign_in_at_the_register,
    tap,
)

# The browser, the shop and the cuttable network of the till's own browser tests.
playwright = till_browser.playwright
browser = till_browser.browser
console = till_browser.console
shop = till_browser.shop
network = till_browser.network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class People:
    def __init__(self, amina, youssef):
        self.amina = amina
        self.youssef = youssef


def _customers(shop) -> People:
    from hanout.customers import services, services_loyalty

    owner = shop.owner
    services_loyalty.loyalty_rule_set(
        business=owner.business,
        actor=owner.user,
        data={"enabled": True, "spend_step": "1", "points_per_step": 1, "point_value": "0.10"},
    )

    def make(name, **data):
        return services.customer_create(
            business=owner.business, actor=owner.user, data={"name": name, **data}
        )

    amina = make("Amina Tazi", phone="+32470123456")
    services.customer_set_trust(customer=amina, actor=owner.user, level="high")
    services_loyalty.loyalty_adjust(customer=amina, actor=owner.user, points=12, reason="Welcome")
    youssef = make("Youssef Alaoui", card_code="FID-0042")
    return People(amina, youssef)


@pytest.fixture
def people(shop):
    return _outside_the_event_loop(lambda: _customers(shop))


def points_of(customer) -> int:
    customer.refresh_from_db()
    return customer.loyalty_points


def test_a_cashier_attaches_a_customer_by_phone_and_another_by_card_then_sells(
    browser, console, live_server, shop, people
):
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    expect(page.locator("#till-customer-card")).to_be_hidden()
    scan(page, PAIN_AU_CHOCOLAT)

    # An unknown number: said plainly, nothing attached.
    page.click("#customer-button")
    expect(page.locator("#customer-panel")).to_be_visible()
    expect(page.locator("#customer-basket-name")).to_have_text("Main")
    page.fill("#customer-query", "0499 99 99 99")
    page.click("#customer-find")
    expect(page.locator("#customer-status")).to_have_text("No customer found for 0499 99 99 99.")

    # The main basket's customer, by the phone number as people say it.
    page.fill("#customer-query", "0470 12 34 56")
    page.keyboard.press("Enter")
    expect(page.locator("#customer-status")).to_have_text(
        "Amina Tazi is the customer of this sale."
    )
    chosen = page.locator("#customer-results .customer-row.chosen")
    expect(chosen).to_contain_text("High")
    expect(chosen).to_contain_text("12 points")
    shot(page, "customer-1-found-by-phone")
    page.click("#customer-done")
    expect(page.locator("#customer-panel")).to_be_hidden()
    expect(page.locator("#till-customer-name")).to_have_text("Amina Tazi")
    expect(page.locator("#till-customer-trust")).to_have_text("High")
    expect(page.locator("#till-customer-points")).to_have_text("12 points")

    # The sub-account has nobody yet; its customer scans their card into the panel.
    page.click("#tab-sub")
    expect(page.locator("#till-customer-card")).to_be_hidden()
    tap(page, "Croissant")
    page.click("#customer-button")
    expect(page.locator("#customer-basket-name")).to_have_text("Sub-account")
    expect(page.locator("#customer-query")).to_be_focused()
    scan(page, "FID-0042")
    expect(page.locator("#customer-status")).to_have_text(
        "Youssef Alaoui is the customer of this sale."
    )
    # The scan went to the panel: no product line, the field is not left with the code.
    expect(page.locator(".till-line")).to_have_count(1)
    assert page.input_value("#customer-query") == ""
    page.keyboard.press("Escape")
    expect(page.locator("#till-customer-name")).to_have_text("Youssef Alaoui")
    expect(page.locator("#till-customer-points")).to_have_text("0 points")
    shot(page, "customer-2-sub-account")

    # Each basket keeps its own.
    page.click("#tab-main")
    expect(page.locator("#till-customer-name")).to_have_text("Amina Tazi")
    expect(page.locator(".till-line")).to_have_count(1)

    pay_cash(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    page.click("#receipt-next")
    expect(page.locator("#tab-sub")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#till-customer-name")).to_have_text("Youssef Alaoui")
    pay_card(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    page.click("#receipt-next")
    # A new sale starts without a customer.
    expect(page.locator("#till-customer-card")).to_be_hidden()

    main, sub = sales_of(shop)
    assert (main.basket, main.customer_id, main.total) == (
        "main",
        people.amina.pk,
        Decimal("1.20"),
    )
    assert (sub.basket, sub.customer_id) == ("sub", people.youssef.pk)
    # Points earned on sale.completed: 1 per 1.00 spent.
    assert points_of(people.amina) == 13
    assert points_of(people.youssef) == 1
    # The ticket names the customer.
    ticket = page.request.get(f"/pos/sales/{main.pk}/ticket.pdf")
    assert ticket.status == 200


def test_a_customer_can_be_taken_off_a_sale(browser, console, live_server, shop, people):
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    tap(page, "Croissant")
    page.click("#customer-button")
    scan(page, "FID-0042")
    expect(page.locator("#customer-remove")).to_be_visible()
    page.click("#customer-remove")
    expect(page.locator("#customer-status")).to_have_text("No customer on this sale.")
    page.fill("#customer-query", "FID-0042")
    page.click("#customer-find")
    page.click("#customer-done")
    expect(page.locator("#till-customer-name")).to_have_text("Youssef Alaoui")
    page.click("#customer-detach")
    expect(page.locator("#till-customer-card")).to_be_hidden()
    pay_cash(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    (sale,) = sales_of(shop)
    assert sale.customer_id is None


def test_offline_the_lookup_says_so_and_a_queued_sale_keeps_its_customer(
    browser, console, live_server, shop, people, network
):
    console.allow += [r"net::ERR_", r"Failed to load resource"]
    page = new_page(browser, console, network.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    tap(page, "Croissant")
    page.click("#customer-button")
    page.fill("#customer-query", "0470123456")
    page.click("#customer-find")
    expect(page.locator("#customer-status")).to_contain_text("Amina Tazi")
    page.click("#customer-done")

    network.cut()
    page.context.set_offline(True)
    expect(page.locator("#net-status")).to_have_text(re.compile("Offline"))
    # The attached customer stays; looking up another one cannot run.
    page.click("#tab-sub")
    tap(page, "Café")
    page.click("#customer-button")
    expect(page.locator("#customer-offline")).to_be_visible()
    expect(page.locator("#customer-find")).to_be_disabled()
    scan(page, "FID-0042")
    expect(page.locator("#customer-status")).to_have_text(
        "Offline: the customer cannot be looked up now."
    )
    expect(page.locator(".till-line")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("#till-customer-card")).to_be_hidden()

    page.click("#tab-main")
    expect(page.locator("#till-customer-name")).to_have_text("Amina Tazi")
    pay_cash(page)
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "queued")
    page.click("#receipt-next")
    assert sales_of(shop) == []

    network.restore()
    page.context.set_offline(False)
    expect(page.locator("#outbox-button")).to_be_hidden(timeout=20_000)
    (sale,) = sales_of(shop)
    assert sale.offline and sale.customer_id == people.amina.pk
    assert points_of(people.amina) == 13


def test_the_customer_panel_in_arabic_reads_right_to_left(
    browser, console, live_server, shop, people
):
    page = new_page(
        browser, console, live_server.url, locale="ar-MA", device_cookie=shop.device_cookie
    )
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    sign_in_at_the_register(page)
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("#customer-button")
    scan(page, "FID-0042")
    expect(page.locator("#customer-results .customer-row.chosen")).to_contain_text("Youssef Alaoui")
    shot(page, "customer-ar-panel")
    page.keyboard.press("Escape")
    # In Arabic the customer's row starts at the right: the button is right of the name.
    button = page.locator("#customer-button").bounding_box()
    name = page.locator("#till-customer-card").bounding_box()
    assert button["x"] > name["x"]
    shot(page, "customer-ar-basket")
