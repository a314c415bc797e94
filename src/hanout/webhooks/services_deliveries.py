"""Sending webhooks: a delivery per (event, endpoint), attempts, retries, replays.

An event of a business (core.events, after commit) becomes one delivery per
active endpoint of *that* business subscribed to it; each delivery is sent by a
job (tasks.deliver). An attempt first *claims* the delivery with one UPDATE
(pending, due, attempts left → attempt_count + 1 and a lease), so the job, the
every-minute sweep and a second worker can never send the same attempt twice.
The HTTP request runs outside any transaction; its result is then recorded:
2xx is delivered, anything else waits for the next retry (1 min, 5 min, 30 min,
2 h, 12 h), and after the last one the delivery has failed.

A replay and a test event (`ping`) are new deliveries sent once.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hanout.core import audit, clock
from hanout.core.errors import Conflict
from hanout.core.events import Event
from hanout.core.ids import uuid7
from hanout.core.models import Business
from hanout.webhooks import guard, signing
from hanout.webhooks.models import (
    PING,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

log = logging.getLogger(__name__)

RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
USER_AGENT = "Hanout-Webhooks/1"


def _body(
    *, event_id: uuid.UUID, event: str, created_at: datetime, business_id, data: dict[str, Any]
) -> str:
    return json.dumps(
        {
            "id": str(event_id),
            "event": event,
            "created_at": created_at.isoformat(),
            "business": str(business_id),
            "data": data,
        },
        default=str,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _enqueue_after_commit(deliveries: list[WebhookDelivery]) -> None:
    from hanout.webhooks import tasks

    ids = [str(d.pk) for d in deliveries]
    transaction.on_commit(lambda: [tasks.deliver(pk) for pk in ids])


def _new_delivery(
    *,
    endpoint: WebhookEndpoint,
    event: str,
    event_id: uuid.UUID,
    body: str,
    max_attempts: int,
    replay_of: WebhookDelivery | None = None,
) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        business_id=endpoint.business_id,
        endpoint=endpoint,
        event=event,
        event_id=event_id,
        body=body,
        max_attempts=max_attempts,
        next_attempt_at=clock.now(),
        replay_of=replay_of,
    )


@transaction.atomic
def deliveries_for_event(*, event: Event) -> list[WebhookDelivery]:
    """One delivery per active endpoint of the event's business that chose this event."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(business_id=event.business_id, is_active=True)
        if event.name in (e.events or [])
    ]
    if not endpoints:
        return []
    event_id, now = uuid7(), clock.now()
    body = _body(
        event_id=event_id,
        event=event.name,
        created_at=now,
        business_id=event.business_id,
        data=event.payload,
    )
    deliveries = [
        _new_delivery(
            endpoint=e, event=event.name, event_id=event_id, body=body, max_attempts=MAX_ATTEMPTS
        )
        for e in endpoints
    ]
    _enqueue_after_commit(deliveries)
    return deliveries


def _refuse_inactive(endpoint: WebhookEndpoint) -> None:
    if not endpoint.is_active:
        raise Conflict(
            _("This endpoint is switched off: switch it on before sending to it."),
            code="endpoint_inactive",
        )


@transaction.atomic
def endpoint_send_test(*, endpoint: WebhookEndpoint, actor) -> WebhookDelivery:
    """Queue a `ping` event to this active endpoint, sent once."""
    endpoint = WebhookEndpoint.objects.select_related("business").get(
        pk=endpoint.pk, business_id=endpoint.business_id
    )
    _refuse_inactive(endpoint)
    event_id, now = uuid7(), clock.now()
    business: Business = endpoint.business
    body = _body(
        event_id=event_id,
        event=PING,
        created_at=now,
        business_id=business.pk,
        data={"endpoint": str(endpoint.pk), "message": "Hello from Hanout"},
    )
    delivery = _new_delivery(
        endpoint=endpoint, event=PING, event_id=event_id, body=body, max_attempts=1
    )
    audit.record(business=business, actor=actor, action="webhook.test", obj=endpoint)
    _enqueue_after_commit([delivery])
    return delivery


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send the same event again as a new delivery marked `replay_of`, once.

    The body (event id included) is the original's, so a receiver that
    de-duplicates on the event id sees it is the same event."""
    original = WebhookDelivery.objects.select_related("endpoint", "business").get(
        pk=delivery.pk, business_id=delivery.business_id
    )
    _refuse_inactive(original.endpoint)
    replay = _new_delivery(
        endpoint=original.endpoint,
        event=original.event,
        event_id=original.event_id,
        body=original.body,
        max_attempts=1,
        replay_of=original,
    )
    audit.record(
        business=original.business,
        actor=actor,
        action="webhook.replay",
        obj=replay,
        object_repr=f"{original.event} → {original.endpoint.url}"[:200],
        changes={"replay_of": [None, str(original.pk)]},
    )
    _enqueue_after_commit([replay])
    return replay


def _claim(pk, now: datetime) -> bool:
    """Take the next attempt of a due delivery; False when it is not ours to send."""
    lease = now + timedelta(seconds=guard.timeout() + 60)  # the sweep leaves it alone meanwhile
    return bool(
        WebhookDelivery.objects.filter(
            pk=pk,
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            attempt_count__lt=F("max_attempts"),
        ).update(attempt_count=F("attempt_count") + 1, next_attempt_at=lease)
    )


def _headers(delivery: WebhookDelivery, secret: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Hanout-Event": delivery.event,
        "Hanout-Delivery": str(delivery.pk),
        "Hanout-Timestamp": str(timestamp),
        "Hanout-Signature": signing.signature(secret, timestamp, delivery.body.encode()),
    }


def delivery_attempt(*, delivery_id) -> WebhookDelivery | None:
    """Make the next attempt of one delivery if it is due; None when there was nothing to do."""
    now = clock.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    headers: dict[str, str] = {}
    give_up = False
    if not endpoint.is_active:  # switched off since it was queued: never called
        result = guard.Response(None, 0, "", "The endpoint is inactive: not sent.")
        give_up = True  # no retries for a switched-off endpoint
    else:
        try:
            secret = signing.decrypt_secret(endpoint.secret_encrypted)
        except ValueError as exc:
            result = guard.Response(None, 0, "", str(exc))
        else:
            headers = _headers(delivery, secret, int(now.timestamp()))
            result = guard.post(endpoint.url, delivery.body.encode(), headers)
    return _record(delivery=delivery, headers=headers, result=result, give_up=give_up)


@transaction.atomic
def _record(
    *,
    delivery: WebhookDelivery,
    headers: dict[str, str],
    result: guard.Response,
    give_up: bool = False,
) -> WebhookDelivery:
    """Log the attempt and decide: delivered, retry later, or failed for good."""
    number = delivery.attempt_count  # already counted by the claim
    ok = result.status_code is not None and 200 <= result.status_code < 300
    WebhookAttempt.objects.create(
        business_id=delivery.business_id,
        delivery=delivery,
        number=number,
        request_headers=headers,
        status_code=result.status_code,
        response_ms=result.elapsed_ms,
        response_body=result.body,
        error=result.error[:500],
        succeeded=ok,
    )
    finished = clock.now()
    delivery.last_status_code = result.status_code
    delivery.last_response_ms = result.elapsed_ms
    delivery.last_error = (result.error or ("" if ok else f"HTTP {result.status_code}"))[:500]
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.SUCCEEDED,
            finished,
            None,
        )
    elif give_up or number >= delivery.max_attempts:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = finished + RETRY_DELAYS[min(number, len(RETRY_DELAYS)) - 1]
    delivery.save(
        update_fields=[
            "status",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_response_ms",
            "last_error",
            "updated_at",
        ]
    )
    if not ok:
        log.info("webhook %s attempt %s failed: %s", delivery.pk, number, delivery.last_error)
    return delivery


def deliveries_send_due(*, limit: int = 200) -> int:
    """Queue every pending delivery whose next attempt is due (the every-minute sweep).

    A delivery whose last allowed attempt was claimed but never recorded (the
    worker died mid-request) is past its lease with no attempt left: it fails here."""
    from hanout.webhooks import tasks

    WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=clock.now(),
        attempt_count__gte=F("max_attempts"),
    ).update(
        status=DeliveryStatus.FAILED,
        next_attempt_at=None,
        last_error=_("The last attempt was interrupted."),
    )
    ids = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=clock.now()
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        tasks.deliver(str(pk))
    return len(ids)
