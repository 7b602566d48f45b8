"""The column form of calendars (worktable.py) against the scalar calendars, value for value.

Random calendars (breaks, overnight shifts, RU/US public holidays, closed dates and exceptions, zones
with daylight saving) are asked whole columns of questions around clock changes and holidays; every
answer must equal what BusinessCalendar (or AlwaysOpen) says for that row. The named cases of
test_business_cases.py are asked again as columns.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.timecalc.business import BusinessCalendar, build_calendar
from svcaudit.timecalc.calendar import ALWAYS_OPEN
from svcaudit.timecalc.zoneclock import DAY_US, US_PER_SECOND, from_epoch_us, to_epoch_us
from tests.timecalc.test_business_cases import BUSINESS_SECONDS, CALENDARS, DUE_TIMES, WORKING_DAYS, t

np = pytest.importorskip("numpy")
worktable = pytest.importorskip("svcaudit.timecalc.worktable")
NAT, AlwaysOpenTable, WorkTable, build_table = (
    worktable.NAT,
    worktable.AlwaysOpenTable,
    worktable.WorkTable,
    worktable.build_table,
)

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONES = ("Europe/Berlin", "America/New_York", "Europe/Moscow", "Australia/Lord_Howe", "UTC")
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HALF_HOURS_PER_DAY = 48
MINUTE_US = 60 * US_PER_SECOND
HALF_HOUR_US = 30 * MINUTE_US
# Days the spans start near: clock changes of the zones above and public holidays of RU and US.
LANDMARKS = tuple(
    date.fromisoformat(day)
    for day in (
        "2026-01-01",
        "2026-01-09",
        "2026-02-23",
        "2026-03-08",
        "2026-03-29",
        "2026-04-05",
        "2026-05-01",
        "2026-05-25",
        "2026-07-04",
        "2026-10-04",
        "2026-10-25",
        "2026-11-01",
        "2026-11-04",
        "2026-11-26",
        "2026-12-25",
        "2026-12-31",
    )
)
FIRST_DATE, LAST_DATE = date(2025, 10, 1), date(2027, 3, 31)


def clock_text(half_hours: int) -> str:
    return f"{half_hours // 2:02d}:{half_hours % 2 * 30:02d}"


@st.composite
def day_intervals(draw: st.DrawFn) -> list[str]:
    """Up to two disjoint intervals on the half hour, and sometimes a shift running past midnight."""
    bounds = sorted(draw(st.sets(st.integers(0, HALF_HOURS_PER_DAY), max_size=4)))
    bounds = bounds[: len(bounds) // 2 * 2]
    intervals = [f"{clock_text(a)}-{clock_text(b)}" for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    latest = bounds[-1] if bounds else 0
    if latest < HALF_HOURS_PER_DAY - 1 and draw(st.booleans()):
        start = draw(st.integers(latest + 1, HALF_HOURS_PER_DAY - 1))
        end = draw(st.integers(1, start - 1)) if start > 1 else 0
        if end:
            intervals.append(f"{clock_text(start)}-{clock_text(end)}")
    return intervals


def some_dates() -> st.SearchStrategy[date]:
    near_landmark = st.builds(
        lambda day, shift: day + timedelta(days=shift), st.sampled_from(LANDMARKS), st.integers(-3, 3)
    )
    return st.one_of(near_landmark, st.dates(FIRST_DATE, LAST_DATE))


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    week = {key: draw(day_intervals()) for key in DAY_KEYS}
    if not any(week.values()):
        week["mon"] = ["09:00-17:00"]
    holidays: dict[str, object] = {"dates": sorted(draw(st.sets(some_dates(), max_size=4)))}
    country = draw(st.sampled_from((None, "RU", "US")))
    if country:
        holidays["country"] = country
    exceptions = {day: draw(day_intervals()) for day in draw(st.sets(some_dates(), max_size=4))}
    config = {"timezone": draw(st.sampled_from(ZONES)), "week": week, "holidays": holidays, "exceptions": exceptions}
    return build_calendar("random", config, "UTC")


@st.composite
def instants(draw: st.DrawFn) -> int:
    """Epoch µs near a landmark or anywhere in the range: at any microsecond, on the minute, or on the
    half hour (where the calendars' intervals begin and end)."""
    day = draw(some_dates())
    moment = (day.toordinal() - date(1970, 1, 1).toordinal()) * DAY_US
    moment += draw(st.integers(-DAY_US, 2 * DAY_US))
    grid = draw(st.sampled_from((1, MINUTE_US, HALF_HOUR_US)))
    return moment // grid * grid


def durations_us() -> st.SearchStrategy[int]:
    return st.one_of(st.integers(0, DAY_US), st.integers(0, 45 * DAY_US), st.integers(-DAY_US, 0))


def moments(column: np.ndarray) -> list[datetime]:
    return [from_epoch_us(int(value), timezone.utc) for value in column]


def columns(draw: st.DrawFn, values: st.SearchStrategy[int], size: int) -> np.ndarray:
    return np.array(draw(st.lists(values, min_size=size, max_size=size)), dtype=np.int64)


@st.composite
def questions(draw: st.DrawFn) -> tuple[BusinessCalendar, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A calendar, starts, ends, seconds to add and working days to add (one row each)."""
    size = draw(st.integers(1, 25))
    starts = columns(draw, instants(), size)
    ends = starts + columns(draw, durations_us(), size)
    # Whole half hours often, so that due times fall exactly on closings.
    half_hours = st.integers(0, 200).map(lambda count: count * 1800)
    seconds = columns(draw, st.one_of(st.integers(0, 12 * 3600), st.integers(0, 600 * 3600), half_hours), size)
    days = columns(draw, st.one_of(st.integers(0, 3), st.integers(0, 25)), size)
    return draw(calendars()), starts, ends, seconds, days


def narrow_table(calendar: BusinessCalendar, starts: np.ndarray) -> WorkTable:
    """A table built for the first start only, so that the other rows make it grow."""
    return WorkTable.build(calendar, int(starts[0]), int(starts[0]))


@given(questions())
@PROPERTY
def test_business_seconds_equal_the_calendar(case: tuple[BusinessCalendar, np.ndarray, ...]) -> None:
    calendar, starts, ends, _, _ = case
    table = narrow_table(calendar, starts)
    expected = [calendar.business_seconds(a, b) for a, b in zip(moments(starts), moments(ends), strict=True)]
    assert table.business_seconds(starts, ends).tolist() == expected
    exact = [
        calendar.business_time(a, b) // timedelta(microseconds=1)
        for a, b in zip(moments(starts), moments(ends), strict=True)
    ]
    assert table.business_us(starts, ends).tolist() == exact


@given(questions())
@PROPERTY
def test_due_times_equal_the_calendar(case: tuple[BusinessCalendar, np.ndarray, ...]) -> None:
    calendar, starts, _, seconds, _ = case
    table = narrow_table(calendar, starts)
    expected = [
        to_epoch_us(calendar.add_business_seconds(a, int(n))) for a, n in zip(moments(starts), seconds, strict=True)
    ]
    assert table.add_business_seconds(starts, seconds).tolist() == expected


@given(questions())
@PROPERTY
def test_working_day_targets_equal_the_calendar(case: tuple[BusinessCalendar, np.ndarray, ...]) -> None:
    calendar, starts, _, _, days = case
    table = narrow_table(calendar, starts)
    expected = [to_epoch_us(calendar.add_working_days(a, int(n))) for a, n in zip(moments(starts), days, strict=True)]
    assert table.add_working_days(starts, days).tolist() == expected


@given(
    st.lists(instants(), min_size=1, max_size=20),
    st.lists(durations_us(), min_size=20, max_size=20),
    st.lists(st.integers(-(10**6), 10**8), min_size=20, max_size=20),
    st.integers(-400, 400),
)
@settings(max_examples=60, deadline=None)
def test_always_open_equals_the_24_7_calendar(
    starts: list[int], spans: list[int], seconds: list[int], days: int
) -> None:
    begin = np.array(starts, dtype=np.int64)
    end = begin + np.array(spans[: len(starts)], dtype=np.int64)
    amounts = np.array(seconds[: len(starts)], dtype=np.int64)
    table = build_table(ALWAYS_OPEN, 0, 0)
    pairs = list(zip(moments(begin), moments(end), strict=True))
    assert table.business_seconds(begin, end).tolist() == [ALWAYS_OPEN.business_seconds(a, b) for a, b in pairs]
    assert table.add_business_seconds(begin, amounts).tolist() == [
        to_epoch_us(ALWAYS_OPEN.add_business_seconds(a, int(n))) for (a, _), n in zip(pairs, amounts, strict=True)
    ]
    assert table.add_working_days(begin, days).tolist() == [
        to_epoch_us(ALWAYS_OPEN.add_working_days(a, days)) for a, _ in pairs
    ]


# -- the named cases, as columns -----------------------------------------------------------------------


def by_calendar(rows: list[tuple]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[1]].append(row)
    return grouped


def table_for(name: str) -> WorkTable:
    """Built for one day only: the named cases reach years away and make the table grow."""
    moment = to_epoch_us(t("2026-03-16 10:00 Europe/Moscow"))
    return WorkTable.build(build_calendar(name, CALENDARS[name], "UTC"), moment, moment)


@pytest.mark.parametrize(("name", "rows"), sorted(by_calendar(BUSINESS_SECONDS).items()))
def test_named_business_seconds(name: str, rows: list[tuple]) -> None:
    starts = [to_epoch_us(t(row[2])) for row in rows]
    ends = [to_epoch_us(t(row[3])) for row in rows]
    assert table_for(name).business_seconds(starts, ends).tolist() == [row[4] for row in rows]


@pytest.mark.parametrize(("name", "rows"), sorted(by_calendar(DUE_TIMES).items()))
def test_named_due_times(name: str, rows: list[tuple]) -> None:
    starts = [to_epoch_us(t(row[2])) for row in rows]
    due = table_for(name).add_business_seconds(starts, [row[3] for row in rows])
    assert due.tolist() == [to_epoch_us(t(row[4])) for row in rows]


@pytest.mark.parametrize(("name", "rows"), sorted(by_calendar(WORKING_DAYS).items()))
def test_named_working_days(name: str, rows: list[tuple]) -> None:
    starts = [to_epoch_us(t(row[2])) for row in rows]
    due = table_for(name).add_working_days(starts, [row[3] for row in rows])
    assert due.tolist() == [to_epoch_us(t(row[4])) for row in rows]


# Working-day targets whose due day has a clock change, and days whose working time interleaves.
WORKING_DAYS_OVER_CLOCK_CHANGES = [
    # (case, calendar, start, days, expected due)
    ("same wall time after spring forward", "allday-ny", "2026-03-07T04:00:00-05:00", 1, "2026-03-08T04:00:00-04:00"),
    ("a skipped wall time moves to the jump", "allday-ny", "2026-03-07T02:30:00-05:00", 1, "2026-03-08T03:00:00-04:00"),
    (
        "a repeated wall time: its first showing",
        "small-hours-ny",
        "2026-10-31T01:30:00-04:00",
        1,
        "2026-11-01T01:30:00-04:00",
    ),
    ("night shift into summer time", "night-ny", "2026-03-07T23:30:00-05:00", 1, "2026-03-08T23:30:00-04:00"),
    (
        "started in the tail of an interleaved shift: the next day's last closing",
        "interleaved-ny",
        "2026-11-01T01:10:00-05:00",
        1,
        "2026-11-01T03:00:00-05:00",
    ),
    (
        "started in the interleaved next day: a week on",
        "interleaved-ny",
        "2026-11-01T01:40:00-04:00",
        1,
        "2026-11-07T22:00:00-05:00",
    ),
    (
        "after the interleaved day's last closing",
        "interleaved-ny",
        "2026-10-31T23:00:00-04:00",
        1,
        "2026-11-01T03:00:00-05:00",
    ),
]


@pytest.mark.parametrize(
    ("case", "calendar", "start", "days", "expected"),
    WORKING_DAYS_OVER_CLOCK_CHANGES,
    ids=[row[0] for row in WORKING_DAYS_OVER_CLOCK_CHANGES],
)
def test_working_days_over_clock_changes(case: str, calendar: str, start: str, days: int, expected: str) -> None:
    instant = to_epoch_us(t(start))
    assert table_for(calendar).add_working_days([instant], [days]).tolist() == [to_epoch_us(t(expected))]
    scalar = build_calendar(calendar, CALENDARS[calendar], "UTC").add_working_days(t(start), days)
    assert to_epoch_us(scalar) == to_epoch_us(t(expected))


# -- values, shapes and limits -------------------------------------------------------------------------

MONDAY_10 = to_epoch_us(t("2026-03-16 10:00 Europe/Moscow"))
HOUR_US = 3600 * US_PER_SECOND


@pytest.fixture(scope="module")
def std8() -> WorkTable:
    return table_for("std8")


def test_missing_values_give_missing_answers(std8: WorkTable) -> None:
    starts = np.array([MONDAY_10, NAT, MONDAY_10], dtype=np.int64)
    ends = np.array([MONDAY_10 + HOUR_US, MONDAY_10, NAT], dtype=np.int64)
    assert std8.business_seconds(starts, ends).tolist() == [3600, NAT, NAT]
    assert std8.add_business_seconds(starts, [3600, 3600, NAT]).tolist() == [MONDAY_10 + HOUR_US, NAT, NAT]
    assert std8.add_working_days(starts, [0, 1, NAT]).tolist() == [MONDAY_10, NAT, NAT]
    assert std8.business_seconds([NAT], [NAT]).tolist() == [NAT]
    assert std8.business_seconds(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).shape == (0,)


def test_datetime64_columns_and_their_nat_are_read(std8: WorkTable) -> None:
    starts = np.array([MONDAY_10, NAT], dtype=np.int64).view("datetime64[us]").astype("datetime64[ns]")
    ends = np.array(["2026-03-16T08:00", "2026-03-16T08:00"], dtype="datetime64[s]")  # 11:00 Moscow
    assert std8.business_seconds(starts, ends).tolist() == [3600, NAT]


def test_arguments_broadcast_and_keep_their_shape(std8: WorkTable) -> None:
    starts = np.array([[MONDAY_10], [MONDAY_10 + HOUR_US]], dtype=np.int64)
    answer = std8.add_business_seconds(starts, np.array([0, 3600, 7 * 3600]))
    assert answer.shape == (2, 3)
    assert answer[1, 0] == MONDAY_10 + HOUR_US
    assert std8.business_seconds(MONDAY_10, MONDAY_10 + HOUR_US) == 3600


def test_the_table_grows_for_questions_outside_it() -> None:
    calendar = build_calendar("std8", CALENDARS["std8"], "UTC")
    table = WorkTable.build(calendar, MONDAY_10, MONDAY_10)
    low, high = table.coverage
    assert low <= MONDAY_10 <= high
    far = MONDAY_10 + 3 * 365 * DAY_US
    start = from_epoch_us(MONDAY_10, timezone.utc)
    assert table.add_business_seconds(MONDAY_10, 3000 * 3600).tolist() == to_epoch_us(
        calendar.add_business_seconds(start, 3000 * 3600)
    )
    assert table.add_working_days(MONDAY_10, 600).tolist() == to_epoch_us(calendar.add_working_days(start, 600))
    assert table.business_seconds(MONDAY_10 - 400 * DAY_US, far).tolist() == calendar.business_seconds(
        from_epoch_us(MONDAY_10 - 400 * DAY_US, timezone.utc), from_epoch_us(far, timezone.utc)
    )
    assert table.coverage[0] <= MONDAY_10 - 400 * DAY_US and far <= table.coverage[1]


def test_refusals_match_the_calendar(std8: WorkTable) -> None:
    with pytest.raises(ValueError, match="cannot add"):
        std8.add_business_seconds([MONDAY_10], [-1])
    with pytest.raises(ValueError, match="cannot add"):
        std8.add_working_days([MONDAY_10], [-1])
    with pytest.raises(TypeError, match="integers"):
        std8.add_business_seconds([MONDAY_10], [1.5])
    with pytest.raises(TypeError, match="integers"):
        std8.business_seconds([True], [False])
    with pytest.raises(OverflowError):
        std8.add_working_days([MONDAY_10], [4_000_000])
    with pytest.raises(TypeError, match="no column form"):
        build_table(object(), 0, 0)  # type: ignore[arg-type]


def test_always_open_counts_real_time_across_a_clock_change() -> None:
    """On fixed offsets AlwaysOpen counts real time; the table always does."""
    before = datetime(2026, 3, 8, 1, 0, tzinfo=timezone(timedelta(hours=-5)))
    after = datetime(2026, 3, 8, 4, 0, tzinfo=ZoneInfo("America/New_York"))
    table = AlwaysOpenTable()
    assert (
        table.business_seconds(to_epoch_us(before), to_epoch_us(after))
        == ALWAYS_OPEN.business_seconds(before, after)
        == 2 * 3600
    )
