"""Open every screen of the desktop app in a real window and save a picture of it.

Run by test_desktop_screens_under_xvfb.py on a virtual screen (Xvfb, Qt's xcb
platform): sign in, then for each language, each module of the menu; the
pictures land in the folder given. Usage:

    python screens_tour.py SERVER_URL EMAIL PASSWORD OUT_DIR LANG [LANG …]
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

import PySide6.QtQuick  # noqa: F401  (root objects as QQuickWindow)
from PySide6.QtCore import QElapsedTimer, QObject, QSettings
from PySide6.QtTest import QTest


def wait(condition, ms: int = 20_000) -> bool:
    timer = QElapsedTimer()
    timer.start()
    while not condition():
        if timer.elapsed() > ms:
            return False
        QTest.qWait(50)
    return True


def settle(api, ms: int = 600) -> None:
    """Let calls finish and the window draw."""
    wait(lambda: not api.busy)
    QTest.qWait(ms)


def main(argv: list[str]) -> int:
    server, email, password, out, *languages = argv[1:]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(out_dir / "settings")
    )
    os.environ.setdefault("HANOUT_DESKTOP_DATA", str(out_dir / "data"))
    from hanout_desktop import app as desktop_app

    app, engine, desktop, session, api = desktop_app.build([argv[0]], server=server, language="en")
    window = engine.rootObjects()[0]
    settle(api)
    for language in languages:
        desktop.setLanguage(language)
        settle(api)
        window.grabWindow().save(str(out_dir / f"sign-in-{language}.png"))
        # Registering a store: both steps (step one makes only a sign-up session).
        session.startSignUp()
        settle(api)
        window.grabWindow().save(str(out_dir / f"sign-up-{language}.png"))
        session.submitStore(
            {
                "name": "Épicerie Atlas",
                "country": "MA",
                "currency": "MAD",
                "time_zone": "Africa/Casablanca",
            }
        )
        wait(lambda: session.state == "signUpManager" or session.error != "")
        settle(api)
        window.grabWindow().save(str(out_dir / f"sign-up-manager-{language}.png"))
        session.cancel()
        settle(api)
    session.signIn(email, password)
    if not wait(lambda: session.state == "signedIn" or session.error != ""):
        print("sign-in did not finish", file=sys.stderr)
        return 1
    if session.state != "signedIn":
        print(f"sign-in failed: {session.error}", file=sys.stderr)
        return 1
    shell = window.findChild(QObject, "shell")
    saved = []
    for language in languages:
        desktop.setLanguage(language)
        for module in session.modules:
            shell.setProperty("current", module["key"])
            settle(api, 1200)
            path = out_dir / f"{module['key']}-{language}.png"
            window.grabWindow().save(str(path))
            saved.append(path.name)
    saved += register_tour(server, window, desktop, session, api, out_dir, languages)
    print("\n".join(saved))
    engine.deleteLater()
    return 0


def register_tour(server, window, desktop, session, api, out_dir, languages) -> list[str]:
    """Register mode: pair this computer, the keypad, then a basket, in each language."""
    request = urllib.request.Request(  # noqa: S310
        f"{server}/api/v1/registers/?active=true", headers={"Authorization": f"Token {api.token}"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        first = json.loads(response.read())["results"][0]
    register = desktop.register
    register.pair(first["id"], "Tour")
    if not wait(lambda: register.paired or register.error != ""):
        raise SystemExit(f"pairing did not finish: {register.error}")
    register.enter()
    saved = []
    for language in languages:
        desktop.setLanguage(language)
        settle(api)
        path = out_dir / f"register-sign-in-{language}.png"
        window.grabWindow().save(str(path))
        saved.append(path.name)
    register.signIn("1", "1234")
    wait(lambda: register.state in ("selling", "drawer") or register.error != "")
    if register.state == "drawer":
        register.openDrawer("100")
        wait(lambda: register.state == "selling" or register.error != "")
    wait(lambda: register.productCount > 0)
    wait(lambda: register.canDiscount)
    for product in register.products[:3]:
        register.addProduct(product["id"])
    # The customer of the sale (the demo's loyalty card) and a discount on the first line.
    register.customerSearch.find("FID-EUR-0001")
    wait(lambda: bool(register.customer.get("id")) or register.customerSearch.error != "")
    register.selectLine(0)
    for key in "0.5":
        register.key(key)
    register.discount()
    for language in languages:
        desktop.setLanguage(language)
        settle(register.api)
        path = out_dir / f"register-{language}.png"
        window.grabWindow().save(str(path))
        saved.append(path.name)
    register.payPhone()
    wait(lambda: bool(register.phone.get("id")) or register.error != "")
    for language in languages:
        desktop.setLanguage(language)
        settle(register.api)
        path = out_dir / f"register-phone-{language}.png"
        window.grabWindow().save(str(path))
        saved.append(path.name)
    register.cancelPhone()
    wait(lambda: not register.phone)
    register.clearBasket()
    saved += dialogs_tour(window, desktop, register, out_dir, languages)
    register.signOut()
    settle(register.api)
    return saved


def shoot(window, desktop, register, out_dir, languages, name) -> list[str]:
    saved = []
    for language in languages:
        desktop.setLanguage(language)
        settle(register.api)
        path = out_dir / f"{name}-{language}.png"
        window.grabWindow().save(str(path))
        saved.append(path.name)
    return saved


def dialogs_tour(window, desktop, register, out_dir, languages) -> list[str]:
    """The Customer dialog with several customers found, then a return: a ticket sold
    here brought back, one of its lines chosen."""
    from PySide6.QtCore import QMetaObject

    customers = window.findChild(QObject, "registerCustomerDialog")
    QMetaObject.invokeMethod(customers, "open")
    wait(lambda: customers.property("opened"))  # opening clears the last search
    register.customerSearch.find("a")
    wait(lambda: not register.customerSearch.busy)
    saved = shoot(window, desktop, register, out_dir, languages, "register-customer")
    QMetaObject.invokeMethod(customers, "close")

    for product in register.products[:2]:
        register.addProduct(product["id"])
    register.payCard()
    wait(lambda: register.lastSale.get("sent") is True or register.error != "")
    number = register.lastSale.get("number", "")
    returns = window.findChild(QObject, "registerReturnDialog")
    QMetaObject.invokeMethod(returns, "open")
    wait(lambda: returns.property("opened"))
    register.ticketReturn.find(number)
    wait(lambda: bool(register.ticketReturn.ticket or register.ticketReturn.matches))
    saved += shoot(window, desktop, register, out_dir, languages, "register-return-choose")
    if register.ticketReturn.matches:
        register.ticketReturn.choose(0)
    register.ticketReturn.step(0, 1)
    saved += shoot(window, desktop, register, out_dir, languages, "register-return")
    QMetaObject.invokeMethod(returns, "close")
    return saved


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
