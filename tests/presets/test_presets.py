"""Presets on fixtures shaped like the real exports, and `svcaudit init --from` on each of them."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcaudit.audit.engine import make_intake
from svcaudit.cli import app
from svcaudit.intake.model import Role
from svcaudit.standard.loader import parse_standard

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2026-11-23T12:00:00Z"


def read(preset: str, name: str):
    standard = parse_standard(
        f"svcaudit: 1\ninput: {{preset: {preset}}}\nrules:\n  - {{id: r, check: resolution}}\n", "s.yaml"
    )
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


@pytest.mark.parametrize(
    "name, preset",
    [
        ("zendesk_tickets.csv", "zendesk"),
        ("freshdesk_tickets.csv", "freshdesk"),
        ("jira_issues.csv", "jira"),
        ("intercom_parts.csv", "intercom"),
    ],
)
def test_init_from_picks_the_preset_and_check_runs(tmp_path, name, preset):
    target = tmp_path / "svcaudit.yaml"
    runner = CliRunner()
    result = runner.invoke(app, ["init", "--from", str(FIXTURES / name), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"preset {preset}" in result.stderr
    assert f"preset: {preset}" in target.read_text()
    check = runner.invoke(
        app, ["check", str(FIXTURES / name), "--standard", str(target), "--as-of", AS_OF, "--format", "json"]
    )
    assert check.exit_code in (0, 1), check.output
    report = json.loads(check.stdout)
    assert report["inputs"][0]["rows_rejected"] == 0 and report["summary"]["tickets"] > 0


def test_init_from_proposes_a_mapping_for_an_unknown_export(tmp_path):
    export = tmp_path / "chats.csv"
    export.write_text(
        "Chat ID,Sent,Sender,Message\n"
        "1,2026-11-02T09:00:00Z,customer,hello\n"
        "1,2026-11-02T09:01:00Z,agent,Hello! How can I help?\n"
    )
    target = tmp_path / "svcaudit.yaml"
    result = CliRunner().invoke(app, ["init", "--from", str(export), "--output", str(target)])
    assert result.exit_code == 0, result.output
    for mapped in ("ticket_id <- 'Chat ID'", "author_role <- 'Sender'", "created_at <- 'Sent'", "text <- 'Message'"):
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


def test_abcd_nested_transcripts():
    tickets, intake = read("abcd", "abcd_chats.json")
    assert list(tickets) == ["9001", "9002"]
    chat = tickets["9001"]
    assert chat.customer_name == "anna petrova" and chat.channel == "shipping_issue"
    assert [m.role for m in chat.messages][:4] == [Role.AGENT, Role.CUSTOMER, Role.AGENT, Role.CUSTOMER]
    assert chat.messages[4].role is Role.SYSTEM  # an "action" turn
    assert not chat.timed and chat.opened_at is None
    assert intake.inputs[0].rows_read == 2  # a row is a conversation object


def test_abcd_checks_names_and_greetings_but_not_times(tmp_path):
    standard = tmp_path / "s.yaml"
    standard.write_text(
        "svcaudit: 1\ninput: {preset: abcd}\nrules:\n"
        "  - {id: greeting, check: phrases, in: first_agent_message, require_any: [hello, hi]}\n"
        "  - {id: uses-name, check: phrases, require_any: ['{customer_name}']}\n"
        "  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}\n"
    )
    result = CliRunner().invoke(
        app, ["check", str(FIXTURES / "abcd_chats.json"), "-s", str(standard), "--as-of", AS_OF, "-f", "json"]
    )
    report = json.loads(result.stdout)
    rules = {r["id"]: r for r in report["rules"]}
    assert (rules["greeting"]["passed"], rules["greeting"]["failed"]) == (1, 1)
    assert (rules["uses-name"]["passed"], rules["uses-name"]["failed"]) == (1, 1)  # "Anna" in 9001
    assert rules["first-reply"]["not_applicable_reasons"] == {"needs timestamps (the transcript has none)": 2}
    greeting = next(v for v in report["violations"] if v["rule"] == "greeting")
    assert greeting["ticket_id"] == "9002" and "(agent)" in greeting["message"]


def test_twcs_original_format_is_threaded_by_replies():
    tickets, intake = read("twcs", "twcs_tweets.csv")
    assert sorted(tickets) == ["10", "20", "29"]
    assert [m.text[:12] for m in tickets["10"].messages] == [
        "@sprintcare ",
        "@115712 Sorr",
        "@sprintcare ",
        "@115712 Than",
    ]
    assert [m.role for m in tickets["20"].messages] == [Role.CUSTOMER, Role.AGENT]
    assert intake.inputs[0].rows_read == 7 and intake.inputs[0].rows_rejected == 0


def test_twcs_first_reply_times(tmp_path):
    standard = tmp_path / "s.yaml"
    standard.write_text(
        "svcaudit: 1\ninput: {preset: twcs}\nrules:\n"
        "  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}\n"
    )
    result = CliRunner().invoke(
        app, ["check", str(FIXTURES / "twcs_tweets.csv"), "-s", str(standard), "--as-of", AS_OF, "-f", "json"]
    )
    report = json.loads(result.stdout)
    late = {v["ticket_id"]: v["measured_seconds"] for v in report["violations"]}
    assert late == {"20": 5400}  # 08:00 -> 09:30; thread 10 answered in 14m 23s
    rule = report["rules"][0]
    assert (rule["passed"], rule["failed"], rule["not_applicable"]) == (1, 1, 1)  # 29: request missing


@pytest.mark.parametrize("name, preset", [("abcd_chats.json", "abcd"), ("twcs_tweets.csv", "twcs")])
def test_init_from_nested_and_threaded_exports(tmp_path, name, preset):
    target = tmp_path / "svcaudit.yaml"
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--from", str(FIXTURES / name), "-o", str(target)]).exit_code == 0
    assert f"preset: {preset}" in target.read_text()
    check = runner.invoke(app, ["check", str(FIXTURES / name), "-s", str(target), "--as-of", AS_OF])
    assert check.exit_code in (0, 1), check.output
