"""Parse one calendar of a standard (`calendars.<name>`) into a frozen `CalendarSpec`.

This is the spec half of business calendars: it only reads and validates the YAML-loaded mapping
and never measures time (`business.py` does). Every problem raises `CalendarConfigError` whose `path`
points at the offending value inside the calendar's mapping, e.g. `("week", "mon-fri", 1)`, so the
standard loader can report file:line:column. The accepted format is documented in `business.py`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from svcaudit.timecalc.holiday_sources import HolidaySource, HolidaySourceError, check_holiday_source

SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86_400
HOURS_PER_DAY = 24
MINUTES_PER_HOUR = 60

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = "daily"
DAY_RANGE_SEPARATOR = "-"
DAY_LIST_SEPARATOR = ","
DATE_RANGE_SEPARATOR = ".."
INTERVAL_EXAMPLE = "09:00-18:00"

CALENDAR_KEYS = ("timezone", "week", "holidays", "exceptions")
HOLIDAY_KEYS = ("country", "subdivision", "dates")
NO_WORKING_TIME = "calendar has no working time"

_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2}))?"
_INTERVAL = re.compile(rf"^\s*{_TIME}\s*-\s*{_TIME}\s*$")
_SUGGESTION_CUTOFF = 0.6

Path = tuple[Any, ...]


class CalendarConfigError(ValueError):
    """A calendar definition that cannot be used.

    `path` locates the offending value inside the calendar's own mapping (keys and list indexes,
    exactly as YAML loaded them), e.g. `("week", "mon-fri", 1)`; `()` means the calendar as a whole.
    """

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)

    def __str__(self) -> str:
        if not self.path:
            return self.message
        return f"{'.'.join(str(p) for p in self.path)}: {self.message}"


@dataclass(frozen=True, slots=True, order=True)
class WorkingInterval:
    """Working time of one day: seconds from that day's local midnight.

    `end` is at most 24 h after `start` and may pass midnight (`22:00-06:00` is start=79200,
    end=108000): the interval belongs to the day it starts on.
    """

    start: int
    end: int

    def __str__(self) -> str:
        end = self.end - SECONDS_PER_DAY if self.end > SECONDS_PER_DAY else self.end
        return f"{_clock(self.start)}-{_clock(end)}"


DaySchedule = tuple[WorkingInterval, ...]


@dataclass(frozen=True, slots=True)
class CalendarSpec:
    """A parsed calendar: weekly schedule (index 0 = Monday), closed dates and dated overrides."""

    name: str
    timezone: str
    week: tuple[DaySchedule, ...]
    holiday_source: HolidaySource | None = None
    closed_dates: frozenset[date] = frozenset()
    exceptions: tuple[tuple[date, DaySchedule], ...] = ()

    @property
    def weekly_seconds(self) -> int:
        return sum(i.end - i.start for day in self.week for i in day)


def parse_calendar(name: str, config: object, default_timezone: str) -> CalendarSpec:
    """Read one calendar mapping as YAML loaded it; raise CalendarConfigError on any problem."""
    if config is None:
        raise CalendarConfigError(f"{NO_WORKING_TIME}: give it a `week`, e.g. mon-fri: [{INTERVAL_EXAMPLE!r}]")
    if not isinstance(config, Mapping):
        raise CalendarConfigError(f"a calendar is a mapping with keys {', '.join(CALENDAR_KEYS)}; got {_kind(config)}")
    _reject_unknown_keys(config, CALENDAR_KEYS, ())

    timezone = (
        _parse_timezone(config["timezone"], ("timezone",))
        if "timezone" in config
        else (_parse_timezone(default_timezone, ()))
    )
    if "week" not in config:
        raise CalendarConfigError(f"{NO_WORKING_TIME}: give it a `week`, e.g. mon-fri: [{INTERVAL_EXAMPLE!r}]")
    week = _parse_week(config["week"], ("week",))
    if not any(week):
        raise CalendarConfigError(f"{NO_WORKING_TIME}: every day of `week` is closed", ("week",))
    source, closed = _parse_holidays(config.get("holidays"), ("holidays",))
    exceptions = _parse_exceptions(config.get("exceptions"), ("exceptions",))
    return CalendarSpec(
        name=name,
        timezone=timezone,
        week=week,
        holiday_source=source,
        closed_dates=closed,
        exceptions=exceptions,
    )


# -- time zone -----------------------------------------------------------------------------------


def _parse_timezone(value: object, path: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CalendarConfigError(f"a time zone is an IANA name such as Europe/Moscow; got {_kind(value)}", path)
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        where = "" if path else " (the standard's `timezone`)"
        raise CalendarConfigError(
            f"unknown time zone {name!r}{where}"
            + _suggest(name, sorted(available_timezones()))
            + " (use an IANA name such as Europe/Moscow or America/New_York)",
            path,
        ) from None
    return name


# -- week ----------------------------------------------------------------------------------------


def _parse_week(raw: object, path: Path) -> tuple[DaySchedule, ...]:
    if not isinstance(raw, Mapping):
        raise CalendarConfigError(
            f"`week` maps days to working intervals, e.g. mon-fri: [{INTERVAL_EXAMPLE!r}]; got {_kind(raw)}",
            path,
        )
    days: list[DaySchedule | None] = [None] * len(DAY_NAMES)
    given_by: dict[int, object] = {}
    for key, value in raw.items():
        key_path = path + (key,)
        indexes = _parse_day_key(key, key_path)
        intervals = parse_day_schedule(value, key_path)
        for index in indexes:
            if days[index] is not None:
                raise CalendarConfigError(
                    f"{DAY_NAMES[index]} is given twice (by {given_by[index]!r} and {key!r})", key_path
                )
            days[index] = intervals
            given_by[index] = key
    return tuple(day or () for day in days)


def _parse_day_key(key: object, path: Path) -> list[int]:
    if not isinstance(key, str):
        raise CalendarConfigError(
            f"a day key is a day name such as mon or a range such as mon-fri; got {_kind(key)}", path
        )
    text = key.strip().lower()
    if text == EVERY_DAY:
        return list(range(len(DAY_NAMES)))
    indexes: list[int] = []
    for part in text.split(DAY_LIST_SEPARATOR):
        part = part.strip()
        if DAY_RANGE_SEPARATOR in part:
            first, _, last = part.partition(DAY_RANGE_SEPARATOR)
            start, stop = _day_index(first.strip(), key, path), _day_index(last.strip(), key, path)
            # A range may wrap over the weekend: fri-mon is fri, sat, sun, mon.
            span = (stop - start) % len(DAY_NAMES)
            indexes.extend((start + k) % len(DAY_NAMES) for k in range(span + 1))
        else:
            indexes.append(_day_index(part, key, path))
    if len(set(indexes)) != len(indexes):
        raise CalendarConfigError(f"{key!r} names a day twice", path)
    return indexes


def _day_index(word: str, key: object, path: Path) -> int:
    if word in DAY_NAMES:
        return DAY_NAMES.index(word)
    if word in FULL_DAY_NAMES:
        return FULL_DAY_NAMES.index(word)
    raise CalendarConfigError(
        f"unknown day {word!r} in {key!r}"
        + _suggest(word, DAY_NAMES + FULL_DAY_NAMES + (EVERY_DAY,))
        + f" (write {', '.join(DAY_NAMES)}, a range such as mon-fri, or {EVERY_DAY})",
        path,
    )


def parse_day_schedule(value: object, path: Path) -> DaySchedule:
    """A day's intervals: a list of "HH:MM-HH:MM" strings (one bare string is accepted, [] is closed)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (_parse_interval(value, path),)
    if not isinstance(value, list):
        raise CalendarConfigError(
            f"a day's hours are a list of intervals such as [{INTERVAL_EXAMPLE!r}]; got {_kind(value)}", path
        )
    parsed = [(_parse_interval(item, path + (index,)), index) for index, item in enumerate(value)]
    ordered = sorted(parsed)
    for (earlier, _), (later, later_index) in zip(ordered, ordered[1:], strict=False):
        if later.start < earlier.end:
            raise CalendarConfigError(f"{later} overlaps {earlier}", path + (later_index,))
    return tuple(interval for interval, _ in ordered)


def _parse_interval(item: object, path: Path) -> WorkingInterval:
    if not isinstance(item, str):
        raise CalendarConfigError(
            f"an interval is a quoted string such as {INTERVAL_EXAMPLE!r}; got {_kind(item)}", path
        )
    match = _INTERVAL.match(item)
    if not match:
        raise CalendarConfigError(f"{item!r} is not an interval; write e.g. {INTERVAL_EXAMPLE!r}", path)
    h1, m1, s1, h2, m2, s2 = match.groups()
    start = _time_of_day(int(h1), int(m1), int(s1 or 0), item, path, is_end=False)
    end = _time_of_day(int(h2), int(m2), int(s2 or 0), item, path, is_end=True)
    if start == end % SECONDS_PER_DAY and end != SECONDS_PER_DAY:
        raise CalendarConfigError(f"{item!r} is empty; write '00:00-24:00' for a whole day", path)
    if end <= start:
        end += SECONDS_PER_DAY  # runs past midnight into the next day
    return WorkingInterval(start, end)


def _time_of_day(hours: int, minutes: int, seconds: int, item: str, path: Path, *, is_end: bool) -> int:
    if minutes >= MINUTES_PER_HOUR or seconds >= SECONDS_PER_MINUTE:
        raise CalendarConfigError(f"{item!r} has an impossible time", path)
    if hours == HOURS_PER_DAY and is_end and minutes == seconds == 0:
        return SECONDS_PER_DAY
    if hours >= HOURS_PER_DAY:
        where = "an end" if is_end else "a start"
        limit = "24:00" if is_end else "23:59"
        raise CalendarConfigError(f"{item!r} has {where} after {limit}", path)
    return hours * SECONDS_PER_HOUR + minutes * SECONDS_PER_MINUTE + seconds


# -- holidays and exceptions ---------------------------------------------------------------------


def _parse_holidays(raw: object, path: Path) -> tuple[HolidaySource | None, frozenset[date]]:
    if raw is None:
        return None, frozenset()
    if isinstance(raw, list):  # shorthand: `holidays: [2026-12-31, …]`
        return None, _parse_dates(raw, path)
    if not isinstance(raw, Mapping):
        raise CalendarConfigError(
            f"`holidays` is a mapping with keys {', '.join(HOLIDAY_KEYS)}, or a list of dates; got {_kind(raw)}",
            path,
        )
    _reject_unknown_keys(raw, HOLIDAY_KEYS, path)
    closed = _parse_dates(raw["dates"], path + ("dates",)) if raw.get("dates") is not None else frozenset()
    country = raw.get("country")
    subdivision = raw.get("subdivision")
    if country is None:
        if subdivision is not None:
            raise CalendarConfigError("`subdivision` needs a `country`", path + ("subdivision",))
        return None, closed
    if not isinstance(country, str) or not country.strip():
        raise CalendarConfigError(f"`country` is a code such as RU; got {_kind(country)}", path + ("country",))
    if subdivision is not None and not isinstance(subdivision, (str, int)):
        raise CalendarConfigError(
            f"`subdivision` is a code such as CA; got {_kind(subdivision)}", path + ("subdivision",)
        )
    source = HolidaySource(country.strip().upper(), None if subdivision is None else str(subdivision).strip())
    try:
        check_holiday_source(source)
    except HolidaySourceError as error:
        raise CalendarConfigError(str(error), path + (error.field,)) from None
    return source, closed


def _parse_dates(raw: object, path: Path) -> frozenset[date]:
    if not isinstance(raw, list):
        raise CalendarConfigError(
            f"dates are a list such as [2026-12-31, '2027-01-01..2027-01-08']; got {_kind(raw)}", path
        )
    closed: set[date] = set()
    for index, item in enumerate(raw):
        first, last = _parse_date_or_range(item, path + (index,))
        closed.update(_days(first, last))
    return frozenset(closed)


def _parse_exceptions(raw: object, path: Path) -> tuple[tuple[date, DaySchedule], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise CalendarConfigError(
            f"`exceptions` maps dates to that day's intervals, e.g. 2026-12-30: ['09:00-16:00']; got {_kind(raw)}",
            path,
        )
    overrides: dict[date, DaySchedule] = {}
    for key, value in raw.items():
        key_path = path + (key,)
        first, last = _parse_date_or_range(key, key_path)
        schedule = parse_day_schedule(value, key_path)
        for day in _days(first, last):
            if day in overrides:
                raise CalendarConfigError(f"{day.isoformat()} is given twice", key_path)
            overrides[day] = schedule
    return tuple(sorted(overrides.items()))


def _parse_date_or_range(value: object, path: Path) -> tuple[date, date]:
    if isinstance(value, str) and DATE_RANGE_SEPARATOR in value:
        first_text, _, last_text = value.partition(DATE_RANGE_SEPARATOR)
        first, last = _parse_date(first_text, path), _parse_date(last_text, path)
        if last < first:
            raise CalendarConfigError(f"{value!r} ends before it starts", path)
        return first, last
    day = _parse_date(value, path)
    return day, day


def _parse_date(value: object, path: Path) -> date:
    if isinstance(value, datetime):
        raise CalendarConfigError(f"{value.isoformat()} has a time; give a date such as 2026-12-31", path)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarConfigError(f"{value!r} is not a date; write YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD", path)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


# -- helpers -------------------------------------------------------------------------------------


def _reject_unknown_keys(mapping: Mapping[Any, Any], known: tuple[str, ...], path: Path) -> None:
    for key in mapping:
        if key not in known:
            raise CalendarConfigError(
                f"unknown key {key!r}" + _suggest(str(key), known) + f" (known: {', '.join(known)})",
                path + (key,),
            )


def _suggest(word: str, choices: Any) -> str:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=_SUGGESTION_CUTOFF)
    return f"; did you mean {matches[0]!r}?" if matches else ""


def _kind(value: object) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, SECONDS_PER_HOUR)
    minutes, secs = divmod(rest, SECONDS_PER_MINUTE)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
