"""Business time for whole columns at once: a calendar as sorted numpy arrays of working time.

`BusinessCalendar` answers one pair of datetimes at a time in pure Python. An audit of a million tickets
asks the same calendar a million times, so `build_table` turns it, for the span the data covers, into
a `WorkTable`: the calendar's working time as sorted, disjoint intervals of epoch microseconds (UTC),
with daylight saving, holidays, dated exceptions, breaks and overnight shifts already applied by the
calendar itself, and the running total of working time at the end of each interval. Every question is
then a few `numpy.searchsorted` calls over the whole column:

- `business_us(start, end)` is W(end) − W(start), where W(t) is the working time before t;
  `business_seconds` rounds it down to whole seconds, as `BusinessCalendar.business_seconds` does.
- `add_business_seconds(start, n)` inverts W: the earliest t with W(t) = W(start) + n seconds.
- `add_working_days(start, n)` finds the first working moment at or after `start`, the day its piece
  of working time belongs to, the n-th working day after it (from the sorted array of working days),
  and the due time inside that day, following "Working days" in `business.py`.

Every answer equals the calendar's own, value for value, to the microsecond (tests/timecalc/
test_worktable.py holds the two together). `AlwaysOpenTable` does the same for the 24/7 calendar with
plain integer arithmetic.

Values and missing values
-------------------------

Instants are int64 microseconds since the epoch, or numpy datetime64 arrays (converted to
microseconds). A missing value is `NAT`, the int64 minimum, which is how numpy stores datetime64 NaT,
so `column.astype("datetime64[us]").view("int64")` needs no mask (a pyarrow timestamp column's
`to_numpy(zero_copy_only=False)` gives such datetime64 values, nulls as NaT). Every answer is int64,
`NAT` where any input of that row is missing. Seconds and days are integers (bool and float are
refused); arguments broadcast against each other like any numpy operation, and answers keep their
shape. `business_us` gives the exact counted microseconds (as `BusinessCalendar.business_time`).

Coverage
--------

A table is built for a span of instants and grows by itself when asked about instants outside it, or
when a due time falls past its end (the arrays are rebuilt for the wider span, doubling the reach so
long targets need few rebuilds). Building costs one cached `BusinessCalendar` day lookup per day, so
a table for years of data takes milliseconds. Like the calendar, a table ends within the years 1-9999:
asking beyond raises OverflowError.

The 24/7 calendar counts real time: `AlwaysOpenTable` equals `AlwaysOpen` on UTC or fixed-offset
datetimes. (`AlwaysOpen` on two datetimes sharing one zoneinfo zone subtracts and adds wall-clock time
across a daylight-saving change, a reading that instants without their zone cannot reproduce.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
import numpy.typing as npt

from svcaudit.timecalc.business import BusinessCalendar
from svcaudit.timecalc.calendar import AlwaysOpen, Calendar
from svcaudit.timecalc.zoneclock import DAY_US, US_PER_SECOND, ZoneClock, epoch_day

__all__ = ["NAT", "AlwaysOpenTable", "ColumnCalendar", "WorkTable", "as_instants", "build_table"]

Instants = npt.NDArray[np.int64]

NAT = int(np.iinfo(np.int64).min)
# A day's working time lies in the instants [its midnight - 1 day, its midnight + 3 days): wall times
# up to 48 h after the midnight (a shift starting that day lasts at most 24 h), offsets within ±1 day.
_PIECES_BEFORE_DAYS = 1
_PIECES_AFTER_DAYS = 3
# Days added on both sides of a requested span, so neighbouring questions seldom rebuild the table.
_MARGIN_DAYS = 7
# Zone periods reach this far past the table's days: far enough for every wall time a due day shows.
_PERIOD_MARGIN_DAYS = 4
# Days that zoneinfo and date arithmetic can represent, with room for the reaches above.
_FIRST_DAY = epoch_day(date.min) + _PERIOD_MARGIN_DAYS
_LAST_DAY = epoch_day(date.max) - _PERIOD_MARGIN_DAYS
# Sort key of a piece among the pieces of its own day (see _Span): the day's place times this stride
# plus the piece's end measured from a day before its midnight, which stays within the stride.
_KEY_DAY_STRIDE = 8 * DAY_US
# Amounts beyond these cannot fall due before the year 9999 (and keep µs sums far from int64 overflow).
_MAX_SECONDS = (_LAST_DAY - _FIRST_DAY) * (DAY_US // US_PER_SECOND)
_MAX_DAYS = _LAST_DAY - _FIRST_DAY


class ColumnCalendar(Protocol):
    """Business-time arithmetic over columns of epoch microseconds (see the module docs)."""

    def business_us(self, start: npt.ArrayLike, end: npt.ArrayLike) -> Instants:
        """Counted microseconds in [start, end); 0 when end <= start."""

    def business_seconds(self, start: npt.ArrayLike, end: npt.ArrayLike) -> Instants:
        """Counted seconds in [start, end), rounded down; 0 when end <= start."""

    def add_business_seconds(self, start: npt.ArrayLike, seconds: npt.ArrayLike) -> Instants:
        """Due instants of `seconds` of counted time from `start`."""

    def add_working_days(self, start: npt.ArrayLike, days: npt.ArrayLike) -> Instants:
        """Due instants of `Nbd` targets."""


def build_table(calendar: Calendar, low_us: int, high_us: int) -> ColumnCalendar:
    """The column form of a calendar, built for instants in [low_us, high_us] (it grows if asked beyond)."""
    if isinstance(calendar, AlwaysOpen):
        return AlwaysOpenTable()
    if isinstance(calendar, BusinessCalendar):
        return WorkTable.build(calendar, low_us, high_us)
    raise TypeError(f"no column form for calendar {calendar!r}")


# -- input and output ---------------------------------------------------------------------------------


def as_instants(values: npt.ArrayLike) -> Instants:
    """int64 epoch microseconds from integers or datetime64 values (NaT becomes NAT)."""
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return array.astype("datetime64[us]").view(np.int64)
    return _as_integers(array, "instants")


def _as_integers(values: npt.ArrayLike, what: str) -> Instants:
    array = np.asarray(values)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{what} must be integers, not {array.dtype}")
    return array.astype(np.int64, copy=False)


@dataclass(frozen=True, slots=True)
class _Rows:
    """Two broadcast arguments flattened to columns, the rows where either is missing, the result shape."""

    shape: tuple[int, ...]
    first: Instants
    second: Instants
    missing: npt.NDArray[np.bool_]

    def answer(self, result: Instants) -> Instants:
        """The result in the arguments' shape, NAT where an argument is missing."""
        result[self.missing] = NAT
        return result.reshape(self.shape)


def _rows(first: Instants, second: Instants) -> _Rows:
    first, second = np.broadcast_arrays(first, second)
    flat_first, flat_second = first.ravel(), second.ravel()
    return _Rows(first.shape, flat_first, flat_second, (flat_first == NAT) | (flat_second == NAT))


def _amounts(values: Instants, missing: npt.NDArray[np.bool_], what: str, limit: int) -> Instants:
    """Non-negative integer amounts (seconds or days), refused like the calendar refuses them."""
    amounts = np.where(missing, 0, values)
    present = values[~missing]
    if present.size and present.min() < 0:
        raise ValueError(f"cannot add {present.min()} {what}")
    if present.size and present.max() > limit:
        raise OverflowError(f"{present.max()} {what} is more than a calendar can hold")
    return amounts


def _present_range(missing: npt.NDArray[np.bool_], *columns: Instants) -> tuple[int, int] | None:
    """The smallest and largest present value over the columns, or None when every row is missing."""
    present = [column[~missing] for column in columns]
    if not present or present[0].size == 0:
        return None
    return min(int(p.min()) for p in present), max(int(p.max()) for p in present)


# -- the 24/7 calendar -----------------------------------------------------------------------------


class AlwaysOpenTable:
    """The "24/7" calendar over columns: every microsecond counts."""

    def business_us(self, start: npt.ArrayLike, end: npt.ArrayLike) -> Instants:
        rows = _rows(as_instants(start), as_instants(end))
        begin, finish = (np.where(rows.missing, 0, column) for column in (rows.first, rows.second))
        return rows.answer(np.maximum(finish - begin, 0))

    def business_seconds(self, start: npt.ArrayLike, end: npt.ArrayLike) -> Instants:
        return _seconds_of(self.business_us(start, end))

    def add_business_seconds(self, start: npt.ArrayLike, seconds: npt.ArrayLike) -> Instants:
        # AlwaysOpen moves back for negative amounts, and so does this.
        rows = _rows(as_instants(start), _as_integers(seconds, "business seconds"))
        amount = np.where(rows.missing, 0, rows.second)
        return rows.answer(rows.first + amount * US_PER_SECOND)

    def add_working_days(self, start: npt.ArrayLike, days: npt.ArrayLike) -> Instants:
        rows = _rows(as_instants(start), _as_integers(days, "working days"))
        count = np.where(rows.missing, 0, rows.second)
        return rows.answer(rows.first + count * DAY_US)


def _seconds_of(microseconds: Instants) -> Instants:
    return np.where(microseconds == NAT, NAT, microseconds // US_PER_SECOND)


# -- business calendars ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    """The working time that belongs to days [first_day, last_day], as arrays.

    Pieces (one day's working time, in real instants) are sorted by start; pieces of different days
    never overlap, so their ends are sorted too. Index 0 is an empty piece before all of them, so that
    "the last piece starting at or before t" always exists. `worked[i]` is the working time up to the
    end of piece i. The pieces are also kept ordered by day (a day's pieces can interleave with the
    next day's when clocks are set back), with keys (`_day_key`) that find a piece within its day.
    """

    first_day: int
    last_day: int
    starts: Instants
    ends: Instants
    days: Instants
    worked: Instants
    working_days: Instants  # days with some working time, sorted
    day_days: Instants  # the pieces by day: their days, starts, ends and keys
    day_starts: Instants
    day_ends: Instants
    day_keys: Instants
    period_starts: Instants  # the zone's periods of constant offset around the days
    period_offsets: Instants
    period_wall_reach: Instants  # the latest wall time shown up to the end of each period

    @property
    def low(self) -> int:
        """The first instant at or after which no day before first_day has working time."""
        return (self.first_day - 1 + _PIECES_AFTER_DAYS) * DAY_US

    @property
    def high(self) -> int:
        """The last instant before which no day after last_day has working time."""
        return (self.last_day + 1 - _PIECES_BEFORE_DAYS) * DAY_US

    def covers(self, low: int, high: int) -> bool:
        return self.low <= low and high <= self.high

    def worked_before(self, instants: Instants) -> Instants:
        """W(t): working time before each instant (instants within [low, high])."""
        index = np.searchsorted(self.starts, instants, side="right") - 1
        return self.worked[index] - np.maximum(self.ends[index] - instants, 0)

    def offsets_at(self, instants: Instants) -> Instants:
        index = np.maximum(np.searchsorted(self.period_starts, instants, side="right") - 1, 0)
        return self.period_offsets[index]

    def first_at_or_after(self, walls: Instants) -> Instants:
        """ZoneClock.first_at_or_after for a column: the first instant showing each wall time or later.

        The answer lies in the first period whose wall times reach past the wanted one; later periods
        start later, and earlier ones never show it.
        """
        index = np.searchsorted(self.period_wall_reach, walls, side="right")
        return np.maximum(self.period_starts[index], walls - self.period_offsets[index])


def _day_key(first_day: int, days: Instants, instants: Instants) -> Instants:
    """Orders (day, instant) pairs by day, then by instant within the day's reach."""
    return (days - first_day) * _KEY_DAY_STRIDE + (instants - (days - _PIECES_BEFORE_DAYS) * DAY_US)


def _build_span(calendar: BusinessCalendar, clock: ZoneClock, first_day: int, last_day: int) -> _Span:
    if first_day < _FIRST_DAY or last_day > _LAST_DAY:
        raise OverflowError(f"calendar {calendar.name!r} cannot cover days beyond the years 1-9999")
    before_all = (first_day - _PIECES_BEFORE_DAYS - 1) * DAY_US
    starts, ends, days = [before_all], [before_all], [first_day - 1]
    for day in range(first_day, last_day + 1):
        # The calendar's own pieces: holidays, exceptions, overnight shifts and clock changes applied
        # exactly as its scalar answers apply them.
        for piece_start, piece_end in calendar._day_pieces(day):
            starts.append(piece_start)
            ends.append(piece_end)
            days.append(day)
    start_array, end_array, day_array = (np.array(v, dtype=np.int64) for v in (starts, ends, days))
    order = np.argsort(start_array, kind="stable")
    start_array, end_array, day_array = start_array[order], end_array[order], day_array[order]
    by_day = np.lexsort((start_array[1:], day_array[1:])) + 1
    periods = clock.periods((first_day - _PERIOD_MARGIN_DAYS) * DAY_US, (last_day + _PERIOD_MARGIN_DAYS) * DAY_US)
    period_starts, period_ends, period_offsets = (np.array(v, dtype=np.int64) for v in zip(*periods, strict=True))
    return _Span(
        first_day=first_day,
        last_day=last_day,
        starts=start_array,
        ends=end_array,
        days=day_array,
        worked=np.cumsum(end_array - start_array),
        working_days=np.unique(day_array[1:]),
        day_days=day_array[by_day],
        day_starts=start_array[by_day],
        day_ends=end_array[by_day],
        day_keys=_day_key(first_day, day_array[by_day], end_array[by_day]),
        period_starts=period_starts,
        period_offsets=period_offsets,
        period_wall_reach=np.maximum.accumulate(period_ends + period_offsets),
    )


class WorkTable:
    """A business calendar over columns of epoch microseconds (see the module docs)."""

    def __init__(self, calendar: BusinessCalendar, low_us: int, high_us: int) -> None:
        self.calendar = calendar
        self._clock = ZoneClock(calendar.zone)
        self._span = self._span_for(int(low_us), int(high_us))

    @classmethod
    def build(cls, calendar: BusinessCalendar, low_us: int, high_us: int) -> WorkTable:
        """A table answering for instants in [low_us, high_us] without growing."""
        return cls(calendar, low_us, high_us)

    def __repr__(self) -> str:
        return f"WorkTable({self.calendar.name!r}, {len(self._span.starts) - 1} pieces)"

    @property
    def coverage(self) -> tuple[int, int]:
        """[low, high]: the instants answered without growing the table."""
        return self._span.low, self._span.high

    # -- questions -------------------------------------------------------------------------------------

    def business_us(self, start: npt.ArrayLike, end: npt.ArrayLike) -> Instants:
        """Counted microseconds in [start, end); 0 when end <= start (BusinessCalendar.business_time)."""
        rows = _rows(as_instants(start), as_instants(end))
        bounds = _present_range(rows.missing, rows.first, rows.second)
        if bounds is None:
            return rows.answer(np.zeros(rows.missing.shape, dtype=np.int64))
        span = self._cover(*bounds)
        begin, finish = (np.where(rows.missing, span.low, column) for column in (rows.first, rows.second))
        return rows.answer(np.maximum(span.worked_before(finish) - span.worked_before(begin), 0))

    def business_seconds(self, start: npt.ArrayLike, end: npt.ArrayLike) -> Instants:
        """Counted seconds in [start, end), rounded down; 0 when end <= start."""
        return _seconds_of(self.business_us(start, end))

    def add_business_seconds(self, start: npt.ArrayLike, seconds: npt.ArrayLike) -> Instants:
        """The earliest instant t with business_seconds(start, t) == seconds; 0 seconds gives start."""
        rows = _rows(as_instants(start), _as_integers(seconds, "business seconds"))
        amount = _amounts(rows.second, rows.missing, "business seconds", _MAX_SECONDS) * US_PER_SECOND
        bounds = _present_range(rows.missing, rows.first)
        if bounds is None:
            return rows.answer(np.zeros(rows.missing.shape, dtype=np.int64))
        span = self._cover(*bounds)
        while True:
            begin = np.where(rows.missing, span.low, rows.first)
            target = span.worked_before(begin) + amount
            # The piece in which the running total reaches the target, and the instant it does so.
            index = np.minimum(np.searchsorted(span.worked, target, side="left"), len(span.worked) - 1)
            due = span.ends[index] - (span.worked[index] - target)
            if not np.any((target > span.worked[-1]) | (due > span.high)):
                break
            span = self._grow(span)
        return rows.answer(np.where(amount == 0, begin, due))

    def add_working_days(self, start: npt.ArrayLike, days: npt.ArrayLike) -> Instants:
        """Due instants of `Nbd` targets ("Working days" in business.py); 0 days gives start."""
        rows = _rows(as_instants(start), _as_integers(days, "working days"))
        count = _amounts(rows.second, rows.missing, "working days", _MAX_DAYS)
        bounds = _present_range(rows.missing, rows.first)
        if bounds is None:
            return rows.answer(np.zeros(rows.missing.shape, dtype=np.int64))
        span = self._cover(*bounds)
        while True:
            begin = np.where(rows.missing, span.low, rows.first)
            due, complete = _working_day_due(span, begin, count)
            if complete:
                break
            span = self._grow(span)
        return rows.answer(np.where(count == 0, begin, due))

    # -- coverage ----------------------------------------------------------------------------------------

    def _span_for(self, low: int, high: int) -> _Span:
        first_day = low // DAY_US - _PIECES_AFTER_DAYS - _MARGIN_DAYS
        last_day = high // DAY_US + _PIECES_BEFORE_DAYS + _MARGIN_DAYS
        return _build_span(self.calendar, self._clock, first_day, last_day)

    def _cover(self, low: int, high: int) -> _Span:
        """The table's span, rebuilt wider first if [low, high] is not inside it."""
        if not self._span.covers(low, high):
            self._span = self._span_for(min(low, self._span.low), max(high, self._span.high))
        return self._span

    def _grow(self, span: _Span) -> _Span:
        """The span reaching twice as far into the future: a due time fell past its end."""
        return self._cover(span.low, span.high + (span.high - span.low))


def _working_day_due(span: _Span, begin: Instants, count: Instants) -> tuple[Instants, bool]:
    """Due instants of `count` working days from `begin`, and whether the span reached far enough."""
    pieces = len(span.starts)
    # The clock starts at the first working moment at or after `begin`, on the day of that piece.
    first = np.searchsorted(span.ends, begin, side="right")
    anchor_piece = np.minimum(first, pieces - 1)
    anchor = np.maximum(span.starts[anchor_piece], begin)
    anchor_day = span.days[anchor_piece]
    position = anchor + span.offsets_at(anchor) - anchor_day * DAY_US
    # The due day is the count-th working day after the anchor's day (itself a working day).
    due_index = np.searchsorted(span.working_days, anchor_day, side="left") + count
    complete = not np.any((first >= pieces) | (anchor >= span.high) | (due_index >= len(span.working_days)))
    due_day = span.working_days[np.minimum(due_index, len(span.working_days) - 1)]
    wanted = span.first_at_or_after(due_day * DAY_US + position)
    # The due day's first piece ending after the wanted time gives its opening if the time falls
    # before it, else the time itself; with no such piece, the day's last closing.
    later = np.searchsorted(span.day_keys, _day_key(span.first_day, due_day, wanted), side="right")
    day_stop = np.searchsorted(span.day_days, due_day, side="right")
    inside = later < day_stop
    due = np.where(
        inside,
        np.maximum(span.day_starts[np.minimum(later, len(span.day_starts) - 1)], wanted),
        span.day_ends[day_stop - 1],
    )
    return due, complete
