"""Service KPIs over every audited ticket, whatever the rules: NPS, CSAT, CES, FCR, reopen rate.

Kept as counters so shards can be merged. First-contact resolution (FCR) = share of resolved
tickets with message rows that were resolved after exactly one staff reply and never reopened.
Reopen rate = share of tickets with reopen information that were reopened at least once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from svcaudit.checks.score import fold_score, new_score_state, score_of
from svcaudit.checks.timeline import DEFAULT_RESOLVED_STATUSES, Timeline
from svcaudit.intake.model import Ticket

SCORES = ("nps", "csat", "ces")


@dataclass
class MetricsAccumulator:
    scores: dict[str, dict[str, float]] = field(default_factory=lambda: {name: new_score_state() for name in SCORES})
    resolved_with_messages: int = 0
    first_contact: int = 0
    with_reopen_data: int = 0
    reopened: int = 0

    def observe(self, ticket: Ticket, timeline: Timeline) -> None:
        for name in SCORES:
            fold_score(self.scores[name], name, getattr(ticket, name))
        reopens = timeline.reopens(DEFAULT_RESOLVED_STATUSES)
        if reopens is not None:
            self.with_reopen_data += 1
            self.reopened += reopens > 0
        # Staff replies are counted by role: a conversation without roles cannot say (UNKNOWN).
        if ticket.messages and timeline.roles_known and timeline.is_resolved(DEFAULT_RESOLVED_STATUSES):
            self.resolved_with_messages += 1
            self.first_contact += len(timeline.staff_messages) == 1 and not reopens

    def state(self) -> dict[str, Any]:
        return {
            "scores": self.scores,
            "resolved_with_messages": self.resolved_with_messages,
            "first_contact": self.first_contact,
            "with_reopen_data": self.with_reopen_data,
            "reopened": self.reopened,
        }

    def absorb(self, state: dict[str, Any]) -> None:
        """Add another accumulator's `state` (a part of the same run)."""
        for name in SCORES:
            mine, theirs = self.scores[name], state["scores"][name]
            for key in mine:
                mine[key] += theirs[key]
        self.resolved_with_messages += state["resolved_with_messages"]
        self.first_contact += state["first_contact"]
        self.with_reopen_data += state["with_reopen_data"]
        self.reopened += state["reopened"]

    def to_dict(self) -> dict[str, float | int | None]:
        def share(part: int, whole: int) -> float | None:
            return None if whole == 0 else round(part / whole, 4)

        result: dict[str, float | int | None] = {}
        for name in SCORES:
            value = score_of(name, self.scores[name])
            result[name] = None if value is None else round(value, 4 if name == "csat" else 2)
            result[f"{name}_responses"] = int(self.scores[name]["answers"])
        result["fcr"] = share(self.first_contact, self.resolved_with_messages)
        result["reopen_rate"] = share(self.reopened, self.with_reopen_data)
        return result
