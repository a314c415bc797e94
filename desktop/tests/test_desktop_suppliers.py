"""The Suppliers screen on the real server: the list, its search, the spend pie."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from PySide6.QtCore import QObject
from PySide6.QtQuick import QQuickWindow
from PySide6.QtTest import QTest

from conftest import click, screenshot, sign_in

SHOP_OWNER = "admin@kaching.example"


def lookup(root, name: str):
    """The QML object with this objectName, or None: in the item tree (a ListView's
    delegates hang only from their visual parent), else in the QObject tree."""
    pending = [root.contentItem() if isinstance(root, QQuickWindow) else root]
    while pending:
        item = pending.pop()
        if item.objectName() == name:
            return item
        pending.extend(item.childItems())
    return root.findChild(QObject, name)


def find(root, name: str):
    item = lookup(root, name)
    assert item is not None, f"no QML item named {name!r}"
    return item


def spend_on_server(server, date_from: datetime.date, date_to: datetime.date) -> dict:
    """{supplier name: spend} with spend in the period, from the server's own report code."""
    out = server.manage_shell(
        "import json, datetime;"
        "from hanout.accounts.models import Membership;"
        "from hanout.purchasing import performance;"
        f"b = Membership.objects.get(user__email={SHOP_OWNER!r}).business;"
        "r = performance.supplier_performance(business=b,"
        f" date_from=datetime.date.fromisoformat({date_from.isoformat()!r}),"
        f" date_to=datetime.date.fromisoformat({date_to.isoformat()!r}));"
        "print('SPEND', json.dumps({x.name: str(x.spend) for x in r.rows"
        " if x.supplier_id and x.spend > 0}))"
    )
    return json.loads(out.split("SPEND ")[-1])


def test_suppliers_list_search_and_spend_per_supplier(qtbot, desktop, hanout_server):
    sign_in(qtbot, desktop, SHOP_OWNER)
    qtbot.waitUntil(lambda: lookup(desktop.window, "menu_suppliers") is not None, timeout=10_000)
    click(desktop.window, find(desktop.window, "menu_suppliers"))
    qtbot.waitUntil(lambda: lookup(desktop.window, "suppliersScreen") is not None)
    screen = find(desktop.window, "suppliersScreen")
    suppliers = find(desktop.window, "suppliersList")
    qtbot.waitUntil(lambda: suppliers.property("count") > 0, timeout=15_000)
    spend = find(desktop.window, "supplierSpend")
    qtbot.waitUntil(lambda: spend.property("data") is not None, timeout=15_000)
    assert spend.property("error") == ""

    # The pie: one slice per supplier with spend in the screen's default period (the
    # last 90 days up to today), the same suppliers and amounts as the server's report.
    today = datetime.date.today()
    expected = spend_on_server(hanout_server, today - datetime.timedelta(days=89), today)
    assert expected, "the demo shop has supplier invoices in the last 90 days"
    pie = find(desktop.window, "supplierSpendSeries")
    assert find(desktop.window, "supplierSpendChart") is not None
    assert pie.property("count") == len(expected)
    rows = screen.property("spendRows")
    rows = rows.toVariant() if hasattr(rows, "toVariant") else rows
    shown = {row["name"]: Decimal(str(row["spend"])) for row in rows}
    assert shown == {name: Decimal(value) for name, value in expected.items()}
    assert abs(Decimal(str(pie.property("sum"))) - sum(shown.values())) < Decimal("0.01")
    legend = find(desktop.window, "supplierSpendLegend")
    assert legend.property("count") == len(expected)
    screenshot(desktop.window, "suppliers-en")

    # Search: the start of one supplier's name narrows the list, that supplier still in it.
    total = suppliers.property("count")
    name = next(iter(expected))
    typed = "".join(c for c in name if c.isascii() and c.isalnum())[:5]
    click(desktop.window, find(desktop.window, "suppliersSearch"))
    for char in typed:
        QTest.keyClick(desktop.window, ord(char))
    qtbot.waitUntil(
        lambda: find(desktop.window, "suppliersSearch").property("text") == typed, timeout=5_000
    )
    qtbot.waitUntil(
        lambda: (
            0 < suppliers.property("count") < total
            and lookup(desktop.window, "supplierRow_0") is not None
        ),
        timeout=15_000,
    )
