"""Instants written a column at a time are the ones `format_instant` and `utc_instant` give one by one."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from svcaudit.timecalc.durations import format_instant
from svcaudit.timecalc.instant_columns import instant_texts, utc_instants
from svcaudit.timecalc.zoneclock import to_epoch_us, utc_instant

FIRST = to_epoch_us(datetime(1, 1, 1, tzinfo=timezone.utc))
LAST = to_epoch_us(datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone.utc))
SECOND = 1_000_000

instants = st.one_of(
    st.integers(FIRST, LAST),  # any microsecond datetime can hold
    st.integers(FIRST // SECOND, LAST // SECOND).map(lambda s: s * SECOND),  # whole seconds, the common case
    st.integers(-3 * 86_400, 3 * 86_400).map(lambda s: s * SECOND),  # around the epoch
)


@given(st.lists(instants, max_size=40))
def test_instant_texts_are_format_instant(values):
    column = np.array(values, dtype=np.int64)
    assert instant_texts(column) == [format_instant(utc_instant(value)) for value in values]


@given(st.lists(instants, max_size=40))
def test_utc_instants_are_utc_instant(values):
    made = utc_instants(np.array(values, dtype=np.int64))
    expected = [utc_instant(value) for value in values]
    assert made == expected
    assert [moment.tzinfo for moment in made] == [moment.tzinfo for moment in expected]


def test_edges_of_the_calendar():
    values = [FIRST, LAST, 0, -1, SECOND - 1, to_epoch_us(datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone.utc))]
    assert instant_texts(np.array(values)) == [
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999Z",
        "1970-01-01T00:00:00.999999Z",
        "2024-02-29T23:59:59Z",
    ]
    assert instant_texts(np.array([], dtype=np.int64)) == []
