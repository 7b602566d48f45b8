"""Per-ticket quality scores: weights, critical rules, not-applicable rules left out, aggregation."""

from __future__ import annotations

import pytest

from tests.checks.helpers import finish, make_ticket, run, standard

GREETING = {"id": "greeting", "check": "phrases", "in": "first_agent_message", "require_any": ["hello"], "weight": 2}
POLITE = {
    "id": "polite",
    "check": "phrases",
    "in": "every_agent_message",
    "forbid": ["not my problem"],
    "critical": True,
}
NAME = {"id": "name", "check": "phrases", "require_any": ["{customer_name}"]}


def ticket(ticket_id, reply, agent="Ann", team="A", name="Bob"):
    fields = {"agent": agent, "team": team}
    if name:
        fields["customer_name"] = name
    return make_ticket([(0, "customer", "help"), (5, "agent", reply)], ticket_id=ticket_id, **fields)


# (reply, customer name, expected score)
CASES = [
    pytest.param("Hello Bob, done.", "Bob", 1.0, id="all-passed"),
    pytest.param("Bob, done.", "Bob", 2 / 4, id="greeting-weight-2-failed"),
    pytest.param("Hello, done.", "Bob", 3 / 4, id="name-failed"),
    pytest.param("Hello, done.", None, 3 / 3, id="name-not-applicable-left-out"),
    pytest.param("Hello Bob, not my problem.", "Bob", 0.0, id="critical-failure-zeroes"),
]


@pytest.mark.parametrize("reply, name, score", CASES)
def test_ticket_score(reply, name, score):
    result = finish(run(standard([GREETING, POLITE, NAME]), [ticket("T1", reply, name=name)], 60))
    assert result.quality["score"] == pytest.approx(score, abs=1e-4)
    assert result.quality["tickets"] == 1


def test_aggregates_per_agent_and_team_and_gates():
    tickets = [
        ticket("T1", "Hello Bob"),
        ticket("T2", "Bob", agent="Cy"),
        ticket("T3", "Hello Bob, not my problem", agent="Cy", team="B"),
    ]
    std = standard([GREETING, POLITE, NAME], quality={"min": "60%"})
    result = finish(run(std, tickets, 60))
    quality = result.quality
    assert quality["score"] == pytest.approx((1.0 + 0.5 + 0.0) / 3, abs=1e-4)
    assert quality["by_agent"]["Ann"]["score"] == 1.0
    assert quality["by_agent"]["Cy"] == {"score": 0.25, "tickets": 2, "critical_failures": 1}
    assert quality["by_team"]["A"]["tickets"] == 2 and quality["by_team"]["B"]["score"] == 0.0
    assert quality["min"] == 0.6 and quality["met"] is False
    assert result.standard_met is False


def test_no_quality_section_without_weights_or_quality():
    std = standard([{"check": "phrases", "require_any": ["hello"]}])
    assert finish(run(std, [ticket("T1", "hello")], 60)).quality is None


def test_weight_zero_leaves_a_rule_out():
    std = standard([{**GREETING, "weight": 0}, NAME])
    result = finish(run(std, [ticket("T1", "Bob here")], 60))
    assert result.quality["score"] == 1.0
