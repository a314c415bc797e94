"""WebSockets signed in with an API token (the desktop app) instead of a session cookie.

Through the real ASGI application: a token opens the chat, the notifications and
the register sockets for its one business only; a bad, revoked or malformed
token is closed with 4401; a session socket still needs an allowed Origin.
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import Client

from hanout.accounts import services as accounts
from hanout.accounts.models import ApiToken
from hanout.accounts.services import module_access_set
from hanout.chat import services as chat
from hanout.chat.models import Conversation, ConversationKind
from hanout.core import events
from hanout.core.permissions import Role
from hanout.pos.tests.factories import make_register
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5


class Socket(ApplicationCommunicator):
    def __init__(self, path: str, headers: list[tuple[bytes, bytes]]):
        from hanout.asgi import application

        super().__init__(
            application,
            {
                "type": "websocket",
                "path": path,
                "query_string": b"",
                "headers": [(b"host", b"localhost"), *headers],
                "subprotocols": [],
            },
        )

    async def connect(self) -> dict:
        await self.send_input({"type": "websocket.connect"})
        return await self.receive_output(TIMEOUT)

    async def close_code(self) -> int:
        """The close code, whether refused at the handshake or accepted then closed."""
        closed = await self.connect()
        if closed["type"] == "websocket.accept":
            closed = await self.receive_output(TIMEOUT)
        assert closed["type"] == "websocket.close", closed
        await self.send_input({"type": "websocket.disconnect", "code": closed["code"]})
        return closed["code"]

    async def receive(self) -> dict:
        out = await self.receive_output(TIMEOUT)
        assert out["type"] == "websocket.send", out
        return json.loads(out["text"])

    async def next_of(self, kind: str) -> dict:
        while True:
            message = await self.receive()
            if message.get("type", message.get("event")) == kind:
                return message

    async def close(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(TIMEOUT)


def also_in(owner, member, role) -> None:
    """`member`'s person joins `owner`'s business too."""
    accounts.employee_create(
        actor_membership=owner,
        email=member.user.email,
        full_name=member.user.full_name,
        role=role,
        send_invitation=False,
    )


def bearer(raw: str, keyword: str = "Token") -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"{keyword} {raw}".encode())]


def test_a_token_opens_the_chat_of_its_own_business_only(owner, other_owner):
    # one person in two businesses, with a token for the first
    cashier = make_member(owner, role=Role.CASHIER, full_name="Awa")
    also_in(other_owner, cashier, Role.STAFF)
    chat.channels_ensure(business=owner.business, actor=owner.user)
    chat.channels_ensure(business=other_owner.business, actor=other_owner.user)
    ours = Conversation.objects.get(business=owner.business, kind=ConversationKind.BUSINESS)
    theirs = Conversation.objects.get(business=other_owner.business, kind=ConversationKind.BUSINESS)
    token, raw = accounts.api_token_create(membership=cashier, name="desktop")

    async def scenario():
        # no Origin header at all: a desktop client is not a page
        ws = Socket("/ws/chat/", bearer(raw, "Bearer"))
        assert (await ws.connect())["type"] == "websocket.accept"
        ready = await ws.next_of("ready")
        assert ready["business"] == str(owner.business.pk)
        seen = {c["id"] for c in ready["conversations"]}
        assert str(ours.pk) in seen and str(theirs.pk) not in seen
        await database_sync_to_async(chat.message_send)(
            conversation=ours, actor=owner.user, text="Bonjour"
        )
        got = await ws.next_of("message.new")
        assert got["message"]["text"] == "Bonjour"
        await ws.close()

    async_to_sync(scenario)()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bad_revoked_and_malformed_tokens_are_closed_4401(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    token, raw = accounts.api_token_create(membership=cashier, name="desktop")
    _other, raw_other = accounts.api_token_create(membership=cashier, name="old")
    accounts.api_token_revoke(membership=cashier, token=_other)
    no_chat = make_member(owner, role=Role.STAFF)
    module_access_set(actor_membership=owner, membership=no_chat, levels={"chat": "none"})
    _t, raw_no_chat = accounts.api_token_create(membership=no_chat, name="desktop")

    async def scenario():
        for headers in (
            bearer(raw_other),  # revoked
            bearer(raw + "x"),  # unknown
            bearer("hnt_"),
            [(b"authorization", b"Token")],  # malformed
            [(b"authorization", raw.encode())],  # no keyword
            [(b"authorization", f"Basic {raw}".encode())],
        ):
            assert await Socket("/ws/chat/", headers).close_code() == 4401, headers
            assert await Socket("/ws/notifications/", headers).close_code() == 4401
        assert await Socket("/ws/chat/", bearer(raw_no_chat)).close_code() == 4403

    async_to_sync(scenario)()
    # a deactivated employee's tokens stop working at once (and are revoked)
    accounts.employee_set_active(actor_membership=owner, membership=cashier, active=False)

    async def after():
        assert await Socket("/ws/chat/", bearer(raw)).close_code() == 4401

    async_to_sync(after)()
    assert not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).exists()


def test_a_session_socket_still_needs_an_allowed_origin(owner):
    client = Client()
    client.force_login(owner.user)
    cookie = [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]

    async def scenario():
        evil = Socket("/ws/chat/", [(b"origin", b"https://evil.example"), *cookie])
        assert (await evil.connect())["type"] == "websocket.close"  # refused at the handshake
        bare = Socket("/ws/chat/", cookie)  # no Origin and no token
        assert (await bare.connect())["type"] == "websocket.close"
        page = Socket("/ws/chat/", [(b"origin", b"http://localhost"), *cookie])
        assert (await page.connect())["type"] == "websocket.accept"
        assert (await page.next_of("ready"))["business"] == str(owner.business.pk)
        await page.close()

    async_to_sync(scenario)()


def test_notifications_and_register_sockets_follow_the_tokens_business(owner, other_owner):
    manager = make_member(owner, role=Role.MANAGER)
    also_in(other_owner, manager, Role.MANAGER)
    _t, raw = accounts.api_token_create(membership=manager, name="desktop")
    ours = make_register(owner, "Caisse A")
    theirs = make_register(other_owner, "Caisse B")

    async def scenario():
        ws = Socket("/ws/notifications/", bearer(raw))
        assert (await ws.connect())["type"] == "websocket.accept"
        layer = get_channel_layer()
        for business, name in ((other_owner.business, "b.only"), (owner.business, "a.only")):
            await layer.group_send(
                events.group_name(business.pk),
                {"type": "domain.event", "name": name, "payload": {}},
            )
        # business B's event never arrives: the first one through is A's
        assert (await ws.receive())["event"] == "a.only"
        await ws.close()
        assert await Socket(f"/ws/register/{theirs.pk}/", bearer(raw)).close_code() == 4403
        mine = Socket(f"/ws/register/{ours.pk}/", bearer(raw))
        assert (await mine.connect())["type"] == "websocket.accept"
        await mine.close()

    async_to_sync(scenario)()
