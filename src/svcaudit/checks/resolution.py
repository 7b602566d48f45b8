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

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from svcaudit import reasons
from svcaudit.checks.base import (
    PASSED,
    Check,
    CheckEnv,
    ColumnKernel,
    FailedColumns,
    Outcome,
    TicketContext,
    failed,
    not_applicable,
    pending,
)
from svcaudit.checks.schema_parts import STATUS_LIST
from svcaudit.checks.timeline import DEFAULT_RESOLVED_STATUSES
from svcaudit.intake.model import Ticket

if TYPE_CHECKING:
    from svcaudit.checks.columns import ColumnVerdicts, TicketColumns

NEEDS_RESOLUTION_DATA = reasons.NEEDS_STATUS.text()
NEEDS_REOPENS_DATA = reasons.NEEDS_REOPENS.text()
NO_RESOLUTION_DATA = not_applicable(NEEDS_RESOLUTION_DATA)
NO_REOPENS_DATA = not_applicable(NEEDS_REOPENS_DATA)
REOPENS_FIELD = "reopens"  # the input field a finding about reopenings names


class ResolutionCheck(Check):
    KIND = "resolution"
    SUMMARY = "tickets end resolved, with at most max_reopens reopenings"
    EXAMPLES = (
        {"max_reopens": 0},
        {},
        {"max_reopens": 2, "resolved_statuses": ["done", "Closed"]},
    )
    READS_FIELDS = False  # the typed fields and the timeline only
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
        statuses = self.resolved_statuses
        return self._verdict(
            timeline.is_resolved(statuses),
            timeline.reopens(statuses) if self.max_reopens is not None else None,
            timeline.final_status,
            lambda: _status_trail(timeline),
        )

    def column_kernel(self, as_of: datetime) -> ColumnKernel | None:
        """A ticket row's status (else its resolved_at) and reopens column are its timeline:
        they settle every row but one reopened beyond `max_reopens`, a failure."""
        statuses = self.resolved_statuses
        max_reopens = self.max_reopens

        def kernel(cols: TicketColumns, verdicts: ColumnVerdicts) -> None:
            import numpy as np

            from svcaudit.checks.columns import resolved_rows

            known, resolved = resolved_rows(cols, statuses)
            verdicts.not_applicable(~known, NEEDS_RESOLUTION_DATA)
            if max_reopens is not None:
                reopens = cols.numbers["reopens"]
                verdicts.not_applicable(np.isnan(reopens), NEEDS_REOPENS_DATA)
                verdicts.fail(reopens > max_reopens, {"reopens": reopens})
            verdicts.pending(~resolved)
            verdicts.passed(verdicts.open)

        return kernel

    def column_failures(self, numbers: dict[str, Any], as_of: datetime) -> FailedColumns:
        """Rows reopened beyond `max_reopens`, worded as `evaluate` words them (a ticket row has
        no status events to show)."""
        reopens = [int(count) for count in numbers["reopens"].tolist()]
        return FailedColumns(
            [self._reopened_reason(count) for count in reopens],
            field=REOPENS_FIELD,
            measured_value=reopens,
            target_value=[self.max_reopens] * len(reopens),
        )

    def _reopened(self, reopens: int, trail: str | None) -> Outcome:
        return failed(
            self._reopened_reason(reopens),
            measured_value=reopens,
            target_value=self.max_reopens,
            field=REOPENS_FIELD,
            evidence=trail,
        )

    def _reopened_reason(self, reopens: int) -> str:
        times = "time" if reopens == 1 else "times"
        return f"reopened {reopens} {times} (at most {self.max_reopens})"

    def _verdict(
        self, resolved: bool | None, reopens: int | None, final_status: str | None, trail: Callable[[], str | None]
    ) -> Outcome:
        """The verdict from what the ticket's timeline says, however it was read."""
        if resolved is None:
            return NO_RESOLUTION_DATA
        if self.max_reopens is not None:
            if reopens is None:
                return NO_REOPENS_DATA
            if reopens > self.max_reopens:
                return self._reopened(reopens, trail())
        if not resolved:
            return pending(f"not resolved yet (status {final_status})", field="status")
        return PASSED


def _status_trail(timeline) -> str | None:
    changes = timeline.status_changes
    if not changes:
        return None
    return " → ".join(f"{c.status} #{c.index + 1}" for c in changes)
