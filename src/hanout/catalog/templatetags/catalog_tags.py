"""Template helpers of the catalog pages: money in the business's currency, the query
string of the explorer with one parameter changed."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_decimal_symbol, get_group_symbol
from django import template
from django.utils.translation import get_language, get_language_bidi

from hanout.core.money import page_country, quantize

register = template.Library()


@lru_cache(maxsize=64)
def _locale(language: str, country: str) -> str:
    """The reader's language with the business's country (fr + BE → fr_BE), when CLDR knows it."""
    base = (language or "en").replace("-", "_").split("_")[0]
    for candidate in (f"{base}_{country}" if country else "", base):
        if not candidate:
            continue
        try:
            Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
        return candidate
    return "en"


@register.filter
def money(amount, business) -> str:
    """`{{ product.sale_price|money:business }}` → "1,20 €" (fr), "€1.20" (en), "‏1,20 €" (ar).

    Rounded to the currency's minor unit (core.money) of `business`'s currency (anything
    with `currency`: a business, a listing), written the way the reader's language writes
    it in the reader's country (`reader_country`), else in `business`'s country.
    """
    return money_written(
        amount, getattr(business, "currency", None) or "EUR", page_country(business)
    )


def money_written(amount, currency: str, country: str) -> str:
    """`amount` in `currency`, for a reader of the active language in `country` (the
    notifications and emails, which know their reader)."""
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return str(amount)
    locale = _babel_locale(_locale(get_language() or "en", country or ""))
    text = format_currency(quantize(value, currency), currency, locale=locale)
    # A currency code before the number, and any currency after it, is kept apart from the
    # number by a no-break space ("MAD 4,000.00", "20 180,00 MAD", "2 500,00 €"): Babel
    # glues them in some locales (en with a code, zgh with anything).
    text = _CODE_TOUCHING.sub("\u00a0", text)
    if value < 0 and get_language_bidi():
        # Babel starts a right-to-left amount with a right-to-left mark, which puts the
        # minus after the number ("180,00-"): the signed number goes in a left-to-right
        # isolate instead, so it reads "-180,00" inside the Arabic sentence.
        text = _SIGNED.sub(lambda m: f"\u2066{m.group(0)}\u2069", _BIDI_MARKS.sub("", text), 1)
    return text


def money_format(business) -> dict:
    """How the `money` filter writes this business's amounts, for a page's JavaScript (the
    register's live totals, the charts) to write them the same way: the browser's own
    number formats may lack the business's country or follow another CLDR ("€2,500.00"
    for en-BE where the server writes "2.500,00 €").

    `template` is zero in the currency ("0,00 €"), `decimal` and `group` the symbols,
    `locale` the BCP 47 tag of the locale used ("en-BE"), for what the template cannot say.
    """
    currency = getattr(business, "currency", None) or "EUR"
    locale = _locale(get_language() or "en", getattr(business, "country", "") or "")
    return {
        "currency": currency,
        "locale": locale.replace("_", "-"),
        "template": money(0, business),
        "decimal": get_decimal_symbol(locale),
        "group": get_group_symbol(locale),
    }


_CODE_TOUCHING = re.compile(
    r"(?<=[A-Z])(?=[\d\u2212-])|(?<=\d)(?=[^\d\s.,'\u066b\u066c\u2069\u200e\u200f])"
)
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")
_SIGNED = re.compile("[-\u2212]\\d(?:[.,\u066b\u066c\u202f\u00a0]?\\d)*")


@lru_cache(maxsize=64)
def _babel_locale(identifier: str) -> Locale:
    """The parsed Locale (parsing it on every amount was half of a long report's page)."""
    return Locale.parse(identifier)


@register.filter
def quantity(value) -> str:
    """A stock quantity without trailing zeros: 12.000 → 12, 1.250 → 1.25."""
    if value in (None, ""):
        return ""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = format(value.normalize(), "f")
    return text


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes one).

    Changing any filter drops the page cursor: a cursor belongs to one list.
    """
    params = context["request"].GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
