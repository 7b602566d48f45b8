"""Findings kept as columns (`results.finding_columns`): a kernel's failures as one Arrow chunk are the
rows `columnar.failure_rows` makes, field for field, and their JSON (`json_columns`) is the text
`encode_findings` gives those rows, byte for byte, whatever the values (texts to escape, nulls, due
times with microseconds); the findings log keeps chunks in their place among rows, on disk as they
are; and whole audits whose findings go through chunks give the reports of audits that count them
one row at a time, in every format."""

from __future__ import annotations

import gc
import json
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcaudit.audit.columnar import SUBJECT_FIELDS, Subjects, failure_chunk, failure_rows
from svcaudit.audit.engine import Tally
from svcaudit.checks.base import FailedColumns
from svcaudit.cli import app
from svcaudit.reporters.json import encode_finding_chunk, encode_findings
from svcaudit.results import findings
from svcaudit.results.finding_columns import chunk_bytes, chunk_rows, read_chunk
from svcaudit.results.findings import FindingLog, SpillPool
from svcaudit.results.model import violation_as_row
from svcaudit.standard.model import Severity
from tests.paths import generated_export

AS_OF = "2026-11-23T12:00:00Z"
FIRST = int(datetime(1990, 1, 1, tzinfo=timezone.utc).timestamp()) * 1_000_000
LAST = int(datetime(2100, 1, 1, tzinfo=timezone.utc).timestamp()) * 1_000_000

TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=10) | st.sampled_from(
    ["", '"', "\\", "a\nb", "\x7f", "\x85", "\u202e", "ё", "%s"]
)
MAYBE_TEXT = st.none() | TEXTS
INSTANTS = st.integers(FIRST, LAST) | st.integers(FIRST // 10**6, LAST // 10**6).map(lambda s: s * 10**6)


@st.composite
def kernel_failures(draw) -> tuple[SimpleNamespace, Subjects, FailedColumns]:
    count = draw(st.integers(0, 6))

    def column(values, present=True):
        return draw(st.lists(values, min_size=count, max_size=count)) if present else None

    timed = draw(st.booleans())
    rule = SimpleNamespace(id=draw(TEXTS), severity=draw(st.sampled_from(list(Severity))))
    subjects = Subjects(
        draw(TEXTS),
        column(st.integers(1, 10**9)),
        {name: column(MAYBE_TEXT) for name in SUBJECT_FIELDS},
    )
    failed = FailedColumns(
        column(TEXTS),
        measured_seconds=column(st.integers(0, 10**9), timed),
        target_seconds=column(st.integers(0, 10**9), timed),
        due_at=np.array(column(INSTANTS), dtype=np.int64) if timed else None,
        evidence=column(TEXTS, timed),
        field=draw(MAYBE_TEXT),
        measured_value=column(st.integers(0, 10**6), not timed),
        target_value=column(st.integers(0, 10**6), not timed),
    )
    return rule, subjects, failed


@settings(max_examples=200, deadline=None)
@given(kernel_failures())
def test_a_chunk_is_the_rows_and_encodes_as_they_do(failures):
    rule, subjects, failed = failures
    rows = failure_rows(rule, subjects, failed)
    chunk = failure_chunk(rule, subjects, failed)
    assert chunk is not None
    assert chunk_rows(chunk) == rows
    assert chunk_rows(read_chunk(chunk_bytes(chunk))) == rows
    if rows:
        for depth in (None, 4):
            assert encode_finding_chunk(chunk, depth).decode("utf-8") == encode_findings(rows, depth)


def test_a_value_that_is_not_a_whole_number_keeps_the_rows():
    rule = SimpleNamespace(id="r", severity=Severity.ERROR)
    subjects = Subjects("t.csv", [2], {name: [None] for name in SUBJECT_FIELDS})
    for value in (0.5, True):
        assert failure_chunk(rule, subjects, FailedColumns(["x"], measured_value=[value])) is None


def _chunk(first: int, count: int):
    rule = SimpleNamespace(id="late", severity=Severity.ERROR)
    subjects = Subjects(
        "t.csv", list(range(first, first + count)), {name: [f"{name}{first}"] * count for name in SUBJECT_FIELDS}
    )
    failed = FailedColumns([f"finding {n}" for n in range(first, first + count)])
    return failure_rows(rule, subjects, failed), failure_chunk(rule, subjects, failed)


def test_the_log_keeps_chunks_in_their_place_among_rows(tmp_path):
    log = FindingLog(spill_threshold=4, directory=tmp_path)
    expected = []
    for first, count in ((0, 2), (10, 3), (20, 1), (30, 9), (40, 5)):
        rows, chunk = _chunk(first, count)
        if first == 20:
            log.extend_rows(rows)
        else:
            log.append_columns(chunk)
        expected += rows
    assert list(map(violation_as_row, log)) == expected
    assert len(log) == len(expected) == 20
    # 3, 9 and 5 rows on disk as columns; the 2 first rows beside the next 3 went beyond the threshold
    assert [segment.columns_size > 0 for segment in log._segments] == [False, True, False, True, True]
    mapped = list(
        log.map_batches(lambda rows: ("rows", len(rows)), rows=True, columns=lambda c: ("columns", c.num_rows))
    )
    assert ("columns", 9) in mapped and ("columns", 5) in mapped
    assert sum(count for _, count in mapped) == 20
    adopted = FindingLog(directory=tmp_path)
    adopted.absorb(log.state(by_reference=True))
    assert len(log) == 0
    assert list(map(violation_as_row, adopted)) == expected
    adopted.close()
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_a_log_of_a_pool_keeps_chunks_as_rows(tmp_path):
    log = FindingLog(spill_threshold=2, pool=SpillPool(limit=3, directory=tmp_path))
    rows, chunk = _chunk(0, 8)
    log.append_columns(chunk)
    assert all(segment.columns_size == 0 for segment in log._segments)
    assert list(map(violation_as_row, log)) == rows


# -- whole audits --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generated_export(tmp_path_factory.mktemp("generated"), 3000)


STANDARDS = ["builtin:default", str(Path(__file__).resolve().parents[2] / "benchmarks/standards/business-hours.yaml")]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("standard", STANDARDS)
def test_audits_through_chunks_report_as_row_by_row(generated, monkeypatch, tmp_path, standard, jobs):
    monkeypatch.setattr(findings, "DEFAULT_SPILL_THRESHOLD", 50)  # chunks of a batch's failures go to disk
    monkeypatch.setattr(findings, "DEFAULT_POOL_LIMIT", 500)
    args = ["check", str(generated), "--standard", standard, "--as-of", AS_OF, "--jobs", jobs, "--color", "never"]
    runner = CliRunner()
    chunked = {
        fmt: runner.invoke(app, [*args, "-f", fmt, "--limit", "0"]) for fmt in ("json", "text", "junit", "github")
    }
    part = tmp_path / "part.json"
    assert runner.invoke(app, [*args, "--partial", str(part), "-q"]).exit_code in (0, 1)
    monkeypatch.setattr(Tally, "takes_chunks", property(lambda self: False))
    for fmt, made in chunked.items():
        by_rows = runner.invoke(app, [*args, "-f", fmt, "--limit", "0"])
        assert made.exit_code == by_rows.exit_code
        assert made.stdout == by_rows.stdout, fmt
    rows_part = tmp_path / "rows.json"
    runner.invoke(app, [*args, "--partial", str(rows_part), "-q"])
    assert json.loads(part.read_text()) == json.loads(rows_part.read_text())
    assert len(json.loads(chunked["json"].stdout)["violations"]) > 500


@pytest.mark.parametrize("by", ["week", "rule"])
def test_report_workers_through_chunks_make_the_tables_of_rows(generated, monkeypatch, by):
    """A report's workers judge each group's part of a batch into a tally of its own, which takes
    chunks when a part holds enough failures: the tables (times behind the medians included) are
    those of rows."""
    from svcaudit.audit import columnar

    monkeypatch.setattr(columnar, "CHUNK_MIN_FINDINGS", 1)
    args = ["report", str(generated), "--by", by, "--as-of", AS_OF, "--jobs", "2", "-f", "json"]
    runner = CliRunner()
    chunked = runner.invoke(app, args)
    added = []
    real = Tally.add_failure_chunk
    monkeypatch.setattr(Tally, "add_failure_chunk", lambda self, *a: added.append(1) or real(self, *a))
    in_process = runner.invoke(app, [*args[:-4], "--jobs", "1", "-f", "json"])
    monkeypatch.setattr(Tally, "takes_chunks", property(lambda self: False))
    by_rows = runner.invoke(app, args)
    assert chunked.exit_code == by_rows.exit_code == in_process.exit_code == 0
    assert chunked.stdout == by_rows.stdout == in_process.stdout
    assert added == []  # in this process a report's groups keep rows (their logs share a pool)
