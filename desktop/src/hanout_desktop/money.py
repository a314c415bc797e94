"""Amounts the way the business writes them: "1,20 €" in French, "€1.20" in English.

One helper for every screen and the register (QML reaches it as `amounts`, Python through
`amount()`), as the web writes money (hanout.catalog.templatetags.catalog_tags.money, with
Babel's format_currency): the reader's language with the business's country ("fr" + "BE"
→ fr_BE), the currency's symbol, as many decimals as the currency has (EUR 2, JPY 0,
TND 3). The desktop does not carry Babel; Qt's locales (CLDR's too) write the number.

As on the web:
- digits are Western ("latn", Babel's default), also in Arabic;
- a negative amount reads "-42,50 €" (Qt would write the accounting "(42,50 €)");
- in Arabic the signed number sits in a left-to-right isolate (U+2066…U+2069), so that it
  reads "-180,00" inside right-to-left text, not "180,00-".

Amounts come from the API as decimal strings: they are parsed and rounded (half up, to the
currency's minor unit) as Decimal; only the rounded value goes to Qt as a float, to be
written with the same number of decimals.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from PySide6.QtCore import QLocale, Slot

from hanout_desktop.following import Following

# ISO 4217 minor units that are not 2 (the currencies a shop may keep its books in).
_DECIMALS = {
    **dict.fromkeys(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"], 0),
    **dict.fromkeys(["RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"], 0),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}
_RIGHT_TO_LEFT = {"ar"}
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")
_NUMBER = re.compile("\\d(?:[.,'\u066b\u066c\u202f\u00a0\u2019]?\\d)*")
# Arabic-Indic separators → the Western digits' own (CLDR's "latn" symbols for Arabic).
_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ","})


class _Settings:
    language = "en"
    country = ""
    currency = ""


current = _Settings()


def configure(
    *, language: str | None = None, country: str | None = None, currency: str | None = None
) -> None:
    """Set what the next amounts are written with (any argument left out is kept)."""
    if language is not None:
        current.language = (language or "en").replace("-", "_").split("_")[0]
    if country is not None:
        current.country = (country or "").upper()
    if currency is not None:
        current.currency = (currency or "").upper()


def decimals(currency: str) -> int:
    """The currency's minor unit: 2 for EUR and MAD, 0 for JPY, 3 for TND and KWD."""
    return _DECIMALS.get((currency or "").upper(), 2)


@lru_cache(maxsize=64)
def locale_name(language: str, country: str) -> str:
    """The language with the country ("fr_BE") when Qt knows that pair, else the language."""
    if country:
        name = f"{language}_{country}"
        if QLocale(name).name() == name:
            return name
    return language or "en"


@lru_cache(maxsize=256)
def symbol(currency: str, language: str = "en") -> str:
    """The currency's symbol for a reader of `language`: "€", "$", "د.م." in Arabic…

    Qt names a currency only in the locales that use it: the symbol is the one of the
    locales of the reader's language that use the currency (fr_MA: "MAD", ar_MA: "د.م."),
    else a sign every reader knows (€, $, £, ¥) from any locale that uses it, else the ISO
    code (as Babel writes a currency it has no name for in a language).
    """
    currency = (currency or "").upper()
    if not currency:
        return ""
    iso = QLocale.CurrencySymbolFormat.CurrencyIsoCode
    sign = QLocale.CurrencySymbolFormat.CurrencySymbol
    own: Counter[str] = Counter()
    signs: Counter[str] = Counter()
    for locale in _all_locales():
        if locale.currencySymbol(iso) != currency:
            continue
        text = locale.currencySymbol(sign) or currency  # empty: the code itself
        if locale.name().split("_")[0] == language:
            own[text] += 1
        elif not any(unicodedata.category(ch).startswith("L") for ch in text):
            signs[text] += 1
    for found in (own, signs):
        if found:
            return found.most_common(1)[0][0]
    return currency


@lru_cache(maxsize=1)
def _all_locales() -> tuple[QLocale, ...]:
    return tuple(
        QLocale.matchingLocales(
            QLocale.Language.AnyLanguage, QLocale.Script.AnyScript, QLocale.Country.AnyCountry
        )
    )


def parse(value) -> Decimal | None:
    """A Decimal from an API's decimal string ("1234.5"), a Decimal or an int; None if not."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def amount(
    value,
    currency: str | None = None,
    *,
    language: str | None = None,
    country: str | None = None,
) -> str:
    """`value` in `currency` (the business's by default), the reader's way:
    "42,50 €" (fr, BE), "€42.50" (en), "-180,00 د.م." in Arabic with the signed number
    kept left to right. "" for no amount; what was given, as text, if it is no number."""
    number = parse(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    currency = (current.currency if currency is None else currency or "").upper()
    language = language or current.language
    country = current.country if country is None else (country or "").upper()
    places = decimals(currency)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    negative = rounded < 0  # -0.00 is no negative amount
    locale = QLocale(locale_name(language, country))
    if currency:
        sign = symbol(currency, language)
        text = _apart(locale.toCurrencyString(float(abs(rounded)), sign, places), sign)
    else:
        text = locale.toString(float(abs(rounded)), "f", places)
    text = _western_digits(text, locale).translate(_SEPARATORS)
    if not negative:
        return text
    if language in _RIGHT_TO_LEFT:
        # As the web: no marks, and "-180,00" whole in a left-to-right isolate.
        return _NUMBER.sub(lambda m: f"\u2066-{m.group(0)}\u2069", _BIDI_MARKS.sub("", text), 1)
    return _BIDI_MARKS.sub("", locale.negativeSign()) + text


def _apart(text: str, sign: str) -> str:
    """A symbol written in letters kept apart from the number by a no-break space, as Babel
    (the web) writes it: "MAD 18.00", "18,00 د.م.", where Qt glues them ("MAD18.00")."""
    if not any(unicodedata.category(ch).startswith("L") for ch in sign):
        return text
    marks = "[\u200e\u200f\u061c]*"
    glued = re.compile(f"({re.escape(sign)})(?={marks}\\d)|(\\d{marks})(?={re.escape(sign)})")
    return glued.sub(lambda m: (m.group(1) or m.group(2)) + "\u00a0", text)


def _western_digits(text: str, locale: QLocale) -> str:
    zero = locale.zeroDigit()
    if zero == "0" or len(zero) != 1:
        return text
    base = ord(zero)
    return text.translate({base + i: str(i) for i in range(10)})


class Amounts(Following):
    """The helper for QML (`amounts`): amounts the business's way."""

    FOLLOWS = {"country": "country", "currency": "currency"}

    def _configure(self, **kwargs) -> None:
        configure(**kwargs)

    @Slot("QVariant", result=str)
    def money(self, value) -> str:
        """An amount in the business's currency."""
        return amount(value)

    @Slot("QVariant", str, result=str)
    def moneyIn(self, value, currency: str) -> str:  # noqa: N802 (a QML name)
        """An amount in another currency (an expense's, a sponsoring reward's)."""
        return amount(value, currency or None)
