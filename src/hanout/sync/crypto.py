"""Encryption of a backup with a key the owner keeps (AES-256-GCM, streamed).

The key is any text the owner keeps (`hanout backup --make-key FILE` writes a random
one): scrypt turns it and a random salt into the AES key, so a passphrase works too.
The file is cut into 1 MiB chunks, each sealed with its own nonce (random prefix, chunk
number, "last chunk" flag): a changed, dropped, reordered or cut-off chunk fails to open.
A key check in the header tells a wrong key ("this is not the key") from a damaged file.

    HANOUT-BACKUP-ENC1\\n | salt (16) | nonce prefix (7) | key check (16) | chunks…
"""

from __future__ import annotations

import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"HANOUT-BACKUP-ENC1\n"
CHUNK = 1 << 20
TAG = 16
HEADER = len(MAGIC) + 16 + 7 + TAG
_MORE, _LAST = 1, 2


class BackupKeyError(Exception):
    """The key is missing or is not the one this backup was made with."""


class BackupDamaged(Exception):
    """The file was changed or cut short after it was written."""


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _derive(key_text: str, salt: bytes) -> AESGCM:
    if not key_text:
        raise BackupKeyError("No backup key given (HANOUT_BACKUP_KEY or HANOUT_BACKUP_KEY_FILE).")
    raw = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(key_text.encode())
    return AESGCM(raw)


def _nonce(prefix: bytes, counter: int, flag: int) -> bytes:
    return prefix + counter.to_bytes(4, "big") + bytes([flag])


def _key_check(aes: AESGCM, header: bytes) -> bytes:
    # Nonce flag 0 is never used for data.
    return aes.encrypt(b"\0" * 12, b"", header)


def new_key() -> str:
    """A random key to keep: 32 bytes, URL-safe base64."""
    import base64

    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


class EncryptingWriter:
    """A write-only file object: what is written to it lands encrypted in `out`."""

    def __init__(self, out: BinaryIO, key_text: str):
        salt, self._prefix = os.urandom(16), os.urandom(7)
        self._aes = _derive(key_text, salt)
        head = MAGIC + salt + self._prefix
        out.write(head + _key_check(self._aes, head))
        self._out = out
        self._buf = bytearray()
        self._counter = 0

    def write(self, data) -> int:
        self._buf += data
        # Keep at least one full chunk back: the last chunk is only known at close().
        while len(self._buf) > CHUNK:
            self._seal(bytes(self._buf[:CHUNK]), _MORE)
            del self._buf[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, flag: int) -> None:
        nonce = _nonce(self._prefix, self._counter, flag)
        self._out.write(self._aes.encrypt(nonce, chunk, None))
        self._counter += 1

    def close(self) -> None:
        self._seal(bytes(self._buf), _LAST)
        self._buf.clear()

    def flush(self) -> None:
        pass


class DecryptingReader:
    """A read-only file object giving back the plaintext of an encrypted backup."""

    def __init__(self, src: BinaryIO, key_text: str):
        head = src.read(HEADER)
        if len(head) < HEADER or not head.startswith(MAGIC):
            raise BackupDamaged("This is not an encrypted Hanout backup, or it is cut short.")
        salt = head[len(MAGIC) : len(MAGIC) + 16]
        self._prefix = head[len(MAGIC) + 16 : len(MAGIC) + 23]
        self._aes = _derive(key_text, salt)
        if _key_check(self._aes, head[: HEADER - TAG]) != head[HEADER - TAG :]:
            raise BackupKeyError(
                "Wrong key: this backup was encrypted with another key. Use the key that was "
                "set (HANOUT_BACKUP_KEY or HANOUT_BACKUP_KEY_FILE) when it was made."
            )
        self._src = src
        self._counter = 0
        self._buf = b""
        self._done = False
        self._next = src.read(CHUNK + TAG)

    def _open_next(self) -> None:
        sealed, self._next = self._next, self._src.read(CHUNK + TAG)
        last = not self._next
        try:
            plain = self._aes.decrypt(
                _nonce(self._prefix, self._counter, _LAST if last else _MORE), sealed, None
            )
        except InvalidTag:
            raise BackupDamaged(
                "The backup file was changed or cut short after it was made "
                f"(encrypted part {self._counter + 1} does not open)."
            ) from None
        self._counter += 1
        self._buf += plain
        self._done = last

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buf) < size):
            self._open_next()
        if size < 0:
            out, self._buf = self._buf, b""
        else:
            out, self._buf = self._buf[:size], self._buf[size:]
        return out


# --- small secrets kept in the database (a store's key to its hub) ------------------------


def _server_aes() -> AESGCM:
    import hashlib

    from django.conf import settings

    return AESGCM(hashlib.sha256(b"hanout-sync-key\0" + settings.SECRET_KEY.encode()).digest())


def seal(text: str) -> str:
    """Encrypt a short secret with a key derived from the server's SECRET_KEY."""
    import base64

    nonce = os.urandom(12)
    return base64.urlsafe_b64encode(
        nonce + _server_aes().encrypt(nonce, text.encode(), None)
    ).decode()


def unseal(sealed: str) -> str:
    """The secret `seal` sealed; BackupKeyError when SECRET_KEY is not the one it was sealed with."""
    import base64

    raw = base64.urlsafe_b64decode(sealed.encode())
    try:
        return _server_aes().decrypt(raw[:12], raw[12:], None).decode()
    except InvalidTag:
        raise BackupKeyError(
            "The server's SECRET_KEY changed since this hub link was made: link the store again."
        ) from None
