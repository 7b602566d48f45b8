"""Business calendars against a brute-force reference, and invariants under hypothesis.

The reference walks minute by minute over windows around the interesting days (clock changes,
holidays, exceptions), reads the calendar's wall clock with zoneinfo and asks "is this minute inside a
working interval of its day, or of the previous day's overnight shift?". It shares no code with the
implementation: it reads its own simple description of each calendar, from which the YAML config the
implementation parses is generated. Every schedule boundary and clock change falls on a minute, so
minute steps count exactly.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.timecalc.business import BusinessCalendar, build_calendar

MINUTE = 60
MINUTES_PER_DAY = 1440
WINDOW_DAYS = 8
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
INPUT_ZONES = ("UTC", "America/Los_Angeles", "Asia/Kolkata", "Europe/Moscow", "Australia/Lord_Howe")
BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Minutes = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Reference:
    """A calendar described plainly: weekday -> (start, end) minutes (end may pass 1440)."""

    zone: str
    week: dict[int, Minutes]
    closed: frozenset[date] = frozenset()
    exceptions: dict[date, Minutes] = field(default_factory=dict)
    country: str | None = None
    windows: tuple[date, ...] = ()  # first wall days of the windows the brute force covers

    def schedule(self, day: date) -> Minutes:
        if day in self.exceptions:
            return self.exceptions[day]
        if day in self.closed or (self.country and day in _public_holidays(self.country, day.year)):
            return ()
        return self.week.get(day.weekday(), ())

    def is_working(self, wall: datetime) -> bool:
        minute = wall.hour * 60 + wall.minute
        today, yesterday = wall.date(), wall.date() - timedelta(days=1)
        return any(a <= minute < b for a, b in self.schedule(today)) or any(
            a <= minute + MINUTES_PER_DAY < b for a, b in self.schedule(yesterday)
        )

    def config(self) -> dict[str, object]:
        return {
            "timezone": self.zone,
            "week": {DAY_KEYS[day]: [_interval(i) for i in spans] for day, spans in self.week.items()},
            "holidays": {"dates": sorted(self.closed), **({"country": self.country} if self.country else {})},
            "exceptions": {day: [_interval(i) for i in spans] for day, spans in self.exceptions.items()},
        }


@cache
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def _interval(span: tuple[int, int]) -> str:
    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    start, end = span
    return f"{clock(start)}-{clock(end if end <= MINUTES_PER_DAY else end - MINUTES_PER_DAY)}"


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def span(text: str) -> tuple[int, int]:
    start, end = (hm(part) for part in text.split("-"))
    return start, end if end > start else end + MINUTES_PER_DAY


REFERENCES = {
    "office-moscow": Reference(
        zone="Europe/Moscow",
        week={**{d: (span("09:00-13:00"), span("14:00-18:00")) for d in range(5)}, 5: (span("10:00-14:00"),)},
        closed=frozenset({date(2026, 12, 31)}),
        exceptions={
            date(2026, 12, 30): (span("09:00-16:00"),),
            date(2026, 11, 28): (span("10:00-15:00"),),
            date(2026, 12, 29): (),
            date(2026, 11, 4): (span("10:00-12:00"),),
        },
        country="RU",
        windows=(date(2025, 12, 27), date(2026, 11, 1), date(2026, 11, 25), date(2026, 12, 26)),
    ),
    "nights-new-york": Reference(
        zone="America/New_York",
        week={d: ((span("09:00-17:00"),) if d < 5 else ()) + (span("22:00-06:00"),) for d in range(7)},
        closed=frozenset({date(2026, 7, 4)}),
        exceptions={date(2026, 11, 1): (span("00:00-24:00"),), date(2026, 3, 8): (span("01:30-03:30"),)},
        windows=(date(2026, 3, 4), date(2026, 6, 30), date(2026, 10, 28)),
    ),
    # Saturday's shift ends inside the hour that fall back repeats and Sunday's starts inside it, so
    # the two days' working time interleaves in real time.
    "interleaved-fall-back": Reference(
        zone="America/New_York",
        week={**{d: (span("09:00-17:00"),) for d in range(5)}, 5: (span("22:00-01:30"),), 6: (span("01:30-03:00"),)},
        windows=(date(2026, 10, 29),),
    ),
    "berlin-small-hours": Reference(
        zone="Europe/Berlin",
        week={**{d: (span("00:00-24:00"),) for d in range(6)}, 6: (span("02:00-04:00"), span("12:00-13:00"))},
        windows=(date(2026, 3, 26), date(2026, 10, 22)),
    ),
    "santiago-midnight-shift": Reference(
        zone="America/Santiago",
        week={**{d: (span("09:00-18:00"),) for d in range(5)}, 5: (span("23:00-01:00"),), 6: (span("00:00-02:00"),)},
        windows=(date(2026, 4, 1), date(2026, 9, 2)),
    ),
    "lord-howe-overlapping-days": Reference(
        zone="Australia/Lord_Howe",
        week={
            **{d: (span("01:00-03:00"),) for d in range(7)},
            0: (span("01:00-03:00"), span("20:00-04:00")),
            1: (span("00:00-08:00"),),
        },
        windows=(date(2026, 4, 1), date(2026, 9, 30)),
    ),
}


@dataclass(frozen=True)
class Window:
    """Brute-force prefix counts of working minutes from `start` on (count[k] = minutes in [0, k))."""

    start: datetime
    counts: tuple[int, ...]


@cache
def calendar_for(name: str) -> BusinessCalendar:
    return build_calendar(name, REFERENCES[name].config(), "UTC")


@cache
def windows_for(name: str) -> tuple[Window, ...]:
    reference = REFERENCES[name]
    zone = ZoneInfo(reference.zone)
    windows = []
    for first_day in reference.windows:
        start = datetime.combine(first_day, datetime.min.time(), zone).astimezone(timezone.utc)
        counts = [0]
        for minute in range(WINDOW_DAYS * MINUTES_PER_DAY):
            wall = (start + timedelta(minutes=minute)).astimezone(zone).replace(tzinfo=None)
            counts.append(counts[-1] + reference.is_working(wall))
        windows.append(Window(start, tuple(counts)))
    return tuple(windows)


@st.composite
def window_spans(draw: st.DrawFn) -> tuple[str, Window, int, int, ZoneInfo]:
    name = draw(st.sampled_from(sorted(REFERENCES)))
    window = draw(st.sampled_from(windows_for(name)))
    last = len(window.counts) - 1
    first = draw(st.integers(0, last))
    # Mostly short spans (hours), sometimes several days.
    length = draw(st.one_of(st.integers(0, 6 * 60), st.integers(0, last)))
    zone = ZoneInfo(draw(st.sampled_from(INPUT_ZONES)))
    return name, window, first, min(last, first + length), zone


def at(window: Window, minute: int, zone: ZoneInfo) -> datetime:
    return (window.start + timedelta(minutes=minute)).astimezone(zone)


@given(window_spans())
@BOUNDED
def test_business_seconds_matches_brute_force(case: tuple[str, Window, int, int, ZoneInfo]) -> None:
    name, window, first, last, zone = case
    expected = (window.counts[last] - window.counts[first]) * MINUTE
    assert calendar_for(name).business_seconds(at(window, first, zone), at(window, last, zone)) == expected


@given(window_spans())
@BOUNDED
def test_due_time_matches_brute_force(case: tuple[str, Window, int, int, ZoneInfo]) -> None:
    name, window, first, last, zone = case
    worked = window.counts[last] - window.counts[first]
    # The due time is the end of the minute in which the count reaches `worked`.
    due_minute = bisect_left(window.counts, window.counts[first] + worked, lo=first) if worked else first
    due = calendar_for(name).add_business_seconds(at(window, first, zone), worked * MINUTE)
    assert due.astimezone(timezone.utc) == window.start + timedelta(minutes=due_minute)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_whole_windows_match_brute_force(name: str) -> None:
    calendar = calendar_for(name)
    for window in windows_for(name):
        for step in (1, 7, 60, 6 * 60):  # walk each window in chunks, including odd-sized ones
            for first in range(0, len(window.counts) - 1, step):
                last = min(first + step, len(window.counts) - 1)
                expected = (window.counts[last] - window.counts[first]) * MINUTE
                got = calendar.business_seconds(at(window, first, timezone.utc), at(window, last, timezone.utc))
                assert got == expected, (name, at(window, first, timezone.utc), step)


def test_open_intervals_match_brute_force() -> None:
    for name in REFERENCES:
        calendar = calendar_for(name)
        for window in windows_for(name):
            end = len(window.counts) - 1
            intervals = list(calendar.open_intervals(at(window, 0, timezone.utc), at(window, end, timezone.utc)))
            working = {
                minute
                for a, b in intervals
                for minute in range(
                    int((a - window.start).total_seconds()) // MINUTE, int((b - window.start).total_seconds()) // MINUTE
                )
            }
            expected = {m for m in range(end) if window.counts[m + 1] > window.counts[m]}
            assert working == expected, name
            # Ordered, non-empty, and separated by closed time (touching pieces are joined).
            assert all(a < b for a, b in intervals)
            assert all(b1 < a2 for (_, b1), (a2, _) in zip(intervals, intervals[1:], strict=False))


# -- invariants over long spans, any second, any offset ------------------------------------------

INSTANTS = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from(
        [ZoneInfo(z) for z in INPUT_ZONES + ("America/New_York", "America/Santiago", "Europe/Berlin")]
    ),
).map(lambda moment: moment.replace(microsecond=0).astimezone(timezone.utc).astimezone(moment.tzinfo))
SPANS = st.integers(0, 400 * 86_400)
CALENDAR_NAMES = st.sampled_from(sorted(REFERENCES))


def later(start: datetime, seconds: float) -> datetime:
    """`seconds` of real time after start, in UTC (aware arithmetic in one zone is wall-clock arithmetic)."""
    return start.astimezone(timezone.utc) + timedelta(seconds=seconds)


@given(CALENDAR_NAMES, INSTANTS, SPANS)
@BOUNDED
def test_business_time_never_exceeds_calendar_time(name: str, start: datetime, seconds: int) -> None:
    end = later(start, seconds)
    assert 0 <= calendar_for(name).business_seconds(start, end) <= (end - start).total_seconds()


@given(CALENDAR_NAMES, INSTANTS, SPANS, st.floats(0, 1))
@BOUNDED
def test_splitting_a_span_never_changes_its_total(name: str, start: datetime, seconds: int, cut: float) -> None:
    calendar = calendar_for(name)
    end = later(start, seconds)
    middle = later(start, int(seconds * cut))
    total = calendar.business_seconds(start, end)
    assert calendar.business_seconds(start, middle) + calendar.business_seconds(middle, end) == total
    exact = calendar.business_time
    assert exact(start, middle) + exact(middle, end) == exact(start, end)


@given(CALENDAR_NAMES, INSTANTS, st.integers(0, 60 * 86_400))
@settings(max_examples=60, deadline=None)
def test_long_spans_equal_the_sum_of_short_ones(name: str, start: datetime, seconds: int) -> None:
    """Whole-week arithmetic in the middle of a long span agrees with walking it in 2-day pieces."""
    calendar = calendar_for(name)
    end = later(start, seconds)
    cuts = [start.astimezone(timezone.utc)]
    while cuts[-1] + timedelta(days=2) < end:
        cuts.append(cuts[-1] + timedelta(days=2))
    cuts.append(end)
    assert calendar.business_seconds(start, end) == sum(
        calendar.business_seconds(a, b) for a, b in zip(cuts, cuts[1:], strict=False)
    )


@given(CALENDAR_NAMES, INSTANTS, st.integers(0, 2000 * 3600))
@BOUNDED
def test_due_time_round_trips(name: str, start: datetime, seconds: int) -> None:
    calendar = calendar_for(name)
    # Compare and step in UTC: same-zone datetimes compare by wall clock (PEP 495), so a due time in
    # the repeated hour (fold=1) would wrongly look earlier than a start before the change.
    due = calendar.add_business_seconds(start, seconds).astimezone(timezone.utc)
    assert due >= start.astimezone(timezone.utc)
    assert calendar.business_seconds(start, due) == seconds
    if seconds:
        assert calendar.business_time(start, due - timedelta(microseconds=1)) < timedelta(seconds=seconds)


@given(CALENDAR_NAMES, INSTANTS, SPANS, SPANS)
@BOUNDED
def test_monotonic(name: str, start: datetime, first: int, second: int) -> None:
    calendar = calendar_for(name)
    shorter, longer = sorted((first, second))
    near, far = later(start, shorter), later(start, longer)
    assert calendar.business_seconds(start, near) <= calendar.business_seconds(start, far)
    assert calendar.business_seconds(near, far) <= calendar.business_seconds(start, far)
    less, more = sorted((first // 10, second // 10))
    assert calendar.add_business_seconds(start, less).astimezone(timezone.utc) <= calendar.add_business_seconds(
        start, more
    ).astimezone(timezone.utc)


@given(CALENDAR_NAMES, INSTANTS, st.integers(1, 30))
@settings(max_examples=100, deadline=None)
def test_working_days_land_in_working_hours(name: str, start: datetime, days: int) -> None:
    calendar = calendar_for(name)
    due = calendar.add_working_days(start, days)
    later = calendar.add_working_days(start, days + 1)
    assert start < due < later
    # Within the working day: either open, or exactly at a closing time (stepped back in UTC, since
    # wall-clock arithmetic could land in a spring-forward gap).
    just_before = due.astimezone(timezone.utc) - timedelta(microseconds=1)
    assert calendar.is_working_time(due) or calendar.is_working_time(just_before)
