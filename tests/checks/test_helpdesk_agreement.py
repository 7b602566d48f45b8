"""helpdesk_agreement: the helpdesk's figure against svcaudit's recomputation."""

from __future__ import annotations

import pytest

from tests.checks.helpers import FAILED, NA, PASSED, expect, judge, make_ticket

RULE = {"check": "helpdesk_agreement", "metric": "first_reply", "field": "zendesk_first_reply_minutes"}
ANSWERED = [(0, "customer", "help"), (32, "agent", "hello")]

# (rule, conversation, ticket fields, status, reason fragment)
CASES = [
    pytest.param(RULE, ANSWERED, {"zendesk_first_reply_minutes": "32"}, PASSED, "", id="agrees"),
    pytest.param(RULE, ANSWERED, {"zendesk_first_reply_minutes": "33"}, PASSED, "", id="within-tolerance"),
    pytest.param(
        RULE,
        ANSWERED,
        {"zendesk_first_reply_minutes": "30"},
        FAILED,
        "helpdesk says 30m, svcaudit measures 32m: 2m apart",
        id="disagrees",
    ),
    pytest.param(
        {**RULE, "tolerance": "5m"}, ANSWERED, {"zendesk_first_reply_minutes": "30"}, PASSED, "", id="wider-tolerance"
    ),
    pytest.param(
        {**RULE, "unit": "hours", "field": "hrs"},
        ANSWERED,
        {"hrs": "0,5"},
        FAILED,
        "2m apart",
        id="hours-with-decimal-comma",
    ),
    pytest.param(RULE, ANSWERED, {}, NA, "needs zendesk_first_reply_minutes", id="no-field"),
    pytest.param(
        RULE, [(0, "customer", "help")], {"zendesk_first_reply_minutes": "5"}, NA, "not measurable yet", id="unanswered"
    ),
    pytest.param(
        RULE,
        ANSWERED,
        {"zendesk_first_reply_minutes": "soon"},
        NA,
        "zendesk_first_reply_minutes 'soon' is not a duration",
        id="not-a-duration",
    ),
    pytest.param(
        RULE,
        ANSWERED,
        {"zendesk_first_reply_minutes": "-32"},
        NA,
        "zendesk_first_reply_minutes '-32' is negative",
        id="negative",
    ),
    # Freshdesk's UI export writes its "(in hrs)" figures as H:MM:SS.
    pytest.param(
        {**RULE, "field": "freshdesk_first_response_hours"},
        ANSWERED,
        {"freshdesk_first_response_hours": "0:32:00"},
        PASSED,
        "",
        id="h-mm-ss",
    ),
    pytest.param(
        {**RULE, "field": "freshdesk_first_response_hours"},
        ANSWERED,
        {"freshdesk_first_response_hours": "0:29:00"},
        FAILED,
        "helpdesk says 29m, svcaudit measures 32m: 3m apart",
        id="h-mm-ss-disagrees",
    ),
    pytest.param(RULE, ANSWERED, {"zendesk_first_reply_minutes": "32m"}, PASSED, "", id="with-a-unit"),
    # A bare number in a field named ..._hours is hours without `unit:`; `unit:` still wins.
    pytest.param(
        {**RULE, "field": "freshdesk_first_response_hours"},
        ANSWERED,
        {"freshdesk_first_response_hours": "0.5"},
        FAILED,
        "helpdesk says 30m",
        id="unit-from-name",
    ),
    pytest.param(
        {**RULE, "field": "freshdesk_first_response_hours", "unit": "minutes"},
        ANSWERED,
        {"freshdesk_first_response_hours": "32"},
        PASSED,
        "",
        id="unit-option-wins",
    ),
    pytest.param(
        {**RULE, "metric": "resolution", "field": "full"},
        [],
        {"resolved_at": 90, "full": "90", "status": "solved"},
        PASSED,
        "",
        id="resolution-from-rows",
    ),
]


@pytest.mark.parametrize("rule, conversation, fields, status, reason", CASES)
def test_helpdesk_agreement(rule, conversation, fields, status, reason):
    ticket = make_ticket(conversation, **fields)
    expect(judge(rule, ticket, 600), status, reason=reason or None)


def test_business_calendar_recomputation():
    calendar = {"office": {"week": {"mon-fri": ["09:00-17:00"]}}}
    rule = {**RULE, "calendar": "office", "field": "biz"}
    # Monday 09:00 UTC start; reply Monday 17:00 + Tuesday 09:30: 8h30m of office time.
    ticket = make_ticket([(0, "customer", "help"), (24 * 60 + 30, "agent", "hi")], biz="510")
    expect(judge(rule, ticket, 3000, calendars=calendar), PASSED, measured=510 * 60)
