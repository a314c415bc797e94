"""When the scheduled backup is due: pure functions of the clock and the newest backup.

HANOUT_BACKUP_TIME is a time of day on the server's clock ("03:00"), or "off". The job
looks every ten minutes: a backup is due when the newest one is older than the last
time the clock passed that hour. A shop computer switched off at night therefore makes
its backup soon after it is switched on in the morning, not never.
"""

from __future__ import annotations

import datetime


def parse_time(text: str) -> datetime.time | None:
    """ "HH:MM" → time; "", "off", "no", "0", "false" → None (no scheduled backups)."""
    text = (text or "").strip().lower()
    if text in ("", "off", "no", "0", "false", "none"):
        return None
    try:
        hour, minute = text.split(":")
        return datetime.time(int(hour), int(minute))
    except ValueError:
        raise ValueError(
            f"HANOUT_BACKUP_TIME must be HH:MM (e.g. 03:00) or off, not {text!r}."
        ) from None


def last_slot(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    """The latest moment at or before `now` (aware, local) when the clock showed `at`."""
    slot = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return slot if slot <= now else slot - datetime.timedelta(days=1)


def backup_due(
    now: datetime.datetime, newest: datetime.datetime | None, at: datetime.time | None
) -> bool:
    if at is None:
        return False
    return newest is None or newest < last_slot(now, at)
