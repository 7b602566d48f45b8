"""The built-in 24/7 calendar counts real seconds, whatever zone the instants are written in.

Two datetimes of one zoneinfo zone subtract as wall-clock times in Python; across a daylight-saving
change that is an hour off the time that passed. A naive timestamp in a standard's zone is such a
datetime, so a span over the change must still count real time (README: "`00:00-24:00` always
equals real time, and so does the built-in `24/7`").
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from svcaudit.timecalc.calendar import ALWAYS_OPEN

BERLIN = ZoneInfo("Europe/Berlin")

# (start, end, real seconds between them)
SPANS = [
    pytest.param(
        datetime(2026, 3, 28, 12, tzinfo=BERLIN), datetime(2026, 3, 29, 12, tzinfo=BERLIN), 23 * 3600, id="spring"
    ),
    pytest.param(
        datetime(2026, 10, 24, 12, tzinfo=BERLIN), datetime(2026, 10, 25, 12, tzinfo=BERLIN), 25 * 3600, id="autumn"
    ),
    pytest.param(
        datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN),
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN),
        3600,
        id="the-repeated-hour",
    ),
    pytest.param(
        datetime(2026, 3, 28, 12, tzinfo=BERLIN),
        datetime(2026, 3, 29, 11, tzinfo=timezone.utc),
        24 * 3600,
        id="two-zones",
    ),
]


@pytest.mark.parametrize("start, end, seconds", SPANS)
def test_24_7_counts_real_seconds(start, end, seconds):
    assert ALWAYS_OPEN.business_seconds(start, end) == seconds


@pytest.mark.parametrize("start, end, seconds", SPANS)
def test_24_7_due_times_are_real_time_later(start, end, seconds):
    due = ALWAYS_OPEN.add_business_seconds(start, seconds)
    assert due.astimezone(timezone.utc) == end.astimezone(timezone.utc)
    assert due.tzinfo is start.tzinfo  # shown in the start's zone


def test_working_days_on_24_7_are_real_days():
    start = datetime(2026, 3, 28, 12, tzinfo=BERLIN)
    due = ALWAYS_OPEN.add_working_days(start, 1)
    assert due.astimezone(timezone.utc) - start.astimezone(timezone.utc) == timedelta(days=1)
    assert due.hour == 13  # a real day after noon on the day clocks went forward
