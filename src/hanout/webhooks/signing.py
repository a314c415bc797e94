"""Secrets and signatures of outgoing webhooks.

Each endpoint has its own secret (`whsec_…`). A request carries
`Hanout-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`;
the receiver recomputes it with the secret and refuses a stale timestamp
(docs/webhooks.md shows how).

The secret is stored encrypted (Fernet, key derived from SECRET_KEY) because
we need it back to sign every request; a database dump alone does not give it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"hanout.webhooks.secret:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    """The endpoint's secret; raises ValueError when SECRET_KEY changed since it was made."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("the webhook secret cannot be read with this SECRET_KEY") from exc


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (used by the tests' receiver and shown in the docs)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
