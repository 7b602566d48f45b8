"""Reading `calendars.<name>` mappings: accepted forms and rejected ones with the offending path."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from svcaudit.timecalc.business import BusinessCalendar, build_calendar
from svcaudit.timecalc.holiday_sources import HolidaySource
from svcaudit.timecalc.schedule import CalendarConfigError, WorkingInterval, parse_calendar

H = 3600
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

OFFICE = {
    "timezone": "Europe/Moscow",
    "week": {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
    "holidays": {"country": "RU", "dates": [date(2026, 12, 31), "2027-01-01..2027-01-08"]},
    "exceptions": {date(2026, 12, 30): ["09:00-16:00"], "2026-11-28": ["10:00-15:00"], date(2026, 12, 29): []},
}


def hours(*pairs: tuple[float, float]) -> tuple[WorkingInterval, ...]:
    return tuple(WorkingInterval(int(a * H), int(b * H)) for a, b in pairs)


def test_office_calendar_is_read_in_full() -> None:
    spec = parse_calendar("office", OFFICE, "UTC")
    assert spec.name == "office"
    assert spec.timezone == "Europe/Moscow"
    assert spec.week[MON] == spec.week[FRI] == hours((9, 13), (14, 18))
    assert spec.week[SAT] == hours((10, 14))
    assert spec.week[SUN] == ()
    assert spec.holiday_source == HolidaySource("RU")
    assert date(2026, 12, 31) in spec.closed_dates
    assert {date(2027, 1, d) for d in range(1, 9)} <= spec.closed_dates
    assert dict(spec.exceptions) == {
        date(2026, 12, 30): hours((9, 16)),
        date(2026, 11, 28): hours((10, 15)),
        date(2026, 12, 29): (),
    }
    assert isinstance(build_calendar("office", OFFICE, "UTC"), BusinessCalendar)


WEEK_FORMS = [
    # (week mapping, {weekday: intervals in hours})
    ({"daily": ["00:00-24:00"]}, {d: ((0, 24),) for d in range(7)}),
    ({"mon": "09:00-18:00"}, {MON: ((9, 18),)}),
    ({"Monday": ["09:00-18:00"], "SUNDAY": ["10:00-11:00"]}, {MON: ((9, 18),), SUN: ((10, 11),)}),
    ({"fri-mon": ["22:00-06:00"]}, {d: ((22, 30),) for d in (FRI, SAT, SUN, MON)}),
    ({"mon, wed-thu": ["09:00-10:00"]}, {d: ((9, 10),) for d in (MON, WED, THU)}),
    ({"mon-fri": ["14:00-18:00", "09:00-13:00"]}, {d: ((9, 13), (14, 18)) for d in range(5)}),
    ({"mon-fri": ["09:00-13:00", "13:00-18:00"]}, {d: ((9, 13), (13, 18)) for d in range(5)}),
    ({"mon": ["22:00-00:00"]}, {MON: ((22, 24),)}),
    ({"mon": ["09:00:30-17:00:15"]}, {MON: ((9 + 30 / H, 17 + 15 / H),)}),
    ({"mon": [" 09:00 - 17:00 "], "tue": [], "wed": None}, {MON: ((9, 17),)}),
]


@pytest.mark.parametrize(("week", "expected"), WEEK_FORMS)
def test_week_forms(week: dict[str, object], expected: dict[int, tuple[tuple[float, float], ...]]) -> None:
    spec = parse_calendar("c", {"week": week}, "Europe/Berlin")
    assert spec.timezone == "Europe/Berlin"
    assert spec.week == tuple(hours(*expected.get(day, ())) for day in range(7))


def test_holidays_shorthand_list_and_subdivision() -> None:
    spec = parse_calendar("c", {"week": {"mon": ["09:00-10:00"]}, "holidays": ["2026-01-01"]}, "UTC")
    assert spec.closed_dates == {date(2026, 1, 1)} and spec.holiday_source is None
    spec = parse_calendar(
        "c", {"week": {"mon": ["09:00-10:00"]}, "holidays": {"country": "us", "subdivision": "CA"}}, "UTC"
    )
    assert spec.holiday_source == HolidaySource("US", "CA")


def test_exception_range_key() -> None:
    spec = parse_calendar(
        "c", {"week": {"mon": ["09:00-10:00"]}, "exceptions": {"2026-01-09..2026-01-10": ["10:00-14:00"]}}, "UTC"
    )
    assert dict(spec.exceptions) == {date(2026, 1, 9): hours((10, 14)), date(2026, 1, 10): hours((10, 14))}


BAD_CONFIGS = [
    # (config, path, words the message must contain)
    (None, (), "calendar has no working time"),
    ({}, (), "calendar has no working time"),
    ({"week": {"mon-fri": []}}, ("week",), "calendar has no working time"),
    ({"week": {"sat": [], "sun": None}}, ("week",), "calendar has no working time"),
    (["09:00-18:00"], (), "mapping"),
    ({"week": {"mon": ["09:00-18:00"]}, "timezone": "Europe/Moskow"}, ("timezone",), "Europe/Moscow"),
    ({"week": {"mon": ["09:00-18:00"]}, "timezone": 3}, ("timezone",), "IANA"),
    ({"week": {"mon": ["09:00-18:00"]}, "weekk": {}}, ("weekk",), "did you mean 'week'"),
    ({"week": ["09:00-18:00"]}, ("week",), "maps days"),
    ({"week": {"mnday": ["09:00-18:00"]}}, ("week", "mnday"), "did you mean 'monday'"),
    ({"week": {"mon-fry": ["09:00-18:00"]}}, ("week", "mon-fry"), "unknown day 'fry'"),
    ({"week": {1: ["09:00-18:00"]}}, ("week", 1), "day key"),
    ({"week": {"mon-fri": ["09:00-18:00"], "fri": ["10:00-11:00"]}}, ("week", "fri"), "fri is given twice"),
    ({"week": {"mon,mon": ["09:00-18:00"]}}, ("week", "mon,mon"), "names a day twice"),
    ({"week": {"mon-fri": ["09:00-13:00", "9-18"]}}, ("week", "mon-fri", 1), "not an interval"),
    ({"week": {"mon-fri": ["09:00-13:00", 540]}}, ("week", "mon-fri", 1), "quoted string"),
    ({"week": {"mon": ["25:00-26:00"]}}, ("week", "mon", 0), "start after 23:59"),
    ({"week": {"mon": ["09:00-24:30"]}}, ("week", "mon", 0), "end after 24:00"),
    ({"week": {"mon": ["09:61-10:00"]}}, ("week", "mon", 0), "impossible time"),
    ({"week": {"mon": ["09:00-09:00"]}}, ("week", "mon", 0), "00:00-24:00"),
    ({"week": {"mon": ["00:00-00:00"]}}, ("week", "mon", 0), "empty"),
    ({"week": {"mon": ["09:00-13:00", "12:00-18:00"]}}, ("week", "mon", 1), "overlaps 09:00-13:00"),
    ({"week": {"mon": ["20:00-04:00", "22:00-23:00"]}}, ("week", "mon", 1), "overlaps"),
    ({"week": {"mon": 9}}, ("week", "mon"), "list of intervals"),
    ({"week": {"mon": ["09:00-18:00"]}, "holidays": {"country": "XX"}}, ("holidays", "country"), "no country 'XX'"),
    ({"week": {"mon": ["09:00-18:00"]}, "holidays": {"country": "RUU"}}, ("holidays", "country"), "did you mean 'RU'"),
    (
        {"week": {"mon": ["09:00-18:00"]}, "holidays": {"country": "US", "subdivision": "ZZ"}},
        ("holidays", "subdivision"),
        "no subdivision 'ZZ'",
    ),
    (
        {"week": {"mon": ["09:00-18:00"]}, "holidays": {"country": "RU", "subdivision": "MOW"}},
        ("holidays", "subdivision"),
        "no subdivisions of RU",
    ),
    (
        {"week": {"mon": ["09:00-18:00"]}, "holidays": {"subdivision": "CA"}},
        ("holidays", "subdivision"),
        "needs a `country`",
    ),
    ({"week": {"mon": ["09:00-18:00"]}, "holidays": {"country": 7}}, ("holidays", "country"), "code"),
    (
        {"week": {"mon": ["09:00-18:00"]}, "holidays": {"contry": "RU"}},
        ("holidays", "contry"),
        "did you mean 'country'",
    ),
    ({"week": {"mon": ["09:00-18:00"]}, "holidays": "RU"}, ("holidays",), "mapping"),
    (
        {"week": {"mon": ["09:00-18:00"]}, "holidays": {"dates": [date(2026, 1, 1), "2026-02-30"]}},
        ("holidays", "dates", 1),
        "not a date",
    ),
    (
        {"week": {"mon": ["09:00-18:00"]}, "holidays": {"dates": ["2026-01-08..2026-01-01"]}},
        ("holidays", "dates", 0),
        "ends before it starts",
    ),
    (
        {"week": {"mon": ["09:00-18:00"]}, "holidays": {"dates": [datetime(2026, 1, 1, 10)]}},
        ("holidays", "dates", 0),
        "has a time",
    ),
    ({"week": {"mon": ["09:00-18:00"]}, "holidays": {"dates": "2026-01-01"}}, ("holidays", "dates"), "list"),
    ({"week": {"mon": ["09:00-18:00"]}, "exceptions": ["2026-01-01"]}, ("exceptions",), "maps dates"),
    ({"week": {"mon": ["09:00-18:00"]}, "exceptions": {"tomorrow": []}}, ("exceptions", "tomorrow"), "not a date"),
    (
        {"week": {"mon": ["09:00-18:00"]}, "exceptions": {date(2026, 1, 1): ["10-12"]}},
        ("exceptions", date(2026, 1, 1), 0),
        "not an interval",
    ),
    (
        {"week": {"mon": ["09:00-18:00"]}, "exceptions": {date(2026, 1, 2): [], "2026-01-01..2026-01-03": []}},
        ("exceptions", "2026-01-01..2026-01-03"),
        "2026-01-02 is given twice",
    ),
]


@pytest.mark.parametrize(("config", "path", "words"), BAD_CONFIGS)
def test_bad_configs_are_rejected_with_their_path(config: object, path: tuple[object, ...], words: str) -> None:
    with pytest.raises(CalendarConfigError) as caught:
        build_calendar("office", config, "Europe/Moscow")
    assert caught.value.path == path
    assert words in caught.value.message


def test_bad_default_timezone_names_the_standard() -> None:
    with pytest.raises(CalendarConfigError) as caught:
        build_calendar("office", {"week": {"mon": ["09:00-18:00"]}}, "Mars/Olympus")
    assert caught.value.path == ()
    assert "standard's `timezone`" in caught.value.message


def test_error_string_carries_the_path() -> None:
    error = CalendarConfigError("boom", ("week", "mon-fri", 1))
    assert str(error) == "week.mon-fri.1: boom"
    assert isinstance(error, ValueError)
