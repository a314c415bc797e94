"""A customer brings goods back: the return at the counter (`register.returns` in QML).

As on the web (views_returns.py): the ticket is found by its printed number,
typed or scanned from the paper (`GET sales/?ticket=000123&kind=sale`; each
register numbers its own tickets, so a number may name a ticket of each, and
the cashier then chooses); its product lines are listed with what was sold,
what earlier returns took back and what is left; the cashier chooses how many
of each come back, says why, and the refund is paid in cash
(`POST sales/{id}/return/`, `refund_method: cash`, the goods back in stock).
The server decides everything else (how much can come back, the refund, the
return ticket R000001, the drawer's expected cash) through
`pos.services.sale_return`, whose errors are shown as it words them. A client
uuid made when the ticket is chosen makes a retried refund record one return.
Returns need the server: the answer is what the drawer pays out.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QObject,
    Signal,
    Slot,
)

from hanout_desktop import dates

if TYPE_CHECKING:
    from hanout_desktop.register import CounterRegister

CENT = Decimal("0.01")
ZERO = Decimal(0)


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return ZERO


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


class TicketReturn(QObject):
    changed = Signal()
    recorded = Signal("QVariantMap")  # the return ticket, as the server answered it

    def __init__(self, register: CounterRegister):
        super().__init__(register)
        self.register = register
        self._busy = False
        self._error = ""
        self._fields: dict[str, str] = {}
        self._matches: list[dict[str, Any]] = []
        self._sale: dict[str, Any] = {}
        self._chosen: dict[str, Decimal] = {}
        self._key = ""
        self._asked = 0

    busy = Property(bool, lambda self: self._busy, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
    fieldErrors = Property("QVariantMap", lambda self: dict(self._fields), notify=changed)

    def _get_matches(self) -> list:
        return [self._summary(sale) for sale in self._matches]

    matches = Property("QVariantList", _get_matches, notify=changed)

    def _get_ticket(self) -> dict:
        return self._summary(self._sale) if self._sale else {}

    ticket = Property("QVariantMap", _get_ticket, notify=changed)

    def _get_lines(self) -> list:
        rows = []
        for line in self._lines():
            sold, returned = _dec(line["quantity"]), _dec(line["returned_quantity"])
            chosen = self._chosen.get(line["id"], ZERO)
            rows.append(
                {
                    "id": line["id"],
                    "name": line["name"],
                    "sold": _plain(sold),
                    "returned": _plain(returned),
                    "left": _plain(sold - returned),
                    "quantity": _plain(chosen),
                    "price": self.register.money(_dec(line["unit_price"])),
                    "refund": self.register.money(self._refund_of(line, chosen)),
                }
            )
        return rows

    lines = Property("QVariantList", _get_lines, notify=changed)

    def _get_total(self) -> str:
        return self.register.money(self._refund())

    total = Property(str, _get_total, notify=changed)
    count = Property(
        int, lambda self: sum(1 for q in self._chosen.values() if q > 0), notify=changed
    )

    # --- finding the ticket -----------------------------------------------------------------
    @Slot()
    def reset(self) -> None:
        self._asked += 1
        self._busy = False
        self._error = ""
        self._fields = {}
        self._matches = []
        self._sale = {}
        self._chosen = {}
        self._key = ""
        self.changed.emit()

    @Slot(str)
    def find(self, number: str) -> None:
        number = number.strip()
        self.reset()
        if not number:
            self._set_error(
                QCoreApplication.translate(
                    "Register", "Type or scan the number printed on the ticket."
                )
            )
            return
        self._busy = True
        self.changed.emit()
        mine = self._asked
        call = self.register.api.call("GET", "sales/", params={"ticket": number, "kind": "sale"})
        call.done.connect(lambda body: self._found(mine, number, body))
        call.failed.connect(lambda message, status, fields: self._failed(mine, message, fields))

    def _found(self, mine: int, number: str, body: dict) -> None:
        if mine != self._asked:
            return
        self._busy = False
        sales = list((body or {}).get("results") or [])
        if not sales:
            self._set_error(
                QCoreApplication.translate("Register", "No ticket %1.").replace("%1", number)
            )
            return
        # This register's own ticket first: the one most likely brought back here.
        here = self.register.register_id
        sales.sort(key=lambda s: s.get("register") != here)
        if len(sales) == 1:
            self._open(sales[0])
        else:
            self._matches = sales
            self.changed.emit()

    @Slot(int)
    def choose(self, index: int) -> None:
        if 0 <= index < len(self._matches):
            self._open(self._matches[index])

    def _open(self, sale: dict) -> None:
        self._matches = []
        self._sale = sale
        self._chosen = {}
        self._key = str(uuid.uuid4())
        self._error = ""
        self._fields = {}
        if not self._lines():
            self._error = QCoreApplication.translate(
                "Register", "Ticket %1 has no product to take back."
            ).replace("%1", str(sale.get("ticket", "")))
        elif all(_dec(x["quantity"]) <= _dec(x["returned_quantity"]) for x in self._lines()):
            self._error = QCoreApplication.translate(
                "Register", "Everything on ticket %1 was already brought back."
            ).replace("%1", str(sale.get("ticket", "")))
        self.changed.emit()

    # --- what comes back --------------------------------------------------------------------
    @Slot(int, int)
    def step(self, index: int, delta: int) -> None:
        """One more or one less of a line (a weighed line's remainder in one step)."""
        lines = self._lines()
        if not 0 <= index < len(lines):
            return
        line = lines[index]
        left = _dec(line["quantity"]) - _dec(line["returned_quantity"])
        now = self._chosen.get(line["id"], ZERO)
        wanted = min(left, now + 1) if delta > 0 else max(ZERO, now - 1)
        if wanted != now:
            self._chosen[line["id"]] = wanted
            self._fields = {}
            self.changed.emit()

    @Slot()
    def everything(self) -> None:
        for line in self._lines():
            left = _dec(line["quantity"]) - _dec(line["returned_quantity"])
            if left > 0:
                self._chosen[line["id"]] = left
        self.changed.emit()

    @Slot(str)
    def refund(self, reason: str) -> None:
        """Record the return and pay it back in cash, at this register's open session."""
        if not self._sale or self._busy:
            return
        lines = [
            {"line": line["id"], "quantity": str(q)}
            for line in self._lines()
            if (q := self._chosen.get(line["id"], ZERO)) > 0
        ]
        body: dict[str, Any] = {
            "client_uuid": self._key,
            "lines": lines,
            "refund_method": "cash",
            "reason": reason.strip(),
            "restock": True,
        }
        if self.register.session_id:
            body["session"] = self.register.session_id
        self._busy = True
        self._error = ""
        self._fields = {}
        self.changed.emit()
        mine = self._asked
        call = self.register.api.call("POST", f"sales/{self._sale['id']}/return/", body)
        call.done.connect(lambda answer: self._refunded(mine, answer))
        call.failed.connect(lambda message, status, fields: self._failed(mine, message, fields))

    def _refunded(self, mine: int, answer: dict) -> None:
        if mine != self._asked:
            return
        self.reset()
        self.recorded.emit(answer)

    # --- helpers ----------------------------------------------------------------------------
    def _lines(self) -> list[dict]:
        return [x for x in self._sale.get("lines") or [] if x.get("kind") == "product"]

    def _refund_of(self, line: dict, quantity: Decimal) -> Decimal:
        """The line's share, as the server works it out: its total (after any discount)
        in proportion to the quantity brought back."""
        sold = _dec(line["quantity"])
        if not sold or not quantity:
            return ZERO
        return (_dec(line["total"]) * quantity / sold).quantize(CENT)

    def _refund(self) -> Decimal:
        return sum(
            (self._refund_of(x, self._chosen.get(x["id"], ZERO)) for x in self._lines()), ZERO
        )

    def _summary(self, sale: dict) -> dict:
        return {
            "id": sale.get("id", ""),
            "ticket": sale.get("ticket", ""),
            "register": sale.get("register_name", ""),
            "cashier": sale.get("cashier_name", ""),
            # Day first and Western digits, as the shop's tickets print it, in its time zone.
            "when": dates.ticket_moment(sale.get("sold_at")),
            "total": self.register.money(_dec(sale.get("total"))),
        }

    def _failed(self, mine: int, message: str, fields: dict) -> None:
        if mine != self._asked:
            return
        self._busy = False
        self._set_error(message, fields)

    def _set_error(self, message: str, fields: dict | None = None) -> None:
        self._error = message
        self._fields = dict(fields or {})
        self.changed.emit()
