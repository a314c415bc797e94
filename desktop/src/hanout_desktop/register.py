"""Register mode: this computer as a counter till (the `register` object QML sees).

A manager signed in to the back office pairs the computer with one of the
business's registers (`POST /api/v1/register-devices/`); the device token it
gets back is kept in the app's settings and is the computer's credential from
then on. At the counter a cashier types their employee code and PIN
(`POST /api/v1/register-devices/sign-in/` with the device token): the server
checks the PIN, the Register access and the opening hours, and answers with an
API token for that person, which carries the sales. Paired again, or unpaired,
the computer first asks the server to revoke the device token it had
(`POST /api/v1/register-devices/forget/`), so that it stops working at once.

Selling does not wait for the server. The catalog (`/pos/catalog.json`, the
web till's feed) is kept in memory and in a file, so a scan is found without a
request; a paid basket becomes a sale with its own `client_uuid`, written to
the queue file first and sent from there. A sale the server could not be
reached for stays in the queue, marked `offline` (the server then keeps the
time it was made), and is sent again every few seconds until the server takes
it; the same `client_uuid` makes a second delivery of one sale answer the
first, so a sale arrives once however often it is sent. A sale the server
refuses (a product removed since) is kept apart with the server's reason.

The ticket is printed once the server has recorded the sale, as on the web
register (ADR 0005): only the server gives the real, gapless number and lays
the ticket out. A sale kept offline shows its provisional number (`OFF-` and
the start of its client uuid) and is marked, in the queue file, to be printed
when it goes out; "Print again" prints the sale shown on screen, or marks it
to print when it is still waiting.

What the cashier may do is the server's word: after the PIN sign-in the app
reads the member's levels (`GET me/`) and shows the discount key only with
Sales: full and the Customer button only with Customers: read; the server
refuses a discount from anyone else anyway. The customer of a basket
(register_customers.py) and returns (register_returns.py) live in their own
modules.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    QStandardPaths,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWebSockets import QWebSocket

from hanout_desktop import money as amounts
from hanout_desktop.api import ApiClient, alive
from hanout_desktop.printer import PrintJob, parse_target
from hanout_desktop.register_customers import CustomerSearch
from hanout_desktop.register_returns import TicketReturn

LOCKED = "locked"  # paired: the code-and-PIN keypad
DRAWER = "drawer"  # signed in, no cash session open: count the opening float
SELLING = "selling"
UNPAIRED = "unpaired"

RETRY_MS = 5_000
# What counts as someone at the counter, for the idle lock.
INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}
DEVICE_HEADER = "X-Register-Device"
CENT = Decimal("0.01")
LINE_ROLES = ("product", "kind", "name", "quantity", "price", "amount", "discount")
PHONE_ROLES = ("id", "url", "qr", "amount", "status")
MAIN, SUB = "main", "sub"  # the sale's `basket` field, as the web register sends it


def data_dir() -> Path:
    """Where the queue and the catalog live: HANOUT_DESKTOP_DATA, else the app's data folder."""
    path = os.environ.get("HANOUT_DESKTOP_DATA") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation
    )
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_json(path: Path, data: Any) -> None:
    """Whole or not at all: a power cut while writing leaves the previous file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def decimal(text: Any) -> Decimal | None:
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


class CounterRegister(QObject):
    changed = Signal()  # pairing, state, cashier, messages
    # After checkPairing(): whether this computer's register is one of the signed-in
    # business's, and if not, the name of the business it was paired with.
    pairingChecked = Signal(bool, str)
    # A pairing asked for from the back office went through (the pair dialog closes).
    pairedNow = Signal()
    basketChanged = Signal()
    queueChanged = Signal()
    phoneChanged = Signal()

    def __init__(self, api: ApiClient, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.back_office = api  # the signed-in manager's client (pairing only)
        self.settings = settings or QSettings()
        # The cashier's own client: its token is the one the PIN sign-in gave.
        self.api = ApiClient(api.baseUrl, self)
        api.baseUrlChanged.connect(lambda: self.api.set_base_url(api.baseUrl))
        self.api.reachableChanged.connect(self.changed)
        self._active = False
        self._state = LOCKED if self._device() else UNPAIRED
        self._error = ""
        self._fields: dict[str, str] = {}
        self._message = ""
        self._busy = False
        self._cashier: dict[str, Any] = {}
        self._session = ""
        self._currency = str(self.settings.value("register/currency", "") or "")
        # The business's country, for its way of writing amounts (money.py): the back
        # office's when the computer was paired, then the cashier's `GET me/`.
        self._country = str(self.settings.value("register/country", "") or "")
        self._entry = ""
        self._quantity: Decimal | None = None
        # Two baskets on one visit (MISSION §6): the main one and the sub-account,
        # each paid separately with its own ticket. `_lines` is the one on screen.
        self._baskets: dict[str, list[dict[str, Any]]] = {MAIN: [], SUB: []}
        self._basket_key = MAIN
        self._lines = self._baskets[MAIN]
        # Each basket's customer (till-customer.js keeps one per basket too) and the line
        # the keypad's Discount and the line buttons act on (-1: the last one).
        self._customers: dict[str, dict[str, Any]] = {MAIN: {}, SUB: {}}
        self._selected = -1
        self._last_sale: dict[str, Any] = {}
        self.customers = CustomerSearch(self)
        self.customers.chosen.connect(self._attach)
        self.returns = TicketReturn(self)
        self.returns.recorded.connect(self._returned)
        self._sending = False
        self._folder = data_dir()
        self._queue: list[dict[str, Any]] = read_json(self._folder / "register-queue.json", [])
        self._rejected: list[dict[str, Any]] = read_json(
            self._folder / "register-rejected.json", []
        )
        catalog = read_json(self._folder / "register-catalog.json", {})
        self._products: dict[str, dict] = {}
        self._codes: dict[str, str] = {}
        self._index(catalog)
        token = str(self.settings.value("register/token", "") or "")
        if token and self._device():
            # Signed in when the app stopped: the queue can still go out.
            self.api.token = token
            self._cashier = read_json(self._folder / "register-cashier.json", {})
            self._state = SELLING if self._cashier else LOCKED
        # A phone payment in progress: the link, its QR code, what it pays for.
        self._phone: dict[str, Any] = {}
        self._socket: QWebSocket | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(RETRY_MS)
        self._timer.timeout.connect(self.flush)
        if self._queue:
            self._timer.start()
        # The idle lock, as on the web register: after the register's idle_lock_seconds
        # without a touch or a key, the cashier is signed out (0: never). Not while sales
        # wait to be sent or a phone payment is on screen; then it is said instead.
        self._idle_seconds = int(self.settings.value("register/idle_lock_seconds", 0) or 0)
        self._last_input = time.monotonic()
        self._idle_warned = False
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(1_000)
        self._idle_timer.timeout.connect(self._check_idle)
        self._idle_timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- properties -------------------------------------------------------------------------
    def _device(self) -> str:
        return str(self.settings.value("register/device", "") or "")

    def _get(name):  # noqa: N805 - a small property factory for plain attributes
        return lambda self: getattr(self, name)

    paired = Property(bool, lambda self: bool(self._device()), notify=changed)
    active = Property(bool, _get("_active"), notify=changed)
    state = Property(str, _get("_state"), notify=changed)
    error = Property(str, _get("_error"), notify=changed)
    fieldErrors = Property("QVariantMap", lambda self: dict(self._fields), notify=changed)
    # The error as said under a whole form (the keypad's): nothing when a field says it
    # already (a wrong PIN is said under the PIN, once).
    formError = Property(
        str,
        lambda self: "" if self._error in self._fields.values() else self._error,
        notify=changed,
    )
    message = Property(str, _get("_message"), notify=changed)
    busy = Property(bool, _get("_busy"), notify=changed)
    online = Property(bool, lambda self: self.api.reachable, notify=changed)
    entry = Property(str, _get("_entry"), notify=basketChanged)
    quantity = Property(str, lambda self: _plain(self._quantity), notify=basketChanged)
    lines = Property(
        "QVariantList",
        lambda self: [
            {k: x[k] for k in LINE_ROLES} | {"selected": i == self._selected_index()}
            for i, x in enumerate(self._lines)
        ],
        notify=basketChanged,
    )
    customer = Property(
        "QVariantMap", lambda self: dict(self._customers[self._basket_key]), notify=basketChanged
    )
    # The member's levels, read after the sign-in: what the screen offers them.
    canDiscount = Property(bool, lambda self: self._level("sales") == "full", notify=changed)
    canFindCustomers = Property(
        bool, lambda self: self._level("customers") in ("read", "full"), notify=changed
    )
    canReturn = Property(bool, lambda self: self._level("register") == "full", notify=changed)
    lastSale = Property("QVariantMap", lambda self: dict(self._last_sale), notify=basketChanged)
    pending = Property(int, lambda self: len(self._queue), notify=queueChanged)
    rejected = Property("QVariantList", lambda self: list(self._rejected), notify=queueChanged)
    productCount = Property(int, lambda self: len(self._products), notify=changed)
    basket = Property(str, _get("_basket_key"), notify=basketChanged)
    phone = Property(
        "QVariantMap",
        lambda self: {k: v for k, v in self._phone.items() if k in PHONE_ROLES},
        notify=phoneChanged,
    )
    otherCount = Property(
        int,
        lambda self: len(self._baskets[SUB if self._basket_key == MAIN else MAIN]),
        notify=basketChanged,
    )
    del _get

    def _get_customers(self) -> QObject:
        return self.customers

    customerSearch = Property(QObject, _get_customers, constant=True)

    def _get_returns(self) -> QObject:
        return self.returns

    ticketReturn = Property(QObject, _get_returns, constant=True)

    @property
    def register_id(self) -> str:
        return str(self.settings.value("register/id", "") or "")

    @property
    def session_id(self) -> str:
        return self._session

    def _level(self, module: str) -> str:
        return str((self._cashier.get("levels") or {}).get(module) or "")

    def _get_printer(self) -> str:
        return str(self.settings.value("register/printer", "") or "")

    printer = Property(str, _get_printer, notify=changed)

    def _get_register_name(self) -> str:
        return str(self.settings.value("register/name", "") or "")

    registerName = Property(str, _get_register_name, notify=changed)

    def _get_shop_name(self) -> str:
        return str(self.settings.value("register/shop_name", "") or "")

    shopName = Property(str, _get_shop_name, notify=changed)

    def _get_cashier(self) -> str:
        return str((self._cashier.get("member") or {}).get("name", ""))

    cashier = Property(str, _get_cashier, notify=changed)

    def _get_total(self) -> str:
        return self.money(self._total())

    total = Property(str, _get_total, notify=basketChanged)

    def _get_products(self) -> list:
        """The best sellers first (the catalog's order), for the buttons."""
        return [
            {"id": p["id"], "name": p["name"], "price": self.money(decimal(p["price"]) or 0)}
            for p in list(self._products.values())[:24]
        ]

    products = Property("QVariantList", _get_products, notify=changed)

    # --- pairing and the mode ---------------------------------------------------------------
    @Slot(str, str)
    def pair(self, register_id: str, label: str) -> None:
        """Make this computer the register `register_id` (a manager, signed in)."""
        self._start()
        call = self.back_office.call(
            "POST", "register-devices/", {"register": register_id, "label": label.strip()}
        )
        call.done.connect(self._paired)
        call.failed.connect(self._failed)

    def _paired(self, body: dict) -> None:
        # Paired before (with this register, another one or another store's): the old
        # device token is revoked on the server before the new one replaces it here.
        self._forget_device()
        self.settings.setValue("register/device", body["token"])
        self.settings.setValue("register/id", body["register"])
        self.settings.setValue("register/name", body.get("register_name", ""))
        self.settings.setValue("register/shop_name", body.get("shop_name", ""))
        self.settings.setValue("register/business_name", body.get("business_name", ""))
        self._country = amounts.current.country or self._country
        self.settings.setValue("register/country", self._country)
        self.settings.sync()
        self._state = LOCKED
        # The name isolated: an Arabic register's name inside an English sentence (or the
        # other way round) would otherwise pull its neighbours around.
        self._done(
            QCoreApplication.translate(
                "Register", "This computer is now the register “%1”."
            ).replace("%1", "\u2068" + body.get("register_name", "") + "\u2069")
        )
        self.pairedNow.emit()

    @Slot()
    def checkPairing(self) -> None:
        """Is this computer's register one of the signed-in manager's business?

        The pairing is kept per computer, so the owner of a second store on the same
        computer would otherwise open the first store's till. The server answers a
        register of another business with 404; no answer at all (offline) lets the
        counter open, as it must keep selling.
        """
        if not self._device():
            self.pairingChecked.emit(False, "")
            return
        call = self.back_office.call("GET", f"registers/{self.register_id}/")
        call.done.connect(lambda _body: self.pairingChecked.emit(True, ""))
        call.failed.connect(
            lambda _message, status, _fields: self.pairingChecked.emit(
                status not in (403, 404),
                str(self.settings.value("register/business_name", "") or ""),
            )
        )

    @Slot()
    def unpair(self) -> None:
        """Forget the pairing here; the server is asked to revoke the device token too."""
        self._sign_out_locally()
        self._forget_device()
        for key in ("device", "id", "name", "shop_name", "business_name", "currency", "country"):
            self.settings.remove(f"register/{key}")
        self._state = UNPAIRED
        self._active = False
        self.changed.emit()

    def _forget_device(self) -> None:
        """Ask the server to revoke this computer's device token (`forget/`, the device
        header its only credential), so that it can no longer act as the register. Best
        effort: offline, or already revoked by a manager, the pairing is forgotten here
        anyway and nothing is said (a manager can still revoke it on the web)."""
        device = self._device()
        if device:
            self.api.call("POST", "register-devices/forget/", {}, headers={DEVICE_HEADER: device})

    @Slot()
    def enter(self) -> None:
        self._active = True
        self._set_error("")
        self.changed.emit()

    @Slot()
    def leave(self) -> None:
        """Back to the back office; the cashier is signed out first. Not while a customer
        is paying by phone: the QR code must stay on screen until the payment ends."""
        if self._refuse_while_phone_pays():
            return
        if self._cashier:
            self.signOut()
        self._active = False
        self.changed.emit()

    def _refuse_while_phone_pays(self) -> bool:
        """True (and said) when a phone payment waits: signing out, switching cashier or
        leaving register mode would leave the customer paying for a sale nobody records.
        (The idle lock waits for it too, without a word until it would have locked.)"""
        if not self._phone:
            return False
        self._set_error(
            QCoreApplication.translate(
                "Register",
                "A customer is paying by phone. Wait for the payment, or cancel the QR payment, before signing out or leaving the register.",
            )
        )
        return True

    # --- the cashier ------------------------------------------------------------------------
    @Slot(str, str)
    def signIn(self, code: str, pin: str) -> None:
        code, pin = code.strip(), pin.strip()
        if not code or not pin:
            fields = {}
            if not code:
                fields["code"] = QCoreApplication.translate("Register", "Type your employee code.")
            if not pin:
                fields["pin"] = QCoreApplication.translate("Register", "Type your PIN.")
            self._set_error(
                QCoreApplication.translate("Register", "Type your employee code and your PIN."),
                fields,
            )
            return
        self._start()
        call = self.api.call(
            "POST",
            "register-devices/sign-in/",
            {"code": code, "pin": pin},
            headers={DEVICE_HEADER: self._device()},
        )
        call.done.connect(self._signed_in)
        call.failed.connect(self._failed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _check_idle(self) -> None:
        if not self._active or not self._cashier or self._idle_seconds <= 0:
            return
        if time.monotonic() - self._last_input < self._idle_seconds:
            self._idle_warned = False
            return
        if self._queue or self._phone or self._busy:
            if not self._idle_warned:
                self._idle_warned = True
                self._say(
                    QCoreApplication.translate(
                        "Register",
                        "Not locked: a payment or a sale waiting for the server needs this cashier.",
                    )
                )
            return
        self.signOut()
        self._say(
            QCoreApplication.translate(
                "Register", "Locked after a while without use. Sign in again to go on."
            )
        )

    def _signed_in(self, body: dict) -> None:
        self.api.token = body["token"]
        self._idle_seconds = int((body.get("register") or {}).get("idle_lock_seconds") or 0)
        self.settings.setValue("register/idle_lock_seconds", self._idle_seconds)
        self._last_input = time.monotonic()
        self._cashier = {"member": body.get("member") or {}}
        self._session = body.get("session") or ""
        self._currency = body.get("currency") or self._currency
        self.settings.setValue("register/token", body["token"])
        self.settings.setValue("register/currency", self._currency)
        write_json(self._folder / "register-cashier.json", self._cashier)
        self._state = SELLING if self._session else DRAWER
        self._done("")
        self._read_levels()
        self.reloadCatalog()
        self.flush()

    def _read_levels(self) -> None:
        """What this member may do (Sales: full for a discount, Customers: read to find a
        customer). Until the answer, and if it never comes, the screen offers neither."""
        token = self.api.token
        call = self.api.call("GET", "me/")
        call.done.connect(lambda body: self._got_levels(token, body))

    def _got_levels(self, token: str, body: dict) -> None:
        if token != self.api.token or not self._cashier:
            return  # signed out (or someone else signed in) meanwhile
        self._cashier["levels"] = dict((body or {}).get("levels") or {})
        write_json(self._folder / "register-cashier.json", self._cashier)
        country = str(((body or {}).get("business") or {}).get("country") or "").upper()
        if country and country != self._country:
            self._country = country
            self.settings.setValue("register/country", country)
            self._refresh_lines()
        self.changed.emit()

    @Slot()
    def signOut(self) -> None:
        """Sign the cashier out (also how cashiers switch: the keypad comes back)."""
        if self._refuse_while_phone_pays():
            return
        if self._queue and self.api.token:
            # Their sales go out with their token: it must live until the queue is empty
            # (the web register refuses the same way).
            self._say(
                QCoreApplication.translate(
                    "Register",
                    "Sales made here are still waiting for the server (%1). Sign out once they are sent.",
                ).replace("%1", str(len(self._queue)))
            )
            return
        if self.api.token:
            # Revoke the cashier's token; sign out here whether or not the server hears it.
            self.api.call(
                "POST", "register-devices/sign-out/", {}, headers={DEVICE_HEADER: self._device()}
            )
        self._sign_out_locally()
        self._state = LOCKED if self._device() else UNPAIRED
        self.changed.emit()

    def _sign_out_locally(self) -> None:
        self.api.token = ""
        self._cashier = {}
        self._session = ""
        self._baskets = {MAIN: [], SUB: []}
        self._customers = {MAIN: {}, SUB: {}}
        self._basket_key = MAIN
        self._lines = self._baskets[MAIN]
        self._selected = -1
        self._entry = ""
        self._quantity = None
        self.customers.reset()
        self.returns.reset()
        self.settings.remove("register/token")
        (self._folder / "register-cashier.json").unlink(missing_ok=True)
        self.basketChanged.emit()

    @Slot(str)
    def openDrawer(self, opening_float: str) -> None:
        amount = decimal(opening_float or "0")
        if amount is None or amount < 0:
            self._set_error(
                QCoreApplication.translate("Register", "Type the cash in the drawer, e.g. 100."),
                {"opening_float": QCoreApplication.translate("Register", "A positive amount.")},
            )
            return
        self._start()
        call = self.api.call(
            "POST",
            "cash-sessions/",
            {
                "register": str(self.settings.value("register/id", "")),
                "opening_float": str(amount),
                "client_uuid": str(uuid.uuid4()),
            },
        )
        call.done.connect(self._drawer_open)
        call.failed.connect(self._failed)

    def _drawer_open(self, body: dict) -> None:
        self._session = body.get("id", "")
        self._state = SELLING
        self._done("")

    # --- the catalog ------------------------------------------------------------------------
    @Slot()
    def reloadCatalog(self) -> None:
        call = self.api.call("GET", "/pos/catalog.json")
        call.done.connect(self._got_catalog)

    def _got_catalog(self, body: dict) -> None:
        write_json(self._folder / "register-catalog.json", body)
        self._index(body)
        self.changed.emit()

    def _index(self, catalog: dict) -> None:
        self._products = {}
        self._codes = {}
        for product in (catalog or {}).get("products") or []:
            self._products[product["id"]] = product
            for code in product.get("barcodes") or []:
                self._codes.setdefault(str(code), product["id"])
            if product.get("sku"):
                self._codes.setdefault(str(product["sku"]), product["id"])

    # --- the basket -------------------------------------------------------------------------
    @Slot(str)
    def key(self, key: str) -> None:
        """A key of the on-screen keypad: a digit, '.', 'back' or 'clear'."""
        if key == "clear":
            self._entry = ""
            self._quantity = None
        elif key == "back":
            self._entry = self._entry[:-1]
        elif key == "." and "." in self._entry:
            return
        elif len(self._entry) < 32:
            self._entry += key
        self.basketChanged.emit()

    @Slot()
    def times(self) -> None:
        """The typed number is the quantity of the next product."""
        quantity = decimal(self._entry)
        if quantity is None or quantity <= 0:
            self._say(QCoreApplication.translate("Register", "Type a quantity, then ×."))
            return
        self._quantity = quantity
        self._entry = ""
        self.basketChanged.emit()

    @Slot()
    def addTyped(self) -> None:
        """Enter on the keypad: the typed article number or barcode."""
        code, self._entry = self._entry, ""
        self.basketChanged.emit()
        if code:
            self.scan(code)

    @Slot(str)
    def scan(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        product_id = self._codes.get(code)
        if product_id:
            self.addProduct(product_id)
            return
        if not self.api.reachable or not self.api.token:
            self._say(
                QCoreApplication.translate(
                    "Register", "No product with code %1 in this register's catalog."
                ).replace("%1", code)
            )
            return
        call = self.api.call("GET", "products/lookup/", params={"code": code})
        call.done.connect(lambda body: self._looked_up(code, body))
        call.failed.connect(
            lambda message, status, fields: self._say(
                QCoreApplication.translate("Register", "No product with code %1.").replace(
                    "%1", code
                )
                if status == 404
                else message
            )
        )

    def _looked_up(self, code: str, body: dict) -> None:
        product = {
            "id": body["id"],
            "name": body["name"],
            "sku": body.get("sku", ""),
            "price": body.get("sale_price") or body.get("price") or "0",
        }
        self._products.setdefault(product["id"], product)
        self._codes[code] = product["id"]
        self.addProduct(product["id"])

    @Slot(str)
    def addProduct(self, product_id: str) -> None:
        product = self._products.get(product_id)
        if product is None:
            return
        quantity = self._quantity or Decimal(1)
        self._quantity = None
        # A discounted line keeps its quantity (the discount was given for it): the same
        # product scanned again starts a line of its own, as on the web till.
        for index, line in enumerate(self._lines):
            if line["product"] == product_id and not line["off"]:
                line["qty"] = line["qty"] + quantity
                self._selected = index
                break
        else:
            self._lines.append(
                {
                    "product": product_id,
                    "kind": "product",
                    "name": product["name"],
                    "unit": product["price"],
                    "qty": quantity,
                    "off": Decimal(0),
                }
            )
            self._selected = -1
        self._message = ""
        self._refresh_lines()

    @Slot(int)
    def removeLine(self, index: int) -> None:
        if 0 <= index < len(self._lines):
            del self._lines[index]
            self._selected = -1
            self._refresh_lines()

    @Slot(int)
    def selectLine(self, index: int) -> None:
        """The line the keypad's Discount acts on (a tap on the line)."""
        if 0 <= index < len(self._lines):
            self._selected = index
            self.basketChanged.emit()

    def _selected_index(self) -> int:
        if 0 <= self._selected < len(self._lines):
            return self._selected
        return len(self._lines) - 1

    @Slot()
    def discount(self) -> None:
        """The typed amount comes off the chosen line (the last one unless a line was
        tapped), tax included; 0 takes a discount away. Only for a member with Sales:
        full — the server refuses the sale of anyone else."""
        if not self.canDiscount:
            self._say(QCoreApplication.translate("Register", "You may not give discounts."))
            return
        index = self._selected_index()
        line = self._lines[index] if index >= 0 else None
        if line is None or line["kind"] != "product":
            self._say(QCoreApplication.translate("Register", "Tap a product line first."))
            return
        amount = decimal(self._entry)
        gross = ((decimal(line["unit"]) or Decimal(0)) * line["qty"]).quantize(CENT)
        if amount is None or amount < 0:
            self._say(
                QCoreApplication.translate(
                    "Register", "Type the amount off the line, then Discount."
                )
            )
            return
        if amount > gross:
            self._say(
                QCoreApplication.translate(
                    "Register", "The discount cannot be more than the line (%1)."
                ).replace("%1", self.money(gross))
            )
            return
        self._entry = ""
        line["off"] = amount.quantize(CENT)
        self._message = ""
        self._refresh_lines()

    @Slot()
    def withdraw(self) -> None:
        """The typed amount is cash handed to the customer, who pays it on top (by card,
        usually). One withdrawal line per basket: typing another replaces it."""
        amount = decimal(self._entry)
        if amount is None or amount <= 0:
            self._say(
                QCoreApplication.translate(
                    "Register", "Type the cash to hand over, then Withdrawal."
                )
            )
            return
        self._entry = ""
        self._lines[:] = [x for x in self._lines if x["kind"] != "withdrawal"]
        self._lines.append(
            {
                "product": "",
                "kind": "withdrawal",
                "name": QCoreApplication.translate("Register", "Cash withdrawal"),
                "unit": str(amount.quantize(CENT)),
                "qty": Decimal(1),
                "off": Decimal(0),
            }
        )
        self._selected = -1
        self._message = ""
        self._refresh_lines()

    @Slot()
    def switchBasket(self) -> None:
        """Between the main basket and the sub-account; each keeps its lines."""
        self._basket_key = SUB if self._basket_key == MAIN else MAIN
        self._lines = self._baskets[self._basket_key]
        self._quantity = None
        self._selected = -1
        self._refresh_lines()

    @Slot()
    def clearBasket(self) -> None:
        self._lines.clear()
        self._customers[self._basket_key] = {}
        self._quantity = None
        self._selected = -1
        self._entry = ""
        self._refresh_lines()

    def relabel(self) -> None:
        """The app's language changed: the amounts on screen in its number format (the
        basket's, the last ticket's and its change, a phone payment's)."""
        sale = self._last_sale
        if "total_value" in sale:
            sale["total"] = self.money(Decimal(sale["total_value"]))
        if sale.get("change_value"):
            sale["change"] = self.money(Decimal(sale["change_value"]))
        if self._phone.get("amount_raw") is not None:
            self._phone["amount"] = self.money(decimal(self._phone["amount_raw"]) or 0)
            self.phoneChanged.emit()
        self._refresh_lines()
        self.returns.changed.emit()

    def _refresh_lines(self) -> None:
        for line in self._lines:
            price = decimal(line["unit"]) or Decimal(0)
            line["quantity"] = _plain(line["qty"])
            line["price"] = self.money(price)
            line["amount"] = self.money(_line_total(line))
            line["discount"] = self.money(line["off"]) if line["off"] else ""
        self.basketChanged.emit()
        self.changed.emit()

    def _total(self) -> Decimal:
        return sum((_line_total(x) for x in self._lines), Decimal(0))

    # --- the customer of the basket ---------------------------------------------------------
    def _attach(self, customer: dict) -> None:
        self._customers[self._basket_key] = dict(customer)
        self._say(
            QCoreApplication.translate("Register", "%1 is the customer of this sale.").replace(
                "%1", customer.get("name", "")
            )
        )
        self.basketChanged.emit()

    # --- a return (register_returns.py finds the ticket and records it) --------------------
    def _returned(self, ret: dict) -> None:
        """The return is recorded: the cash to hand back, its ticket printed, and it is
        the ticket "Print again" prints."""
        refund = -(decimal(ret.get("total")) or Decimal(0))
        self._last_sale = {
            "client_uuid": str(ret.get("client_uuid", "")),
            "kind": "return",
            "id": str(ret.get("id", "")),
            "number": str(ret.get("ticket", "")),
            "total": self.money(refund),
            "total_value": str(refund),
            "change": "",
            "sent": True,
            "points": "",
        }
        self.basketChanged.emit()
        self._say(
            QCoreApplication.translate("Register", "Return %1 recorded: give %2 back in cash.")
            .replace("%1", self._last_sale["number"])
            .replace("%2", self._last_sale["total"])
        )
        if self._get_printer():
            self._print(self._last_sale["id"])

    @Slot()
    def detachCustomer(self) -> None:
        self._customers[self._basket_key] = {}
        self.basketChanged.emit()

    def money(self, amount: Decimal | int) -> str:
        """An amount on the register's screen, the business's way (money.py): "42,50 €"
        in French, "€42.50" in English, with Western digits in Arabic as on the web."""
        return amounts.amount(
            amount,
            self._currency,
            language=self.back_office.language,
            country=self._country or amounts.current.country,
        )

    # --- paying: the sale goes to the queue, then to the server -----------------------------
    @Slot(str)
    def payCash(self, tendered: str) -> None:
        total = self._total()
        given = decimal(tendered) if tendered.strip() else total
        if given is None or given < total:
            self._set_error(
                QCoreApplication.translate(
                    "Register", "The customer gave less than the total (%1)."
                ).replace("%1", self.money(total)),
                {"tendered": QCoreApplication.translate("Register", "At least the total.")},
            )
            return
        self._pay({"method": "cash", "tendered": str(given)}, change=given - total)

    @Slot()
    def payCard(self) -> None:
        self._pay({"method": "card"}, change=None)

    def _pay(self, payment: dict, *, change: Decimal | None, client_uuid: str = "") -> None:
        """`change` is the cash handed back: None when the customer paid otherwise (a
        card or a phone gives no change, and the ticket line says none)."""
        if not self._lines:
            self._say(QCoreApplication.translate("Register", "The basket is empty."))
            return
        customer = self._customers[self._basket_key]
        sale = {
            "client_uuid": client_uuid or str(uuid.uuid4()),
            "register": self.register_id,
            "basket": self._basket_key,
            "lines": [_sale_line(x) for x in self._lines],
            "payments": [payment],
            "sold_at": datetime.now(UTC).isoformat(),
            "offline": False,
            # This register's own notes, never sent: the ticket is printed when the
            # server has recorded the sale (at once online, later for an offline sale).
            "_print": bool(self._get_printer()),
        }
        if self._session:
            sale["session"] = self._session
        if customer:
            sale["customer"] = customer["id"]
        self._queue.append(sale)
        self._save_queue()
        self._last_sale = {
            "client_uuid": sale["client_uuid"],
            "kind": "sale",
            "total": self.money(self._total()),
            # None after a card or a phone, nothing either when the cash was exact.
            "change": self.money(change) if change else "",
            # The amounts themselves, written again when the language changes (relabel).
            "total_value": str(self._total()),
            "change_value": str(change) if change else "",
            "number": "",
            "provisional": provisional_number(sale["client_uuid"]),
            "sent": False,
            "customer": customer.get("name", ""),
            "customer_id": customer.get("id", ""),
            "points": "",
        }
        self._lines.clear()
        self._customers[self._basket_key] = {}
        self._selected = -1
        self._entry = ""
        self._set_error("")
        if self._baskets[SUB if self._basket_key == MAIN else MAIN]:
            self.switchBasket()  # the other basket of the visit is next
        else:
            self._refresh_lines()
        self.flush()

    # --- paying by phone: a QR code, the customer pays, the server pushes it ---------------
    @Slot()
    def payPhone(self) -> None:
        if not self._lines:
            self._say(QCoreApplication.translate("Register", "The basket is empty."))
            return
        if not self.api.reachable:
            self._set_error(
                QCoreApplication.translate(
                    "Register", "Phone payment needs the server. Take cash or card."
                )
            )
            return
        total = self._total()
        sale_uuid = str(uuid.uuid4())
        body = {
            "register": str(self.settings.value("register/id", "")),
            "amount": str(total),
            "sale_client_uuid": sale_uuid,
            "client_uuid": str(uuid.uuid4()),
            "lines": [
                {"name": x["name"], "quantity": _plain(x["qty"]), "total": str(_line_total(x))}
                for x in self._lines
            ],
        }
        if self._session:
            body["session"] = self._session
        self._listen()
        self._start()
        call = self.api.call("POST", "payment-links/", body)
        call.done.connect(lambda link: self._link_made(link, sale_uuid))
        call.failed.connect(self._failed)

    def _link_made(self, link: dict, sale_uuid: str) -> None:
        svg = (link.get("qr_svg") or "").encode()
        self._phone = {
            "id": link["id"],
            "url": link.get("url", ""),
            "qr": "data:image/svg+xml;base64," + base64.b64encode(svg).decode() if svg else "",
            "amount": self.money(decimal(link.get("amount")) or 0),
            "amount_raw": link.get("amount"),
            "status": "waiting",
            "sale_client_uuid": sale_uuid,
        }
        self._done("")
        self.phoneChanged.emit()
        self._sync()  # paid before the socket joined? The sync answer says so.

    @Slot()
    def cancelPhone(self) -> None:
        link = self._phone.get("id")
        if not link:
            return
        call = self.api.call("POST", f"payment-links/{link}/cancel/", {})
        call.done.connect(lambda _body: self._phone_gone("cancelled"))
        # 409: paid meanwhile, the push (or the sync) completes the sale.
        call.failed.connect(
            lambda message, status, fields: (
                self._sync() if status == 409 else self._set_error(message)
            )
        )

    def _phone_gone(self, status: str) -> None:
        if not self._phone:
            return
        self._phone = {}
        self.phoneChanged.emit()
        words = {
            "cancelled": QCoreApplication.translate("Register", "The QR payment was cancelled."),
            "expired": QCoreApplication.translate(
                "Register", "The QR code expired: start the phone payment again."
            ),
        }
        self._say(words.get(status, ""))

    def _phone_paid(self) -> None:
        link, self._phone = self._phone, {}
        self.phoneChanged.emit()
        self._pay(
            {"method": "phone", "amount": link["amount_raw"], "payment_link": link["id"]},
            change=None,
            client_uuid=link["sale_client_uuid"],
        )
        self._say(QCoreApplication.translate("Register", "Payment accepted."))

    def _listen(self) -> None:
        """The register's socket, where the server says a phone payment went through."""
        if self._socket is not None or not self.api.token:
            return
        register = str(self.settings.value("register/id", ""))
        socket = self.api.open_socket(f"/ws/register/{register}/", self)
        socket.textMessageReceived.connect(self._push)
        socket.disconnected.connect(lambda s=socket: self._socket_closed(s))
        self._socket = socket

    def _socket_closed(self, socket: QWebSocket) -> None:
        if not (alive(self) and alive(socket)):
            return  # the app is closing: the socket went with its register
        if socket is self._socket:
            self._socket = None
        socket.deleteLater()
        if self._phone:
            # Waiting for a payment: listen again (the sync on connect tells what was missed).
            QTimer.singleShot(2_000, self._listen)

    def _sync(self) -> None:
        if self._socket is not None and self._socket.isValid():
            self._socket.sendTextMessage(json.dumps({"type": "sync"}))

    def _push(self, text: str) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            return
        link = self._phone.get("id")
        if not link or not isinstance(message, dict):
            return
        kind = message.get("type")
        if kind == "sync":
            found = [x for x in message.get("links") or [] if str(x.get("link")) == link]
            status = found[0].get("status") if found else ""
        elif str(message.get("link")) == link:
            status = {
                "payment.confirmed": "paid",
                "payment.cancelled": "cancelled",
                "payment.expired": "expired",
            }.get(kind, "")
        else:
            return
        if status == "paid":
            self._phone_paid()
        elif status in ("cancelled", "expired"):
            self._phone_gone(status)

    @Slot()
    def flush(self) -> None:
        """Send the oldest queued sale; the next follows its answer."""
        if self._sending or not self._queue or not self.api.token:
            if not self._queue:
                self._timer.stop()
            return
        self._sending = True
        sale = self._queue[0]
        payload = {k: v for k, v in sale.items() if not k.startswith("_")}
        call = self.api.call("POST", "sales/", payload)
        call.done.connect(lambda body: self._sent(sale, body))
        call.failed.connect(lambda message, status, fields: self._not_sent(sale, message, status))

    def _sent(self, sale: dict, body: dict) -> None:
        self._sending = False
        self._drop(sale)
        sale_id = str(body.get("id", ""))
        # Its ticket, now that it has its real number: at once for a sale made online
        # (the customer is at the counter), when the connection came back for one kept
        # offline (the web register's print button waits for the server the same way).
        if sale.get("_print") and self._get_printer() and sale_id:
            self._print(sale_id)
        if self._last_sale.get("client_uuid") == sale["client_uuid"]:
            self._last_sale.update(
                id=sale_id,
                number=str(body.get("ticket") or body.get("number", "")),
                sent=True,
            )
            if self._last_sale.get("customer_id"):
                self._read_points(sale_id, self._last_sale["customer_id"])
            self.basketChanged.emit()
        self.flush()

    def _read_points(self, sale_id: str, customer_id: str) -> None:
        """The points the server gave the customer for this sale, and their balance now
        (the loyalty ledger, newest first: the sale's entry is among the first)."""
        call = self.api.call("GET", f"customers/{customer_id}/loyalty/")
        call.done.connect(lambda body: self._got_points(sale_id, body))

    def _got_points(self, sale_id: str, body: dict) -> None:
        if self._last_sale.get("id") != sale_id:
            return
        entries = (body or {}).get("results") or []
        earned = sum(
            int(x.get("points") or 0)
            for x in entries
            if str(x.get("sale") or "") == sale_id and x.get("kind") == "earn"
        )
        balance = int(entries[0].get("balance_after") or 0) if entries else 0
        if earned:
            words = (
                QCoreApplication.translate("Register", "Points: +%1 (balance %2)")
                .replace("%1", str(earned))
                .replace("%2", str(balance))
            )
        else:
            words = QCoreApplication.translate(
                "Register", "Points: none for this sale (balance %1)"
            ).replace("%1", str(balance))
        self._last_sale["points"] = words
        self._last_sale["points_earned"] = earned
        self._last_sale["points_balance"] = balance
        self.basketChanged.emit()

    def _not_sent(self, sale: dict, message: str, status: int) -> None:
        self._sending = False
        if status == 0 or status >= 500 or status in (401, 429):
            # Unreachable, failing or signed out: keep it and try again later. A sale
            # first tried offline keeps the time the device recorded.
            if status == 0 and not sale.get("offline"):
                sale["offline"] = True
                self._save_queue()
            if not self._timer.isActive():
                self._timer.start()
            self.queueChanged.emit()
            self.changed.emit()
            return
        # Refused for good (a product removed since, a closed register): kept apart.
        self._drop(sale)
        self._rejected.append({"sale": sale, "message": message, "status": status})
        write_json(self._folder / "register-rejected.json", self._rejected)
        self._say(
            QCoreApplication.translate("Register", "The server refused a sale: %1").replace(
                "%1", message
            )
        )
        self.queueChanged.emit()
        self.flush()

    def _drop(self, sale: dict) -> None:
        self._queue = [s for s in self._queue if s["client_uuid"] != sale["client_uuid"]]
        self._save_queue()

    def _save_queue(self) -> None:
        write_json(self._folder / "register-queue.json", self._queue)
        if self._queue and not self._timer.isActive():
            self._timer.start()
        self.queueChanged.emit()

    # --- the receipt printer ----------------------------------------------------------------
    @Slot(str)
    def setPrinter(self, target: str) -> None:
        """`host:port` of a network printer, a device path (/dev/usb/lp0), or empty: none."""
        target = target.strip()
        if target:
            try:
                parse_target(target)
            except ValueError as exc:
                self._set_error(str(exc), {"printer": str(exc)})
                return
        self.settings.setValue("register/printer", target)
        self._set_error("")

    @Slot()
    def printAgain(self) -> None:
        """The ticket shown on screen (the last sale or return). A sale still waiting for
        the server has no ticket yet: it is marked to print as soon as it is recorded."""
        if self._last_sale.get("sent") and self._last_sale.get("id"):
            self._print(self._last_sale["id"])
            return
        key = self._last_sale.get("client_uuid")
        for sale in self._queue:
            if sale["client_uuid"] == key:
                sale["_print"] = True
                self._save_queue()
                self._say(
                    QCoreApplication.translate(
                        "Register",
                        "This sale is waiting for the server: its ticket prints as soon as the server records it.",
                    )
                )
                return

    def _print(self, sale_id: str) -> None:
        target = self._get_printer()
        if not target:
            self._set_error(QCoreApplication.translate("Printer", "No receipt printer is set."))
            return
        call = self.api.call("POST", f"sales/{sale_id}/escpos/", raw=True)
        call.done.connect(lambda data: self._to_printer(target, data))
        call.failed.connect(lambda message, status, fields: self._set_error(message))

    def _to_printer(self, target: str, data: bytes) -> None:
        job = PrintJob(target, data, self)
        job.done.connect(
            lambda: self._say(QCoreApplication.translate("Register", "Ticket printed."))
        )
        job.failed.connect(self._set_error)
        job.start()

    # --- messages ---------------------------------------------------------------------------
    def _start(self) -> None:
        self._busy = True
        self._error = ""
        self._fields = {}
        self.changed.emit()

    def _done(self, message: str) -> None:
        self._busy = False
        self._message = message
        self.changed.emit()

    def _failed(self, message: str, status: int, fields: dict) -> None:
        self._busy = False
        self._set_error(message, fields)

    def _set_error(self, message: str, fields: dict | None = None) -> None:
        self._error = message
        self._fields = dict(fields or {})
        self.changed.emit()

    def _say(self, message: str) -> None:
        self._message = message
        self.changed.emit()


def _sale_line(line: dict) -> dict:
    """A basket line as the sale API takes it: a product, its quantity and any amount
    off (the server prices it), or the withdrawal's amount."""
    if line["kind"] == "withdrawal":
        return {"kind": "withdrawal", "amount": line["unit"]}
    out = {"product": line["product"], "quantity": str(line["qty"])}
    if line.get("off"):
        out["discount"] = str(line["off"])
    return out


def _line_total(line: dict) -> Decimal:
    """What the screen shows for a line (the server's figures are on the ticket)."""
    gross = ((decimal(line["unit"]) or Decimal(0)) * line["qty"]).quantize(CENT)
    return max(Decimal(0), gross - (line.get("off") or Decimal(0)))


def provisional_number(client_uuid: str) -> str:
    """An offline ticket's number until the server gives the real one, as the web till
    shows it (till-core.js): OFF- and the first eight hex digits of the sale's uuid."""
    return "OFF-" + client_uuid.replace("-", "")[:8].upper()


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text
