"""The engine: stream tickets through every rule's check, tally verdicts, keep only what fails.

Memory grows neither with passing tickets nor with findings: per-ticket facts live in a
`TicketContext` dropped when the next ticket comes; rules keep counters; aggregate rules keep
mergeable states; findings beyond a few thousand wait on disk (`findings.FindingLog`). Plain CSV
ticket rows are judged a batch at a time by the columnar core (`columnar`), which gives the same
tally; `audit.run` chooses the way for a run.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from svcaudit import reasons
from svcaudit.audit.conditions import conditions_unmet
from svcaudit.audit.plan import AuditPlan
from svcaudit.checks.base import (
    CREATED_AFTER_AS_OF,
    NEEDS_AUTHOR_ROLE,
    AggregateCheck,
    Outcome,
    Status,
    TicketContext,
    not_applicable,
)
from svcaudit.checks.timeline import Timeline
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import RowParser
from svcaudit.intake.intake import Intake, TableReading
from svcaudit.intake.model import InputStats, Rejection, Role, Ticket
from svcaudit.intake.nulls import NullMarkers
from svcaudit.intake.presets import HISTORY_FROM_ROWS, HistoryLayout, NestedLayout, get_preset
from svcaudit.intake.tables import TableShape, expand_folders
from svcaudit.intake.timestamps import TimestampParser
from svcaudit.results.findings import FindingLog, SpillPool
from svcaudit.results.kpis import MetricsAccumulator
from svcaudit.results.model import VIOLATION_FIELDS, RuleResult, violation_row_of
from svcaudit.results.quality import QualityAccumulator, TicketScore
from svcaudit.standard.model import Rule, Standard
from svcaudit.standard.waivers import Waivers

# Where a finding's row (`violation_row`) holds what a failure is counted and waived by.
TICKET_ID_AT, MEASURED_AT, WAIVER_AT = (VIOLATION_FIELDS.index(f) for f in ("ticket_id", "measured_seconds", "waiver"))
# Fields of a message: in a nested transcript they come from `input.messages`, not the columns.
NESTED_MESSAGE_FIELDS = frozenset({"author_role", "text", "author", "public", "private"})


def column_mapping(standard: Standard) -> ColumnMapping:
    """The preset's columns and values, overridden entry by entry by the standard's own."""
    preset = get_preset(standard.input.preset)
    columns = {**(preset.columns if preset else {}), **standard.input.columns}
    values = {field: dict(table) for field, table in (preset.values if preset else {}).items()}
    for field, table in standard.input.values.items():
        values.setdefault(field, {}).update(table)
    return ColumnMapping(columns, values)


def make_row_parser(standard: Standard) -> RowParser:
    """Typing of rows as the standard says: its time zone, date order and value mapping."""
    timestamps = TimestampParser(ZoneInfo(standard.timezone), day_first=standard.input.day_first)
    return RowParser(
        timestamps,
        column_mapping(standard),
        NullMarkers(standard.input.nulls),
        date_order_declared=standard.input.date_order is not None,
    )


def nested_layout(standard: Standard) -> NestedLayout | None:
    """The nested transcript the standard (or its preset) declares, with the conversation's id
    and ticket fields at the paths `input.columns` gives them; None for flat rows."""
    preset = get_preset(standard.input.preset)
    messages = standard.input.messages or (preset.messages if preset else None)
    if messages is None:
        return None
    columns = {**(preset.columns if preset else {}), **standard.input.columns}
    fields = {name: path for name, path in columns.items() if name != "ticket_id" and name not in NESTED_MESSAGE_FIELDS}
    return NestedLayout(columns.get("ticket_id", "ticket_id"), messages, MappingProxyType(fields))


def table_readings(standard: Standard) -> list[TableReading]:
    """Each table of `input.tables` with the mapping and parser of its own columns and values
    (`input.values` beneath them). A history table reads its values as the ticket tables do,
    since its rows change their fields."""
    spec = standard.input
    timestamps = TimestampParser(ZoneInfo(standard.timezone), day_first=spec.day_first)
    ticket_values: dict[str, dict[str, str]] = {}
    for table in spec.tables:
        if table.shape is TableShape.TICKETS:
            for field, table_values in table.values.items():
                ticket_values.setdefault(field, {}).update(table_values)
    readings = []
    for table in spec.tables:
        values = {field: dict(t) for field, t in spec.values.items()}
        layers = [ticket_values] if table.shape is TableShape.HISTORY else []
        for layer in [*layers, table.values]:
            for field, mapped in layer.items():
                values.setdefault(field, {}).update(mapped)
        mapping = ColumnMapping(table.columns, values)
        parser = (
            None
            if table.shape is TableShape.LOOKUP
            else RowParser(
                timestamps, mapping, NullMarkers(spec.nulls), date_order_declared=spec.date_order is not None
            )
        )
        readings.append(TableReading(table, mapping, parser))
    return readings


def make_intake(
    standard: Standard,
    paths: Sequence[str | Path],
    encoding: str | None = None,
    as_of: datetime | None = None,
    columnar: bool = True,
) -> Intake:
    """Readers configured by the standard's `input` section and time zone; `columnar`: plain CSV
    inputs read by Arrow and their message rows typed column-wise (`RowReader.columnar`)."""
    parser = make_row_parser(standard)
    preset = get_preset(standard.input.preset)
    spec = standard.input
    if spec.tables:
        event_log = spec.history == HISTORY_FROM_ROWS or any(t.history == HISTORY_FROM_ROWS for t in spec.tables)
        # A folder given stands for its tables' files.
        return Intake(
            expand_folders(paths),
            parser,
            parser.mapping,
            encoding,
            date_order=spec.date_order,
            duplicates=spec.duplicates,
            as_of=as_of,
            events_from_rows=event_log,
            tables=table_readings(standard),
            columnar=columnar,
        )
    history = spec.history or (preset.history if preset else None)
    return Intake(
        paths,
        parser,
        parser.mapping,
        encoding,
        layout=nested_layout(standard),
        thread=preset.thread if preset else None,
        date_order=spec.date_order,
        duplicates=spec.duplicates,
        as_of=as_of,
        records=spec.records,
        records_default=preset.records if preset else None,
        history=history if isinstance(history, HistoryLayout) else None,
        events_from_rows=history == HISTORY_FROM_ROWS,
        columnar=columnar,
    )


def violation_row(rule: Rule, ticket: Ticket | None, outcome: Outcome, waived_because: str | None = None) -> tuple:
    """The one factory for findings, which stamps where the evidence stands in the input: a
    finding as the tuple of its Violation fields (`violation_row_of` puts them in order):
    what a `FindingLog` keeps (`append_row`), without a frozen object made per finding on the
    hot path."""
    message = outcome.message
    ref = message.ref if message is not None else (ticket.ref if ticket else None)
    return violation_row_of(
        {
            "rule": rule.id,
            "ticket_id": ticket.ticket_id if ticket else None,
            "severity": rule.severity.value,
            "message": outcome.reason,
            "measured_seconds": outcome.measured_seconds,
            "target_seconds": outcome.target_seconds,
            "due_at": outcome.due_at,
            "evidence": outcome.evidence,
            "path": ref.path if ref else None,
            "row": ref.row if ref else None,
            "field": outcome.field,
            "message_index": message.index + 1 if message is not None else None,
            "measured_value": outcome.measured_value,
            "target_value": outcome.target_value,
            "agent": ticket.agent if ticket else None,
            "team": ticket.team if ticket else None,
            "channel": ticket.channel if ticket else None,
            "priority": ticket.priority if ticket else None,
            "waiver": waived_because,
        }
    )


@dataclass
class TicketVerdicts:
    """Every rule's verdict on one ticket; aggregate rules get None and are observed, not judged."""

    ticket: Ticket
    outcomes: list[Outcome | None]
    in_scope: list[bool]
    timeline: Timeline
    score: TicketScore | None
    after_as_of: bool = False  # created after --as-of: no rule judged it, the metrics leave it out


def as_seen_at(ticket: Ticket, as_of: datetime) -> None:
    """A reply or resolution stamped after --as-of has not happened yet, as seen from --as-of."""
    if ticket.first_reply_at is not None and ticket.first_reply_at > as_of:
        ticket.first_reply_at = None
    if ticket.resolved_at is not None and ticket.resolved_at > as_of:
        ticket.resolved_at = None


def created_after(ticket: Ticket, as_of: datetime) -> bool:
    """Whether the ticket was opened after --as-of: no rule can judge it yet."""
    opened = ticket.opened_at
    return opened is not None and opened > as_of


def judge_ticket(plan: AuditPlan, ticket: Ticket, as_of: datetime) -> TicketVerdicts:
    """Run every rule of the plan's standard on one ticket: the one rule loop."""
    standard = plan.standard
    ctx = TicketContext(ticket, as_of, standard.phrase_bank, standard.text_strip)
    if created_after(ticket, as_of):
        # Nothing about it can be judged yet; aggregates leave it out (in_scope False).
        count = len(standard.rules)
        return TicketVerdicts(
            ticket,
            [None if isinstance(c, AggregateCheck) else CREATED_AFTER_AS_OF for c in standard.checks],
            [False] * count,
            ctx.timeline(),
            None,
            after_as_of=True,
        )
    as_seen_at(ticket, as_of)
    score = TicketScore() if standard.quality else None
    outcomes: list[Outcome | None] = []
    in_scope: list[bool] = []
    fields = ticket.fields
    # Messages from an export without an author_role column: no rule can tell replies apart.
    roleless = any(m.role is Role.UNKNOWN for m in ticket.messages)
    for step in plan.steps:
        excluded_by = step.rule.in_scope(fields) if step.scoped else None
        in_scope.append(excluded_by is None)
        if step.aggregate:
            outcomes.append(None)
            continue
        if excluded_by is not None:
            outcomes.append(not_applicable(reasons.NOT_IN_SCOPE.text(field=excluded_by)))
            continue
        if roleless and step.reads_roles:
            outcomes.append(NEEDS_AUTHOR_ROLE)
            continue
        unmet = conditions_unmet(step.rule.when, ctx) if step.conditional else None
        outcome = not_applicable(unmet) if unmet else step.check.evaluate(ticket, ctx)
        outcomes.append(outcome)
        if score is not None and step.weight and outcome.status in _JUDGED:  # a weight: quality is on
            score.add(step.weight, outcome.status is Status.PASSED, step.rule.critical)
    return TicketVerdicts(ticket, outcomes, in_scope, ctx.timeline(), score)


class Tally:
    """Everything the reports count over a set of tickets: rule results, findings, KPIs, quality.

    One Tally covers a whole audit; `svcaudit report` keeps one per group. Memory does not grow with
    passing tickets, nor with findings: beyond a few thousand they wait on disk (`FindingLog`).
    """

    def __init__(
        self,
        plan: AuditPlan,
        keep_violations: bool = True,
        waivers: Waivers | None = None,
        findings_dir: str | None = None,
        timed: Collection[int] = (),
        findings_pool: SpillPool | None = None,
    ) -> None:
        standard = plan.standard
        self.plan = plan
        self.standard = standard
        self.results = [RuleResult(rule) for rule in standard.rules]
        self._rule_ids = [rule.id for rule in standard.rules]  # what a shard's state is checked against
        # Findings beyond a few thousand wait on disk (in `findings_dir`, else the system's temp dir);
        # tallies that share a `findings_pool` share its budget of findings in memory.
        self.violations = FindingLog(directory=findings_dir, pool=findings_pool)
        self.waived = FindingLog(directory=findings_dir, pool=findings_pool)
        self.waivers = waivers
        # How often each active waiver was used: a counter that parts of a run add up.
        self.waiver_use = [0] * len(waivers.active) if waivers is not None else []
        self.metrics = MetricsAccumulator()
        self.quality = QualityAccumulator() if standard.quality else None
        # The measured seconds of the passed and failed verdicts of the `timed` rules: the times
        # behind the medians and percentiles of `svcaudit report`.
        self.times: dict[int, array] = {index: array("q") for index in timed}
        self.tickets = 0
        self.after_as_of = 0  # tickets created after --as-of: counted, judged by no rule
        self.keep_violations = keep_violations
        self._aggregates = {
            index: check for index, check in enumerate(standard.checks) if isinstance(check, AggregateCheck)
        }
        self.states = {index: check.new_state() for index, check in self._aggregates.items()}
        self.finished = False

    def add(self, verdicts: TicketVerdicts, observe: bool = True) -> None:
        """Count one ticket's verdicts. Without `observe`, its scores and KPIs are left out: the
        columnar core folds them for a whole batch, this ticket's among them, in row order."""
        ticket = verdicts.ticket
        self.tickets += 1
        if verdicts.after_as_of:
            self.after_as_of += 1
        aggregates = self._aggregates
        for index, outcome in enumerate(verdicts.outcomes):
            if outcome is None:
                if observe and verdicts.in_scope[index]:
                    aggregates[index].observe(self.states[index], ticket)
                continue
            self.add_outcome(index, ticket, outcome)
        if self.quality is not None and verdicts.score is not None:
            self.quality.add(verdicts.score, ticket.agent, ticket.team)
        if observe and not verdicts.after_as_of:
            self.metrics.observe(ticket, verdicts.timeline)

    def add_outcome(self, index: int, ticket: Ticket, outcome: Outcome) -> None:
        """Count one rule's verdict on one ticket: a failure is waived, or kept as a finding."""
        if outcome.status is Status.FAILED:
            self.add_failure(index, violation_row(self.standard.rules[index], ticket, outcome))
            return
        _tally(self.results[index], outcome)
        measured = outcome.measured_seconds
        if self.times and index in self.times and outcome.status is Status.PASSED and measured is not None:
            self.times[index].append(measured)

    def add_failure(self, index: int, row: tuple) -> None:
        """Count one rule's failure, given as its finding's row (`violation_row`): waived, or
        kept as a finding. The columnar core words its failures straight into such rows."""
        if self.waivers is not None and self._waive(index, row):
            return
        self.results[index].failed += 1
        if self.times and index in self.times and row[MEASURED_AT] is not None:
            self.times[index].append(row[MEASURED_AT])
        if self.keep_violations:
            self.violations.append_row(row)

    @property
    def takes_chunks(self) -> bool:
        """Whether failures can be added as chunks kept as columns (`add_failure_chunk`): not
        when a waiver may take one, when findings are only counted, or when the findings log keeps
        rows only (a report's group: its chunks would be a few findings each)."""
        return self.waivers is None and self.keep_violations and self.violations.keeps_columns

    def add_failure_chunk(self, chunk: Any, rules: Sequence[int]) -> None:
        """`add_failure` of each finding of a chunk kept as columns (`results.finding_columns`),
        finding i a failure of rule `rules[i]`, when `takes_chunks`: counted at once, and the
        chunk kept as it is."""
        for index, count in Counter(rules).items():
            self.results[index].failed += count
        if self.times:
            measured = chunk.column("measured_seconds").to_pylist()
            for index, seconds in zip(rules, measured, strict=True):
                if index in self.times and seconds is not None:
                    self.times[index].append(seconds)
        self.violations.append_columns(chunk)

    def state(self, by_reference: bool = False) -> dict[str, Any]:
        """Everything added so far as plain data: what a shard hands on to be merged.

        Taken before `finish`, so aggregate rules are judged once, over all shards together.
        With `by_reference` (a worker process on this machine), findings already spilled to disk go
        as segments of their files, which the absorbing tally adopts; the findings are then gone here.
        """
        return {
            "tickets": self.tickets,
            "after_as_of": self.after_as_of,
            "rule_ids": self._rule_ids,
            "rules": [
                [r.passed, r.failed, r.pending, r.not_applicable, r.waived, dict(r.reasons)] for r in self.results
            ],
            "violations": self.violations.state(by_reference),
            "waived": self.waived.state(by_reference),
            "metrics": self.metrics.state(),
            "quality": None if self.quality is None else self.quality.state(),
            "aggregates": {str(index): state for index, state in self.states.items()},
            "waiver_use": None if self.waivers is None else list(self.waiver_use),
            **({"times": {str(index): values.tobytes() for index, values in self.times.items()}} if self.times else {}),
        }

    def absorb(self, state: dict[str, Any]) -> None:
        """Add a shard's state; shards absorbed in input order give the single run's results."""
        if state["rule_ids"] != self._rule_ids:
            raise ValueError("the partial result was made with another standard")
        self.tickets += state["tickets"]
        self.after_as_of += state.get("after_as_of", 0)
        for result, (passed, failed_, pending_, not_applicable_, waived, why) in zip(
            self.results, state["rules"], strict=False
        ):
            result.passed += passed
            result.failed += failed_
            result.pending += pending_
            result.not_applicable += not_applicable_
            result.waived += waived
            if why:
                result.reasons.update(why)
        self.violations.absorb(state["violations"])
        self.waived.absorb(state["waived"])
        self.metrics.absorb(state["metrics"])
        if self.quality is not None and state["quality"] is not None:
            self.quality.absorb(state["quality"])
        for key, other in state["aggregates"].items():
            index = int(key)
            self.states[index] = self._aggregates[index].merge(self.states[index], other)
        for key, values in state.get("times", {}).items():
            self.times[int(key)].frombytes(values)
        if self.waivers is not None and state.get("waiver_use"):
            self.waiver_use = [mine + theirs for mine, theirs in zip(self.waiver_use, state["waiver_use"], strict=True)]

    def _waive(self, index: int, row: tuple) -> bool:
        """Count a failure (its finding's row) as waived when an active waiver covers it; waived
        is never dropped."""
        assert self.waivers is not None
        found = self.waivers.find(row[TICKET_ID_AT], self._rule_ids[index])
        if found is None:
            return False
        self.waiver_use[found] += 1
        self.results[index].waived += 1
        self.waived.append_row(row[:WAIVER_AT] + (self.waivers.active[found].reason,) + row[WAIVER_AT + 1 :])
        return True

    def finish(self) -> None:
        """Judge the aggregate rules once, over everything added."""
        if self.finished:
            return
        self.finished = True
        for index, check in self._aggregates.items():
            outcome = check.finish(self.states[index])
            result = self.results[index]
            row = violation_row(result.rule, None, outcome) if outcome.status is Status.FAILED else None
            if row is not None and self.waivers is not None and self._waive(index, row):
                continue
            _tally(result, outcome)
            result.value = None if outcome.measured_value is None else round(outcome.measured_value, 4)
            if row is not None and self.keep_violations:
                self.violations.append_row(row)


def after_as_of_warning(tickets: int, messages: int, as_of: datetime) -> str:
    """--as-of earlier than the data: what was left out, so that a misread date shows."""
    parts = []
    if tickets:
        parts.append(
            f"{reasons.counted(tickets, 'ticket')} created after --as-of {as_of.isoformat()} "
            "(not applicable to every rule)"
        )
    if messages:
        after = "it" if tickets else f"--as-of {as_of.isoformat()}"
        parts.append(f"{reasons.counted(messages, 'message')} stamped after {after} (ignored)")
    return reasons.AFTER_AS_OF.text(what="; ".join(parts))


class InputAccounts(Protocol):
    """What an audit's report says of its inputs: an `Intake` once read, or the accounts of rows
    that came as Arrow record batches (`batches.BatchAccounts`)."""

    @property
    def rejected(self) -> list[Rejection]: ...

    @property
    def warnings(self) -> list[str]: ...

    @property
    def messages_after_as_of(self) -> int: ...

    @property
    def grouping(self) -> str | None: ...

    @property
    def inputs(self) -> list[InputStats]: ...


def ordered_rejections(intake: InputAccounts) -> list[Rejection]:
    """Rejected rows by input and physical row: the same list whichever way messages were joined."""
    order = {stats.path: index for index, stats in enumerate(intake.inputs)}
    return sorted(intake.rejected, key=lambda r: (order.get(r.path, len(order)), r.row))


def rejection_warnings(intake: Intake, tickets_after_as_of: int = 0, as_of: datetime | None = None) -> list[str]:
    """The warnings every format carries about the input: rejected rows are never a silent pass."""
    warnings = list(intake.warnings)  # empty files, renamed duplicate columns, date orders
    return warnings + input_warnings(intake.inputs, tickets_after_as_of, intake.messages_after_as_of, as_of)


def input_warnings(
    inputs: Sequence[InputStats], tickets_after_as_of: int, messages_after_as_of: int, as_of: datetime | None
) -> list[str]:
    """What the rows' accounts say (rejected rows and fields, folded rows, internal notes, data
    after --as-of): one list for a run, a weekly report and the merge of partial results."""
    warnings = []
    rejected = sum(i.rows_rejected for i in inputs)
    if rejected:
        read = sum(i.rows_read for i in inputs)
        warnings.append(reasons.ROWS_REJECTED.text(count=rejected, read=read))
    fields = sum(i.fields_rejected for i in inputs)
    if fields:
        warnings.append(reasons.FIELDS_REJECTED.text(fields=reasons.counted(fields, "field")))
    for item in inputs:
        if item.rows_folded:
            tickets = item.rows_read - item.rows_rejected - item.rows_folded
            warnings.append(reasons.ROWS_FOLDED.text(path=item.path, count=item.rows_folded, tickets=tickets))
    notes = sum(i.notes for i in inputs)
    if notes:
        warnings.append(reasons.INTERNAL_NOTES.text(notes=reasons.counted(notes, "internal note")))
    if as_of is not None and (tickets_after_as_of or messages_after_as_of):
        warnings.append(after_as_of_warning(tickets_after_as_of, messages_after_as_of, as_of))
    return warnings


_JUDGED = (Status.PASSED, Status.FAILED)


def _tally(result: RuleResult, outcome: Outcome) -> None:
    status = outcome.status
    if status is Status.PASSED:
        result.passed += 1
    elif status is Status.FAILED:
        result.failed += 1
    elif status is Status.PENDING:
        result.pending += 1
    else:
        result.not_applicable += 1
        result.reasons[outcome.reason] += 1
