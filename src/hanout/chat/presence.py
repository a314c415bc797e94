"""Who is online: heartbeats kept in the cache (Redis when REDIS_URL is set).

An open chat socket sends a heartbeat every 30 s, saying whether the person
touched the page since the last one. From the two times we keep:

- online: a heartbeat in the last 90 s and input in the last 5 minutes;
- idle: a heartbeat in the last 90 s, no input for 5 minutes;
- offline: no heartbeat for 90 s (a crashed tab sends no goodbye), with
  "last seen" = the last input (or heartbeat).

Nothing here touches the database: presence is not history, losing the cache
only makes everyone look offline until their next heartbeat. Time is read
through `hanout.core.clock`, so tests move it.
"""

from __future__ import annotations

import contextlib
import datetime
import time
import uuid

from django.core.cache import cache

from hanout.core import clock

HEARTBEAT_SECONDS = 30
OFFLINE_AFTER = datetime.timedelta(seconds=90)
IDLE_AFTER = datetime.timedelta(minutes=5)
KEEP_SECONDS = 30 * 24 * 3600  # "last seen" is remembered for a month

ONLINE, IDLE, OFFLINE = "online", "idle", "offline"


def _key(business_id, user_id) -> str:
    return f"chat:presence:{business_id}:{user_id}"


# One writer at a time per person: a heartbeat reads the person's entry, adds its socket
# and writes it back, so two sockets beating at once (a web tab and the desktop app
# opening together) would each write the entry without the other's socket.
LOCK_SECONDS = 2
LOCK_WAIT_SECONDS = 1.0


@contextlib.contextmanager
def _locked(key: str):
    """Hold the person's entry while it is read and written back (`cache.add` is atomic
    in Redis and in the local-memory cache). A holder that died leaves a lock that
    expires after LOCK_SECONDS; waiting longer than LOCK_WAIT_SECONDS goes ahead
    unlocked, at worst losing one beat that the next heartbeat restores."""
    lock, token = f"{key}:lock", uuid.uuid4().hex
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not cache.add(lock, token, LOCK_SECONDS):
        if time.monotonic() > deadline:
            break
        time.sleep(0.005)
    try:
        yield
    finally:
        if cache.get(lock) == token:
            cache.delete(lock)


def _live_sockets(entry: dict, now: float) -> dict:
    """The entry's sockets that sent a heartbeat lately (a crashed one never says goodbye)."""
    horizon = now - OFFLINE_AFTER.total_seconds()
    return {name: beat for name, beat in (entry.get("sockets") or {}).items() if beat >= horizon}


def heartbeat(*, business_id, user_id, active: bool, socket: str = "") -> dict:
    """Record a heartbeat of one socket (and input, when `active`); return the new presence.

    A person may be connected several times (a web tab and the desktop app), so
    each socket's last beat is kept and the person is offline only when all are gone.
    """
    now = clock.now().timestamp()
    key = _key(business_id, user_id)
    with _locked(key):
        entry = cache.get(key) or {}
        sockets = _live_sockets(entry, now)
        sockets[socket] = now
        entry["sockets"] = sockets
        entry["beat"] = now
        if active or "input" not in entry:
            entry["input"] = now
        cache.set(key, entry, KEEP_SECONDS)
    return status_of(entry, user_id)


def went_away(*, business_id, user_id, socket: str = "") -> None:
    """A socket closed cleanly: offline at once unless another socket of theirs is open.

    "Last seen" stays. The other sockets keep the latest beat among them.
    """
    key = _key(business_id, user_id)
    with _locked(key):
        entry = cache.get(key)
        if entry:
            sockets = _live_sockets(entry, clock.now().timestamp())
            sockets.pop(socket, None)
            entry["sockets"] = sockets
            entry["beat"] = max(sockets.values(), default=0)
            cache.set(key, entry, KEEP_SECONDS)


def status_of(entry: dict | None, user_id) -> dict:
    now = clock.now()
    entry = entry or {}
    beat = entry.get("beat") or 0
    last_input = entry.get("input")
    beat_at = datetime.datetime.fromtimestamp(beat, tz=datetime.UTC) if beat else None
    input_at = datetime.datetime.fromtimestamp(last_input, tz=datetime.UTC) if last_input else None
    if beat_at is None or now - beat_at > OFFLINE_AFTER:
        state = OFFLINE
    elif input_at is None or now - input_at > IDLE_AFTER:
        state = IDLE
    else:
        state = ONLINE
    seen = input_at if state == OFFLINE else (beat_at or input_at)
    return {
        "user": str(user_id),
        "status": state,
        "last_seen": seen.isoformat() if seen else None,
    }


def statuses(*, business_id, user_ids) -> dict[str, dict]:
    """{user id: presence} for many people in one cache round trip."""
    keys = {_key(business_id, u): u for u in user_ids}
    found = cache.get_many(list(keys))
    return {str(u): status_of(found.get(k), u) for k, u in keys.items()}
