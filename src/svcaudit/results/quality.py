"""Per-ticket quality scores, as QA leads compute them, aggregated overall, per agent and per team.

A ticket's score is the weighted share of its applicable per-ticket rules that passed (rules carry
`weight`, default 1; pending and not-applicable results are left out); a failed `critical: true` rule
makes the score 0. The audit keeps sums, not scores, so memory does not grow with tickets and shards
can be merged. The standard's `quality: {min: 85%}` turns the overall average into a gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNASSIGNED = "(unassigned)"


@dataclass
class ScoreSums:
    tickets: int = 0
    total: float = 0.0
    zeroed_by_critical: int = 0

    def add(self, score: float, critical_failed: bool) -> None:
        self.tickets += 1
        self.total += score
        self.zeroed_by_critical += critical_failed

    def merge(self, other: ScoreSums) -> ScoreSums:
        return ScoreSums(
            self.tickets + other.tickets, self.total + other.total, self.zeroed_by_critical + other.zeroed_by_critical
        )

    @property
    def average(self) -> float | None:
        return None if self.tickets == 0 else self.total / self.tickets

    def to_dict(self) -> dict[str, Any]:
        average = self.average
        return {
            "score": None if average is None else round(average, 4),
            "tickets": self.tickets,
            "critical_failures": self.zeroed_by_critical,
        }


@dataclass
class TicketScore:
    """Accumulates one ticket's weighted verdicts while the engine runs its rules."""

    earned: float = 0.0
    possible: float = 0.0
    critical_failed: bool = False

    def add(self, weight: float, passed: bool, critical: bool) -> None:
        self.possible += weight
        if passed:
            self.earned += weight
        elif critical:
            self.critical_failed = True

    @property
    def score(self) -> float | None:
        if self.critical_failed:
            return 0.0
        return None if self.possible == 0 else self.earned / self.possible


@dataclass
class QualityAccumulator:
    overall: ScoreSums = field(default_factory=ScoreSums)
    by_agent: dict[str, ScoreSums] = field(default_factory=dict)
    by_team: dict[str, ScoreSums] = field(default_factory=dict)

    def add(self, ticket_score: TicketScore, agent: str | None, team: str | None) -> None:
        score = ticket_score.score
        if score is None:
            return
        critical = ticket_score.critical_failed
        self.overall.add(score, critical)
        self.by_agent.setdefault(agent or UNASSIGNED, ScoreSums()).add(score, critical)
        self.by_team.setdefault(team or UNASSIGNED, ScoreSums()).add(score, critical)

    def state(self) -> dict[str, Any]:
        def sums(s: ScoreSums) -> list[float]:
            return [s.tickets, s.total, s.zeroed_by_critical]

        return {
            "overall": sums(self.overall),
            "by_agent": {k: sums(v) for k, v in self.by_agent.items()},
            "by_team": {k: sums(v) for k, v in self.by_team.items()},
        }

    def absorb(self, state: dict[str, Any]) -> None:
        """Add another accumulator's state (a shard's) to this one."""

        def sums(values: list[float]) -> ScoreSums:
            return ScoreSums(int(values[0]), float(values[1]), int(values[2]))

        self.overall = self.overall.merge(sums(state["overall"]))
        for name in ("by_agent", "by_team"):
            table = getattr(self, name)
            for key, values in state[name].items():
                table[key] = table.get(key, ScoreSums()).merge(sums(values))

    def to_dict(self, minimum: float | None) -> dict[str, Any]:
        return {
            **self.overall.to_dict(),
            "min": minimum,
            "met": self.met(minimum),
            "by_agent": {k: v.to_dict() for k, v in sorted(self.by_agent.items())},
            "by_team": {k: v.to_dict() for k, v in sorted(self.by_team.items())},
        }

    def met(self, minimum: float | None) -> bool:
        average = self.overall.average
        return minimum is None or average is None or average >= minimum - 1e-12
