"""The register's WebSocket `/ws/register/<id>/` through the real ASGI stack (session
cookie, origin check): who may listen, events pushed after commit, and the state
sent on (re)connect so a register learns what it missed."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.test import Client

from hanout.accounts.services import module_access_set
from hanout.core.permissions import Role
from hanout.pos import services_payments as services
from hanout.pos.tests.payments_support import make_link, make_register, pay
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5


class WebsocketCommunicator(ApplicationCommunicator):
    """A WebSocket client for an ASGI app in the same process. (channels.testing has
    one, but importing it needs daphne, which Hanout does not install.)"""

    def __init__(self, application, path: str, headers: list):
        super().__init__(
            application,
            {
                "type": "websocket",
                "path": path,
                "query_string": b"",
                "headers": headers,
                "subprotocols": [],
            },
        )

    async def connect(self, timeout=TIMEOUT):
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, None

    async def send_to(self, text_data: str):
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data):
        await self.send_to(json.dumps(data))

    async def receive_json_from(self, timeout=TIMEOUT):
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code=1000, timeout=TIMEOUT):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def socket(register, cookie: str | None) -> WebsocketCommunicator:
    from hanout.asgi import application

    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/register/{register.pk}/", headers=headers)


async def closed_with(ws) -> int:
    connected, _ = await ws.connect(timeout=TIMEOUT)
    assert connected
    message = await ws.receive_output(timeout=TIMEOUT)
    assert message["type"] == "websocket.close"
    await ws.disconnect(code=message["code"])  # the client's side of the close
    return message["code"]


async def opened(ws) -> dict:
    connected, _ = await ws.connect(timeout=TIMEOUT)
    assert connected
    first = await ws.receive_json_from(timeout=TIMEOUT)
    assert first["type"] == "sync"
    return first


def test_strangers_and_other_businesses_cannot_listen(owner, other_owner):
    till = make_register(owner)
    outsider = other_owner.user
    no_access = make_member(owner, role=Role.STAFF)
    module_access_set(actor_membership=owner, membership=no_access, levels={"register": "none"})

    cookies = [session_cookie(outsider), session_cookie(no_access.user)]

    async def scenario():
        assert await closed_with(socket(till, None)) == 4401
        for cookie in cookies:
            assert await closed_with(socket(till, cookie)) == 4403

    async_to_sync(scenario)()


def test_read_access_is_enough_to_listen(owner):
    till = make_register(owner)
    reader = make_member(owner, role=Role.STAFF)
    module_access_set(actor_membership=owner, membership=reader, levels={"register": "read"})
    cookie = session_cookie(reader.user)

    async def scenario():
        ws = socket(till, cookie)
        state = await opened(ws)
        assert state == {"type": "sync", "links": []}
        await ws.disconnect()

    async_to_sync(scenario)()


def test_the_register_hears_the_payment_the_moment_it_is_confirmed(owner):
    till = make_register(owner)
    other_till = make_register(owner, "Caisse 2")
    cashier = make_member(owner, role=Role.CASHIER)
    cookie = session_cookie(cashier.user)
    link = make_link(till, owner.user)
    other_link = make_link(other_till, owner.user)

    async def scenario():
        ws = socket(till, cookie)
        state = await opened(ws)
        assert [s["link"] for s in state["links"]] == [str(link.pk)]
        assert state["links"][0]["status"] == "pending"

        await database_sync_to_async(pay)(other_link)  # another register's payment
        await database_sync_to_async(pay)(link)
        message = await ws.receive_json_from(timeout=TIMEOUT)
        assert message["type"] == "payment.confirmed"
        assert message["link"] == str(link.pk)
        assert message["amount"] == "9.00"
        assert message["sale_client_uuid"] == str(link.sale_client_uuid)
        assert message["status"] == "paid" and message["paid_at"]
        assert await ws.receive_nothing(timeout=0.2)  # nothing about the other register

        await database_sync_to_async(services.payment_link_cancel)(
            link=await database_sync_to_async(make_link)(till, owner.user, "2.00"),
            actor=owner.user,
        )
        message = await ws.receive_json_from(timeout=TIMEOUT)
        assert message["type"] == "payment.cancelled" and message["amount"] == "2.00"
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_register_that_reconnects_learns_what_it_missed(owner):
    till = make_register(owner)
    cookie = session_cookie(owner.user)
    link = make_link(till, owner.user)

    async def scenario():
        ws = socket(till, cookie)
        await opened(ws)
        await ws.disconnect()  # the network drops …

        await database_sync_to_async(pay)(link)  # … while the customer pays

        ws = socket(till, cookie)
        state = await opened(ws)
        assert state["links"][0]["link"] == str(link.pk)
        assert state["links"][0]["status"] == "paid"

        # The page may also ask at any time.
        await ws.send_json_to({"type": "sync"})
        again = await ws.receive_json_from(timeout=TIMEOUT)
        assert again == state
        # Garbage and unknown messages are ignored, the socket stays open.
        await ws.send_to(text_data="not json")
        await ws.send_json_to({"type": "shout"})
        assert await ws.receive_nothing(timeout=0.2)
        await ws.disconnect()

    async_to_sync(scenario)()


def test_an_unknown_register_is_refused(owner):
    till = make_register(owner)
    cookie = session_cookie(owner.user)
    till.pk = "00000000-0000-7000-8000-000000000000"

    async def scenario():
        assert await closed_with(socket(till, cookie)) == 4403

    async_to_sync(scenario)()
