"""Domain events, delivered after commit.

A service calls `emit("permission_request.decided", business=..., payload=...)`
inside its transaction; after commit the event goes to in-process subscribers
(notifications, webhooks) and to the business's channel group for open pages.
Payloads are round-tripped through JSON first so a bad event fails early.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    business_id: str
    payload: dict[str, Any] = field(default_factory=dict)


_subscribers: dict[str, list[Callable[[Event], None]]] = defaultdict(list)


def subscribe(name: str):
    """Decorator: call the function with every `name` event after commit."""

    def register(fn):
        _subscribers[name].append(fn)
        return fn

    return register


def group_name(business_id) -> str:
    return f"business-{business_id}"


_quiet: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "hanout_quiet_events", default=frozenset()
)


@contextlib.contextmanager
def quiet(*names: str) -> Iterator[None]:
    """Drop the `names` events emitted inside the block (a simulated past, such as the
    demo's year of register days, must not alert anyone about days long gone)."""
    token = _quiet.set(_quiet.get() | frozenset(names))
    try:
        yield
    finally:
        _quiet.reset(token)


def emit(name: str, *, business, payload: dict[str, Any]) -> None:
    if name in _quiet.get():
        return
    payload = json.loads(json.dumps(payload, default=str))
    event = Event(name=name, business_id=str(business.pk), payload=payload)
    transaction.on_commit(lambda: _dispatch(event))


def _dispatch(event: Event) -> None:
    for fn in _subscribers.get(event.name, []):
        try:
            fn(event)
        except Exception:  # one failing subscriber must not stop the others
            log.exception("event subscriber %s failed for %s", fn, event.name)
    _push_to_channels(event)


def _push_to_channels(event: Event) -> None:
    push(
        group_name(event.business_id),
        {"type": "domain.event", "name": event.name, "payload": event.payload},
    )


# --- pushing to the channel layer ------------------------------------------------------------
#
# The events are already committed (persist first, push second): pushing them to
# open pages must not hold the request that made them. Under the server
# (hanout.core.asgi binds its event loop here) a push is handed to that loop and
# the request thread goes on at once; one task per process sends the queued
# messages in order. That loop is also where the in-memory channel layer lives
# (its queues belong to one loop), so open pages of this process hear them.
# Without a server loop (jobs, management commands, tests) a push is sent on the
# spot and waited for, as before.

_loop: asyncio.AbstractEventLoop | None = None
_pending: deque = deque()
_drainer: asyncio.Task | None = None


def bind_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by the HTTP handler on the server's event loop: push through it from now on."""
    global _loop
    _loop = loop


def push(group: str, message: dict) -> None:
    """Send `message` to a channel group without making the caller wait for it."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    loop = _loop
    if loop is not None and loop.is_running():
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            _enqueue(layer, group, message)
            return
        try:
            loop.call_soon_threadsafe(_enqueue, layer, group, message)
            return
        except RuntimeError:  # the loop closed meanwhile: send it here
            pass
    from asgiref.sync import async_to_sync

    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        log.exception("could not push %s to channels", message.get("type"))


def _enqueue(layer, group: str, message: dict) -> None:
    """On the loop: queue the message and make sure the sending task runs."""
    global _drainer
    _pending.append((layer, group, message))
    if _drainer is None or _drainer.done():
        _drainer = asyncio.get_running_loop().create_task(_drain())


async def _drain() -> None:
    while _pending:
        layer, group, message = _pending.popleft()
        try:
            await layer.group_send(group, message)
        except Exception:
            log.exception("could not push %s to channels", message.get("type"))


async def drained() -> None:
    """Wait until every queued push is sent (tests, shutdown)."""
    while _pending or (_drainer is not None and not _drainer.done()):
        await asyncio.sleep(0)
