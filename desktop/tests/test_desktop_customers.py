"""The clients screen: the growth chart and the segments are the server's figures,
by month and by year; the list searches on the server."""

from __future__ import annotations

import urllib.parse
import urllib.request

from conftest import api_get, click, find, screenshot, sign_in


def values(screen) -> list:
    value = screen.property("chartValues")
    value = value.toVariant() if hasattr(value, "toVariant") else value
    return [int(v) for v in value or []]


def test_the_growth_chart_and_the_list_are_the_servers(qtbot, desktop, hanout_server):
    d = desktop
    sign_in(qtbot, d)
    assert "customers" in [m["key"] for m in d.session.modules]
    find(d.window, "shell").setProperty("current", "customers")
    screen = find(d.window, "customersScreen")
    qtbot.waitUntil(lambda: len(values(screen)) == 12, timeout=20_000)
    growth = api_get(hanout_server, d.api.token, "customers/growth/")
    assert values(screen) == [m["count"] for m in growth["months"]]
    for segment in growth["segments"]:
        tile = find(d.window, f"segment_{segment['key']}")
        assert tile.property("count") == segment["count"]
    qtbot.waitUntil(lambda: not d.api.busy, timeout=20_000)
    screenshot(d.window, "customers-en")

    click(d.window, find(d.window, "growthByYear"))
    years = [y["count"] for y in growth["years"]]
    qtbot.waitUntil(lambda: values(screen) == years, timeout=5_000)
    screenshot(d.window, "customers-by-year-en")
    click(d.window, find(d.window, "growthByMonth"))
    qtbot.waitUntil(lambda: len(values(screen)) == 12, timeout=5_000)

    # The search runs on the server: one demo client by name.
    everyone = api_get(hanout_server, d.api.token, "customers/?active=true")["results"]
    assert everyone, "the demo has customers"
    name = everyone[0]["name"]
    model = find(d.window, "customersModel")
    field = find(d.window, "customersSearch")
    field.setProperty("text", name)
    field.forceActiveFocus()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(d.window, Qt.Key.Key_Return)
    expected = api_get(
        hanout_server,
        d.api.token,
        "customers/?" + urllib.parse.urlencode({"search": name, "active": "true"}),
    )["results"]
    qtbot.waitUntil(lambda: model.property("count") == len(expected), timeout=20_000)
    assert model.get(0)["name"] == expected[0]["name"]
