"""response_time: how fast the support side answered and resolved, on the rule's calendar.

Options:
  metric: first_reply | next_reply | resolution | requester_wait   (required)
  target: 24h            one target for every ticket, or
  targets: {urgent: 1h, high: 4h, default: 24h}   per priority (`default` for the rest)
  calendar: office       a calendar of the standard (default "24/7")
  pause_statuses: [pending, on-hold]   time in these statuses does not count (from status events)
  resolved_statuses: [solved, closed]  what counts as resolved (default solved, resolved, closed)
  resolution: last       first | last: which resolution counts when a ticket was reopened
  bots_are_agents: false   whether a bot message counts as a reply

Metrics: `first_reply` runs from creation to the first staff reply; `next_reply` measures every
customer message that follows a staff reply until the next staff reply (the ticket fails if any
pair fails; the worst is reported); `resolution` runs from creation to the last (or first) entry into
a resolved status, or the ticket row's `resolved_at`; `requester_wait` adds up all the time the
customer waited on the support side. A target is met when measured <= target. An unanswered ticket
whose elapsed time already exceeds its target fails ("breached, no reply yet"); one still inside it
is pending. `Nbd` targets are due at the same local time N working days later.

Passes:  {metric: first_reply, target: 24h} on a ticket answered after 3h.
Fails:   the same rule on a ticket answered after 26h ("first reply took 1d 2h, target 1d").
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from svcaudit import reasons
from svcaudit.checks.base import (
    NEEDS_MESSAGE_ROWS,
    Check,
    CheckConfigError,
    CheckEnv,
    ColumnKernel,
    FailedColumns,
    Outcome,
    Status,
    TicketContext,
    failed,
    not_applicable,
    passed,
    pending,
)
from svcaudit.checks.metrics import CLOCK_OPTIONS, METRICS, MeasuredSpan, Measurement, Metric
from svcaudit.checks.options import duration_option
from svcaudit.checks.schema_parts import DURATION
from svcaudit.intake.model import Message, Ticket
from svcaudit.timecalc.zoneclock import to_epoch_us as _epoch_us

if TYPE_CHECKING:
    from svcaudit.checks.columns import ColumnVerdicts, TicketColumns
from svcaudit.timecalc.calendar import Calendar
from svcaudit.timecalc.clock import Clock
from svcaudit.timecalc.durations import Duration, Seconds, WorkingDays, format_instant, format_seconds

DEFAULT_TARGET_KEY = "default"
# Priorities whose target a rule remembers: an export has a handful, memory stays bounded if not.
PRIORITIES_REMEMBERED = 1024


class ResponseTimeCheck(Check):
    KIND = "response_time"
    SUMMARY = "first reply, every next reply, resolution and customer wait within a target"
    EXAMPLES = (
        {"metric": "first_reply", "target": "24h"},
        {"metric": "first_reply", "targets": {"urgent": "1h", "high": "4h", "default": "24h"}, "calendar": "office"},
        {"metric": "first_reply", "targets": {"urgent": "1h", "High": "1bd"}, "pause_statuses": ["pending"]},
        {"metric": "resolution", "target": "3bd", "calendar": "office", "resolution": "first"},
        {"metric": "resolution", "target": "2bd", "resolved_statuses": ["done", "Closed"]},
        {"metric": "next_reply", "target": "1h"},
        {"metric": "requester_wait", "target": "2h", "pause_statuses": ["pending", "on-hold"]},
    )
    REQUIRED = ("metric",)
    READS_FIELDS = False  # the typed fields and the timeline only
    OPTIONS = {
        "metric": {"enum": list(METRICS)},
        "target": DURATION,
        "targets": {
            "type": "object",
            "description": "target per priority; `default` for priorities not listed",
            "additionalProperties": DURATION,
            "minProperties": 1,
        },
        **CLOCK_OPTIONS,
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        options = rule.options
        self.measurement = Measurement(options, env)
        self.metric: Metric = self.measurement.metric
        if ("target" in options) == ("targets" in options):
            raise CheckConfigError("give exactly one of `target` or `targets`", ())
        self.targets: dict[str, Duration] = {}
        if "target" in options:
            self.targets[DEFAULT_TARGET_KEY] = duration_option(options["target"], ("target",))
        else:
            for priority, value in options["targets"].items():
                self.targets[str(priority).casefold()] = duration_option(value, ("targets", priority))
        self._target_by_priority: dict[str | None, Duration | None] = {}
        self.calendar: Calendar = self.measurement.calendar
        if self.metric.ADDS_UP and any(isinstance(t, WorkingDays) for t in self.targets.values()):
            raise CheckConfigError(
                f"{self.metric.NAME} adds up waits: give it a time, not working days",
                ("targets" if "targets" in options else "target",),
            )

    @property
    def reads_roles(self) -> bool:
        return self.metric.READS_ROLES

    def target_for(self, ticket: Ticket) -> Duration | None:
        return self._target_of(ticket.priority)

    def _target_of(self, priority: str | None) -> Duration | None:
        """The target for a priority as written; a priority's target is looked up once."""
        try:
            return self._target_by_priority[priority]
        except KeyError:
            folded = priority.casefold() if priority else None
            target = self.targets.get(folded) if folded is not None else None
            if target is None:
                target = self.targets.get(DEFAULT_TARGET_KEY)
            if len(self._target_by_priority) < PRIORITIES_REMEMBERED:
                self._target_by_priority[priority] = target
            return target

    def clock_for(self, ticket: Ticket, ctx: TicketContext) -> Clock:
        """The rule's clock for this ticket: its calendar minus the ticket's paused spans."""
        return self.measurement.clock(ticket, ctx)

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        measurement = self.measurement
        spans = measurement.spans(ticket, ctx)
        if isinstance(spans, Outcome):
            return spans
        target = self._target_of(ticket.priority)
        if target is None:
            return not_applicable(reasons.NO_TARGET.text(priority=ticket.priority or "(none)"))
        clock = measurement.clock(ticket, ctx)
        if self.metric.ADDS_UP:
            assert isinstance(target, Seconds), "working-day targets are refused when the rule is built"
            return self._total_wait(spans, clock, target, ctx.as_of)
        if len(spans) == 1:
            return self.judge_span(spans[0], clock, target, ctx.as_of)
        return _worst_cycle([self.judge_span(span, clock, target, ctx.as_of) for span in spans])

    def column_kernel(self, as_of: datetime) -> ColumnKernel | None:
        """`evaluate` for a batch of ticket rows (no status events, so no pauses). A span that
        ended is settled as passed when its counted seconds are within a target in seconds, or it
        ended by the due time of a working-day target; a span still open is settled by the
        questions `Metric.open_columns` asks, then as pending while its counted time at --as-of is within
        the target. Failures and rows without a target are left to `evaluate`, which words them."""
        from svcaudit.checks.columns import MISSING, column_clock, per_value, resolved_rows

        metric = self.metric
        end_field = metric.ROW_END
        as_of_us = _epoch_us(as_of)
        clock = column_clock(self.calendar, as_of_us)
        resolved_statuses = self.measurement.resolved_statuses

        def target_seconds(priority: str | None) -> int:
            target = self._target_of(priority)
            return target.seconds if isinstance(target, Seconds) else -1

        def target_days(priority: str | None) -> int:
            target = self._target_of(priority)
            return target.days if isinstance(target, WorkingDays) else -1

        def kernel(cols: TicketColumns, verdicts: ColumnVerdicts) -> None:
            import numpy as np

            opened = cols.stamps["created_at"]
            verdicts.not_applicable(opened == MISSING, "needs created_at")
            if end_field is None:
                verdicts.not_applicable(verdicts.open, NEEDS_MESSAGE_ROWS.reason)
                return
            end = cols.stamps[end_field]
            _, resolved = resolved_rows(cols, resolved_statuses)
            ended = end != MISSING
            metric.open_columns(verdicts, cols, ~ended, resolved)
            priority_codes, priorities = cols.coded["priority"]
            seconds = per_value(priorities, target_seconds, np.int64)[priority_codes]
            days = per_value(priorities, target_days, np.int64)[priority_codes]
            verdicts.defer((seconds < 0) & (days < 0))  # no target: `evaluate` words why
            # From here on, only rows with created_at are open; an open row's span ends at its end
            # time, else (still waiting) at --as-of.
            rows = verdicts.open
            start = np.where(rows, opened, as_of_us)
            stop = np.where(rows & ended, end, as_of_us)
            counted = clock.business_seconds(start, stop)
            verdicts.measured = counted
            due = clock.add_working_days(start, np.where(days > 0, days, 0))
            allowed = np.where(seconds >= 0, seconds, clock.business_seconds(start, due))
            verdicts.passed(ended & (seconds >= 0) & (counted <= seconds))
            verdicts.passed(ended & (days >= 0) & (end <= due))
            verdicts.pending(~ended & (counted <= allowed))
            # Over the target: a finding, worded by `column_failures` from these numbers. A target
            # in seconds is due when its seconds are counted, asked of the failing rows only.
            over = verdicts.open & (counted > allowed)
            timed = over & (seconds >= 0)
            due[timed] = clock.add_business_seconds(start[timed], seconds[timed])
            targets = per_value(priorities, lambda p: str(self._target_of(p)), object)[priority_codes]
            numbers = {"start": start, "end": np.where(ended, end, MISSING), "counted": counted}
            verdicts.fail(over, {**numbers, "allowed": allowed, "due": due, "target": targets})
            verdicts.defer(verdicts.open)

        return kernel

    def column_failures(self, numbers: dict[str, Any], as_of: datetime) -> FailedColumns:
        """Findings worded as `judge_span` words them, from the kernel's numbers: a span from
        `start` to `end` (MISSING: still open at --as-of) that counted `counted` seconds over the
        `allowed` seconds of its `target`, due at `due`."""
        import numpy as np

        from svcaudit.checks.columns import MISSING
        from svcaudit.timecalc.instant_columns import instant_texts

        label, unanswered = self.metric.LABEL, self.metric.UNANSWERED
        as_of_text = format_instant(as_of)
        start, end, due = numbers["start"], numbers["end"], numbers["due"]
        still_open = end == MISSING
        counted, allowed = numbers["counted"].tolist(), numbers["allowed"].tolist()
        columns = zip(
            still_open.tolist(),
            counted,
            allowed,
            numbers["target"].tolist(),
            instant_texts(start),
            instant_texts(np.where(still_open, start, end)),  # an open span's end is never read
            instant_texts(due),
            strict=True,
        )
        found_reasons, evidence = [], []
        for waiting, measured, target_seconds, target, started, ended, due_text in columns:
            if waiting:
                found_reasons.append(_breached_reason(unanswered, measured, target))
                evidence.append(_waiting_evidence(started, due_text, as_of_text))
            else:
                found_reasons.append(_late_reason(label, measured, target_seconds, target))
                evidence.append(_late_evidence(started, ended, due_text))
        return FailedColumns(found_reasons, counted, allowed, due, evidence)

    # -- what is measured ------------------------------------------------------------------------

    def measured_spans(self, ticket: Ticket, ctx: TicketContext) -> list[MeasuredSpan] | Outcome:
        """The spans this rule's clock runs over, or why the rule cannot measure this ticket."""
        return self.measurement.spans(ticket, ctx)

    # -- deadlines and verdicts ------------------------------------------------------------------

    def deadline(self, clock: Clock, start: datetime, target: Duration) -> tuple[int, datetime]:
        """Target in counted seconds and the due instant, for a clock started at `start`."""
        if isinstance(target, WorkingDays):
            raw_due = self.calendar.add_working_days(start, target.days)
            seconds = self.calendar.business_seconds(start, raw_due)
            if not clock.pauses or clock.elapsed(start, raw_due) == seconds:
                # No pause before it: "the same local time N working days later", not the close
                # of the day before.
                return seconds, raw_due
        else:
            seconds = target.seconds
        return seconds, clock.due(start, seconds)

    def judge_span(self, span: MeasuredSpan, clock: Clock, target: Duration, as_of: datetime) -> Outcome:
        """Verdict on one measured span; an open span (no end) is judged at as_of."""
        label, start, end, message = span
        target_seconds, due = self.deadline(clock, start, target)
        if end is not None:
            measured = clock.elapsed(start, end)
            if measured <= target_seconds:
                # Evidence is written for findings only: a passing span is most of the work.
                return Outcome(Status.PASSED, "", measured, target_seconds, due, None, message)
            return _late(label, measured, target_seconds, due, str(target), start, end, message)
        unanswered = self.metric.UNANSWERED
        elapsed = clock.elapsed(start, as_of)
        if elapsed > target_seconds:
            return _breached(
                unanswered, elapsed, target_seconds, due, str(target), start, format_instant(as_of), message
            )
        return pending(
            f"{unanswered}; {format_seconds(target_seconds - elapsed)} left",
            measured_seconds=elapsed,
            target_seconds=target_seconds,
            due_at=due,
            evidence=_waiting(start, due, format_instant(as_of)),
            message=message,
        )

    def _total_wait(self, spans: list[MeasuredSpan], clock: Clock, target: Seconds, as_of: datetime) -> Outcome:
        waited = sum(clock.elapsed(s.start, s.end if s.end is not None else as_of) for s in spans)
        still_waiting = spans[-1].end is None
        target_seconds = target.seconds
        text = f"customer waited {format_seconds(waited)} in all (target {target})"
        if waited > target_seconds:
            return failed(text, measured_seconds=waited, target_seconds=target_seconds, evidence=text)
        if still_waiting:
            return pending(f"customer still waiting; {text}", measured_seconds=waited, target_seconds=target_seconds)
        return passed(measured_seconds=waited, target_seconds=target_seconds, evidence=text)


def _late(
    label: str,
    measured: int,
    target_seconds: int,
    due: datetime,
    target: str,
    start: datetime,
    end: datetime,
    message: Message | None = None,
) -> Outcome:
    """The finding of a span that ended over its target (a third of a large export's tickets
    fail: the Outcome is made directly, not via **)."""
    return Outcome(
        Status.FAILED,
        _late_reason(label, measured, target_seconds, target),
        measured_seconds=measured,
        target_seconds=target_seconds,
        due_at=due,
        evidence=_late_evidence(format_instant(start), format_instant(end), format_instant(due)),
        message=message,
    )


def _breached(
    unanswered: str,
    elapsed: int,
    target_seconds: int,
    due: datetime,
    target: str,
    start: datetime,
    as_of: str,
    message: Message | None = None,
) -> Outcome:
    """The finding of a span still open at --as-of (`as_of`, as written) and over its target."""
    return Outcome(
        Status.FAILED,
        _breached_reason(unanswered, elapsed, target),
        measured_seconds=elapsed,
        target_seconds=target_seconds,
        due_at=due,
        evidence=_waiting(start, due, as_of),
        message=message,
    )


# The words of these findings, from their numbers and instants as written: one wording for a
# finding made per ticket (`_late`, `_breached`) and for a column of them (`column_failures`).


def _late_reason(label: str, measured: int, target_seconds: int, target: str) -> str:
    return (
        f"{label} took {format_seconds(measured)}, over the target {target} "
        f"by {format_seconds(measured - target_seconds)}"
    )


def _late_evidence(start: str, end: str, due: str) -> str:
    return f"from {start} to {end}; due {due}"


def _breached_reason(unanswered: str, elapsed: int, target: str) -> str:
    return f"breached: {unanswered} after {format_seconds(elapsed)} (target {target})"


def _waiting(start: datetime, due: datetime, as_of: str) -> str:
    return _waiting_evidence(format_instant(start), format_instant(due), as_of)


def _waiting_evidence(start: str, due: str, as_of: str) -> str:
    return f"waiting since {start}; due {due}; as of {as_of}"


def _worst_cycle(outcomes: list[Outcome]) -> Outcome:
    """next_reply: the ticket fails if any cycle fails, and the worst one is named."""
    failures = [o for o in outcomes if o.status is Status.FAILED]
    if failures:
        worst = max(failures, key=lambda o: (o.measured_seconds or 0) - (o.target_seconds or 0))
        return failed(
            f"{len(failures)} of {len(outcomes)} replies late; worst: {worst.reason}",
            measured_seconds=worst.measured_seconds,
            target_seconds=worst.target_seconds,
            due_at=worst.due_at,
            evidence=worst.evidence,
            message=worst.message,
        )
    waiting = [o for o in outcomes if o.status is Status.PENDING]
    if waiting:
        return waiting[0]
    slowest = max(outcomes, key=lambda o: o.measured_seconds or 0)
    return passed(
        measured_seconds=slowest.measured_seconds,
        target_seconds=slowest.target_seconds,
        evidence=f"{len(outcomes)} replies, slowest {format_seconds(slowest.measured_seconds or 0)}",
    )
