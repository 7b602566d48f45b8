"""resolution: the ticket ends resolved, reopened at most `max_reopens` times.

Each case is a row: rule options, conversation (minutes after START, role, text, status), ticket
fields, and the expected status, reason fragment and measured reopen count.
"""

from __future__ import annotations

import pytest

from tests.checks.helpers import FAILED, NA, PASSED, PENDING, expect, judge, make_ticket, run, standard

RESOLVED = {"check": "resolution"}
NO_REOPENS = {"check": "resolution", "max_reopens": 0}
ONE_REOPEN = {"check": "resolution", "max_reopens": 1}

SOLVED_ONCE = [(0, "customer", "broken"), (10, "agent", "fixed", "solved")]
REOPENED_ONCE = [
    (0, "customer", "broken"),
    (10, "agent", "fixed", "solved"),
    (20, "customer", "still broken", "open"),
    (30, "agent", "fixed now", "solved"),
]
REOPENED_TWICE = REOPENED_ONCE + [(40, "customer", "again!", "open"), (50, "agent", "sorry", "closed")]

# (rule, conversation, ticket fields, status, reason fragment, measured reopens)
CASES = [
    pytest.param(RESOLVED, SOLVED_ONCE, {}, PASSED, "", None, id="solved-by-event"),
    pytest.param(
        RESOLVED,
        [(0, "customer", "?"), (10, "system", "", "Closed")],
        {},
        PASSED,
        "",
        None,
        id="closed-by-event-case-folded",
    ),
    pytest.param(
        RESOLVED,
        [(0, "customer", "?"), (10, "agent", "ok")],
        {"status": "Resolved"},
        PASSED,
        "",
        None,
        id="resolved-status-column",
    ),
    pytest.param(RESOLVED, [], {"resolved_at": 30}, PASSED, "", None, id="resolved-at-column-only"),
    pytest.param(
        RESOLVED,
        [(0, "customer", "?"), (10, "agent", "on it", "open")],
        {},
        PENDING,
        "not resolved yet (status open)",
        None,
        id="unresolved-event-pending",
    ),
    pytest.param(
        RESOLVED,
        [],
        {"status": "pending"},
        PENDING,
        "not resolved yet (status pending)",
        None,
        id="unresolved-status-column-pending",
    ),
    pytest.param(
        RESOLVED,
        [(0, "customer", "?"), (10, "agent", "done", "solved")],
        {"status": "open"},
        PASSED,
        "",
        None,
        id="events-win-over-status-column",
    ),
    pytest.param(
        {"check": "resolution", "resolved_statuses": ["done"]},
        SOLVED_ONCE,
        {},
        PENDING,
        "not resolved yet (status solved)",
        None,
        id="custom-resolved-statuses-exclude",
    ),
    pytest.param(
        {"check": "resolution", "resolved_statuses": ["Done"]},
        [(0, "customer", "?"), (10, "agent", "ok", "done")],
        {},
        PASSED,
        "",
        None,
        id="custom-resolved-statuses",
    ),
    # reopenings from status events
    pytest.param(NO_REOPENS, SOLVED_ONCE, {}, PASSED, "", None, id="solved-once-no-reopens"),
    pytest.param(NO_REOPENS, REOPENED_ONCE, {}, FAILED, "reopened 1 time (at most 0)", 1, id="reopened-once-over-zero"),
    pytest.param(ONE_REOPEN, REOPENED_ONCE, {}, PASSED, "", None, id="reopened-once-allowed"),
    pytest.param(
        ONE_REOPEN, REOPENED_TWICE, {}, FAILED, "reopened 2 times (at most 1)", 2, id="reopened-twice-over-one"
    ),
    pytest.param(
        NO_REOPENS, REOPENED_ONCE[:3], {}, FAILED, "reopened 1 time", 1, id="reopened-and-still-open-fails-at-once"
    ),
    pytest.param(
        ONE_REOPEN,
        REOPENED_ONCE[:3],
        {},
        PENDING,
        "not resolved yet (status open)",
        None,
        id="reopened-within-limit-still-open-pending",
    ),
    pytest.param(
        NO_REOPENS,
        [(0, "customer", "?"), (10, "agent", "x", "solved"), (20, "system", "", "closed")],
        {},
        PASSED,
        "",
        None,
        id="solved-then-closed-is-no-reopen",
    ),
    pytest.param(
        NO_REOPENS,
        [
            (0, "customer", "?", "new"),
            (5, "agent", "x", "open"),
            (10, "agent", "y", "pending"),
            (20, "agent", "z", "solved"),
        ],
        {},
        PASSED,
        "",
        None,
        id="statuses-before-resolution-are-no-reopen",
    ),
    # reopenings from the reopens column
    pytest.param(NO_REOPENS, [], {"status": "closed", "reopens": 0}, PASSED, "", None, id="reopens-column-zero"),
    pytest.param(
        ONE_REOPEN,
        [],
        {"status": "closed", "reopens": 2},
        FAILED,
        "reopened 2 times (at most 1)",
        2,
        id="reopens-column-over",
    ),
    pytest.param(
        NO_REOPENS,
        SOLVED_ONCE,
        {"reopens": 1},
        FAILED,
        "reopened 1 time",
        1,
        id="reopens-column-with-events-larger-wins",
    ),
    pytest.param(
        NO_REOPENS,
        [],
        {"status": "closed"},
        NA,
        "needs status events or a reopens column",
        None,
        id="max-reopens-without-reopen-data",
    ),
    pytest.param(
        RESOLVED, [], {"status": "closed", "reopens": 5}, PASSED, "", None, id="reopens-not-checked-without-max"
    ),
    # no status data at all
    pytest.param(
        RESOLVED,
        [(0, "customer", "?"), (10, "agent", "ok")],
        {},
        NA,
        "needs status events, a status column or resolved_at",
        None,
        id="no-status-data",
    ),
    pytest.param(
        NO_REOPENS,
        [],
        {},
        NA,
        "needs status events, a status column or resolved_at",
        None,
        id="ticket-row-without-status",
    ),
]


@pytest.mark.parametrize("rule_options, conversation, fields, status, reason, reopens", CASES)
def test_resolution(rule_options, conversation, fields, status, reason, reopens):
    outcome = judge(rule_options, make_ticket(conversation, **fields))
    expect(outcome, status, reason=reason)
    if reopens is not None:
        assert outcome.measured_value == reopens
        assert outcome.field == "reopens"


def test_reopen_failure_evidence_is_the_status_trail():
    outcome = judge(NO_REOPENS, make_ticket(REOPENED_ONCE))
    expect(outcome, FAILED, evidence="solved #2 → open #3 → solved #4")
    assert outcome.target_value == 0


def test_reopen_violation_points_at_the_ticket_row():
    audit = run(standard(NO_REOPENS), [make_ticket([], status="closed", reopens=3, row=7)])
    [violation] = audit.violations
    assert (violation.path, violation.row, violation.field) == ("tickets.csv", 7, "reopens")
    assert violation.measured_value == 3
