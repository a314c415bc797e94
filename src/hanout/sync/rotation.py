"""Which backups to keep: grandfather-father-son, a pure function of their dates.

Like restic's `forget --keep-daily 7 --keep-weekly 4 --keep-monthly 12`: for each of the
last 7 days that *have* a backup, the newest backup of that day is kept; the same for the
last 4 ISO weeks and the last 12 months; and the newest backup of all is always kept.
Counting days that have a backup (not calendar days before today) means a shop computer
that was off for a month still keeps its last 7 daily backups instead of losing them all.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def _day(t: datetime.datetime):
    return t.date()


def _week(t: datetime.datetime):
    iso = t.isocalendar()
    return (iso.year, iso.week)


def _month(t: datetime.datetime):
    return (t.year, t.month)


def to_keep(
    times: Iterable[datetime.datetime], policy: Policy = Policy()
) -> set[datetime.datetime]:
    """The backup times to keep; every other one may be deleted."""
    newest_first = sorted(set(times), reverse=True)
    keep: set[datetime.datetime] = set(newest_first[:1])
    for bucket, count in ((_day, policy.daily), (_week, policy.weekly), (_month, policy.monthly)):
        seen = set()
        for t in newest_first:
            key = bucket(t)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(t)  # the newest of its period: periods are visited newest first
    return keep
