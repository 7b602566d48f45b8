"""Durations as helpdesk exports write them: every accepted form to the second, every refusal named."""

from __future__ import annotations

import pytest

from svcaudit.timecalc.export_durations import (
    UNIT_SECONDS,
    ExportDurationError,
    parse_export_duration,
    unit_of_field,
)

H, M = UNIT_SECONDS["hours"], UNIT_SECONDS["minutes"]

# (exported text, the field's unit in seconds, whole seconds)
READ = [
    ("90", M, 5400),  # Zendesk's "First reply time in minutes"
    ("0", M, 0),
    ("2.5", H, 9000),  # Freshdesk's API: decimal hours
    ("2,5", H, 9000),  # the same with a decimal comma
    ("0.08", H, 288),
    ("0,083", H, 299),  # a leading zero: a decimal comma, not thousands
    ("1.234", H, 4442),
    ("90", UNIT_SECONDS["seconds"], 90),
    ("32.5", M, 1950),
    ("2:05:11", H, 7511),  # Freshdesk's UI export: H:MM:SS in an "(in hrs)" column
    ("02:05:11", M, 7511),  # a clock reads the same whatever the field's unit
    ("27:31:07", H, 99067),  # hours past a day
    ("120:00:00", H, 432000),
    ("0:45", H, 2700),  # H:MM
    ("0:00:01", H, 1),
    ("1:02:03.6", H, 3724),  # fractions of a second, to the nearest
    ("1 day 02:03:04", H, 93784),  # PostgreSQL intervals
    ("2 days, 0:00:05", H, 172805),
    ("1d 2h 3m", H, 93780),
    ("2h 5m 11s", H, 7511),
    ("1h30m", M, 5400),
    ("90 min", H, 5400),
    ("2 hours 5 minutes", M, 7500),
    ("1.5h", M, 5400),
    ("1W", M, 604800),
    ("PT2H5M11S", M, 7511),
    ("P1DT2H", H, 93600),
    ("  2:05:11  ", H, 7511),
]

# (exported text, the field's unit in seconds, a fragment of the refusal)
REFUSED = [
    ("", H, "is empty"),
    ("   ", H, "is empty"),
    ("-5", M, "is negative"),
    ("-0:05:00", H, "is negative"),
    ("\u22122.5", H, "is negative"),
    ("1,234", M, "ambiguous"),
    ("abc", H, "is not a duration such as 2.5 in the field's unit, 2:05:11"),
    ("?", H, "is not a duration"),
    ("n/a", M, "is not a duration"),
    ("2:60", H, "is not a duration"),  # no 60th minute
    ("2:05:75", H, "is not a duration"),
    ("2:05:11:09", H, "is not a duration"),
    ("1.2.3", H, "is not a duration"),
    ("1h 1h", H, "is not a duration"),  # a unit twice
    ("2 parsecs", H, "is not a duration"),
    ("1d garbage", H, "is not a duration"),
    ("3bd", H, "is not a duration"),  # working days are a target, not a measurement
    ("P", H, "is not a duration"),
    ("1e3", M, "is not a duration"),
]


@pytest.mark.parametrize("text, unit, seconds", READ, ids=[r[0].strip() or "blank" for r in READ])
def test_reads_each_form_to_the_second(text, unit, seconds):
    assert parse_export_duration(text, unit) == seconds


@pytest.mark.parametrize("text, unit, fragment", REFUSED, ids=[r[0] or "empty" for r in REFUSED])
def test_refuses_with_a_reason(text, unit, fragment):
    with pytest.raises(ExportDurationError) as caught:
        parse_export_duration(text, unit)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "field, unit",
    [
        ("zendesk_first_reply_minutes", "minutes"),
        ("freshdesk_first_response_hours", "hours"),
        ("first_response_time_in_hrs", "hours"),
        ("handle_seconds", "seconds"),
        ("wait_mins", "minutes"),
        ("Reply_MINUTES", "minutes"),
        ("first_reply", None),
        ("hours_note", None),
    ],
)
def test_unit_of_field(field, unit):
    assert unit_of_field(field) == unit
