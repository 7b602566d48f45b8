"""A temporary directory that cannot take what an audit puts there (full, missing, not writable) is
the user's to fix: `svcaudit: cannot write temporary files in <dir> (<what>): <reason>; free space
there, or set TMPDIR to a directory with room`, exit 2, never "internal error ... a bug".

Every temporary file svcaudit writes is covered: the ids the repeated-id screen keeps on disk
(ticket rows on the columnar core), the findings beyond those kept in memory, and message rows
grouped on disk (an unordered message export past `SPILL_BYTES`). The directory is made to fail by
pointing `tempfile` at one that does not exist; a full disk fails the same way (ENOSPC, an OSError,
or SQLite's "database or disk is full").
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.errors import TempSpaceError, spilling
from svcaudit.intake import joins
from svcaudit.results import findings

AS_OF = "2026-11-23T12:00:00Z"
HEADER = "ticket_id,created_at,first_reply_at,status\n"
# Tickets answered late (first-reply target 24h in the default standard): a finding each.
LATE = "".join(f"T-{n},2026-11-02T09:00:00Z,2026-11-05T09:00:00Z,solved\n" for n in range(40))
MESSAGES = "ticket_id,created_at,author_role,text\n" + "".join(
    f"T-{n % 7},2026-11-02T{9 + n // 7:02d}:00:00Z,{'customer' if n % 2 else 'agent'},hello\n" for n in range(40)
)


def run(*args: object):
    result = CliRunner().invoke(app, [*map(str, args)], env={"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None})
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def no_temp_dir(tmp_path, monkeypatch) -> Path:
    missing = tmp_path / "no-such-dir"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    return missing


def expect_temp_space_error(result, missing: Path, what: str) -> None:
    assert result.exit_code == 2, result.output
    assert f"svcaudit: cannot write temporary files in {missing} ({what}): " in result.output
    assert "set TMPDIR to a directory with room" in result.output
    assert "internal error" not in result.output


def test_the_repeated_id_screen_says_where_it_could_not_write(tmp_path, no_temp_dir):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(HEADER + LATE)
    result = run("check", tickets, "--as-of", AS_OF, "--jobs", "1")
    expect_temp_space_error(result, no_temp_dir, "the ticket ids read so far, to find repeated ones")


def test_spilled_findings_say_where_they_could_not_be_written(tmp_path, no_temp_dir, monkeypatch):
    monkeypatch.setattr(findings, "DEFAULT_SPILL_THRESHOLD", 2)
    tickets, messages = tmp_path / "tickets.csv", tmp_path / "messages.csv"
    tickets.write_text(HEADER + LATE)
    messages.write_text(MESSAGES)  # message rows: the reference path, no id screen
    result = run("check", tickets, messages, "--as-of", AS_OF, "--jobs", "1")
    expect_temp_space_error(result, no_temp_dir, findings.SPILLED_FINDINGS)


def test_messages_grouped_on_disk_say_where_they_could_not_be_written(tmp_path, no_temp_dir, monkeypatch):
    monkeypatch.setattr(joins, "SPILL_BYTES", 0)
    messages = tmp_path / "messages.csv"
    messages.write_text(MESSAGES)  # conversations interleaved: not ordered by ticket
    result = run("check", messages, "--as-of", AS_OF, "--jobs", "1")
    expect_temp_space_error(result, no_temp_dir, joins.GROUPED_ON_DISK)


def test_a_full_disk_is_named_with_its_reason(tmp_path):
    with pytest.raises(TempSpaceError, match=r"in /spill \(findings\): No space left on device; free space there"):
        with spilling("findings", "/spill"):
            raise OSError(28, "No space left on device")
    with pytest.raises(TempSpaceError, match=r"\(grouping\): database or disk is full;"):
        with spilling("grouping", str(tmp_path), (sqlite3.OperationalError,)):
            raise sqlite3.OperationalError("database or disk is full")
    with pytest.raises(ValueError):  # only the errors named are the directory's
        with spilling("findings"):
            raise ValueError("not a temporary file's")


def test_the_error_crosses_from_a_worker_process():
    error = TempSpaceError("cannot write temporary files in /x (findings): full")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
