"""Taxes on documents: prices include tax, each line is rounded once.

The rule, the same on tickets, orders, invoices and credit notes:

1. A line's total is tax included: `quantity × unit price − discount`,
   rounded half-up to the currency's minor unit.
2. The tax inside a line is `total × rate / (100 + rate)`, rounded half-up
   to the minor unit — once, per line.
3. A document's tax per rate is the sum of its lines' taxes at that rate; its
   base per rate is that rate's line totals minus their tax. Nothing is
   rounded again at the document level, so the lines always add up to the
   totals printed below them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from hanout.core.money import quantize

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def tax_inside(total: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The tax contained in a tax-inclusive amount, rounded once."""
    if not rate:
        return quantize(ZERO, currency)
    return quantize(Decimal(total) * Decimal(rate) / (HUNDRED + Decimal(rate)), currency)


@dataclass(frozen=True)
class TaxRow:
    rate: Decimal
    base: Decimal  # without tax
    tax: Decimal
    total: Decimal  # tax included

    def as_dict(self) -> dict:
        return {
            "rate": str(self.rate),
            "base": str(self.base),
            "tax": str(self.tax),
            "total": str(self.total),
        }


def tax_breakdown(lines: Iterable[tuple[Decimal, Decimal, Decimal]], currency: str) -> list[TaxRow]:
    """(rate, line total, line tax) triples → one row per rate, lowest rate first."""
    totals: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    taxes: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for rate, total, tax in lines:
        rate = Decimal(rate).normalize() if rate else ZERO
        totals[rate] += Decimal(total)
        taxes[rate] += Decimal(tax)
    return [
        TaxRow(
            rate=rate,
            base=quantize(totals[rate] - taxes[rate], currency),
            tax=quantize(taxes[rate], currency),
            total=quantize(totals[rate], currency),
        )
        for rate in sorted(totals)
    ]
