"""The text and Markdown reports, byte for byte, against golden files in tests/reporters/golden/.

A case is one CLI invocation (run from the repository root, so the paths the reports name are
relative and the same on every machine) and the golden file its stdout must equal. After a change
that is meant to alter a report, `SVCAUDIT_UPDATE_GOLDEN=1 pytest tests/reporters/test_golden.py`
rewrites the files; the diff then shows what changed.
"""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from tests.paths import REPO

GOLDEN = REPO / "tests" / "reporters" / "golden"
INPUTS = "tests/reporters/fixtures/golden"
WEEKLY = "tests/reporters/fixtures/weekly"
AS_OF = "2026-11-23T12:00:00Z"
UPDATE = "SVCAUDIT_UPDATE_GOLDEN"
# The environment a report must not depend on: a CI runner's variables, a terminal's colour choice.
ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "GITHUB_WORKSPACE": None, "NO_COLOR": "1"}

SAMPLES = ("check", "samples/tickets.csv", "samples/messages.csv", "--as-of", AS_OF)
NOT_JUDGED = ("check", f"{INPUTS}/not-judged/tickets.csv", "-s", f"{INPUTS}/not-judged/standard.yaml", "--as-of", AS_OF)
REJECTED = ("check", f"{INPUTS}/rejected/tickets.csv", "-s", "builtin:default", "--as-of", AS_OF)
WAIVED = (
    "check",
    f"{INPUTS}/waived/tickets.csv",
    "-s",
    f"{INPUTS}/waived/standard.yaml",
    "--waivers",
    f"{INPUTS}/waived/waivers.yaml",
    "--as-of",
    AS_OF,
)
WEEKLY_TABLES = (
    "report",
    f"{WEEKLY}/tickets.csv",
    "-s",
    f"{WEEKLY}/standard.yaml",
    "--by",
    "week,agent",
    "--as-of",
    AS_OF,
)

# (golden file, arguments, exit code)
CASES = [
    ("samples.txt", (*SAMPLES, "-f", "text"), 1),
    ("samples.md", (*SAMPLES, "-f", "markdown"), 1),
    ("not-judged.txt", (*NOT_JUDGED, "-f", "text"), 2),
    ("not-judged.md", (*NOT_JUDGED, "-f", "markdown"), 2),
    ("rejected.txt", (*REJECTED, "-f", "text"), 1),
    ("rejected.md", (*REJECTED, "-f", "markdown"), 1),
    ("waived.txt", (*WAIVED, "-f", "text"), 1),
    ("waived.md", (*WAIVED, "-f", "markdown"), 1),
    ("weekly.md", (*WEEKLY_TABLES, "-f", "markdown"), 0),
    ("weekly.txt", (*WEEKLY_TABLES, "-f", "text"), 0),
]


@pytest.mark.parametrize(("name", "args", "exit_code"), CASES, ids=[case[0] for case in CASES])
def test_report_matches_its_golden_file(name, args, exit_code, monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code == exit_code, result.output
    golden = GOLDEN / name
    if os.environ.get(UPDATE):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(result.stdout_bytes)
    assert result.stdout_bytes == golden.read_bytes(), f"{name} differs; {UPDATE}=1 rewrites it after a meant change"
