"""Amounts the business's way (money.py), and the new expense's day in the business's zone.

As the web's Babel writes money: "42,50 €" in French, "€42.50" in English, Western digits
in Arabic with a negative amount kept "-180,00" inside right-to-left text.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hanout_desktop import dates, money
from test_desktop_catalog import open_module, settled, type_search
from test_desktop_expenses import find, open_expenses, open_form

from conftest import sign_in

NBSP, NNBSP = "\u00a0", "\u202f"  # Qt's (CLDR's) spaces: before "€", between thousands


def test_french_in_belgium_and_english():
    assert money.amount("42.50", "EUR", language="fr", country="BE") == f"42,50{NBSP}€"
    assert money.amount("42.50", "EUR", language="en", country="") == "€42.50"
    # English in a country it has no CLDR English for: plain English, as Babel's "en".
    assert money.amount("42.50", "EUR", language="en", country="MA") == "€42.50"
    # …and English for Belgium is Belgium's way, as the web's en_BE.
    assert money.amount("42.50", "EUR", language="en", country="BE") == f"42,50{NBSP}€"


def test_arabic_in_morocco_and_a_negative_amount():
    # Western digits, Morocco's separators, the dirham's Arabic symbol; Qt starts with an
    # Arabic letter mark.
    assert (
        money.amount("1234.5", "MAD", language="ar", country="MA")
        == "\u061c1.234,50\xa0\u062f.\u0645.\u200f"
    )
    # Negative: "-180,00" whole in a left-to-right isolate, no marks (as the web).
    assert (
        money.amount("-180", "MAD", language="ar", country="MA")
        == "\u2066-180,00\u2069\xa0\u062f.\u0645."
    )
    # Arabic where Qt's locale has Arabic-Indic digits: Western ones all the same.
    assert money.amount("42.5", "EUR", language="ar", country="BE") == f"\u200f42.50{NBSP}€"
    assert money.amount("-42.5", "EUR", language="ar", country="BE") == f"\u2066-42.50\u2069{NBSP}€"


def test_minor_units_grouping_and_strings():
    assert money.decimals("EUR") == money.decimals("MAD") == 2
    assert money.decimals("JPY") == 0
    assert money.decimals("TND") == money.decimals("KWD") == 3
    assert money.amount("1234", "JPY", language="en", country="JP") == "¥1,234"
    assert money.amount("1234.5", "JPY", language="en", country="JP") == "¥1,235"  # half up
    assert (
        money.amount("1234567.891", "TND", language="fr", country="TN")
        == f"1{NNBSP}234{NNBSP}567,891{NBSP}DT"
    )
    assert (
        money.amount("1234567.5", "EUR", language="fr", country="BE")
        == f"1{NNBSP}234{NNBSP}567,50{NBSP}€"
    )
    assert money.amount("1234.5", "EUR", language="en", country="") == "€1,234.50"
    assert money.amount(Decimal("1234.5"), "EUR", language="en", country="") == "€1,234.50"
    # Rounded as Decimal, half up: a float 2.675 is 2.67499… and would give 2.67.
    assert money.amount("2.675", "EUR", language="en", country="") == "€2.68"
    assert money.amount("98765432109.995", "EUR", language="en", country="") == "€98,765,432,110.00"
    assert money.amount("-1234.5", "EUR", language="fr", country="BE") == f"-1{NNBSP}234,50{NBSP}€"
    assert money.amount("-1234.5", "EUR", language="en", country="") == "-€1,234.50"
    assert money.amount("-0.001", "EUR", language="en", country="") == "€0.00"  # no "-0.00"
    assert money.amount("", "EUR") == "" and money.amount(None, "EUR") == ""
    assert money.amount("n/a", "EUR") == "n/a"


def test_symbols():
    assert money.symbol("EUR", "fr") == "€"
    assert money.symbol("MAD", "fr") == "MAD"  # fr_MA writes the code
    assert money.symbol("MAD", "ar") == "\u062f.\u0645.\u200f"
    assert money.symbol("MAD", "en") == "MAD"  # not the Arabic one in English
    # A symbol in letters stands apart from the number, as the web writes it (Qt glues it).
    assert money.amount("18", "MAD", language="en", country="MA") == "MAD\xa018.00"
    assert money.amount("18", "MAD", language="fr", country="MA") == "18,00\xa0MAD"
    assert money.symbol("EUR", "ar") == "€"
    assert money.symbol("XYZ", "en") == "XYZ"


def test_the_qml_helper_follows_the_language_and_the_business():
    saved = (money.current.language, money.current.country, money.current.currency)
    try:
        helper = money.Amounts()
        before = helper.revision
        helper.follow_business({"business": {"country": "BE", "currency": "EUR"}})
        helper.configure(language="fr")
        assert helper.revision == before + 2
        assert helper.money("42.5") == f"42,50{NBSP}€"
        assert helper.moneyIn("1234", "JPY") == f"1{NNBSP}234{NBSP}¥"
    finally:
        money.current.language, money.current.country, money.current.currency = saved


def test_catalog_prices_in_french_and_arabic(qtbot, desktop):
    d = desktop
    sign_in(qtbot, d)
    assert d.session.me["business"]["currency"] == "EUR"
    open_module(qtbot, d, "catalog")
    products = find(d.window, "catalogProducts")
    qtbot.waitUntil(lambda: products.property("count") > 0 and settled(products), timeout=15_000)
    type_search(qtbot, find(d.window, "catalogSearch"), "café", products)

    def prices() -> list[str]:
        todo, found = [d.window.contentItem()], []
        while todo:
            item = todo.pop()
            if item.objectName() == "productPrice" and item.isVisible():
                found.append(item.property("text"))
            todo.extend(item.childItems())
        return found

    # Café is 2.50 in the demo's Belgian shop: English for Belgium writes it the Belgian way.
    qtbot.waitUntil(lambda: f"2,50{NBSP}€" in prices(), timeout=10_000)
    try:
        d.desktop.setLanguage("fr")
        qtbot.waitUntil(lambda: f"2,50{NBSP}€" in prices(), timeout=10_000)
        d.desktop.setLanguage("ar")
        qtbot.waitUntil(lambda: f"\u200f2.50{NBSP}€" in prices(), timeout=10_000)
        assert not any("EUR" in text for text in prices())
    finally:
        d.desktop.setLanguage("en")


def test_today_is_the_business_s_day():
    saved = dates.current.zone
    try:
        dates.configure(zone="Europe/Brussels")
        late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
        assert dates.today(late) == "2026-03-02"  # already the 2nd in Brussels
        dates.configure(zone="America/Los_Angeles")
        assert dates.today(late) == "2026-03-01"
    finally:
        dates.current.zone = saved


def test_a_new_expense_is_dated_the_business_s_day(computer_far_west, qtbot, desktop):
    """The computer at UTC-12, the business at UTC+14 (Kiritimati): 26 hours apart, so
    their days always differ; the form's day is the business's."""
    sign_in(qtbot, desktop)
    desktop.desktop.formats.configure(zone="Pacific/Kiritimati")
    now = datetime.datetime.now(datetime.UTC)
    business_day = now.astimezone(dates.current.zone).date().isoformat()
    computer_day = (now - datetime.timedelta(hours=12)).date().isoformat()
    assert business_day != computer_day
    open_expenses(qtbot, desktop)
    open_form(qtbot, desktop)
    shown = find(desktop.window, "expenseDate").property("text")
    assert shown != computer_day
    assert shown in (business_day, dates.today())  # (the business's midnight may pass meanwhile)
