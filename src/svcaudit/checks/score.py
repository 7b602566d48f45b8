"""score: satisfaction over all audited tickets in scope: CSAT, NPS or CES against a threshold.

Options:
  metric: csat | nps | ces      (required)
  min: 90%          CSAT as a share (or 0.9); NPS as a number from -100 to 100
  max: 2.5          CES (mean effort, lower is better)
  min_responses: 1  fewer answers than this make the rule not applicable

CSAT = share of answers 4-5 on a 1-5 scale; NPS = % promoters (9-10) - % detractors (0-6), from -100
to +100; CES = mean effort score (1-7, lower is better). Tickets without an answer are left out and
counted. The rule is judged once for the whole audit and contributes one result to compliance.

Passes:  {metric: csat, min: 80%} when 9 of 10 answers are 4 or 5 (CSAT 90%).
Fails:   {metric: nps, min: 30} when NPS is 12.
"""

from __future__ import annotations

from typing import Any

from svcaudit import reasons
from svcaudit.checks.base import (
    AggregateCheck,
    CheckConfigError,
    CheckEnv,
    Outcome,
    failed,
    not_applicable,
    passed,
)
from svcaudit.checks.schema_parts import PERCENT
from svcaudit.intake.model import Ticket

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
CSAT_SATISFIED_MIN = 4
NPS_RANGE = (-100.0, 100.0)


def nps(promoters: int, detractors: int, answers: int) -> float | None:
    return None if answers == 0 else 100.0 * (promoters - detractors) / answers


def csat(satisfied: int, answers: int) -> float | None:
    return None if answers == 0 else satisfied / answers


def ces(total: float, answers: int) -> float | None:
    return None if answers == 0 else total / answers


def new_score_state() -> dict[str, float]:
    return {"answers": 0, "positive": 0, "negative": 0, "total": 0.0, "unanswered": 0}


def fold_score(state: dict[str, float], metric: str, value: float | None) -> None:
    if value is None:
        state["unanswered"] += 1
        return
    state["answers"] += 1
    state["total"] += value
    if metric == "csat" and value >= CSAT_SATISFIED_MIN:
        state["positive"] += 1
    elif metric == "nps":
        if value >= PROMOTER_MIN:
            state["positive"] += 1
        elif value <= DETRACTOR_MAX:
            state["negative"] += 1


def fold_scores(state: dict[str, float], metric: str, values: Any) -> None:
    """`score.fold_score` for each value in order (NaN: no answer). The total is added up in
    the same order, one addition at a time, so it is the very float a loop would give. `values`
    is a float64 numpy array; numpy is imported only when data is read."""
    import numpy as np

    answered = ~np.isnan(values)
    count = int(answered.sum())
    state["unanswered"] += int(values.size - count)
    if count == 0:
        return
    given = values[answered]
    state["answers"] += count
    state["total"] = float(np.cumsum(np.concatenate(([state["total"]], given)))[-1])
    if metric == "csat":
        state["positive"] += int((given >= CSAT_SATISFIED_MIN).sum())
    elif metric == "nps":
        state["positive"] += int((given >= PROMOTER_MIN).sum())
        state["negative"] += int(((given < PROMOTER_MIN) & (given <= DETRACTOR_MAX)).sum())


def score_of(metric: str, state: dict[str, float]) -> float | None:
    answers = int(state["answers"])
    if metric == "csat":
        return csat(int(state["positive"]), answers)
    if metric == "nps":
        return nps(int(state["positive"]), int(state["negative"]), answers)
    return ces(state["total"], answers)


class ScoreCheck(AggregateCheck):
    KIND = "score"
    SUMMARY = "CSAT, NPS or CES over all audited tickets against a minimum or maximum"
    EXAMPLES = (
        {"metric": "csat", "min": "80%"},
        {"metric": "nps", "min": 30},
        {"metric": "ces", "max": 2.5, "min_responses": 2},
    )
    REQUIRED = ("metric",)
    OPTIONS = {
        "metric": {"enum": ["csat", "nps", "ces"]},
        "min": {
            "anyOf": [PERCENT, {"type": "number"}],
            "description": "CSAT as 90% or 0.9; NPS as a number from -100 to 100",
        },
        "max": {"type": "number"},
        "min_responses": {"type": "integer", "minimum": 1},
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        options = rule.options
        self.metric: str = options["metric"]
        self.minimum = self.maximum = None
        if "min" in options:
            self.minimum = _threshold(self.metric, options["min"])
        if "max" in options:
            self.maximum = float(options["max"])
        if self.minimum is None and self.maximum is None:
            raise CheckConfigError("give `min` (csat, nps) or `max` (ces)", ())
        self.min_responses: int = options.get("min_responses", 1)

    def new_state(self) -> dict[str, float]:
        return new_score_state()

    def observe(self, state: dict[str, float], ticket: Ticket) -> dict[str, float]:
        fold_score(state, self.metric, getattr(ticket, self.metric))
        return state

    def merge(self, left: dict[str, float], right: dict[str, float]) -> dict[str, float]:
        return {key: left[key] + right[key] for key in left}

    def finish(self, state: dict[str, float]) -> Outcome:
        answers = int(state["answers"])
        if answers < self.min_responses:
            return not_applicable(
                reasons.NEEDS_ANSWERS.text(minimum=self.min_responses, metric=self.metric, answers=answers)
            )
        value = score_of(self.metric, state)
        assert value is not None
        shown = _show(self.metric, value)
        counted = f"{answers} answers, {int(state['unanswered'])} tickets without one"
        if self.minimum is not None and value < self.minimum:
            return failed(
                f"{self.metric.upper()} {shown} is below the minimum {_show(self.metric, self.minimum)}",
                measured_value=value,
                target_value=self.minimum,
                evidence=counted,
                field=self.metric,
            )
        if self.maximum is not None and value > self.maximum:
            return failed(
                f"{self.metric.upper()} {shown} is above the maximum {_show(self.metric, self.maximum)}",
                measured_value=value,
                target_value=self.maximum,
                evidence=counted,
                field=self.metric,
            )
        return passed(measured_value=value, evidence=f"{self.metric.upper()} {shown}; {counted}")


def _threshold(metric: str, value: Any) -> float:
    from svcaudit.shares import parse_share

    if metric == "nps":
        if isinstance(value, str):
            raise CheckConfigError("an NPS minimum is a number from -100 to 100, not a percentage", ("min",))
        if not NPS_RANGE[0] <= float(value) <= NPS_RANGE[1]:
            raise CheckConfigError("an NPS minimum lies between -100 and 100", ("min",))
        return float(value)
    if metric == "csat":
        try:
            return parse_share(value)
        except ValueError as exc:
            raise CheckConfigError(str(exc), ("min",)) from None
    return float(value)


def _show(metric: str, value: float) -> str:
    if metric == "csat":
        return f"{value:.1%}"
    if metric == "nps":
        return f"{value:+.1f}"
    return f"{value:.2f}"
