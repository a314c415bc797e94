"""The chat page in real browsers (Debian Chromium through Playwright), served by uvicorn
like `hanout serve` (the WebSocket needs an ASGI server). Two colleagues of one bakery,
each in their own browser context, chat:

- text both ways, live; typing; presence; @-mentions; HTML shown as text;
- a photo (thumbnail, then full size in the viewer), a file (a download link with its
  name), a voice message recorded from a WAV file that Chromium plays as its microphone
  (hold the mic button, release to send; slide away to cancel);
- edit and delete, the 15-minute edit window, search and jump;
- a socket that drops while the other sends: after reconnecting everything is shown, in
  order, once;
- scrolling up loads older messages and keeps the place; groups and direct messages;
- the page in Arabic, right to left.

Screenshots land in artifacts/chat-*.png (git-ignored); browser console errors fail the test.
"""

from __future__ import annotations

import io
import math
import os
import socket
import struct
import threading
import time
import wave
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, expect = playwright_api.sync_playwright, playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "artifacts"
DESKTOP = {"width": 1366, "height": 860}
TIMEOUT_MS = 10_000

if not Path(CHROMIUM).exists():  # pragma: no cover - the machine lacks Debian's chromium
    pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


def _outside_the_event_loop(build):
    """Run `build` in a plain thread: Playwright's event loop runs in this one, and the
    services' events (async_to_sync) refuse to run inside an event loop."""
    result = {}

    def run():
        from django.db import connection

        try:
            result["value"] = build()
        except BaseException as exc:  # re-raised in the test's thread
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _readers_take_no_table_locks(sender, connection, **kwargs):
    """The test database is SQLite in memory with a shared cache, where a reader's table lock
    makes a concurrent writer fail at once ("database table is locked", no busy wait), unlike
    the WAL file the shop runs on. Two people chatting write and read at the same moments."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


@pytest.fixture
def asgi_server(transactional_db):
    """The whole Hanout ASGI application (HTTP and WebSocket) on a free port."""
    import uvicorn
    from django.db.backends.signals import connection_created

    from hanout.asgi import application

    connection_created.connect(_readers_take_no_table_locks)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        connection_created.disconnect(_readers_take_no_table_locks)


def _sine_wav(path: Path, seconds: float = 2.0, rate: int = 48_000) -> Path:
    """A tone that swells and fades, so the waveform has a shape (16-bit mono WAV)."""
    frames = io.BytesIO()
    n = int(seconds * rate)
    for i in range(n):
        envelope = 0.15 + 0.85 * math.sin(math.pi * i / n)
        frames.write(
            struct.pack("<h", int(12_000 * envelope * math.sin(2 * math.pi * 440 * i / rate)))
        )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames.getvalue())
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    wav = _sine_wav(tmp_path_factory.mktemp("voice") / "bonjour.wav")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                # The microphone is this WAV file, and nobody is asked for permission.
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={wav}",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def contexts(browser, asgi_server):
    """New signed-in browser contexts whose console errors fail the test."""
    made, errors = [], []

    def new(cookie: str, **kw):
        context = browser.new_context(**{"viewport": DESKTOP, **kw})
        context.set_default_timeout(TIMEOUT_MS)
        context.grant_permissions(["microphone"], origin=asgi_server)
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": asgi_server}])
        page = context.new_page()

        def on_console(msg):
            # A refused edit (403) or a refused file (400) is shown on purpose; Chromium
            # logs their status.
            expected = (
                msg.location.get("url", "").endswith("/favicon.ico")
                or "status of 40" in msg.text
                or "ERR_CONNECTION_RESET" in msg.text  # a send cut on purpose (retry test)
            )
            if msg.type == "error" and not expected:
                errors.append(f"{msg.text} at {msg.location.get('url')} (page {page.url})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({page.url})"))
        # HTML in a message must never run: any dialog but our own confirm() fails the test.
        page.on(
            "dialog",
            lambda d: d.accept() if d.type == "confirm" else errors.append(f"dialog {d.message}"),
        )
        made.append(context)
        return page

    yield new
    for context in made:
        context.close()
    assert errors == [], "browser console errors:\n" + "\n".join(errors)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"chat-{name}.png", animations="disabled")


def _bakery(language="en", **business):
    """A bakery with two cashiers, Awa and Karim, signed in (session cookies)."""

    def build():
        from django.test import Client

        from hanout.chat import services
        from hanout.core.permissions import Role
        from tests.factories import make_business, make_member

        owner = make_business("Boulangerie Chat", language=language, **business)
        awa = make_member(owner, role=Role.CASHIER, full_name="Awa Diop")
        karim = make_member(owner, role=Role.CASHIER, full_name="Karim Benali")
        services.channels_ensure(business=owner.business)
        out = {"business": owner.business, "owner": owner.user}
        for key, membership in (("awa", awa), ("karim", karim)):
            client = Client()
            client.force_login(membership.user)
            out[key] = membership.user
            out[key + "_cookie"] = client.cookies["sessionid"].value
        return out

    return _outside_the_event_loop(build)


def _open(page, server, query=""):
    page.goto(f"{server}/chat/{query}")
    expect(page.locator("#chat")).to_have_attribute("data-ws", "open")
    expect(page.locator("#chat-messages")).not_to_contain_text("Loading")


def _send(page, text: str) -> None:
    page.locator("#chat-text").fill(text)
    page.locator("#chat-text").press("Enter")


def _start_direct(page, person) -> None:
    page.locator("#chat-new-direct").click()
    page.locator(f'#chat-people-pick [data-user="{person.pk}"]').click()
    # The dialog keeps the focus until it is gone: type only after.
    expect(page.locator("#chat-people-dialog")).to_be_hidden()
    expect(page.locator("#chat-title")).to_have_text(person.full_name)


def _bodies(page) -> list[str]:
    return page.locator("#chat-messages li.chat-msg[data-seq] .chat-body").all_text_contents()


def _hold_mic(page, *, hold_ms: int, slide_px: int = 0) -> None:
    box = page.locator("#chat-mic").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    expect(page.locator("#chat-recording")).to_be_visible()
    page.wait_for_timeout(hold_ms)
    if slide_px:
        page.mouse.move(x - slide_px, y, steps=8)
        expect(page.locator("#chat-recording")).to_be_hidden()
        expect(page.locator("#chat-error")).to_contain_text("Voice message cancelled.")
    page.mouse.up()


def _db(read):
    return _outside_the_event_loop(read)


# What the page uploads, field by field (files by name and type), read back by the test.
RECORD_UPLOADS = """
window.__uploads = [];
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) {
  if (body instanceof FormData) {
    const fields = {};
    for (const [k, v] of body.entries()) fields[k] = typeof v === "string" ? v : `file:${v.name}:${v.type}`;
    window.__uploads.push(fields);
  }
  return send.call(this, body);
};
"""


def test_two_colleagues_chat_live_with_photos_files_and_voice(asgi_server, contexts, tmp_path):
    from PIL import Image

    from hanout.chat.models import Attachment, Message

    shop = _bakery()
    awa = contexts(shop["awa_cookie"])
    karim = contexts(shop["karim_cookie"])
    awa.add_init_script(RECORD_UPLOADS)
    _open(awa, asgi_server)
    _open(karim, asgi_server)
    expect(awa.locator("#chat-title")).to_have_text("Boulangerie Chat")

    # Presence: each sees the other online.
    expect(karim.locator(f'#chat-people [data-user="{shop["awa"].pk}"]')).to_have_attribute(
        "data-status", "online"
    )

    # Typing, then text both ways, live.
    awa.locator("#chat-text").press_sequentially("Bonjour")
    expect(karim.locator("#chat-typing")).to_have_text("Awa Diop is typing…")
    awa.locator("#chat-text").press("Enter")
    expect(karim.locator("#chat-messages .chat-msg").last).to_contain_text("Bonjour")
    expect(karim.locator("#chat-typing")).to_have_text("")
    _send(karim, "Salut Awa !\nLa farine arrive à 10 h.")
    expect(awa.locator("#chat-messages .chat-msg").last.locator(".chat-body")).to_have_text(
        "Salut Awa !\nLa farine arrive à 10 h."
    )
    expect(awa.locator("#chat-messages .chat-msg").last).to_contain_text("Karim Benali")

    # @-completion: "@kar" offers Karim; Enter puts his full name; he is mentioned.
    awa.locator("#chat-text").press_sequentially("Merci @kar")
    expect(awa.locator("#chat-mentions")).to_be_visible()
    expect(awa.locator("#chat-mentions .dropdown-item").first).to_have_text("Karim Benali")
    awa.locator("#chat-text").press("Enter")
    expect(awa.locator("#chat-text")).to_have_value("Merci @Karim Benali ")
    awa.locator("#chat-text").press_sequentially("tu ouvres ?")
    awa.locator("#chat-text").press("Enter")
    mention = karim.locator("#chat-messages .chat-msg").last
    expect(mention).to_have_class("chat-msg mentions-me")
    expect(mention.locator(".chat-mention")).to_have_text("@Karim Benali")
    mentioned = _db(
        lambda: list(
            Message.objects.get(text__startswith="Merci").mentions.values_list("user_id", flat=True)
        )
    )
    assert mentioned == [shop["karim"].pk]

    # HTML is text: shown as typed, never run (the dialog handler fails on alert()).
    _send(awa, "<img src=x onerror=alert(1)>")
    last = karim.locator("#chat-messages .chat-msg").last
    expect(last.locator(".chat-body")).to_have_text("<img src=x onerror=alert(1)>")
    assert last.locator(".chat-body img").count() == 0

    # A photo: a thumbnail on the other side; a click opens the full size.
    photo = tmp_path / "vitrine.png"
    Image.new("RGB", (800, 600), "#c68642").save(photo)
    awa.locator("#chat-file").set_input_files(str(photo))
    thumb = karim.locator("#chat-messages .chat-image img").last
    expect(thumb).to_be_visible()
    assert "thumbnail=1" in thumb.get_attribute("src")
    karim.wait_for_function(
        "() => { const i = [...document.querySelectorAll('#chat-messages .chat-image img')].pop();"
        " return i && i.complete && i.naturalWidth > 0 }"
    )
    thumb.click()
    viewer = karim.locator("#chat-viewer-image")
    expect(viewer).to_be_visible()
    assert "raw=1" in viewer.get_attribute("src")
    karim.wait_for_function(
        "() => document.querySelector('#chat-viewer-image').naturalWidth === 800"
    )
    expect(karim.locator("#chat-viewer-title")).to_have_text("vitrine.png")
    shot(karim, "viewer")
    karim.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    # A file: a download link with its original name and size, never shown inline.
    notes = tmp_path / "bon de livraison.txt"
    notes.write_text("<script>alert(1)</script> 12 sacs de farine\n")
    awa.locator("#chat-file").set_input_files(str(notes))
    link = karim.locator("#chat-messages a.chat-file").last
    expect(link).to_have_attribute("download", "bon de livraison.txt")
    expect(link).to_contain_text("bon de livraison.txt")
    expect(link.locator(".chat-file-size")).to_have_text(f"{notes.stat().st_size} B")
    answer = karim.request.get(asgi_server + link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.headers["content-type"] == "application/octet-stream"

    # A voice message: hold the mic 2.5 s (the WAV plays as the microphone), release.
    _hold_mic(awa, hold_ms=2500)
    expect(awa.locator("#chat-recording")).to_be_hidden()
    # The recorder measured length and loudness (Web Audio) and sent them with the file.
    awa.wait_for_function("() => window.__uploads.some((u) => u.kind === 'voice')")
    upload = awa.evaluate("window.__uploads.find((u) => u.kind === 'voice')")
    assert upload["file"].startswith("file:voice-message.webm:audio/webm")
    assert 1500 < int(upload["duration_ms"]) < 6000
    waveform = [int(v) for v in upload["waveform"].split(",")]
    assert 8 <= len(waveform) <= 128 and max(waveform) == 100 and min(waveform) < 60
    voice = karim.locator("#chat-messages .chat-voice").last
    expect(voice).to_be_visible(timeout=15_000)
    # The <audio> plays the server's playable_url (a copy every browser plays) when it has one.
    message = karim.request.get(
        f"{asgi_server}/api/v1/chat/conversations/{karim.url.split('c=')[1]}/messages/"
    ).json()["results"][-1]
    playable = message["attachments"][0].get("playable_url") or message["attachments"][0]["url"]
    assert voice.locator("audio").get_attribute("src") == playable
    duration = int(voice.get_attribute("data-duration"))
    assert 1500 < duration < 6000
    expect(voice.locator(".chat-voice-time")).to_have_text(f"0:{round(duration / 1000):02d}")
    heights = [
        float(h)
        for h in voice.locator("svg rect").evaluate_all(
            "rs => rs.map(r => r.getAttribute('height'))"
        )
    ]
    assert 8 <= len(heights) <= 128 and max(heights) > min(heights)
    stored = _db(lambda: Attachment.objects.get(kind="voice"))
    assert 1500 < stored.duration_ms < 6000
    assert 8 <= len(stored.waveform) <= 128 and max(stored.waveform) > min(stored.waveform)
    # It plays (the audio element loads what the server serves).
    voice.locator(".chat-play").click()
    karim.wait_for_function(
        "() => [...document.querySelectorAll('.chat-voice audio')].pop().currentTime > 0"
    )
    shot(karim, "conversation-karim")
    shot(awa, "conversation-awa")

    # Slide away while holding: nothing is sent.
    voices = _db(lambda: Attachment.objects.filter(kind="voice").count())
    _hold_mic(awa, hold_ms=1200, slide_px=150)
    expect(awa.locator("#chat-recording")).to_be_hidden()
    awa.wait_for_timeout(1500)
    assert _db(lambda: Attachment.objects.filter(kind="voice").count()) == voices
    assert karim.locator("#chat-messages .chat-voice").count() == 1
    assert awa.locator("#chat-messages .chat-msg.pending").count() == 0


def test_edit_delete_search_and_the_edit_window(asgi_server, contexts):
    import datetime

    from hanout.chat.models import Message

    shop = _bakery()
    awa = contexts(shop["awa_cookie"])
    karim = contexts(shop["karim_cookie"])
    _open(awa, asgi_server)
    _open(karim, asgi_server)
    for text in (
        "La livraison de farine est arrivée",
        "Il manque deux sacs",
        "Je rappelle le moulin",
    ):
        _send(awa, text)
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(3)

    # Edit one's own message: the other side sees the new text, marked edited.
    first = awa.locator("#chat-messages .chat-msg").nth(1)
    first.hover()
    first.locator(".chat-edit").click()
    first.locator("textarea").fill("Il manque trois sacs")
    first.locator("textarea").press("Enter")
    edited = karim.locator("#chat-messages .chat-msg").nth(1)
    expect(edited.locator(".chat-body")).to_have_text("Il manque trois sacs")
    expect(edited.locator(".chat-edited")).to_be_visible()
    # Karim cannot edit or delete Awa's message (no buttons).
    assert edited.locator(".chat-edit, .chat-delete").count() == 0

    # Delete: a "deleted" mark on both sides.
    last = awa.locator("#chat-messages .chat-msg").nth(2)
    last.hover()
    last.locator(".chat-delete").click()
    expect(karim.locator("#chat-messages .chat-msg").nth(2)).to_contain_text(
        "This message was deleted."
    )
    expect(karim.locator("#chat-messages .chat-msg").nth(2)).to_have_class(
        "chat-msg chat-cont deleted"
    )

    # After 15 minutes the server refuses the edit; the page says why.
    def age():
        message = Message.objects.get(text__startswith="La livraison")
        Message.objects.filter(pk=message.pk).update(
            created_at=message.created_at - datetime.timedelta(minutes=20)
        )

    _db(age)
    old = awa.locator("#chat-messages .chat-msg").nth(0)
    old.hover()
    old.locator(".chat-edit").click()
    old.locator("textarea").fill("Trop tard")
    old.locator(".chat-edit-save").click()
    expect(old.locator(".chat-edit-error")).to_contain_text("15 minutes")
    assert _db(lambda: Message.objects.filter(text="Trop tard").count()) == 0

    # Search (accents ignored), click a result: the message is shown and lit.
    karim.locator("#chat-search-input").fill("arrivee")
    karim.locator("#chat-search-input").press("Enter")
    expect(karim.locator("#chat-results-list .chat-result")).to_have_count(1)
    expect(karim.locator("#chat-results-title")).to_have_text("1 message found")
    karim.locator("#chat-results-list .chat-result").click()
    expect(karim.locator("#chat-messages .chat-msg.flash")).to_contain_text("La livraison")
    shot(karim, "search")


def test_a_dropped_socket_catches_up_in_order_without_repeats(asgi_server, contexts):
    shop = _bakery()
    awa = contexts(shop["awa_cookie"])
    karim = contexts(shop["karim_cookie"])
    _open(awa, asgi_server)
    _open(karim, asgi_server)
    _send(awa, "avant")
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(1)

    # Karim's connection goes away while Awa writes three messages.
    karim.evaluate("HanoutChat.socket.pause()")
    expect(karim.locator("#chat")).to_have_attribute("data-ws", "closed")
    for text in ("un", "deux", "trois"):
        _send(awa, text)
    expect(awa.locator("#chat-messages .chat-msg:not(.pending)")).to_have_count(4)
    karim.wait_for_timeout(300)
    assert _bodies(karim) == ["avant"]

    # Back: the `sync` after `ready` brings them, in order, once.
    karim.evaluate("HanoutChat.socket.resume()")
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(4)
    assert _bodies(karim) == ["avant", "un", "deux", "trois"]

    # A drop as a network failure: the page reconnects by itself (after ~1 s) and catches up.
    karim.evaluate("HanoutChat.socket.drop()")
    expect(karim.locator("#chat")).to_have_attribute("data-ws", "waiting")
    _send(awa, "quatre")
    expect(karim.locator("#chat")).to_have_attribute("data-ws", "open")
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(5)
    seqs = karim.locator("#chat-messages .chat-msg").evaluate_all(
        "ms => ms.map(m => Number(m.dataset.seq))"
    )
    assert seqs == [1, 2, 3, 4, 5]
    assert _bodies(karim) == ["avant", "un", "deux", "trois", "quatre"]

    # A send whose connection breaks is sent again with the same client_id: one message.
    tried = []

    def flaky(route):
        if route.request.method != "POST":
            return route.continue_()
        tried.append(route.request.post_data_json["client_id"])
        if len(tried) == 1:
            return route.abort("connectionreset")
        return route.continue_()

    awa.route("**/messages/", flaky)
    _send(awa, "cinq")
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(6)
    expect(awa.locator("#chat-messages .chat-msg.pending")).to_have_count(0)
    assert len(tried) == 2 and tried[0] == tried[1]
    assert _bodies(awa)[-1] == "cinq" and _bodies(karim)[-1] == "cinq"
    awa.unroute("**/messages/")


def test_scrolling_up_loads_older_messages_and_keeps_the_place(asgi_server, contexts):
    import uuid

    def history():
        from hanout.chat import services
        from hanout.chat.models import Conversation

        channel = Conversation.objects.get(business=shop["business"], kind="business")
        for n in range(1, 131):
            services.message_send(
                conversation=channel,
                actor=shop["awa"],
                text=f"Message {n}",
                client_id=uuid.uuid4(),
            )

    shop = _bakery()
    _db(history)
    karim = contexts(shop["karim_cookie"], viewport={"width": 1024, "height": 700})
    _open(karim, asgi_server)
    expect(karim.locator("#chat-messages .chat-msg").last).to_contain_text("Message 130")
    first_count = karim.locator("#chat-messages .chat-msg").count()
    assert first_count == 50
    anchor = karim.locator("#chat-messages .chat-msg").first
    anchor_text = anchor.locator(".chat-body").text_content()
    karim.locator("#chat-history").evaluate("h => h.scrollTo(0, 0)")
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(100)
    # The message that was at the top is still where it was, not pushed away.
    top = karim.locator("#chat-history").bounding_box()["y"]
    kept = karim.locator("#chat-messages .chat-msg", has_text=anchor_text).first.bounding_box()
    assert top - 5 <= kept["y"] <= top + 200
    karim.locator("#chat-history").evaluate("h => h.scrollTo(0, 0)")
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(130)
    karim.locator("#chat-history").evaluate("h => h.scrollTo(0, 0)")
    expect(karim.locator("#chat-start")).to_be_visible()
    assert _bodies(karim)[0] == "Message 1"
    # The tablet width (1024 px): list and conversation side by side, colleagues on demand.
    shot(karim, "tablet")


def test_groups_direct_messages_badges_and_leaving(asgi_server, contexts):
    from hanout.chat.models import Conversation

    shop = _bakery()
    awa = contexts(shop["awa_cookie"])
    karim = contexts(shop["karim_cookie"])
    _open(awa, asgi_server)
    _open(karim, asgi_server)

    # Awa writes to Karim directly: his list and his menu badge count it, live.
    _start_direct(awa, shop["karim"])
    _send(awa, "Tu peux faire la fermeture samedi ?")
    direct = karim.locator('#chat-conversations [data-kind="direct"]')
    expect(direct).to_contain_text("Awa Diop")
    expect(direct.locator(".chat-conv-unread")).to_have_text("1")
    expect(karim.locator('[data-nav-badge="chat"]')).to_be_visible()
    expect(karim.locator("[data-nav-badge-count]")).to_have_text("1")
    direct.click()
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(1)
    expect(karim.locator('[data-nav-badge="chat"]')).to_be_hidden()
    expect(direct.locator(".chat-conv-unread")).to_have_count(0)

    # A group: a title and members; Karim is told at once and can write in it.
    awa.locator("#chat-new-group").click()
    awa.locator("#chat-people-submit").click()
    expect(awa.locator("#chat-group-title-error")).to_have_text("Give the group a name.")
    awa.locator("#chat-group-title").fill("Fermeture")
    awa.locator(f'#chat-people-pick input[value="{shop["karim"].pk}"]').check()
    awa.locator("#chat-people-submit").click()
    expect(awa.locator("#chat-title")).to_have_text("Fermeture")
    expect(awa.locator("#chat-subtitle")).to_have_text("Group · 2 people")
    # Anyone in it can add people.
    awa.locator("#chat-menu-button").click()
    awa.locator("#chat-members-add").click()
    expect(awa.locator(f'#chat-people-pick input[value="{shop["karim"].pk}"]')).to_have_count(0)
    awa.locator(f'#chat-people-pick input[value="{shop["owner"].pk}"]').check()
    awa.locator("#chat-people-submit").click()
    expect(awa.locator("#chat-subtitle")).to_have_text("Group · 3 people")
    group = karim.locator('#chat-conversations [data-kind="group"]')
    expect(group).to_contain_text("Fermeture")
    group.click()
    _send(karim, "Je suis là")
    expect(awa.locator("#chat-messages .chat-msg")).to_have_count(1)

    # Karim leaves: the group is gone from his list, and he no longer gets its messages.
    karim.locator("#chat-menu-button").click()
    karim.locator("#chat-leave").click()
    expect(group).to_have_count(0)
    members = _db(
        lambda: list(
            Conversation.objects.get(title="Fermeture").members.values_list("user_id", flat=True)
        )
    )
    assert sorted(members) == sorted([shop["awa"].pk, shop["owner"].pk])
    shot(karim, "after-leaving")


def test_the_menu_badge_counts_unread_messages_on_other_pages(asgi_server, contexts):
    shop = _bakery()
    awa = contexts(shop["awa_cookie"])
    karim = contexts(shop["karim_cookie"])
    _open(awa, asgi_server)
    _start_direct(awa, shop["karim"])
    _send(awa, "Tu passes à la caisse ?")
    expect(awa.locator("#chat-messages .chat-msg")).to_have_count(1)
    karim.goto(asgi_server + "/profile/")
    badge = karim.locator('[data-nav-badge="chat"]')
    expect(badge).to_be_visible()
    expect(badge.locator("[data-nav-badge-count]")).to_have_text("1")


def test_the_chat_in_arabic_reads_right_to_left(asgi_server, contexts):
    shop = _bakery(language="ar", currency="MAD", country="MA", time_zone="Africa/Casablanca")
    awa = contexts(shop["awa_cookie"], locale="ar-MA")
    karim = contexts(shop["karim_cookie"], locale="ar-MA")
    _open(awa, asgi_server)
    _open(karim, asgi_server)
    assert awa.get_attribute("html", "dir") == "rtl"
    _send(awa, "صباح الخير! سلعة الدقيق توصل على 10.")
    _send(karim, "مفهوم، غادي نستقبلها.")
    # The business channel had the oldest activity; its new messages bring it to the top,
    # live, on both sides (the list compares times, not their text in two time zones).
    for page in (awa, karim):
        expect(page.locator("#chat-conversations [data-kind]").first).to_have_attribute(
            "data-kind", "business"
        )
    # A reply that opens with a Latin @name still reads right to left; a Latin one left to right.
    _send(karim, "@Awa مفهوم، غادي نستقبلها.")
    _send(karim, "@Awa OK")
    bodies = awa.locator("#chat-messages .chat-body")
    expect(bodies.nth(-2)).to_have_attribute("dir", "rtl")
    expect(bodies.last).to_have_attribute("dir", "ltr")
    _hold_mic(awa, hold_ms=1500)
    expect(karim.locator("#chat-messages .chat-voice")).to_be_visible(timeout=15_000)
    # Mirrored: the conversation list on the right, one's own messages on the left,
    # the send button at the inline end (the left).
    side = karim.locator(".chat-side").bounding_box()
    main = karim.locator(".chat-main").bounding_box()
    assert side["x"] > main["x"]
    mine = karim.locator("#chat-messages .chat-msg.mine .chat-bubble").last.bounding_box()
    theirs = karim.locator("#chat-messages .chat-msg:not(.mine) .chat-bubble").first.bounding_box()
    assert mine["x"] < theirs["x"]
    assert (
        karim.locator("#chat-send").bounding_box()["x"]
        < karim.locator("#chat-text").bounding_box()["x"]
    )
    # Sliding "away" in a right-to-left page is towards the line's start: the right.
    box = awa.locator("#chat-mic").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    awa.mouse.move(x, y)
    awa.mouse.down()
    awa.wait_for_timeout(800)
    awa.mouse.move(x + 150, y, steps=8)
    expect(awa.locator("#chat-recording")).to_be_hidden()
    awa.mouse.up()
    shot(karim, "arabic")
    shot(awa, "arabic-awa")


def test_a_file_over_the_business_limit_is_refused_with_the_reason(asgi_server, contexts, tmp_path):
    from hanout.chat.models import Attachment

    shop = _bakery()

    def limit():
        from hanout.chat import services

        services.settings_update(business=shop["business"], actor=shop["owner"], max_file_mb=1)

    _db(limit)
    awa = contexts(shop["awa_cookie"])
    _open(awa, asgi_server)
    big = tmp_path / "inventaire.csv"
    big.write_bytes(b"sku;qty\n" * 200_000)  # 1.6 MB
    awa.locator("#chat-file").set_input_files(str(big))
    failed = awa.locator("#chat-messages .chat-msg.pending.failed")
    expect(failed.locator(".chat-send-error")).to_contain_text(
        "larger than 1 MB, the limit set for this business"
    )
    expect(awa.locator("#chat-error")).to_contain_text("larger than 1 MB")
    # A refusal is not retried (only a network failure is); it can be removed.
    assert failed.locator(".chat-retry").count() == 0
    failed.locator(".chat-discard").click()
    expect(failed).to_have_count(0)
    assert _db(lambda: Attachment.objects.count()) == 0


# A stand-in for the browser's notifications (headless Chromium shows none) and a switch
# for "the tab is hidden", installed before the page's scripts run.
FAKE_NOTIFICATIONS = """
window.__shown = [];
window.__hidden = false;
Object.defineProperty(document, "visibilityState", { get: () => (window.__hidden ? "hidden" : "visible") });
class FakeNotification extends EventTarget {
  constructor(title, options) { super(); window.__shown.push({ title, body: options.body }); }
  close() {}
}
FakeNotification.permission = "default";
FakeNotification.requestPermission = () => { FakeNotification.permission = "granted"; return Promise.resolve("granted"); };
window.Notification = FakeNotification;
"""


def test_notifications_are_asked_for_with_a_button_and_shown_for_direct_messages_and_mentions(
    asgi_server, contexts
):
    shop = _bakery()
    awa = contexts(shop["awa_cookie"])
    karim = contexts(shop["karim_cookie"])
    karim.add_init_script(FAKE_NOTIFICATIONS)
    _open(awa, asgi_server)
    _open(karim, asgi_server)

    # Never asked on load: a button asks.
    assert karim.evaluate("Notification.permission") == "default"
    karim.locator("#chat-notify-on").click()
    expect(karim.locator("#chat-notify-on")).to_be_hidden()
    assert karim.evaluate("Notification.permission") == "granted"

    # Karim's tab is hidden: a channel message says nothing, a mention and a direct one do.
    karim.evaluate("window.__hidden = true")
    _send(awa, "Rien de spécial")
    expect(karim.locator("#chat-messages .chat-msg")).to_have_count(1)
    assert karim.evaluate("window.__shown") == []
    awa.locator("#chat-text").press_sequentially("@Kar")
    awa.locator("#chat-text").press("Enter")
    awa.locator("#chat-text").press_sequentially("<b>la caisse</b> ?")
    awa.locator("#chat-text").press("Enter")
    karim.wait_for_function("() => window.__shown.length === 1")
    assert karim.evaluate("window.__shown") == [
        {"title": "Awa Diop · Boulangerie Chat", "body": "@Karim Benali <b>la caisse</b> ?"}
    ]
    # Unread while hidden: the list and the menu badge count them.
    expect(karim.locator("[data-nav-badge-count]")).to_have_text("2")

    _start_direct(awa, shop["karim"])
    _send(awa, "Tu es là ?")
    karim.wait_for_function("() => window.__shown.length === 2")
    assert karim.evaluate("window.__shown[1]") == {"title": "Awa Diop", "body": "Tu es là ?"}

    # Back on the tab: the open conversation is marked read.
    karim.evaluate("window.__hidden = false; document.dispatchEvent(new Event('visibilitychange'))")
    expect(karim.locator("[data-nav-badge-count]")).to_have_text("1")
