"""Money: Decimal quantized to the currency's minor unit, never float.

Each business has one currency; amounts are stored with up to three decimals
(enough for the dinar currencies) and rounded half-up to the currency's own
precision in services, once.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision

# Stored precision of money columns: max_digits=14, decimal_places=3.
MONEY_DIGITS = 14
MONEY_PLACES = 3


@lru_cache(maxsize=64)
def minor_unit(currency: str) -> Decimal:
    """Decimal('0.01') for EUR and MAD, Decimal('1') for JPY, Decimal('0.001') for KWD."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def quantize(amount, currency: str) -> Decimal:
    return Decimal(amount).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


# The country whose conventions a page's reader reads in: their business's, set for the
# request by CurrentBusinessMiddleware ("" for a page without a business). Unset outside a
# request (jobs), where each amount follows its holder's country.
_READER_COUNTRY: ContextVar[str | None] = ContextVar("hanout_reader_country", default=None)


@contextmanager
def reader_country(country: str | None):
    """Write every amount of what is drawn inside in the conventions of `country` (the
    reader's): one page lists other businesses' amounts (the marketplace, the platform's
    queue) beside the reader's own, and they must not change style from row to row."""
    token = _READER_COUNTRY.set(country or "")
    try:
        yield
    finally:
        _READER_COUNTRY.reset(token)


def page_country(holder) -> str:
    """The country whose conventions the page is written in: the reader's when a request
    set it, else `holder`'s (a business, a listing; "" for none)."""
    country = _READER_COUNTRY.get()
    if country is None:
        country = getattr(holder, "country", "") or ""
    return country
