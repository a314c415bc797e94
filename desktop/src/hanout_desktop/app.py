"""`hanout-desktop`: start the app.

hanout-desktop                       # the server remembered, else http://127.0.0.1:8000
hanout-desktop --server https://shop.example
hanout-desktop --language ar
hanout-desktop --register            # a paired counter: full screen, straight to the keypad
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QLocale,
    QObject,
    QSettings,
    Qt,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuickControls2 import QQuickStyle

from hanout_desktop import __version__
from hanout_desktop import chat as _chat  # noqa: F401  (registers ChatClient)
from hanout_desktop import forms as _forms  # noqa: F401  (registers ApiForm)
from hanout_desktop import images as _images  # noqa: F401  (registers ApiPicture)
from hanout_desktop import models as _models  # noqa: F401  (registers the QML types)
from hanout_desktop import resources as _resources  # noqa: F401  (registers ApiResource)
from hanout_desktop.api import ApiClient, set_default_client
from hanout_desktop.dates import Formats
from hanout_desktop.money import Amounts
from hanout_desktop.register import CounterRegister
from hanout_desktop.session import Session

HERE = Path(__file__).resolve().parent
QML_DIR = HERE / "qml"
I18N_DIR = HERE / "i18n"
FONTS_DIR = HERE / "fonts"

# Code, name in its own language, right to left.
LANGUAGES = [
    ("en", "English", False),
    ("fr", "Français", False),
    ("ar", "العربية", True),
    ("zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ", False),
]
DEFAULT_SERVER = "http://127.0.0.1:8000"


class Desktop(QObject):
    """What every screen needs besides the session: the language, the version."""

    languageChanged = Signal()

    def __init__(
        self, app: QGuiApplication, engine: QQmlApplicationEngine, api: ApiClient, settings
    ):
        super().__init__()
        self.app = app
        self.engine = engine
        self.api = api
        self.settings = settings
        self._translator: QTranslator | None = None
        self._language = "en"
        self._kiosk = False
        # Days and times the business's way, in its time zone (dates.py).
        self.formats = Formats(self)
        # Amounts the business's way, in the reader's language (money.py).
        self.amounts = Amounts(self)

    def _get_language(self) -> str:
        return self._language

    language = Property(str, _get_language, notify=languageChanged)

    def _get_rtl(self) -> bool:
        return any(code == self._language and rtl for code, _, rtl in LANGUAGES)

    rightToLeft = Property(bool, _get_rtl, notify=languageChanged)

    def _get_languages(self) -> list:
        return [{"code": code, "name": name} for code, name, _ in LANGUAGES]

    languages = Property("QVariantList", _get_languages, constant=True)

    def _get_kiosk(self) -> bool:
        return self._kiosk

    kiosk = Property(bool, _get_kiosk, constant=True)

    def _get_version(self) -> str:
        return __version__

    version = Property(str, _get_version, constant=True)

    @Slot(str, int, result=str)
    def plural(self, text: str, n: int) -> str:
        """A counted sentence, `qsTr("%n product(s)", "", n)`, with its English plural.

        English is the source language and has no translation file, so Qt writes the
        source as it is: "9 product(s)". Here "(s)" becomes a real plural ("1 product",
        "9 products"); a translated sentence has its language's plural forms already and
        no "(s)" left. (Not a QTranslator written in Python: Qt asks translators from
        its own threads too, which would then wait for Python's lock.)"""
        return text.replace("(s)", "" if n == 1 else "s")

    @Slot(str)
    def setLanguage(self, code: str) -> None:
        """Switch the whole app, at once, without a restart."""
        if code not in {c for c, _, _ in LANGUAGES}:
            code = "en"
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator = None
        qm = I18N_DIR / f"hanout_desktop_{code}.qm"
        if code != "en" and qm.exists():
            translator = QTranslator(self)
            if translator.load(str(qm)):
                self.app.installTranslator(translator)
                self._translator = translator
        self._language = code
        self.api.language = code
        self.formats.configure(language=code)
        self.amounts.configure(language=code)
        if getattr(self, "register", None) is not None:
            self.register.api.language = code
            self.register.relabel()
        self.app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if self._get_rtl() else Qt.LayoutDirection.LeftToRight
        )
        self.settings.setValue("ui/language", code)
        self.engine.retranslate()
        self.languageChanged.emit()


def load_fonts() -> None:
    """The fonts shipped with the app: Tifinagh (and Arabic) on machines without them."""
    for font in sorted(FONTS_DIR.glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))


def default_language(settings: QSettings) -> str:
    saved = str(settings.value("ui/language", "") or "")
    if saved:
        return saved
    system = QLocale.system().name().split("_")[0]
    if QLocale.system().language() == QLocale.Language.StandardMoroccanTamazight:
        return "zgh"
    return system if system in {c for c, _, _ in LANGUAGES} else "en"


def build(
    argv: list[str],
    *,
    server: str | None = None,
    language: str | None = None,
    register_mode: bool = False,
):
    """The application, its engine and its objects, with Main.qml loaded (for main() and tests)."""
    QCoreApplication.setOrganizationName("Hanout")
    QCoreApplication.setApplicationName("Hanout desktop")
    app = QGuiApplication.instance() or QGuiApplication(argv)
    if not QQuickStyle.name():
        QQuickStyle.setStyle("Material")
    load_fonts()
    settings = QSettings()
    api = ApiClient(str(settings.value("server/url", "") or DEFAULT_SERVER))
    set_default_client(api)
    session = Session(api, settings)
    if server:
        session.setServerUrl(server)
    engine = QQmlApplicationEngine()
    desktop = Desktop(app, engine, api, settings)
    desktop._kiosk = register_mode
    # A child of `desktop`, so it lives as long as the app.
    counter = desktop.register = CounterRegister(api, settings, desktop)
    if register_mode:
        counter.enter()
    context = engine.rootContext()
    context.setContextProperty("api", api)
    context.setContextProperty("session", session)
    context.setContextProperty("desktop", desktop)
    context.setContextProperty("register", counter)
    context.setContextProperty("formats", desktop.formats)
    context.setContextProperty("amounts", desktop.amounts)
    session.meChanged.connect(lambda: desktop.formats.follow_business(session._get_me()))
    session.meChanged.connect(lambda: desktop.amounts.follow_business(session._get_me()))
    desktop.setLanguage(language or default_language(settings))
    engine.load(str(QML_DIR / "Main.qml"))
    if not engine.rootObjects():
        raise RuntimeError("Main.qml did not load; see the QML errors above.")
    return app, engine, desktop, session, api


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    parser = argparse.ArgumentParser(prog="hanout-desktop", description=__doc__.split("\n")[0])
    parser.add_argument("--server", help="the Hanout server's address (remembered)")
    parser.add_argument("--language", choices=[c for c, _, _ in LANGUAGES])
    parser.add_argument(
        "--register",
        action="store_true",
        help="start in register mode, full screen (a paired counter computer)",
    )
    parser.add_argument("--version", action="version", version=__version__)
    args, qt_args = parser.parse_known_args(argv[1:])
    app, engine, *_ = build(
        [argv[0], *qt_args],
        server=args.server,
        language=args.language,
        register_mode=args.register,
    )
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
