"""Time-ordered UUIDs (RFC 9562 version 7).

Records made offline on a register or a store server merge with the hub's
without collisions, and sort by creation time, which keeps B-tree inserts at
the right edge of the index and lets cursor pagination order by primary key.
"""

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """Return a new version-7 UUID, monotonic within this process.

    Within one millisecond a 12-bit counter (seeded randomly) keeps the order;
    the remaining 62 bits are random.
    """
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF
        else:
            _counter += 1
            if _counter > 0xFFF:  # counter overflow: borrow the next millisecond
                _last_ms += 1
                _counter = 0
            ms = _last_ms
    rand_b = int.from_bytes(os.urandom(8), "big") & 0x3FFF_FFFF_FFFF_FFFF
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= _counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)
