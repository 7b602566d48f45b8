"""The fixed-width lane of the column-wise timestamps reads what the regex lane and the reference read.

`fixed_width_parts` must take exactly the texts that are, byte for byte, one of its forms, and give
them the fields `regex_parts` gives; `timestamp_micros` over any mix of values (fixed-width ones with good
and bad dates, zones, naive times in DST gaps and folds, other ISO forms, other text, non-ASCII,
nulls; plain, sliced and chunked arrays) must give every row the reference's instant, and mark not
exact exactly the rows the reference refuses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.intake.column_typer import MISSING, timestamp_micros
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.iso_parts import IsoParts, fixed_width_parts, regex_parts
from svcaudit.intake.timestamps import TimestampParser

FIELD = "created_at"
PATH = "export.csv"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MICRO = timedelta(microseconds=1)
# The fixed-width forms as Python reads them, on the text as it is (not trimmed).
FIXED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})?")
ZONES: dict[str, tzinfo] = {
    name: ZoneInfo(name) for name in ("Europe/Moscow", "America/New_York", "Europe/Berlin", "UTC")
} | {"+03:00": timezone(timedelta(hours=3))}
PARSERS = {name: RowParser(TimestampParser(zone), ColumnMapping()) for name, zone in ZONES.items()}

FIXED_TEXTS = st.builds(
    "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}".format,
    st.one_of(st.sampled_from([1989, 1990, 2011, 2014, 2024, 2025, 2100, 2101]), st.integers(0, 9999)),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["T", "t", " "]),
    st.integers(0, 24),
    st.integers(0, 60),
    st.integers(0, 60),
    st.sampled_from(["", "Z", "+03:00", "-05:30", "+00:00", "-00:00", "+23:59", "+24:00", "-03:60", "+14:00"]),
)
# Naive local times around transitions: Moscow's last gap and fold with daylight time (2010),
# its last spring forward (2011) and its move back from +04:00 (2014-10-26 02:00 -> 01:00);
# New York's 2025 gap (03-09 02:00-03:00) and fold (11-02 01:00-02:00).
NAIVE_NEAR_CHANGES = st.builds(
    "{}T{:02d}:{:02d}:{:02d}".format,
    st.sampled_from(["2010-03-28", "2010-10-31", "2011-03-27", "2014-10-26", "2025-03-09", "2025-11-02", "2025-11-03"]),
    st.integers(0, 4),
    st.sampled_from([0, 1, 29, 30, 59]),
    st.sampled_from([0, 1, 59]),
)
OTHER_TEXTS = st.sampled_from(
    [
        "",
        " ",
        "n/a",
        "-",
        "x",
        "1767225600",
        "2025-11-24",
        "2025-11-24T00:03",
        "2025-11-24T00:03Z",
        "2025-11-24T00:03:18.5Z",
        "2025-11-24 00:03:18.123456+03:00",
        "2025-11-24T00:03:18.1234567",
        " 2025-11-24T00:03:18+03:00",
        "2025-11-24T00:03:18Z\t",
        "\n2025-11-24T00:03:18",
        "2025-11-24T00:03:18z",
        "2025-11-24T00:03:18+0300",
        "2025-11-24T00:03:18 +03:00",
        "2025-11-24T00:03:18+03:00:00",
        "2025-11-24_00:03:18",
        "2025/11/24 00:03:18",
        "24.11.2025 00:03",
        "\xa02025-11-24T00:03:18",
        "2025-11-24T00:03:18+03:é",  # 24 characters, 25 bytes
        "2025-11-24T00:03:1é",  # 19 characters, 20 bytes
        "é025-11-24T00:03:18",  # 19 characters, 20 bytes
        "２０２５-11-24T00:03:18",  # full-width digits: not RE2's \d
        "2025-11-24T00:03:18\x00",
        "2025-02-29T10:00:00Z",
        "2024-02-29T10:00:00Z",
        "2025-11-24T24:00:00Z",
        "2025-11-24T24:00:00",
    ]
)
VALUES = st.one_of(FIXED_TEXTS, NAIVE_NEAR_CHANGES, OTHER_TEXTS, st.none())


def reference(parser: RowParser, raw: str | None) -> tuple[int, bool]:
    """(epoch microseconds or MISSING, exact) as the reference types the value."""
    try:
        moment = parser.timestamp({FIELD: raw}, FIELD, PATH)
    except FieldError:
        return MISSING, False
    return (MISSING if moment is None else (moment - EPOCH) // MICRO), True


def arrow_column(values: list[str | None], shape: str, large: bool) -> pa.Array | pa.ChunkedArray:
    """The values as a plain, a sliced (other values around them) or a chunked string array."""
    kind = pa.large_string() if large else pa.string()
    if shape == "sliced":
        padded = ["2025-01-01T00:00:00Z", None, *values, "2025-01-01T00:00:00+03:00"]
        return pa.array(padded, kind).slice(2, len(values))
    if shape == "chunked":
        half = len(values) // 2
        return pa.chunked_array([pa.array(values[:half], kind), pa.array(values[half:], kind)], kind)
    return pa.array(values, kind)


def assert_as_reference(values: Sequence[str | None], zone: str, column: pa.Array | pa.ChunkedArray) -> None:
    parser = PARSERS[zone]
    exact = np.ones(len(values), dtype=bool)
    stamps = timestamp_micros(column, len(values), FIELD, PATH, parser, exact)
    for row, raw in enumerate(values):
        assert (stamps[row], exact[row]) == reference(parser, raw), (row, raw, zone)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(VALUES, max_size=40),
    zone=st.sampled_from(sorted(ZONES)),
    shape=st.sampled_from(["plain", "sliced", "chunked"]),
    large=st.booleans(),
)
def test_stamps_equal_the_reference(values: list[str | None], zone: str, shape: str, large: bool) -> None:
    assert_as_reference(values, zone, arrow_column(values, shape, large))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(VALUES, max_size=40), shape=st.sampled_from(["plain", "sliced"]), large=st.booleans())
def test_fixed_lane_takes_the_fixed_forms_as_the_regex_reads_them(
    values: list[str | None], shape: str, large: bool
) -> None:
    column = arrow_column(values, shape, large)
    rows, parts = fixed_width_parts(column)
    fixed = [row for row, raw in enumerate(values) if raw is not None and FIXED.fullmatch(raw)]
    assert sorted(rows.tolist()) == fixed
    regex_rows, regex = regex_parts(pc.ascii_trim_whitespace(column.take(pa.array(rows, pa.int64()))))
    assert regex_rows.tolist() == list(range(rows.size))
    for field in fields(IsoParts):
        assert getattr(parts, field.name).tolist() == getattr(regex, field.name).tolist(), field.name


CASES = [
    # value, zone, whether the fixed-width lane reads it
    ("2025-11-24T00:03:18+03:00", "Europe/Moscow", True),
    ("2025-11-24t00:03:18-05:30", "UTC", True),
    ("2025-11-24 00:03:18Z", "UTC", True),
    ("2025-11-24T00:03:18", "Europe/Moscow", True),
    ("2010-03-28T02:30:00", "Europe/Moscow", True),  # in the gap
    ("2014-10-26T01:30:00", "Europe/Moscow", True),  # in the fold of the move back to +03:00
    ("2025-03-09T02:30:00", "America/New_York", True),  # in the gap
    ("2025-11-02T01:30:00", "America/New_York", True),  # in the fold
    ("2025-02-29T10:00:00Z", "UTC", True),  # not a date: the reference refuses it
    ("2025-11-24T24:00:00Z", "UTC", True),
    ("1989-12-31T23:59:59Z", "UTC", True),  # before the years an export may hold
    ("2025-11-24T00:03:18+24:00", "UTC", True),
    ("2025-11-24T00:03:18.5+03:00", "Europe/Moscow", False),
    ("2025-11-24", "Europe/Moscow", False),
    (" 2025-11-24T00:03:18Z", "UTC", False),
    ("2025-11-24T00:03:18+03:é", "UTC", False),
    ("２０２５-11-24T00:03:18", "UTC", False),
]


@pytest.mark.parametrize(("value", "zone", "fixed"), CASES)
def test_case(value: str, zone: str, fixed: bool) -> None:
    values = ["2025-01-01T00:00:00Z", value, ""]
    rows, _ = fixed_width_parts(pa.array(values))
    assert (1 in rows.tolist()) == fixed
    assert_as_reference(values, zone, pa.array(values))


def test_a_null_over_a_timestamps_bytes_is_null() -> None:
    """A null entry may span bytes (Arrow does not require its offsets to be equal): it is not read."""
    text = b"2025-11-24T00:03:18+03:00" * 2
    offsets = np.array([0, 25, 50], dtype=np.int32).tobytes()
    validity = pa.py_buffer(bytes([0b10]))  # the first entry null
    column = pa.Array.from_buffers(pa.string(), 2, [validity, pa.py_buffer(offsets), pa.py_buffer(text)])
    assert column.to_pylist() == [None, "2025-11-24T00:03:18+03:00"]
    rows, _ = fixed_width_parts(column)
    assert rows.tolist() == [1]
    assert_as_reference(column.to_pylist(), "UTC", column)
