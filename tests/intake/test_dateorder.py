"""Day/month order decided per column from all its values (`logs.dateorder`), table-driven."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svcaudit.errors import InputError
from svcaudit.intake.dateorder import (
    DAY_FIRST,
    MONTH_FIRST,
    decide,
    gather,
    is_numeric_date,
    may_hold_numeric_dates,
)

# (created_at values, resolved_at values, declared) -> (created order, resolved order, warns)
DECISIONS = [
    pytest.param(
        ["03/04/2025 9:00", "29/01/2025 10:00"], [], None, (DAY_FIRST, None, False), id="a late value proves day first"
    ),
    pytest.param(["03/04/2025", "01/29/2025"], [], None, (MONTH_FIRST, None, False), id="a value proves month first"),
    pytest.param(["03/04/2025"], [], None, (MONTH_FIRST, None, True), id="undecidable: month first with a warning"),
    pytest.param(["03/04/2025"], [], DAY_FIRST, (DAY_FIRST, None, False), id="undecidable: the declaration"),
    pytest.param(
        ["29/01/2025"],
        ["03/04/2025"],
        None,
        (DAY_FIRST, DAY_FIRST, False),
        id="an undecided column takes the file's other columns' order",
    ),
    pytest.param(
        ["05/05/2025"], [], None, (MONTH_FIRST, None, False), id="dates that read alike either way need no warning"
    ),
    pytest.param(
        ["2025-01-29T10:00:00Z", "29-01-2025 10:00:00"],
        [],
        None,
        (DAY_FIRST, None, False),
        id="dash dates too; ISO values say nothing",
    ),
]


@pytest.mark.parametrize("created, resolved, declared, expected", DECISIONS)
def test_decisions(created, resolved, declared, expected):
    rows = [(row, {"created_at": ("Created", value)}) for row, value in enumerate(created, start=2)]
    rows += [(row, {"resolved_at": ("Resolved", value)}) for row, value in enumerate(resolved, start=100)]
    evidence = gather(iter(rows))
    orders = decide("t.csv", evidence, declared)
    found = {column.field: column.order for column in orders.columns}
    want_created, want_resolved, warns = expected
    assert found.get("created_at") == want_created
    assert found.get("resolved_at") == want_resolved
    assert bool(orders.warnings) is warns
    if warns:
        assert "input.date_order" in orders.warnings[0] and "t.csv" in orders.warnings[0]


CONTRADICTIONS = [
    pytest.param(["29/01/2025", "01/29/2025"], None, "holds dates in both orders", id="both orders"),
    pytest.param(["01/29/2025"], DAY_FIRST, "contradicts input.date_order day-first", id="against the declaration"),
]


@pytest.mark.parametrize("values, declared, message", CONTRADICTIONS)
def test_contradictions_are_input_errors_naming_column_and_rows(values, declared, message):
    rows = [(row, {"created_at": ("Created time", value)}) for row, value in enumerate(values, start=2)]
    evidence = gather(iter(rows))
    with pytest.raises(InputError) as caught:
        decide("t.csv", evidence, declared)
    text = str(caught.value)
    assert message in text and "'Created time'" in text and "t.csv" in text and "row " in text


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"id,created\n1,2025-01-29T10:00:00+03:00\n", False),
        (b"id,created\n1,29/01/2025 10:00\n", True),
        (b"id,created\n1,29-01-2025 10:00:00\n", True),
        (b"id,created\n1,1/2/25\n", True),
        (b"id,created\nT-1000001,2025-01-29\n", False),
        (b"a-1-2025", True),
        (b"a-1-202", False),
        (b"-123-2025", False),
        (b"/1/2", False),
        (b"12/31/99", True),
        (b"1,-12-2025", True),
    ],
)
def test_the_cheap_whole_file_test(data, expected):
    # Cut in two at every position: a date across a chunk boundary is still seen.
    for cut in range(len(data)):
        assert may_hold_numeric_dates([data[:cut], data[cut:]]) is expected


# What the whole-file test looks for, written as a regular expression: its definition.
SLASH_OR_DASH_DATE = re.compile(rb"/\d\d?/\d\d|-\d\d?-\d\d\d\d")


@given(
    data=st.lists(
        st.sampled_from([b"/", b"-", b"0", b"1", b"2", b"9", b"T", b"\xc3", b"\x80", b"\xff"]), max_size=40
    ).map(b"".join),
    cuts=st.lists(st.integers(0, 40), max_size=4),
)
def test_the_whole_file_test_is_a_search_of_the_stream(data: bytes, cuts: list[int]) -> None:
    """Whatever the chunks, the answer is whether the bytes they make hold the shape anywhere
    (bytes that are not UTF-8 next to it change nothing)."""
    edges = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    chunks = [data[start:end] for start, end in zip(edges, edges[1:], strict=False)]
    assert may_hold_numeric_dates(chunks) is (SLASH_OR_DASH_DATE.search(data) is not None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("29/01/2025 10:00", True),
        ("1-2-25", True),
        ("2025-01-29", False),
        ("01.02.2025", False),
    ],
)
def test_numeric_dates(value, expected):
    assert is_numeric_date(value) is expected
