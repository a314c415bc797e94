"""Paying part of a sale with the customer's loyalty points at the till, in a real
browser (Debian Chromium through Playwright): with a customer who has points and the
programme on, the payment screen offers "Pay with points" with the balance and its
value, proposes as many points as cover the rest (capped by the balance), refuses
more than the balance, and the points appear as a payment line; the rest is paid in
cash and the server records the points payment and lowers the balance. Offline the
till refuses points (the balance cannot be checked).

The browser, the shop and the customers are those of test_browser_till_customer.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from hanout.pos.tests import test_browser_till as till_browser
from hanout.pos.tests import test_browser_till_customer as customer_browser
from hanout.pos.tests.test_browser_till import (
    PAIN_AU_CHOCOLAT,
    expect,
    new_page,
    sales_of,
    scan,
    shot,
    sign_in_at_the_register,
    tap,
)
from hanout.pos.tests.test_browser_till_customer import points_of

playwright = till_browser.playwright
browser = till_browser.browser
console = till_browser.console
shop = till_browser.shop
network = till_browser.network
people = customer_browser.people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def attach_amina(page):
    page.click("#customer-button")
    page.fill("#customer-query", "0470 12 34 56")
    page.keyboard.press("Enter")
    expect(page.locator("#customer-status")).to_contain_text("Amina Tazi")
    page.click("#customer-done")
    expect(page.locator("#till-customer-points")).to_have_text("12 points")


def test_a_cashier_takes_part_of_the_payment_in_points(browser, console, live_server, shop, people):
    page = new_page(browser, console, live_server.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    scan(page, PAIN_AU_CHOCOLAT)
    tap(page, "Croissant")
    expect(page.locator("#till-total")).to_have_text("€2.20")

    # Without a customer, no points to pay with.
    page.click("#pay-button")
    expect(page.locator("#pay-method-points")).to_be_hidden()
    page.click("#pay-panel [data-close]")
    attach_amina(page)

    page.click("#pay-button")
    expect(page.locator("#pay-method-points")).to_be_visible()
    page.click("#pay-method-points")
    expect(page.locator("#pay-points-balance")).to_have_text(
        "Amina Tazi has 12 points, worth €1.20."
    )
    # As many as cover the rest, capped by the balance: all 12 (€1.20 of €2.20).
    assert page.input_value("#pay-points") == "12"
    expect(page.locator("#pay-points-value")).to_have_text("€1.20")
    page.fill("#pay-points", "13")
    page.click("#pay-points-ok")
    expect(page.locator("#pay-error")).to_have_text("Not enough points: 12 left.")
    page.fill("#pay-points", "12")
    expect(page.locator("#pay-points-value")).to_have_text("€1.20")
    shot(page, "points-1-pay-with-points")
    page.click("#pay-points-ok")
    expect(page.locator("#pay-list .pay-item")).to_contain_text("Points: 12 pts")
    expect(page.locator("#pay-remaining")).to_have_text("€1.00")
    # All points are used: the method is no longer offered; the rest is cash.
    expect(page.locator("#pay-method-points")).to_be_hidden()
    page.click("#pay-cash-ok")
    expect(page.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    shot(page, "points-2-sent")

    (sale,) = sales_of(shop)
    paid = {p.method: p for p in sale.payments.all()}
    assert paid["points"].points == 12 and paid["points"].amount == Decimal("1.20")
    assert paid["cash"].amount == Decimal("1.00")
    # 12 spent, then 2 earned on the €2.20 sale (1 per €1.00).
    assert points_of(people.amina) == 2


def test_offline_the_till_refuses_points(browser, console, live_server, shop, people, network):
    console.allow += [r"net::ERR_", r"Failed to load resource"]
    page = new_page(browser, console, network.url, device_cookie=shop.device_cookie)
    sign_in_at_the_register(page)
    tap(page, "Croissant")
    attach_amina(page)
    network.cut()
    page.context.set_offline(True)
    expect(page.locator("#net-status")).to_have_text(re.compile("Offline"))
    page.click("#pay-button")
    page.click("#pay-method-points")
    expect(page.locator("#pay-points-offline")).to_be_visible()
    page.click("#pay-points-ok")
    expect(page.locator("#pay-error")).to_have_text(
        "Offline: points cannot be used now (the balance cannot be checked). Take cash or card."
    )
    expect(page.locator("#pay-list .pay-item")).to_have_count(0)
    assert points_of(people.amina) == 12
