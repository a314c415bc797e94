"""The Expenses screen, on the real server: the list, the new-expense form, read-only access."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from hanout_desktop.forms import plain_decimal
from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QColor, QImage

from conftest import click, screenshot, sign_in

READ_ONLY = "ayman@kaching.example"  # a cashier: no expenses by default; given read access here


def lookup(window, name: str):
    """The QML object with this objectName, or None: in the QObject tree, else in the item
    tree (a ListView's delegates and a popup's contents hang only from their visual parent)."""
    found = window.findChild(QObject, name)
    if found is not None:
        return found
    pending = [window.contentItem()]
    while pending:
        item = pending.pop()
        if item.objectName() == name:
            return item
        hit = item.findChild(QObject, name)
        if hit is not None:
            return hit
        pending.extend(item.childItems())
    return None


def find(window, name: str):
    item = lookup(window, name)
    assert item is not None, f"no QML item named {name!r}"
    return item


def server_expenses(hanout_server, comment: str) -> list[dict]:
    """The expenses with this comment, read from the server's own database."""
    out = hanout_server.manage_shell(
        "import json;"
        "from hanout.expenses.models import Expense;"
        f"rows = Expense.objects.filter(comment={comment!r});"
        "print('ROWS', json.dumps([{'amount': str(e.amount), 'spent_on': str(e.spent_on),"
        " 'category': str(e.category_id), 'business': e.business.name,"
        " 'attachments': e.attachments.count()} for e in rows]))"
    )
    return json.loads(out.split("ROWS ", 1)[1])


def open_expenses(qtbot, desktop):
    click(desktop.window, find(desktop.window, "menu_expenses"))
    qtbot.waitUntil(lambda: lookup(desktop.window, "expensesScreen") is not None)
    model = find(desktop.window, "expensesModel")
    qtbot.waitUntil(lambda: not model.property("loading"), timeout=20_000)
    assert model.property("error") == ""
    return model


def open_form(qtbot, desktop):
    click(desktop.window, find(desktop.window, "newExpenseButton"))
    dialog = find(desktop.window, "expenseDialog")
    qtbot.waitUntil(lambda: dialog.property("opened"), timeout=5_000)
    categories = find(desktop.window, "expenseCategories")
    qtbot.waitUntil(lambda: categories.property("count") > 0, timeout=20_000)
    qtbot.waitUntil(lambda: find(desktop.window, "expenseCategory").property("currentIndex") >= 0)
    return dialog


def test_owner_records_an_expense_with_a_bill_photo(qtbot, desktop, hanout_server, tmp_path):
    sign_in(qtbot, desktop)
    model = open_expenses(qtbot, desktop)
    assert model.property("count") > 0  # the demo's expenses
    screenshot(desktop.window, "expenses-en")

    dialog = open_form(qtbot, desktop)
    comment = f"Desktop test {uuid.uuid4().hex[:8]}"
    photo = tmp_path / "bill.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(photo))
    find(desktop.window, "expenseAmount").setProperty("text", "42.50")
    find(desktop.window, "expenseComment").setProperty("text", comment)
    dialog.setProperty("billUrl", QUrl.fromLocalFile(str(photo)).toString())
    category_box = find(desktop.window, "expenseCategory")
    category_id = category_box.property("currentValue")
    screenshot(desktop.window, "expenses-form-en")

    click(desktop.window, find(desktop.window, "expenseSave"))
    form = find(desktop.window, "expenseForm")
    qtbot.waitUntil(lambda: not dialog.property("visible"), timeout=20_000)
    assert form.property("error") == ""

    # On the server, independently of the app.
    rows = server_expenses(hanout_server, comment)
    assert len(rows) == 1
    assert rows[0]["amount"].startswith("42.5")
    assert rows[0]["business"] == "Boulangerie Kaching"
    assert rows[0]["category"] == category_id
    assert rows[0]["attachments"] == 1

    # And at the top of the list (the API lists the newest recorded first), once reloaded.
    qtbot.waitUntil(
        lambda: (
            not model.property("loading")
            and model.property("count") > 0
            and model.get(0)["comment"] == comment
        ),
        timeout=20_000,
    )
    assert model.get(0)["attachment_count"] == 1


def test_a_refused_amount_is_said_beside_the_field_and_nothing_is_created(
    qtbot, desktop, hanout_server
):
    sign_in(qtbot, desktop)
    open_expenses(qtbot, desktop)
    dialog = open_form(qtbot, desktop)
    form = find(desktop.window, "expenseForm")
    comment = f"Refused {uuid.uuid4().hex[:8]}"
    find(desktop.window, "expenseComment").setProperty("text", comment)
    error_label = find(desktop.window, "expenseAmountError")

    for bad in ("-5", ""):
        find(desktop.window, "expenseAmount").setProperty("text", bad)
        click(desktop.window, find(desktop.window, "expenseSave"))
        qtbot.waitUntil(lambda: form.property("fieldErrors").get("amount"), timeout=20_000)
        qtbot.waitUntil(lambda: not form.property("busy"), timeout=20_000)
        message = form.property("fieldErrors")["amount"]
        # The server's own message, shown beside the amount; the form stays open.
        assert error_label.property("visible")
        assert error_label.property("text") == message
        assert dialog.property("visible")
        # Once: not again above the form as "amount: …".
        assert find(desktop.window, "expenseFormError").property("text") == ""
        assert not find(desktop.window, "expenseFormError").property("visible")
        if bad == "-5":
            screenshot(desktop.window, "expenses-form-error-en")

    assert server_expenses(hanout_server, comment) == []


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("42,50", "42.50"),
        ("42.50", "42.50"),
        ("1 234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("\u0664\u0662\u066b\u0665\u0660", "42.50"),  # ٤٢٫٥٠
        ("12", "12"),
        ("abc", None),
        ("42,5x", None),
        ("12e3", None),
        ("NaN", None),
        ("", None),
    ],
)
def test_an_amount_is_read_with_either_decimal_separator(typed, sent):
    assert plain_decimal(typed) == sent


def test_an_amount_with_a_decimal_comma_is_saved_and_garbage_is_said_once(
    qtbot, desktop, hanout_server
):
    sign_in(qtbot, desktop)
    open_expenses(qtbot, desktop)
    dialog = open_form(qtbot, desktop)
    form = find(desktop.window, "expenseForm")
    comment = f"Comma {uuid.uuid4().hex[:8]}"
    find(desktop.window, "expenseComment").setProperty("text", comment)
    amount_error = find(desktop.window, "expenseAmountError")

    # Not a number: said once, beside the amount, and nothing is sent.
    find(desktop.window, "expenseAmount").setProperty("text", "42,5x")
    click(desktop.window, find(desktop.window, "expenseSave"))
    assert not form.property("busy")
    assert amount_error.property("visible")
    assert "42,50" in amount_error.property("text")
    assert not find(desktop.window, "expenseFormError").property("visible")
    assert dialog.property("visible")
    screenshot(desktop.window, "expenses-form-not-a-number-en")

    # A French or Belgian shop's "42,50" is 42.50.
    find(desktop.window, "expenseAmount").setProperty("text", "42,50")
    click(desktop.window, find(desktop.window, "expenseSave"))
    qtbot.waitUntil(lambda: not dialog.property("visible"), timeout=20_000)
    assert form.property("error") == ""
    rows = server_expenses(hanout_server, comment)
    assert [Decimal(row["amount"]) for row in rows] == [Decimal("42.50")]


def test_a_read_only_member_sees_the_list_and_no_edit_controls(qtbot, desktop, hanout_server):
    hanout_server.manage_shell(
        "from hanout.accounts.models import Membership;"
        "from hanout.accounts.services import module_access_set;"
        f"m = Membership.objects.get(user__email={READ_ONLY!r});"
        "owner = Membership.objects.get(business=m.business, role='owner');"
        "module_access_set(actor_membership=owner, membership=m, levels={'expenses': 'read'})"
    )
    sign_in(qtbot, desktop, READ_ONLY)
    assert desktop.session.me["levels"]["expenses"] == "read"
    assert not desktop.session.canWrite("expenses")
    model = open_expenses(qtbot, desktop)
    assert model.property("count") > 0
    button = lookup(desktop.window, "newExpenseButton")
    assert button is None or not button.property("visible")
    # The form is not even made.
    assert lookup(desktop.window, "expenseDialog") is None
    assert lookup(desktop.window, "expenseSave") is None


def test_the_screen_in_arabic(qtbot, desktop):
    sign_in(qtbot, desktop)
    desktop.desktop.setLanguage("ar")
    open_expenses(qtbot, desktop)
    screenshot(desktop.window, "expenses-ar")


def test_switching_language_relabels_the_servers_categories_in_place(qtbot, desktop):
    sign_in(qtbot, desktop)
    model = open_expenses(qtbot, desktop)
    open_form(qtbot, desktop)
    categories = find(desktop.window, "expenseCategories")
    box = find(desktop.window, "expenseCategory")
    box.setProperty("currentIndex", 1)
    chosen = box.property("currentValue")
    english = [categories.get(i)["label"] for i in range(categories.property("count"))]
    listed = [model.get(i)["category_label"] for i in range(model.property("count"))]

    desktop.desktop.setLanguage("fr")
    # Asked again with Accept-Language: fr, the labels come back in French, in place:
    # the category chosen stays chosen and its French name shows.
    qtbot.waitUntil(
        lambda: (
            [categories.get(i)["label"] for i in range(categories.property("count"))] != english
        ),
        timeout=20_000,
    )
    assert box.property("currentValue") == chosen
    qtbot.waitUntil(
        lambda: box.property("currentText") == categories.get(1)["label"], timeout=5_000
    )
    assert box.property("currentText") != english[1]
    # The list behind the form too.
    qtbot.waitUntil(
        lambda: [model.get(i)["category_label"] for i in range(model.property("count"))] != listed,
        timeout=20_000,
    )
    screenshot(desktop.window, "expenses-form-relabelled-fr")
