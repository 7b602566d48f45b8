from __future__ import annotations

import pytest

from svcaudit.timecalc.durations import DurationError, Seconds, WorkingDays, format_seconds, parse_duration

CASES = [
    ("90s", Seconds(90)),
    ("30m", Seconds(1800)),
    ("4h", Seconds(14400)),
    ("1d", Seconds(86400)),
    ("1h30m", Seconds(5400)),
    ("PT4H", Seconds(14400)),
    ("P1DT2H", Seconds(93600)),
    ("3bd", WorkingDays(3)),
    (" 2H ", Seconds(7200)),
    (45, Seconds(45)),
    ("1w", Seconds(604800)),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "4x", "h", "-1h", "P", "PT", "0bd", True, 1.5, -3, "1h 30"])
def test_bad_durations(text):
    with pytest.raises(DurationError):
        parse_duration(text)


@pytest.mark.parametrize(
    "seconds, text", [(0, "0s"), (59, "59s"), (93600, "1d 2h"), (5415, "1h 30m 15s"), (-60, "-1m")]
)
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text
