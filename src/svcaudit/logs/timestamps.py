"""Timestamps as exports write them, read into timezone-aware UTC datetimes.

ISO 8601 with or without an offset takes the fast path (`datetime.fromisoformat`); `01.03.2024 09:00`,
epoch seconds or milliseconds, and free forms (via dateutil, with the declared day-first order) follow.
A timestamp without an offset is read in the standard's time zone. A local time that does not exist
(the spring-forward gap) is read as if the clock had not changed yet (PEP 495 fold=0), and an
ambiguous one (the fall-back hour) as its first occurrence.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from functools import lru_cache

from dateutil import parser as dateutil_parser

_DOTTED = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
EPOCH_MILLIS_ABOVE = 10**11  # 10**11 seconds is the year 5138; larger numbers are milliseconds
UTC = timezone.utc


class TimestampError(ValueError):
    """A value no accepted timestamp form reads."""


class TimestampParser:
    """Reads timestamps; naive ones in `zone`. `day_first` settles 03/01/2024 (None: month first)."""

    def __init__(self, zone: tzinfo, day_first: bool = False) -> None:
        self.zone = zone
        self.day_first = day_first
        self._parse_cached = lru_cache(maxsize=4096)(self._parse)

    def parse(self, value: object) -> datetime:
        if isinstance(value, datetime):
            return self._aware(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self._epoch(float(value))
        if not isinstance(value, str):
            raise TimestampError(f"{value!r} is not a timestamp")
        return self._parse_cached(value.strip())

    def _parse(self, text: str) -> datetime:
        if not text:
            raise TimestampError("empty timestamp")
        try:
            return self._aware(datetime.fromisoformat(text))
        except ValueError:
            pass
        if match := _DOTTED.match(text):
            day, month, year, hour, minute, second = match.groups()
            try:
                return self._aware(datetime(
                    int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
                ))
            except ValueError as exc:
                raise TimestampError(f"{text!r}: {exc}") from None
        if _EPOCH.match(text):
            return self._epoch(float(text))
        try:
            parsed = dateutil_parser.parse(text, dayfirst=self.day_first)
        except (ValueError, OverflowError):
            raise TimestampError(f"{text!r} is not a timestamp") from None
        return self._aware(parsed)

    def _aware(self, value: datetime) -> datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return value.astimezone(UTC)

    @staticmethod
    def _epoch(number: float) -> datetime:
        if number > EPOCH_MILLIS_ABOVE:
            number /= 1000
        try:
            return datetime.fromtimestamp(number, UTC)
        except (OverflowError, OSError, ValueError):
            raise TimestampError(f"{number!r} is out of range for an epoch timestamp") from None
