import io
import os

import pytest

from hanout.sync import crypto


def encrypt(data: bytes, key: str) -> bytes:
    out = io.BytesIO()
    w = crypto.EncryptingWriter(out, key)
    for i in range(0, len(data), 70_000):
        w.write(data[i : i + 70_000])
    w.close()
    return out.getvalue()


def decrypt(blob: bytes, key: str) -> bytes:
    r = crypto.DecryptingReader(io.BytesIO(blob), key)
    parts = []
    while chunk := r.read(100_000):
        parts.append(chunk)
    return b"".join(parts)


@pytest.mark.parametrize(
    "size", [0, 1, crypto.CHUNK - 1, crypto.CHUNK, crypto.CHUNK + 1, 3 * crypto.CHUNK + 5]
)
def test_round_trip(size):
    data = os.urandom(size)
    blob = encrypt(data, "owner key")
    assert crypto.is_encrypted(blob)
    assert size < 16 or data[:64] not in blob  # a byte or two may occur by chance
    assert decrypt(blob, "owner key") == data


def test_wrong_key_is_named():
    blob = encrypt(b"secret ledger" * 1000, "right")
    with pytest.raises(crypto.BackupKeyError, match="Wrong key"):
        crypto.DecryptingReader(io.BytesIO(blob), "wrong")


def test_no_key():
    with pytest.raises(crypto.BackupKeyError, match="No backup key"):
        encrypt(b"x", "")


def test_changed_byte_is_damage_not_wrong_key():
    blob = bytearray(encrypt(os.urandom(2 * crypto.CHUNK), "k"))
    blob[crypto.HEADER + 10] ^= 1
    with pytest.raises(crypto.BackupDamaged, match="part 1"):
        decrypt(bytes(blob), "k")


def test_cut_short_is_damage():
    blob = encrypt(os.urandom(2 * crypto.CHUNK + 10), "k")
    # Dropping the last chunk leaves a stream whose last chunk is not marked "last".
    cut = blob[: crypto.HEADER + 2 * (crypto.CHUNK + crypto.TAG)]
    with pytest.raises(crypto.BackupDamaged):
        decrypt(cut, "k")


def test_new_keys_differ():
    assert crypto.new_key() != crypto.new_key()
    assert len(crypto.new_key()) >= 43
