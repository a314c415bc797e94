"""The day at Boulangerie Kaching that issue 5 describes, end to end in Chromium.

In the demo business, during opening hours: Khadija (code 14) signs in at the
register. Main basket: scan 1946753214860 (pain au chocolat 1.20), type article
0000 on the keypad (café 2.50), add a cash withdrawal of 15.00 → 18.70. The
sub-account: croissant, chocolat noir, déodorant CienMEN → 9.00, paid first by
QR code — a second browser (the phone) pays with the test provider and the
register shows "Payment accepted" without reloading. The main basket is paid in
cash with 20.00 → change 1.30. Khadija signs out; AWA (27) sells one croissant,
1.00 cash. ADMIN opens the day's report: 7 lines (the withdrawal apart), revenue
13.70 EUR, cash expected = float + 20.00 − 1.30 − 15.00 + 1.00. At 18:30 shop
time AYMAN is refused at sign-in; ADMIN gets in. Then the network is cut, two
sales are made, the network returns, and the server has both exactly once.

The server's clock is pinned to a Wednesday in Brussels (it moves on in real
time from there) so the opening hours do not depend on when the suite runs.
Screenshots of each step: artifacts/scenario-*.png.
"""

from __future__ import annotations

import datetime
import re
import time
import zoneinfo
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from hanout.pos.tests.test_browser_till import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    CuttableNetwork,
    _outside_the_event_loop,
    add_withdrawal,
    asgi_server,
    browser,
    console,
    keypad,
    new_page,
    playwright,
    scan,
    tap,
)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DAY = datetime.date(2026, 12, 2)  # a Wednesday; the demo shop opens 06:00–18:00 every day
FLOAT = Decimal("50.00")


class ShopClock:
    """`timezone.now` for the whole process (the server runs in a thread here):
    starts at `start` shop time and moves on in real time; `jump` sets a new time."""

    def __init__(self, start: datetime.datetime):
        self.set(start)

    def set(self, moment: datetime.datetime) -> None:
        self.base, self.t0 = moment, time.monotonic()

    def __call__(self) -> datetime.datetime:
        return (self.base + datetime.timedelta(seconds=time.monotonic() - self.t0)).astimezone(
            datetime.UTC
        )


@pytest.fixture
def shop_clock():
    clock = ShopClock(datetime.datetime.combine(DAY, datetime.time(9, 0), BRUSSELS))
    with mock.patch.object(timezone, "now", side_effect=clock):
        yield clock


@pytest.fixture
def demo(transactional_db, shop_clock):
    """The demo businesses, with Kaching's register paired to a device cookie."""

    def build():
        from hanout.accounts.models import Membership
        from hanout.demo import load_demo
        from hanout.pos import services as pos
        from hanout.pos.models import Register

        load_demo()
        register = Register.objects.get(name="Caisse 1")
        admin = Membership.objects.get(business=register.business, employee_code="1").user
        _device, raw = pos.device_pair(register=register, actor=admin, label="Comptoir")
        from django.core.signing import get_cookie_signer

        from hanout.pos.views_register import DEVICE_COOKIE, DEVICE_SALT

        cookie = get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_SALT).sign(raw)
        return {"register": register, "admin": admin, "cookie": cookie}

    return _outside_the_event_loop(build)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"scenario-{name}.png", animations="disabled")


def sign_in(page, code: str, pin: str = "1234") -> None:
    page.goto("/pos/till/")
    pad = page.locator("[data-keypad]")
    for digit in code:
        pad.locator(f"[data-key='{digit}']").click()
    page.click("#signin-ok")
    for digit in pin:
        pad.locator(f"[data-key='{digit}']").click()
    page.click("#signin-ok")


def open_session_if_asked(page) -> None:
    page.wait_for_selector("#till[data-ready=yes], #session-open-form")
    if page.locator("#session-open-form").count():
        page.fill("input[name=opening_float]", str(FLOAT))
        page.click("#session-open-submit")
        page.wait_for_selector("#till[data-ready=yes]")


def sales_today(register_id):
    from hanout.pos.models import Sale

    return list(
        Sale.objects.filter(register_id=register_id, sold_at__date__gte=DAY)
        .prefetch_related("lines", "payments")
        .order_by("number")
    )


def test_a_day_at_the_kaching_register(browser, console, asgi_server, demo, shop_clock):  # noqa: F811
    from hanout.pos.tests.payments_support import APPROVED, future_expiry

    register = demo["register"]
    till = new_page(browser, console, asgi_server, locale="fr-BE", device_cookie=demo["cookie"])

    # Khadija signs in with her code and PIN and opens the drawer with the float.
    sign_in(till, "14")
    open_session_if_asked(till)
    shot(till, "01-khadija-signed-in")

    # Main basket: a scan, an article number on the keypad, a cash withdrawal.
    scan(till, "1946753214860")
    keypad(till, "0000")
    till.keyboard.press("Enter")
    add_withdrawal(till, "15")
    expect(till.locator("#till-total")).to_have_text(re.compile(r"18,70"))
    shot(till, "02-main-basket")

    # The sub-account: three products → 9.00, paid first, by phone.
    till.click("#tab-sub")
    for name in ("Croissant", "Chocolat noir", "Déodorant CienMEN"):
        till.locator(".till-product", has_text=name).first.click()
    expect(till.locator("#till-total")).to_have_text(re.compile(r"9,00"))
    till.click("#pay-button")
    till.click(".pay-method[data-method=phone]")
    till.click("#pay-phone-start")
    expect(till.locator(".pay-qr-image")).to_be_visible()
    shot(till, "03-qr-code")
    url = till.get_attribute(".pay-link", "href")

    phone = new_page(browser, console, asgi_server, viewport={"width": 390, "height": 844})
    phone.goto(url)
    expect(phone.locator("#pay-total")).to_contain_text("9")
    phone.fill("#card_number", APPROVED)
    phone.fill("#expiry", future_expiry())
    phone.fill("#cvc", "123")
    shot(phone, "04-phone-pays")
    phone.click("#pay-submit")
    expect(phone.locator("[data-state=paid]")).to_be_visible()
    shot(phone, "05-phone-paid")

    expect(till.locator("#pay-phone-status")).to_contain_text(re.compile("accept", re.I))
    expect(till.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    shot(till, "06-payment-accepted")
    till.click("#receipt-next")

    # The main basket, in cash: 20.00 → change 1.30.
    till.click("#tab-main")
    expect(till.locator("#till-total")).to_have_text(re.compile(r"18,70"))
    till.click("#pay-button")
    till.wait_for_selector("#pay-panel:not([hidden])")
    till.fill("#pay-tendered", "20")
    expect(till.locator("#pay-change")).to_contain_text("1,30")
    till.click("#pay-cash-ok")
    expect(till.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    shot(till, "07-cash-change")
    till.click("#receipt-next")

    # Khadija signs out; AWA sells one croissant for 1.00 cash.
    till.click("#signout-button")
    till.wait_for_selector("[data-keypad]")
    sign_in(till, "27")
    open_session_if_asked(till)
    till.locator(".till-product", has_text="Croissant").first.click()
    till.click("#pay-button")
    till.fill("#pay-tendered", "1")
    till.click("#pay-cash-ok")
    expect(till.locator("#receipt-panel")).to_have_attribute("data-state", "sent")
    shot(till, "08-awa-sells")
    till.click("#receipt-next")

    sold = _outside_the_event_loop(lambda: sales_today(register.pk))
    assert [(s.basket, s.total, s.revenue) for s in sold] == [
        ("sub", Decimal("9.00"), Decimal("9.00")),
        ("main", Decimal("18.70"), Decimal("3.70")),
        ("main", Decimal("1.00"), Decimal("1.00")),
    ]
    assert [p.method for p in sold[0].payments.all()] == ["phone"]
    cash = sold[1].payments.get()
    assert (cash.tendered, cash.change) == (Decimal("20.00"), Decimal("1.30"))

    # ADMIN opens the day's report (another browser, signed in to the back office).
    def admin_cookie():
        from django.test import Client

        client = Client()
        client.force_login(demo["admin"])
        return client.cookies["sessionid"].value

    office = new_page(browser, console, asgi_server, locale="fr-BE")
    office.context.add_cookies(
        [{"name": "sessionid", "value": _outside_the_event_loop(admin_cookie), "url": asgi_server}]
    )
    office.goto(f"/reports/day/?date={DAY.isoformat()}")
    expect(office.locator("body")).to_contain_text("13,70")
    shot(office, "09-day-report")
    report = office.request.get(f"/api/v1/reports/day/?date={DAY.isoformat()}").json()
    assert len(report["lines"]) + len(report["withdrawals"]) == 7
    assert len(report["withdrawals"]) == 1
    assert Decimal(report["revenue"]) == Decimal("13.70")
    (session,) = report["sessions"]
    assert Decimal(session["expected"]) == FLOAT + Decimal("20.00") - Decimal("1.30") - Decimal(
        "15.00"
    ) + Decimal("1.00")

    # 18:30 in Brussels: the shop is closed. AYMAN (cashier) is refused, ADMIN gets in.
    till.click("#signout-button")
    till.wait_for_selector("[data-keypad]")
    shop_clock.set(datetime.datetime.combine(DAY, datetime.time(18, 30), BRUSSELS))
    console.allow.append(r"403 \(Forbidden\) at .*/pos/sign-in/")  # the refusal itself
    sign_in(till, "2")
    expect(till.locator("body")).to_contain_text("06:00")
    shot(till, "10-ayman-refused")
    sign_in(till, "1")
    open_session_if_asked(till)
    shot(till, "11-admin-in")

    # The network is cut: two sales are made and wait; it returns; each arrives once.
    till.close()
    console.allow += [r"net::ERR_", r"Failed to load resource", r"WebSocket"]
    from urllib.parse import urlsplit

    parts = urlsplit(asgi_server)
    network = CuttableNetwork(parts.hostname, parts.port)
    try:
        counter = new_page(browser, console, network.url, device_cookie=demo["cookie"])
        counter.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": _outside_the_event_loop(admin_cookie),
                    "url": network.url,
                }
            ]
        )
        sign_in(counter, "1")
        open_session_if_asked(counter)
        counter.wait_for_selector("#till[data-sw=warmed]")
        before = len(_outside_the_event_loop(lambda: sales_today(register.pk)))
        network.cut()
        counter.context.set_offline(True)
        for name in ("Croissant", "Café"):
            tap(counter, name)
            counter.click("#pay-button")
            counter.click("#pay-cash-ok")
            expect(counter.locator("#receipt-panel")).to_have_attribute("data-state", "queued")
            counter.click("#receipt-next")
        expect(counter.locator("#outbox-count")).to_contain_text("2")
        shot(counter, "12-offline-two-waiting")
        network.restore()
        counter.context.set_offline(False)
        expect(counter.locator("#outbox-button")).to_be_hidden(timeout=20_000)
        shot(counter, "13-back-online")
    finally:
        network.close()
    after = _outside_the_event_loop(lambda: sales_today(register.pk))
    offline = [s for s in after if s.offline]
    assert len(after) == before + 2
    assert sorted(s.total for s in offline) == [Decimal("1.00"), Decimal("2.50")]
    assert len({s.client_uuid for s in after}) == len(after)
