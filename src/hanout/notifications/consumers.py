"""Live events for an open page: the business's domain events, pushed as JSON."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hanout.core.events import group_name


@database_sync_to_async
def _business_ids(user) -> list[str]:
    from hanout.accounts.selectors import active_memberships_for_user

    return [str(m.business_id) for m in active_memberships_for_user(user=user)]


class NotificationsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        if self.scope.get("auth") == "token":  # a token speaks for its one business
            business_ids = [str(self.scope["membership"].business_id)]
        else:
            business_ids = await _business_ids(user)
        self.groups_joined = [group_name(b) for b in business_ids]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def domain_event(self, message):
        await self.send_json({"event": message["name"], "payload": message["payload"]})
