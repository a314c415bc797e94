"""Domain events, delivered after commit.

A service calls `emit("permission_request.decided", business=..., payload=...)`
inside its transaction; after commit the event goes to in-process subscribers
(notifications, webhooks) and to the business's channel group for open pages.
Payloads are round-tripped through JSON first so a bad event fails early.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
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


def emit(name: str, *, business, payload: dict[str, Any]) -> None:
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
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            group_name(event.business_id),
            {"type": "domain.event", "name": event.name, "payload": event.payload},
        )
    except Exception:
        log.exception("could not push event %s to channels", event.name)
