"""svcaudit explain: a ticket's clock per response-time rule, consistent with check."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from svcaudit.cli import app

STANDARD = """\
svcaudit: 1
timezone: Europe/Berlin
calendars:
  office:
    week: {mon-fri: ["09:00-17:00"]}
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    calendar: office
    target: 8h
    pause_statuses: [pending]
  - id: greeting
    check: phrases
    in: first_agent_message
    require_any: [hello]
  - id: csat
    check: score
    metric: csat
    min: 80%
"""
# Friday 16:00 Berlin; on hold from Monday 09:00 to 10:00; answered Monday 11:00.
MESSAGES = (
    "ticket_id,created_at,author_role,text,status\n"
    "X1,2026-11-20T16:00:00+01:00,customer,Help,\n"
    "X1,2026-11-23T09:00:00+01:00,system,,pending\n"
    "X1,2026-11-23T10:00:00+01:00,system,,open\n"
    "X1,2026-11-23T11:00:00+01:00,agent,Hello! Done.,\n"
)


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_explain_json_shows_segments_and_due(write):
    standard = write("s.yaml", STANDARD)
    data = write("m.csv", MESSAGES)
    result = invoke("explain", "X1", data, "-s", standard, "--as-of", "2026-11-24T12:00:00Z", "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rules = {r["id"]: r for r in report["rules"]}
    first = rules["first-reply"]
    assert first["status"] == "passed"
    (span,) = first["spans"]
    kinds = [(s["kind"], s["seconds"]) for s in span["segments"]]
    assert kinds == [("counted", 3600), ("closed", 64 * 3600), ("paused", 3600), ("counted", 3600)]
    assert span["measured_seconds"] == 2 * 3600 == first["measured_seconds"]
    # 8h of office time from Friday 16:00, Monday 09-10 paused: due Monday 17:00 Berlin
    assert span["due_at"] == "2026-11-23T17:00:00+01:00"
    assert rules["greeting"]["status"] == "passed"
    assert rules["csat"]["status"] is None and "all audited tickets" in rules["csat"]["reason"]
    assert [m["role"] for m in report["messages"]] == ["customer", "system", "system", "agent"]


def test_explain_text_and_markdown(write):
    standard = write("s.yaml", STANDARD)
    data = write("m.csv", MESSAGES)
    text = invoke("explain", "X1", data, "-s", standard, "--as-of", "2026-11-24T12:00:00Z")
    assert text.exit_code == 0
    assert "paused   2026-11-23T09:00:00+01:00" in text.stdout
    markdown = invoke("explain", "X1", data, "-s", standard, "--as-of", "2026-11-24T12:00:00Z", "-f", "markdown")
    assert markdown.stdout.startswith("# Ticket X1")
    assert "| paused | 2026-11-23T09:00:00+01:00 |" in markdown.stdout


def test_unknown_ticket_is_a_usage_error_with_a_suggestion(write):
    standard = write("s.yaml", STANDARD)
    data = write("m.csv", MESSAGES)
    result = invoke("explain", "X11", data, "-s", standard)
    assert result.exit_code == 2
    assert "no ticket 'X11'" in result.stderr and "did you mean 'X1'" in result.stderr
