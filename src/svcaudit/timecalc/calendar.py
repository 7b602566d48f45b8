"""Calendars: when the clock of a response-time rule runs.

The engine only needs the `Calendar` protocol. `ALWAYS_OPEN` (the built-in "24/7") counts every second.
Business calendars (working hours, holidays, time zones) implement the same protocol: a standard's
`calendars:` entries are turned into them by `svcaudit.timecalc.business.build_calendar`, whose module
documents the accepted format and the exact meaning of each method.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
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
    """The "24/7" calendar: every second counts."""

    name = ALWAYS_OPEN_NAME

    def business_seconds(self, start: datetime, end: datetime) -> int:
        return max(0, int((end - start).total_seconds()))

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        return start + timedelta(seconds=seconds)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        return start + timedelta(days=days)

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        if end > start:
            yield (start, end)


ALWAYS_OPEN = AlwaysOpen()

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
