"""A rule's clock: a calendar's working time minus the spans a ticket spent paused.

Pauses come from status events (`pause_statuses`); time in them does not count, as in Zammad and
Zendesk's "pausable" metrics. Everything is interval arithmetic over the calendar's own methods.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .calendar import Calendar

Span = tuple[datetime, datetime]


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same instants."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class Clock:
    """Counted time between instants on a calendar, skipping paused spans."""

    def __init__(self, calendar: Calendar, pauses: Sequence[Span] = ()) -> None:
        self.calendar = calendar
        self.pauses = merge_spans(pauses)

    def elapsed(self, start: datetime, end: datetime) -> int:
        """Counted seconds in [start, end)."""
        if end <= start:
            return 0
        total = self.calendar.business_seconds(start, end)
        for pause_start, pause_end in self.pauses:
            if pause_end <= start:
                continue
            if pause_start >= end:
                break
            total -= self.calendar.business_seconds(max(pause_start, start), min(pause_end, end))
        return total

    def paused(self, start: datetime, end: datetime) -> int:
        """Working seconds in [start, end) that a pause kept off the clock."""
        return self.calendar.business_seconds(start, end) - self.elapsed(start, end)

    def due(self, start: datetime, seconds: int) -> datetime:
        """The instant at which `seconds` of counted time have run since `start`."""
        cursor, remaining = start, seconds
        for pause_start, pause_end in self.pauses:
            if pause_end <= cursor:
                continue
            pause_start = max(pause_start, cursor)
            candidate = self.calendar.add_business_seconds(cursor, remaining)
            if candidate <= pause_start:
                return candidate
            remaining -= self.calendar.business_seconds(cursor, pause_start)
            cursor = pause_end
        return self.calendar.add_business_seconds(cursor, remaining)
