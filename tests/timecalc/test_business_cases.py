"""Named trap cases for business calendars: each row is data (calendar, instants, expected answer).

Instants are written "YYYY-MM-DD HH:MM Zone/Name" (a wall time in that zone; fold 0 where ambiguous)
or as ISO 8601 with an explicit offset.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from svcaudit.timecalc.business import BusinessCalendar, build_calendar
from svcaudit.timecalc.calendar import ALWAYS_OPEN, Calendar

H = 3600
M = 60

CALENDARS: dict[str, dict[str, object]] = {
    # Mon–Fri 09–17 in Moscow with Russian public holidays.
    "std8": {"timezone": "Europe/Moscow", "week": {"mon-fri": ["09:00-17:00"]}, "holidays": {"country": "RU"}},
    # The STANDARD.md office: lunch break, short Saturday, holidays and dated exceptions.
    "office": {
        "timezone": "Europe/Moscow",
        "week": {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
        "holidays": {"country": "RU", "dates": ["2026-12-31", "2027-01-01..2027-01-08"]},
        "exceptions": {
            "2026-12-30": ["09:00-16:00"],
            "2026-11-28": ["10:00-15:00"],
            "2026-12-29": [],
            "2026-11-04": ["10:00-12:00"],  # Unity Day, a public holiday, worked anyway
        },
    },
    "std8-short-wed": {
        "timezone": "Europe/Moscow",
        "week": {"mon-fri": ["09:00-17:00"]},
        "exceptions": {"2026-12-30": ["09:00-16:00"]},
    },
    "night-ny": {
        "timezone": "America/New_York",
        "week": {"daily": ["22:00-06:00"]},
        "holidays": {"dates": ["2026-07-04"]},
    },
    "allday-berlin": {"timezone": "Europe/Berlin", "week": {"daily": ["00:00-24:00"]}},
    "allday-ny": {"timezone": "America/New_York", "week": {"daily": ["00:00-24:00"]}},
    "day-berlin": {"timezone": "Europe/Berlin", "week": {"daily": ["09:00-17:00"]}},
    "small-hours-ny": {"timezone": "America/New_York", "week": {"daily": ["01:00-04:00"]}},
    "santiago": {"timezone": "America/Santiago", "week": {"mon-fri": ["09:00-18:00"]}},
    "allday-santiago": {"timezone": "America/Santiago", "week": {"daily": ["00:00-24:00"]}},
    # Saturday's shift ends inside the hour that fall back repeats, Sunday's starts inside it.
    "interleaved-ny": {"timezone": "America/New_York", "week": {"sat": ["22:00-01:30"], "sun": ["01:30-03:00"]}},
    # Neighbouring days overlap (Monday's night shift and Tuesday's early shift): counted once.
    "overlap": {"timezone": "UTC", "week": {"mon": ["20:00-04:00"], "tue": ["00:00-08:00"]}},
}


@pytest.fixture(scope="module")
def calendars() -> dict[str, BusinessCalendar]:
    return {name: build_calendar(name, config, "UTC") for name, config in CALENDARS.items()}


def utc(moment: datetime) -> datetime:
    """Compare instants in UTC: by PEP 495 an aware datetime inside a repeated (fall-back) hour is never
    == to a datetime of another zone, even at the same instant."""
    return moment.astimezone(timezone.utc)


def t(text: str) -> datetime:
    """'2026-03-13 17:00 Europe/Moscow' (wall time in a zone) or an ISO 8601 time with offset."""
    if " " in text:
        wall, zone = text.rsplit(" ", 1)
        return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone))
    return datetime.fromisoformat(text)


BUSINESS_SECONDS = [
    # (case, calendar, start, end, expected seconds)
    ("same day inside", "std8", "2026-03-16 10:00 Europe/Moscow", "2026-03-16 12:30 Europe/Moscow", 2 * H + 30 * M),
    ("clipped to opening hours", "std8", "2026-03-16 07:00 Europe/Moscow", "2026-03-16 20:00 Europe/Moscow", 8 * H),
    ("weekend counts nothing", "std8", "2026-03-14 00:00 Europe/Moscow", "2026-03-16 00:00 Europe/Moscow", 0),
    ("end before start", "std8", "2026-03-16 12:00 Europe/Moscow", "2026-03-16 10:00 Europe/Moscow", 0),
    (
        "reply exactly at due time meets target",
        "std8",
        "2026-03-13 17:00 Europe/Moscow",
        "2026-03-16 17:00 Europe/Moscow",
        8 * H,
    ),
    (
        "RU new-year holidays 2026-01-01..09 closed",
        "std8",
        "2026-01-01 00:00 Europe/Moscow",
        "2026-01-12 00:00 Europe/Moscow",
        0,
    ),
    (
        "first working day after new year",
        "std8",
        "2025-12-30 00:00 Europe/Moscow",
        "2026-01-13 00:00 Europe/Moscow",
        2 * 8 * H,
    ),
    (
        "RU 2026 has 247 working days",
        "std8",
        "2026-01-01 00:00 Europe/Moscow",
        "2027-01-01 00:00 Europe/Moscow",
        247 * 8 * H,
    ),
    ("input in another offset", "std8", "2026-03-16T06:00:00+00:00", "2026-03-16T08:00:00+00:00", 2 * H),
    ("seconds are exact", "std8", "2026-03-16 09:00:01 Europe/Moscow", "2026-03-16 09:00:58 Europe/Moscow", 57),
    (
        "sub-second input rounds the count down",
        "std8",
        "2026-03-16 09:00:00.600000 Europe/Moscow",
        "2026-03-16 09:00:02.500000 Europe/Moscow",
        1,
    ),
    ("lunch break skipped", "office", "2026-03-16 12:00 Europe/Moscow", "2026-03-16 15:00 Europe/Moscow", 2 * H),
    ("a whole office week", "office", "2026-03-16 00:00 Europe/Moscow", "2026-03-23 00:00 Europe/Moscow", 44 * H),
    ("shortened day exception", "office", "2026-12-30 00:00 Europe/Moscow", "2026-12-31 00:00 Europe/Moscow", 7 * H),
    ("extra working Saturday", "office", "2026-11-28 00:00 Europe/Moscow", "2026-11-29 00:00 Europe/Moscow", 5 * H),
    ("closed by exception", "office", "2026-12-29 00:00 Europe/Moscow", "2026-12-30 00:00 Europe/Moscow", 0),
    (
        "exception beats a public holiday",
        "office",
        "2026-11-04 00:00 Europe/Moscow",
        "2026-11-05 00:00 Europe/Moscow",
        2 * H,
    ),
    (
        "extra closed range from config",
        "office",
        "2026-12-31 00:00 Europe/Moscow",
        "2027-01-11 00:00 Europe/Moscow",
        4 * H,
    ),  # only Sat 2027-01-09
    ("overnight shift", "night-ny", "2026-06-09 12:00 America/New_York", "2026-06-10 12:00 America/New_York", 8 * H),
    (
        "spring forward shortens a night shift",
        "night-ny",
        "2026-03-07 12:00 America/New_York",
        "2026-03-08 12:00 America/New_York",
        7 * H,
    ),
    (
        "fall back lengthens a night shift",
        "night-ny",
        "2026-10-31 12:00 America/New_York",
        "2026-11-01 12:00 America/New_York",
        9 * H,
    ),
    (
        "holiday keeps the previous night's tail",
        "night-ny",
        "2026-07-04 00:00 America/New_York",
        "2026-07-04 12:00 America/New_York",
        6 * H,
    ),
    (
        "holiday closes its own night shift",
        "night-ny",
        "2026-07-04 12:00 America/New_York",
        "2026-07-05 12:00 America/New_York",
        0,
    ),
    (
        "spring-forward day is 23 hours",
        "allday-berlin",
        "2026-03-29 00:00 Europe/Berlin",
        "2026-03-30 00:00 Europe/Berlin",
        23 * H,
    ),
    (
        "fall-back day is 25 hours",
        "allday-berlin",
        "2026-10-25 00:00 Europe/Berlin",
        "2026-10-26 00:00 Europe/Berlin",
        25 * H,
    ),
    (
        "spring-forward day NY",
        "allday-ny",
        "2026-03-08 00:00 America/New_York",
        "2026-03-09 00:00 America/New_York",
        23 * H,
    ),
    ("repeated hour counted by real time", "allday-ny", "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", H),
    (
        "gap outside working hours changes nothing",
        "day-berlin",
        "2026-03-29 00:00 Europe/Berlin",
        "2026-03-30 00:00 Europe/Berlin",
        8 * H,
    ),
    (
        "gap inside working hours",
        "small-hours-ny",
        "2026-03-08 00:00 America/New_York",
        "2026-03-09 00:00 America/New_York",
        2 * H,
    ),
    (
        "repeated hour inside working hours",
        "small-hours-ny",
        "2026-11-01 00:00 America/New_York",
        "2026-11-02 00:00 America/New_York",
        4 * H,
    ),
    (
        "Santiago hours measured in LA time (winter)",
        "santiago",
        "2026-06-01 06:00 America/Los_Angeles",
        "2026-06-01 08:00 America/Los_Angeles",
        2 * H,
    ),
    (
        "Santiago day measured in LA time",
        "santiago",
        "2026-06-01 05:00 America/Los_Angeles",
        "2026-06-01 16:00 America/Los_Angeles",
        9 * H,
    ),
    (
        "Santiago hours measured in LA time (summer)",
        "santiago",
        "2026-01-05 04:00 America/Los_Angeles",
        "2026-01-05 06:00 America/Los_Angeles",
        2 * H,
    ),
    (
        "Santiago midnight that never happens (Sat+Sun)",
        "allday-santiago",
        "2026-09-04 21:00 America/Los_Angeles",
        "2026-09-06 20:00 America/Los_Angeles",
        47 * H,
    ),
    (
        "Santiago 23-hour Sunday",
        "allday-santiago",
        "2026-09-05 21:00 America/Los_Angeles",
        "2026-09-06 20:00 America/Los_Angeles",
        23 * H,
    ),
    (
        "Santiago 25-hour Saturday",
        "allday-santiago",
        "2026-04-03 20:00 America/Los_Angeles",
        "2026-04-04 21:00 America/Los_Angeles",
        25 * H,
    ),
    ("overlapping days count once", "overlap", "2026-06-08 00:00 UTC", "2026-06-10 00:00 UTC", 12 * H),
]


@pytest.mark.parametrize(
    ("case", "calendar", "start", "end", "expected"), BUSINESS_SECONDS, ids=[row[0] for row in BUSINESS_SECONDS]
)
def test_business_seconds(
    calendars: dict[str, BusinessCalendar], case: str, calendar: str, start: str, end: str, expected: int
) -> None:
    assert calendars[calendar].business_seconds(t(start), t(end)) == expected


DUE_TIMES = [
    # (case, calendar, start, seconds, expected due)
    (
        "Friday 17:00 + 8h is due Monday 17:00",
        "std8",
        "2026-03-13 17:00 Europe/Moscow",
        8 * H,
        "2026-03-16 17:00 Europe/Moscow",
    ),
    (
        "ends exactly at closing, not next opening",
        "std8",
        "2026-03-16 09:00 Europe/Moscow",
        8 * H,
        "2026-03-16 17:00 Europe/Moscow",
    ),
    ("spills over the weekend", "std8", "2026-03-13 16:00 Europe/Moscow", 2 * H, "2026-03-16 10:00 Europe/Moscow"),
    ("starts at next opening", "std8", "2026-03-14 11:00 Europe/Moscow", H, "2026-03-16 10:00 Europe/Moscow"),
    ("jumps the new-year holidays", "std8", "2025-12-30 16:00 Europe/Moscow", 2 * H, "2026-01-12 10:00 Europe/Moscow"),
    ("a year of work", "std8", "2026-01-01 00:00 Europe/Moscow", 247 * 8 * H, "2026-12-30 17:00 Europe/Moscow"),
    ("over lunch", "office", "2026-03-16 12:30 Europe/Moscow", H, "2026-03-16 14:30 Europe/Moscow"),
    (
        "from inside the lunch break",
        "office",
        "2026-03-16 13:30 Europe/Moscow",
        30 * M,
        "2026-03-16 14:30 Europe/Moscow",
    ),
    ("into the short Saturday", "office", "2026-03-13 17:00 Europe/Moscow", 2 * H, "2026-03-14 11:00 Europe/Moscow"),
    ("across the spring-forward gap", "allday-ny", "2026-03-08T01:30:00-05:00", H, "2026-03-08T03:30:00-04:00"),
    ("into the repeated hour", "allday-ny", "2026-11-01T00:30:00-04:00", H, "2026-11-01T01:30:00-04:00"),
    ("through the repeated hour", "allday-ny", "2026-11-01T00:30:00-04:00", 2 * H, "2026-11-01T01:30:00-05:00"),
    (
        "night shift over fall back",
        "night-ny",
        "2026-10-31 22:00 America/New_York",
        9 * H,
        "2026-11-01 06:00 America/New_York",
    ),
    (
        "interleaved days over fall back",
        "interleaved-ny",
        "2026-10-31 22:00 America/New_York",
        4 * H,
        "2026-11-01T01:00:00-05:00",
    ),
    (
        "to the end of interleaved days",
        "interleaved-ny",
        "2026-10-31 22:00 America/New_York",
        6 * H,
        "2026-11-01T03:00:00-05:00",
    ),
    (
        "Santiago due in LA time",
        "santiago",
        "2026-06-01 14:00 America/Los_Angeles",
        2 * H,
        "2026-06-02 07:00 America/Los_Angeles",
    ),
]


@pytest.mark.parametrize(
    ("case", "calendar", "start", "seconds", "expected"), DUE_TIMES, ids=[row[0] for row in DUE_TIMES]
)
def test_add_business_seconds(
    calendars: dict[str, BusinessCalendar], case: str, calendar: str, start: str, seconds: int, expected: str
) -> None:
    cal = calendars[calendar]
    due = cal.add_business_seconds(t(start), seconds)
    assert utc(due) == utc(t(expected))
    assert due.tzinfo == t(start).tzinfo
    assert cal.business_seconds(t(start), due) == seconds
    # The due time is the earliest such instant.
    assert cal.business_time(t(start), due - timedelta(microseconds=1)) < timedelta(seconds=seconds)


def test_adding_nothing_at_a_closed_time_returns_start_itself(calendars: dict[str, BusinessCalendar]) -> None:
    saturday = t("2026-03-14 11:00 Europe/Moscow")
    assert calendars["std8"].add_business_seconds(saturday, 0) is saturday
    assert calendars["std8"].add_working_days(saturday, 0) is saturday


def test_due_time_keeps_the_start_zone(calendars: dict[str, BusinessCalendar]) -> None:
    start = t("2026-06-01 14:00 America/Los_Angeles")
    due = calendars["santiago"].add_business_seconds(start, 2 * H)
    assert due.tzinfo == ZoneInfo("America/Los_Angeles")


WORKING_DAYS = [
    # (case, calendar, start, days, expected due)
    ("next day same time", "std8", "2026-03-16 10:00 Europe/Moscow", 1, "2026-03-17 10:00 Europe/Moscow"),
    ("Friday + 1bd is Monday", "std8", "2026-03-13 10:00 Europe/Moscow", 1, "2026-03-16 10:00 Europe/Moscow"),
    ("Friday + 3bd is Wednesday", "std8", "2026-03-13 16:59 Europe/Moscow", 3, "2026-03-18 16:59 Europe/Moscow"),
    (
        "Saturday start counts from Monday opening",
        "std8",
        "2026-03-14 11:00 Europe/Moscow",
        1,
        "2026-03-17 09:00 Europe/Moscow",
    ),
    (
        "before opening counts from opening",
        "std8",
        "2026-03-16 07:00 Europe/Moscow",
        1,
        "2026-03-17 09:00 Europe/Moscow",
    ),
    (
        "after closing counts from next opening",
        "std8",
        "2026-03-16 18:00 Europe/Moscow",
        1,
        "2026-03-18 09:00 Europe/Moscow",
    ),
    (
        "exactly at closing is after hours",
        "std8",
        "2026-03-16 17:00 Europe/Moscow",
        1,
        "2026-03-18 09:00 Europe/Moscow",
    ),
    ("skips RU new year", "std8", "2025-12-30 12:00 Europe/Moscow", 2, "2026-01-13 12:00 Europe/Moscow"),
    ("holiday start", "std8", "2026-01-01 10:00 Europe/Moscow", 1, "2026-01-13 09:00 Europe/Moscow"),
    ("many weeks (May 1 and 11 off)", "std8", "2026-03-16 10:00 Europe/Moscow", 50, "2026-05-27 10:00 Europe/Moscow"),
    (
        "after a shortened day's close: its close",
        "std8-short-wed",
        "2026-12-29 16:30 Europe/Moscow",
        1,
        "2026-12-30 16:00 Europe/Moscow",
    ),
    (
        "before the target day's opening: its opening",
        "office",
        "2026-03-13 09:30 Europe/Moscow",
        1,
        "2026-03-14 10:00 Europe/Moscow",
    ),
    (
        "after the target day's close: its close",
        "office",
        "2026-03-13 15:00 Europe/Moscow",
        1,
        "2026-03-14 14:00 Europe/Moscow",
    ),
    (
        "lunch-break start counts from 14:00",
        "office",
        "2026-03-16 13:30 Europe/Moscow",
        1,
        "2026-03-17 14:00 Europe/Moscow",
    ),
    (
        "night shift keeps its place",
        "night-ny",
        "2026-06-09 02:00 America/New_York",
        1,
        "2026-06-10 02:00 America/New_York",
    ),
    (
        "night shift over a holiday",
        "night-ny",
        "2026-07-03 23:00 America/New_York",
        1,
        "2026-07-05 23:00 America/New_York",
    ),
    (
        "Santiago in LA time",
        "santiago",
        "2026-06-05 10:00 America/Los_Angeles",
        1,
        "2026-06-08 10:00 America/Los_Angeles",
    ),
]


@pytest.mark.parametrize(
    ("case", "calendar", "start", "days", "expected"), WORKING_DAYS, ids=[row[0] for row in WORKING_DAYS]
)
def test_add_working_days(
    calendars: dict[str, BusinessCalendar], case: str, calendar: str, start: str, days: int, expected: str
) -> None:
    assert utc(calendars[calendar].add_working_days(t(start), days)) == utc(t(expected))


OPEN_INTERVALS = [
    # (case, calendar, start, end, expected [(start, end), ...])
    (
        "lunch splits the day",
        "office",
        "2026-03-16 10:00 Europe/Moscow",
        "2026-03-16 17:00 Europe/Moscow",
        [
            ("2026-03-16 10:00 Europe/Moscow", "2026-03-16 13:00 Europe/Moscow"),
            ("2026-03-16 14:00 Europe/Moscow", "2026-03-16 17:00 Europe/Moscow"),
        ],
    ),
    (
        "weekend and holiday skipped",
        "std8",
        "2026-06-11 16:00 Europe/Moscow",
        "2026-06-15 10:00 Europe/Moscow",
        [
            ("2026-06-11 16:00 Europe/Moscow", "2026-06-11 17:00 Europe/Moscow"),
            ("2026-06-15 09:00 Europe/Moscow", "2026-06-15 10:00 Europe/Moscow"),
        ],
    ),
    (
        "touching days join",
        "allday-berlin",
        "2026-03-28 12:00 Europe/Berlin",
        "2026-03-30 12:00 Europe/Berlin",
        [("2026-03-28 12:00 Europe/Berlin", "2026-03-30 12:00 Europe/Berlin")],
    ),
    (
        "night shifts",
        "night-ny",
        "2026-07-03 12:00 America/New_York",
        "2026-07-06 12:00 America/New_York",
        [
            ("2026-07-03 22:00 America/New_York", "2026-07-04 06:00 America/New_York"),
            ("2026-07-05 22:00 America/New_York", "2026-07-06 06:00 America/New_York"),
        ],
    ),
    ("nothing open", "std8", "2026-03-14 00:00 Europe/Moscow", "2026-03-15 00:00 Europe/Moscow", []),
]


@pytest.mark.parametrize(
    ("case", "calendar", "start", "end", "expected"), OPEN_INTERVALS, ids=[row[0] for row in OPEN_INTERVALS]
)
def test_open_intervals(
    calendars: dict[str, BusinessCalendar],
    case: str,
    calendar: str,
    start: str,
    end: str,
    expected: list[tuple[str, str]],
) -> None:
    cal = calendars[calendar]
    got = list(cal.open_intervals(t(start), t(end)))
    assert [(utc(a), utc(b)) for a, b in got] == [(utc(t(a)), utc(t(b))) for a, b in expected]
    assert all(a.tzinfo == cal.zone for a, _ in got)


def test_working_time_flag(calendars: dict[str, BusinessCalendar]) -> None:
    cal = calendars["office"]
    assert cal.is_working_time(t("2026-03-16 09:00 Europe/Moscow"))
    assert not cal.is_working_time(t("2026-03-16 13:00 Europe/Moscow"))
    assert not cal.is_working_time(t("2026-03-16 18:00 Europe/Moscow"))


def test_naive_datetimes_are_refused(calendars: dict[str, BusinessCalendar]) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        calendars["std8"].business_seconds(datetime(2026, 3, 16, 9), datetime(2026, 3, 16, 10))


@pytest.mark.parametrize("amount", [-1, -0.5])
def test_negative_amounts_are_refused(calendars: dict[str, BusinessCalendar], amount: float) -> None:
    start = t("2026-03-16 10:00 Europe/Moscow")
    with pytest.raises(ValueError):
        calendars["std8"].add_business_seconds(start, amount)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        calendars["std8"].add_working_days(start, -1)


def test_business_calendar_and_always_open_share_the_protocol(calendars: dict[str, BusinessCalendar]) -> None:
    implementations: list[Calendar] = [ALWAYS_OPEN, calendars["std8"]]
    start = t("2026-03-16 09:00 Europe/Moscow")
    for calendar in implementations:
        end = calendar.add_business_seconds(start, H)
        assert calendar.business_seconds(start, end) == H
        assert list(calendar.open_intervals(start, end)) == [(start, end)]
