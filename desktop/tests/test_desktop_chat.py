"""The team chat on the desktop, against the real server and a second, independent client.

The other client is a real WebSocket client (`websockets`, in its own thread and
asyncio loop) signed in with another member's API token, plus that member's
REST calls: what a web page or another desktop does. It sees the desktop's
messages, typing, edits and deletions as the web page would, and makes its own.
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

from conftest import OWNER, READER, click, find, find_visual, screenshot, sign_in, token_of

OTHER = READER  # Khadija, a cashier of the same business as the desktop's owner
ELSEWHERE = "admin@alma7al.example"  # the owner of the other demo business


class OtherClient:
    """Another member: a chat socket in a thread (frames land in `frames`) and REST calls."""

    def __init__(self, server_url: str, token: str):
        self.url = server_url
        self.token = token
        self.frames: queue.Queue = queue.Queue()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ws = None
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
                self._ws = ws
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

    def send(self, frame: dict) -> None:
        """Send a frame on this client's socket (after its `ready`)."""
        assert self._ws is not None, "the socket is not open"
        asyncio.run_coroutine_threadsafe(self._ws.send(json.dumps(frame)), self._loop).result(10)

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
    return token_of(hanout_server, OTHER)


def texts(model) -> list[str]:
    return [model.get(i)["body"] for i in range(model.rowCount())]


def open_chat(qtbot, desktop, email: str = OWNER):
    sign_in(qtbot, desktop, email)
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
    qtbot.waitUntil(lambda: bool(messages.get(0)["seq"]), timeout=10_000)
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


# --- typing, edit and delete, search ----------------------------------------------------------


def visual_items(root):
    """Every item under `root` in the visual tree (delegates and popups included)."""
    stack = [root.contentItem() if hasattr(root, "contentItem") else root]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.childItems())


def bubble_of(window, message_id: str):
    """The message list's delegate showing this message, or None when it is not drawn."""
    for item in visual_items(window):
        if item.property("messageId") == message_id and item.property("canEdit") is not None:
            return item
    return None


def item_in(holder, object_name: str):
    stack = list(holder.childItems())
    while stack:
        item = stack.pop()
        if item.objectName() == object_name:
            return item
        stack.extend(item.childItems())
    raise AssertionError(f"no {object_name!r} in this item")


def row_of(model, message_id: str) -> dict | None:
    for i in range(model.rowCount()):
        if model.get(i)["id"] == message_id:
            return model.get(i)
    return None


def shown(window, object_name: str):
    """The visible item of this name (a menu item, a dialog's button), once it shows."""
    found = find_visual(window, object_name)
    return found if found is not None and found.isVisible() else None


def person_name(client: OtherClient) -> str:
    user = client.rest("GET", "me/")[1]["user"]
    return user["full_name"] or user["email"]


def test_typing_shows_on_the_other_side_both_ways(qtbot, desktop, hanout_server, other_token):
    """As on the web page: someone typing shows by name under the messages for ~5 s, or until
    their message arrives; the desktop says it is typing at most every 3 s."""
    other = OtherClient(hanout_server.url, other_token)
    other.start()
    try:
        other.wait_for(lambda f: f["type"] == "ready")
        chat = open_chat(qtbot, desktop)
        business = chat.property("openId")
        me = chat.property("me")
        name = person_name(other)
        typing = chat.property("typing")
        line = find(desktop.window, "chatTyping")
        assert line.property("text") == ""

        # 1. She types (a web page sends `typing`): the desktop names her, then forgets
        #    after ~5 s without news.
        other.send({"type": "typing", "conversation": business})
        qtbot.waitUntil(lambda: typing.property("names") == [name], timeout=10_000)
        assert line.property("text") == f"{name} is typing…"
        qtbot.wait(300)
        screenshot(desktop.window, "chat-typing-en")
        desktop.desktop.setLanguage("ar")
        qtbot.wait(400)
        screenshot(desktop.window, "chat-typing-ar")
        desktop.desktop.setLanguage("en")
        qtbot.waitUntil(lambda: line.property("text") == "", timeout=9_000)
        assert typing.property("names") == []

        # 2. She types, then her message arrives: the line empties at once.
        other.send({"type": "typing", "conversation": business})
        qtbot.waitUntil(lambda: typing.property("names") == [name], timeout=10_000)
        other.post(business, f"Je suis là {uuid.uuid4().hex[:6]}")
        qtbot.waitUntil(lambda: typing.property("names") == [], timeout=2_000)
        assert line.property("text") == ""

        # 3. The desktop types in the composer: she hears it, once per 3 s however fast
        #    the keys come, and never her own.
        composer = find(desktop.window, "chatComposer")
        composer.forceActiveFocus()
        type_text(desktop.window, "Bonj")

        def mine(frame):
            return (
                frame["type"] == "typing"
                and frame["user"]["id"] == me
                and frame["conversation"] == business
            )

        got = other.wait_for(mine)
        assert got["user"]["name"]
        type_text(desktop.window, "our à tous")
        qtbot.wait(1_000)
        drain(other)
        assert sum(map(mine, other.received)) == 1
        qtbot.wait(2_500)
        type_text(desktop.window, " !")
        qtbot.waitUntil(lambda: drain(other) and sum(map(mine, other.received)) == 2, timeout=5_000)
        composer.setProperty("text", "")
    finally:
        other.close()


def type_text(window, text: str) -> None:
    """Type `text` into the focused item, key by key, as a keyboard would (any character)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QKeyEvent

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(
                window, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            )
        QTest.qWait(5)


def drain(client: OtherClient) -> bool:
    """Move the frames received so far to `received` (True, for waitUntil)."""
    while not client.frames.empty():
        client.received.append(client.frames.get_nowait())
    return True


def test_editing_and_deleting_show_live_on_the_other_client(
    qtbot, desktop, hanout_server, other_token
):
    """The desktop edits its message in the composer (the draft comes back afterwards) and
    deletes it after a confirmation; the other client gets `message.updated` and
    `message.deleted`. Her own edit and deletion show on the desktop as they happen."""
    other = OtherClient(hanout_server.url, other_token)
    other.start()
    try:
        other.wait_for(lambda f: f["type"] == "ready")
        chat = open_chat(qtbot, desktop)
        business = chat.property("openId")
        messages = chat.property("messages")
        window = desktop.window
        tag = uuid.uuid4().hex[:6]
        text = f"La livraison arrive à 10 h {tag}"
        assert chat.send(text)
        sent = other.wait_for(lambda f: f["type"] == "message.new" and f["message"]["text"] == text)
        message_id = sent["message"]["id"]
        qtbot.waitUntil(
            lambda: bool((row_of(messages, message_id) or {}).get("canEdit")), timeout=10_000
        )
        assert row_of(messages, message_id)["canDelete"]

        composer = find(window, "chatComposer")
        composer.setProperty("text", "brouillon")

        def open_menu_and(choice: str):
            """The message's "⋮", then one of its menu's items."""
            qtbot.waitUntil(lambda: bubble_of(window, message_id) is not None, timeout=5_000)
            click(window, item_in(bubble_of(window, message_id), "chatMessageActions"))
            menu = find(window, "chatMessageMenu")
            qtbot.waitUntil(lambda: bool(menu.property("opened")), timeout=5_000)
            click(window, shown(window, choice))
            qtbot.waitUntil(lambda: not menu.property("visible"), timeout=5_000)

        # Edit: the composer takes the message's text; an empty text is refused by the
        # server with its reason, and the edit stays open; Escape gives up.
        open_menu_and("chatEdit")
        assert chat.property("editingId") == message_id
        assert composer.property("text") == text
        assert find(window, "chatEditBar").isVisible()
        assert find(window, "chatSend").property("text") == "Save"
        composer.setProperty("text", "   ")
        composer.forceActiveFocus()
        QTest.keyClick(window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: chat.property("error") != "", timeout=10_000)
        assert "delete" in chat.property("error").lower()
        assert chat.property("editingId") == message_id
        QTest.keyClick(window, Qt.Key.Key_Escape)
        assert chat.property("editingId") == ""
        assert composer.property("text") == "brouillon"
        assert row_of(messages, message_id)["body"] == text
        assert chat.property("error") == ""  # the refusal went with the edit

        # Edit for real: Enter saves, the other client sees the new text.
        open_menu_and("chatEdit")
        edited = f"La livraison arrive à 11 h {tag}"
        composer.forceActiveFocus()
        QTest.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(window, edited)
        screenshot(window, "chat-editing-en")
        QTest.keyClick(window, Qt.Key.Key_Return)
        updated = other.wait_for(
            lambda f: f["type"] == "message.updated" and f["message"]["id"] == message_id
        )
        assert updated["message"]["text"] == edited and updated["message"]["edited_at"]
        qtbot.waitUntil(lambda: row_of(messages, message_id)["body"] == edited, timeout=10_000)
        assert row_of(messages, message_id)["edited"]
        assert chat.property("editingId") == ""
        assert composer.property("text") == "brouillon"
        assert texts(messages).count(edited) == 1
        composer.setProperty("text", "")

        # Delete, after saying yes: the other client sees a deleted mark.
        open_menu_and("chatDelete")
        dialog = find(window, "chatDeleteDialog")
        qtbot.waitUntil(lambda: bool(dialog.property("opened")), timeout=5_000)
        screenshot(window, "chat-delete-en")
        click(window, shown(window, "chatDeleteConfirm"))
        gone = other.wait_for(
            lambda f: f["type"] == "message.deleted" and f["message"]["id"] == message_id
        )
        assert gone["message"]["deleted"] and gone["message"]["text"] == ""
        qtbot.waitUntil(lambda: row_of(messages, message_id)["deleted"], timeout=10_000)
        row = row_of(messages, message_id)
        assert not row["canEdit"] and not row["canDelete"] and row["body"] == ""
        qtbot.waitUntil(
            lambda: not item_in(bubble_of(window, message_id), "chatMessageActions").isVisible(),
            timeout=5_000,
        )

        # Her own message, edited then deleted through the API: the desktop follows live.
        hers = other.post(business, f"Je ferme à 18 h {tag}")
        url = f"chat/conversations/{business}/messages/{hers['id']}/"
        qtbot.waitUntil(lambda: row_of(messages, hers["id"]) is not None, timeout=10_000)
        status, _body = other.rest("PATCH", url, {"text": f"Je ferme à 19 h {tag}"})
        assert status == 200
        qtbot.waitUntil(
            lambda: row_of(messages, hers["id"])["body"] == f"Je ferme à 19 h {tag}",
            timeout=10_000,
        )
        assert row_of(messages, hers["id"])["edited"]
        assert other.rest("DELETE", url)[0] == 200
        qtbot.waitUntil(lambda: row_of(messages, hers["id"])["deleted"], timeout=10_000)
        assert texts(messages).count(f"Je ferme à 19 h {tag}") == 0
    finally:
        other.close()


def test_someone_elses_message_has_no_edit_or_delete_controls(qtbot, desktop, hanout_server):
    """A cashier on the desktop: her own message has Edit and Delete, the owner's has
    neither (and the slots do nothing with it)."""
    owner = OtherClient(hanout_server.url, token_of(hanout_server, OWNER))
    chat = open_chat(qtbot, desktop, READER)
    business = chat.property("openId")
    messages = chat.property("messages")
    window = desktop.window
    theirs = owner.post(business, f"Inventaire ce soir {uuid.uuid4().hex[:6]}")
    mine_text = f"D'accord {uuid.uuid4().hex[:6]}"
    assert chat.send(mine_text)
    qtbot.waitUntil(lambda: row_of(messages, theirs["id"]) is not None, timeout=10_000)
    qtbot.waitUntil(
        lambda: bool(messages.get(0)["seq"] and messages.get(0)["canEdit"]), timeout=10_000
    )
    mine = messages.get(0)
    assert mine["body"] == mine_text and mine["canDelete"]
    row = row_of(messages, theirs["id"])
    assert row["mine"] is False and row["canEdit"] is False and row["canDelete"] is False
    qtbot.waitUntil(lambda: bubble_of(window, theirs["id"]) is not None, timeout=5_000)
    assert not item_in(bubble_of(window, theirs["id"]), "chatMessageActions").isVisible()
    assert item_in(bubble_of(window, mine["id"]), "chatMessageActions").isVisible()
    assert chat.startEdit(theirs["id"]) == "" and chat.property("editingId") == ""
    # Up in the empty composer edits her last message (never the owner's); Escape gives up.
    composer = find(window, "chatComposer")
    composer.forceActiveFocus()
    QTest.keyClick(window, Qt.Key.Key_Up)
    assert chat.property("editingId") == mine["id"]
    assert composer.property("text") == mine_text
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert chat.property("editingId") == "" and composer.property("text") == ""
    chat.deleteMessage(theirs["id"])
    qtbot.wait(500)
    assert not row_of(messages, theirs["id"])["deleted"]
    status, body = owner.rest("GET", f"chat/conversations/{business}/messages/{theirs['id']}/")
    assert status == 200 and not body["deleted"]


def test_an_owner_may_delete_but_not_edit_someone_elses_message(
    qtbot, desktop, hanout_server, other_token
):
    """As on the web page: an owner or a manager deletes anyone's message, edits only theirs."""
    other = OtherClient(hanout_server.url, other_token)
    chat = open_chat(qtbot, desktop)
    messages = chat.property("messages")
    window = desktop.window
    hers = other.post(chat.property("openId"), f"Fermeture à 20 h {uuid.uuid4().hex[:6]}")
    qtbot.waitUntil(
        lambda: bool((row_of(messages, hers["id"]) or {}).get("canDelete")), timeout=10_000
    )
    assert row_of(messages, hers["id"])["canEdit"] is False
    qtbot.waitUntil(lambda: bubble_of(window, hers["id"]) is not None, timeout=5_000)
    click(window, item_in(bubble_of(window, hers["id"]), "chatMessageActions"))
    qtbot.waitUntil(lambda: shown(window, "chatDelete") is not None, timeout=5_000)
    assert shown(window, "chatEdit") is None
    QTest.keyClick(window, Qt.Key.Key_Escape)


def test_search_finds_a_message_of_this_conversation_only_and_shows_it(
    qtbot, desktop, hanout_server, other_token
):
    """The server's search (accents and case ignored) on the open conversation: the same word
    in another conversation or another business is not found; a result older than the
    pages held is loaded and scrolled to."""
    other = OtherClient(hanout_server.url, other_token)
    chat = open_chat(qtbot, desktop)
    window = desktop.window
    business = chat.property("openId")
    messages = chat.property("messages")
    search = chat.property("search")
    conversations = chat.property("conversations")
    shop = next(
        conversations.get(i)["id"]
        for i in range(conversations.rowCount())
        if conversations.get(i)["kind"] == "shop"
    )
    word = f"zitoun{uuid.uuid4().hex[:6]}"
    other.post(shop, f"{word} arrivées au magasin")
    elsewhere = OtherClient(hanout_server.url, token_of(hanout_server, ELSEWHERE))
    their_channel = next(
        c["id"]
        for c in elsewhere.rest("GET", "chat/conversations/")[1]["results"]
        if c["kind"] == "business"
    )
    elsewhere.post(their_channel, f"{word} arrivées ailleurs")
    found = other.post(business, f"Les olives {word.upper()} sont ARRIVÉES")
    for i in range(55):  # more than a page above it
        other.post(business, f"après les olives {i}")
    qtbot.waitUntil(lambda: "après les olives 54" in texts(messages), timeout=20_000)
    chat.openConversation(shop)
    chat.openConversation(business)
    qtbot.waitUntil(lambda: messages.rowCount() >= 50, timeout=10_000)
    assert row_of(messages, found["id"]) is None

    # "Search" in the header shows the search bar, its field ready to type in.
    field = find(window, "chatSearch")
    assert not field.isVisible()
    click(window, find(window, "chatSearchToggle"))
    qtbot.waitUntil(lambda: field.isVisible() and field.hasActiveFocus(), timeout=5_000)
    type_text(window, f"{word} arrivees")
    QTest.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: search.property("open") and not search.property("busy"), timeout=10_000)
    results = search.property("results")
    assert [r["id"] for r in results] == [found["id"]], results
    assert results[0]["body"] == found["text"]
    assert find(window, "chatSearchTitle").property("text") == "Messages found: 1"
    qtbot.wait(300)
    screenshot(window, "chat-search-en")
    desktop.desktop.setLanguage("ar")
    qtbot.wait(400)
    screenshot(window, "chat-search-ar")
    desktop.desktop.setLanguage("en")
    qtbot.wait(200)

    # The result: older pages come until it is held, then the list shows it, lit.
    click(window, find_visual(window, "chatSearchResult_0"))
    qtbot.waitUntil(lambda: chat.property("highlightSeq") == found["seq"], timeout=15_000)
    assert row_of(messages, found["id"]) is not None
    view = find(window, "chatMessages")
    qtbot.waitUntil(lambda: bubble_of(window, found["id"]) is not None, timeout=5_000)
    bubble = bubble_of(window, found["id"])
    top = bubble.mapToItem(view, bubble.boundingRect().topLeft()).y()
    assert 0 <= top <= view.height(), (top, view.height())
    seqs = [messages.get(i)["seq"] for i in range(messages.rowCount())]
    assert len(seqs) == len(set(seqs)) and seqs == sorted(seqs, reverse=True)

    # Words found nowhere here say so; Close hides the results and empties the field.
    field.setProperty("text", "")
    click(window, field)
    type_text(window, f"{word} ailleurs")
    QTest.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: search.property("open") and not search.property("busy"), timeout=10_000)
    assert search.property("results") == []
    assert find(window, "chatSearchTitle").property("text") == "No message found."
    click(window, find(window, "chatSearchClose"))
    assert not search.property("open") and field.property("text") == ""
    assert not field.isVisible() and not find(window, "chatSearchResults").isVisible()

    # No server: the search says so, in words, and waits no more.
    server = desktop.api.baseUrl
    desktop.api.set_base_url("http://127.0.0.1:9")
    try:
        search.run(word)
        assert search.property("busy")
        qtbot.waitUntil(lambda: not search.property("busy"), timeout=15_000)
        assert "127.0.0.1:9" in chat.property("error")
        assert search.property("results") == []
    finally:
        desktop.api.set_base_url(server)
