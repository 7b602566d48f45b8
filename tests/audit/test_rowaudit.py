"""Ticket rows read by workers, one byte range each: the report is the general path's, to the byte.

The general path (tickets assembled by the intake, judged one by one by `judge_ticket`) is the
reference; the row lane in one process and the sharded lane in three must give the same JSON,
with bad rows, repeated ids (sent back to the general path), quoted fields over several lines, a
stray quote that misleads the cut (sent back to one pass), and waivers.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
from datetime import datetime, timezone

import pytest

from svcaudit.audit import rowaudit
from svcaudit.audit import run as audit_run
from svcaudit.audit.engine import make_intake
from svcaudit.audit.run import Audit, run_audit
from svcaudit.errors import InputError, Location, WorkerError
from svcaudit.intake import intake as intake_module
from svcaudit.intake.shards import ShardMisaligned, plan_shards
from svcaudit.reporters import REPORTERS, to_text
from svcaudit.standard.loader import load_standard
from svcaudit.standard.waivers import load_waivers
from tests.paths import SAMPLES

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
JOBS = 3


@pytest.fixture
def cut_small_files(monkeypatch):
    """Plan shards for files of any size, and count the units the workers were given."""
    monkeypatch.setattr(intake_module, "plan_shards", functools.partial(plan_shards, min_bytes=0))
    planned: list[int] = []
    units = rowaudit._units

    def counting_units(intake, jobs, map_ranges):
        found = units(intake, jobs, map_ranges)
        planned.append(len(found))
        return found

    monkeypatch.setattr(rowaudit, "_units", counting_units)
    return planned


def sample_rows() -> tuple[str, list[str]]:
    lines = (SAMPLES / "tickets.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    return lines[0], lines[1:]


def general_path(standard, paths, waivers_path=None) -> dict:
    """The reference: every ticket through Intake.tickets() and judge_ticket, in one process."""
    waivers = load_waivers(waivers_path, AS_OF, standard.timezone) if waivers_path else None
    audit = Audit(standard, AS_OF, observers=[lambda verdicts: None], waivers=waivers)
    intake = make_intake(standard, paths)
    audit.feed(intake.tickets())
    return json.loads(to_text(REPORTERS["json"], audit.finish(intake)))


def lane(standard, paths, jobs, waivers_path=None) -> dict:
    waivers = load_waivers(waivers_path, AS_OF, standard.timezone) if waivers_path else None
    return json.loads(to_text(REPORTERS["json"], run_audit(standard, paths, AS_OF, waivers=waivers, jobs=jobs)))


def write(tmp_path, name: str, header: str, rows: list[str]):
    path = tmp_path / name
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("standard_name", ["builtin:default", "builtin:it-helpdesk"])
def test_the_lane_and_its_shards_give_the_general_path_report(tmp_path, cut_small_files, standard_name):
    header, rows = sample_rows()
    rows[5] = rows[5].replace("2026-11", "20X6-11", 1)  # cannot be typed: rejected
    rows[7] = rows[7].rstrip("\r\n") + ",surplus\n"  # ragged: rejected by the reader
    rows.insert(40, "\n")  # a blank line is not a row
    export = write(tmp_path, "tickets.csv", header, rows)
    standard = load_standard(standard_name)
    reference = general_path(standard, [export])
    assert lane(standard, [export], 1) == reference
    assert lane(standard, [export], JOBS) == reference
    assert cut_small_files[-1] == JOBS  # the file was really cut
    assert len(reference["rejected"]) == 2


def test_quoted_fields_over_several_lines_keep_their_line_numbers(tmp_path, cut_small_files):
    header, rows = sample_rows()
    header = header.rstrip("\r\n") + ",note\n"
    noted = [row.rstrip("\r\n") + f',"line one\nline ""two"" of {index}"\n' for index, row in enumerate(rows)]
    export = write(tmp_path, "tickets.csv", header, noted)
    standard = load_standard("builtin:default")
    reference = general_path(standard, [export])
    assert lane(standard, [export], JOBS) == reference
    assert cut_small_files[-1] == JOBS
    rows_of_findings = [v["row"] for v in reference["violations"] if v["row"]]
    assert rows_of_findings and all(row % 2 == 0 for row in rows_of_findings)  # two lines a row


def test_a_repeated_ticket_id_sends_the_run_back_to_the_general_path(tmp_path, cut_small_files):
    header, rows = sample_rows()
    rows.append(rows[250])  # the same ticket again at the end: rejected by its position
    export = write(tmp_path, "tickets.csv", header, rows)
    standard = load_standard("builtin:default")
    reference = general_path(standard, [export])
    assert [r["field"] for r in reference["rejected"]] == ["ticket_id"]
    assert "duplicate ticket_id" in reference["rejected"][0]["error"]
    assert lane(standard, [export], 1) == reference
    assert lane(standard, [export], JOBS) == reference


def test_a_cut_misled_by_a_stray_quote_is_read_again_in_one_pass(tmp_path, cut_small_files, monkeypatch):
    header, rows = sample_rows()
    header = header.rstrip("\r\n") + ",note\n"
    rows = [row.rstrip("\r\n") + f',"line one\nline two of {index}"\n' for index, row in enumerate(rows)]
    # A literal quote in an unquoted field flips the quote parity the planner counts, so its
    # cuts fall on the line breaks inside the quoted notes.
    rows[3] = rows[3].replace("solved", 'solved 5"', 1)
    export = write(tmp_path, "tickets.csv", header, rows)
    standard = load_standard("builtin:default")
    misaligned: list[bool] = []
    audit_ticket_rows = rowaudit.audit_ticket_rows

    def watched(*args, **kwargs):
        try:
            return audit_ticket_rows(*args, **kwargs)
        except ShardMisaligned:
            misaligned.append(True)
            raise

    monkeypatch.setattr(audit_run, "audit_ticket_rows", watched)
    reference = general_path(standard, [export])
    assert lane(standard, [export], JOBS) == reference
    assert misaligned  # the cut was wrong, detected, and the file read again


def test_waivers_are_used_and_counted_as_in_one_pass(tmp_path, cut_small_files):
    header, rows = sample_rows()
    export = write(tmp_path, "tickets.csv", header, rows)
    standard = load_standard("builtin:default")
    reference = general_path(standard, [export])
    late = [v["ticket_id"] for v in reference["violations"] if v["rule"] == "first-reply"]
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        f"  - {{ticket: {late[0]}, rule: first-reply, reason: agreed delay}}\n"
        f"  - {{ticket: {late[-1]}, rule: '*', reason: outage}}\n"
        "  - {ticket: 'NOPE-*', rule: '*', reason: never used}\n",
        encoding="utf-8",
    )
    reference = general_path(standard, [export], waivers)
    assert lane(standard, [export], JOBS, waivers) == reference
    assert len(reference["waived"]) >= 2
    assert any("unused waiver" in w for w in reference["warnings"])


def test_several_inputs_are_units_in_their_order(tmp_path, cut_small_files):
    header, rows = sample_rows()
    first = write(tmp_path, "a.csv", header, rows[:150])
    second = write(tmp_path, "b.json", "", [])
    second.write_text(
        json.dumps([dict(zip(header.strip().split(","), row.strip().split(","), strict=True)) for row in rows[150:]]),
        encoding="utf-8",
    )
    standard = load_standard("builtin:default")
    reference = general_path(standard, [first, second])
    assert lane(standard, [first, second], JOBS) == reference
    assert cut_small_files[-1] == JOBS + 1  # the CSV cut in three, the JSON array whole


def test_an_input_error_raised_in_a_worker_crosses_back_whole():
    error = InputError("cannot read after line 7: disk gone", Location("tickets.csv", 8))
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.message, again.location, str(again)) == (
        InputError,
        error.message,
        error.location,
        str(error),
    )


def test_workers_tell_the_progress_bar_how_far_they_are(tmp_path, cut_small_files, monkeypatch):
    header, rows = sample_rows()
    copies = [row.replace("T-1", f"T-{n}-1", 1) for n in range(20) for row in rows]  # new ids
    export = write(tmp_path, "tickets.csv", header, copies)
    monkeypatch.setattr(rowaudit, "PROGRESS_EVERY", 64)
    monkeypatch.setattr(rowaudit, "PROGRESS_SECONDS", 0.001)
    told: list[int] = []
    result = run_audit(load_standard("builtin:default"), [export], AS_OF, progress=told.append, jobs=JOBS)
    assert told == sorted(told) and told[-1] == result.tickets == 20 * len(rows)


def _killed(unit) -> None:
    os._exit(9)  # a worker process gone without a word, as when the kernel kills it


def test_a_worker_that_dies_is_a_clear_error(tmp_path, cut_small_files, monkeypatch):
    header, rows = sample_rows()
    export = write(tmp_path, "tickets.csv", header, rows)
    monkeypatch.setattr(rowaudit, "_audit_unit", _killed)
    with pytest.raises(WorkerError, match="--jobs 1"):
        run_audit(load_standard("builtin:default"), [export], AS_OF, jobs=JOBS)
