"""The customer of a basket at the counter: found by loyalty card, phone or name.

As on the web till (till-customer.js) the typed or scanned text is tried as a
loyalty card code first (`GET customers/lookup/?card=`), then, when it looks like
a phone number, as a phone read with the business's country (`?phone=`:
"0612…" finds "+212612…"); the desktop also tries it as a name
(`GET customers/?search=`), because a counter without a card reader knows its
regulars by name. One customer found is attached at once; several are listed to
choose from. Attaching puts the customer's id in the sale (also when the sale
waits in the offline queue); the points they earn are the server's, read back
after the sale (`CounterRegister._read_points`). Finding needs the network and
read access to Customers (a cashier's default).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QCoreApplication, QObject, Signal, Slot

if TYPE_CHECKING:
    from hanout_desktop.register import CounterRegister

LIMIT = 10
# Digits, spaces, dots, dashes, brackets and a leading +: what a phone number is typed as.
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{4,}$")


def customer_row(customer: dict[str, Any]) -> dict[str, Any]:
    """What the register keeps and shows of a customer (the lookup's and the list's
    answers have the same fields)."""
    return {
        "id": str(customer.get("id", "")),
        "name": str(customer.get("name", "")),
        "phone": str(customer.get("phone") or ""),
        "card": str(customer.get("card_code") or ""),
        "points": int(customer.get("loyalty_points") or 0),
    }


class CustomerSearch(QObject):
    """The Customer dialog's search (`register.customers` in QML)."""

    changed = Signal()
    chosen = Signal("QVariantMap")  # the customer to attach to the basket on screen

    def __init__(self, register: CounterRegister):
        super().__init__(register)
        self.register = register
        self._busy = False
        self._error = ""
        self._results: list[dict[str, Any]] = []
        self._asked = 0  # the latest search: an older answer arriving late is dropped

    busy = Property(bool, lambda self: self._busy, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
    results = Property("QVariantList", lambda self: list(self._results), notify=changed)

    @Slot()
    def reset(self) -> None:
        self._asked += 1
        self._busy = False
        self._error = ""
        self._results = []
        self.changed.emit()

    @Slot(str)
    def find(self, query: str) -> None:
        query = query.strip()
        self.reset()
        if not query:
            self._say(
                QCoreApplication.translate(
                    "Register", "Type a name or a phone number, or scan the loyalty card."
                )
            )
            return
        steps = [("customers/lookup/", {"card": query})]
        if PHONE_LIKE.match(query):
            steps.append(("customers/lookup/", {"phone": query}))
        steps.append(("customers/", {"search": query, "active": "true"}))
        self._busy = True
        self.changed.emit()
        self._ask(self._asked, query, steps)

    def _ask(self, mine: int, query: str, steps: list[tuple[str, dict]]) -> None:
        path, params = steps[0]
        call = self.register.api.call("GET", path, params=params)
        call.done.connect(lambda body: self._answered(mine, query, steps[1:], body))
        call.failed.connect(lambda message, status, fields: self._failed(mine, message))

    def _answered(self, mine: int, query: str, rest: list, body: Any) -> None:
        if mine != self._asked:
            return
        rows = body.get("results", []) if isinstance(body, dict) else list(body or [])
        found = [customer_row(x) for x in rows if x.get("is_active", True)][:LIMIT]
        if not found and rest:
            self._ask(mine, query, rest)
            return
        self._busy = False
        if not found:
            self._say(
                QCoreApplication.translate("Register", "No customer found for %1.").replace(
                    "%1", query
                )
            )
            return
        self._results = found
        self.changed.emit()
        if len(found) == 1:
            self.chosen.emit(found[0])

    def _failed(self, mine: int, message: str) -> None:
        if mine != self._asked:
            return
        self._busy = False
        self._say(message)

    @Slot(int)
    def choose(self, index: int) -> None:
        if 0 <= index < len(self._results):
            self.chosen.emit(self._results[index])

    def _say(self, message: str) -> None:
        self._error = message
        self.changed.emit()
