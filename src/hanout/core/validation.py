"""Checks on codes a person types: currency, country, time zone, phone, uploads."""

from __future__ import annotations

import zoneinfo
from functools import cache

import phonenumbers
from babel import Locale
from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def currency_codes() -> frozenset[str]:
    """Currencies some country uses as legal tender today (CLDR): no francs,
    marks or test codes such as XXX."""
    from babel.numbers import get_territory_currencies

    codes: set[str] = set()
    for territory in Locale("en").territories:
        if len(territory) == 2 and territory.isalpha():
            codes.update(get_territory_currencies(territory))
    return frozenset(c for c in codes if c in set(list_currencies()))


@cache
def country_codes() -> frozenset[str]:
    return frozenset(
        code for code in Locale("en").territories if len(code) == 2 and code.isalpha()
    ) - {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"} | {"XK"}


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_currency(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code such as EUR or MAD."),
            params={"value": value},
            code="currency",
        )


def validate_country(value: str) -> None:
    if value not in country_codes():
        raise ValidationError(
            _("“%(value)s” is not a two-letter country code such as BE or MA."),
            params={"value": value},
            code="country",
        )


def validate_time_zone(value: str) -> None:
    if value not in time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone such as Europe/Brussels."),
            params={"value": value},
            code="time_zone",
        )


def normalize_phone(value: str, country: str | None = None) -> str:
    """Return the number in E.164 form, or raise a ValidationError a person understands."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid phone number. Include the country code, e.g. +32 470 12 34 56."
            ),
            params={"value": value},
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sniff_document_type(head: bytes) -> str | None:
    """The real type of an uploaded identity document from its first bytes."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None
