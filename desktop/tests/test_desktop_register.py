"""Register mode: pairing, the cashier's PIN, selling, and the offline queue.

Against the real server: a sale rung up on the desktop appears in the server's
day report; a sale made while the server is stopped waits in the queue (a file
that survives the app's restart) and arrives once when the server is back.
"""

from __future__ import annotations

import datetime
import socket
import threading
import urllib.error
import urllib.request
import uuid

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from conftest import api, click, find, free_port, screenshot, sign_in

OWNER_CODE = "1"  # the demo's owner: signs in at any hour
CASHIER_CODE = "2"  # AYMAN, a cashier: only while the shop is open
PIN = "1234"


def pair(qtbot, d, register_id: str = "") -> None:
    """A manager pairs this computer (with the first register offered, or this one) from
    the back office; register mode opens."""
    sign_in(qtbot, d)
    click(d.window, find(d.window, "registerModeButton"))
    box = find(d.window, "pairRegister")
    qtbot.waitUntil(lambda: box.property("count") > 0, timeout=20_000)
    if register_id:
        box.setProperty("currentIndex", box.indexOfValue(register_id))
        assert box.property("currentValue") == register_id
    find(d.window, "pairLabel").setProperty("text", "Test counter")
    click(d.window, find(d.window, "pairButton"))
    qtbot.waitUntil(lambda: d.desktop.register.active, timeout=20_000)
    assert d.desktop.register.paired
    assert d.desktop.register.state == "locked"


def pin_sign_in(qtbot, d, code: str = OWNER_CODE, pin: str = PIN) -> None:
    """Type the code and PIN on the on-screen keypad, like a cashier."""
    register = d.desktop.register
    code_field = find(d.window, "registerCode")
    code_field.setProperty("text", "")  # a previous try leaves its code there
    click(d.window, code_field)
    for digit in code:
        click(d.window, find(d.window, f"signInKey_{digit}"))
    click(d.window, find(d.window, "signInKey_OK"))
    for digit in pin:
        click(d.window, find(d.window, f"signInKey_{digit}"))
    click(d.window, find(d.window, "signInKey_OK"))
    qtbot.waitUntil(lambda: register.state != "locked" or register.error != "", timeout=20_000)


def ready_to_sell(qtbot, d) -> None:
    register = d.desktop.register
    assert register.state in ("selling", "drawer"), register.error
    if register.state == "drawer":
        find(d.window, "registerFloat").setProperty("text", "100")
        click(d.window, find(d.window, "registerOpenDrawer"))
        qtbot.waitUntil(lambda: register.state == "selling", timeout=20_000)
    qtbot.waitUntil(lambda: register.productCount > 0, timeout=20_000)


def scanned_product(register) -> tuple[str, dict]:
    """A product of the demo catalog with a barcode, and that barcode."""
    for product in register._products.values():
        if product.get("barcodes"):
            return product["barcodes"][0], product
    raise AssertionError("the demo catalog has no barcode")


def day_report_lines(server, token: str) -> list[dict]:
    """Today's lines (the shop's day may still be yesterday in UTC, or already tomorrow)."""
    today = datetime.date.today()
    lines = []
    for day in (today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)):
        _, report = api(server, token, f"reports/day/?date={day.isoformat()}")
        lines += report["lines"]
    return lines


class NetworkPrinter:
    """A receipt printer on the network: takes what comes on its TCP port (9100's stand-in)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                self.jobs.append(b"".join(chunks))

    def close(self) -> None:
        self.server.close()


def test_a_sale_rung_up_at_the_counter_is_in_the_servers_day_report(
    qtbot, desktop, hanout_server, tmp_path
):
    d = desktop
    register = d.desktop.register
    pair(qtbot, d)
    screenshot(d.window, "register-sign-in-en")
    pin_sign_in(qtbot, d)
    ready_to_sell(qtbot, d)

    # The receipt printer is a network one.
    printer = NetworkPrinter()
    click(d.window, find(d.window, "registerPrinterButton"))
    find(d.window, "registerPrinterField").setProperty("text", f"127.0.0.1:{printer.port}")
    click(d.window, find(d.window, "registerPrinterSave"))
    assert register.printer == f"127.0.0.1:{printer.port}"
    dialog = find(d.window, "registerPrinterDialog")
    qtbot.waitUntil(lambda: not dialog.property("visible"), timeout=5_000)

    # A USB scanner types the code into the window and presses Enter.
    code, product = scanned_product(register)
    for ch in code:
        QTest.keyClick(d.window, Qt.Key(ord(ch)))
    QTest.keyClick(d.window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(register.lines) == 1, timeout=10_000)
    # 2 × a product button.
    click(d.window, find(d.window, "registerKey_2"))
    click(d.window, find(d.window, "registerTimes"))
    other = next(p for p in register._products.values() if p["id"] != product["id"])
    button = find(d.window, f"registerProduct_{other['name']}")
    click(d.window, button)
    lines = register.lines
    assert [(x["name"], x["quantity"]) for x in lines] == [
        (product["name"], "1"),
        (other["name"], "2"),
    ]
    screenshot(d.window, "register-basket-en")

    # Cash: the customer hands over 50; the change is shown with the ticket number.
    for key in "50":
        click(d.window, find(d.window, f"registerKey_{key}"))
    click(d.window, find(d.window, "registerPayCash"))
    qtbot.waitUntil(lambda: register.lastSale.get("sent"), timeout=20_000)
    assert register.pending == 0
    assert register.lines == []
    sale_id = register.lastSale["id"]
    assert (
        find(d.window, "registerLastSale")
        .property("text")
        .startswith(f"Ticket {register.lastSale['number']}")
    )

    # The owner's day report on the server has the sale's two lines, paid cash.
    lines = [x for x in day_report_lines(hanout_server, d.api.token) if x["sale"] == sale_id]
    assert sorted((x["product"], x["quantity"]) for x in lines) == sorted(
        [(product["name"], "1.000"), (other["name"], "2.000")]
    )
    _, sale = api(hanout_server, d.api.token, f"sales/{sale_id}/")
    assert sale["payments"][0]["method"] == "cash"
    assert not sale["offline"]
    screenshot(d.window, "register-paid-en")

    # The ticket came out of the printer: the server's layout, in the printer's language.
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=20_000)
    printer.close()
    ticket = printer.jobs[0]
    assert sale["ticket"].encode() in ticket and b"TOTAL" in ticket
    assert register.message == "Ticket printed."
    # A printer plugged into this computer is its device file; "Print again" reprints.
    device = tmp_path / "lp0"
    device.touch()
    register.setPrinter(str(device))
    click(d.window, find(d.window, "registerPrintAgain"))
    qtbot.waitUntil(lambda: device.stat().st_size > 0, timeout=20_000)
    assert device.read_bytes() == ticket
    # A printer that is off: the cashier is told, the sale is not affected.
    register.setPrinter(f"127.0.0.1:{free_port()}")
    register.printAgain()
    qtbot.waitUntil(lambda: register.error != "", timeout=20_000)
    assert "did not take the ticket" in register.error

    # Signing out revokes the cashier's token at once.
    token = register.api.token
    click(d.window, find(d.window, "registerSignOut"))
    assert register.state == "locked"
    qtbot.waitUntil(lambda: not register.api.busy, timeout=10_000)
    try:
        api(hanout_server, token, "sales/")
    except urllib.error.HTTPError as exc:
        assert exc.code == 401
    else:
        raise AssertionError("the signed-out cashier's token still works")


def test_a_sale_made_while_the_server_is_down_arrives_once(qtbot, desktop, hanout_server):
    from hanout_desktop.register import CounterRegister

    d = desktop
    register = d.desktop.register
    pair(qtbot, d)
    pin_sign_in(qtbot, d)
    ready_to_sell(qtbot, d)
    code, product = scanned_product(register)

    hanout_server.stop()
    try:
        # The scan is found in the catalog kept on this computer; the sale is kept.
        register.scan(code)
        assert len(register.lines) == 1
        click(d.window, find(d.window, "registerPayCash"))
        qtbot.waitUntil(lambda: not register.online, timeout=20_000)
        assert register.pending == 1
        assert find(d.window, "registerOffline").property("visible")
        assert find(d.window, "registerPending").property("visible")
        assert register.lastSale["sent"] is False
        screenshot(d.window, "register-offline-en")
        queued = register._queue[0]
        assert queued["offline"] is True
        # The cashier cannot sign out yet: the sale goes out with their token.
        click(d.window, find(d.window, "registerSignOut"))
        assert register.state == "selling"
        assert "still waiting for the server" in register.message

        # The queue is a file: an app started now (after a power cut) has it too.
        again = CounterRegister(d.api, register.settings)
        assert again.pending == 1
        assert again._queue[0]["client_uuid"] == queued["client_uuid"]
        again.deleteLater()
    finally:
        hanout_server.start()

    # The retry timer sends it once the server answers again.
    qtbot.waitUntil(lambda: register.pending == 0, timeout=60_000)
    assert register.online
    assert register.lastSale["sent"] is True
    sale_id = register.lastSale["id"]
    _, sale = api(hanout_server, d.api.token, f"sales/{sale_id}/")
    assert sale["offline"] is True

    # Sent a second time (a reply lost on the way): the server answers the same sale.
    status, replay = api(hanout_server, register.api.token, "sales/", queued)
    assert status == 200
    assert replay["id"] == sale_id
    ours = [x for x in day_report_lines(hanout_server, d.api.token) if x["sale"] == sale_id]
    assert [(x["product"], x["quantity"], x["offline"]) for x in ours] == [
        (product["name"], "1.000", True)
    ]


def test_a_wrong_pin_and_a_closed_shop_are_said_at_the_keypad(qtbot, desktop, hanout_server):
    d = desktop
    register = d.desktop.register
    pair(qtbot, d)
    pin_sign_in(qtbot, d, code=CASHIER_CODE, pin="9999")
    assert register.state == "locked"
    assert "do not match" in register.error
    assert find(d.window, "registerError").property("visible")

    # The shop closed all week: the cashier is turned away with the opening hours' reason.
    hanout_server.manage_shell(
        "from hanout.core.models import OpeningHours, Shop;"
        "OpeningHours.objects.filter(shop__name__startswith='Kaching').update(is_closed=True)"
    )
    try:
        pin_sign_in(qtbot, d, code=CASHIER_CODE)
        assert register.state == "locked"
        assert register.error
        screenshot(d.window, "register-closed-en")
    finally:
        hanout_server.manage_shell(
            "from hanout.core.models import OpeningHours;"
            "OpeningHours.objects.filter(shop__name__startswith='Kaching').update(is_closed=False)"
        )
    # The owner gets in whatever the hours.
    pin_sign_in(qtbot, d, code=OWNER_CODE)
    assert register.state in ("selling", "drawer"), register.error


def test_a_computer_not_paired_cannot_sign_anyone_in(qtbot, desktop, hanout_server):
    from hanout_desktop.register import CounterRegister

    d = desktop
    # A device token the server never gave (or one a manager revoked).
    d.session.settings.setValue("register/device", "not-a-device-token")
    register = CounterRegister(d.api, d.session.settings)
    assert register.state == "locked"
    register.signIn(OWNER_CODE, PIN)
    qtbot.waitUntil(lambda: register.error != "", timeout=20_000)
    assert register.state == "locked"
    assert "paired" in register.error
    assert register.api.token == ""


def test_a_visit_with_a_sub_account_and_a_cash_withdrawal(qtbot, desktop, hanout_server):
    """Two baskets, each paid on its own ticket; the withdrawal is paid on top and handed out."""
    from decimal import Decimal

    d = desktop
    register = d.desktop.register
    pair(qtbot, d)
    pin_sign_in(qtbot, d)
    ready_to_sell(qtbot, d)
    first, second = list(register._products.values())[:2]

    # The main basket: a product and 20 in cash handed over.
    register.addProduct(first["id"])
    for key in "20":
        click(d.window, find(d.window, f"registerKey_{key}"))
    click(d.window, find(d.window, "registerWithdraw"))
    assert [(x["kind"], x["name"]) for x in register.lines] == [
        ("product", first["name"]),
        ("withdrawal", "Cash withdrawal"),
    ]
    expected_main = Decimal(first["price"]) + Decimal("20.00")
    assert register.total == f"{expected_main:.2f} EUR"

    # The sub-account: another product, the main basket waits with its two lines.
    click(d.window, find(d.window, "registerBasketSub"))
    assert register.basket == "sub" and register.lines == [] and register.otherCount == 2
    register.addProduct(second["id"])
    assert find(d.window, "registerBasketMain").property("text") == "Basket (2)"
    screenshot(d.window, "register-sub-account-en")

    # The sub-account is paid first, by card; the main basket comes back on screen.
    click(d.window, find(d.window, "registerPayCard"))
    qtbot.waitUntil(lambda: register.lastSale.get("sent"), timeout=20_000)
    sub_id = register.lastSale["id"]
    assert register.basket == "main" and len(register.lines) == 2
    click(d.window, find(d.window, "registerPayCard"))
    qtbot.waitUntil(
        lambda: register.lastSale.get("sent") and register.lastSale["id"] != sub_id,
        timeout=20_000,
    )
    main_id = register.lastSale["id"]

    _, sub = api(hanout_server, d.api.token, f"sales/{sub_id}/")
    _, main = api(hanout_server, d.api.token, f"sales/{main_id}/")
    assert (sub["basket"], main["basket"]) == ("sub", "main")
    assert sub["ticket"] != main["ticket"]
    assert [x["name"] for x in sub["lines"]] == [second["name"]]
    assert [x["kind"] for x in main["lines"]] == ["product", "withdrawal"]
    assert Decimal(main["withdrawal_total"]) == Decimal("20.00")
    assert Decimal(main["total"]) == expected_main
    assert Decimal(main["revenue"]) == Decimal(first["price"])  # the withdrawal is not revenue


def test_a_customer_pays_by_phone_and_the_register_hears_it(qtbot, desktop, hanout_server):
    """The QR code on screen, the customer's phone (a real browser) pays on the pay page,
    the server pushes it to the register's socket and the sale completes by itself."""
    from playwright.sync_api import sync_playwright

    d = desktop
    register = d.desktop.register
    pair(qtbot, d)
    pin_sign_in(qtbot, d)
    ready_to_sell(qtbot, d)
    product = next(iter(register._products.values()))

    # Started, then cancelled: the basket stays for another way to pay.
    register.addProduct(product["id"])
    click(d.window, find(d.window, "registerPayPhone"))
    qtbot.waitUntil(lambda: bool(register.phone.get("id")), timeout=20_000)
    click(d.window, find(d.window, "registerPhoneCancel"))
    qtbot.waitUntil(lambda: not register.phone, timeout=20_000)
    assert "cancelled" in register.message
    assert len(register.lines) == 1

    click(d.window, find(d.window, "registerPayPhone"))
    qtbot.waitUntil(lambda: bool(register.phone.get("id")), timeout=20_000)
    link = dict(register.phone)
    panel = find(d.window, "registerPhonePanel")
    assert panel.property("visible")
    qr = find(d.window, "registerPhoneQr")
    qtbot.waitUntil(lambda: qr.property("ready"), timeout=10_000)
    assert qr.property("implicitWidth") > 0
    screenshot(d.window, "register-phone-qr-en")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(link["url"])
            today = datetime.date.today()
            phone.fill("#card_number", "4242424242424242")
            phone.fill("#expiry", f"{today.month:02d}/{(today.year + 2) % 100:02d}")
            phone.fill("#cvc", "123")
            phone.click("#pay-submit")
            phone.wait_for_selector("[data-state=paid]", timeout=20_000)
        finally:
            browser.close()

    # Pushed: the register completes the sale without anyone touching it.
    qtbot.waitUntil(lambda: register.lastSale.get("sent") is True, timeout=20_000)
    assert not panel.property("visible")
    assert register.message == "Payment accepted."
    assert register.lines == []
    _, sale = api(hanout_server, d.api.token, f"sales/{register.lastSale['id']}/")
    assert [(x["method"], x["payment_link"]) for x in sale["payments"]] == [("phone", link["id"])]


def test_the_register_locks_itself_after_a_while_without_use(qtbot, desktop, hanout_server):
    """After the register's idle_lock_seconds without a touch or a key, the keypad comes
    back, as on the web register."""
    d = desktop
    register = d.desktop.register
    name = f"Idle {uuid.uuid4().hex[:6]}"  # its own register: the others never lock here
    made = hanout_server.manage_shell(
        "from hanout.accounts.models import Membership;"
        "from hanout.core.models import Shop;"
        "from hanout.pos.services import register_create;"
        "m = Membership.objects.get(user__email='admin@kaching.example', is_active=True);"
        "shop = Shop.objects.filter(business=m.business).order_by('name').first();"
        f"r = register_create(business=m.business, actor=m.user, shop=shop, name='{name}',"
        " idle_lock_seconds=3);"
        "print('REGISTER', r.pk)"
    )
    register_id = made.split("REGISTER ")[-1].strip()
    pair(qtbot, d, register_id)
    pin_sign_in(qtbot, d)
    ready_to_sell(qtbot, d)
    # Someone at the counter: touches keep it open past the idle time.
    for _ in range(4):
        click(d.window, find(d.window, "registerKey_7"))
        qtbot.wait(1_000)
    assert register.state == "selling"
    # Nobody: it locks.
    qtbot.waitUntil(lambda: register.state == "locked", timeout=10_000)
    assert "without use" in find(d.window, "registerLockMessage").property("text")
    screenshot(d.window, "register-idle-locked-en")
