"""Inputs that can be read only once: standard input (`-`), a pipe (`<(zcat …)`, `/dev/fd/N`) and a
FIFO are audited as the file they carry is, never as an empty input. Each is copied to the temporary
directory the first time it is opened (`intake.spool.readable`), read from there as often as the
audit needs, named in the report as it was given, and the copy is removed when the run ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from svcaudit.intake import spool
from tests.paths import REPO

AS_OF = "2026-11-23T12:00:00Z"
TICKETS = REPO / "samples" / "tickets.csv"
MESSAGES = REPO / "samples" / "messages.csv"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="pipes and FIFOs by path are POSIX")


def audit(inputs: list[str], tmp_path: Path, stdin: object = None, pass_fds: tuple[int, ...] = ()) -> dict:
    """The JSON report of `check inputs`, run with `tmp_path` as its temporary directory."""
    done = subprocess.run(
        [sys.executable, "-m", "svcaudit", "check", *inputs, "--as-of", AS_OF, "--format", "json"],
        stdin=stdin,
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        pass_fds=pass_fds,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr.decode()  # the samples do not meet the default standard
    assert not list(tmp_path.glob("svcaudit-input-*")), "the copy outlived the run"
    return json.loads(done.stdout)


def as_given(report: dict, name: str, path: Path) -> str:
    """The report with every value `name` (an input's path, a finding's) spelled as `path`, to
    compare it with a run on the file."""

    def spelled(value: object) -> object:
        if isinstance(value, dict):
            return {key: spelled(item) for key, item in value.items()}
        if isinstance(value, list):
            return [spelled(item) for item in value]
        return str(path) if value == name else value

    return json.dumps(spelled({key: value for key, value in report.items() if key != "as_of"}), sort_keys=True)


def feed(target: str | int, data: bytes) -> threading.Thread:
    """Write `data` into a FIFO path or a pipe's write end, from a thread, then close it."""

    def write() -> None:
        if isinstance(target, int):
            with os.fdopen(target, "wb") as stream:
                stream.write(data)
        else:
            with open(target, "wb") as stream:
                stream.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("files")
    return as_given(audit([str(TICKETS), str(MESSAGES)], folder), str(TICKETS), TICKETS)


def test_standard_input_is_audited_as_its_file(tmp_path, expected):
    with open(TICKETS, "rb") as stdin:
        report = audit(["-", str(MESSAGES)], tmp_path, stdin=stdin)
    assert report["inputs"][0]["path"] == "-"
    assert report["inputs"][0]["rows_read"] == 300
    assert as_given(report, "-", TICKETS) == expected


@POSIX
def test_a_fifo_is_audited_as_its_file(tmp_path, expected):
    fifo = tmp_path / "tickets.fifo"
    os.mkfifo(fifo)
    writer = feed(str(fifo), TICKETS.read_bytes())
    report = audit([str(fifo), str(MESSAGES)], tmp_path)
    writer.join(timeout=10)
    assert as_given(report, str(fifo), TICKETS) == expected


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")
def test_a_pipe_by_its_dev_fd_path_is_audited_as_its_file(tmp_path, expected):
    read_end, write_end = os.pipe()
    writer = feed(write_end, MESSAGES.read_bytes())  # the message rows, this time
    name = f"/dev/fd/{read_end}"
    report = audit([str(TICKETS), name], tmp_path, pass_fds=(read_end,))
    os.close(read_end)
    writer.join(timeout=10)
    assert report["inputs"][1]["path"] == name
    assert as_given(report, name, MESSAGES) == expected


@POSIX
def test_a_pipe_is_copied_once_and_read_as_often_as_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(spool, "_SPOOLED", {})
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    fifo = tmp_path / "once.fifo"
    os.mkfifo(fifo)
    writer = feed(str(fifo), b"ticket_id\nT-1\n")
    copy = spool.readable(fifo)
    writer.join(timeout=10)
    assert copy != fifo and copy.parent == tmp_path
    assert spool.readable(str(fifo)) == copy  # the same copy however the path is spelled
    assert copy.read_bytes() == copy.read_bytes() == b"ticket_id\nT-1\n"
    assert spool.readable(TICKETS) == TICKETS  # a file is read where it is
    assert spool.readable(tmp_path / "absent.csv") == tmp_path / "absent.csv"
