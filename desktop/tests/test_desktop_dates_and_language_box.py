"""Days and times the business's way (dates.py) and the language box in Arabic.

A Brussels shop in English reads "1/3/2026", as the web's Babel writes it for en_BE, not
the United States' "3/1/2026"; its chat times are Brussels times whatever the computer's
own time zone.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from hanout_desktop import chat, dates
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtQml import QQmlEngine, QQmlExpression
from test_desktop_expenses import lookup, open_expenses

from conftest import find, screenshot, sign_in

SHOTS = Path("/tmp/desk-shots2")


def test_the_helper_writes_the_business_s_days_in_its_time_zone(far_away_computer):
    dates.configure(language="en", country="BE", zone="Europe/Brussels")
    assert dates.day("2026-03-01") == "1/3/2026"
    # 23:30 UTC on the 1st is already the 2nd in Brussels (and still the 1st in LA).
    assert dates.moment("2026-03-01T23:30:00Z") == "2/3/2026 00:30"
    assert dates.clock("2026-03-01T13:05:00+00:00") == "14:05"
    now = datetime.datetime(2026, 3, 1, 15, 0, tzinfo=datetime.UTC)
    assert dates.chat_time("2026-03-01T13:05:00Z", now=now) == "14:05"
    assert dates.chat_time("2026-02-27T13:05:00Z", now=now) == "27/2/2026 14:05"
    dates.configure(language="fr")
    assert dates.day("2026-03-01") == "01/03/2026"
    dates.configure(language="ar", country="MA", zone="Africa/Casablanca")
    assert dates.day("2026-03-01") == "1\u200f/3\u200f/2026"
    # English without a CLDR English for the country: day first all the same.
    dates.configure(language="en")
    assert dates.day("2026-03-01") == "01/03/2026"
    dates.configure(country="US")
    assert dates.day("2026-03-01") == "3/1/2026"
    assert dates.ticket_moment("2026-03-01T13:05:00Z") == "01/03/2026 13:05"


def test_a_brussels_shop_s_chat_times_and_expense_days(qtbot, desktop, far_away_computer):
    sign_in(qtbot, desktop)
    business = desktop.session.me["business"]
    assert (business["country"], business["time_zone"]) == ("BE", "Europe/Brussels")
    # A chat message written at noon UTC today reads 13:00 (winter) or 14:00 (summer).
    noon = datetime.datetime.now(datetime.UTC).replace(hour=12, minute=0, second=0)
    brussels = noon.astimezone(dates.current.zone)
    assert brussels.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))
    written = chat._local_time(noon.isoformat())
    assert written in (brussels.strftime("%H:%M"), dates.moment(noon))
    assert brussels.strftime("%H:%M") in written
    assert noon.astimezone().strftime("%H:%M") not in written  # not Los Angeles' time

    model = open_expenses(qtbot, desktop)
    qtbot.waitUntil(lambda: model.property("count") > 0, timeout=20_000)
    qtbot.waitUntil(lambda: lookup(desktop.window, "expenseDay") is not None, timeout=10_000)
    label = find(desktop.window, "expenseDay").property("text")
    day, month, year = (
        int(x) for x in re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", label).groups()
    )
    spent_on = datetime.date(year, month, day)  # raises if the order were month first past 12
    assert dates.day(spent_on.isoformat()) == label
    # Switching the language writes the days again, French's way.
    desktop.desktop.setLanguage("fr")
    try:
        qtbot.waitUntil(
            lambda: (
                find(desktop.window, "expenseDay").property("text") == spent_on.strftime("%d/%m/%Y")
            ),
            timeout=10_000,
        )
    finally:
        # The app's translator outlives this test's window: leave the next test English.
        desktop.desktop.setLanguage("en")


def _box_text_inside_frame(box) -> bool:
    """The text of the box's field lies inside its outline, off the outline's edges."""
    field = box.property("contentItem")
    inner = field.mapRectToItem(box, QRectF(0, 0, field.width(), field.height()))
    left = inner.x() + field.property("leftPadding")
    right = inner.x() + inner.width() - field.property("rightPadding")
    text = field.property("contentWidth")
    mirrored = box.property("mirrored")
    start, end = (right - text, right) if mirrored else (left, left + text)
    return start >= 8 and end <= box.width() - 8


def test_the_arabic_language_box_keeps_its_frame(qtbot, desktop):
    SHOTS.mkdir(parents=True, exist_ok=True)
    desktop.desktop.setLanguage("ar")
    box = find(desktop.window, "languageBox")
    qtbot.waitUntil(lambda: box.property("mirrored"), timeout=5_000)
    qtbot.wait(300)
    desktop.window.grabWindow().save(str(SHOTS / "sign-in-ar-fixed.png"))
    assert _box_text_inside_frame(box)
    sign_in(qtbot, desktop)
    box = find(desktop.window, "shellLanguageBox")
    qtbot.waitUntil(lambda: box.property("visible"), timeout=10_000)
    qtbot.wait(300)
    desktop.window.grabWindow().save(str(SHOTS / "shell-ar-fixed.png"))
    screenshot(desktop.window, "shell-ar-language-box")
    assert _box_text_inside_frame(box)
    desktop.desktop.setLanguage("en")
    qtbot.waitUntil(lambda: not box.property("mirrored"), timeout=5_000)
    assert _box_text_inside_frame(box)


def _shown_extents(bar) -> list[tuple[str, float, float]]:
    """What a top bar's row shows, in scene x: a label's painted text (a label stretched
    over spare room paints only part of it), any other visible item whole."""
    row = bar.property("contentItem").childItems()[0]
    shown = []
    for item in row.childItems():
        if not item.isVisible() or item.width() <= 0:
            continue
        left = item.mapToScene(QPointF(0, 0)).x()
        right = left + item.width()
        if "Label" in item.metaObject().className():
            text = item.property("contentWidth")
            # (An enum PySide cannot read as a property: read by QML itself.)
            context = QQmlEngine.contextForObject(item)
            alignment = QQmlExpression(context, item, "effectiveHorizontalAlignment").evaluate()[0]
            if alignment == Qt.AlignmentFlag.AlignRight.value:
                left = right - item.property("rightPadding") - text
            elif alignment == Qt.AlignmentFlag.AlignLeft.value:
                left += item.property("leftPadding")
            right = left + text
        shown.append((item.objectName(), left, right))
    return shown


def _check_bar(bar, title: str, rtl: bool) -> tuple[float, float]:
    """The bar's title starts where the reading starts (its 12-pixel margin), the other
    items follow each other to the far end (its 8-pixel margin) with only the row's
    spacing between them: nothing leaves an empty strip. Answers the title's text."""
    width = bar.width()
    shown = _shown_extents(bar)
    if rtl:  # read from the right: as in English, measured from the other edge
        shown = [(name, width - right, width - left) for name, left, right in shown]
    names = [name for name, _, _ in shown]
    assert names[0] == title, names
    spacing = bar.property("contentItem").childItems()[0].property("spacing")
    _, start, end = shown[0]
    assert abs(start - 12) <= 1, f"the title's text starts {start:.0f} px in ({names})"
    previous = None
    for name, left, right in sorted(shown[1:], key=lambda x: x[1]):
        if previous is not None:
            assert left - previous <= spacing + 1, f"a gap before {name or 'an item'}"
        previous = right
    assert abs(width - 8 - previous) <= 1, f"the bar ends {width - previous:.0f} px short"
    return shown[0][1], shown[0][2]


def test_the_arabic_top_bars_are_the_english_ones_mirrored(qtbot, desktop):
    """In Arabic the shell's and the register's bars start on the right with the
    business's (or the register's) name, whatever script it is written in, as the
    English ones start on the left: no strip is left empty at the start."""
    from test_desktop_register import pair

    d = desktop
    sign_in(qtbot, d)
    shell = find(d.window, "shell").property("header")
    places = {}
    for language in ("en", "ar"):
        d.desktop.setLanguage(language)
        rtl = language == "ar"
        qtbot.waitUntil(lambda rtl=rtl: shell.property("mirrored") == rtl, timeout=5_000)
        qtbot.wait(300)  # the row lays itself out again
        screenshot(d.window, f"shell-top-bar-{language}")
        places[language] = _check_bar(shell, "shellTitle", rtl)
    assert places["ar"] == pytest.approx(places["en"], abs=1)

    d.desktop.setLanguage("en")
    d.session.signOut()
    qtbot.waitUntil(lambda: d.session.state == "signedOut", timeout=10_000)
    pair(qtbot, d)
    places = {}
    for language in ("en", "ar"):
        d.desktop.setLanguage(language)
        bar = find(d.window, "registerPage").property("header")
        rtl = language == "ar"
        qtbot.waitUntil(lambda b=bar, rtl=rtl: b.property("mirrored") == rtl, timeout=5_000)
        qtbot.wait(300)
        screenshot(d.window, f"register-top-bar-{language}")
        places[language] = _check_bar(bar, "registerTitle", rtl)
    assert places["ar"] == pytest.approx(places["en"], abs=1)
