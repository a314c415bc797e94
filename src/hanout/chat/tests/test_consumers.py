"""The chat's WebSocket `/ws/chat/` through the real ASGI stack (session cookie, origin
check): messages reach the other members at once, a reconnecting client catches up
from its last seq, presence follows heartbeats and a clock the test moves, typing is
relayed and never stored."""

from __future__ import annotations

import datetime
import json
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.test import Client

from hanout.accounts.services import module_access_set
from hanout.chat import consumers, presence, services
from hanout.chat.models import Conversation, ConversationKind, Message
from hanout.core import clock
from hanout.core.permissions import Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5


class Socket(ApplicationCommunicator):
    """A browser's WebSocket in ASGI messages (channels.testing needs daphne, not installed)."""

    def __init__(self, cookie: str | None):
        from hanout.asgi import application

        headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        if cookie:
            headers.append((b"cookie", f"sessionid={cookie}".encode()))
        super().__init__(
            application,
            {
                "type": "websocket",
                "path": "/ws/chat/",
                "query_string": b"",
                "headers": headers,
                "subprotocols": [],
            },
        )

    async def open(self) -> dict:
        await self.send_input({"type": "websocket.connect"})
        accepted = await self.receive_output(TIMEOUT)
        assert accepted["type"] == "websocket.accept"
        return await self.next_of("ready")

    async def close_code(self) -> int:
        await self.send_input({"type": "websocket.connect"})
        assert (await self.receive_output(TIMEOUT))["type"] == "websocket.accept"
        closed = await self.receive_output(TIMEOUT)
        assert closed["type"] == "websocket.close"
        await self.send_input({"type": "websocket.disconnect", "code": closed["code"]})
        return closed["code"]

    async def send(self, data: dict) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive(self, timeout=TIMEOUT) -> dict:
        out = await self.receive_output(timeout)
        assert out["type"] == "websocket.send", out
        return json.loads(out["text"])

    async def next_of(self, kind: str, timeout=TIMEOUT) -> dict:
        """The next message of `kind`, skipping others (presence, pong …)."""
        while True:
            message = await self.receive(timeout)
            if message["type"] == kind:
                return message

    async def presence_of(self, user) -> dict:
        """The next presence change of `user` (one's own arrives too)."""
        while True:
            message = await self.next_of("presence")
            for change in message["changes"]:
                if change["user"] == str(user.pk):
                    return change

    async def close(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(TIMEOUT)


def cookie_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def team(owner):
    cashier = make_member(owner, role=Role.CASHIER, full_name="Awa")
    staff = make_member(owner, role=Role.STAFF, full_name="Hamid")
    services.channels_ensure(business=owner.business, actor=owner.user)
    channel = Conversation.objects.get(business=owner.business, kind=ConversationKind.BUSINESS)
    return owner, cashier, staff, channel


send = database_sync_to_async(services.message_send)


def test_strangers_and_members_without_chat_access_are_closed(team, other_owner):
    owner, cashier, _staff, _channel = team
    module_access_set(actor_membership=owner, membership=cashier, levels={"chat": "none"})
    no_access = cookie_of(cashier.user)

    async def scenario():
        assert await Socket(None).close_code() == 4401
        assert await Socket(no_access).close_code() == 4403

    async_to_sync(scenario)()


def test_a_message_reaches_the_other_members_and_not_other_businesses(team, other_owner):
    owner, cashier, staff, channel = team
    group = services.group_create(
        business=owner.business, actor=owner.user, title="Caisse", member_ids=[cashier.user.pk]
    )
    services.channels_ensure(business=other_owner.business, actor=other_owner.user)
    cookies = [cookie_of(m.user) for m in (cashier, staff, other_owner)]

    async def scenario():
        ws_cashier, ws_staff, ws_stranger = (Socket(c) for c in cookies)
        ready = await ws_cashier.open()
        assert {c["id"] for c in ready["conversations"]} >= {str(channel.pk), str(group.pk)}
        await ws_staff.open()
        stranger_ready = await ws_stranger.open()
        assert str(channel.pk) not in {c["id"] for c in stranger_ready["conversations"]}

        await send(conversation=channel, actor=owner.user, text="Bonjour à tous")
        for ws in (ws_cashier, ws_staff):
            got = await ws.next_of("message.new")
            assert got["message"]["text"] == "Bonjour à tous" and got["message"]["seq"] == 1
        await send(conversation=group, actor=owner.user, text="Caisse seulement")
        got = await ws_cashier.next_of("message.new")
        assert got["message"]["conversation"] == str(group.pk)
        # Neither the staff member outside the group nor the other business heard anything.
        for ws in (ws_staff, ws_stranger):
            while not await ws.receive_nothing(timeout=0.3):
                assert (await ws.receive())["type"] != "message.new"
        for ws in (ws_cashier, ws_staff, ws_stranger):
            await ws.close()

    async_to_sync(scenario)()


def test_a_new_conversation_is_joined_while_connected(team):
    owner, cashier, _staff, _channel = team
    cookie = cookie_of(cashier.user)

    async def scenario():
        ws = await _opened(cookie)
        group = await database_sync_to_async(services.group_create)(
            business=owner.business, actor=owner.user, title="Nouveau", member_ids=[cashier.user.pk]
        )
        joined = await ws.next_of("conversation.joined")
        assert joined["conversation"] == str(group.pk)
        await send(conversation=group, actor=owner.user, text="Bienvenue")
        assert (await ws.next_of("message.new"))["message"]["text"] == "Bienvenue"
        await ws.close()

    async def _opened(c):
        ws = Socket(c)
        await ws.open()
        return ws

    async_to_sync(scenario)()


def test_reconnecting_after_a_seq_gets_every_missed_message(team):
    owner, cashier, _staff, channel = team
    cookie = cookie_of(cashier.user)

    async def scenario():
        ws = Socket(cookie)
        await ws.open()
        await send(conversation=channel, actor=owner.user, text="one")
        last = (await ws.next_of("message.new"))["message"]["seq"]
        await ws.close()  # the socket drops …
        for text in ("two", "three", "four"):  # … while these are sent
            await send(conversation=channel, actor=owner.user, text=text)

        ws = Socket(cookie)
        ready = await ws.open()
        mine = next(c for c in ready["conversations"] if c["id"] == str(channel.pk))
        assert mine["last_seq"] == 4 and mine["unread"] == 4
        await ws.send({"type": "sync", "conversation": str(channel.pk), "after": last})
        missed = await ws.next_of("messages")
        assert [m["text"] for m in missed["messages"]] == ["two", "three", "four"]
        assert not missed["has_more"]
        await ws.send({"type": "sync", "conversation": "not-an-id", "after": 0})
        assert (await ws.next_of("error"))["code"] == "not_found"
        await ws.close()

    async_to_sync(scenario)()


def test_presence_follows_heartbeats_and_the_clock(team, monkeypatch):
    owner, cashier, _staff, _channel = team
    monkeypatch.setattr(consumers, "PRESENCE_EVERY_SECONDS", 0.05)
    start = clock.now()
    moment = {"now": start}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    cookies = cookie_of(owner.user), cookie_of(cashier.user)
    business_id = owner.business.pk

    def state(user):
        return presence.statuses(business_id=business_id, user_ids=[user.pk])[str(user.pk)]

    async def scenario():
        watcher, ws = Socket(cookies[0]), Socket(cookies[1])
        await watcher.open()
        await ws.open()
        assert (await watcher.presence_of(cashier.user))["status"] == "online"

        # No input for five minutes: the page says so in its heartbeat → idle.
        moment["now"] = start + datetime.timedelta(minutes=5, seconds=30)
        await ws.send({"type": "heartbeat", "active": False})
        assert (await ws.next_of("pong"))["type"] == "pong"
        assert (await watcher.presence_of(cashier.user))["status"] == "idle"
        # Input again → online.
        await ws.send({"type": "heartbeat", "active": True})
        assert (await watcher.presence_of(cashier.user))["status"] == "online"
        # The tab crashes: no goodbye, no heartbeat; 90 s later the person is offline.
        moment["now"] += datetime.timedelta(seconds=91)
        assert state(cashier.user)["status"] == "offline"
        assert state(cashier.user)["last_seen"] is not None
        # The page comes back: online again; a clean close is offline at once.
        await ws.send({"type": "heartbeat", "active": True})
        assert (await watcher.presence_of(cashier.user))["status"] == "online"
        await ws.close()
        assert (await watcher.presence_of(cashier.user))["status"] == "offline"
        await watcher.close()

    async_to_sync(scenario)()


def test_a_person_connected_twice_stays_online_until_both_are_gone(team, monkeypatch):
    """A web tab and the desktop app of one person: closing the tab leaves them online."""
    owner, cashier, _staff, _channel = team
    monkeypatch.setattr(consumers, "PRESENCE_EVERY_SECONDS", 0.05)
    start = clock.now()
    moment = {"now": start}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    cookies = cookie_of(owner.user), cookie_of(cashier.user)

    async def scenario():
        watcher, tab, desktop = Socket(cookies[0]), Socket(cookies[1]), Socket(cookies[1])
        await watcher.open()
        await tab.open()
        await desktop.open()
        # A socket's first beat is counted just after its "ready": a heartbeat answered
        # by each means both are counted before the tab goes (messages are handled in turn).
        for socket in (tab, desktop):
            await socket.send({"type": "heartbeat", "active": True})
            await socket.next_of("pong")
        assert (await watcher.presence_of(cashier.user))["status"] == "online"
        await tab.close()
        # The tab's goodbye is told to the others, and it says "still online".
        assert (await watcher.presence_of(cashier.user))["status"] == "online"
        state = presence.statuses(business_id=owner.business.pk, user_ids=[cashier.user.pk])
        assert state[str(cashier.user.pk)]["status"] == "online"
        # The desktop's heartbeats keep them online past the offline horizon …
        moment["now"] += datetime.timedelta(seconds=60)
        await desktop.send({"type": "heartbeat", "active": True})
        await desktop.next_of("pong")
        moment["now"] += datetime.timedelta(seconds=60)
        state = presence.statuses(business_id=owner.business.pk, user_ids=[cashier.user.pk])
        assert state[str(cashier.user.pk)]["status"] == "online"
        # … and closing the last socket is offline at once.
        await desktop.close()
        assert (await watcher.presence_of(cashier.user))["status"] == "offline"
        await watcher.close()

    async_to_sync(scenario)()


def test_two_sockets_beating_at_once_both_count(team, monkeypatch):
    """A heartbeat reads the person's entry and writes it back: two sockets beating at
    the same moment (a tab and the desktop opening together) must both be kept, or
    closing one makes the person offline while the other is open. The cache read is
    slowed so the two writes overlap every time."""
    owner, cashier, _staff, _channel = team
    business, user = owner.business.pk, cashier.user.pk
    real = presence.cache

    class SlowCache:
        """The cache, with reads of the entry slow enough for two writers to meet."""

        def __getattr__(self, name):
            return getattr(real, name)

        def get(self, key, *args, **kwargs):
            found = real.get(key, *args, **kwargs)
            if not key.endswith(":lock"):
                time.sleep(0.05)
            return found

    monkeypatch.setattr(presence, "cache", SlowCache())
    start = threading.Barrier(2)

    def beat(socket):
        start.wait()
        presence.heartbeat(business_id=business, user_id=user, active=True, socket=socket)

    threads = [threading.Thread(target=beat, args=(name,)) for name in ("tab", "desktop")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    presence.went_away(business_id=business, user_id=user, socket="tab")
    state = presence.statuses(business_id=business, user_ids=[user])
    assert state[str(user)]["status"] == "online"
    presence.went_away(business_id=business, user_id=user, socket="desktop")
    state = presence.statuses(business_id=business, user_ids=[user])
    assert state[str(user)]["status"] == "offline"


def test_presence_changes_of_a_second_go_out_as_one_frame(team, monkeypatch):
    """Many people connecting at once (a server restart) is one frame per socket, with the
    latest status of each, not one frame per person per socket."""
    owner, cashier, staff, _channel = team
    # a wider window than the server's second: opening sockets is slower on a busy machine
    monkeypatch.setattr(consumers, "PRESENCE_EVERY_SECONDS", 3.0)
    cookies = [cookie_of(m.user) for m in (owner, cashier, staff)]

    async def scenario():
        watcher = Socket(cookies[0])
        await watcher.open()
        await watcher.next_of("presence")  # the watcher's own arrival
        others = [Socket(c) for c in cookies[1:]]
        for ws in others:
            await ws.open()
        frame = await watcher.next_of("presence")
        assert {c["user"]: c["status"] for c in frame["changes"]} == {
            str(cashier.user.pk): "online",
            str(staff.user.pk): "online",
        }
        # one arrives and leaves within the second: only where they ended counts
        await others[0].close()
        again = Socket(cookies[1])
        await again.open()
        frame = await watcher.next_of("presence")
        assert [(c["user"], c["status"]) for c in frame["changes"]] == [
            (str(cashier.user.pk), "online")
        ]
        for ws in (again, others[1], watcher):
            await ws.close()

    async_to_sync(scenario)()


def test_typing_reaches_the_others_and_is_not_stored(team):
    owner, cashier, _staff, channel = team
    cookies = cookie_of(owner.user), cookie_of(cashier.user)

    async def scenario():
        a, b = Socket(cookies[0]), Socket(cookies[1])
        await a.open()
        await b.open()
        await a.send({"type": "typing", "conversation": str(channel.pk)})
        got = await b.next_of("typing")
        assert got["conversation"] == str(channel.pk) and got["user"]["id"] == str(owner.user.pk)
        await a.send({"type": "nonsense"})
        assert (await a.next_of("error"))["code"] == "unknown_type"
        await a.close()
        await b.close()

    async_to_sync(scenario)()
    assert not Message.objects.exists()


def test_a_socket_stops_hearing_a_group_it_left(team):
    owner, cashier, _staff, _channel = team
    group = services.group_create(
        business=owner.business, actor=owner.user, title="g", member_ids=[cashier.user.pk]
    )
    cookie = cookie_of(cashier.user)

    async def scenario():
        ws = Socket(cookie)
        await ws.open()
        await database_sync_to_async(services.group_leave)(conversation=group, actor=cashier.user)
        assert (await ws.next_of("conversation.left"))["conversation"] == str(group.pk)
        await send(conversation=group, actor=owner.user, text="after you left")
        while not await ws.receive_nothing(timeout=0.3):
            assert (await ws.receive())["type"] != "message.new"
        await ws.close()

    async_to_sync(scenario)()
