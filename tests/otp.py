"""TOTP codes (RFC 6238) for tests that sign in with a second factor."""

import base64
import hashlib
import hmac
import struct
import time


def totp(secret: str, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    secret = secret.strip().replace(" ", "").upper().rstrip("=")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def fresh_totp(secret: str, period: int = 30) -> str:
    """A code with at least 3 s of life left, so it is still valid when the server checks it."""
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return totp(secret)
