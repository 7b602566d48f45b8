"""CI behaviour of `svcaudit check`: waivers, --exit-zero, --quiet, --max-rejected, step summary."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app

STANDARD = """\
svcaudit: 1
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    target: 1h
"""
TICKETS = (
    "ticket_id,created_at,first_reply_at\n"
    "A,2026-11-02T09:00:00Z,2026-11-02T09:30:00Z\n"
    "B,2026-11-02T09:00:00Z,2026-11-02T12:00:00Z\n"
    "C,not a time,\n"
)
AS_OF = "2026-11-23T12:00:00Z"


@pytest.fixture
def files(write):
    return write("s.yaml", STANDARD), write("t.csv", TICKETS)


def check(*args, env=None):
    return CliRunner().invoke(app, ["check", *map(str, args), "--as-of", AS_OF], env=env or {})


def test_waived_violation_is_listed_apart_and_not_counted(files, write):
    standard, tickets = files
    waivers = write(
        "w.yaml",
        "waivers:\n  - {ticket: B, rule: first-reply, reason: agreed delay, "
        "expires: 2026-12-31}\n  - {ticket: 'Z*', rule: '*', reason: stale, "
        "expires: 2026-01-01}\n",
    )
    result = check(tickets, "-s", standard, "--waivers", waivers, "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["violations"] == []
    assert [v["ticket_id"] for v in report["waived"]] == ["B"]
    assert report["waived"][0]["waiver"] == "agreed delay"
    assert report["rules"][0]["waived"] == 1 and report["rules"][0]["failed"] == 0
    assert len(report["waivers"]["expired"]) == 1
    assert any("expired waiver" in w for w in report["warnings"])


def test_bad_waiver_file_is_located(files, write):
    standard, tickets = files
    waivers = write("w.yaml", "waivers:\n  - {ticket: B, rule: first-reply, reson: typo}\n")
    result = check(tickets, "-s", standard, "--waivers", waivers)
    assert result.exit_code == 2
    assert "w.yaml:2:" in result.stderr and "did you mean 'reason'" in result.stderr


def test_exit_zero_keeps_the_verdict_but_exits_0(files):
    standard, tickets = files
    assert check(tickets, "-s", standard).exit_code == 1
    result = check(tickets, "-s", standard, "--exit-zero")
    assert result.exit_code == 0
    assert "FAILED" in result.stdout and "--exit-zero" in result.stderr


def test_quiet_prints_only_the_verdict(files):
    standard, tickets = files
    result = check(tickets, "-s", standard, "--quiet")
    assert result.stdout.strip().splitlines() == ["FAILED: compliance 50.0% < threshold 100.0%"]
    assert result.stderr == ""


@pytest.mark.parametrize("limit, code", [("0", 2), ("1", 1), ("50%", 1), ("10%", 2)])
def test_max_rejected(files, limit, code):
    standard, tickets = files
    result = check(tickets, "-s", standard, "--max-rejected", limit)
    assert result.exit_code == code, result.output
    if code == 2:
        assert "more than --max-rejected" in result.stderr


def test_rejected_rows_always_warn(files):
    standard, tickets = files
    for fmt in ("text", "markdown", "json"):
        result = check(tickets, "-s", standard, "-f", fmt)
        assert "1 of 3 input rows were rejected" in result.stdout, fmt


def test_step_summary_is_appended_on_github(files, tmp_path):
    standard, tickets = files
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n")
    result = check(tickets, "-s", standard, "-f", "json", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    text = summary.read_text()
    assert text.startswith("previous step\n") and "## Rules" in text


def test_no_color_is_honoured(files):
    standard, tickets = files
    result = check(tickets, "-s", standard, "--color", "always")
    assert "\x1b[" in result.stdout
    result = check(tickets, "-s", standard, env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("option, value", [("--limit", "-5"), ("--jobs", "-1"), ("--max-rejected", "-3")])
def test_a_negative_count_is_a_usage_error(files, option, value):
    standard, tickets = files
    result = check(tickets, "-s", standard, option, value)
    assert result.exit_code == 2, result.output
    assert option in result.output
