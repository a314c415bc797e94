"""Days and times the way the business writes them, in the business's time zone.

One helper for every screen (QML reaches it as `formats`, Python through `day()`,
`clock()`, `moment()`, `chat_time()`), so an English screen of a Brussels shop writes
"1/3/2026 14:05" in Brussels time wherever the computer is and whatever its own zone.

The web writes a moment for a person (hanout.marketplace.display, the register's tickets)
with Babel: the reader's language with the business's country ("en" + "BE" → en_BE),
CLDR's short numeric day (skeleton yMMdd) and a 24-hour clock. The desktop does not
carry Babel; the patterns below are CLDR's for the app's four languages. Where CLDR has
no English for the country (Morocco, Algeria…), the day is written day first (CLDR's
international English, en_001) rather than the United States' month first.

The time zone is the business's (the one of its first shop, `GET me/` → business
→ time_zone, as the server shows it on the web); before sign-in, the computer's.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Slot

from hanout_desktop.following import Following

# CLDR's short numeric day (skeleton yMMdd) per language, then per country where it differs.
_DAY = {"en": "dd/MM/y", "fr": "dd/MM/y", "ar": "d\u200f/M\u200f/y", "zgh": "y-MM-dd"}
_DAY_BY_COUNTRY = {
    "en": {
        **dict.fromkeys(["AS", "BI", "GU", "MH", "MP", "PH", "PR", "UM", "US", "VI"], "M/d/y"),
        **dict.fromkeys(["BE", "CA", "HK", "IE", "IN", "ZW"], "d/M/y"),
        "NZ": "d/MM/y",
        "CH": "dd.MM.y",
        "JP": "y/MM/dd",
        "ZA": "y/MM/dd",
        "SE": "y-MM-dd",
    },
    "fr": {"CA": "y-MM-dd", "CH": "dd.MM.y"},
}
_FIELD = re.compile(r"y+|M+|d+")


class _Settings:
    language = "en"
    country = ""
    zone: ZoneInfo | None = None  # None: the computer's own


current = _Settings()


def configure(*, language: str | None = None, country: str | None = None, zone=None) -> None:
    """Set what the next dates are written with (any argument left out is kept)."""
    if language is not None:
        current.language = (language or "en").replace("-", "_").split("_")[0]
    if country is not None:
        current.country = (country or "").upper()
    if zone is not None:
        current.zone = _zone(zone)


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def day_pattern(language: str | None = None, country: str | None = None) -> str:
    """The CLDR pattern of a short day for `language` in `country`."""
    language = language or current.language
    country = current.country if country is None else country
    base = _DAY.get(language, _DAY["en"])
    return _DAY_BY_COUNTRY.get(language, {}).get(country, base)


def _parse(value) -> datetime.date | datetime.datetime | None:
    """A date or an aware datetime in the business's zone, from an ISO string or an object."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = (
                datetime.date.fromisoformat(text)
                if len(text) == 10
                else datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            )
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(current.zone)  # naive: taken as the computer's time
    if isinstance(value, datetime.date):
        return value
    return None


def _write_day(value: datetime.date) -> str:
    fields = {"y": f"{value.year:04d}", "M": str(value.month), "d": str(value.day)}

    def field(match: re.Match) -> str:
        token = match.group(0)
        text = fields[token[0]]
        return text.zfill(2) if token in ("MM", "dd") else text

    return _FIELD.sub(field, day_pattern())


def day(value) -> str:
    """The day of `value` ("2026-03-01", an ISO moment, a date): "1/3/2026" in English for
    Belgium, "01/03/2026" in French; a moment's day in the business's time zone."""
    when = _parse(value)
    if when is None:
        return ""
    return _write_day(when.date() if isinstance(when, datetime.datetime) else when)


def clock(value) -> str:
    """The 24-hour time of a moment in the business's time zone ("14:05")."""
    when = _parse(value)
    return when.strftime("%H:%M") if isinstance(when, datetime.datetime) else ""


def moment(value) -> str:
    """The day and time of a moment in the business's time zone ("1/3/2026 14:05")."""
    when = _parse(value)
    if not isinstance(when, datetime.datetime):
        return day(value)
    return f"{_write_day(when.date())} {when.strftime('%H:%M')}"


def chat_time(value, now: datetime.datetime | None = None) -> str:
    """A message's time: "14:05" today (the business's today), else the day and the time."""
    when = _parse(value)
    if not isinstance(when, datetime.datetime):
        return ""
    today = (now or datetime.datetime.now(datetime.UTC)).astimezone(current.zone).date()
    return when.strftime("%H:%M") if when.date() == today else moment(when)


def today(now: datetime.datetime | None = None) -> str:
    """The business's day now, as the API writes a day ("2026-03-01"): in its time zone, so
    a Brussels shop's day has begun at 23:30 UTC whatever the computer's own zone."""
    return (now or datetime.datetime.now(datetime.UTC)).astimezone(current.zone).date().isoformat()


def ticket_moment(value) -> str:
    """Day first with Western digits and no direction marks, as the shop's tickets print
    it (inside a sentence, the Arabic pattern's marks would scramble it)."""
    when = _parse(value)
    return when.strftime("%d/%m/%Y %H:%M") if isinstance(when, datetime.datetime) else ""


class Formats(Following):
    """The helper for QML (`formats`): days and times the business's way."""

    FOLLOWS = {"country": "country", "zone": "time_zone"}

    def _configure(self, **kwargs) -> None:
        configure(**kwargs)

    @Slot(str, result=str)
    def day(self, value: str) -> str:
        return day(value)

    @Slot(str, result=str)
    def clock(self, value: str) -> str:
        return clock(value)

    @Slot(str, result=str)
    def moment(self, value: str) -> str:
        return moment(value)

    @Slot(result=str)
    def today(self) -> str:
        return today()
