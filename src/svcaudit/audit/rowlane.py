"""The ticket-row lane: tickets known only from their ticket row, judged and tallied in one pass.

Ticket-row exports are the large ones (a year of a helpdesk is millions of rows), and most of their
verdicts are passes or a not-applicable that every row shares ("needs message rows"). Each check's
`row_kernel` answers those with a few comparisons and shared outcomes; what a kernel leaves
(failures, pending tickets, odd rows) goes to the check's own `evaluate`, exactly as in
`judge_ticket`. Counts, findings, their order, quality scores and KPIs are therefore those of
`judge_ticket` + `Tally.add`, without a TicketContext, a Timeline or an Outcome per rule and ticket
(tests hold the lane to the general path).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from svcaudit.audit.conditions import row_conditions
from svcaudit.audit.engine import Tally, judge_ticket, violation_row
from svcaudit.checks.base import PASSED, AggregateCheck, Check, Outcome, RowKernel, Status, TicketContext
from svcaudit.intake.model import Ticket
from svcaudit.results.model import RuleResult
from svcaudit.results.quality import TicketScore
from svcaudit.standard.model import Rule

_PASSED, _FAILED, _PENDING = Status.PASSED, Status.FAILED, Status.PENDING


class _RowStep(NamedTuple):
    """One rule as the lane runs it: its kernel, its conditions and its result counters."""

    index: int
    rule: Rule
    check: Check
    result: RuleResult
    aggregate: bool
    scoped: bool
    kernel: RowKernel | None
    unmet: Callable[[Ticket], str | None] | None  # the rule's `when`
    weight: float  # > 0 when the rule counts towards the ticket's quality score


def _always(outcome: Outcome):
    return lambda ticket: outcome


def lane_applies(ticket: Ticket, as_of: datetime) -> bool:
    """The lane takes tickets that have a ticket row and no messages, whose fields were all read
    and whose stamps are all by `as_of`; `judge_ticket` takes the others."""
    return (
        ticket.has_ticket_row
        and not ticket.messages
        and not ticket.rejected_fields
        and (ticket.created_at is None or ticket.created_at <= as_of)
        and (ticket.first_reply_at is None or ticket.first_reply_at <= as_of)
        and (ticket.resolved_at is None or ticket.resolved_at <= as_of)
    )


class RowLane:
    """Judges ticket-row tickets into a `Tally`, as `tally.add(judge_ticket(...))` would."""

    def __init__(self, tally: Tally, as_of: datetime) -> None:
        standard = tally.standard
        self.tally = tally
        self.as_of = as_of
        self._bank = standard.phrase_bank
        self._strip = standard.text_strip
        self._quality = bool(standard.quality)
        steps: list[_RowStep] = []
        # Rules whose verdict is the same not-applicable for every ticket row: counted in bulk.
        self._constant: list[tuple[RuleResult, str]] = []
        self._uncounted = 0  # tickets added since the constant verdicts were last counted
        for index, (rule, check) in enumerate(zip(standard.rules, standard.checks, strict=False)):
            aggregate = isinstance(check, AggregateCheck)
            kernel = None if aggregate else check.row_kernel(as_of)
            if (
                isinstance(kernel, Outcome)
                and kernel.status is Status.NOT_APPLICABLE
                and not rule.where
                and not rule.when
            ):
                self._constant.append((tally.results[index], kernel.reason))
                continue
            if isinstance(kernel, Outcome):
                kernel = _always(kernel)
            steps.append(
                _RowStep(
                    index=index,
                    rule=rule,
                    check=check,
                    result=tally.results[index],
                    aggregate=aggregate,
                    scoped=bool(rule.where),
                    kernel=kernel,
                    unmet=row_conditions(rule.when, as_of) if rule.when else None,
                    weight=rule.weight if standard.quality and rule.weight > 0 else 0.0,
                )
            )
        self._steps = tuple(steps)
        # Rows are typed with every column only when a rule reads more than the typed fields.
        self.needs_fields = any(step.scoped or step.check.READS_ROW_FIELDS for step in steps)

    def judge(self, ticket: Ticket) -> None:
        """Tally any ticket: on the lane when it applies, else judged in full (`judge_ticket`)."""
        if lane_applies(ticket, self.as_of):
            self.add(ticket)
        else:
            self.tally.add(judge_ticket(self.tally.plan, ticket, self.as_of))

    def flush(self) -> None:
        """Count the verdicts kept in bulk; call before the tally is read or handed on."""
        if self._uncounted:
            for result, reason in self._constant:
                result.not_applicable += self._uncounted
                result.reasons[reason] += self._uncounted
            self._uncounted = 0

    def add(self, ticket: Ticket) -> None:
        tally = self.tally
        tally.tickets += 1
        self._uncounted += 1
        score = TicketScore() if self._quality else None
        ctx: TicketContext | None = None
        # One pass over the rules, every step's parts in locals: this runs once per ticket row.
        for index, rule, check, result, aggregate, scoped, kernel, unmet, weight in self._steps:
            if scoped:
                excluded_by = rule.in_scope(ticket.fields)
                if excluded_by is not None:
                    if not aggregate:
                        result.not_applicable += 1
                        result.reasons[f"not in scope ({excluded_by})"] += 1
                    continue
            if aggregate:
                check.observe(tally.states[index], ticket)
                continue
            if unmet is not None:
                reason = unmet(ticket)
                if reason is not None:
                    result.not_applicable += 1
                    result.reasons[reason] += 1
                    continue
            outcome = kernel(ticket) if kernel is not None else None
            if outcome is PASSED and not weight:
                result.passed += 1
                continue
            if outcome is None:
                if ctx is None:
                    ctx = TicketContext(ticket, self.as_of, self._bank, self._strip)
                outcome = check.evaluate(ticket, ctx)
            status = outcome.status
            if status is _PASSED:
                result.passed += 1
            elif status is _FAILED:
                if not tally._waive(rule, ticket, outcome):
                    result.failed += 1
                    if tally.keep_violations:
                        tally.violations.append_row(violation_row(rule, ticket, outcome))
            elif status is _PENDING:
                result.pending += 1
            else:
                result.not_applicable += 1
                result.reasons[outcome.reason] += 1
            if weight and (status is _PASSED or status is _FAILED):
                score.add(weight, status is _PASSED, rule.critical)
        if score is not None:
            tally.quality.add(score, ticket.agent, ticket.team)
        tally.metrics.observe_row(ticket)
