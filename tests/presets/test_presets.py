"""Presets on fixtures shaped like the real exports, and `svcaudit init --from` on each of them."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.engine import make_intake
from svcaudit.logs.model import Role
from svcaudit.standard.loader import parse_standard

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2026-11-23T12:00:00Z"


def read(preset: str, name: str):
    standard = parse_standard(f"svcaudit: 1\ninput: {{preset: {preset}}}\nrules:\n"
                              "  - {id: r, check: resolution}\n", "s.yaml")
    intake = make_intake(standard, [FIXTURES / name])
    return {t.ticket_id: t for t in intake.tickets()}, intake


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_zendesk_ticket_export():
    tickets, intake = read("zendesk", "zendesk_tickets.csv")
    assert list(tickets) == ["1001", "1002", "1003", "1004"]
    first = tickets["1001"]
    assert first.created_at == utc("2026-11-02T09:14:05") and first.resolved_at == utc("2026-11-02T11:02:40")
    assert (first.status, first.priority, first.channel) == ("solved", "normal", "web")
    assert (first.agent, first.team, first.customer_name) == ("Emma Clark", "Support", "Anna Petrova")
    assert first.csat == 5.0 and tickets["1002"].csat == 1.0 and tickets["1003"].csat is None
    assert tickets["1002"].priority == "urgent" and tickets["1002"].reopens == 1
    assert first.fields["zendesk_first_reply_minutes"] == "32"
    assert intake.inputs[0].rows_rejected == 0


def test_freshdesk_ticket_export():
    tickets, _ = read("freshdesk", "freshdesk_tickets.csv")
    first = tickets["501"]
    assert first.first_reply_at == utc("2026-11-02T09:30:00") and first.priority == "normal"
    assert tickets["503"].status == "pending" and tickets["502"].priority == "urgent"
    assert first.customer_name == "Anna Petrova" and first.agent == "Olga Smirnova"


def test_jira_issue_export():
    tickets, _ = read("jira", "jira_issues.csv")
    assert list(tickets) == ["ITSM-101", "ITSM-102", "ITSM-103"]
    assert tickets["ITSM-101"].status == "resolved" and tickets["ITSM-102"].status == "pending"
    assert tickets["ITSM-102"].priority == "urgent" and tickets["ITSM-103"].priority == "low"
    assert tickets["ITSM-101"].team == "Network" and tickets["ITSM-101"].csat == 5.0


def test_intercom_parts():
    tickets, _ = read("intercom", "intercom_parts.csv")
    roles = [m.role for m in tickets["c-881"].messages]
    assert roles == [Role.CUSTOMER, Role.BOT, Role.AGENT, Role.CUSTOMER, Role.AGENT]
    assert tickets["c-882"].messages[0].role is Role.CUSTOMER  # a lead is a customer


@pytest.mark.parametrize("name, preset", [
    ("zendesk_tickets.csv", "zendesk"), ("freshdesk_tickets.csv", "freshdesk"),
    ("jira_issues.csv", "jira"), ("intercom_parts.csv", "intercom"),
])
def test_init_from_picks_the_preset_and_check_runs(tmp_path, name, preset):
    target = tmp_path / "svcaudit.yaml"
    runner = CliRunner()
    result = runner.invoke(app, ["init", "--from", str(FIXTURES / name), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"preset {preset}" in result.stderr
    assert f"preset: {preset}" in target.read_text()
    check = runner.invoke(app, ["check", str(FIXTURES / name), "--standard", str(target),
                                "--as-of", AS_OF, "--format", "json"])
    assert check.exit_code in (0, 1), check.output
    report = json.loads(check.stdout)
    assert report["inputs"][0]["rows_rejected"] == 0 and report["summary"]["tickets"] > 0


def test_init_from_proposes_a_mapping_for_an_unknown_export(tmp_path):
    export = tmp_path / "chats.csv"
    export.write_text("Chat ID,Sent,Sender,Message\n"
                      "1,2026-11-02T09:00:00Z,customer,hello\n"
                      "1,2026-11-02T09:01:00Z,agent,Hello! How can I help?\n")
    target = tmp_path / "svcaudit.yaml"
    result = CliRunner().invoke(app, ["init", "--from", str(export), "--output", str(target)])
    assert result.exit_code == 0, result.output
    for mapped in ("ticket_id <- 'Chat ID'", "author_role <- 'Sender'", "created_at <- 'Sent'",
                   "text <- 'Message'"):
        assert mapped in result.stderr
    check = CliRunner().invoke(app, ["check", str(export), "-s", str(target), "--as-of", AS_OF])
    assert check.exit_code in (0, 1), check.output


def test_init_from_without_an_id_column_says_so(tmp_path):
    export = tmp_path / "odd.csv"
    export.write_text("foo,bar\n1,2\n")
    result = CliRunner().invoke(app, ["init", "--from", str(export), "--output", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2 and "identifies a ticket" in result.stderr


def test_unknown_preset_is_a_located_error():
    from svcaudit.errors import StandardError

    with pytest.raises(StandardError) as caught:
        parse_standard("svcaudit: 1\ninput: {preset: zendsk}\nrules:\n  - {id: r, check: resolution}\n", "s.yaml")
    assert "s.yaml:2:" in str(caught.value)
