"""Durations as a standard writes them: `90s`, `30m`, `4h`, `1d`, `1h30m`, ISO 8601 `PT4H`, `3bd`.

`1d` is 24 hours of counted time; `3bd` means "by the same local time three working days later" on the
rule's calendar, so it is kept apart as `WorkingDays` rather than converted to seconds. A duration
is at most a hundred years (and a working-day target at most as many working days as a hundred
years have days): anything longer is a typo, and would overflow date arithmetic when measured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_COMPACT = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_ISO = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_WORKING_DAYS = re.compile(r"^(\d+)bd$")
MAX_DURATION_YEARS = 100
MAX_DURATION_DAYS = MAX_DURATION_YEARS * 36525 // 100  # Julian years: leap days included
MAX_DURATION_SECONDS = MAX_DURATION_DAYS * 86400
# A number longer than this is far beyond the limit in any unit; it is refused before conversion.
_MAX_DIGITS = 12
_TOO_LONG = f"longer than {MAX_DURATION_YEARS} years, the longest duration a standard can give"


@dataclass(frozen=True, slots=True)
class Seconds:
    """A span of counted time (calendar time on 24/7, working time on a business calendar)."""

    seconds: int

    def __str__(self) -> str:
        return _target_text(self.seconds)  # in every response-time finding's message


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """N working days: due at the same local time N working days later on the rule's calendar."""

    days: int

    def __str__(self) -> str:
        return f"{self.days}bd"


Duration = Seconds | WorkingDays


class DurationError(ValueError):
    """A duration string that none of the accepted forms reads."""


def parse_duration(text: object) -> Duration:
    """Read a duration; a bare number is seconds. Raises DurationError with the accepted forms."""
    if isinstance(text, bool):
        raise DurationError(f"{text!r} is not a duration")
    if isinstance(text, int):
        if text < 0:
            raise DurationError(f"{text} is negative")
        if text > MAX_DURATION_SECONDS:
            raise DurationError(f"{text} seconds is {_TOO_LONG}")
        return Seconds(text)
    if not isinstance(text, str):
        raise DurationError(f"{text!r} is not a duration")
    value = text.strip().lower().replace(" ", "")
    if any(len(digits) > _MAX_DIGITS for digits in re.findall(r"\d+", value)):
        raise DurationError(f"{_shown(text)} is {_TOO_LONG}")
    if match := _WORKING_DAYS.match(value):
        working_days = int(match.group(1))
        if working_days == 0:
            raise DurationError(f"{text!r}: a working-day target needs at least 1bd")
        if working_days > MAX_DURATION_DAYS:
            raise DurationError(f"{text!r} is {_TOO_LONG} ({MAX_DURATION_DAYS:,}bd)")
        return WorkingDays(working_days)
    if value and (match := _COMPACT.match(value)):
        parts = match.groups()
        return _bounded(text, sum(int(n) * _UNIT_SECONDS[u] for n, u in zip(parts, "wdhms", strict=False) if n))
    if (match := _ISO.match(text.strip().upper())) and text.strip().upper() not in ("P", "PT"):
        weeks, days, hours, minutes, seconds = match.groups()
        total = (
            int(weeks or 0) * 7 * 86400
            + int(days or 0) * 86400
            + int(hours or 0) * 3600
            + int(minutes or 0) * 60
            + float(seconds or 0)
        )
        return _bounded(text, round(total))
    raise DurationError(f"{text!r} is not a duration; write e.g. 90s, 30m, 4h, 1d, 1h30m, PT4H or 3bd")


def _bounded(text: str, seconds: int) -> Seconds:
    if seconds > MAX_DURATION_SECONDS:
        raise DurationError(f"{text!r} is {_TOO_LONG}")
    return Seconds(seconds)


def _shown(text: str) -> str:
    """A duration as a message quotes it: a long one is cut."""
    return repr(text) if len(text) <= 40 else repr(text[:40] + "…")


def format_seconds(seconds: int | float, parts: int | None = None) -> str:
    """Human form of a span, exact to the second: 93600 -> '1d 2h', 5415 -> '1h 30m 15s'.

    With `parts`, only that many leading units are shown (rounded down), for dense tables:
    format_seconds(94_301, parts=2) -> '1d 2h'.
    """
    total = seconds if type(seconds) is int else int(round(seconds))
    sign = ""
    if total < 0:
        sign, total = "-", -total
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if parts is None:  # every finding's message (two a finding): the common case, kept cheap
        text = (
            (f"{days}d " if days else "")
            + (f"{hours}h " if hours else "")
            + (f"{minutes}m " if minutes else "")
            + (f"{secs}s" if secs else "")
        )
        return sign + (text.rstrip() or "0s")
    units = [(n, u) for n, u in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s"))]
    while units and units[0][0] == 0:
        units.pop(0)
    if parts is not None:
        units = units[:parts]
    shown = [f"{n}{u}" for n, u in units if n]
    return sign + (" ".join(shown) if shown else "0s")


@lru_cache(maxsize=1024)
def _target_text(seconds: int) -> str:
    return format_seconds(seconds)


def format_instant(moment: datetime) -> str:
    """An instant as every report writes it: ISO 8601, UTC shown as `Z`."""
    return moment.isoformat().replace("+00:00", "Z")
