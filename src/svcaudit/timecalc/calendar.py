"""Calendars: when the clock of a response-time rule runs.

The engine only needs the `Calendar` protocol. `ALWAYS_OPEN` (the built-in "24/7") counts every second.
Business calendars (working hours, holidays, time zones) implement the same protocol: a standard's
`calendars:` entries are turned into them by `svcaudit.timecalc.business.build_calendar`, whose module
documents the accepted format and the exact meaning of each method.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Protocol

ALWAYS_OPEN_NAME = "24/7"


class Calendar(Protocol):
    """Working-time arithmetic over timezone-aware datetimes, exact to the second."""

    name: str

    def business_seconds(self, start: datetime, end: datetime) -> int:
        """Counted seconds in [start, end); 0 when end <= start."""

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        """The instant at which `seconds` of counted time have elapsed since `start` (a due time)."""

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Due time of an `Nbd` target: the same local time `days` working days later."""

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working intervals clipped to [start, end), in order (for `explain`)."""


class AlwaysOpen:
    """The "24/7" calendar: every second counts, real seconds. Instants are compared in UTC: two
    datetimes of one zone subtract as wall-clock times in Python, which across a daylight-saving
    change is an hour off the time that really passed."""

    name = ALWAYS_OPEN_NAME

    def business_seconds(self, start: datetime, end: datetime) -> int:
        elapsed = end.astimezone(timezone.utc) - start.astimezone(timezone.utc)
        return max(0, elapsed // _ONE_SECOND)

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        return _later(start, timedelta(seconds=seconds))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        return _later(start, timedelta(days=days))

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        if end > start:
            yield (start, end)


ALWAYS_OPEN = AlwaysOpen()
_ONE_SECOND = timedelta(seconds=1)


def _later(start: datetime, span: timedelta) -> datetime:
    """The instant `span` of real time after `start`, shown in start's zone."""
    return (start.astimezone(timezone.utc) + span).astimezone(start.tzinfo)


# Business calendars live in their own modules (which never import this one); they are re-exported
# here so the standard loader needs only this module.
from svcaudit.timecalc.business import BusinessCalendar, build_calendar  # noqa: E402
from svcaudit.timecalc.schedule import CalendarConfigError  # noqa: E402

__all__ = [
    "ALWAYS_OPEN",
    "ALWAYS_OPEN_NAME",
    "AlwaysOpen",
    "BusinessCalendar",
    "Calendar",
    "CalendarConfigError",
    "build_calendar",
]
