"""The Employees screen on the real server: the owner changes access, a reader only looks."""

from __future__ import annotations

import json

from PySide6.QtCore import QObject
from PySide6.QtQuick import QQuickWindow
from PySide6.QtTest import QTest

from conftest import DEMO_PASSWORD, click, screenshot, sign_in

SHOP_OWNER = "admin@kaching.example"


def lookup(root, name: str):
    """The QML object with this objectName, or None: in the item tree (a ListView's
    delegates and a popup's contents hang only from their visual parent), else in the
    QObject tree (models and other non-visual objects)."""
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


def ensure_member(server, email: str, name: str, staff_level: str | None = None) -> str:
    """A cashier of the demo shop with the demo password (made once), optionally with a
    level on Staff; prints and returns its membership id."""
    code = f"""
from hanout.accounts import services
from hanout.accounts.models import Membership, User
owner = Membership.objects.get(user__email={SHOP_OWNER!r})
member = Membership.objects.filter(business=owner.business, user__email={email!r}).first()
if member is None:
    member = services.employee_create(
        actor_membership=owner, email={email!r}, full_name={name!r}, role="cashier",
        password={DEMO_PASSWORD!r}, send_invitation=False,
    )
user = User.objects.get(email={email!r})
user.set_password({DEMO_PASSWORD!r}); user.save()
from allauth.account.models import EmailAddress
EmailAddress.objects.update_or_create(
    user=user, email={email!r}, defaults={{"primary": True, "verified": True}}
)
if not member.is_active:
    services.employee_set_active(actor_membership=owner, membership=member, active=True)
services.module_access_set(
    actor_membership=owner, membership=member, levels={{"staff": {staff_level!r}, "stock": None}}
)
print("MEMBER", member.pk)
"""
    return server.manage_shell(code).split("MEMBER ")[-1].strip()


def member_on_server(server, member_id: str) -> dict:
    """The member as the server's database has it (not through the app)."""
    out = server.manage_shell(
        "import json; from hanout.accounts.models import Membership;"
        f"m = Membership.objects.prefetch_related('module_access').get(pk='{member_id}');"
        "print('STATE', json.dumps({'levels': dict(m.levels), 'is_active': m.is_active,"
        " 'overrides': {a.module: a.level for a in m.module_access.all()}}))"
    )
    return json.loads(out.split("STATE ")[-1])


def open_staff(qtbot, d):
    qtbot.waitUntil(lambda: lookup(d.window, "menu_staff") is not None, timeout=10_000)
    click(d.window, find(d.window, "menu_staff"))
    qtbot.waitUntil(lambda: lookup(d.window, "staffList") is not None, timeout=10_000)
    staff_list = find(d.window, "staffList")
    qtbot.waitUntil(lambda: staff_list.property("count") > 0, timeout=15_000)
    return staff_list


def search_and_open(qtbot, d, staff_list, text: str, name: str) -> None:
    field = find(d.window, "staffSearch")
    click(d.window, field)
    for char in text:  # typed, as a person would (QTest.keyClicks wants a QWidget)
        QTest.keyClick(d.window, ord(char))
    qtbot.waitUntil(lambda: field.property("text") == text, timeout=5_000)
    qtbot.waitUntil(lambda: staff_list.property("count") == 1, timeout=15_000)
    qtbot.waitUntil(lambda: lookup(d.window, "staffRow_0") is not None, timeout=5_000)
    click(d.window, find(d.window, "staffRow_0"))
    qtbot.waitUntil(lambda: find(d.window, "staffName").property("text") == name, timeout=15_000)


def test_the_owner_changes_an_employees_access_and_deactivates_them(qtbot, desktop, hanout_server):
    member_id = ensure_member(hanout_server, "nadia.staff@kaching.example", "Nadia Staff")
    assert member_on_server(hanout_server, member_id)["levels"]["stock"] == "none"
    sign_in(qtbot, desktop, SHOP_OWNER)
    staff_list = open_staff(qtbot, desktop)
    # The whole team is listed (the demo shop has five people and ours).
    assert staff_list.property("count") >= 6
    search_and_open(qtbot, desktop, staff_list, "Nadia", "Nadia Staff")

    editor = find(desktop.window, "accessEditor")
    assert find(editor, "level_stock").property("text") == "No access"
    click(desktop.window, find(editor, "set_stock_read"))
    try:
        qtbot.waitUntil(
            lambda: find(editor, "level_stock").property("text") == "Read only", timeout=15_000
        )
    except Exception:
        # Say what the server has: a click that missed, or an answer the screen lost.
        raise AssertionError(
            f"shown {find(editor, 'level_stock').property('text')!r}, "
            f"server {member_on_server(hanout_server, member_id)}, "
            f"error {find(desktop.window, 'staffWriter').property('error')!r}"
        ) from None
    state = member_on_server(hanout_server, member_id)
    assert state["levels"]["stock"] == "read"
    assert state["overrides"] == {"stock": "read"}
    screenshot(desktop.window, "staff-en")

    # Back to the role's default: the override is gone on the server.
    click(desktop.window, find(desktop.window, "set_stock_default"))
    qtbot.waitUntil(
        lambda: find(desktop.window, "level_stock").property("text") == "No access",
        timeout=15_000,
    )
    assert member_on_server(hanout_server, member_id)["overrides"] == {}

    # Deactivate (with a confirmation), then reactivate.
    button = find(desktop.window, "deactivateButton")
    assert button.property("text") == "Deactivate"
    click(desktop.window, button)
    confirm = find(desktop.window, "confirmDeactivateButton")
    qtbot.waitUntil(lambda: confirm.property("visible") and confirm.width() > 0, timeout=5_000)
    QTest.qWait(300)  # the dialog's opening transition
    click(desktop.window, confirm)
    qtbot.waitUntil(
        lambda: find(desktop.window, "deactivateButton").property("text") == "Reactivate",
        timeout=15_000,
    )
    assert member_on_server(hanout_server, member_id)["is_active"] is False
    dialog = find(desktop.window, "deactivateDialog")
    qtbot.waitUntil(lambda: not dialog.property("visible"), timeout=5_000)  # its exit transition
    click(desktop.window, find(desktop.window, "deactivateButton"))
    qtbot.waitUntil(
        lambda: find(desktop.window, "deactivateButton").property("text") == "Deactivate",
        timeout=15_000,
    )
    assert member_on_server(hanout_server, member_id)["is_active"] is True

    desktop.desktop.setLanguage("ar")
    QTest.qWait(300)
    screenshot(desktop.window, "staff-ar")
    desktop.desktop.setLanguage("en")


def test_a_reader_of_staff_sees_the_team_but_no_edit_controls(qtbot, desktop, hanout_server):
    email = "reader.staff@kaching.example"
    ensure_member(hanout_server, email, "Rachid Reader", staff_level="read")
    sign_in(qtbot, desktop, email)
    assert desktop.session.me["levels"]["staff"] == "read"
    staff_list = open_staff(qtbot, desktop)
    assert staff_list.property("count") >= 6
    search_and_open(qtbot, desktop, staff_list, "admin@kaching", "ADMIN")

    view = find(desktop.window, "accessView")
    assert find(view, "level_catalog").property("text") == "Full access"
    assert find(view, "level_staff").property("text") == "Full access"
    # No edit controls at all: not disabled, absent.
    for name in ("accessEditor", "deactivateButton", "set_stock_read", "set_catalog_default"):
        assert lookup(desktop.window, name) is None, name
    screenshot(desktop.window, "staff-reader-en")
