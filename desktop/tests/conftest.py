"""The desktop app's tests: the real app (offscreen) against a real Hanout server.

The server is `hanout serve` in its own process, on SQLite in a temporary
folder, with the demo data and its job worker, and its email going to a real
SMTP server (aiosmtpd) in this process. It starts once per test session.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Before any Qt import: no screen here, and no settings from this person's own app.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Material")

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

import PySide6.QtQuick  # noqa: E402, F401  (root objects come back as QQuickWindow)
from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402

from tests.fixtures import Mailbox  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "desktop"
DEMO_PASSWORD = "hanout-demo"
OWNER = "admin@kaching.example"  # French shop, full access
READER = "khadija@kaching.example"  # cashier (her stock request is pending)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HanoutServer:
    """A `hanout serve` process and what a test needs to reach it."""

    def __init__(self, data_dir: Path, port: int, smtp_port: int, mailbox: Mailbox):
        self.data_dir = data_dir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.smtp_port = smtp_port
        self.mailbox = mailbox
        self.process: subprocess.Popen | None = None
        self.log = data_dir / "server.log"

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "QT_QPA_PLATFORM"}
        }
        env.update(
            HANOUT_DATA_DIR=str(self.data_dir),
            HANOUT_PUBLIC_URL=self.url,
            HANOUT_DEMO_HISTORY_DAYS="14",
            HANOUT_EMAIL_HOST="127.0.0.1",
            HANOUT_EMAIL_PORT=str(self.smtp_port),
            HANOUT_SECRET_KEY="desktop-tests-only",
            # The worker would make the first nightly backup of this throw-away shop
            # within ten minutes of starting (hanout.sync.tasks): nothing to keep here.
            HANOUT_BACKUP_TIME="off",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, timeout: float = 240) -> None:
        hanout = Path(sys.executable).with_name("hanout")
        command = [str(hanout), "serve", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, env=self.env(), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hanout serve stopped:\n{self.log.read_text()[-4000:]}")
            if self.healthy():
                return
            time.sleep(0.5)
        raise RuntimeError(f"hanout serve did not answer:\n{self.log.read_text()[-4000:]}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def manage_shell(self, code: str) -> str:
        """Run Python in the server's own Django (its data folder): set-up a test needs."""
        hanout = Path(sys.executable).with_name("hanout")
        result = subprocess.run(  # noqa: S603
            [str(hanout), "manage", "shell", "-c", code],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


@pytest.fixture(scope="session", autouse=True)
def sound_server(tmp_path_factory):
    """A PulseAudio server of this test session's own, with a speaker that plays into
    nothing and a microphone that hears a steady 440 Hz tone: real devices for the
    chat's voice messages on a machine with no sound card.

    Started before any test so that Qt Multimedia, which connects once per process,
    finds it. PULSE_LATENCY_MSEC asks for 200 ms buffers: with Qt's small default
    ones the tone source of this virtual machine delivered a fraction of the
    samples. Without `pulseaudio` (Debian package `pulseaudio`), Qt sees no devices
    and the voice test is skipped."""
    binary = shutil.which("pulseaudio")
    if binary is None:
        yield None
        return
    folder = tmp_path_factory.mktemp("pulse")
    socket_path = folder / "native"
    env = {**os.environ, "HOME": str(folder), "XDG_RUNTIME_DIR": str(folder)}
    process = subprocess.Popen(  # noqa: S603
        [
            binary,
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--log-target=stderr",
            "-L",
            f"module-native-protocol-unix socket={socket_path} auth-anonymous=1",
            "-L",
            "module-null-sink sink_name=speaker",
            "-L",
            "module-sine-source source_name=microphone frequency=440",
            "-L",
            "module-default-device-restore",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "pulseaudio.log").open("wb"),
    )
    deadline = time.monotonic() + 20
    while not socket_path.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    os.environ["PULSE_SERVER"] = f"unix:{socket_path}"
    os.environ["PULSE_LATENCY_MSEC"] = "200"
    subprocess.run(  # noqa: S603
        [shutil.which("pactl") or "pactl", "set-default-source", "microphone"],
        env=os.environ.copy(),
        check=False,
        capture_output=True,
        timeout=20,
    )
    try:
        yield str(socket_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def hanout_server(tmp_path_factory):
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    server = HanoutServer(tmp_path_factory.mktemp("hanout-server"), free_port(), smtp_port, mailbox)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        controller.stop()


def _computer_in(monkeypatch, zone: str):
    """The computer's clock in `zone` for one test; put back after it, with the dates
    helper's settings."""
    from hanout_desktop import dates

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    saved = (dates.current.language, dates.current.country, dates.current.zone)
    yield
    monkeypatch.undo()
    time.tzset()
    dates.current.language, dates.current.country, dates.current.zone = saved


@pytest.fixture
def computer_far_west(monkeypatch):
    """The computer at UTC-12: a business at UTC+14 (Kiritimati) is 26 hours ahead, so
    their days always differ."""
    yield from _computer_in(monkeypatch, "Etc/GMT+12")


@pytest.fixture
def far_away_computer(monkeypatch):
    """The computer's clock in Los Angeles (9 hours behind Brussels in winter)."""
    yield from _computer_in(monkeypatch, "America/Los_Angeles")


@pytest.fixture
def desktop(qapp, hanout_server, tmp_path, monkeypatch):
    """The whole app, its main window loaded, pointed at the test server, in English."""
    from hanout_desktop import app as desktop_app

    # The register's queue and catalog files: this test's own folder.
    monkeypatch.setenv("HANOUT_DESKTOP_DATA", str(tmp_path / "data"))

    # Each test starts with fresh remembered settings (server, language) in tmp_path.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    app, engine, shell, session, api = desktop_app.build(
        [], server=hanout_server.url, language="en"
    )
    window = engine.rootObjects()[0]
    # The first size follows the screen (the offscreen platform's is 800×600); the tests
    # were written for a 1200×800 window and set it.
    initial_size = (window.width(), window.height())
    window.resize(1200, 800)

    class Desktop:
        pass

    d = Desktop()
    d.initial_size = initial_size
    d.app, d.engine, d.desktop, d.session, d.api, d.window = (
        app,
        engine,
        shell,
        session,
        api,
        window,
    )
    yield d
    # The translator is the application's, which outlives this test: a test that switched
    # language (or failed before switching back) must not leave the next one in French.
    shell.setLanguage("en")
    # The amounts' country and currency are module-wide too (the signed-in business's).
    from hanout_desktop import money

    money.configure(language="en", country="", currency="")
    # Tear the QML down before the Python objects it binds to go away.
    window.close()
    for root in engine.rootObjects():
        root.deleteLater()
    engine.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def find(root, object_name: str):
    """The QML item with this objectName (fails the test when absent).

    Looks through the object tree, then through the visual tree (items a
    Repeater or a view made are children of their parent item only)."""
    from PySide6.QtCore import QObject

    item = root.findChild(QObject, object_name) or find_visual(root, object_name)
    assert item is not None, f"no QML item named {object_name!r}"
    return item


def find_visual(root, object_name: str):
    start = root.contentItem() if hasattr(root, "contentItem") else root
    stack = [start]
    while stack:
        item = stack.pop()
        if item.objectName() == object_name:
            return item
        stack.extend(item.childItems())
    return None


def click(window, item) -> None:
    """A real mouse click in the middle of a QML item, once it has stopped moving.

    A screen that just got its data lays itself out on the next frames; on a loaded
    machine the click could land where a neighbour button is about to be (seen in CI:
    the Employees screen's "Read" click changed nothing). The item's place is read
    until two looks 50 ms apart agree (at most a second)."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    scroll_into_view(item)

    def place():
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        return centre, item.width(), item.height()

    where = place()
    for _ in range(20):
        QTest.qWait(50)
        now = place()
        if now == where:
            break
        where = now
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where[0])


def scroll_into_view(item) -> None:
    """Scroll the Flickables holding `item` so that it shows, as a person would first
    scroll down to a button below the fold (a mouse click there would hit nothing)."""
    from PySide6.QtCore import QPointF

    holder = item.parentItem()
    while holder is not None:
        content = holder.property("contentItem")
        if holder.metaObject().indexOfProperty("contentY") >= 0 and content is not None:
            top = item.mapToItem(content, QPointF(0, 0)).y()
            visible_top = holder.property("contentY")
            if top < visible_top or top + item.height() > visible_top + holder.height():
                highest = max(0.0, holder.property("contentHeight") - holder.height())
                wanted = top - (holder.height() - item.height()) / 2
                holder.setProperty("contentY", min(max(0.0, wanted), highest))
        holder = holder.parentItem()


def sign_in(qtbot, d, email: str = OWNER, password: str = DEMO_PASSWORD) -> None:
    find(d.window, "emailField").setProperty("text", email)
    find(d.window, "passwordField").setProperty("text", password)
    click(d.window, find(d.window, "signInButton"))
    qtbot.waitUntil(lambda: d.session.state == "signedIn" or d.session.error != "", timeout=20_000)
    assert d.session.state == "signedIn", d.session.error


def api(server, token: str, path: str, body: dict | None = None, device: str = ""):
    """(status, JSON) of a call to the test server's API as another client would make it:
    with `token` (a personal or register token), `device` (a paired register's header),
    and a JSON `body` for a POST."""
    import json

    headers = {"Authorization": f"Token {token}"} if token else {}
    if device:
        headers["X-Register-Device"] = device
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(  # noqa: S310
        f"{server.url}/api/v1/{path}", data=data, headers=headers
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.status, json.loads(response.read() or b"null")


def token_of(server, email: str) -> str:
    """A personal API token of this demo member, made on the server."""
    out = server.manage_shell(
        "from hanout.accounts.models import Membership;"
        "from hanout.accounts.services import api_token_create;"
        f"m = Membership.objects.get(user__email='{email}', is_active=True);"
        "print('TOKEN', api_token_create(membership=m, name='chat test')[1])"
    )
    return out.split("TOKEN ")[-1].strip()


def api_get(server, token: str, path: str):
    """What the server answers to a GET of `path` with `token`."""
    return api(server, token, path)[1]


def screenshot(window, name: str) -> Path:
    """Save what the window shows under artifacts/desktop/ (looked at by people, not asserted)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    image = window.grabWindow()
    image.save(str(path))
    return path
