"""The day report screen shows the server's own end-of-day figures."""

from __future__ import annotations

import datetime

from hanout_desktop import dates
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from conftest import api_get, click, find, screenshot, sign_in


def report_of(screen) -> dict:
    value = screen.property("report")
    value = value.toVariant() if hasattr(value, "toVariant") else value
    return value or {}


def test_the_day_report_matches_the_api_and_moves_by_day(qtbot, desktop, hanout_server):
    sign_in(qtbot, desktop)
    shell = find(desktop.window, "shell")
    shell.setProperty("current", "dayReport")
    screen = None

    def loaded():
        nonlocal screen
        screen = desktop.window.findChild(type(shell), "dayReportScreen")
        return screen is not None and report_of(screen).get("date")

    qtbot.waitUntil(loaded, timeout=20_000)
    # It opens on the shop's day (Brussels), whatever the computer's zone.
    today = datetime.date.fromisoformat(dates.today())
    qtbot.waitUntil(lambda: report_of(screen).get("date") == today.isoformat(), timeout=20_000)
    # The demo's history ends yesterday in the shop's zone: look at yesterday.
    click(desktop.window, find(desktop.window, "dayPrevious"))
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    qtbot.waitUntil(lambda: report_of(screen).get("date") == yesterday, timeout=20_000)
    qtbot.waitUntil(lambda: not desktop.api.busy, timeout=20_000)
    expected = api_get(hanout_server, desktop.api.token, f"reports/day/?date={yesterday}")
    shown = report_of(screen)
    assert shown["sales_count"] == expected["sales_count"]
    assert shown["revenue"] == expected["revenue"]
    assert find(desktop.window, "dayLines").property("count") == len(expected["lines"])
    assert find(desktop.window, "dayReportDate").property("text") == yesterday
    sales_tile = find(desktop.window, "daySalesCount")
    assert sales_tile.property("value") == str(expected["sales_count"])
    screenshot(desktop.window, "day-report-en")


def test_a_bad_date_is_said_in_place(qtbot, desktop):
    sign_in(qtbot, desktop)
    find(desktop.window, "shell").setProperty("current", "dayReport")
    qtbot.waitUntil(lambda: not desktop.api.busy, timeout=20_000)
    field = find(desktop.window, "dayReportDate")
    click(desktop.window, field)
    field.setProperty("text", "2026-13-45")
    QTest.keyClick(desktop.window, Qt.Key.Key_Return)
    error = find(desktop.window, "dayReportError")
    qtbot.waitUntil(lambda: error.property("text") != "", timeout=20_000)
    assert "YYYY-MM-DD" in error.property("text")
    assert error.property("visible")


def test_the_day_report_opens_on_the_business_s_day(computer_far_west, qtbot, desktop):
    """The computer at UTC-12, the business at UTC+14: the report (and its Today button)
    is the business's day, not the computer's."""
    sign_in(qtbot, desktop)
    desktop.desktop.formats.configure(zone="Pacific/Kiritimati")
    now = datetime.datetime.now(datetime.UTC)
    computer_day = (now - datetime.timedelta(hours=12)).date().isoformat()
    shell = find(desktop.window, "shell")
    shell.setProperty("current", "dayReport")
    field = find(desktop.window, "dayReportDate")
    assert field.property("text") != computer_day
    assert field.property("text") == dates.today()
    click(desktop.window, find(desktop.window, "dayPrevious"))
    assert field.property("text") != dates.today()
    click(desktop.window, find(desktop.window, "dayToday"))
    assert field.property("text") == dates.today()
    qtbot.waitUntil(lambda: not desktop.api.busy, timeout=20_000)
