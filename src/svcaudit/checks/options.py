"""Readers of rule options that several check kinds share; each error names the option's path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from svcaudit.checks.base import CheckConfigError, CheckEnv
from svcaudit.timecalc.calendar import ALWAYS_OPEN_NAME, Calendar
from svcaudit.timecalc.durations import Duration, DurationError, Seconds, parse_duration


def duration_option(value: Any, path: tuple[Any, ...]) -> Duration:
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise CheckConfigError(str(exc), path) from None


def seconds_option(options: Mapping[str, Any], key: str, default: int) -> int:
    """A time option that cannot be working days (a window, a tolerance)."""
    value = duration_option(options.get(key, default), (key,))
    if not isinstance(value, Seconds):
        raise CheckConfigError(f"`{key}` is a time such as 10m, not working days", (key,))
    return value.seconds


def calendar_option(options: Mapping[str, Any], env: CheckEnv) -> Calendar:
    """The calendar a rule names, or 24/7."""
    name = options.get("calendar", ALWAYS_OPEN_NAME)
    calendar = env.calendars.get(name)
    if calendar is None:
        known = ", ".join(sorted(env.calendars))
        raise CheckConfigError(f"unknown calendar {name!r} (known: {known})", ("calendar",))
    return calendar


def statuses_option(options: Mapping[str, Any], key: str, default: Any = ()) -> frozenset[str]:
    return frozenset(str(s).casefold() for s in options.get(key, default))
