"""The payment-provider and card-terminal interfaces, and the built-in test provider."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from hanout.core.errors import ValidationFailed
from hanout.pos import payments
from hanout.pos.payments import card_details_parse, luhn_valid

TODAY = datetime.date(2026, 5, 15)


def card(number="4242 4242 4242 4242", expiry="12/30", cvc="123"):
    return card_details_parse(number=number, expiry=expiry, cvc=cvc, today=TODAY)


def charge(number: str):
    provider = payments.get_provider("test")
    return provider.charge(
        amount=Decimal("9.00"), currency="EUR", card=card(number), idempotency_key=f"k-{number}"
    )


def test_the_three_test_cards_answer_as_documented():
    ok = charge("4242 4242 4242 4242")
    assert ok.ok and ok.reference.startswith("test_ch_")

    declined = charge("4000 0000 0000 0002")
    assert not declined.ok and declined.code == "card_declined"
    assert "card declined" in declined.message

    no_funds = charge("4000-0000-0000-9995")
    assert not no_funds.ok and no_funds.code == "insufficient_funds"
    assert "insufficient funds" in no_funds.message


def test_any_other_valid_card_is_approved():
    assert charge("5555 5555 5555 4444").ok


def test_the_same_idempotency_key_is_charged_once():
    provider = payments.get_provider("test")
    first = provider.charge(
        amount=Decimal("5"), currency="EUR", card=card(), idempotency_key="same-key"
    )
    again = provider.charge(
        amount=Decimal("5"), currency="EUR", card=card(), idempotency_key="same-key"
    )
    assert first == again


def test_luhn():
    assert luhn_valid("4242424242424242")
    assert luhn_valid("4000000000000002")
    assert not luhn_valid("4242424242424241")
    assert not luhn_valid("42424242x4242424")


@pytest.mark.parametrize(
    ("number", "expiry", "cvc", "field", "words"),
    [
        ("4242 4242 4242 4241", "12/30", "123", "card_number", "not valid"),
        ("", "12/30", "123", "card_number", "Type the card number"),
        ("4242", "12/30", "123", "card_number", "not valid"),
        ("4242 4242 4242 4242", "04/26", "123", "expiry", "expired"),
        ("4242 4242 4242 4242", "13/30", "123", "expiry", "MM/YY"),
        ("4242 4242 4242 4242", "1230", "123", "expiry", "MM/YY"),
        ("4242 4242 4242 4242", "12/30", "12", "cvc", "3 or 4 digits"),
        ("4242 4242 4242 4242", "12/30", "12a4", "cvc", "3 or 4 digits"),
    ],
)
def test_a_badly_typed_card_names_the_field(number, expiry, cvc, field, words):
    with pytest.raises(ValidationFailed) as exc:
        card(number, expiry, cvc)
    assert field in exc.value.fields
    assert words in exc.value.fields[field][0]


def test_a_card_expiring_this_month_is_still_good_and_four_digit_years_work():
    assert card(expiry="05/26").exp_year == 2026
    assert card(expiry="5/2031").exp_month == 5
    assert card(cvc="1234").cvc == "1234"


def test_a_card_never_shows_its_number_in_logs():
    details = card()
    assert "4242424242424242" not in repr(details)
    assert "****4242" in str(details)


def test_the_provider_comes_from_the_settings(settings):
    assert isinstance(payments.get_provider(), payments.TestProvider)
    settings.HANOUT_PAYMENT_PROVIDER = "stripe"
    with pytest.raises(ValidationFailed):
        payments.get_provider()
    assert "test" in payments.provider_names()


def test_refund_of_a_test_charge():
    provider = payments.get_provider("test")
    ok = charge("4242 4242 4242 4242")
    refund = provider.refund(reference=ok.reference, amount=Decimal("9"), currency="EUR")
    assert refund.ok and refund.reference.startswith("test_re_")
    assert not provider.refund(reference="ch_other", amount=Decimal("9"), currency="EUR").ok


def test_the_manual_terminal_records_the_cashiers_reference():
    terminal = payments.get_terminal()
    assert terminal.name == "manual"
    result = terminal.charge(
        register=None, amount=Decimal("12.00"), currency="EUR", reference="  AUTH 123456 "
    )
    assert result.ok and result.reference == "AUTH 123456"
    assert terminal.charge(register=None, amount=Decimal("1"), currency="EUR").reference == ""
    with pytest.raises(ValidationFailed) as exc:
        terminal.charge(register=None, amount=Decimal("1"), currency="EUR", reference="x" * 121)
    assert "reference" in exc.value.fields


def test_an_unknown_terminal_is_refused(settings):
    settings.HANOUT_CARD_TERMINAL = "ingenico"
    with pytest.raises(ValidationFailed):
        payments.get_terminal()


@pytest.mark.django_db
def test_the_register_takes_a_card_payment_through_the_terminal(owner):
    from hanout.pos.tests.payments_support import make_register

    till = make_register(owner)
    taken = payments.card_payment_take(register=till, amount=Decimal("7.20"), reference="A1")
    assert taken.ok and taken.reference == "A1"

    @payments.terminal("always-declines")
    class Declining(payments.ManualTerminal):
        def charge(self, **kw):
            return payments.TerminalResult(ok=False, message="Declined by the bank.")

    from django.test import override_settings

    try:
        with (
            override_settings(HANOUT_CARD_TERMINAL="always-declines"),
            pytest.raises(ValidationFailed, match="Declined by the bank"),
        ):
            payments.card_payment_take(register=till, amount=Decimal("7.20"))
    finally:
        payments._TERMINALS.pop("always-declines")
