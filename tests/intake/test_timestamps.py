"""Timestamps as exports write them: each case is a value, the reading order, and the UTC instant or the error."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from svcaudit.intake.timestamps import TimestampError, TimestampParser

BERLIN = ZoneInfo("Europe/Berlin")
MONTH_FIRST, DAY_FIRST = False, True

READS = [
    # ISO 8601, with and without offsets; naive ones in the standard's zone (Berlin, +01:00 in March)
    ("2024-03-01T09:00:00+03:00", MONTH_FIRST, "2024-03-01T06:00:00+00:00"),
    ("2024-03-01T09:00:00Z", MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    ("2024-03-01T09:00:00.250+00:00", MONTH_FIRST, "2024-03-01T09:00:00.250000+00:00"),
    ("2024-03-01T09:00:00", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    ("2024-03-01 09:00", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    ("2024-03-01", MONTH_FIRST, "2024-02-29T23:00:00+00:00"),
    ("  2024-03-01 09:00  ", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    # Dotted European dates are day first whatever the standard says
    ("01.03.2024 09:00", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    ("01.03.2024 09:00:30", DAY_FIRST, "2024-03-01T08:00:30+00:00"),
    ("1.3.2024", MONTH_FIRST, "2024-02-29T23:00:00+00:00"),
    # Slashed dates: month first by default, day first when the standard says so
    ("03/01/2024 9:00 AM", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    ("03/01/2024 9:00 AM", DAY_FIRST, "2024-01-03T08:00:00+00:00"),
    ("03/01/2024 9:00 PM", MONTH_FIRST, "2024-03-01T20:00:00+00:00"),
    ("2024/03/01 09:00", DAY_FIRST, "2024-03-01T08:00:00+00:00"),
    # Other forms exports and mail headers write
    ("Fri, 01 Mar 2024 09:00:00 +0100", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    ("1 March 2024 09:00", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    ("2024-03-01 09:00 UTC", MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    ("2024-03-01 09:00 GMT", MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    ("20240301T090000", MONTH_FIRST, "2024-03-01T08:00:00+00:00"),
    # Epoch seconds and milliseconds, as text or as JSON numbers
    ("1709283600", MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    ("1709283600000", MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    ("1709283600.5", MONTH_FIRST, "2024-03-01T09:00:00.500000+00:00"),
    (1709283600, MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    (1709283600000, MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    (1709283600.0, MONTH_FIRST, "2024-03-01T09:00:00+00:00"),
    # Daylight saving in Berlin: 02:30 on 2026-03-29 does not exist and is read as if the clock had
    # not changed yet (02:30 CET = 01:30 UTC = 03:30 CEST); 02:30 on 2026-10-25 happens twice and is
    # read as the first time (CEST). An explicit offset picks the second.
    ("2026-03-29 02:30", MONTH_FIRST, "2026-03-29T01:30:00+00:00"),
    ("2026-03-29 03:30", MONTH_FIRST, "2026-03-29T01:30:00+00:00"),
    ("2026-03-29 01:59", MONTH_FIRST, "2026-03-29T00:59:00+00:00"),
    ("29.03.2026 02:30", MONTH_FIRST, "2026-03-29T01:30:00+00:00"),
    ("2026-10-25 02:30", MONTH_FIRST, "2026-10-25T00:30:00+00:00"),
    ("2026-10-25T02:30:00+01:00", MONTH_FIRST, "2026-10-25T01:30:00+00:00"),
    ("2026-10-25 03:30", MONTH_FIRST, "2026-10-25T02:30:00+00:00"),
    # The plausible range is inclusive, by the local year
    ("1990-01-01 00:00", MONTH_FIRST, "1989-12-31T23:00:00+00:00"),
    ("2100-12-31 23:59", MONTH_FIRST, "2100-12-31T22:59:00+00:00"),
]


@pytest.mark.parametrize("value, day_first, expected", READS)
def test_reads(value, day_first, expected):
    parsed = TimestampParser(BERLIN, day_first=day_first).parse(value)
    assert parsed.tzinfo is not None
    assert parsed.isoformat() == expected


REFUSALS = [
    ("0001-01-01", "'0001-01-01' is in the year 1, outside 1990-2100 (a placeholder or a typo?)"),
    ("0001-01-01T00:00:00+01:00", "is in the year 1, outside 1990-2100"),
    ("9999-12-31T23:59:59-01:00", "is in the year 9999, outside 1990-2100"),
    ("1989-12-31 23:59", "is in the year 1989"),
    ("2101-01-01", "is in the year 2101"),
    ("01.01.1900", "is in the year 1900"),
    (0, "'0' is in the year 1970"),
    ("123456789", "'123456789' is in the year 1973"),
    ("yesterday", "'yesterday' is not a timestamp"),
    ("", "empty timestamp"),
    ("5", "'5' is not a complete timestamp (it needs a year, month and day)"),
    ("10:00", "'10:00' is not a complete timestamp"),
    ("March 2024", "'March 2024' is not a complete timestamp"),
    ("T1", "is not a"),
    ("31.02.2024", "'31.02.2024': day is out of range for month"),
    ("2024-02-30", "'2024-02-30' is not a timestamp"),
    ("2024-03-01 09:00 EST", "time zone name 'EST' is not understood; write an offset such as +03:00"),
    ("2024-03-01 09:00 MSK", "time zone name 'MSK' is not understood"),
    ("x" * 100, "is not a timestamp (100 characters)"),
    (True, "True is not a timestamp"),
    (None, "None is not a timestamp"),
    ({"at": "2024-03-01"}, "is not a timestamp"),
    (float("nan"), "nan is out of range for an epoch timestamp"),
    (float("inf"), "inf is out of range for an epoch timestamp"),
    (10**400, "is out of range for an epoch timestamp"),
    ("99999999999999999999999", "is not a timestamp"),
]


@pytest.mark.parametrize("value, message", REFUSALS, ids=lambda v: repr(v)[:30])
def test_refusals(value, message):
    with pytest.raises(TimestampError) as caught:
        TimestampParser(BERLIN).parse(value)
    assert message in str(caught.value)
    assert len(str(caught.value)) < 200  # a pasted essay is not echoed whole


def test_datetimes_pass_through_in_the_zone():
    parser = TimestampParser(BERLIN)
    assert parser.parse(datetime(2024, 3, 1, 9)) == datetime(2024, 3, 1, 8, tzinfo=timezone.utc)
    with pytest.raises(TimestampError, match="year 1"):
        parser.parse(datetime(1, 1, 1))


def test_day_first_comes_from_the_standard(write):
    from svcaudit.audit.engine import make_intake
    from svcaudit.standard.loader import load_standard

    standard = write(
        "s.yaml",
        "svcaudit: 1\nname: t\ntimezone: UTC\ninput: {date_order: day-first}\n"
        "rules:\n  - {id: fr, check: response_time, metric: first_reply, target: 1h}\n",
    )
    data = write("t.csv", "ticket_id,created_at\nT1,03/01/2024 9:00 AM\n")
    (ticket,) = make_intake(load_standard(str(standard)), [data]).tickets()
    assert ticket.created_at == datetime(2024, 1, 3, 9, tzinfo=timezone.utc)
