"""Who takes the money for a card: payment providers (phone payment by QR code) and
card terminals (card payments at the counter).

Payment providers
-----------------
A customer scans the register's QR code and pays on their phone; the pay page
hands the card to a `PaymentProvider`, which answers approved or declined
(`ChargeResult`). The provider is chosen by the setting `HANOUT_PAYMENT_PROVIDER`
(default "test") and remembered on each `PaymentLink`, so a link is always charged
and refunded by the provider it was made for.

Hanout ships `TestProvider` ("test"): it works end to end without any outside
service and charges nothing. It checks the card like a real acquirer would
(a Luhn-valid number, an expiry in the future, a 3–4 digit CVC) and knows three
test cards:

    4242 4242 4242 4242   approved
    4000 0000 0000 0002   declined: "card declined"
    4000 0000 0000 9995   declined: "insufficient funds"

Any other valid number is approved.

A Stripe-style adapter (future work) would subclass `PaymentProvider`, be
registered with `@provider("stripe")`, read its secret key from the environment,
create a PaymentIntent for `link.amount` in `link.currency` with
`idempotency_key` (so a phone that submits twice is charged once), and return the
intent id as `reference`; `refund()` creates a refund on that id. A hosted
checkout (redirect) adapter would confirm through a webhook view calling
`services_payments.payment_link_confirm` — the same service the built-in flow uses,
so "confirming twice changes nothing" holds for every provider.

Card terminals
--------------
At the counter the customer pays on a card terminal. `CardTerminal` is the seam
for a terminal that Hanout drives itself (a future integrated terminal). The
built-in "manual" terminal drives nothing: the cashier runs the amount on the
shop's own terminal and confirms it was approved; Hanout records the terminal's
reference (the authorisation code on the slip), if any. Chosen by the setting
`HANOUT_CARD_TERMINAL` (default "manual").
"""

from __future__ import annotations

import datetime
import re
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import clock
from hanout.core.errors import ValidationFailed

MAX_REFERENCE = 120  # Payment.reference / PaymentLink.provider_reference

# --- card details ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CardDetails:
    """A card as typed on the pay page, already checked for shape. Never stored."""

    number: str  # digits only
    exp_month: int
    exp_year: int  # four digits
    cvc: str

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __repr__(self) -> str:  # never print a card number in a log or a traceback
        return f"CardDetails(****{self.last4}, {self.exp_month:02d}/{self.exp_year})"

    __str__ = __repr__


def luhn_valid(number: str) -> bool:
    """The Luhn check digit every card number carries."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_EXPIRY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$")


def card_details_parse(
    *, number: str, expiry: str, cvc: str, today: datetime.date | None = None
) -> CardDetails:
    """Check the three fields of the card form; ValidationFailed names each bad field.

    Spaces and dashes in the number are ignored; expiry is MM/YY (or MM/YYYY) and
    valid until the end of that month.
    """
    today = today or clock.now().date()
    errors: dict[str, list[str]] = {}
    digits = re.sub(r"[\s-]", "", number or "")
    if not digits:
        errors["card_number"] = [_("Type the card number.")]
    elif not digits.isdigit() or not 12 <= len(digits) <= 19 or not luhn_valid(digits):
        errors["card_number"] = [_("This card number is not valid. Check the digits.")]
    month = year = 0
    match = _EXPIRY.match(expiry or "")
    if not match:
        errors["expiry"] = [_("Type the expiry date as MM/YY.")]
    else:
        month, year = int(match.group(1)), int(match.group(2))
        year = year + 2000 if year < 100 else year
        if not 1 <= month <= 12:
            errors["expiry"] = [_("Type the expiry date as MM/YY.")]
        elif (year, month) < (today.year, today.month):
            errors["expiry"] = [_("This card has expired.")]
    cvc = (cvc or "").strip()
    if not re.fullmatch(r"\d{3,4}", cvc):
        errors["cvc"] = [_("The security code is the 3 or 4 digits on the card.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, code="invalid_card", fields=errors)
    return CardDetails(number=digits, exp_month=month, exp_year=year, cvc=cvc)


# --- payment providers ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChargeResult:
    """The provider's answer. `message` is for the customer, in their language."""

    ok: bool
    reference: str = ""
    code: str = "approved"  # or "card_declined", "insufficient_funds", ...
    message: str = ""


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    reference: str = ""
    message: str = ""


class PaymentProvider(ABC):
    """Charges a payment link with a card, and refunds a charge.

    `charge` must be safe to call twice with the same `idempotency_key` (the
    second call answers the first call's result and charges nothing more).
    Network calls happen outside any database transaction.
    """

    name: str = ""
    label = ""

    @abstractmethod
    def charge(
        self, *, amount: Decimal, currency: str, card: CardDetails, idempotency_key: str
    ) -> ChargeResult: ...

    @abstractmethod
    def refund(self, *, reference: str, amount: Decimal, currency: str) -> RefundResult: ...


_PROVIDERS: dict[str, type[PaymentProvider]] = {}


def provider(name: str):
    """Class decorator: make a provider available under `name`."""

    def add(cls):
        cls.name = name
        _PROVIDERS[name] = cls
        return cls

    return add


def provider_names() -> list[str]:
    return sorted(_PROVIDERS)


def default_provider_name() -> str:
    return getattr(settings, "HANOUT_PAYMENT_PROVIDER", "test") or "test"


def get_provider(name: str | None = None) -> PaymentProvider:
    """The provider named `name` (a link's own), else the one the settings choose."""
    name = name or default_provider_name()
    try:
        return _PROVIDERS[name]()
    except KeyError as exc:
        raise ValidationFailed(
            _("The payment provider “%(name)s” is not available.") % {"name": name},
            code="provider_unavailable",
        ) from exc


TEST_CARD_APPROVED = "4242424242424242"
TEST_CARD_DECLINED = "4000000000000002"
TEST_CARD_INSUFFICIENT_FUNDS = "4000000000009995"


@provider("test")
class TestProvider(PaymentProvider):
    """The built-in provider: no outside service, no money moves. For trying the
    whole QR flow, demos and tests. Charges are remembered in memory per process
    only to answer a repeated idempotency key the same way."""

    __test__ = False  # not a pytest test class
    label = gettext_lazy("Test provider (no real money)")
    _seen: dict[str, ChargeResult] = {}

    def charge(self, *, amount, currency, card, idempotency_key) -> ChargeResult:
        if idempotency_key in self._seen:
            return self._seen[idempotency_key]
        if card.number == TEST_CARD_DECLINED:
            result = ChargeResult(
                ok=False, code="card_declined", message=_("Your card was declined (card declined).")
            )
        elif card.number == TEST_CARD_INSUFFICIENT_FUNDS:
            result = ChargeResult(
                ok=False,
                code="insufficient_funds",
                message=_("Your card was declined (insufficient funds)."),
            )
        else:
            result = ChargeResult(
                ok=True, reference=f"test_ch_{secrets.token_hex(8)}", message=_("Payment accepted")
            )
        if len(self._seen) > 10_000:  # a long-running demo server: keep memory bounded
            self._seen.clear()
        self._seen[idempotency_key] = result
        return result

    def refund(self, *, reference, amount, currency) -> RefundResult:
        if not reference.startswith("test_ch_"):
            return RefundResult(ok=False, message=_("Unknown charge."))
        return RefundResult(ok=True, reference=f"test_re_{secrets.token_hex(8)}")


# --- card terminals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TerminalResult:
    ok: bool
    reference: str = ""
    message: str = ""


class CardTerminal(ABC):
    """A card terminal at the counter: take `amount`, answer approved or declined.

    `charge` is called before the sale is completed; its `reference` becomes the
    card Payment's reference.
    """

    name: str = ""
    label = ""

    @abstractmethod
    def charge(
        self, *, register, amount: Decimal, currency: str, reference: str = ""
    ) -> TerminalResult: ...

    @abstractmethod
    def refund(
        self, *, register, amount: Decimal, currency: str, reference: str = ""
    ) -> TerminalResult: ...


_TERMINALS: dict[str, type[CardTerminal]] = {}


def terminal(name: str):
    """Class decorator: make a card terminal available under `name`."""

    def add(cls):
        cls.name = name
        _TERMINALS[name] = cls
        return cls

    return add


def get_terminal(name: str | None = None) -> CardTerminal:
    name = name or getattr(settings, "HANOUT_CARD_TERMINAL", "manual") or "manual"
    try:
        return _TERMINALS[name]()
    except KeyError as exc:
        raise ValidationFailed(
            _("The card terminal “%(name)s” is not available.") % {"name": name},
            code="terminal_unavailable",
        ) from exc


def _clean_reference(reference: str) -> str:
    reference = " ".join((reference or "").split())
    if len(reference) > MAX_REFERENCE:
        msg = _("The terminal reference is too long (at most %(n)d characters).") % {
            "n": MAX_REFERENCE
        }
        raise ValidationFailed(msg, fields={"reference": [msg]})
    return reference


@terminal("manual")
class ManualTerminal(CardTerminal):
    """The shop's own, separate terminal. The cashier confirming the card payment on
    the register is the approval; the slip's reference, when typed, is kept."""

    label = gettext_lazy("Separate terminal (the cashier confirms)")

    def charge(self, *, register, amount, currency, reference="") -> TerminalResult:
        return TerminalResult(ok=True, reference=_clean_reference(reference))

    def refund(self, *, register, amount, currency, reference="") -> TerminalResult:
        return TerminalResult(ok=True, reference=_clean_reference(reference))


def card_payment_take(*, register, amount: Decimal, reference: str = "") -> TerminalResult:
    """Take a card payment at the counter through the configured terminal.

    For the sale service: call it for each card payment before writing the sale;
    a declined answer is a ValidationFailed naming the payment.
    """
    result = get_terminal().charge(
        register=register, amount=amount, currency=register.business.currency, reference=reference
    )
    if not result.ok:
        raise ValidationFailed(
            result.message or _("The card terminal declined the payment."),
            code="card_declined",
            fields={"payments": [result.message or _("Declined.")]},
        )
    return result
