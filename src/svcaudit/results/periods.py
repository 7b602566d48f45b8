"""Reporting periods and time keys: ISO weeks, days and months in the standard's time zone.

A period is a half-open span of real instants between two local midnights, so a week that contains a
daylight-saving change is still Monday 00:00 to Monday 00:00 on the wall clock. Group keys read as
they sort: `2026-W47`, `2026-11-20`, `2026-11`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from svcaudit.errors import UsageError

WEEK = "week"
DAY = "day"
MONTH = "month"
TIME_UNITS = (DAY, WEEK, MONTH)
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """[start, end) between local midnights; `label` as the user wrote it or as derived."""

    start: datetime
    end: datetime
    label: str
    unit: str | None = None  # day, week or month when the period is exactly one of them

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def opens(self) -> bool:
        """Whether the period has a first instant: a window given only `--until` starts at the
        first instant there is, which no time zone can show."""
        return self.start.year > 1

    @property
    def closes(self) -> bool:
        """Whether the period has a last instant (a window given only `--since` has none)."""
        return self.end.year < 9999


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_period(text: str, zone: tzinfo) -> Period:
    """`2026-W47`, `2026-11` or `2026-11-20` as a period in `zone`."""
    text = text.strip()
    try:
        if match := _WEEK.match(text):
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            return Period(_midnight(monday, zone), _midnight(monday + timedelta(days=7), zone), text, WEEK)
        if match := _MONTH.match(text):
            year, month = int(match.group(1)), int(match.group(2))
            first = _month_start(year, month)
            return Period(_midnight(first, zone), _midnight(_month_start(year, month + 1), zone), text, MONTH)
        if _DAY.match(text):
            day = date.fromisoformat(text)
            return Period(_midnight(day, zone), _midnight(day + timedelta(days=1), zone), text, DAY)
    except ValueError as exc:
        raise UsageError(f"--period {text!r}: {exc}") from None
    raise UsageError(f"--period {text!r}: write an ISO week (2026-W47), a month (2026-11) or a day (2026-11-20)")


def window(since: datetime | None, until: datetime | None, label: str) -> Period:
    """A custom window; either end may be open (the data's first or last ticket)."""
    start = since or datetime.min.replace(tzinfo=until.tzinfo if until else None)
    return Period(start, until or datetime.max.replace(tzinfo=start.tzinfo), label)


def previous(period: Period, zone: tzinfo) -> Period | None:
    """The period of the same kind and length just before, for trends; None for an open window."""
    if period.unit == MONTH:
        first = period.start.astimezone(zone).date()
        start = _month_start(first.year, first.month - 1)
        return Period(_midnight(start, zone), period.start, time_key(_midnight(start, zone), MONTH, zone), MONTH)
    if period.unit in (WEEK, DAY):
        days = 7 if period.unit == WEEK else 1
        start_day = period.start.astimezone(zone).date() - timedelta(days=days)
        start = _midnight(start_day, zone)
        return Period(start, period.start, time_key(start, period.unit, zone), period.unit)
    if not (period.opens and period.closes):
        return None
    length = period.end - period.start
    return Period(period.start - length, period.start, f"before {period.label}")


def time_key(moment: datetime, unit: str, zone: tzinfo) -> str:
    return day_key(moment.astimezone(zone).date(), unit)


def day_key(day: date, unit: str) -> str:
    """The key of the week, month or day that a local date falls in."""
    if unit == WEEK:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == MONTH:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def shift_key(key: str, unit: str, steps: int = -1) -> str:
    """The key `steps` units away: 2026-W47 -> 2026-W46, 2026-01 -> 2025-12, a day -> the day before."""
    if unit == WEEK:
        match = _WEEK.match(key)
        assert match is not None, key  # keys are made by this module
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        year, week, _ = (monday + timedelta(weeks=steps)).isocalendar()
        return f"{year}-W{week:02d}"
    if unit == MONTH:
        match = _MONTH.match(key)
        assert match is not None, key
        first = _month_start(int(match.group(1)), int(match.group(2)) + steps)
        return f"{first.year}-{first.month:02d}"
    return (date.fromisoformat(key) + timedelta(days=steps)).isoformat()
