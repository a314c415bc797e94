"""Idempotent writes: the same client key twice changes nothing.

    with transaction.atomic():
        first = idempotency.claim(business=b, key=k, scope="stock.move", payload=data)
        if first is not None:
            return load(first)            # the first request's result id
        result = do_the_work()
        idempotency.remember(business=b, key=k, result_id=result.pk)

`claim` must run inside the caller's transaction: the key is inserted first,
so a concurrent request with the same key waits on the unique index (on
PostgreSQL) or on the write lock (SQLite) and then sees the first one's result.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hanout.core.errors import Conflict, ValidationFailed
from hanout.core.models import IdempotencyKey


def fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(*, business, key, scope: str, payload: Any) -> str | None:
    """Reserve `key` for this request; return the earlier result id if it was used.

    Raises Conflict when the key was used for another request (different scope
    or payload).
    """
    if key is None:
        return None
    fp = fingerprint(payload)
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(business=business, key=key, scope=scope, fingerprint=fp)
        return None
    except IntegrityError:
        pass
    existing = IdempotencyKey.objects.get(business=business, key=key)
    if existing.scope != scope or existing.fingerprint != fp:
        raise Conflict(
            _("This request key was already used for a different request."),
            code="idempotency_conflict",
            fields={"client_uuid": [_("Already used with other data.")]},
        )
    return existing.result_id


def remember(*, business, key, result_id) -> None:
    if key is None:
        return
    IdempotencyKey.objects.filter(business=business, key=key).update(result_id=str(result_id))


HEADER = "Idempotency-Key"


def key_from(*, header: str | None, body: uuid.UUID | None) -> uuid.UUID | None:
    """The request's key: the body's `client_uuid`, or else the standard `Idempotency-Key`
    HTTP header (a UUID too). Both sent and different, or a header that is not a UUID, is
    bad input naming the header."""
    if header is None or not str(header).strip():
        return body
    try:
        from_header = uuid.UUID(str(header).strip())
    except ValueError:
        message = _("The Idempotency-Key header must be a UUID, such as %(example)s.") % {
            "example": "0b7e5d0a-3f6c-4c1e-9a57-2d4f0c8e1b6a"
        }
        raise ValidationFailed(message, fields={HEADER: [message]}) from None
    if body is not None and body != from_header:
        message = _(
            "The Idempotency-Key header and client_uuid differ: send one of them, or the same "
            "UUID in both."
        )
        raise ValidationFailed(message, fields={HEADER: [message], "client_uuid": [message]})
    return from_header
