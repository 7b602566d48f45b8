"""A rule's clock: a calendar's working time minus the spans a ticket spent paused.

Pauses come from status events (`pause_statuses`); time in them does not count, as in Zammad and
Zendesk's "pausable" metrics. Everything is interval arithmetic over the calendar's own methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from svcaudit.timecalc.calendar import Calendar

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


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a measured span: `counted`, `paused` (working time on hold) or `closed`."""

    kind: str
    start: datetime
    end: datetime
    seconds: int  # counted or paused working seconds; wall-clock seconds for closed stretches


COUNTED, PAUSED, CLOSED = "counted", "paused", "closed"


def segments(clock: Clock, start: datetime, end: datetime) -> list[Segment]:
    """[start, end) cut into counted, paused and closed stretches, in order: what `explain` shows.

    Every instant is given in the zone of `start`.
    """
    pieces: list[Segment] = []
    zone = start.tzinfo

    def add(kind: str, a: datetime, b: datetime) -> None:
        if b <= a:
            return
        a, b = a.astimezone(zone), b.astimezone(zone)
        seconds = int((b - a).total_seconds()) if kind == CLOSED else clock.calendar.business_seconds(a, b)
        if pieces and pieces[-1].kind == kind and pieces[-1].end.timestamp() == a.timestamp():
            last = pieces.pop()
            pieces.append(Segment(kind, last.start, b, last.seconds + seconds))
        else:
            pieces.append(Segment(kind, a, b, seconds))

    cursor = start
    for open_start, open_end in clock.calendar.open_intervals(start, end):
        add(CLOSED, cursor, open_start)
        at = open_start
        for pause_start, pause_end in clock.pauses:
            if pause_end <= at or pause_start >= open_end:
                continue
            pause_start, pause_end = max(pause_start, at), min(pause_end, open_end)
            add(COUNTED, at, pause_start)
            add(PAUSED, pause_start, pause_end)
            at = pause_end
        add(COUNTED, at, open_end)
        cursor = max(cursor, open_end)
    add(CLOSED, cursor, end)
    return pieces
