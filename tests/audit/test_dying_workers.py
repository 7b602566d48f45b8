"""A worker process that dies without a result (killed, out of memory) stops the run with exit code
2 and one line naming `--jobs 1`, never "internal error": the message-row judges of `check` and
`report` and the columnar core's judges of what its kernels leave alike (`workers._result`)."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from svcaudit.audit import workers
from svcaudit.cli import app
from tests.paths import REPO

AS_OF = "2026-11-23T12:00:00Z"
TICKETS, MESSAGES = REPO / "samples" / "tickets.csv", REPO / "samples" / "messages.csv"


def dying(*args, **kwargs):
    """A worker's task that ends its process, as the kernel's out-of-memory killer would."""
    os._exit(9)


@pytest.mark.parametrize(
    "task, command, inputs, judging",
    [
        ("_judge_batch", "check", [TICKETS, MESSAGES], "tickets"),
        ("_judge_grouped", "report", [TICKETS, MESSAGES], "tickets"),
        ("_judge_left", "check", [TICKETS], "ticket rows"),
    ],
)
def test_a_dead_worker_stops_the_run_with_a_way_out(monkeypatch, task, command, inputs, judging):
    if not workers.can_fork():
        pytest.skip("the task is replaced in forked workers only")
    monkeypatch.setattr(workers, task, dying)
    result = CliRunner().invoke(app, [command, *map(str, inputs), "--as-of", AS_OF, "--jobs", "2"])
    assert result.exit_code == 2, result.output
    assert (
        f"svcaudit: a worker process judging {judging} stopped (killed, or out of memory?); run again with --jobs 1"
        in (result.output)
    )
    assert "internal error" not in result.output
