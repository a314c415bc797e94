"""Money and moments of the marketplace written for a person: in the reader's language,
the way the business's country writes them, the same on the pages, in notifications and
in emails.

Money is the shared `money` filter of the catalog (Babel, the reader's language with the
business's country: "1 020,00 €" in French, "€1,020.00" in English). Dates and times
follow the same locale (as the register's tickets do), so an English page of a Belgian
shop does not write "1.020,00 €" beside a US "3/1/2026".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from hanout.catalog.templatetags.catalog_tags import _babel_locale, _locale, money_written
from hanout.catalog.templatetags.catalog_tags import money as shared_money


def _reader_locale(country: str):
    return _babel_locale(_locale(get_language() or "en", country or ""))


def money(amount, holder) -> str:
    """`amount` in the currency of `holder` (a business, a listing, anything with
    `currency` and maybe `country`), as the shared filter writes it (a negative amount
    stays readable in a right-to-left language there)."""
    return shared_money(amount, holder)


def money_in(amount, currency: str, country: str = "") -> str:
    """`amount` in `currency` for a reader in `country` (notifications, emails: whoever
    reads them, whichever page was being drawn when they were made)."""
    return money_written(Decimal(str(amount)), currency, country)


def day(value, country: str = "") -> str:
    """A day ("01/03/2026" in French, "1/3/2026" in English for Belgium)."""
    from babel.dates import format_skeleton

    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, date):
        return str(value)
    return format_skeleton("yMMdd", value, locale=_reader_locale(country))


def moment(value, country: str = "", zone=None) -> str:
    """A day and a 24-hour time in `zone` (the active time zone by default)."""
    from babel.dates import format_skeleton

    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return day(value, country)
    if timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    locale = _reader_locale(country)
    return f"{format_skeleton('yMMdd', value, locale=locale)} {format_skeleton('Hm', value, locale=locale)}"


_DOUBLE_STOP = re.compile(r"(?<!\.)\.([\u200e\u200f]?)\.(?=\s|$)")


def one_stop(text: str) -> str:
    """A sentence ending on an amount whose currency ends with a full stop (Arabic "د.م.")
    gets one full stop, not two ("… 144,00 د.م.. …"); an ellipsis is left alone."""
    return _DOUBLE_STOP.sub(r".\1", text)
