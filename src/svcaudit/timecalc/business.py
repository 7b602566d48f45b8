"""Business calendars: working hours, holidays and dated exceptions in a time zone.

A rule's `calendar:` decides when its clock runs. `build_calendar` turns one entry of a standard's
`calendars:` into a `BusinessCalendar`, which implements the `Calendar` protocol of `calendar.py`
(`business_seconds`, `add_business_seconds`, `add_working_days`, `open_intervals`).

Format
------

```yaml
calendars:
  office:
    timezone: Europe/Moscow          # IANA zone; default: the standard's `timezone`
    week:                            # day -> list of "HH:MM-HH:MM" intervals (HH:MM:SS also works)
      mon-fri: ["09:00-13:00", "14:00-18:00"]   # several intervals a day (a lunch break)
      sat: ["10:00-14:00"]           # days left out, and days given [], are closed
      # keys: mon tue wed thu fri sat sun (or monday …), ranges mon-fri (fri-mon wraps),
      # lists "mon, wed-fri", or daily; each day may be named only once
      # "22:00-06:00" runs past midnight: the shift belongs to the day it starts on
      # "00:00-24:00" is the whole day
    holidays:
      country: RU                    # public holidays from the `holidays` package (ISO code)
      # subdivision: CA              # optional (e.g. CA with country US); RU has none in the package
      dates: [2026-12-31, "2027-01-01..2027-01-08"]   # extra closed days; ranges are inclusive
    exceptions:                      # dated overrides; they win over `week` and `holidays`
      2026-12-30: ["09:00-16:00"]    # shortened day
      2026-11-28: ["10:00-15:00"]    # extra working Saturday
      2026-12-29: []                 # closed
      "2027-01-09..2027-01-10": ["10:00-14:00"]      # a range of dates is accepted as a key
```

`holidays:` may also be a plain list of dates (`holidays: [2026-12-31]`). A calendar whose `week`
gives no working time is rejected ("calendar has no working time"), and so are unknown keys, unknown
zones, day names, countries and subdivisions, malformed intervals and dates, overlapping intervals
within one day, and a day or date given twice.

Meaning
-------

- **Which moments count.** A moment counts when the calendar's wall clock, in its own zone, shows a
  time inside a working interval of that day. A holiday (or an exception date) decides the shifts that
  *start* on it: a holiday closes its own overnight shift but not the tail of the previous day's shift
  that runs into it. Intervals of neighbouring days that overlap count once.
- **Daylight saving.** The wall-clock rule above is the whole rule: when clocks are set forward the
  skipped times never show, so a working day spanning the gap is shorter in real time (00:00-24:00 on
  the spring-forward day is 23 hours); when clocks are set back the repeated times show twice and both
  count (00:00-24:00 on that day is 25 hours, a 22:00-06:00 shift over it is 9 hours). Timestamps may
  carry any offset; they are compared as real instants.
- **Precision and zones.** Everything is computed on exact microsecond instants; `business_seconds`
  returns whole seconds (the counted time rounded down; `business_time` gives the exact timedelta).
  Due times come back in the zone of `start`; `open_intervals` shows the calendar's own zone. Compare
  instants with `<`/`>` or in UTC: by PEP 495 a datetime inside a repeated hour never `==` one of
  another zone.
- **Due times.** `add_business_seconds(start, n)` is the earliest moment by which `n` seconds have
  counted: Friday 17:00 + 8 business hours on Mon–Fri 09–17 is due Monday 17:00, and a reply stamped
  exactly then has `business_seconds == n` and meets the target. Adding 0 returns `start` itself.
- **Working days (`3bd`).** A working day is a date on which some working time starts. The clock
  starts at the first working moment at or after `start` (a ticket opened on Saturday or at 07:00 starts
  at the next opening, as helpdesk SLA clocks do). The due time is the same wall-clock time (measured
  from the start of that working day, so an overnight shift keeps its place) on the N-th working day
  after that one. If that time is not working time on the due day it moves to the next opening of that
  day, and if it is after the day's last closing it moves back to that closing, so an `Nbd` target
  always falls due within the N-th working day (e.g. on Mon–Fri 09–17, Tuesday 16:30 + 1bd when
  Wednesday is shortened to 09–16 is due Wednesday 16:00).

Cost
----

Answers do not walk over minutes or days: totals of whole weeks come from per-weekday sums, and the
few irregular days (holidays, exceptions, the days next to them, daylight-saving changes) are kept as
sorted corrections found by bisect. Only the days at either end of a span are looked at one by one,
so a year-long span costs about the same as an hour-long one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from svcaudit.timecalc.holiday_sources import PublicHolidays
from svcaudit.timecalc.schedule import (
    CalendarConfigError,
    CalendarSpec,
    DaySchedule,
    parse_calendar,
)
from svcaudit.timecalc.zoneclock import (
    DAY_US,
    US_PER_SECOND,
    ZoneClock,
    day_of_epoch,
    epoch_day,
    from_epoch_us,
    to_epoch_us,
    weekday_of,
)

__all__ = ["BusinessCalendar", "CalendarConfigError", "CalendarSpec", "build_calendar"]

DAYS_PER_WEEK = 7
# A day's working time lies within 48 wall-clock hours of its midnight (a shift starts that day and
# lasts at most 24 h) and clocks never jump back by a whole day, so the working time near an instant
# belongs to its wall-clock day, the two days before it, or the day after it.
_REACH_BACK_DAYS = 2
_REACH_FORWARD_DAYS = 1
# Spans whose ends are at least this many days apart are summed by whole-week arithmetic in the middle.
_BULK_MIN_DAYS = _REACH_BACK_DAYS + _REACH_FORWARD_DAYS + 1
# Instants that can show a given day's working time: its wall window ± the largest possible offset.
_PIECE_WINDOW_BEFORE_US = DAY_US
_PIECE_WINDOW_AFTER_US = 3 * DAY_US
_LAST_DAY = epoch_day(date.max) - _REACH_FORWARD_DAYS - 1
_END_OF_TIME = (_LAST_DAY + 1) * DAY_US
# What a day contributes: counted time, and whether it is a working day.
_TOTAL, _WORKING = 0, 1

Interval = tuple[int, int]


def build_calendar(name: str, config: object, default_timezone: str) -> BusinessCalendar:
    """A business calendar from one YAML-loaded `calendars.<name>` mapping.

    Raises CalendarConfigError(message, path) with `path` inside the calendar's mapping.
    """
    return BusinessCalendar(parse_calendar(name, config, default_timezone))


class BusinessCalendar:
    """Working-time arithmetic over aware datetimes for one parsed calendar (see the module docs)."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.zone = ZoneInfo(spec.timezone)
        self._clock = ZoneClock(self.zone)
        self._week = tuple(_day_us(day) for day in spec.week)
        self._exceptions = {epoch_day(day): _day_us(schedule) for day, schedule in spec.exceptions}
        self._closed = frozenset(epoch_day(day) for day in spec.closed_dates)
        self._sorted_specials = sorted(self._closed | self._exceptions.keys())
        self._public = PublicHolidays(spec.holiday_source) if spec.holiday_source else None
        self._public_days: dict[int, frozenset[int]] = {}

        # The ordinary week: what each weekday contributes when neither it nor the day before is
        # special and no clock change is near.
        own = [_subtract(self._week[wd], _spill(self._week[wd - 1])) for wd in range(DAYS_PER_WEEK)]
        self._regular_total = tuple(_length(intervals) for intervals in own)
        self._regular_working = tuple(int(total > 0) for total in self._regular_total)
        self._week_total = sum(self._regular_total)
        self._week_working_days = sum(self._regular_working)
        # Indexed by _TOTAL / _WORKING; prefix sums over two weeks so any 0-6 day remainder is a slice.
        self._per_week = (self._week_total, self._week_working_days)
        self._week_prefix = (
            _prefix_sums(self._regular_total * 2),
            _prefix_sums(self._regular_working * 2),
        )

        self._pieces: dict[int, tuple[Interval, ...]] = {}
        # Corrections to the ordinary week, (µs, working days) per irregular day, loaded a year at a time.
        self._irregular: dict[int, tuple[int, int]] = {}
        self._irregular_years: set[int] = set()
        self._loaded_days = (0, 0)  # [first, stop) epoch days covered by the loaded years
        self._irregular_days: list[int] = []
        self._correction_prefix: tuple[list[int], ...] = ([0], [0])

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.name!r}, {self.spec.timezone})"

    # -- the Calendar protocol -------------------------------------------------------------------

    def business_seconds(self, start: datetime, end: datetime) -> int:
        """Counted seconds in [start, end), rounded down; 0 when end <= start."""
        return self._business_us(to_epoch_us(start), to_epoch_us(end)) // US_PER_SECOND

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        """The earliest instant t with business_seconds(start, t) == seconds (in start's zone)."""
        amount = _amount_us(seconds)
        if amount == 0:
            return start
        due = self._add_us(to_epoch_us(start), amount)
        return from_epoch_us(due, _zone_of(start))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Due time of an `Nbd` target (see "Working days" in the module docs), in start's zone."""
        if days < 0:
            raise ValueError(f"cannot add {days} working days")
        if days == 0:
            return start
        instant = to_epoch_us(start)
        anchor, _, anchor_day = next(self._ordered_pieces(instant, self._wall_day(instant) - _REACH_BACK_DAYS))
        position = self._clock.wall(anchor) - anchor_day * DAY_US
        due_day = self._first_day_reaching(anchor_day + 1, days, _WORKING) - 1
        wanted = self._clock.first_at_or_after(due_day * DAY_US + position)
        pieces = self._day_pieces(due_day)
        due = pieces[-1][1]  # after the day's last closing: that closing
        for piece_start, piece_end in pieces:
            if wanted < piece_start:
                due = piece_start  # before opening or in a break: the next opening
                break
            if wanted < piece_end:
                due = wanted
                break
        return from_epoch_us(due, _zone_of(start))

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals clipped to [start, end), in order, shown in the calendar's zone."""
        low, high = to_epoch_us(start), to_epoch_us(end)
        if high <= low:
            return
        first_day, last_day = sorted((self._wall_day(low), self._wall_day(high)))
        current: Interval | None = None
        for piece_start, piece_end, _ in self._ordered_pieces(
            low, first_day - _REACH_BACK_DAYS, last_day + _REACH_FORWARD_DAYS
        ):
            if piece_start >= high:
                break
            piece_end = min(piece_end, high)
            if current is not None and current[1] == piece_start:
                current = (current[0], piece_end)
                continue
            if current is not None:
                yield from_epoch_us(current[0], self.zone), from_epoch_us(current[1], self.zone)
            current = (piece_start, piece_end)
        if current is not None:
            yield from_epoch_us(current[0], self.zone), from_epoch_us(current[1], self.zone)

    # -- extras ------------------------------------------------------------------------------------

    def business_time(self, start: datetime, end: datetime) -> timedelta:
        """Counted time in [start, end), exact to the microsecond."""
        return timedelta(microseconds=self._business_us(to_epoch_us(start), to_epoch_us(end)))

    def is_working_time(self, moment: datetime) -> bool:
        """Whether the clock runs at this instant."""
        instant = to_epoch_us(moment)
        day = self._wall_day(instant)
        return any(
            piece_start <= instant < piece_end
            for candidate in range(day - _REACH_BACK_DAYS, day + _REACH_FORWARD_DAYS + 1)
            for piece_start, piece_end in self._day_pieces(candidate)
        )

    # -- arithmetic on epoch microseconds ----------------------------------------------------------

    def _wall_day(self, instant: int) -> int:
        return self._clock.wall(instant) // DAY_US

    def _business_us(self, low: int, high: int) -> int:
        if high <= low:
            return 0
        first_day, last_day = self._wall_day(low), self._wall_day(high)
        if last_day - first_day < _BULK_MIN_DAYS:
            return self._clipped(
                min(first_day, last_day) - _REACH_BACK_DAYS,
                max(first_day, last_day) + _REACH_FORWARD_DAYS,
                low,
                high,
            )
        # Days strictly between the two ends' neighbourhoods lie wholly inside [low, high).
        return (
            self._clipped(first_day - _REACH_BACK_DAYS, first_day + _REACH_FORWARD_DAYS, low, high)
            + self._total_between(first_day + _REACH_FORWARD_DAYS + 1, last_day - _REACH_BACK_DAYS)
            + self._clipped(last_day - _REACH_BACK_DAYS, last_day + _REACH_FORWARD_DAYS, low, high)
        )

    def _add_us(self, start: int, amount: int) -> int:
        first_day = self._wall_day(start)
        near = self._clipped(first_day - _REACH_BACK_DAYS, first_day + _REACH_FORWARD_DAYS, start, _END_OF_TIME)
        if near >= amount:
            return self._walk(start, first_day - _REACH_BACK_DAYS, amount)
        # Find the day on which the remaining time runs out by whole-week arithmetic, restart just
        # before it, and walk the last few days.
        bulk_first = first_day + _REACH_FORWARD_DAYS + 1
        due_day = self._first_day_reaching(bulk_first, amount - near, _TOTAL) - 1
        restart = max(start, self._clock.first_at_or_after(due_day * DAY_US))
        return self._walk(restart, due_day - _REACH_BACK_DAYS, amount - self._business_us(start, restart))

    def _walk(self, start: int, first_day: int, amount: int) -> int:
        for piece_start, piece_end, _ in self._ordered_pieces(start, first_day):
            length = piece_end - piece_start
            if length >= amount:
                return piece_start + amount
            amount -= length
        raise OverflowError("no working time left before the end of the calendar")  # pragma: no cover

    def _first_day_reaching(self, first: int, need: int, kind: int) -> int:
        """The smallest day D whose days [first, D) hold at least `need` of `kind` (µs or working days).

        Jumps by as many whole weeks as the ordinary week says are still needed (holidays make it fall
        short, so it jumps again), then steps over the last few days one at a time.
        """
        per_week = self._per_week[kind]
        day, reached = first, 0
        while need - reached >= per_week:
            stride = DAYS_PER_WEEK * ((need - reached) // per_week)
            if day + stride > _LAST_DAY:
                raise OverflowError(f"calendar {self.name!r} has too little working time left")
            gained = self._sum_between(day, day + stride, kind)
            if reached + gained >= need:  # extra working days overshot: bisect inside the jump
                low, high = day, day + stride
                while high - low > 1:
                    middle = (low + high) // 2
                    if reached + self._sum_between(day, middle, kind) >= need:
                        high = middle
                    else:
                        low = middle
                return high
            day, reached = day + stride, reached + gained
        while reached < need:
            if day >= _LAST_DAY:
                raise OverflowError(f"calendar {self.name!r} has too little working time left")
            reached += self._day_value(day, kind)
            day += 1
        return day

    def _day_value(self, day: int, kind: int) -> int:
        """What one day holds: its counted µs (_TOTAL) or 1 if it is a working day (_WORKING)."""
        self._load_irregular(day, day)
        correction = self._irregular.get(day)
        regular = self._regular_total if kind == _TOTAL else self._regular_working
        return regular[weekday_of(day)] + (correction[kind] if correction else 0)

    def _clipped(self, first_day: int, last_day: int, low: int, high: int) -> int:
        total = 0
        for day in range(first_day, last_day + 1):
            for piece_start, piece_end in self._day_pieces(day):
                if piece_start < low:
                    piece_start = low
                if piece_end > high:
                    piece_end = high
                if piece_end > piece_start:
                    total += piece_end - piece_start
        return total

    def _ordered_pieces(self, start: int, first_day: int, last_day: int = _LAST_DAY) -> Iterator[tuple[int, int, int]]:
        """(start, end, day) of working time from `start` on, in real-time order.

        Days are taken one at a time; a clock set back can make a day's pieces interleave with the
        next day's, so a piece is released only once no later day can produce an earlier one (every
        piece of a later day starts at or after the first moment showing that day's midnight).
        """
        pending: list[tuple[int, int, int]] = []
        for day in range(first_day, last_day + 1):
            for piece_start, piece_end in self._day_pieces(day):
                if piece_end > start:
                    pending.append((max(piece_start, start), piece_end, day))
            if not pending:
                continue
            pending.sort()
            horizon = self._clock.first_at_or_after((day + 1) * DAY_US)
            released = 0
            while released < len(pending) and pending[released][0] < horizon:
                yield pending[released]
                released += 1
            del pending[:released]
        yield from sorted(pending)

    # -- days ----------------------------------------------------------------------------------------

    def _schedule(self, day: int) -> tuple[Interval, ...]:
        """The intervals that start on a day (µs from its midnight): exception, else holiday, else week."""
        override = self._exceptions.get(day)
        if override is not None:
            return override
        if self._is_closed(day):
            return ()
        return self._week[weekday_of(day)]

    def _is_closed(self, day: int) -> bool:
        if day in self._closed:
            return True
        if self._public is None:
            return False
        return day in self._public_days_in(day_of_epoch(day).year)

    def _public_days_in(self, year: int) -> frozenset[int]:
        cached = self._public_days.get(year)
        if cached is None:
            assert self._public is not None
            cached = self._public_days[year] = frozenset(epoch_day(d) for d in self._public.dates_in(year))
        return cached

    def _day_pieces(self, day: int) -> tuple[Interval, ...]:
        """The real instants of the working time that belongs to a day, as ordered pieces (cached)."""
        cached = self._pieces.get(day)
        if cached is not None:
            return cached
        own = _subtract(self._schedule(day), _spill(self._schedule(day - 1)))
        pieces: tuple[Interval, ...] = ()
        if own:
            midnight = day * DAY_US
            periods = self._clock.periods(midnight - _PIECE_WINDOW_BEFORE_US, midnight + _PIECE_WINDOW_AFTER_US)
            if len(periods) == 1:  # no clock change nearby: a plain shift by the offset
                offset = periods[0][2]
                pieces = tuple((midnight + a - offset, midnight + b - offset) for a, b in own)
            else:
                found: list[Interval] = []
                for a, b in own:
                    found.extend(self._clock.preimage(midnight + a, midnight + b, periods))
                pieces = _merge(found)
        self._pieces[day] = pieces
        return pieces

    # -- whole-week arithmetic with corrections ------------------------------------------------------

    def _total_between(self, first: int, stop: int) -> int:
        """Counted µs of all working time belonging to days [first, stop)."""
        return self._sum_between(first, stop, _TOTAL)

    def _sum_between(self, first: int, stop: int, kind: int) -> int:
        if stop <= first:
            return 0
        self._load_irregular(first, stop - 1)
        weeks, rest = divmod(stop - first, DAYS_PER_WEEK)
        weekday = weekday_of(first)
        week_prefix = self._week_prefix[kind]
        corrections = self._correction_prefix[kind]
        low = bisect_left(self._irregular_days, first)
        high = bisect_left(self._irregular_days, stop)
        return (
            weeks * self._per_week[kind]
            + week_prefix[weekday + rest]
            - week_prefix[weekday]
            + corrections[high]
            - corrections[low]
        )

    def _load_irregular(self, first_day: int, last_day: int) -> None:
        """Make sure the corrections cover days [first_day, last_day] (whole years, kept contiguous)."""
        if self._loaded_days[0] <= first_day and last_day < self._loaded_days[1]:
            return
        first_year, last_year = day_of_epoch(first_day).year, day_of_epoch(last_day).year
        if self._irregular_years:
            first_year = min(first_year, min(self._irregular_years))
            last_year = max(last_year, max(self._irregular_years))
        for year in range(first_year, last_year + 1):
            if year not in self._irregular_years:
                self._irregular_years.add(year)
                self._find_irregular_days(year)
        self._loaded_days = (epoch_day(date(first_year, 1, 1)), _year_stop(last_year))
        self._irregular_days = sorted(self._irregular)
        self._correction_prefix = tuple(
            _prefix_sums([self._irregular[day][kind] for day in self._irregular_days]) for kind in (_TOTAL, _WORKING)
        )

    def _find_irregular_days(self, year: int) -> None:
        first, stop = epoch_day(date(year, 1, 1)), _year_stop(year)
        candidates: set[int] = set()
        # A special day changes itself and, through its overnight shifts, the day after.
        specials = self._sorted_specials[
            bisect_left(self._sorted_specials, first - 1) : bisect_left(self._sorted_specials, stop)
        ]
        for day in specials:
            candidates.update((day, day + 1))
        if self._public is not None:
            for day in self._public_days_in(year):
                candidates.update((day, day + 1))
            if self._is_closed(first - 1):
                candidates.add(first)
        # A clock change alters the days whose piece window (see _day_pieces) contains it.
        window = (_PIECE_WINDOW_BEFORE_US + _PIECE_WINDOW_AFTER_US) // DAY_US
        for instant, _, _ in self._clock.transitions((first - window) * DAY_US, (stop + window) * DAY_US):
            change_day = instant // DAY_US
            candidates.update(range(change_day - window, change_day + window))
        for day in candidates:
            if not first <= day < stop:
                continue
            total = _length(self._day_pieces(day))
            weekday = weekday_of(day)
            correction = (total - self._regular_total[weekday], int(total > 0) - self._regular_working[weekday])
            if correction != (0, 0):
                self._irregular[day] = correction
            else:
                self._irregular.pop(day, None)


# -- interval helpers --------------------------------------------------------------------------------


def _day_us(schedule: DaySchedule) -> tuple[Interval, ...]:
    return _merge([(i.start * US_PER_SECOND, i.end * US_PER_SECOND) for i in schedule])


def _spill(previous: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """The part of the previous day's intervals that runs past midnight, in today's frame."""
    return tuple((a - DAY_US, b - DAY_US) for a, b in previous if b > DAY_US)


def _merge(intervals: Sequence[Interval]) -> tuple[Interval, ...]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _subtract(base: tuple[Interval, ...], cut: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """`base` minus `cut`; both sorted and disjoint."""
    if not cut:
        return base
    result: list[Interval] = []
    for start, end in base:
        for cut_start, cut_end in cut:
            if cut_end <= start or cut_start >= end:
                continue
            if cut_start > start:
                result.append((start, cut_start))
            start = max(start, cut_end)
            if start >= end:
                break
        if start < end:
            result.append((start, end))
    return tuple(result)


def _year_stop(year: int) -> int:
    """The epoch day after the last day of a year."""
    return epoch_day(date(year + 1, 1, 1)) if year < date.max.year else epoch_day(date.max) + 1


def _length(intervals: Sequence[Interval]) -> int:
    return sum(end - start for start, end in intervals)


def _prefix_sums(values: Sequence[int]) -> list[int]:
    sums = [0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


def _amount_us(seconds: int | float) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"business seconds must be a number, not {seconds!r}")
    amount = seconds * US_PER_SECOND if isinstance(seconds, int) else round(seconds * US_PER_SECOND)
    if amount < 0:
        raise ValueError(f"cannot add {seconds} business seconds")
    return amount


def _zone_of(moment: datetime) -> tzinfo:
    assert moment.tzinfo is not None
    return moment.tzinfo
