"""Money: Decimal quantized to the currency's minor unit, never float.

Each business has one currency; amounts are stored with up to three decimals
(enough for the dinar currencies) and rounded half-up to the currency's own
precision in services, once.
"""

from __future__ import annotations

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
