"""Timestamps as exports write them, read into timezone-aware UTC datetimes.

ISO 8601 with or without an offset takes the fast path (`datetime.fromisoformat`); `01.03.2024 09:00`,
epoch seconds or milliseconds, and free forms (via dateutil, with the declared day-first order) follow.
A free form must name a year, a month and a day: dateutil would otherwise fill the gaps from today
and read `5` or `10:00` as a date. A timestamp without an offset is read in the standard's time zone.
A local time that does not exist (the spring-forward gap) is read as if the clock had not changed yet,
and an ambiguous one (the fall-back hour) as its first occurrence: both are PEP 495's fold=0, which
zoneinfo applies to a naive time, so 02:30 on 2026-03-29 in Europe/Berlin is 01:30 UTC and 02:30 on
2026-10-25 is 00:30 UTC. Years outside 1990-2100 are refused: they are typos or placeholders
(`0001-01-01`), and business-time arithmetic would otherwise walk every year in between.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from dateutil import parser as dateutil_parser

from svcaudit import reasons

_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
# A date that starts with its year is year-month-day; dateutil would read 2024/03/01 as the 3rd of
# January when told day first, an order no export writes.
_YEAR_FIRST = re.compile(r"^\d{4}\D")
EPOCH_MILLIS_ABOVE = 10**11  # 10**11 seconds is the year 5138; larger numbers are milliseconds
MIN_YEAR = 1990  # older than any helpdesk export; 0001-01-01 and 1970-01-01 are placeholders
MAX_YEAR = 2100
MAX_TIMESTAMP_CHARS = 64  # longer text is some other field pasted into a timestamp column
# Two defaults that differ in year, month and day: a free-form value that comes out differently
# under them lacked one of those parts.
_PROBE_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
_UTC_NAMES = frozenset({"UTC", "GMT", "Z", "UT"})
CACHE_SIZE = 4096  # exports repeat timestamps (status events, bulk imports)
UTC = timezone.utc


class TimestampError(ValueError):
    """A value no accepted timestamp form reads."""


def _zone_for(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's hook for zone names: offsets and UTC are understood, other names refused.

    A name such as `EST` or `MSK` is ambiguous across the world, and dateutil would otherwise drop
    it with a warning and read the time in the wrong zone.
    """
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    if name is None:
        return None
    if name.upper() in _UTC_NAMES:
        return UTC
    raise TimestampError(reasons.ZONE_NAME.text(value=repr(name)))


def _iso_reader(zone: tzinfo) -> Callable[[str], datetime | None]:
    """ISO 8601 text as an aware UTC datetime (naive times in `zone`); blank text is None; any other
    text, or a year outside MIN_YEAR..MAX_YEAR, raises ValueError."""
    read = datetime.fromisoformat

    def iso(raw: str) -> datetime | None:
        if not raw:
            return None
        parsed = read(raw)
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise ValueError("out of range")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC)

    return iso


class TimestampParser:
    """Reads timestamps; naive ones in `zone`. `day_first` settles 03/01/2024 (default: month first)."""

    def __init__(self, zone: tzinfo, day_first: bool = False) -> None:
        self.zone = zone
        self.day_first = day_first
        self._parse_cached = lru_cache(maxsize=CACHE_SIZE)(self._parse)
        self._iso = _iso_reader(zone)

    def parse(self, value: object) -> datetime:
        # The hot path: ISO 8601, as most exports write it.
        if type(value) is str and value:  # noqa: E721
            try:
                return self._iso(value)  # type: ignore[return-value]  # not blank: not None
            except ValueError:
                pass  # another form, or a year out of range: read below
        if isinstance(value, datetime):
            return self._aware(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self._epoch(value)
        if not isinstance(value, str):
            raise TimestampError(reasons.NOT_A_TIMESTAMP.text(value=_shown(value)))
        text = value.strip()
        if len(text) > MAX_TIMESTAMP_CHARS:
            raise TimestampError(reasons.TIMESTAMP_TOO_LONG.text(value=_shown(text), length=len(text)))
        return self._parse_cached(text)

    def iso_reader(self) -> Callable[[str], datetime | None]:
        """For the positional typers of plain rows (a million-row export has three timestamps a
        row): `parse`'s own fast path, one call a cell. A blank cell is None, an ISO 8601 one is
        read as `parse` reads it, and anything else raises ValueError, so that the typer hands the
        row to its general path, which reads the other forms or rejects the row with the reason."""
        return self._iso

    def _parse(self, text: str) -> datetime:
        if not text:
            raise TimestampError(reasons.TIMESTAMP_EMPTY.text())
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return self._aware(parsed, text)
        if match := _DOTTED.match(text):
            day, month, year, hour, minute, second = match.groups()
            try:
                parsed = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
            except ValueError as exc:
                raise TimestampError(reasons.TIMESTAMP_INVALID.text(value=repr(text), detail=exc)) from None
            return self._aware(parsed, text)
        if _EPOCH.match(text):
            return self._epoch(float(text), text)
        return self._aware(self._free_form(text), text)

    def _free_form(self, text: str) -> datetime:
        readings = []
        day_first = self.day_first and not _YEAR_FIRST.match(text)
        for default in _PROBE_DEFAULTS:
            try:
                readings.append(dateutil_parser.parse(text, dayfirst=day_first, default=default, tzinfos=_zone_for))
            except TimestampError:
                raise
            # dateutil raises ParserError (a ValueError) on text it cannot read, and a few other
            # types on odd numbers; whatever it raises, the value is not a timestamp.
            except (ValueError, OverflowError, TypeError, IndexError, KeyError):
                raise TimestampError(reasons.NOT_A_TIMESTAMP.text(value=repr(text))) from None
        first, second = readings
        if first.date() != second.date():
            raise TimestampError(reasons.TIMESTAMP_INCOMPLETE.text(value=repr(text)))
        return first

    def _aware(self, value: datetime, text: str | None = None) -> datetime:
        # The local year is checked before conversion: converting year 1 or 9999 with an offset
        # can leave datetime's range.
        _check_year(value, text)
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return value.astimezone(UTC)

    def _epoch(self, number: float | int, text: str | None = None) -> datetime:
        shown = text if text is not None else _shown(number)
        try:
            seconds = float(number)
            if seconds > EPOCH_MILLIS_ABOVE:
                seconds /= 1000
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise TimestampError(reasons.EPOCH_OUT_OF_RANGE.text(value=shown)) from None
        _check_year(moment, shown)
        return moment


def _check_year(value: datetime, text: str | None) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        shown = text if text is not None else value.isoformat()
        raise TimestampError(
            reasons.TIMESTAMP_YEAR.text(value=repr(shown), year=value.year, earliest=MIN_YEAR, latest=MAX_YEAR)
        )


def _shown(value: object, limit: int = 40) -> str:
    """A value for a message: repr'd and cut, so a pasted essay does not fill the report."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
