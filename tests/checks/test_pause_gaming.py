"""pause_gaming: pausing the clock right after a customer message, without answering it."""

from __future__ import annotations

import pytest

from tests.checks.helpers import FAILED, NA, PASSED, expect, judge, make_ticket

RULE = {"check": "pause_gaming", "pause_statuses": ["pending", "on-hold"], "within": "10m"}

# (conversation, expected status, reason fragment, blamed message index)
CASES = [
    pytest.param(
        [(0, "customer", "where is my order?"), (2, "system", "", "pending")],
        FAILED,
        "set to 'pending' 2m after customer message #1 with no staff reply",
        1,
        id="paused-without-reply",
    ),
    pytest.param(
        [(0, "customer", "where?"), (5, "agent", "send a photo please"), (5, "system", "", "pending")],
        PASSED,
        "",
        None,
        id="answered-then-paused",
    ),
    pytest.param(
        [(0, "customer", "where?"), (11, "system", "", "on-hold")], PASSED, "", None, id="paused-after-the-window"
    ),
    pytest.param(
        [(0, "customer", "where?"), (10, "system", "", "on-hold")],
        FAILED,
        "10m after",
        1,
        id="paused-exactly-at-the-window",
    ),
    pytest.param(
        [
            (0, "customer", "q"),
            (1, "agent", "a"),
            (2, "system", "", "pending"),
            (30, "customer", "here it is"),
            (30, "system", "", "open"),
            (31, "system", "", "on-hold"),
        ],
        FAILED,
        "after customer message #4",
        5,
        id="second-pause-gamed",
    ),
    pytest.param(
        [(0, "customer", "q"), (1, "agent", "a"), (2, "system", "", "pending"), (3, "system", "", "on-hold")],
        PASSED,
        "",
        None,
        id="pending-to-on-hold-is-not-a-new-pause",
    ),
    pytest.param(
        [(0, "customer", "q"), (1, "bot", "I am a bot"), (2, "system", "", "pending")],
        FAILED,
        "no staff reply",
        2,
        id="bot-is-not-a-reply",
    ),
    pytest.param([(0, "customer", "q"), (1, "agent", "a")], NA, "needs status events", None, id="no-status-events"),
]


@pytest.mark.parametrize("conversation, status, reason, blamed", CASES)
def test_pause_gaming(conversation, status, reason, blamed):
    outcome = judge(RULE, make_ticket(conversation), 600)
    expect(outcome, status, reason=reason or None)
    if blamed is not None:
        assert outcome.message.index == blamed and outcome.message.status in RULE["pause_statuses"]
        assert "customer message" in outcome.evidence


def test_bots_count_when_the_rule_says_so():
    ticket = make_ticket([(0, "customer", "q"), (1, "bot", "hello"), (2, "system", "", "pending")])
    expect(judge({**RULE, "bots_are_agents": True}, ticket, 600), PASSED)
