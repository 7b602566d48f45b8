"""Logs sharing a `SpillPool` (`svcaudit report`'s groups): one budget of findings in memory
however many logs there are, one spill file, each log's findings still in its own order."""

from __future__ import annotations

import gc

from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.results.findings import FindingLog, Rows, SpillPool
from tests.results.test_findings import spill_files, violation


@settings(max_examples=60, deadline=None)
@given(
    owners=st.lists(st.integers(0, 6), max_size=120),
    limit=st.integers(1, 25),
    threshold=st.integers(1, 40),
)
def test_pooled_logs_keep_their_order_within_the_budget(owners, limit, threshold, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pool")
    pool = SpillPool(limit, directory)
    logs = [FindingLog(threshold, directory, pool) for _ in range(7)]
    expected: list[list] = [[] for _ in logs]
    for index, owner in enumerate(owners):
        finding = violation(index)
        logs[owner].append(finding)
        expected[owner].append(finding)
        assert sum(len(log._memory) for log in logs) < limit  # the budget, whatever the logs' own thresholds
    assert [list(log) for log in logs] == expected
    assert len(spill_files(directory)) <= 1  # the pool's file: the logs make none of their own
    assert [len(log) for log in logs] == [len(found) for found in expected]


def test_a_pooled_log_hands_on_its_rows_and_the_pool_keeps_its_file(tmp_path):
    pool = SpillPool(3, tmp_path)
    first, second = FindingLog(directory=tmp_path, pool=pool), FindingLog(directory=tmp_path, pool=pool)
    for index in range(10):
        (first if index % 2 else second).append(violation(index))
    assert first.spilled and second.spilled
    state = first.state(by_reference=True)
    assert isinstance(state, Rows)  # not segments of the pool's file, which the other log still reads
    taken = FindingLog(directory=tmp_path)
    taken.absorb(state)
    assert list(taken) == list(first) == [violation(index) for index in range(1, 10, 2)]
    assert list(second) == [violation(index) for index in range(0, 10, 2)]
    assert len(spill_files(tmp_path)) == 1


def test_the_pools_file_goes_with_the_pool_and_its_logs(tmp_path):
    pool = SpillPool(2, tmp_path)
    logs = [FindingLog(directory=tmp_path, pool=pool) for _ in range(3)]
    for index in range(9):
        logs[index % 3].append(violation(index))
    assert spill_files(tmp_path)
    del logs, pool
    gc.collect()
    assert spill_files(tmp_path) == []


def test_extend_counts_against_the_pool(tmp_path):
    pool = SpillPool(5, tmp_path)
    log = FindingLog(directory=tmp_path, pool=pool)
    log.extend(violation(index) for index in range(12))
    assert len(log._memory) < 5 and list(log) == [violation(index) for index in range(12)]
