"""What the reports' tests share: the Brussels clock of the `till` fixture (conftest)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Brussels")
MONDAY, TUESDAY = date(2026, 3, 16), date(2026, 3, 17)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
