"""response_time: first_reply, next_reply, resolution and requester_wait, case by case.

Each case is a row: rule options, conversation (minutes after START, role, text[, status]), ticket
row fields, as_of (minutes after START), and the expected status, seconds and reason fragment.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.checks.helpers import (
    DAY,
    FAILED,
    HOUR,
    MIN,
    NA,
    PASSED,
    PENDING,
    UTC,
    at,
    expect,
    judge,
    make_ticket,
    secs,
)

FIRST_1H = {"check": "response_time", "metric": "first_reply", "target": "1h"}
ASKED = (0, "customer", "My order is late")
ANSWERED = "Hello, let me check"

# (rule, conversation, ticket fields, as_of, status, measured, target, reason fragment)
FIRST_REPLY_CASES = [
    pytest.param(
        FIRST_1H, [ASKED, (30, "agent", ANSWERED)], {}, 600, PASSED, 30 * MIN, HOUR, "", id="answered-in-time"
    ),
    pytest.param(
        FIRST_1H, [ASKED, (60, "agent", ANSWERED)], {}, 600, PASSED, HOUR, HOUR, "", id="exactly-at-target-passes"
    ),
    pytest.param(
        FIRST_1H,
        [ASKED, (secs(HOUR + 1), "agent", ANSWERED)],
        {},
        600,
        FAILED,
        HOUR + 1,
        HOUR,
        "first reply took 1h 1s, over the target 1h by 1s",
        id="one-second-over-fails",
    ),
    pytest.param(
        FIRST_1H,
        [ASKED, (secs(5415), "agent", ANSWERED)],
        {},
        600,
        FAILED,
        5415,
        HOUR,
        "by 30m 15s",
        id="measured-exact-to-the-second",
    ),
    pytest.param(
        FIRST_1H, [ASKED], {}, 20, PENDING, 20 * MIN, HOUR, "no reply yet; 40m left", id="unanswered-within-target"
    ),
    pytest.param(
        FIRST_1H, [ASKED], {}, 60, PENDING, HOUR, HOUR, "no reply yet", id="unanswered-exactly-at-target-pending"
    ),
    pytest.param(
        FIRST_1H,
        [ASKED],
        {},
        125,
        FAILED,
        125 * MIN,
        HOUR,
        "breached: no reply yet after 2h 5m",
        id="unanswered-past-target-breached",
    ),
    pytest.param(
        FIRST_1H,
        [ASKED, (10, "system", "", "solved")],
        {},
        600,
        NA,
        None,
        None,
        "resolved without a staff reply",
        id="solved-event-without-reply",
    ),
    pytest.param(
        FIRST_1H,
        [ASKED],
        {"status": "Closed"},
        600,
        NA,
        None,
        None,
        "resolved without a staff reply",
        id="closed-status-column",
    ),
    pytest.param(
        FIRST_1H,
        [ASKED, (10, "agent", "   ")],
        {},
        30,
        PENDING,
        30 * MIN,
        HOUR,
        "no reply yet",
        id="blank-agent-message-is-no-reply",
    ),
    pytest.param(
        FIRST_1H,
        [(0, "customer", "hi"), (15, "agent", "hi"), (90, "agent", "more")],
        {},
        600,
        PASSED,
        15 * MIN,
        HOUR,
        "",
        id="only-the-first-reply-counts",
    ),
    pytest.param(
        FIRST_1H,
        [ASKED, (20, "agent", ANSWERED)],
        {"created_at": -50},
        600,
        FAILED,
        70 * MIN,
        HOUR,
        "first reply took 1h 10m",
        id="clock-starts-at-ticket-creation-not-first-message",
    ),
    # ticket rows only: times come from the columns
    pytest.param(FIRST_1H, [], {"first_reply_at": 45}, 600, PASSED, 45 * MIN, HOUR, "", id="ticket-row-first-reply-at"),
    pytest.param(
        FIRST_1H,
        [],
        {"first_reply_at": 61},
        600,
        FAILED,
        61 * MIN,
        HOUR,
        "over the target 1h by 1m",
        id="ticket-row-first-reply-late",
    ),
    pytest.param(
        FIRST_1H,
        [],
        {"first_reply_at": None},
        30,
        PENDING,
        30 * MIN,
        HOUR,
        "no reply yet",
        id="ticket-row-blank-first-reply-pending",
    ),
    pytest.param(
        FIRST_1H,
        [],
        {"first_reply_at": None},
        90,
        FAILED,
        90 * MIN,
        HOUR,
        "breached",
        id="ticket-row-blank-first-reply-breached",
    ),
    pytest.param(
        FIRST_1H,
        [],
        {"first_reply_at": None, "status": "solved"},
        90,
        NA,
        None,
        None,
        "resolved without a staff reply",
        id="ticket-row-solved-without-reply",
    ),
    pytest.param(
        FIRST_1H,
        [],
        {"status": "open"},
        600,
        NA,
        None,
        None,
        "needs message rows or first_reply_at",
        id="ticket-row-without-first-reply-column",
    ),
    pytest.param(
        FIRST_1H,
        [],
        {"created_at": None, "first_reply_at": 10},
        600,
        NA,
        None,
        None,
        "needs created_at",
        id="ticket-row-without-created-at",
    ),
    # messages win over the ticket row's first_reply_at
    pytest.param(
        FIRST_1H,
        [ASKED, (90, "agent", ANSWERED)],
        {"first_reply_at": 10},
        600,
        FAILED,
        90 * MIN,
        HOUR,
        "first reply took 1h 30m",
        id="messages-win-over-column",
    ),
    # bots are not agents unless the rule says so
    pytest.param(
        FIRST_1H,
        [ASKED, (1, "bot", "We got your message"), (90, "agent", ANSWERED)],
        {},
        600,
        FAILED,
        90 * MIN,
        HOUR,
        "first reply took 1h 30m",
        id="bot-reply-ignored",
    ),
    pytest.param(
        {**FIRST_1H, "bots_are_agents": True},
        [ASKED, (1, "bot", "We got your message"), (90, "agent", ANSWERED)],
        {},
        600,
        PASSED,
        MIN,
        HOUR,
        "",
        id="bot-reply-counts-with-bots-are-agents",
    ),
    pytest.param(
        FIRST_1H,
        [ASKED, (1, "system", "Ticket assigned"), (90, "agent", ANSWERED)],
        {},
        600,
        FAILED,
        90 * MIN,
        HOUR,
        "",
        id="system-message-is-no-reply",
    ),
    pytest.param(
        {**FIRST_1H, "bots_are_agents": True},
        [ASKED, (1, "system", "Ticket assigned"), (30, "agent", ANSWERED)],
        {},
        600,
        PASSED,
        30 * MIN,
        HOUR,
        "",
        id="system-message-is-no-reply-even-with-bots",
    ),
    # targets per priority
    pytest.param(
        {
            "check": "response_time",
            "metric": "first_reply",
            "targets": {"urgent": "1h", "high": "4h", "default": "24h"},
        },
        [ASKED, (90, "agent", ANSWERED)],
        {"priority": "urgent"},
        600,
        FAILED,
        90 * MIN,
        HOUR,
        "over the target 1h",
        id="targets-urgent",
    ),
    pytest.param(
        {
            "check": "response_time",
            "metric": "first_reply",
            "targets": {"urgent": "1h", "high": "4h", "default": "24h"},
        },
        [ASKED, (90, "agent", ANSWERED)],
        {"priority": "high"},
        600,
        PASSED,
        90 * MIN,
        4 * HOUR,
        "",
        id="targets-high",
    ),
    pytest.param(
        {
            "check": "response_time",
            "metric": "first_reply",
            "targets": {"urgent": "1h", "high": "4h", "default": "24h"},
        },
        [ASKED, (90, "agent", ANSWERED)],
        {"priority": "low"},
        600,
        PASSED,
        90 * MIN,
        DAY,
        "",
        id="targets-default-for-unlisted",
    ),
    pytest.param(
        {
            "check": "response_time",
            "metric": "first_reply",
            "targets": {"urgent": "1h", "high": "4h", "default": "24h"},
        },
        [ASKED, (90, "agent", ANSWERED)],
        {},
        600,
        PASSED,
        90 * MIN,
        DAY,
        "",
        id="targets-default-without-priority",
    ),
    pytest.param(
        {"check": "response_time", "metric": "first_reply", "targets": {"urgent": "1h", "high": "4h"}},
        [ASKED, (90, "agent", ANSWERED)],
        {"priority": "low"},
        600,
        NA,
        None,
        None,
        "no target for priority low",
        id="targets-without-default",
    ),
    pytest.param(
        {"check": "response_time", "metric": "first_reply", "targets": {"urgent": "1h", "high": "4h"}},
        [ASKED, (90, "agent", ANSWERED)],
        {},
        600,
        NA,
        None,
        None,
        "no target for priority (none)",
        id="targets-no-priority-no-default",
    ),
    pytest.param(
        {"check": "response_time", "metric": "first_reply", "targets": {"Urgent": "1h"}},
        [ASKED, (90, "agent", ANSWERED)],
        {"priority": "URGENT"},
        600,
        FAILED,
        90 * MIN,
        HOUR,
        "",
        id="targets-priority-case-insensitive",
    ),
    pytest.param(
        {"check": "response_time", "metric": "first_reply", "target": "PT1H30M"},
        [ASKED, (90, "agent", ANSWERED)],
        {},
        600,
        PASSED,
        90 * MIN,
        90 * MIN,
        "",
        id="iso-8601-target",
    ),
    pytest.param(
        {"check": "response_time", "metric": "first_reply", "target": "1h30m"},
        [ASKED, (secs(90 * MIN + 1), "agent", ANSWERED)],
        {},
        600,
        FAILED,
        90 * MIN + 1,
        90 * MIN,
        "by 1s",
        id="compound-target",
    ),
]


@pytest.mark.parametrize("rule, conversation, fields, as_of, status, measured, target, reason", FIRST_REPLY_CASES)
def test_first_reply(rule, conversation, fields, as_of, status, measured, target, reason):
    outcome = judge(rule, make_ticket(conversation, **fields), as_of)
    expect(outcome, status, measured=measured, target=target, reason=reason)


def test_first_reply_without_ticket_row_starts_at_first_message():
    ticket = make_ticket([(10, "customer", "hi"), (40, "agent", ANSWERED)], ticket_row=False)
    expect(judge(FIRST_1H, ticket, 600), PASSED, measured=30 * MIN, target=HOUR)


def test_first_reply_names_the_reply_message_and_due_time():
    ticket = make_ticket([ASKED, (1, "bot", "auto"), (75, "agent", ANSWERED)])
    outcome = judge(FIRST_1H, ticket, 600)
    assert outcome.message is not None and outcome.message.index == 2
    assert outcome.due_at == at(60)
    assert "due 2026-11-02T10:00:00Z" in (outcome.evidence or "")


def test_pending_due_at_is_creation_plus_target():
    outcome = judge(FIRST_1H, make_ticket([ASKED]), 10)
    assert outcome.due_at == at(60)


# -- next_reply ----------------------------------------------------------------------------------

NEXT_1H = {"check": "response_time", "metric": "next_reply", "target": "1h"}
THREE_CYCLES_IN_TIME = [
    (0, "customer", "q1"),
    (10, "agent", "r1"),
    (20, "customer", "q2"),
    (50, "agent", "r2"),
    (60, "customer", "q3"),
    (100, "agent", "r3"),
]

# (rule, conversation, ticket fields, as_of, status, measured, target, reason, blamed message index)
NEXT_REPLY_CASES = [
    pytest.param(
        NEXT_1H,
        THREE_CYCLES_IN_TIME,
        {},
        600,
        PASSED,
        40 * MIN,
        HOUR,
        "",
        None,
        id="several-cycles-in-time-slowest-reported",
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "q2"), (80, "agent", "r2")],
        {},
        600,
        PASSED,
        HOUR,
        HOUR,
        "",
        None,
        id="exactly-at-target",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (110, "agent", "r2"),
            (120, "customer", "q3"),
            (130, "agent", "r3"),
        ],
        {},
        600,
        FAILED,
        90 * MIN,
        HOUR,
        "1 of 2 replies late; worst: reply to message #3 took 1h 30m",
        2,
        id="one-late-of-two",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (90, "agent", "r2"),  # 70m late
            (100, "customer", "q3"),
            (210, "agent", "r3"),  # 110m: the worst
            (220, "customer", "q4"),
            (300, "agent", "r4"),
        ],
        {},
        600,  # 80m
        FAILED,
        110 * MIN,
        HOUR,
        "3 of 3 replies late; worst: reply to message #5 took 1h 50m",
        4,
        id="names-the-worst-of-several-late",
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "q2"), (secs(80 * MIN + 1), "agent", "r2")],
        {},
        600,
        FAILED,
        HOUR + 1,
        HOUR,
        "reply to message #3 took 1h 1s, over the target 1h by 1s",
        2,
        id="single-cycle-one-second-late",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (25, "customer", "q2 again"),
            (85, "agent", "r2"),
        ],
        {},
        600,
        FAILED,
        65 * MIN,
        HOUR,
        "reply to message #3",
        2,
        id="customer-burst-measured-from-first-message",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (30, "agent", "r2"),
            (40, "customer", "q3"),
        ],
        {},
        70,
        PENDING,
        30 * MIN,
        HOUR,
        "no reply yet; 30m left",
        4,
        id="unanswered-last-cycle-pending",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (30, "agent", "r2"),
            (40, "customer", "q3"),
        ],
        {},
        160,
        FAILED,
        2 * HOUR,
        HOUR,
        "breached: no reply yet after 2h",
        4,
        id="unanswered-last-cycle-breached",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (100, "agent", "r2"),
            (110, "customer", "q3"),
        ],
        {},
        130,
        FAILED,
        80 * MIN,
        HOUR,
        "1 of 2 replies late",
        2,
        id="late-cycle-fails-even-when-last-is-pending",
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "Thanks!"), (25, "system", "", "solved")],
        {},
        600,
        NA,
        None,
        None,
        "no customer message after a staff reply",
        None,
        id="thanks-then-solved-not-counted",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (40, "agent", "r2"),
            (50, "customer", "Thanks!"),
            (55, "system", "", "closed"),
        ],
        {},
        600,
        PASSED,
        20 * MIN,
        HOUR,
        "",
        None,
        id="thanks-then-closed-other-cycles-still-judged",
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "Thanks!")],
        {"status": "solved", "resolved_at": 25},
        600,
        NA,
        None,
        None,
        "no customer message after a staff reply",
        None,
        id="thanks-then-resolved-at-column",
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "Thanks!")],
        {"status": "solved"},
        600,
        NA,
        None,
        None,
        "no customer message after a staff reply",
        None,
        id="thanks-then-solved-status-column-without-time",
    ),
    pytest.param(
        NEXT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (20, "customer", "q2"),
            (100, "agent", "r2"),
            (110, "customer", "Thanks!"),
        ],
        {"status": "solved"},
        600,
        FAILED,
        80 * MIN,
        HOUR,
        "reply to message #3 took 1h 20m",
        2,
        id="solved-status-column-earlier-cycles-still-judged",
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1")],
        {},
        600,
        NA,
        None,
        None,
        "no customer message after a staff reply",
        None,
        id="no-cycles",
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (5, "customer", "hello?")],
        {},
        600,
        NA,
        None,
        None,
        "no customer message after a staff reply",
        None,
        id="no-staff-reply-is-first-reply-business",
    ),
    pytest.param(
        NEXT_1H, [], {"first_reply_at": 10}, 600, NA, None, None, "needs message rows", None, id="ticket-rows-only"
    ),
    pytest.param(
        NEXT_1H,
        [(0, "customer", "q1"), (10, "bot", "auto"), (20, "customer", "q2"), (100, "agent", "r2")],
        {},
        600,
        NA,
        None,
        None,
        "no customer message after a staff reply",
        None,
        id="bot-is-no-staff-reply",
    ),
    pytest.param(
        {**NEXT_1H, "bots_are_agents": True},
        [(0, "customer", "q1"), (10, "bot", "auto"), (20, "customer", "q2"), (100, "agent", "r2")],
        {},
        600,
        FAILED,
        80 * MIN,
        HOUR,
        "reply to message #3",
        2,
        id="bot-is-staff-with-bots-are-agents",
    ),
]


@pytest.mark.parametrize(
    "rule, conversation, fields, as_of, status, measured, target, reason, blamed", NEXT_REPLY_CASES
)
def test_next_reply(rule, conversation, fields, as_of, status, measured, target, reason, blamed):
    outcome = judge(rule, make_ticket(conversation, **fields), as_of)
    expect(outcome, status, measured=measured, target=target, reason=reason)
    if blamed is not None:
        assert outcome.message is not None and outcome.message.index == blamed


# -- resolution ----------------------------------------------------------------------------------

RESOLVE_4H = {"check": "response_time", "metric": "resolution", "target": "4h"}
REOPENED = [
    (0, "customer", "broken"),
    (10, "agent", "fixed"),
    (60, "system", "", "solved"),
    (120, "customer", "still broken", "open"),
    (130, "agent", "now fixed"),
    (300, "system", "", "solved"),
]

# (rule, conversation, ticket fields, as_of, status, measured, target, reason)
RESOLUTION_CASES = [
    pytest.param(
        RESOLVE_4H,
        REOPENED,
        {},
        600,
        FAILED,
        300 * MIN,
        4 * HOUR,
        "resolution took 5h, over the target 4h by 1h",
        id="reopened-last-resolution-default",
    ),
    pytest.param(
        {**RESOLVE_4H, "resolution": "last"},
        REOPENED,
        {},
        600,
        FAILED,
        300 * MIN,
        4 * HOUR,
        "resolution took 5h",
        id="reopened-last-resolution",
    ),
    pytest.param(
        {**RESOLVE_4H, "resolution": "first"},
        REOPENED,
        {},
        600,
        PASSED,
        HOUR,
        4 * HOUR,
        "",
        id="reopened-first-resolution",
    ),
    pytest.param(
        {**RESOLVE_4H, "resolution": "first"},
        REOPENED[:4],
        {},
        600,
        PASSED,
        HOUR,
        4 * HOUR,
        "",
        id="first-resolution-survives-an-open-reopen",
    ),
    pytest.param(
        RESOLVE_4H,
        REOPENED[:4],
        {},
        200,
        PENDING,
        200 * MIN,
        4 * HOUR,
        "not resolved yet; 40m left",
        id="reopened-and-open-last-pending",
    ),
    pytest.param(
        RESOLVE_4H,
        REOPENED[:4],
        {},
        600,
        FAILED,
        600 * MIN,
        4 * HOUR,
        "breached: not resolved yet after 10h",
        id="reopened-and-open-last-breached",
    ),
    pytest.param(
        RESOLVE_4H,
        [(0, "customer", "hi", "new"), (10, "agent", "on it", "open")],
        {},
        120,
        PENDING,
        2 * HOUR,
        4 * HOUR,
        "not resolved yet",
        id="unresolved-pending",
    ),
    pytest.param(
        RESOLVE_4H,
        [(0, "customer", "hi", "new"), (10, "agent", "on it", "open")],
        {},
        241,
        FAILED,
        241 * MIN,
        4 * HOUR,
        "breached: not resolved yet after 4h 1m",
        id="unresolved-breached",
    ),
    pytest.param(
        RESOLVE_4H,
        [(0, "customer", "hi"), (30, "agent", "done", "solved"), (40, "system", "", "closed")],
        {},
        600,
        PASSED,
        30 * MIN,
        4 * HOUR,
        "",
        id="solved-then-closed-is-one-resolution",
    ),
    pytest.param(
        {**RESOLVE_4H, "resolved_statuses": ["done"]},
        [(0, "customer", "hi"), (30, "agent", "x", "solved"), (90, "agent", "y", "Done")],
        {},
        600,
        PASSED,
        90 * MIN,
        4 * HOUR,
        "",
        id="custom-resolved-statuses",
    ),
    pytest.param(RESOLVE_4H, [], {"resolved_at": 180}, 600, PASSED, 3 * HOUR, 4 * HOUR, "", id="resolved-at-column"),
    pytest.param(
        RESOLVE_4H,
        [],
        {"resolved_at": secs(4 * HOUR + 1)},
        600,
        FAILED,
        4 * HOUR + 1,
        4 * HOUR,
        "by 1s",
        id="resolved-at-column-one-second-late",
    ),
    pytest.param(
        RESOLVE_4H,
        [],
        {"resolved_at": None},
        60,
        PENDING,
        HOUR,
        4 * HOUR,
        "not resolved yet",
        id="blank-resolved-at-pending",
    ),
    pytest.param(
        RESOLVE_4H,
        [],
        {"status": "open"},
        300,
        FAILED,
        5 * HOUR,
        4 * HOUR,
        "breached: not resolved yet",
        id="open-status-column-breached",
    ),
    pytest.param(
        RESOLVE_4H,
        [],
        {"status": "solved"},
        600,
        NA,
        None,
        None,
        "needs resolved_at",
        id="solved-status-column-without-time",
    ),
    pytest.param(
        RESOLVE_4H,
        [(0, "customer", "hi"), (10, "agent", "ok")],
        {"status": "closed"},
        600,
        NA,
        None,
        None,
        "needs resolved_at",
        id="closed-status-column-messages-without-events",
    ),
    pytest.param(
        RESOLVE_4H,
        [],
        {"status": "solved", "resolved_at": 120},
        600,
        PASSED,
        2 * HOUR,
        4 * HOUR,
        "",
        id="solved-status-column-with-resolved-at",
    ),
    pytest.param(
        RESOLVE_4H,
        [(0, "customer", "hi"), (10, "agent", "hello")],
        {},
        600,
        NA,
        None,
        None,
        "needs status events, a status column or resolved_at",
        id="no-status-data",
    ),
]


@pytest.mark.parametrize("rule, conversation, fields, as_of, status, measured, target, reason", RESOLUTION_CASES)
def test_resolution(rule, conversation, fields, as_of, status, measured, target, reason):
    outcome = judge(rule, make_ticket(conversation, **fields), as_of)
    expect(outcome, status, measured=measured, target=target, reason=reason)


# -- requester_wait ------------------------------------------------------------------------------

WAIT_1H = {"check": "response_time", "metric": "requester_wait", "target": "1h"}
TWO_WAITS = [(0, "customer", "q1"), (30, "agent", "r1"), (40, "customer", "q2"), (60, "agent", "r2")]

# (rule, conversation, ticket fields, as_of, status, measured, target, reason)
REQUESTER_WAIT_CASES = [
    pytest.param(WAIT_1H, TWO_WAITS, {}, 600, PASSED, 50 * MIN, HOUR, "", id="sum-of-waits"),
    pytest.param(
        {**WAIT_1H, "target": "45m"},
        TWO_WAITS,
        {},
        600,
        FAILED,
        50 * MIN,
        45 * MIN,
        "customer waited 50m in all (target 45m)",
        id="sum-over-target",
    ),
    pytest.param(
        {**WAIT_1H, "target": "50m"}, TWO_WAITS, {}, 600, PASSED, 50 * MIN, 50 * MIN, "", id="sum-exactly-at-target"
    ),
    pytest.param(
        WAIT_1H,
        TWO_WAITS,
        {"created_at": -15},
        600,
        FAILED,
        65 * MIN,
        HOUR,
        "customer waited 1h 5m",
        id="first-wait-from-creation",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "customer", "q1"), (30, "agent", "r1"), (40, "customer", "q2")],
        {},
        50,
        PENDING,
        40 * MIN,
        HOUR,
        "customer still waiting; customer waited 40m",
        id="ongoing-wait-pending",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "customer", "q1"), (30, "agent", "r1"), (40, "customer", "q2")],
        {},
        71,
        FAILED,
        HOUR + MIN,
        HOUR,
        "customer waited 1h 1m in all",
        id="ongoing-wait-over-target",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "customer", "q1"), (30, "agent", "r1"), (40, "customer", "thanks"), (45, "system", "", "solved")],
        {},
        600,
        PASSED,
        35 * MIN,
        HOUR,
        "",
        id="resolution-ends-a-wait",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "customer", "q1"), (5, "customer", "q1 again"), (30, "agent", "r1")],
        {},
        600,
        PASSED,
        30 * MIN,
        HOUR,
        "",
        id="customer-burst-is-one-wait",
    ),
    pytest.param(
        WAIT_1H,
        [
            (0, "customer", "q1"),
            (10, "agent", "r1"),
            (15, "agent", "r1 more"),
            (40, "customer", "q2"),
            (50, "agent", "r2"),
        ],
        {},
        600,
        PASSED,
        20 * MIN,
        HOUR,
        "",
        id="agent-burst-does-not-wait",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "Thanks!")],
        {"status": "solved", "resolved_at": 25},
        600,
        PASSED,
        15 * MIN,
        HOUR,
        "",
        id="resolved-at-column-ends-the-last-wait",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "Thanks!")],
        {"status": "solved"},
        600,
        PASSED,
        10 * MIN,
        HOUR,
        "",
        id="solved-without-time-drops-the-last-wait",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "customer", "q1"), (10, "agent", "r1"), (20, "customer", "more")],
        {"status": "open"},
        600,
        FAILED,
        10 * MIN + 580 * MIN,
        HOUR,
        "",
        id="open-status-column-wait-runs-on",
    ),
    pytest.param(
        WAIT_1H,
        [(0, "agent", "We noticed an issue"), (10, "agent", "Fixed it")],
        {},
        600,
        NA,
        None,
        None,
        "never waited",
        id="outbound-only-no-wait",
    ),
    pytest.param(WAIT_1H, [], {"first_reply_at": 10}, 600, NA, None, None, "needs message rows", id="ticket-rows-only"),
]


@pytest.mark.parametrize("rule, conversation, fields, as_of, status, measured, target, reason", REQUESTER_WAIT_CASES)
def test_requester_wait(rule, conversation, fields, as_of, status, measured, target, reason):
    outcome = judge(rule, make_ticket(conversation, **fields), as_of)
    expect(outcome, status, measured=measured, target=target, reason=reason)


def test_requester_wait_sum_is_in_evidence():
    outcome = judge(WAIT_1H, make_ticket(TWO_WAITS), 600)
    expect(outcome, PASSED, evidence="customer waited 50m in all (target 1h)")


# -- pause_statuses ------------------------------------------------------------------------------

PAUSED_30M = [  # waiting on the customer from 10 to 40: 30 minutes off the clock
    (0, "customer", "hi"),
    (10, "system", "", "pending"),
    (40, "system", "", "open"),
    (70, "agent", "answer"),
]

# (rule, conversation, as_of, status, measured, target, due minutes)
PAUSE_CASES = [
    pytest.param(FIRST_1H, PAUSED_30M, 600, FAILED, 70 * MIN, HOUR, 60, id="no-pause-statuses"),
    pytest.param(
        {**FIRST_1H, "pause_statuses": ["pending"]}, PAUSED_30M, 600, PASSED, 40 * MIN, HOUR, 90, id="pending-excluded"
    ),
    pytest.param(
        {**FIRST_1H, "pause_statuses": ["Pending", "on-hold"]},
        PAUSED_30M,
        600,
        PASSED,
        40 * MIN,
        HOUR,
        90,
        id="pause-status-case-insensitive",
    ),
    pytest.param(
        {**FIRST_1H, "pause_statuses": ["pending"]},
        [
            (0, "customer", "hi"),
            (10, "system", "", "pending"),
            (secs(40 * MIN + 5), "system", "", "open"),
            (secs(91 * MIN), "agent", "answer"),
        ],
        600,
        FAILED,
        91 * MIN - 30 * MIN - 5,
        HOUR,
        secs(90 * MIN + 5),
        id="pause-exact-seconds",
    ),
    pytest.param(
        {**FIRST_1H, "pause_statuses": ["pending"]},
        [(0, "customer", "hi"), (10, "system", "", "pending")],
        300,
        PENDING,
        10 * MIN,
        HOUR,
        None,
        id="open-pause-runs-until-as-of",
    ),
    pytest.param(
        {**FIRST_1H, "pause_statuses": ["pending"]},
        [
            (0, "customer", "hi"),
            (10, "agent", "need details", "pending"),
            (50, "customer", "here", "open"),
            (60, "agent", "fixed"),
        ],
        600,
        PASSED,
        10 * MIN,
        HOUR,
        None,
        id="reply-sets-pending",
    ),
    pytest.param(
        {**RESOLVE_4H, "pause_statuses": ["pending", "on-hold"]},
        [
            (0, "customer", "hi"),
            (30, "agent", "wait", "pending"),
            (90, "customer", "ok", "open"),
            (100, "system", "", "on-hold"),
            (130, "system", "", "open"),
            (300, "agent", "done", "solved"),
        ],
        600,
        PASSED,
        300 * MIN - 60 * MIN - 30 * MIN,
        4 * HOUR,
        None,
        id="resolution-two-pauses",
    ),
    pytest.param(
        {**WAIT_1H, "pause_statuses": ["on-hold"]},
        [(0, "customer", "q"), (10, "system", "", "on-hold"), (50, "system", "", "open"), (80, "agent", "r")],
        600,
        PASSED,
        40 * MIN,
        HOUR,
        None,
        id="requester-wait-excludes-pause",
    ),
]


@pytest.mark.parametrize("rule, conversation, as_of, status, measured, target, due", PAUSE_CASES)
def test_pause_statuses(rule, conversation, as_of, status, measured, target, due):
    outcome = judge(rule, make_ticket(conversation), as_of)
    expect(outcome, status, measured=measured, target=target)
    if due is not None:
        assert outcome.due_at == at(due)


# -- business calendars and working-day targets ----------------------------------------------------

OFFICE = {"office": {"timezone": "Europe/Moscow", "week": {"mon-fri": ["09:00-18:00"]}}}
FRIDAY_17_MSK = datetime(2026, 11, 6, 14, 0, tzinfo=UTC)  # Friday 17:00 in Moscow (UTC+3)


def msk(day: int, hour: int, minute: int = 0) -> datetime:
    """A Moscow wall-clock time in November 2026, as UTC (Moscow has no DST: UTC+3)."""
    return datetime(2026, 11, day, hour - 3, minute, tzinfo=UTC)


# (rule, reply, status, measured, target, due)
CALENDAR_CASES = [
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "2h"},
        msk(9, 10),
        PASSED,
        2 * HOUR,
        2 * HOUR,
        msk(9, 10),
        id="friday-evening-to-monday-morning",
    ),
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "1h"},
        msk(9, 10),
        FAILED,
        2 * HOUR,
        HOUR,
        None,
        id="friday-evening-to-monday-morning-late",
    ),
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "2h"},
        msk(9, 10).replace(second=1),
        FAILED,
        2 * HOUR + 1,
        2 * HOUR,
        msk(9, 10),
        id="one-working-second-over",
    ),
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "2h"},
        msk(7, 12),
        PASSED,
        HOUR,
        2 * HOUR,
        msk(9, 10),
        id="weekend-reply-counts-only-friday",
    ),
    pytest.param(
        {**FIRST_1H, "target": "2h"}, msk(9, 10), FAILED, 65 * HOUR, 2 * HOUR, msk(6, 19), id="same-ticket-on-24-7"
    ),
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "1bd"},
        msk(9, 16, 59),
        PASSED,
        HOUR + 7 * HOUR + 59 * MIN,
        9 * HOUR,
        msk(9, 17),
        id="1bd-met",
    ),
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "1bd"},
        msk(9, 17, 1),
        FAILED,
        HOUR + 8 * HOUR + MIN,
        9 * HOUR,
        msk(9, 17),
        id="1bd-missed",
    ),
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "2bd"},
        msk(10, 16),
        PASSED,
        HOUR + 9 * HOUR + 7 * HOUR,
        18 * HOUR,
        msk(10, 17),
        id="2bd-met",
    ),
    pytest.param(
        {**FIRST_1H, "target": "2bd"}, msk(8, 18), FAILED, 49 * HOUR, 2 * DAY, msk(8, 17), id="2bd-on-24-7-is-48h"
    ),
    pytest.param(
        {**FIRST_1H, "calendar": "office", "target": "1d"},
        msk(11, 12),
        PASSED,
        HOUR + 9 * HOUR + 9 * HOUR + 3 * HOUR,
        DAY,
        msk(11, 14),
        id="1d-is-24-counted-working-hours",
    ),
]


@pytest.mark.parametrize("rule, reply, status, measured, target, due", CALENDAR_CASES)
def test_business_calendar(rule, reply, status, measured, target, due):
    ticket = make_ticket([(FRIDAY_17_MSK, "customer", "help"), (reply, "agent", ANSWERED)], created_at=FRIDAY_17_MSK)
    outcome = judge(rule, ticket, msk(30, 12), calendars=OFFICE)
    expect(outcome, status, measured=measured, target=target)
    if due is not None:
        assert outcome.due_at == due


def test_business_calendar_pending_over_the_weekend():
    """Unanswered on Sunday: only Friday's working hour has run, so a 2h target is still pending."""
    ticket = make_ticket([(FRIDAY_17_MSK, "customer", "help")], created_at=FRIDAY_17_MSK)
    outcome = judge({**FIRST_1H, "calendar": "office", "target": "2h"}, ticket, msk(8, 23), calendars=OFFICE)
    expect(outcome, PENDING, measured=HOUR, target=2 * HOUR, reason="1h left")
    assert outcome.due_at == msk(9, 10)


def test_requester_wait_refuses_working_days():
    from svcaudit.errors import StandardError

    with pytest.raises(StandardError, match="working days"):
        judge({**WAIT_1H, "target": "1bd"}, make_ticket(TWO_WAITS), 600)


# (top-level keys of the standard, created, replied, measured working seconds)
CALENDAR_VARIANT_CASES = [
    pytest.param(
        {"timezone": "Europe/Moscow", "calendars": {"office": {"week": {"mon-fri": ["09:00-18:00"]}}}},
        FRIDAY_17_MSK,
        msk(9, 10),
        2 * HOUR,
        id="calendar-zone-defaults-to-standard-zone",
    ),
    pytest.param(
        {
            "calendars": {
                "office": {
                    "timezone": "Europe/Moscow",
                    "week": {"mon-fri": ["09:00-18:00"]},
                    "holidays": {"dates": ["2026-11-09"]},
                }
            }
        },
        FRIDAY_17_MSK,
        msk(10, 10),
        2 * HOUR,
        id="holiday-skipped",
    ),
    pytest.param(
        {"calendars": {"office": {"timezone": "Europe/Moscow", "week": {"mon-fri": ["09:00-13:00", "14:00-18:00"]}}}},
        msk(9, 12),
        msk(9, 15),
        2 * HOUR,
        id="lunch-break-skipped",
    ),
    pytest.param(
        {"calendars": {"office": {"timezone": "Europe/Berlin", "week": {"mon-fri": ["09:00-18:00"]}}}},
        datetime(2026, 10, 23, 15, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
        2 * HOUR,
        id="across-dst-end-friday-17-cest-to-monday-10-cet",
    ),
]


@pytest.mark.parametrize("top, created, replied, measured", CALENDAR_VARIANT_CASES)
def test_business_calendar_variants(top, created, replied, measured):
    ticket = make_ticket([(created, "customer", "help"), (replied, "agent", ANSWERED)], created_at=created)
    outcome = judge({**FIRST_1H, "calendar": "office", "target": "8h"}, ticket, msk(30, 12), **top)
    expect(outcome, PASSED, measured=measured, target=8 * HOUR)


def test_24_7_counts_the_extra_hour_when_dst_ends():
    created, replied = datetime(2026, 10, 23, 15, 0, tzinfo=UTC), datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    ticket = make_ticket([(created, "customer", "help"), (replied, "agent", ANSWERED)], created_at=created)
    expect(judge({**FIRST_1H, "target": "3d"}, ticket, msk(30, 12)), PASSED, measured=66 * HOUR, target=3 * DAY)
