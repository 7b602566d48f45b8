"""Wall clock of one IANA time zone as integer arithmetic, for the business-time engine.

Instants are integer microseconds since the Unix epoch (UTC); wall-clock ("local") times are integer
microseconds on the same scale read off the zone's clock, so `wall = instant + utc_offset`. The zone's
offset changes (daylight saving, political changes) are found once per year by probing zoneinfo and
kept as sorted lists, so every later question is a bisect rather than a datetime conversion.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

US_PER_SECOND = 1_000_000
SECONDS_PER_DAY = 86_400
DAY_US = SECONDS_PER_DAY * US_PER_SECOND
EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
EPOCH_WEEKDAY = date(1970, 1, 1).weekday()  # epoch day 0 was a Thursday; weekday 0 is Monday
ONE_MICROSECOND = timedelta(microseconds=1)

# No zone has ever had two offset changes less than six hours apart, so probing every six hours and
# bisecting between probes that disagree finds every transition to the second.
_PROBE_STEP_S = 6 * 3600
# Windows around a wall time wide enough to contain every instant that can show it: UTC offsets stay
# within ±15 hours and a clock never jumps back by a day or more.
_WALL_WINDOW_US = 2 * DAY_US


def to_epoch_us(moment: datetime) -> int:
    """The instant of an aware datetime as integer microseconds since the epoch."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; business-time arithmetic needs aware datetimes")
    return (moment - EPOCH_UTC) // ONE_MICROSECOND


def utc_instant(instant: int) -> datetime:
    """An aware datetime in UTC for an instant, as the intake gives every timestamp."""
    return EPOCH_UTC + timedelta(microseconds=instant)


def from_epoch_us(instant: int, zone: tzinfo) -> datetime:
    """An aware datetime for an instant, shown in `zone` (the right fold is chosen by astimezone)."""
    return (EPOCH_UTC + timedelta(microseconds=instant)).astimezone(zone)


def epoch_day(day: date) -> int:
    """Days since 1970-01-01 (the local midnight of the day is `epoch_day * DAY_US` on the wall)."""
    return day.toordinal() - EPOCH_ORDINAL


def day_of_epoch(day_number: int) -> date:
    return date.fromordinal(day_number + EPOCH_ORDINAL)


def weekday_of(day_number: int) -> int:
    """0 = Monday … 6 = Sunday."""
    return (day_number + EPOCH_WEEKDAY) % 7


@dataclass(frozen=True, slots=True)
class _YearOffsets:
    """The offsets in force during one UTC year: period i is [bounds[i], bounds[i+1] or end)."""

    start: int
    end: int
    bounds: tuple[int, ...]
    offsets: tuple[int, ...]
    transitions: tuple[tuple[int, int, int], ...]  # (instant, offset before, offset after)


class ZoneClock:
    """UTC offsets of one zone as integer periods, found lazily one UTC year at a time."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._years: dict[int, _YearOffsets] = {}
        # The periods of the last two lookups: questions come in pairs (a span's start and end) about
        # nearly the same days, so most lookups are answered here.
        self._last_period: tuple[int, int, int] = (0, 0, 0)
        self._previous_period: tuple[int, int, int] = (0, 0, 0)

    # -- offsets -------------------------------------------------------------------------------

    def offset_at(self, instant: int) -> int:
        """UTC offset (µs) in force at an instant."""
        low, high, offset = self._last_period
        if low <= instant < high:
            return offset
        low, high, offset = self._previous_period
        if low <= instant < high:
            self._previous_period, self._last_period = self._last_period, self._previous_period
            return offset
        year = self._year_offsets(_utc_year(instant))
        index = bisect_right(year.bounds, instant) - 1
        high = year.bounds[index + 1] if index + 1 < len(year.bounds) else year.end
        self._previous_period = self._last_period
        self._last_period = (year.bounds[index], high, year.offsets[index])
        return year.offsets[index]

    def wall(self, instant: int) -> int:
        """The wall-clock reading at an instant."""
        return instant + self.offset_at(instant)

    def periods(self, low: int, high: int) -> list[tuple[int, int, int]]:
        """(start, end, offset) periods of constant offset covering [low, high), in order."""
        result: list[tuple[int, int, int]] = []
        year_number = _utc_year(low)
        while True:
            year = self._year_offsets(year_number)
            for index, start in enumerate(year.bounds):
                end = year.bounds[index + 1] if index + 1 < len(year.bounds) else year.end
                start, end = max(start, low), min(end, high)
                if start >= end:
                    continue
                offset = year.offsets[index]
                # Year boundaries are not offset changes: join the pieces they cut.
                if result and result[-1][1] == start and result[-1][2] == offset:
                    result[-1] = (result[-1][0], end, offset)
                else:
                    result.append((start, end, offset))
            if year.end >= high:
                return result
            year_number += 1

    def transitions(self, low: int, high: int) -> list[tuple[int, int, int]]:
        """(instant, offset before, offset after) of every offset change in [low, high)."""
        found: list[tuple[int, int, int]] = []
        for year_number in range(_utc_year(low), _utc_year(high - 1) + 1):
            found.extend(t for t in self._year_offsets(year_number).transitions if low <= t[0] < high)
        return found

    # -- wall-clock questions ------------------------------------------------------------------

    def first_at_or_after(self, wall_time: int) -> int:
        """The first instant whose wall clock shows `wall_time` or later.

        For a time that occurs twice (clocks set back) this is its first occurrence; for a time that
        never occurs (clocks set forward over it) it is the instant the clocks jump.
        """
        # Usual case: one offset holds for days around the answer, so nothing earlier can show it.
        guess = wall_time - self.offset_at(wall_time)
        offset = self.offset_at(guess)
        low, high, _ = self._last_period
        if low <= wall_time - offset - _WALL_WINDOW_US and wall_time - offset + _WALL_WINDOW_US < high:
            return wall_time - offset
        best: int | None = None
        for start, end, offset in self.periods(wall_time - _WALL_WINDOW_US, wall_time + _WALL_WINDOW_US):
            candidate = max(start, wall_time - offset)
            if candidate < end and (best is None or candidate < best):
                best = candidate
        if best is None:  # pragma: no cover - the window always contains such an instant
            raise ValueError("wall time out of range")
        return best

    def preimage(self, wall_start: int, wall_end: int, periods: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
        """The instants whose wall clock shows a time in [wall_start, wall_end), as ordered pieces.

        `periods` must cover every instant that can show such a time. A set-back clock shows some
        times twice, so one wall interval can give two pieces; a set-forward clock skips some times,
        so a piece can be shorter than its wall interval.
        """
        pieces: list[tuple[int, int]] = []
        for start, end, offset in periods:
            low, high = max(start, wall_start - offset), min(end, wall_end - offset)
            if low < high:
                if pieces and pieces[-1][1] == low:
                    pieces[-1] = (pieces[-1][0], high)
                else:
                    pieces.append((low, high))
        return pieces

    # -- probing -------------------------------------------------------------------------------

    def _year_offsets(self, year_number: int) -> _YearOffsets:
        cached = self._years.get(year_number)
        if cached is None:
            cached = self._years[year_number] = self._probe_year(year_number)
        return cached

    def _probe_year(self, year_number: int) -> _YearOffsets:
        start_s = epoch_day(date(year_number, 1, 1)) * SECONDS_PER_DAY
        end_s = (
            epoch_day(date(year_number + 1, 1, 1)) * SECONDS_PER_DAY
            if year_number < date.max.year
            else (epoch_day(date.max) + 1) * SECONDS_PER_DAY
        )
        bounds = [start_s]
        offsets = [self._offset_s(start_s)]
        transitions: list[tuple[int, int, int]] = []
        probe = start_s
        while probe < end_s:
            following = min(probe + _PROBE_STEP_S, end_s - 1)
            if following <= probe:
                break
            # Bisect to the exact second for each change between two probes.
            while self._offset_s(following) != offsets[-1]:
                low, high = probe, following  # offset(low) == offsets[-1] != offset(high)
                while high - low > 1:
                    middle = (low + high) // 2
                    if self._offset_s(middle) == offsets[-1]:
                        low = middle
                    else:
                        high = middle
                new_offset = self._offset_s(high)
                transitions.append((high * US_PER_SECOND, offsets[-1] * US_PER_SECOND, new_offset * US_PER_SECOND))
                bounds.append(high)
                offsets.append(new_offset)
                probe = high
            probe = following
        return _YearOffsets(
            start=start_s * US_PER_SECOND,
            end=end_s * US_PER_SECOND,
            bounds=tuple(b * US_PER_SECOND for b in bounds),
            offsets=tuple(o * US_PER_SECOND for o in offsets),
            transitions=tuple(transitions),
        )

    def _offset_s(self, instant_s: int) -> int:
        moment = (EPOCH_UTC + timedelta(seconds=instant_s)).astimezone(self.zone)
        offset = moment.utcoffset()
        assert offset is not None
        return offset // timedelta(seconds=1)


def _utc_year(instant: int) -> int:
    return date.fromordinal(instant // DAY_US + EPOCH_ORDINAL).year
