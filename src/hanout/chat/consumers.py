"""The chat's WebSocket: `/ws/chat/` (protocol in docs/chat-protocol.md).

One socket per open page carries every conversation the person sees in the
current business (the session's business, as for the pages, or the token's):

- on connect the server sends `ready` with each conversation's `last_seq`
  and unread count; the client asks `sync` for anything after the last seq it
  holds, so a message pushed while it was away (or dropped by the channel
  layer) is fetched from the database, never lost;
- `message.new` / `message.updated` / `message.deleted` are pushed after the
  database has them (services push on commit);
- `heartbeat` keeps presence (online / idle / offline, in the cache);
- `typing` is relayed to the conversation's other sockets and never stored.

Writes (send, edit, delete, read marker) go through the REST API, which
answers with status codes and idempotency; the socket only listens, relays
typing and reports presence.

Signed in by the session cookie (pages) or an API token in the Authorization
header (the desktop app); see hanout.core.ws_auth.

Close codes: 4401 not signed in (or a bad token), 4403 no access to the Chat module.
"""

from __future__ import annotations

import asyncio
import json
import weakref

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from hanout.chat import presence, selectors
from hanout.chat.hub import hub_for

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
SYNC_BATCH = 100


def _cache(fn):
    """Run a presence function off the event loop (the cache may be Redis, which blocks)."""
    return sync_to_async(fn, thread_sensitive=False)


def presence_group(business_id) -> str:
    return f"chat-presence-{business_id}"


PRESENCE_EVERY_SECONDS = 1.0


class PresenceChanges:
    """Status changes made by this process's sockets, sent to each business once a second.

    Opening or closing a socket changes its person's status, and every socket
    of the business hears of it. Sent one by one, 1,000 people reconnecting
    after a restart would be 1,000 × 1,000 frames (the server then spends
    minutes on presence and the channel layer drops what overflows). Gathered
    for a second, it is one `presence` frame per socket carrying every change,
    the latest per person. Kept per event loop (one in a server process).
    """

    def __init__(self):
        self._by_loop: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def note(self, layer, business_id, status: dict) -> None:
        loop = asyncio.get_running_loop()
        pending = self._by_loop.setdefault(loop, {})
        business = str(business_id)
        if business not in pending:
            pending[business] = {}
            loop.call_later(
                PRESENCE_EVERY_SECONDS,
                lambda: loop.create_task(self._send(layer, business, pending)),
            )
        pending[business][status["user"]] = status

    async def _send(self, layer, business: str, pending: dict) -> None:
        changes = list(pending.pop(business, {}).values())
        if changes:
            frame = json.dumps({"type": "presence", "changes": changes})
            group = presence_group(business)
            await layer.group_send(group, {"type": "chat.presence", "group": group, "frame": frame})


_changes = PresenceChanges()


@database_sync_to_async
def _membership(user, scope):
    """The token's membership (core.ws_auth), or the session's current business's."""
    from hanout.core.middleware import SESSION_BUSINESS_KEY, resolve_membership
    from hanout.core.permissions import Level, Module

    if scope.get("auth") == "token":
        membership = scope.get("membership")
    else:
        session = scope.get("session")
        business_id = session.get(SESSION_BUSINESS_KEY) if session is not None else None
        membership = resolve_membership(user, business_id)
    if membership is None or not membership.allows(Module.CHAT, Level.READ):
        return None
    return membership


@database_sync_to_async
def _overview(business, user) -> list[dict]:
    return [
        {"id": str(c.pk), "kind": c.kind, "last_seq": c.last_seq, "unread": c.unread}
        for c in selectors.conversation_list(business=business, user=user)
    ]


@database_sync_to_async
def _visible(business, user, conversation_id) -> bool:
    return (
        selectors.conversation_list(business=business, user=user)
        .filter(pk=conversation_id)
        .exists()
    )


@database_sync_to_async
def _missed(business, user, conversation_id, after: int) -> dict | None:
    try:
        conversation = selectors.conversation_get(business=business, user=user, pk=conversation_id)
    except Exception:  # not visible, or not an id: the same answer
        return None
    page = selectors.message_history(conversation=conversation, after=after, size=SYNC_BATCH)
    return {
        "type": "messages",
        "conversation": str(conversation.pk),
        "messages": [selectors.message_data(m) for m in page.items],
        "has_more": page.has_more,
    }


class ChatConsumer(AsyncJsonWebsocketConsumer):
    membership = None

    async def dispatch(self, message):
        """As Channels' dispatch, without its database clean-up before every message.

        Channels closes stale database connections before each message through
        a hop to the one sync thread. Every database call here goes through
        `database_sync_to_async`, which does that itself, and a push (a
        thousand of them for one message to a 1,000-member conversation)
        touches no database: the hops only queued the pushes behind each other.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        # Accept first, then close with a code the page understands (no retry on 44xx).
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        membership = await _membership(user, self.scope)
        if membership is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.membership = membership
        self.user = user
        self.business = membership.business
        self.joined: set[str] = set()
        # Join first, read second: a message committed in between is in the
        # overview's last_seq or pushed (or both; the client drops repeats by seq).
        self.hub = hub_for(self.channel_layer)
        await self.hub.add(presence_group(self.business.pk), self)
        await self.channel_layer.group_add(
            selectors.user_group_name(self.business.pk, user.pk), self.channel_name
        )
        overview = await _overview(self.business, user)
        for c in overview:
            await self._join(c["id"])
        await self.send_json(
            {
                "type": "ready",
                "user": str(user.pk),
                "business": str(self.business.pk),
                "heartbeat_seconds": presence.HEARTBEAT_SECONDS,
                "conversations": overview,
            }
        )
        await self._heartbeat(active=True)

    async def disconnect(self, code):
        if self.membership is None:
            return
        await _cache(presence.went_away)(
            business_id=self.business.pk, user_id=self.user.pk, socket=self.channel_name
        )
        _changes.note(self.channel_layer, self.business.pk, await self._presence())
        await self.channel_layer.group_discard(
            selectors.user_group_name(self.business.pk, self.user.pk), self.channel_name
        )
        for group in [presence_group(self.business.pk), *map(selectors.group_name, self.joined)]:
            await self.hub.discard(group, self)

    async def _presence(self) -> dict:
        found = await _cache(presence.statuses)(
            business_id=self.business.pk, user_ids=[self.user.pk]
        )
        return found[str(self.user.pk)]

    async def _join(self, conversation_id: str) -> None:
        if conversation_id not in self.joined:
            self.joined.add(conversation_id)
            await self.hub.add(selectors.group_name(conversation_id), self)

    # --- from the client -----------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data:  # binary frames mean nothing here
            await self.receive_json(await self.decode_json(text_data), **kwargs)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        if self.membership is None:
            return
        if not isinstance(content, dict):
            await self._error("invalid", _("Send JSON objects with a type."))
            return
        kind = content.get("type")
        if kind == "heartbeat":
            await self._heartbeat(active=bool(content.get("active", True)))
            await self.send_json({"type": "pong"})
        elif kind == "sync":
            await self._catch_up(content)
        elif kind == "typing":
            await self._typing(content)
        else:
            await self._error("unknown_type", _("Unknown message type."))

    async def _heartbeat(self, *, active: bool) -> None:
        before = (await self._presence())["status"]
        now = await _cache(presence.heartbeat)(
            business_id=self.business.pk,
            user_id=self.user.pk,
            active=active,
            socket=self.channel_name,
        )
        if now["status"] != before:
            _changes.note(self.channel_layer, self.business.pk, now)

    async def _catch_up(self, content: dict) -> None:
        after = content.get("after", 0)
        conversation_id = str(content.get("conversation", ""))
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            await self._error("invalid", _("after: a message number (0 or more)."))
            return
        answer = await _missed(self.business, self.user, conversation_id, after)
        if answer is None:
            await self._error("not_found", _("This conversation does not exist."))
            return
        await self._join(answer["conversation"])
        await self.send_json(answer)

    async def _typing(self, content: dict) -> None:
        conversation_id = str(content.get("conversation", ""))
        if conversation_id not in self.joined and not await _visible(
            self.business, self.user, conversation_id
        ):
            await self._error("not_found", _("This conversation does not exist."))
            return
        group = selectors.group_name(conversation_id)
        await self.channel_layer.group_send(
            group,
            {
                "type": "chat.typing",
                "group": group,
                "data": {
                    "conversation": conversation_id,
                    "user": {
                        "id": str(self.user.pk),
                        "name": self.user.full_name or self.user.email,
                    },
                },
            },
        )

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    # --- from the channel layer ----------------------------------------------------------

    async def deliver(self, message):
        """A message the process's hub received for a group this socket is in."""
        await getattr(self, get_handler_name(message))(message)

    async def chat_event(self, message):
        """Pushed by the services after commit, with the frame already encoded."""
        event, data = message["event"], message.get("data")
        if event == "conversation.joined":
            await self._join(data["conversation"])
        elif event == "conversation.left":
            self.joined.discard(data["conversation"])
            await self.hub.discard(selectors.group_name(data["conversation"]), self)
        await self.send(text_data=message["frame"])

    async def chat_typing(self, message):
        if message["data"]["user"]["id"] != str(self.user.pk):
            await self.send_json({"type": "typing", **message["data"]})

    async def chat_presence(self, message):
        await self.send(text_data=message["frame"])
