"""resolution: the ticket ends resolved, and was not reopened more often than allowed.

Options:
  resolved_statuses: [solved, closed]   what counts as resolved (default solved, resolved, closed)
  max_reopens: 0                        reopenings allowed (default: not checked)

The final status comes from the last status event in the message rows, else the ticket row's `status`
(or a `resolved_at` when there is no status). Reopenings are counted from status events (leaving a
resolved status) or read from the `reopens` column. A ticket not resolved yet is pending, unless it
was already reopened more often than allowed, which fails at once.

Passes:  {max_reopens: 0} on a ticket solved once.
Fails:   {max_reopens: 0} on a ticket solved, reopened and solved again ("reopened 1 time").
"""
from __future__ import annotations

from ..logs.model import Ticket
from ..timeline import DEFAULT_RESOLVED_STATUSES
from .base import Check, CheckEnv, Outcome, TicketContext, failed, not_applicable, passed, pending
from .schema_parts import STATUS_LIST


class ResolutionCheck(Check):
    KIND = "resolution"
    SUMMARY = "tickets end resolved, with at most max_reopens reopenings"
    OPTIONS = {
        "resolved_statuses": STATUS_LIST,
        "max_reopens": {"type": "integer", "minimum": 0},
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        self.resolved_statuses = frozenset(
            s.casefold() for s in rule.options.get("resolved_statuses", DEFAULT_RESOLVED_STATUSES)
        )
        self.max_reopens: int | None = rule.options.get("max_reopens")

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        timeline = ctx.timeline()
        resolved = timeline.is_resolved(self.resolved_statuses)
        if resolved is None:
            return not_applicable("needs status events, a status column or resolved_at")
        if self.max_reopens is not None:
            reopens = timeline.reopens(self.resolved_statuses)
            if reopens is None:
                return not_applicable("needs status events or a reopens column")
            if reopens > self.max_reopens:
                times = "time" if reopens == 1 else "times"
                return failed(
                    f"reopened {reopens} {times} (at most {self.max_reopens})",
                    measured_value=reopens, target_value=self.max_reopens, field="reopens",
                    evidence=_status_trail(timeline),
                )
        if not resolved:
            return pending(f"not resolved yet (status {timeline.final_status})", field="status")
        return passed()


def _status_trail(timeline) -> str | None:
    changes = timeline.status_changes
    if not changes:
        return None
    return " → ".join(f"{c.status} #{c.message.index + 1}" for c in changes)
