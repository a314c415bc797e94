"""WebSocket of one register: `/ws/register/<register_id>/`.

The register's page learns here, without polling, that the customer paid on
their phone (or that the link was cancelled or expired). Messages are JSON:

    {"type": "payment.confirmed" | "payment.cancelled" | "payment.expired",
     "link": id, "register": id, "session": id, "status": ..., "amount": "9.00",
     "currency": "EUR", "sale_client_uuid": ..., "expires_at": ..., "paid_at": ...}

On connect, and whenever the page sends {"type": "sync"}, the consumer answers
{"type": "sync", "links": [<the same fields, without "type">, ...]}: the recent
links of the register's open session, newest first. A group message can miss a
connection that just joined (channels#1244); the state read from the database
after joining cannot, so a register that reconnects always learns what it missed.

Only a signed-in, active member of the register's business with at least read
access to the Register module may listen; anyone else is closed with code 4403
(4401 when not signed in).
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hanout.pos.services_payments import links_for_sync, register_group

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


@database_sync_to_async
def _may_listen(user, register_id, token_membership=None) -> bool:
    from hanout.accounts.models import Membership
    from hanout.core.permissions import Level, Module
    from hanout.pos.models import Register

    register = (
        Register.objects.filter(pk=register_id, business__is_active=True)
        .only("pk", "business_id")
        .first()
    )
    if register is None:
        return False
    if token_membership is not None:  # a token speaks for its one business
        return token_membership.business_id == register.business_id and (
            token_membership.allows(Module.REGISTER, Level.READ)
        )
    membership = (
        Membership.objects.filter(user=user, business_id=register.business_id, is_active=True)
        .prefetch_related("module_access")
        .first()
    )
    return membership is not None and membership.allows(Module.REGISTER, Level.READ)


@database_sync_to_async
def _sync_state(register_id) -> list[dict]:
    return links_for_sync(register_id=register_id)


class RegisterConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self):
        # Accept first, then close with a code: a refused handshake reaches the browser
        # as 1006 with no reason, a close code tells the page not to retry.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        register_id = self.scope["url_route"]["kwargs"]["register_id"]
        if not await _may_listen(user, register_id, self.scope.get("membership")):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.register_id = register_id
        self.group = register_group(register_id)
        # Join before reading the state: an event committed in between is then
        # either in the state or delivered (or both; the page ignores repeats).
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_sync()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data:  # binary frames mean nothing here
            await self.receive_json(await self.decode_json(text_data), **kwargs)

    async def receive_json(self, content, **kwargs):
        if self.group and isinstance(content, dict) and content.get("type") == "sync":
            await self.send_sync()

    async def send_sync(self):
        await self.send_json({"type": "sync", "links": await _sync_state(self.register_id)})

    async def payment_event(self, message):
        """Group message from services_payments: forward the payload as it is."""
        await self.send_json(message["data"])

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None
