"""The team chat on the desktop, against the real server and a second, independent client.

The other client is a real WebSocket client (`websockets`, in its own thread and
asyncio loop) signed in with another member's API token, plus that member's
REST calls: what a web page or another desktop does.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
import urllib.request
import uuid

import pytest
from PySide6.QtCore import QMetaObject, QObject, Qt
from PySide6.QtTest import QTest

from conftest import click, find, screenshot, sign_in

OTHER = "khadija@kaching.example"


class OtherClient:
    """Another member: a chat socket in a thread (frames land in `frames`) and REST calls."""

    def __init__(self, server_url: str, token: str):
        self.url = server_url
        self.token = token
        self.frames: queue.Queue = queue.Queue()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.received: list[dict] = []

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        import websockets

        self._stop = asyncio.Event()
        ws_url = self.url.replace("http://", "ws://") + "/ws/chat/"
        try:
            async with websockets.connect(
                ws_url, additional_headers={"Authorization": f"Token {self.token}"}
            ) as ws:
                receiver = asyncio.ensure_future(self._receive(ws))
                await self._stop.wait()
                receiver.cancel()
        except Exception as exc:  # noqa: BLE001  (the test reads it from the queue)
            self.frames.put({"type": "client.error", "error": repr(exc)})

    async def _receive(self, ws) -> None:
        async for text in ws:
            self.frames.put(json.loads(text))

    def wait_for(self, predicate, timeout: float = 20) -> dict:
        """The first frame (received so far or next) for which predicate(frame) holds."""
        for frame in self.received:
            if predicate(frame):
                return frame
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                frame = self.frames.get_nowait()
            except queue.Empty:
                QTest.qWait(50)  # the app's event loop goes on meanwhile
                continue
            assert frame.get("type") != "client.error", frame
            self.received.append(frame)
            if predicate(frame):
                return frame
        raise AssertionError(f"no such frame; received: {[f.get('type') for f in self.received]}")

    def close(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)

    def rest(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        request = urllib.request.Request(  # noqa: S310
            f"{self.url}/api/v1/{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")

    def post(self, conversation: str, text: str, client_id: str | None = None) -> dict:
        status, body = self.rest(
            "POST",
            f"chat/conversations/{conversation}/messages/",
            {"text": text, "client_id": client_id or str(uuid.uuid4())},
        )
        assert status in (200, 201), body
        return body


@pytest.fixture
def other_token(hanout_server) -> str:
    out = hanout_server.manage_shell(
        "from hanout.accounts.models import Membership;"
        "from hanout.accounts.services import api_token_create;"
        f"m = Membership.objects.get(user__email='{OTHER}', is_active=True);"
        "print('TOKEN', api_token_create(membership=m, name='chat test')[1])"
    )
    return out.split("TOKEN ")[-1].strip()


def texts(model) -> list[str]:
    return [model.get(i)["body"] for i in range(model.rowCount())]


def open_chat(qtbot, desktop):
    sign_in(qtbot, desktop)
    assert any(m["key"] == "chat" for m in desktop.session.modules)
    # (A ListView's delegates have no QObject parent: the menu entry cannot be found by
    # name; choose the module as the menu does.)
    find(desktop.window, "shell").setProperty("current", "chat")
    qtbot.waitUntil(
        lambda: desktop.window.findChild(QObject, "chatClient") is not None, timeout=10_000
    )
    chat = find(desktop.window, "chatClient")
    qtbot.waitUntil(lambda: chat.property("connected"), timeout=20_000)
    qtbot.waitUntil(lambda: chat.property("openId") != "", timeout=20_000)
    messages = chat.property("messages")
    qtbot.waitUntil(lambda: messages.rowCount() > 0, timeout=20_000)
    return chat


def test_a_chat_message_goes_from_the_desktop_to_a_web_client_and_back(
    qtbot, desktop, hanout_server, other_token, tmp_path
):
    other = OtherClient(hanout_server.url, other_token)
    other.start()
    try:
        ready = other.wait_for(lambda f: f["type"] == "ready")
        chat = open_chat(qtbot, desktop)
        conversations = chat.property("conversations")
        messages = chat.property("messages")
        business = next(
            conversations.get(i)
            for i in range(conversations.rowCount())
            if conversations.get(i)["kind"] == "business"
        )
        # The business-wide conversation opens first, and the other member is in it.
        assert chat.property("openId") == business["id"]
        assert business["id"] in {c["id"] for c in ready["conversations"]}
        me = chat.property("me")
        assert me

        # 1. The desktop sends (typed in the composer, Enter): the other client receives it.
        hello = f"Bonjour depuis le bureau {uuid.uuid4().hex[:6]}"
        composer = find(desktop.window, "chatComposer")
        composer.setProperty("text", hello)
        composer.forceActiveFocus()
        QTest.keyClick(desktop.window, Qt.Key.Key_Return)
        pushed = other.wait_for(
            lambda f: f["type"] == "message.new" and f["message"]["text"] == hello
        )
        assert pushed["message"]["conversation"] == business["id"]
        assert pushed["message"]["author"]["id"] == me
        assert composer.property("text") == ""
        # The pending row became the server's message (one row, with its seq).
        qtbot.waitUntil(
            lambda: messages.get(0).get("seq") == pushed["message"]["seq"], timeout=10_000
        )
        assert texts(messages).count(hello) == 1
        assert messages.get(0)["mine"] is True and messages.get(0)["pending"] is False

        # Shift+Enter is a new line, not a send.
        composer.setProperty("text", "ligne 1")
        composer.forceActiveFocus()
        QTest.keyClick(desktop.window, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(desktop.window, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        assert "\n" in composer.property("text")
        assert messages.get(0)["body"] == hello
        composer.setProperty("text", "")

        # 2. The other member replies through REST: the desktop shows it live.
        reply = f"Bien reçu ! {uuid.uuid4().hex[:6]}"
        posted = other.post(business["id"], reply)
        qtbot.waitUntil(lambda: reply in texts(messages), timeout=10_000)
        row = messages.get(texts(messages).index(reply))
        assert row["mine"] is False
        assert row["seq"] == posted["seq"]
        assert row["authorName"] == posted["author"]["name"]

        # A photo from the desktop: uploaded, pushed to the other, its thumbnail shown
        # from a file fetched with the token.
        from PIL import Image

        photo = tmp_path / "etagere.png"
        Image.new("RGB", (64, 48), "#3a7").save(photo)
        assert chat.sendFile(str(photo))
        image_frame = other.wait_for(
            lambda f: f["type"] == "message.new" and f["message"]["kind"] == "image"
        )
        assert image_frame["message"]["attachments"][0]["original_name"] == "etagere.png"
        qtbot.waitUntil(
            lambda: messages.get(0).get("thumbnailSource", "").startswith("file://"),
            timeout=10_000,
        )
        assert messages.get(0)["attachmentKind"] == "image"
        assert messages.get(0)["attachmentName"] == "etagere.png"

        # 3. The desktop's socket drops; a message posted meanwhile arrives by catch-up, once.
        desktop_seqs_before = [messages.get(i)["seq"] for i in range(messages.rowCount())]
        chat.drop()
        assert not chat.property("connected")
        missed = f"Pendant la coupure {uuid.uuid4().hex[:6]}"
        missed_posted = other.post(business["id"], missed)
        # The same client_id again is the same message (idempotent), nothing new written.
        again = other.post(business["id"], missed, client_id=missed_posted["client_id"])
        assert again["id"] == missed_posted["id"]
        qtbot.waitUntil(lambda: chat.property("connected"), timeout=15_000)
        qtbot.waitUntil(lambda: missed in texts(messages), timeout=10_000)
        qtbot.wait(500)  # let any late repeat (push + catch-up) land
        assert texts(messages).count(missed) == 1
        seqs = [messages.get(i)["seq"] for i in range(messages.rowCount())]
        assert len(seqs) == len(set(seqs)), "a message shows twice"
        assert seqs == sorted(seqs, reverse=True)
        assert set(desktop_seqs_before) < set(seqs)

        # The other member's conversation list sees the same business channel; the presence
        # panel lists the members with the desktop's person online.
        people = chat.property("people")
        assert any(p["id"] == me and p["status"] == "online" for p in people)

        # The unread badge: a message in another conversation counts there.
        other_conv = next(
            (
                c["id"]
                for c in ready["conversations"]
                if c["id"] != business["id"] and conversations_has(conversations, c["id"])
            ),
            None,
        )
        if other_conv is not None:
            before = conversation_row(conversations, other_conv)["unread"]
            other.post(other_conv, f"Ailleurs {uuid.uuid4().hex[:6]}")
            qtbot.waitUntil(
                lambda: conversation_row(conversations, other_conv)["unread"] == before + 1,
                timeout=10_000,
            )

        qtbot.wait(300)
        screenshot(desktop.window, "chat-en")
        desktop.desktop.setLanguage("ar")
        qtbot.wait(500)
        screenshot(desktop.window, "chat-ar")
        desktop.desktop.setLanguage("en")
    finally:
        other.close()


def conversations_has(model, conversation_id: str) -> bool:
    return any(model.get(i)["id"] == conversation_id for i in range(model.rowCount()))


def conversation_row(model, conversation_id: str) -> dict:
    return next(
        model.get(i) for i in range(model.rowCount()) if model.get(i)["id"] == conversation_id
    )


def test_older_messages_load_when_scrolling_up_and_a_failed_send_is_retried(
    qtbot, desktop, hanout_server, other_token
):
    """With more than a page of history, older messages come as the list scrolls up; a
    message that could not be sent shows as failed and "Try again" sends it once."""
    other = OtherClient(hanout_server.url, other_token)
    chat = open_chat(qtbot, desktop)
    business = chat.property("openId")
    for i in range(55):
        other.post(business, f"historique {i}")
    messages = chat.property("messages")
    qtbot.waitUntil(lambda: "historique 54" in texts(messages), timeout=20_000)
    # Open it afresh: the first page is the latest 50, the rest is older.
    conversations = chat.property("conversations")
    elsewhere = next(
        conversations.get(i)["id"]
        for i in range(conversations.rowCount())
        if conversations.get(i)["id"] != business
    )
    chat.openConversation(elsewhere)
    chat.openConversation(business)
    qtbot.waitUntil(lambda: messages.rowCount() >= 50, timeout=10_000)
    qtbot.waitUntil(lambda: chat.property("hasOlder") or messages.rowCount() > 50, timeout=10_000)
    view = find(desktop.window, "chatMessages")
    # Scroll to the top (the oldest end of a bottom-to-top list) until the first ones show.
    for _ in range(40):
        if "historique 0" in texts(messages):
            break
        QMetaObject.invokeMethod(view, "positionViewAtEnd")  # the top: the oldest held
        qtbot.wait(200)
    assert "historique 0" in texts(messages)
    seqs = [messages.get(i)["seq"] for i in range(messages.rowCount())]
    assert len(seqs) == len(set(seqs))
    assert seqs == sorted(seqs, reverse=True)

    # A send that cannot reach the server: retried with the same client_id, then shown as
    # failed; "Try again" once the server is back sends it, once.
    server = desktop.api.baseUrl
    desktop.api.set_base_url("http://127.0.0.1:9")
    offline = f"hors ligne {uuid.uuid4().hex[:6]}"
    assert chat.send(offline)
    assert messages.get(0)["pending"] is True
    qtbot.waitUntil(lambda: messages.get(0)["failed"], timeout=15_000)
    failed = messages.get(0)
    assert failed["body"] == offline and failed["pending"] is False and not failed["seq"]
    assert "127.0.0.1:9" in chat.property("error")
    desktop.api.set_base_url(server)
    chat.retry(failed["clientId"])
    qtbot.waitUntil(lambda: messages.get(0)["seq"], timeout=10_000)
    assert messages.get(0)["body"] == offline and not messages.get(0)["failed"]
    assert texts(messages).count(offline) == 1


def play_button_of(window, attachment_id: str):
    """The play button in the bubble of this voice message (others may show too)."""
    stack = [window.contentItem()]
    while stack:
        item = stack.pop()
        if item.objectName() == "chatVoicePlay":
            holder = item.parentItem()
            while holder is not None and holder.property("attachmentId") is None:
                holder = holder.parentItem()
            if holder is not None and holder.property("attachmentId") == attachment_id:
                return item
        stack.extend(item.childItems())
    raise AssertionError(f"no play button for voice message {attachment_id}")


def test_a_voice_message_recorded_on_the_desktop_reaches_the_other_client_and_plays(
    qtbot, desktop, hanout_server, other_token, sound_server
):
    """Recorded from the microphone (the session's PulseAudio tone), sent, measured by
    the server, pushed to the other member, and played back on the desktop."""
    if sound_server is None:
        pytest.skip("no sound server: install Debian's pulseaudio")
    other = OtherClient(hanout_server.url, other_token)
    other.start()
    try:
        other.wait_for(lambda f: f["type"] == "ready")
        chat = open_chat(qtbot, desktop)
        voice = chat.property("voice")
        messages = chat.property("messages")
        assert voice.property("canRecord")

        click(desktop.window, find(desktop.window, "chatRecord"))
        qtbot.waitUntil(lambda: voice.property("recording"), timeout=10_000)
        qtbot.waitUntil(lambda: voice.property("elapsed") >= 1_500, timeout=30_000)
        screenshot(desktop.window, "chat-recording-en")
        click(desktop.window, find(desktop.window, "chatRecord"))  # stop and send
        qtbot.waitUntil(lambda: not voice.property("recording"), timeout=10_000)
        assert voice.property("error") == ""

        pushed = other.wait_for(
            lambda f: (
                f["type"] == "message.new"
                and f["message"]["attachments"]
                and f["message"]["attachments"][0]["kind"] == "voice"
            ),
            timeout=30,
        )
        attachment = pushed["message"]["attachments"][0]
        # Measured by the server from the decoded samples: some of the 1.5 s or more
        # recorded (a virtual machine's tone source may deliver late), never nothing.
        assert 200 <= attachment["duration_ms"] <= 60_000
        assert len(attachment["waveform"]) > 0 and max(attachment["waveform"]) == 100
        assert attachment["playable_url"]
        # The other client can fetch what it would play.
        request = urllib.request.Request(  # noqa: S310
            hanout_server.url + attachment["playable_url"],
            headers={"Authorization": f"Token {other_token}"},
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            assert response.headers["Content-Type"].startswith("audio/")
            assert len(response.read()) > 500

        # The desktop's bubble: the server's length and waveform, and it plays.
        def voice_row():
            for i in range(messages.rowCount()):
                row = messages.get(i)
                if row["attachmentId"] == str(attachment["id"]):
                    return row
            return None

        qtbot.waitUntil(lambda: voice_row() is not None, timeout=10_000)
        row = voice_row()
        assert row["attachmentKind"] == "voice" and row["mine"] and not row["pending"]
        assert row["attachmentDuration"] == attachment["duration_ms"]
        assert row["waveform"] == attachment["waveform"]
        screenshot(desktop.window, "chat-voice-en")
        click(desktop.window, play_button_of(desktop.window, row["attachmentId"]))
        qtbot.waitUntil(lambda: voice.property("playingId") == row["attachmentId"], timeout=15_000)
        qtbot.waitUntil(lambda: voice.property("position") > 0, timeout=15_000)
        # Heard to the end, it stops by itself, ready to play again.
        qtbot.waitUntil(
            lambda: voice.property("playingId") == "",
            timeout=attachment["duration_ms"] + 15_000,
        )
        assert voice.property("error") == ""
    finally:
        other.close()


def test_a_voice_recording_can_be_cancelled_and_sends_nothing(
    qtbot, desktop, hanout_server, sound_server
):
    if sound_server is None:
        pytest.skip("no sound server: install Debian's pulseaudio")
    chat = open_chat(qtbot, desktop)
    voice = chat.property("voice")
    messages = chat.property("messages")
    recorded: list[str] = []
    voice.recorded.connect(recorded.append)  # what would be uploaded
    click(desktop.window, find(desktop.window, "chatRecord"))
    qtbot.waitUntil(lambda: voice.property("recording"), timeout=10_000)
    qtbot.waitUntil(lambda: voice.property("elapsed") >= 500, timeout=30_000)
    click(desktop.window, find(desktop.window, "chatRecordCancel"))
    qtbot.waitUntil(lambda: not voice.property("recording"), timeout=10_000)
    qtbot.wait(1_000)
    # (Other tests may be writing to this conversation meanwhile: look for this one's.)
    assert recorded == []
    assert not any(
        messages.get(i)["pending"] and messages.get(i)["attachmentKind"] == "voice"
        for i in range(messages.rowCount())
    )
