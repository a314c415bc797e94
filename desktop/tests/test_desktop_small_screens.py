"""The window on a laptop's screen: its first size follows the screen, and the register
and the chat keep what a person needs in sight at 1366×768 and at 1280×720.

(The offscreen test platform's screen is 800×600; the other tests set 1200×800.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QPointF
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from test_desktop_register import pair, pin_sign_in, ready_to_sell

from conftest import click, find, screenshot, sign_in

# A laptop's screen less its task bar (40) and the window's title bar (40).
LAPTOPS = [(1366, 768 - 80), (1280, 720 - 80)]


def inside(window, item) -> bool:
    """The whole item is within the window (not below or beside its edges)."""
    top_left = item.mapToScene(QPointF(0, 0))
    bottom_right = item.mapToScene(QPointF(item.width(), item.height()))
    return (
        item.isVisible()
        and top_left.x() >= 0
        and top_left.y() >= 0
        and bottom_right.x() <= window.width() + 0.5
        and bottom_right.y() <= window.height() + 0.5
    )


def resize(window, width: int, height: int) -> None:
    window.resize(width, height)
    QTest.qWait(300)  # the layouts settle over a few frames


def test_the_window_first_fits_the_screen_it_opens_on(desktop):
    screen = QGuiApplication.primaryScreen().availableGeometry()
    width, height = desktop.initial_size
    assert width <= screen.width() and height <= screen.height()
    assert (width, height) == (
        max(720, min(1280, screen.width() - 16)),
        max(480, min(800, screen.height() - 40)),
    )


@pytest.mark.parametrize(("width", "height"), LAPTOPS)
def test_the_registers_total_and_payment_keys_show_on_a_laptop_screen(
    qtbot, desktop, width, height
):
    pair(qtbot, desktop)
    pin_sign_in(qtbot, desktop)
    ready_to_sell(qtbot, desktop)
    register = desktop.desktop.register
    resize(desktop.window, width, height)
    for product in register.products[:2]:
        register.addProduct(product["id"])
    click(desktop.window, find(desktop.window, "registerPayCard"))
    qtbot.waitUntil(lambda: register.lastSale.get("sent") is True, timeout=20_000)
    # A card gives no change: the ticket line says none.
    last = find(desktop.window, "registerLastSale").property("text")
    assert register.lastSale["number"] in last and "change" not in last
    for product in register.products[:6]:
        register.addProduct(product["id"])
    QTest.qWait(300)
    screenshot(desktop.window, f"register-{width}x{height}")
    for name in (
        "registerTotal",
        "registerLastSale",
        "registerPayCash",
        "registerPayCard",
        "registerPayPhone",
        "registerClear",
        "registerWithdraw",
        "registerKey_0",
    ):
        assert inside(desktop.window, find(desktop.window, name)), f"{name} is off the window"
    # The basket still shows several lines.
    assert find(desktop.window, "registerBasket").height() >= 3 * 56


@pytest.mark.parametrize(("width", "height"), LAPTOPS)
def test_the_chat_composer_shows_on_a_laptop_screen(qtbot, desktop, width, height):
    sign_in(qtbot, desktop)
    find(desktop.window, "shell").setProperty("current", "chat")
    qtbot.waitUntil(
        lambda: desktop.window.findChild(QObject, "chatClient") is not None, timeout=10_000
    )
    chat = find(desktop.window, "chatClient")
    qtbot.waitUntil(lambda: chat.property("openId") != "", timeout=20_000)
    resize(desktop.window, width, height)
    screenshot(desktop.window, f"chat-{width}x{height}")
    for name in ("chatComposer", "chatSend", "chatAttach", "chatRecord"):
        assert inside(desktop.window, find(desktop.window, name)), f"{name} is off the window"
    assert find(desktop.window, "chatMessages").height() >= 200
