"""Ctrl-C during a run with worker processes: one line, `svcaudit: interrupted`, exit code 2, no
traceback from any worker (the terminal sends SIGINT to every process of its foreground group; the
workers leave it to the process that started them, `runtime.worker_process`), and no process left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TICKETS = 20_000  # several seconds of judging: the run is still going when Ctrl-C comes
WAIT_FOR_WORKERS = 60.0


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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a process's children from /proc")
def test_ctrl_c_stops_the_run_with_one_line(tmp_path):
    paths = conversation_exports(tmp_path)
    command = [sys.executable, "-m", "svcaudit", "check", *paths, "--as-of", "2026-11-23T12:00:00Z", "--jobs", "2"]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=as_a_terminal_starts_it
    )
    deadline = time.monotonic() + WAIT_FOR_WORKERS
    while not children(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None and children(process.pid), "the run ended before its workers could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    text = stderr.decode()
    assert process.returncode == 2, text
    assert text.strip().splitlines()[-1] == "svcaudit: interrupted"
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no process of the run is left
