"""The metric registry: each metric measured from a timeline and from a ticket row, and the enums.

A case is a metric, a conversation (minutes after START, role, text[, status]), ticket row fields,
and what is measured: spans as (label, start, end or None) in minutes after START, or the
fragment of the reason the ticket cannot be measured. A ticket row without messages is measured
both ways, through its timeline and through its columns (`ROW_END`, `open_columns`), and the two
must agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from svcaudit.checks.base import NEEDS_MESSAGE_ROWS, Outcome, Status
from svcaudit.checks.columns import ColumnVerdicts
from svcaudit.checks.helpdesk_agreement import HelpdeskAgreementCheck
from svcaudit.checks.metrics import METRICS, MeasuredSpan, Metric
from svcaudit.checks.response_time import ResponseTimeCheck
from svcaudit.checks.timeline import DEFAULT_RESOLVED_STATUSES, Timeline
from svcaudit.intake.model import Ticket
from svcaudit.standard.schema import standard_schema
from tests.audit.typed_rows import RowsAsColumns
from tests.checks.helpers import at, make_ticket

ASKED = (0, "customer", "My order is late")
ANSWER = "Let me check"
RESOLVED = DEFAULT_RESOLVED_STATUSES

# (metric, conversation, ticket row fields, spans or reason fragment)
TIMELINE_CASES = [
    pytest.param(
        "first_reply", [ASKED, (30, "agent", ANSWER)], {}, [("first reply", 0, 30)], id="first-reply-answered"
    ),
    pytest.param("first_reply", [ASKED], {}, [("first reply", 0, None)], id="first-reply-open"),
    pytest.param(
        "first_reply",
        [ASKED, (10, "system", "", "solved")],
        {},
        "resolved without a staff reply",
        id="first-reply-resolved-unanswered",
    ),
    pytest.param(
        "next_reply",
        [ASKED, (10, "agent", ANSWER), (20, "customer", "and?"), (50, "agent", ANSWER), (60, "customer", "still?")],
        {},
        [("reply to message #3", 20, 50), ("reply to message #5", 60, None)],
        id="next-reply-every-cycle",
    ),
    pytest.param(
        "next_reply",
        [ASKED, (10, "agent", ANSWER)],
        {},
        "no customer message after a staff reply",
        id="next-reply-no-cycle",
    ),
    pytest.param("next_reply", [], {"first_reply_at": 10}, NEEDS_MESSAGE_ROWS.reason, id="next-reply-needs-messages"),
    pytest.param(
        "resolution",
        [ASKED, (40, "agent", ANSWER, "solved")],
        {},
        [("resolution", 0, 40)],
        id="resolution-status-event",
    ),
    pytest.param(
        "resolution",
        [
            ASKED,
            (40, "agent", ANSWER, "solved"),
            (50, "customer", "no"),
            (55, "agent", "", "open"),
            (90, "agent", ANSWER, "solved"),
        ],
        {},
        [("resolution", 0, 90)],
        id="resolution-last-entry",
    ),
    pytest.param(
        "requester_wait",
        [ASKED, (10, "agent", ANSWER), (20, "customer", "and?"), (50, "agent", ANSWER)],
        {},
        [("customer waiting", 0, 10), ("customer waiting", 20, 50)],
        id="requester-wait-spans",
    ),
    pytest.param("requester_wait", [], {}, NEEDS_MESSAGE_ROWS.reason, id="requester-wait-needs-messages"),
    pytest.param(
        "first_reply", [], {"created_at": None, "first_reply_at": 10}, "needs created_at", id="needs-created-at"
    ),
]

# Ticket rows without messages, for the metrics a row can measure: (metric, fields, spans or reason)
ROW_CASES = [
    pytest.param("first_reply", {"first_reply_at": 45}, [("first reply", 0, 45)], id="first-reply-column"),
    pytest.param("first_reply", {"first_reply_at": None}, [("first reply", 0, None)], id="first-reply-blank-open"),
    pytest.param(
        "first_reply",
        {"first_reply_at": None, "status": "solved"},
        "resolved without a staff reply",
        id="first-reply-blank-solved",
    ),
    pytest.param(
        "first_reply",
        {"first_reply_at": None, "resolved_at": 30},
        "resolved without a staff reply",
        id="first-reply-blank-resolved-at",
    ),
    pytest.param("first_reply", {"status": "open"}, "needs message rows or first_reply_at", id="first-reply-no-column"),
    pytest.param("resolution", {"resolved_at": 90}, [("resolution", 0, 90)], id="resolution-column"),
    pytest.param("resolution", {"resolved_at": None}, [("resolution", 0, None)], id="resolution-blank-open"),
    pytest.param("resolution", {"status": "open"}, [("resolution", 0, None)], id="resolution-open-status"),
    pytest.param(
        "resolution",
        {"status": "closed"},
        "resolved, but not when: needs resolved_at or status events",
        id="resolution-closed-no-time",
    ),
    pytest.param(
        "resolution",
        {"priority": "high"},
        "needs status events, a status column or resolved_at",
        id="resolution-no-column",
    ),
]


def _shown(measured: list[MeasuredSpan] | Outcome) -> Any:
    """Spans as (label, start, end) in minutes after START; an Outcome as its reason."""
    if isinstance(measured, Outcome):
        assert measured.status is Status.NOT_APPLICABLE
        return measured.reason
    start = at(0)
    return [
        (
            s.label,
            (s.start - start).total_seconds() / 60,
            None if s.end is None else (s.end - start).total_seconds() / 60,
        )
        for s in measured
    ]


def _from_timeline(metric: Metric, ticket: Ticket) -> Any:
    return _shown(metric.measure(ticket, Timeline(ticket), RESOLVED, "last"))


def _from_row(metric: Metric, ticket: Ticket) -> Any:
    """What the columnar core reads: the span from created_at to the `ROW_END` column, or what
    `open_columns` settles for a row whose end column is empty."""
    assert metric.ROW_END is not None and ticket.created_at is not None
    end = getattr(ticket, metric.ROW_END)
    if end is None:
        verdicts = ColumnVerdicts(1)
        status = ticket.status
        resolved = np.array([status in RESOLVED if status is not None else ticket.resolved_at is not None])
        metric.open_columns(verdicts, RowsAsColumns([ticket], ticket.columns), np.ones(1, dtype=bool), resolved)
        if not verdicts.open[0]:
            return verdicts.texts[verdicts.reasons[0]]
    return _shown([MeasuredSpan(metric.LABEL, ticket.created_at, end, None)])


def _expected(spans_or_reason: Any) -> Any:
    if isinstance(spans_or_reason, str):
        return spans_or_reason
    return [(label, start, end) for label, start, end in spans_or_reason]


@pytest.mark.parametrize("name, conversation, fields, expected", TIMELINE_CASES)
def test_measured_from_a_timeline(name, conversation, fields, expected):
    measured = _from_timeline(METRICS[name], make_ticket(conversation, **fields))
    if isinstance(expected, str):
        assert isinstance(measured, str) and expected in measured
    else:
        assert measured == _expected(expected)


@pytest.mark.parametrize("name, fields, expected", ROW_CASES)
def test_measured_from_a_row_as_from_its_timeline(name, fields, expected):
    metric = METRICS[name]
    ticket = make_ticket([], **fields)
    assert _from_row(metric, ticket) == _from_timeline(metric, ticket) == _expected(expected)


def test_metrics_without_a_row_column_need_message_rows():
    ticket = make_ticket([], first_reply_at=10, resolved_at=20)
    for metric in METRICS.values():
        if metric.ROW_END is None:
            assert metric.measure(ticket, Timeline(ticket), RESOLVED, "last") == NEEDS_MESSAGE_ROWS


def test_registry_holds_each_metric_once_by_name():
    assert list(METRICS) == ["first_reply", "next_reply", "resolution", "requester_wait"]
    for name, metric in METRICS.items():
        assert metric.NAME == name and metric.LABEL


def test_what_each_metric_says_of_itself():
    table = {name: (m.ADDS_UP, m.ONE_FIGURE, m.READS_ROLES, m.ROW_END, m.UNANSWERED) for name, m in METRICS.items()}
    assert table == {
        "first_reply": (False, True, True, "first_reply_at", "no reply yet"),
        "next_reply": (False, False, True, None, "no reply yet"),
        "resolution": (False, True, False, "resolved_at", "not resolved yet"),
        "requester_wait": (True, True, True, None, "no reply yet"),
    }


def _metric_enums(node: Any, found: list[list[str]]) -> list[list[str]]:
    """Every `metric` option's enum in a schema, in document order."""
    if isinstance(node, dict):
        metric = node.get("metric")
        if isinstance(metric, dict) and "enum" in metric:
            found.append(metric["enum"])
        for value in node.values():
            _metric_enums(value, found)
    elif isinstance(node, list):
        for value in node:
            _metric_enums(value, found)
    return found


def test_metric_enums_come_from_the_registry():
    every = list(METRICS)
    one_figure = [name for name, m in METRICS.items() if m.ONE_FIGURE]
    assert ResponseTimeCheck.OPTIONS["metric"]["enum"] == every
    assert (
        HelpdeskAgreementCheck.OPTIONS["metric"]["enum"]
        == one_figure
        == ["first_reply", "resolution", "requester_wait"]
    )
    enums = _metric_enums(standard_schema(), [])
    assert every in enums and one_figure in enums


def test_a_new_metric_is_one_class():
    class Opened(Metric):
        NAME = "test_opened"
        LABEL = "opened"

    try:
        assert METRICS["test_opened"].LABEL == "opened"
        assert isinstance(METRICS["test_opened"], Opened)
    finally:
        del METRICS["test_opened"]
