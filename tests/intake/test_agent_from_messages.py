"""Who a ticket known from its messages belongs to: the author (and team) of its last public agent
message, unless its ticket row names them; the same agent in `report --by agent`, in violations
and in the quality scores per agent."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from tests.intake.helpers import make_intake

AS_OF = "2026-03-10T00:00:00Z"
HEADER = "ticket_id,created_at,author_role,author,team,public,text\n"
CUSTOMER = "T1,2026-03-02T09:00:00Z,customer,Carol,,,help\n"


def agent_row(minute: int, author: str, team: str = "", role: str = "agent", public: str = "") -> str:
    return f"T1,2026-03-02T09:{minute:02d}:00Z,{role},{author},{team},{public},reply\n"


# (case, message rows after the customer's, expected agent, expected team)
RULE_CASES = [
    ("the last public agent author", [agent_row(10, "Anna", "L1"), agent_row(20, "Boris", "L2")], "Boris", "L2"),
    (
        "rows out of time order are read in time order",
        [agent_row(20, "Boris", "L2"), agent_row(10, "Anna", "L1")],
        "Boris",
        "L2",
    ),
    (
        "an internal note's author is not the agent",
        [agent_row(10, "Anna", "L1"), agent_row(20, "Nora", "L3", public="false")],
        "Anna",
        "L1",
    ),
    ("a bot is not the agent", [agent_row(10, "Anna"), agent_row(20, "Helpbot", role="bot")], "Anna", None),
    (
        "the last agent message without an author is passed over",
        [agent_row(10, "Anna", "L1"), agent_row(20, "")],
        "Anna",
        "L1",
    ),
    (
        "the team is the last one named, even by an earlier message",
        [agent_row(10, "Anna", "L1"), agent_row(20, "Boris")],
        "Boris",
        "L1",
    ),
    ("no agent message: nobody", [], None, None),
]


@pytest.mark.parametrize("case, rows, agent, team", RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_a_message_only_ticket_takes_its_agent_and_team_from_its_messages(write, case, rows, agent, team):
    messages = write("m.csv", HEADER + CUSTOMER + "".join(rows))
    (ticket,) = make_intake(messages).tickets()
    assert (ticket.agent, ticket.team) == (agent, team)


def test_messages_after_as_of_do_not_name_the_agent(write):
    messages = write(
        "m.csv", HEADER + CUSTOMER + agent_row(10, "Anna") + "T1,2026-03-20T09:00:00Z,agent,Late,,,reply\n"
    )
    source = make_intake(messages)
    source.as_of = datetime(2026, 3, 10, tzinfo=timezone.utc)
    (ticket,) = source.tickets()
    assert ticket.agent == "Anna"


# (case, ticket row's agent and team cells, expected agent, expected team)
ROW_CASES = [
    ("the ticket row's own agent and team win", "Zoe,Z-team", "Zoe", "Z-team"),
    ("a blank agent is taken from the messages, the row's team kept", ",Z-team", "Boris", "Z-team"),
    ("both blank: both from the messages", ",", "Boris", "L2"),
]


@pytest.mark.parametrize("case, cells, agent, team", ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_a_ticket_row_names_its_agent_before_the_messages_do(write, case, cells, agent, team):
    tickets = write("t.csv", f"ticket_id,created_at,agent,team\nT1,2026-03-02T09:00:00Z,{cells}\n")
    messages = write("m.csv", HEADER + CUSTOMER + agent_row(10, "Anna", "L1") + agent_row(20, "Boris", "L2"))
    (ticket,) = make_intake(tickets, messages).tickets()
    assert (ticket.agent, ticket.team) == (agent, team)


STANDARD = """\
svcaudit: 1
quality: {min: 10%}
rules:
  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}
"""
# T1 answered late by Anna after Boris's note; T2 answered in time by Boris; T3 late, by an
# agent message without an author, then by Anna.
MESSAGES = (
    HEADER + "T1,2026-03-02T09:00:00Z,customer,Carol,,,help\n"
    "T1,2026-03-02T09:30:00Z,agent,Boris,L2,false,internal: Anna takes it\n"
    "T1,2026-03-02T12:00:00Z,agent,Anna,L1,,hello\n"
    "T2,2026-03-02T09:00:00Z,customer,Dan,,,help\n"
    "T2,2026-03-02T09:10:00Z,agent,Boris,L2,,hello\n"
    "T3,2026-03-03T09:00:00Z,customer,Eve,,,help\n"
    "T3,2026-03-03T10:30:00Z,agent,,,,auto-ack\n"
    "T3,2026-03-03T11:00:00Z,agent,Anna,,,hello\n"
)


def run(*args: object):
    result = CliRunner().invoke(app, [*map(str, args), "--as-of", AS_OF, "--format", "json"])
    assert "Traceback" not in result.output
    return result


def test_report_by_agent_groups_message_only_tickets_by_their_authors(write):
    standard, messages = write("s.yaml", STANDARD), write("m.csv", MESSAGES)
    result = run("report", messages, "--standard", standard, "--by", "agent")
    assert result.exit_code == 0, result.output
    groups = {g["key"]["agent"]: g for g in json.loads(result.stdout)["groups"]}
    assert sorted(groups) == ["Anna", "Boris"]  # no "(none)"
    assert groups["Anna"]["tickets"] == 2 and groups["Boris"]["tickets"] == 1


def test_violations_and_quality_carry_the_agent_from_the_messages(write):
    standard, messages = write("s.yaml", STANDARD), write("m.csv", MESSAGES)
    result = run("check", messages, "--standard", standard)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    who = {v["ticket_id"]: (v["agent"], v["team"]) for v in report["violations"]}
    # No message of T3 names a team; its author-less agent message is passed over for the agent.
    assert who == {"T1": ("Anna", "L1"), "T3": ("Anna", None)}
    assert sorted(report["quality"]["by_agent"]) == ["Anna", "Boris"]
    assert report["quality"]["by_agent"]["Anna"]["tickets"] == 2
    assert sorted(report["quality"]["by_team"]) == ["(unassigned)", "L1", "L2"]


def test_a_ticket_rows_agent_wins_in_the_report(write):
    standard, messages = write("s.yaml", STANDARD), write("m.csv", MESSAGES)
    tickets = write("t.csv", "ticket_id,agent\nT1,Zoe\n")
    result = run("check", tickets, messages, "--standard", standard)
    assert result.exit_code == 1, result.output
    who = {v["ticket_id"]: v["agent"] for v in json.loads(result.stdout)["violations"]}
    assert who == {"T1": "Zoe", "T3": "Anna"}


def test_where_scopes_by_the_agent_from_the_messages(write):
    standard = write("s.yaml", STANDARD.replace("target: 1h}", "target: 1h, where: {agent: [anna]}}"))
    result = run("check", write("m.csv", MESSAGES), "--standard", standard)
    assert result.exit_code == 1, result.output
    (rule,) = json.loads(result.stdout)["rules"]
    assert (rule["passed"], rule["failed"]) == (0, 2)  # Boris's T2 is out of scope
