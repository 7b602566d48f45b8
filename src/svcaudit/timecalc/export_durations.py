"""Durations as helpdesk exports write them, read to whole seconds.

A standard's durations (`durations.parse_duration`) are written by the person who wrote the
standard; an export's are written by a helpdesk, a warehouse connector or Excel, each its own way,
and a bare number means the field's unit (Zendesk's "First reply time in minutes" `90`, Freshdesk's
"First response time (in hrs)" `2.5`). Read here, in one place:

  `90`, `2.5`, `2,5`     a number of the field's unit (seconds, minutes or hours)
  `2:05:11`, `27:31:07`  hours:minutes:seconds, hours past 24 included (Freshdesk's UI export)
  `0:45`                 hours:minutes
  `1 day 02:03:04`       a day count before a clock (PostgreSQL intervals in warehouse tables)
  `1d 2h 3m`, `2h 5m 11s`, `90 min`, `2 hours 5 minutes`   counts with units
  `PT2H5M11S`            ISO 8601

Anything else (negative, empty, garbage, `1,234` that could be a thousand or one and a bit) is an
`ExportDurationError` whose message says which forms are read.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from svcaudit import reasons
from svcaudit.reasons import Reason
from svcaudit.timecalc.durations import DurationError, Seconds, parse_duration

# The units a duration field can be declared in, and what one of each is worth.
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600}
# Field-name endings that declare the unit (`zendesk_first_reply_minutes`,
# `freshdesk_first_response_hours`, a warehouse's `first_response_time_in_hrs`).
_UNIT_SUFFIXES = (
    ("_seconds", "seconds"),
    ("_secs", "seconds"),
    ("_minutes", "minutes"),
    ("_mins", "minutes"),
    ("_hours", "hours"),
    ("_hrs", "hours"),
)
# A word after a count, as exports spell them, and its length in seconds.
_UNIT_WORDS = {
    "w": 7 * 86400,
    "wk": 7 * 86400,
    "week": 7 * 86400,
    "weeks": 7 * 86400,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
}
_NUMBER = r"\d+(?:[.,]\d+)?"
_DECIMAL = re.compile(rf"^{_NUMBER}$")
# A comma and exactly three digits after a non-zero whole part: a thousands separator (1,234
# minutes) or a decimal comma (1,234 hours)? Reading either way could be wrong by a thousand.
_AMBIGUOUS_COMMA = re.compile(r"^[1-9]\d{0,2},\d{3}$")
_CLOCK = re.compile(
    r"^(?:(?P<days>\d+)\s*(?:d|days?)\s*,?\s*)?"
    r"(?P<hours>\d+):(?P<minutes>[0-5]?\d)(?::(?P<seconds>[0-5]?\d(?:[.,]\d+)?))?$",
    re.IGNORECASE,
)
_COUNT = re.compile(rf"({_NUMBER})\s*([a-z]+)\s*,?\s*", re.IGNORECASE)
FORMS = "2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M"  # the reason names a few; README all


class ExportDurationError(ValueError):
    """An exported duration none of the accepted forms reads; the message names the forms.

    `reason` is the catalogue entry of the not-applicable reason it gives; the message is that
    reason without the field and value it starts with, which `describe` puts back."""

    def __init__(self, reason: Reason, **params: str) -> None:
        self.reason = reason
        self.params = params
        super().__init__(reason.template.removeprefix(FIGURE_PREFIX).format(**params))

    def describe(self, field: str, raw: str) -> str:
        """The not-applicable reason for `field` holding `raw`: "fr '~5 min' is not a duration …"."""
        return self.reason.text(field=field, value=repr(raw), **self.params)


FIGURE_PREFIX = "{field} {value} "  # how the catalogue's figure reasons start


def unit_of_field(field: str) -> str | None:
    """The unit a field's name declares (`..._minutes` -> minutes, `..._hrs` -> hours), if any."""
    name = field.casefold()
    for suffix, unit in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            return unit
    return None


def parse_export_duration(text: str, unit_seconds: int) -> int:
    """Whole seconds of an exported duration; a bare number counts `unit_seconds` each.

    Raises ExportDurationError for anything unreadable, negative or ambiguous.
    """
    value = text.strip()
    if not value:
        raise ExportDurationError(reasons.FIGURE_EMPTY)
    if value.startswith(("-", "\u2212")):
        raise ExportDurationError(reasons.FIGURE_NEGATIVE)
    if _DECIMAL.match(value):
        if _AMBIGUOUS_COMMA.match(value):
            raise ExportDurationError(reasons.FIGURE_AMBIGUOUS)
        return _whole(_decimal(value) * unit_seconds)
    if match := _CLOCK.match(value):
        days, hours, minutes, seconds = match.group("days", "hours", "minutes", "seconds")
        total = int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + _decimal(seconds or "0")
        return _whole(total)
    if value[:1] in "pP":
        try:
            duration = parse_duration(value)
        except DurationError:
            duration = None
        if isinstance(duration, Seconds):
            return duration.seconds
    counted = _counts(value)
    if counted is not None:
        return counted
    raise ExportDurationError(reasons.FIGURE_NOT_A_DURATION, forms=FORMS)


def _counts(value: str) -> int | None:
    """`1d 2h 3m`, `2 hours 5 minutes`: each unit at most once, nothing else in between."""
    position, total, seen = 0, Decimal(0), set()
    for match in _COUNT.finditer(value):
        if match.start() != position:
            return None
        unit = _UNIT_WORDS.get(match.group(2).casefold())
        if unit is None or unit in seen:
            return None
        seen.add(unit)
        total += _decimal(match.group(1)) * unit
        position = match.end()
    if not seen or position != len(value):
        return None
    return _whole(total)


def _decimal(number: str) -> Decimal:
    try:
        return Decimal(number.replace(",", "."))
    except InvalidOperation:  # the patterns only let digits and one separator through
        raise ExportDurationError(reasons.FIGURE_NOT_A_NUMBER) from None


def _whole(seconds: Decimal | int) -> int:
    """To the nearest second, halves up: a figure to the hundredth of an hour is 36 s apart."""
    return int(Decimal(seconds).quantize(Decimal(1), rounding=ROUND_HALF_UP))
