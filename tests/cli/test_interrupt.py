"""A run with worker processes stopped by Ctrl-C or SIGTERM (a cancelled CI step, `docker stop`):
one line, `svcaudit: interrupted`, exit code 2, no traceback from any worker (a terminal sends
SIGINT to every process of its foreground group; the workers leave it to the process that started
them, `runtime.worker_process`), and no process left. Killed outright, the run's workers end
themselves once they see it gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer

from svcaudit import runtime
from svcaudit.cli.guard import guarded

TICKETS = 20_000  # several seconds of judging: the run is still going when Ctrl-C comes
WAIT_FOR_WORKERS = 60.0
JOBS = 2
AS_OF = "2026-11-23T12:00:00Z"
SETTLE = 0.3  # after the workers are forked: the signal comes to a run at work


def conversation_exports(folder: Path) -> list[str]:
    tickets = ["ticket_id,created_at,status"]
    messages = ["ticket_id,created_at,author_role,text"]
    for number in range(TICKETS):
        day = 1 + number % 20
        tickets.append(f"T-{number},2026-11-{day:02d}T09:00:00Z,solved")
        messages.append(f"T-{number},2026-11-{day:02d}T09:00:00Z,customer,Where is my order {number}?")
        messages.append(f"T-{number},2026-11-{day:02d}T10:00:00Z,agent,Hello! It ships today. Have a nice day!")
    paths = [folder / "tickets.csv", folder / "messages.csv"]
    for path, lines in zip(paths, (tickets, messages), strict=True):
        path.write_text("\n".join(lines) + "\n")
    return [str(path) for path in paths]


def children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def as_a_terminal_starts_it() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a shell's background job would ignore it
    os.setpgrp()


LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a process's children from /proc")


def started_with_workers(tmp_path: Path) -> tuple[subprocess.Popen, list[str]]:
    """A `check --jobs 2` run of conversations, once its worker processes are there."""
    paths = conversation_exports(tmp_path)
    command = [
        sys.executable,
        "-m",
        "svcaudit",
        "check",
        *paths,
        "--as-of",
        "2026-11-23T12:00:00Z",
        "--jobs",
        str(JOBS),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=as_a_terminal_starts_it
    )
    deadline = time.monotonic() + WAIT_FOR_WORKERS
    while len(children(process.pid)) < JOBS and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(SETTLE)
    workers = children(process.pid)
    assert process.poll() is None and len(workers) == JOBS, "the run ended before its workers could be stopped"
    return process, workers


def gone(pids: list[str], within: float) -> bool:
    deadline = time.monotonic() + within
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@LINUX
@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(lambda process: os.killpg(process.pid, signal.SIGINT), id="ctrl-c"),
        pytest.param(lambda process: process.send_signal(signal.SIGTERM), id="sigterm"),
        pytest.param(lambda process: os.killpg(process.pid, signal.SIGTERM), id="sigterm-to-the-group"),
    ],
)
def test_a_stopped_run_says_so_once_and_leaves_no_process(tmp_path, stop):
    process, workers = started_with_workers(tmp_path)
    stop(process)
    _, stderr = process.communicate(timeout=60)
    text = stderr.decode()
    assert process.returncode == 2, text
    assert text.strip().splitlines()[-1] == "svcaudit: interrupted"
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert gone(workers, within=10)


@LINUX
def test_workers_end_when_their_run_is_killed_outright(tmp_path):
    process, workers = started_with_workers(tmp_path)
    process.kill()
    process.wait(timeout=60)
    assert gone(workers, within=10)  # each notices its parent is gone within a second or so


def test_a_stop_whose_interrupt_was_lost_still_ends_the_run_as_interrupted(monkeypatch, capsys):
    """A KeyboardInterrupt raised where Python ignores exceptions (a hook run at a fork) is lost;
    the request is remembered, and the command that then finishes is still reported interrupted."""
    monkeypatch.setattr(runtime, "_RUN_PROCESS", os.getpid())
    monkeypatch.setattr(runtime, "_STOP_REQUESTED", False)

    def command() -> int:
        try:
            runtime._stop(signal.SIGTERM, None)
        except KeyboardInterrupt:
            pass  # as Python does with an exception in an at-fork hook
        return 0

    with pytest.raises(typer.Exit) as ended:
        guarded(command)()
    assert ended.value.exit_code == 2
    assert capsys.readouterr().err == "svcaudit: interrupted\n"


def test_a_forked_process_leaves_the_stop_to_the_run(monkeypatch):
    monkeypatch.setattr(runtime, "_RUN_PROCESS", os.getpid() + 1)  # as seen from a new worker
    monkeypatch.setattr(runtime, "_STOP_REQUESTED", False)
    runtime._stop(signal.SIGINT, None)  # neither raises nor asks for a stop
    assert not runtime.stop_requested()
