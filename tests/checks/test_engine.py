"""The engine over several rules: compliance, thresholds, violation order and locations.

The audited tickets are fixed; each case is a row of rules and thresholds with the expected overall
compliance and whether the standard is met.
"""

from __future__ import annotations

import pytest

from tests.checks.helpers import finish, make_ticket, run, standard, tally

AS_OF = 600  # minutes after START

REPLY = {"id": "reply", "check": "response_time", "metric": "first_reply", "target": "1h"}
GREET = {
    "id": "greet",
    "check": "phrases",
    "in": "first_agent_message",
    "require_any": ["hello"],
    "severity": "warning",
}
GREET_ERROR = {**GREET, "severity": "error"}
CSAT = {"id": "csat", "check": "score", "metric": "csat", "min": "80%"}
REPLY_WARNING = {**REPLY, "severity": "warning"}


def chat(
    ticket_id: str,
    row: int,
    reply_after: int | None,
    reply_text: str = "Hello",
    *,
    created: int = 0,
    csat: int | None = None,
):
    """A ticket row (line `row`) and its conversation in messages.csv from line 10 * row."""
    conversation = [(created, "customer", "Where is my order?")]
    if reply_after is not None:
        conversation.append((created + reply_after, "agent", reply_text))
    return make_ticket(
        conversation, ticket_id=ticket_id, row=row, first_message_row=10 * row, created_at=created, csat=csat
    )


def audited_tickets():
    """reply: 2 passed, 1 failed, 1 pending, 1 not applicable; greet: 2 passed, 1 failed; CSAT 2/3."""
    return [
        chat("T1", 2, 30, csat=5),  # reply passed, greet passed
        chat("T2", 3, 90, csat=5),  # reply failed, greet passed
        chat("T3", 4, 30, "Hi", csat=1),  # reply passed, greet failed
        chat("T4", 5, None, created=AS_OF - 20),  # reply pending, greet: no agent message
        make_ticket(ticket_id="T5", row=6),  # reply: needs first_reply_at; greet: needs messages
    ]


def test_the_fixed_tickets_tally_as_documented():
    audit = run(standard([REPLY, GREET, CSAT]), audited_tickets(), AS_OF)
    finish(audit)
    assert [tally(audit, i) for i in range(3)] == [
        {"passed": 2, "failed": 1, "pending": 1, "not_applicable": 1},
        {"passed": 2, "failed": 1, "not_applicable": 2},
        {"failed": 1},
    ]


# (rules, top-level keys, expected compliance, expected standard_met)
CASES = [
    pytest.param([REPLY], {}, 2 / 3, False, id="default-threshold-is-100-percent"),
    pytest.param([REPLY, GREET], {}, 2 / 3, False, id="warnings-excluded"),
    pytest.param([REPLY, GREET_ERROR], {}, 4 / 6, False, id="errors-add-up"),
    pytest.param([REPLY, CSAT], {}, 2 / 4, False, id="aggregate-contributes-one-result"),
    pytest.param([REPLY, GREET, CSAT], {}, 2 / 4, False, id="aggregate-and-warning"),
    pytest.param([GREET_ERROR, CSAT], {}, 2 / 4, False, id="phrases-and-score"),
    pytest.param([REPLY], {"pass_threshold": "66%"}, 2 / 3, True, id="threshold-below"),
    pytest.param([REPLY], {"pass_threshold": "67%"}, 2 / 3, False, id="threshold-above"),
    pytest.param([REPLY], {"pass_threshold": 2 / 3}, 2 / 3, True, id="threshold-exactly-equal"),
    pytest.param([REPLY, CSAT], {"pass_threshold": "50%"}, 0.5, True, id="threshold-equal-percent"),
    pytest.param(
        [{**REPLY, "min_compliance": "70%"}], {"pass_threshold": "50%"}, 2 / 3, False, id="rule-min-compliance-not-met"
    ),
    pytest.param(
        [{**REPLY, "min_compliance": "60%"}], {"pass_threshold": "50%"}, 2 / 3, True, id="rule-min-compliance-met"
    ),
    pytest.param(
        [{**REPLY, "min_compliance": "60%"}, {**GREET_ERROR, "min_compliance": "90%"}],
        {"pass_threshold": "50%"},
        4 / 6,
        False,
        id="every-rule-min-compliance-counts",
    ),
    pytest.param([GREET], {}, None, True, id="only-warnings-nothing-judged"),
    pytest.param([REPLY_WARNING, GREET], {"pass_threshold": "100%"}, None, True, id="warning-failures-pass"),
]


@pytest.mark.parametrize("rules, top, compliance, met", CASES)
def test_compliance_and_standard_met(rules, top, compliance, met):
    result = finish(run(standard(rules, **top), audited_tickets(), AS_OF))
    if compliance is None:
        assert result.compliance is None
    else:
        assert result.compliance == pytest.approx(compliance)
    assert result.standard_met is met
    summary = result.to_dict()["summary"]
    assert summary["passed"] is met


def test_rule_compliance_ignores_pending_and_not_applicable():
    result = finish(run(standard([REPLY]), audited_tickets(), AS_OF))
    [rule] = result.rules
    assert rule.compliance == pytest.approx(2 / 3)
    assert result.judged == (2, 1)


def test_violations_in_ticket_order_then_rule_order():
    tickets = [
        chat("T1", 2, 90, "Hi", csat=1),  # reply, greet
        chat("T2", 3, 30, csat=1),  # none
        chat("T3", 4, 30, "Hi"),  # greet
        chat("T4", 5, 90, csat=2),  # reply
        chat("T5", 6, 120, "Hi"),  # reply, greet
    ]
    result = finish(run(standard([GREET, REPLY, CSAT]), tickets, AS_OF))
    assert [(v.ticket_id, v.rule) for v in result.violations] == [
        ("T1", "greet"),
        ("T1", "reply"),
        ("T3", "greet"),
        ("T4", "reply"),
        ("T5", "greet"),
        ("T5", "reply"),
        (None, "csat"),  # aggregate rules are judged after every ticket
    ]


# (ticket, rule, expected (path, row, message_index))
LOCATION_CASES = [
    pytest.param(chat("T1", 3, 90), REPLY, ("messages.csv", 31, 2), id="late-reply-points-at-the-reply"),
    pytest.param(chat("T1", 3, 30, "Hi"), GREET, ("messages.csv", 31, 2), id="phrase-points-at-the-message"),
    pytest.param(chat("T1", 3, None), REPLY, ("tickets.csv", 3, None), id="breached-points-at-the-ticket-row"),
    pytest.param(
        make_ticket(row=8, first_reply_at=120),
        REPLY,
        ("tickets.csv", 8, None),
        id="ticket-rows-only-point-at-the-ticket-row",
    ),
    pytest.param(
        make_ticket([(0, "customer", "?")], ticket_row=False, first_message_row=40),
        REPLY,
        ("messages.csv", 40, None),
        id="no-ticket-row-points-at-the-first-message",
    ),
    pytest.param(
        make_ticket([(0, "customer", "?"), (10, "agent", "x", "solved"), (20, "customer", "no!", "open")], row=5),
        {"id": "resolved", "check": "resolution", "max_reopens": 0},
        ("tickets.csv", 5, None),
        id="reopen-points-at-the-ticket-row",
    ),
]


@pytest.mark.parametrize("ticket, rule, location", LOCATION_CASES)
def test_every_violation_carries_its_location(ticket, rule, location):
    [violation] = finish(run(standard(rule), [ticket], AS_OF)).violations
    assert (violation.path, violation.row, violation.message_index) == location
    assert violation.ticket_id == ticket.ticket_id
    assert violation.message


def test_time_violation_carries_measured_and_target_seconds():
    [violation] = finish(run(standard(REPLY), [chat("T1", 2, 90)], AS_OF)).violations
    data = violation.to_dict()
    assert (data["measured_seconds"], data["target_seconds"], data["overrun_seconds"]) == (5400, 3600, 1800)
    assert data["due_at"] == "2026-11-02T10:00:00Z"
    assert data["severity"] == "error"


def test_warning_violations_are_listed_with_their_severity():
    [violation] = finish(run(standard(GREET), [chat("T1", 2, 10, "Hi")], AS_OF)).violations
    assert violation.severity == "warning"


def test_aggregate_violation_has_no_ticket_or_row():
    [violation] = finish(run(standard(CSAT), [chat("T1", 2, 10, csat=1)], AS_OF)).violations
    assert (violation.ticket_id, violation.path, violation.row) == (None, None, None)
    assert violation.measured_value == 0.0 and violation.target_value == pytest.approx(0.8)
