"""score: CSAT, NPS and CES over all audited tickets, values worked out by hand.

Each case is a row: rule options, the answers of the audited tickets (None: the ticket has no answer),
and the expected status, measured value and reason or evidence fragment.
"""

from __future__ import annotations

import pytest

from svcaudit.errors import StandardError
from tests.checks.helpers import FAILED, NA, PASSED, finish, make_ticket, run, standard, tally


def tickets(metric: str, answers: list) -> list:
    """One ticket row per answer; None leaves the score cell blank."""
    return [make_ticket(ticket_id=f"T{n}", row=n + 1, **{metric: answer}) for n, answer in enumerate(answers, 1)]


def observed(rule_options: dict, answers: list):
    std = standard(rule_options)
    check = std.checks[0]
    state = check.new_state()
    for ticket in tickets(rule_options["metric"], answers):
        check.observe(state, ticket)
    return check, state


# (rule, answers, status, measured value, fragment of reason (failed/not applicable) or evidence)
CASES = [
    # CSAT = share of 4-5 answers
    pytest.param(
        {"check": "score", "metric": "csat", "min": "60%"},
        [5, 4, 3, 5, 1],
        PASSED,
        3 / 5,
        "CSAT 60.0%; 5 answers, 0 tickets without one",
        id="csat-at-min",
    ),
    pytest.param(
        {"check": "score", "metric": "csat", "min": "61%"},
        [5, 4, 3, 5, 1],
        FAILED,
        3 / 5,
        "CSAT 60.0% is below the minimum 61.0%",
        id="csat-below-min",
    ),
    pytest.param(
        {"check": "score", "metric": "csat", "min": "90%"},
        [5, None, 4, None, 3],
        FAILED,
        2 / 3,
        "",
        id="csat-unanswered-left-out",
    ),
    pytest.param(
        {"check": "score", "metric": "csat", "min": "50%"}, [4.5, 3.9], PASSED, 1 / 2, "", id="csat-fractional-answers"
    ),
    # NPS = % promoters (9-10) - % detractors (0-6)
    pytest.param(
        {"check": "score", "metric": "nps", "min": -5}, [10, 9, 8, 7, 6, 0], PASSED, 0.0, "NPS +0.0", id="nps-zero"
    ),
    pytest.param(
        {"check": "score", "metric": "nps", "min": 5},
        [10, 9, 8, 7, 6, 0],
        FAILED,
        0.0,
        "NPS +0.0 is below the minimum +5.0",
        id="nps-zero-below-min",
    ),
    pytest.param({"check": "score", "metric": "nps", "min": 50}, [10, 10, 10, 0], PASSED, 50.0, "", id="nps-fifty"),
    pytest.param(
        {"check": "score", "metric": "nps", "min": -40}, [0, 6, 10], PASSED, -100 / 3, "NPS -33.3", id="nps-negative"
    ),
    pytest.param(
        {"check": "score", "metric": "nps", "min": 30},
        [9, 9, 8, 7],
        PASSED,
        50.0,
        "",
        id="nps-passives-count-in-the-denominator",
    ),
    pytest.param(
        {"check": "score", "metric": "nps", "min": 100},
        [10, None, 9],
        PASSED,
        100.0,
        "2 answers, 1 tickets without one",
        id="nps-unanswered-left-out",
    ),
    # CES = mean effort, lower is better
    pytest.param(
        {"check": "score", "metric": "ces", "max": 2.5}, [1, 2, 3, 4], PASSED, 2.5, "CES 2.50", id="ces-at-max"
    ),
    pytest.param(
        {"check": "score", "metric": "ces", "max": 2.4},
        [1, 2, 3, 4],
        FAILED,
        2.5,
        "CES 2.50 is above the maximum 2.40",
        id="ces-above-max",
    ),
    pytest.param(
        {"check": "score", "metric": "ces", "max": 1}, [1, 2], FAILED, 1.5, "above the maximum 1.00", id="ces-max-one"
    ),
    pytest.param(
        {"check": "score", "metric": "ces", "max": 3}, [7, None, 1, None], FAILED, 4.0, "", id="ces-unanswered-left-out"
    ),
    # not enough answers
    pytest.param(
        {"check": "score", "metric": "csat", "min": "80%", "min_responses": 5},
        [5, 5, 5, 5, None],
        NA,
        None,
        "needs at least 5 csat answers, got 4",
        id="min-responses-not-reached",
    ),
    pytest.param(
        {"check": "score", "metric": "csat", "min": "80%", "min_responses": 4},
        [5, 5, 5, 1, None],
        FAILED,
        3 / 4,
        "",
        id="min-responses-reached",
    ),
    pytest.param(
        {"check": "score", "metric": "nps", "min": 10}, [None, None], NA, None, "got 0", id="no-answers-at-all"
    ),
    pytest.param({"check": "score", "metric": "ces", "max": 3}, [], NA, None, "got 0", id="no-tickets"),
]


@pytest.mark.parametrize("rule_options, answers, status, value, text", CASES)
def test_score(rule_options, answers, status, value, text):
    check, state = observed(rule_options, answers)
    outcome = check.finish(state)
    assert outcome.status is status, outcome
    if value is None:
        assert outcome.measured_value is None
    else:
        assert outcome.measured_value == pytest.approx(value)
    if status is PASSED:
        assert text in (outcome.evidence or "")
    else:
        assert text in outcome.reason


def test_failure_counts_answers_and_unanswered_in_evidence():
    check, state = observed({"check": "score", "metric": "csat", "min": "90%"}, [5, None, 1, None, None])
    outcome = check.finish(state)
    assert outcome.evidence == "2 answers, 3 tickets without one"
    assert (outcome.field, outcome.target_value) == ("csat", pytest.approx(0.9))


@pytest.mark.parametrize(
    "metric, answers",
    [
        ("csat", [5, 4, 3, None, 1, 2, 5]),
        ("nps", [10, 9, 8, 7, 6, 0, None]),
        ("ces", [1, 7, None, 3.5, 2]),
    ],
)
@pytest.mark.parametrize("cut", [0, 2, 4, 7])
def test_merge_of_two_states_equals_state_of_all(metric, answers, cut):
    threshold = {"csat": ("min", "50%"), "nps": ("min", 10), "ces": ("max", 3)}[metric]
    options = {"check": "score", "metric": metric, threshold[0]: threshold[1]}
    check, everything = observed(options, answers)
    _, left = observed(options, answers[:cut])
    _, right = observed(options, answers[cut:])
    merged = check.merge(left, right)
    assert merged == everything
    assert check.finish(merged) == check.finish(everything)


# (rule, answers, expected tally, violations)
ENGINE_CASES = [
    pytest.param(
        {"check": "score", "metric": "csat", "min": "80%"},
        [5, 5, 1],
        {"failed": 1},
        1,
        id="one-failed-result-for-the-whole-audit",
    ),
    pytest.param(
        {"check": "score", "metric": "csat", "min": "60%"}, [5, 5, 1], {"passed": 1}, 0, id="one-passed-result"
    ),
    pytest.param(
        {"check": "score", "metric": "csat", "min": "60%", "min_responses": 10},
        [5, 5, 1],
        {"not_applicable": 1},
        0,
        id="one-not-applicable-result",
    ),
]


@pytest.mark.parametrize("rule_options, answers, counts, violations", ENGINE_CASES)
def test_score_through_the_engine(rule_options, answers, counts, violations):
    audit = run(standard(rule_options), tickets(rule_options["metric"], answers))
    assert tally(audit) == {}  # nothing is judged ticket by ticket
    result = finish(audit)
    assert tally(audit) == counts
    assert len(result.violations) == violations
    for violation in result.violations:
        assert violation.ticket_id is None and violation.measured_value is not None


def test_score_value_recorded_on_the_rule_result():
    audit = run(standard({"check": "score", "metric": "nps", "min": -100}), tickets("nps", [10, 0, 0]))
    finish(audit)
    assert audit.results[0].value == pytest.approx(-33.3333)


def test_where_scopes_the_aggregate():
    rule_options = {"check": "score", "metric": "csat", "min": "100%", "where": {"channel": "chat"}}
    scored = [make_ticket(ticket_id="A", channel="chat", csat=5), make_ticket(ticket_id="B", channel="email", csat=1)]
    audit = run(standard(rule_options), scored)
    finish(audit)
    assert tally(audit) == {"passed": 1}
    assert audit.results[0].value == 1.0


# (rule, answers, status, measured value): thresholds written as plain numbers from 0 to 1
NUMERIC_THRESHOLD_CASES = [
    pytest.param(
        {"check": "score", "metric": "csat", "min": 0.75}, [5, 4, 4, 2], PASSED, 3 / 4, id="csat-min-as-share"
    ),
    pytest.param({"check": "score", "metric": "csat", "min": 1}, [5, 4, 4, 2], FAILED, 3 / 4, id="csat-min-one"),
    pytest.param({"check": "score", "metric": "nps", "min": 0}, [10, 9, 8, 7, 6, 0], PASSED, 0.0, id="nps-min-zero"),
    pytest.param({"check": "score", "metric": "nps", "min": 1}, [10, 9, 8, 7, 6, 0], FAILED, 0.0, id="nps-min-one"),
]


@pytest.mark.parametrize("rule_options, answers, status, value", NUMERIC_THRESHOLD_CASES)
def test_numeric_min_from_zero_to_one(rule_options, answers, status, value):
    check, state = observed(rule_options, answers)
    outcome = check.finish(state)
    assert outcome.status is status
    assert outcome.measured_value == pytest.approx(value)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"metric": "nps", "min": "30%"}, "not a percentage"),
        ({"metric": "nps", "min": 101}, "between -100 and 100"),
        ({"metric": "csat"}, "give `min`"),
    ],
)
def test_bad_thresholds_are_refused(options, message):
    with pytest.raises(StandardError, match=message):
        standard({"check": "score", **options})
