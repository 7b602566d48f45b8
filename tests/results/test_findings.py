"""The findings log: order, re-iteration and counts across the memory/disk boundary, hand-over between
processes, removal of its files; the streaming worst-first selection; a whole `check` spilling."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.reporters.common import worst_first
from svcaudit.results import findings
from svcaudit.results.findings import FindingLog, Segment
from svcaudit.results.model import VIOLATION_FIELDS, Violation, violation_row_of
from tests.paths import SAMPLES

AS_OF = "2026-11-23T12:00:00Z"
BERLIN = ZoneInfo("Europe/Berlin")


def violation(
    index: int,
    rule: str = "first-reply",
    severity: str = "error",
    measured: int | None = None,
    target: int | None = None,
) -> Violation:
    return Violation(
        rule=rule,
        ticket_id=f"T{index}",
        severity=severity,
        message=f"finding {index}",
        path="tickets.csv",
        row=index + 2,
        field="first_reply_at",
        measured_seconds=measured,
        target_seconds=target,
        due_at=datetime(2026, 10, 25, 2, index % 60, fold=index % 2, tzinfo=BERLIN),  # ambiguous hour
        evidence=None if index % 3 else "“quoted” evidence",
        measured_value=index / 7,
        waiver="agreed" if index % 5 == 0 else None,
    )


def spill_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(findings.SPILL_PREFIX))


# (spill threshold, findings appended)
SIZES = [(1, 0), (1, 1), (1, 5), (2, 5), (3, 3), (3, 10), (7, 50), (1000, 20)]


@pytest.mark.parametrize("threshold, count", SIZES)
def test_order_len_and_reiteration_across_the_disk_boundary(tmp_path, threshold, count):
    expected = [violation(i) for i in range(count)]
    log = FindingLog(threshold, directory=tmp_path)
    for item in expected:
        log.append(item)
    assert len(log) == count and bool(log) == (count > 0)
    assert log.spilled == count - count % threshold
    for _ in range(3):
        assert list(log) == expected
    log.close()


def test_findings_come_back_equal_to_the_ones_appended(tmp_path):
    """Every field, with the time zone and the fold of an ambiguous wall time."""
    log = FindingLog(2, directory=tmp_path)
    log.extend(violation(i) for i in range(5))
    back = list(log)
    assert back == [violation(i) for i in range(5)]
    assert [v.due_at.tzinfo for v in back] == [BERLIN] * 5
    assert [v.due_at.fold for v in back] == [0, 1, 0, 1, 0]
    assert [v.due_at.isoformat() for v in back] == [violation(i).due_at.isoformat() for i in range(5)]


def test_appending_after_iterating_keeps_the_order(tmp_path):
    log = FindingLog(3, directory=tmp_path)
    log.extend(violation(i) for i in range(4))
    assert [v.ticket_id for v in log] == ["T0", "T1", "T2", "T3"]
    log.extend(violation(i) for i in range(4, 11))
    log.append(violation(11))
    assert [v.ticket_id for v in log] == [f"T{i}" for i in range(12)]
    assert len(log) == 12 and log.spilled == 12


def test_iteration_streams_one_batch_at_a_time(tmp_path, monkeypatch):
    log = FindingLog(4, directory=tmp_path)
    log.extend(violation(i) for i in range(18))
    loaded: list[int] = []
    real_load = pickle.load

    def counting_load(handle):
        rows = real_load(handle)
        loaded.append(len(rows))
        return rows

    monkeypatch.setattr(findings.pickle, "load", counting_load)
    stream = iter(log)
    assert next(stream).ticket_id == "T0"
    assert loaded == [4]
    assert [v.ticket_id for v in stream][-1] == "T17"
    assert loaded == [4, 4, 4, 4]  # the last 2 findings never left memory


def test_membership_and_contains(tmp_path):
    log = FindingLog(2, directory=tmp_path)
    log.extend(violation(i) for i in range(5))
    assert violation(0) in log and violation(4) in log and violation(9) not in log


def test_equality_is_a_lists(tmp_path):
    spilled, in_memory = FindingLog(2, directory=tmp_path), FindingLog(100)
    for log in (spilled, in_memory):
        log.extend(violation(i) for i in range(5))
    assert spilled == in_memory == [violation(i) for i in range(5)]
    assert [violation(i) for i in range(5)] == spilled
    in_memory.append(violation(5))
    assert spilled != in_memory and spilled != [violation(i) for i in range(1, 6)]
    assert spilled != "findings"


def test_threshold_must_be_positive():
    with pytest.raises(ValueError):
        FindingLog(0)


def test_default_threshold_is_read_when_a_log_is_made(monkeypatch):
    monkeypatch.setattr(findings, "DEFAULT_SPILL_THRESHOLD", 2)
    assert FindingLog().spill_threshold == 2


# --- hand-over and adoption -----------------------------------------------------------------


def test_adopted_findings_follow_what_came_before_and_precede_what_comes_after(tmp_path):
    worker = FindingLog(2, directory=tmp_path)
    worker.extend(violation(i) for i in range(10, 15))
    segments = worker.hand_over()
    assert len(worker) == 0 and list(worker) == []

    main = FindingLog(3, directory=tmp_path)
    main.extend(violation(i) for i in range(4))  # one batch on disk, one finding in memory
    for segment in segments:
        main.adopt(segment)
    main.extend(violation(i) for i in range(20, 24))
    expected = [*range(4), *range(10, 15), *range(20, 24)]
    assert [v.ticket_id for v in main] == [f"T{i}" for i in expected]
    assert [v.ticket_id for v in main] == [f"T{i}" for i in expected]  # again
    assert len(main) == len(expected)


def test_a_log_that_adopted_can_hand_over_in_turn(tmp_path):
    first = FindingLog(2, directory=tmp_path)
    first.extend(violation(i) for i in range(3))
    middle = FindingLog(2, directory=tmp_path)
    middle.append(violation(100))
    middle.absorb(first.state(by_reference=True))
    middle.append(violation(101))
    last = FindingLog(2, directory=tmp_path)
    last.absorb(middle.state(by_reference=True))
    assert [v.ticket_id for v in last] == ["T100", "T0", "T1", "T2", "T101"]
    last.close()
    assert spill_files(tmp_path) == []


def _worker_state(directory: str, start: int, count: int) -> object:
    """In a worker process: spill findings to a file in `directory`, hand them over by reference."""
    log = FindingLog(3, directory=directory)
    log.extend(violation(i) for i in range(start, start + count))
    return log.state(by_reference=True)


def test_files_written_by_worker_processes_are_adopted_in_order(tmp_path):
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    main = FindingLog(4, directory=tmp_path)
    main.append(violation(0))
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
        states = [pool.submit(_worker_state, str(tmp_path), start, 7) for start in (100, 200)]
        for future in states:
            state = future.result()
            assert isinstance(state, tuple) and all(isinstance(s, Segment) for s in state)
            main.absorb(state)
    main.append(violation(1))
    expected = ["T0", *(f"T{i}" for i in range(100, 107)), *(f"T{i}" for i in range(200, 207)), "T1"]
    assert [v.ticket_id for v in main] == expected
    assert len(spill_files(tmp_path)) == 3  # the main log's own file and one per worker
    main.close()
    assert spill_files(tmp_path) == []


def test_inline_state_is_plain_json_and_absorbs_in_order(tmp_path):
    log = FindingLog(2, directory=tmp_path)
    log.extend(violation(i) for i in range(5))
    small = FindingLog(10, directory=tmp_path)
    small.extend(violation(i) for i in range(3))
    assert isinstance(small.state(), list)  # dicts, for a partial result's JSON
    rows = pickle.loads(pickle.dumps(small.state(by_reference=True)))  # nothing on disk: rows
    assert isinstance(rows, findings.Rows) and len(small) == 3
    received = FindingLog(2, directory=tmp_path)
    received.append(violation(9))
    received.absorb(rows)
    assert list(received) == [violation(9), *(violation(i) for i in range(3))]
    state = json.loads(json.dumps(log.state()))
    assert len(log) == 5  # an inline state leaves the log as it was
    copy = FindingLog(2, directory=tmp_path)
    copy.absorb(state)
    assert [v.to_dict() for v in copy] == state  # JSON keeps the offset, not the zone: compare as JSON


def test_only_segments_are_adopted():
    """A partial result read from JSON can name no file for the log to unpickle."""
    log = FindingLog(2)
    with pytest.raises(TypeError):
        log.absorb(({"path": "/etc/passwd", "start": 0, "count": 1},))


# --- removal of the files ------------------------------------------------------------------------


def test_no_file_until_the_first_spill(tmp_path):
    log = FindingLog(3, directory=tmp_path)
    log.extend(violation(i) for i in range(2))
    assert spill_files(tmp_path) == []
    log.append(violation(2))
    assert len(spill_files(tmp_path)) == 1


def test_close_and_with_remove_the_file(tmp_path):
    with FindingLog(2, directory=tmp_path) as log:
        log.extend(violation(i) for i in range(5))
        assert len(spill_files(tmp_path)) == 1
    assert spill_files(tmp_path) == [] and len(log) == 0
    log.extend(violation(i) for i in range(3))  # usable again, with a new file
    assert [v.ticket_id for v in log] == ["T0", "T1", "T2"]
    log.close()
    assert spill_files(tmp_path) == []


def test_garbage_collection_removes_the_file(tmp_path):
    log = FindingLog(2, directory=tmp_path)
    log.extend(violation(i) for i in range(5))
    assert spill_files(tmp_path)
    del log
    gc.collect()
    assert spill_files(tmp_path) == []


def test_handed_over_files_belong_to_the_adopter(tmp_path):
    worker = FindingLog(2, directory=tmp_path)
    worker.extend(violation(i) for i in range(4))
    segments = worker.hand_over()
    del worker
    gc.collect()
    assert len(spill_files(tmp_path)) == 1  # in transit: nobody removes it yet
    adopter = FindingLog(2, directory=tmp_path)
    for segment in segments:
        adopter.adopt(segment)
    del adopter
    gc.collect()
    assert spill_files(tmp_path) == []


def test_interpreter_exit_removes_the_file(tmp_path):
    script = (
        "import os, sys\n"
        "from svcaudit.results.findings import FindingLog\n"
        "from svcaudit.results.model import Violation\n"
        "LOG = FindingLog(2, directory=sys.argv[1])\n"
        "LOG.extend(Violation('rule', str(i), 'error', 'late') for i in range(5))\n"
        "print(len(os.listdir(sys.argv[1])))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    assert spill_files(tmp_path) == []


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_forked_child_never_removes_its_parents_files(tmp_path):
    log = FindingLog(2, directory=tmp_path)
    log.extend(violation(i) for i in range(5))
    child = multiprocessing.get_context("fork").Process(target=log.close)
    child.start()
    child.join()
    assert child.exitcode == 0
    assert len(spill_files(tmp_path)) == 1 and len(list(log)) == 5


# --- worst first, streamed -----------------------------------------------------------------------


def full_sort_worst_first(violations: list[Violation]) -> list[Violation]:
    """The ordering before findings were streamed: everything sorted, lane by lane."""

    def overrun(v: Violation) -> int:
        if v.measured_seconds is not None and v.target_seconds is not None:
            return v.measured_seconds - v.target_seconds
        return -1

    ordered: list[Violation] = []
    for severity in ("error", "warning"):
        queues: dict[str, list[Violation]] = {}
        for v in violations:
            if (v.severity == "error") == (severity == "error"):
                queues.setdefault(v.rule, []).append(v)
        lanes = [sorted(q, key=overrun, reverse=True) for q in queues.values()]
        for depth in range(max((len(lane) for lane in lanes), default=0)):
            ordered.extend(lane[depth] for lane in lanes if depth < len(lane))
    return ordered


_finding_specs = st.lists(
    st.tuples(
        st.sampled_from(["first-reply", "resolved", "greeting", "closing"]),
        st.sampled_from(["error", "warning", "info"]),
        st.one_of(st.none(), st.integers(0, 6)),  # few values: many ties
        st.one_of(st.none(), st.integers(0, 3)),
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(specs=_finding_specs, limit=st.integers(-1, 25))
def test_streamed_worst_first_equals_the_full_sort(specs, limit):
    violations = [
        violation(i, rule, severity, measured, target) for i, (rule, severity, measured, target) in enumerate(specs)
    ]
    expected = full_sort_worst_first(violations)
    if limit > 0:
        expected = expected[:limit]
    assert worst_first(violations, limit) == expected
    assert worst_first(iter(violations), limit) == expected  # a stream, read once


# --- a whole audit with a tiny threshold ----------------------------------------------------------

TICKETS = [SAMPLES / "tickets.csv"]
WITH_MESSAGES = [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"]
# (inputs, options, format)
CHECKS = [
    pytest.param(TICKETS, [], "json", id="json"),
    pytest.param(TICKETS, ["--jobs", "2"], "json", id="json-jobs-2"),
    *(
        pytest.param(WITH_MESSAGES, [], fmt, id=f"{fmt}-with-messages")
        for fmt in ("json", "text", "markdown", "github", "junit")
    ),
]


@pytest.mark.parametrize("inputs, options, fmt", CHECKS)
def test_check_with_a_tiny_threshold_gives_the_same_report(tmp_path, monkeypatch, inputs, options, fmt):
    args = ["check", *map(str, inputs), "--as-of", AS_OF, "-f", fmt, "--color", "never", *options]
    default = CliRunner().invoke(app, args)
    spills = tmp_path / "spills"
    spills.mkdir()
    monkeypatch.setattr(findings, "DEFAULT_SPILL_THRESHOLD", 3)
    monkeypatch.setattr("tempfile.tempdir", str(spills))
    tiny = CliRunner().invoke(app, args)
    assert default.exit_code == tiny.exit_code == 1
    assert tiny.stdout == default.stdout
    if fmt == "json":
        report = json.loads(tiny.stdout)
        assert report["summary"]["violations"] == len(report["violations"]) > 3
    gc.collect()
    assert spill_files(spills) == []


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_report_with_a_tiny_threshold_gives_the_same_tables(monkeypatch, fmt):
    args = ["report", *map(str, WITH_MESSAGES), "--as-of", AS_OF, "--by", "week,agent", "-f", fmt, "--limit", "30"]
    default = CliRunner().invoke(app, args)
    monkeypatch.setattr(findings, "DEFAULT_SPILL_THRESHOLD", 2)
    tiny = CliRunner().invoke(app, args)
    assert default.exit_code == tiny.exit_code == 0
    assert tiny.stdout == default.stdout


def test_partials_merged_with_a_tiny_threshold_equal_the_single_run(tmp_path, monkeypatch):
    monkeypatch.setattr(findings, "DEFAULT_SPILL_THRESHOLD", 2)
    lines = (SAMPLES / "tickets.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    shards = []
    for index, part in enumerate((lines[1:120], lines[120:])):
        shard = tmp_path / f"shard{index}.csv"
        shard.write_text(lines[0] + "".join(part), encoding="utf-8")
        shards.append(shard)
    runner = CliRunner()
    single = runner.invoke(app, ["check", *map(str, shards), "--as-of", AS_OF, "-f", "json"])
    partials = []
    for index, shard in enumerate(shards):
        target = tmp_path / f"part{index}.json"
        made = runner.invoke(app, ["check", str(shard), "--as-of", AS_OF, "--partial", str(target), "-q"])
        assert made.exit_code == 0, made.output
        partials.append(str(target))
    merged = runner.invoke(app, ["merge", *partials, "-f", "json"])
    assert merged.exit_code == single.exit_code == 1
    assert json.loads(merged.stdout) == json.loads(single.stdout)


def _ids(batch: list[Violation]) -> list[str]:
    return [finding.ticket_id for finding in batch]


@pytest.mark.parametrize("jobs", [1, 2, 3])
@pytest.mark.parametrize("threshold, count", [(1, 0), (1, 1), (3, 10), (4, 8), (7, 50), (1000, 20)])
def test_map_batches_keeps_every_finding_in_order_on_any_number_of_workers(tmp_path, jobs, threshold, count):
    log = FindingLog(threshold, directory=tmp_path)
    log.extend(violation(i) for i in range(count))
    batches = list(log.map_batches(_ids, jobs))
    assert [ticket for batch in batches for ticket in batch] == [f"T{i}" for i in range(count)]
    assert all(0 < len(batch) <= threshold for batch in batches)
    assert list(log) == [violation(i) for i in range(count)]  # mapping reads, never consumes


def test_map_batches_reads_adopted_segments_in_their_place(tmp_path):
    worker, main = FindingLog(2, directory=tmp_path), FindingLog(2, directory=tmp_path)
    main.extend(violation(i) for i in range(3))
    worker.extend(violation(i) for i in range(3, 8))
    main.absorb(worker.state(by_reference=True))
    main.append(violation(8))
    mapped = [t for batch in main.map_batches(_ids, 2) for t in batch]
    assert mapped == [f"T{i}" for i in range(9)]


def _dies(batch: list[Violation]) -> int:
    os._exit(3)


def test_map_batches_reports_a_worker_that_died(tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    log = FindingLog(1, directory=tmp_path)
    log.extend(violation(i) for i in range(4))
    with pytest.raises(BrokenProcessPool):
        list(log.map_batches(_dies, 2))


@pytest.mark.parametrize("inputs", [TICKETS, WITH_MESSAGES], ids=["tickets", "with-messages"])
def test_json_encoded_by_workers_is_the_json_encoded_here(tmp_path, monkeypatch, inputs):
    from svcaudit.reporters import json as json_reporter

    args = ["check", *map(str, inputs), "--as-of", AS_OF, "-f", "json", "--jobs", "1"]
    single = CliRunner().invoke(app, args)
    monkeypatch.setattr(findings, "DEFAULT_SPILL_THRESHOLD", 7)
    monkeypatch.setattr(json_reporter, "PARALLEL_MIN_FINDINGS", 1)
    parallel = CliRunner().invoke(app, [*args[:-1], "2"])
    assert single.exit_code == parallel.exit_code == 1
    assert parallel.stdout == single.stdout
    assert len(json.loads(parallel.stdout)["violations"]) > 7 * 3


def test_a_violation_row_puts_every_value_in_its_named_field():
    from svcaudit.audit.engine import violation_row
    from svcaudit.checks.base import Outcome, Status
    from svcaudit.intake.model import Message, Role, RowRef, Ticket
    from svcaudit.standard.loader import load_standard

    rule = load_standard("builtin:default").rules[0]
    due = datetime(2026, 11, 20, 9, tzinfo=BERLIN)
    message = Message(created_at=due, role=Role.AGENT, text="hi", ref=RowRef("m.csv", 17), index=4)
    outcome = Outcome(
        Status.FAILED,
        "late",
        measured_seconds=7,
        target_seconds=5,
        due_at=due,
        evidence="from a to b",
        message=message,
        field="first_reply_at",
        measured_value=1.5,
        target_value=2.5,
    )
    ticket = Ticket(ticket_id="T9", ref=RowRef("t.csv", 3))
    found = Violation(*violation_row(rule, ticket, outcome, "agreed"))
    assert found == Violation(
        rule=rule.id,
        ticket_id="T9",
        severity=rule.severity.value,
        message="late",
        path="m.csv",
        row=17,
        field="first_reply_at",
        measured_seconds=7,
        target_seconds=5,
        due_at=due,
        evidence="from a to b",
        message_index=5,
        measured_value=1.5,
        target_value=2.5,
        waiver="agreed",
    )
    log = FindingLog(1)
    log.append_row(violation_row(rule, ticket, outcome, "agreed"))
    log.append_row(violation_row(rule, ticket, Outcome(Status.FAILED, "no message")))
    assert list(log) == [
        found,
        Violation(
            rule=rule.id, ticket_id="T9", severity=rule.severity.value, message="no message", path="t.csv", row=3
        ),
    ]


@pytest.mark.parametrize(
    "item",
    [
        {
            "rule": "r",
            "ticket_id": None,
            "message": '«ё» "q"\n\t\u2028',
            "measured_value": 1 / 3,
            "row": 10**20,
            "flag": False,
            "nested": {"a": [1, 2.5, None]},
        },
        {"path": "C:\\exports\\tickets.csv", "evidence": "\x00\x1f", "value": -0.0, "big": 1e300},
        {},
    ],
)
def test_the_json_item_encoder_writes_what_json_dumps_writes(item):
    from svcaudit.reporters.json import encode_item

    assert encode_item(item) == json.dumps(item, ensure_ascii=False)


_TEXT = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(['«ё» "q"\n', "\u2028\x00", "Z"]))
_NUMBER = st.one_of(
    st.none(), st.integers(-(10**20), 10**20), st.booleans(), st.floats(allow_nan=True, allow_infinity=True)
)
_INSTANT = st.one_of(st.none(), st.datetimes(timezones=st.sampled_from([ZoneInfo("UTC"), ZoneInfo("Europe/Moscow")])))


# A finding's JSON item lists its keys in this order (the report's contract), then `waiver` if set.
ITEM_KEYS = (
    "rule",
    "ticket_id",
    "severity",
    "message",
    "measured_seconds",
    "target_seconds",
    "overrun_seconds",
    "due_at",
    "evidence",
    "path",
    "row",
    "field",
    "message_index",
    "measured_value",
    "target_value",
    "agent",
    "team",
    "channel",
    "priority",
)
_NUMBERS = ("row", "measured_seconds", "target_seconds", "message_index", "measured_value", "target_value")
_FINDING = st.fixed_dictionaries(
    {name: _INSTANT if name == "due_at" else _NUMBER if name in _NUMBERS else _TEXT for name in VIOLATION_FIELDS}
)


@settings(max_examples=300, deadline=None)
@given(_FINDING)
def test_a_finding_is_written_as_its_json_item_and_read_back(values):
    """Whatever the values' types, the report lists a finding as the encoder writes its item, keys in
    the contract's order, and `svcaudit merge` reads the item back to a finding listed the same."""
    from svcaudit.reporters.escaping import json_text
    from svcaudit.reporters.json import ITEM_SEPARATOR, encode_findings

    row = violation_row_of(values)
    first, second = encode_findings([row, row]).split(ITEM_SEPARATOR)  # no raw newline in an item
    assert first == second == json_text(json.dumps(Violation(**values).to_dict(), ensure_ascii=False))
    item = json.loads(first)
    assert tuple(item) == ITEM_KEYS + (() if values["waiver"] is None else ("waiver",))
    # What a merged report lists for a partial result's finding is what the shard would have listed.
    assert json_text(json.dumps(Violation.from_dict(item).to_dict(), ensure_ascii=False)) == first
