"""Template helpers of the supplier pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import phonenumbers
from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def quantity(value) -> str:
    """A stored quantity without its trailing zeros: 1.000 → "1", 2.500 → "2.5" (localized)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(value).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places)


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number written for reading: "+32470123456" → "+32 470 12 34 56"."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
