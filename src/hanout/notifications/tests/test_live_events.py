"""Open pages get the business's events over a WebSocket, and only their own business's."""

import json

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from hanout.accounts import services as accounts
from hanout.core.permissions import Level, Module, Role
from hanout.notifications.consumers import NotificationsConsumer
from tests.factories import make_business, make_member

pytestmark = pytest.mark.django_db(transaction=True)


class Socket(ApplicationCommunicator):
    """A browser's WebSocket, spoken in ASGI messages (channels.testing needs daphne)."""

    def __init__(self, user):
        scope = {
            "type": "websocket",
            "path": "/ws/notifications/",
            "headers": [],
            "user": user,
            "subprotocols": [],
        }
        super().__init__(NotificationsConsumer.as_asgi(), scope)

    async def connect(self):
        await self.send_input({"type": "websocket.connect"})
        reply = await self.receive_output(timeout=5)
        return reply["type"] == "websocket.accept", reply.get("code")

    async def receive_json_from(self, timeout=5):
        reply = await self.receive_output(timeout)
        assert reply["type"] == "websocket.send"
        return json.loads(reply["text"])

    async def disconnect(self):
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(timeout=1)


def connect(user):
    return Socket(user)


def test_a_decision_reaches_the_open_pages_of_that_business_only():
    owner = make_business("Live Shop")
    cashier = make_member(owner, role=Role.CASHIER)
    stranger = make_business("Other Shop")
    req = accounts.permission_request_create(
        membership=cashier, module=Module.STOCK, level=Level.READ
    )

    async def scenario():
        mine, theirs = connect(cashier.user), connect(stranger.user)
        assert (await mine.connect())[0] and (await theirs.connect())[0]
        await database_sync_to_async(accounts.permission_request_decide)(
            actor_membership=owner, request=req, accept=True
        )
        message = await mine.receive_json_from(timeout=5)
        assert message["event"] == "permission_request.decided"
        assert message["payload"] == {
            "id": str(req.pk),
            "status": "accepted",
            "membership": str(cashier.pk),
        }
        assert await theirs.receive_nothing(timeout=0.3)
        await mine.disconnect()
        await theirs.disconnect()

    async_to_sync(scenario)()


def test_an_anonymous_socket_is_refused():
    async def scenario():
        communicator = connect(AnonymousUser())
        connected, code = await communicator.connect()
        assert not connected and code == 4401

    async_to_sync(scenario)()


def test_mark_all_read_touches_only_the_current_business():
    from hanout.notifications.models import Notification
    from hanout.notifications.services import notifications_mark_read, notify

    a = make_business("Shop A")
    b = make_business("Shop B", owner=a.user)
    notify(business=a.business, recipient=a.user, kind="x", title="in A", email=False)
    notify(business=b.business, recipient=a.user, kind="x", title="in B", email=False)
    assert notifications_mark_read(recipient=a.user, business=a.business) == 1
    assert Notification.objects.get(title="in B").read_at is None
