"""The columnar core: ticket rows judged a batch at a time, on numpy arrays, into the same Tally.

A ticket-row export is read as batches of text columns (`Intake.row_batches`: Arrow's reading of a
CSV, or the reference reader's rows of JSON and of a CSV Arrow cannot read exactly), typed
column-wise (`intake.column_typer`). For each batch,
every rule's column kernel (`checks.columns`) settles the rows it can: passes, pending rows and
not-applicable verdicts with their reasons, which are counted in bulk, and failures it is sure of,
with the numbers that word them. What the kernels leave is judged in row order (`judge_left`, here
or in `--jobs` workers): a failed rule is worded by its check's `column_failures` from the kernel's
numbers, with the functions `evaluate` words it with, a column at a time and straight into finding
rows; a rule a kernel deferred for a row (anything
it cannot settle exactly) by its check's `evaluate`, on the row typed by the reference parser; a row
the vectorised typing was not sure of, or stamped after --as-of, by the whole reference rule loop
(`engine.judge_ticket`). So findings, their order and wording are the reference's. KPIs and score
rules are folded for the whole batch in row order, the
rows left to the reference included, so even their float sums are the ones a loop over the rows
makes.

The result is the Tally the reference gives the same rows (the property tests in
tests/audit/test_columnar.py hold it so on every check kind and every built-in standard). With a
`RowSplit` (`svcaudit report`), each group's rows of a batch are counted, folded and left to the
reference into that group's own tally, in row order, after the kernels ran once for the batch.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from svcaudit.audit.column_conditions import settle_conditions
from svcaudit.audit.engine import Tally, created_after, judge_ticket
from svcaudit.audit.plan import AuditPlan, RuleStep
from svcaudit.checks.base import ColumnKernel, FailedColumns, Status, TicketContext
from svcaudit.checks.columns import (
    DEFER,
    FAIL,
    MISSING,
    NOT_APPLICABLE,
    PASS,
    PENDING,
    ColumnVerdicts,
    TicketColumns,
)
from svcaudit.checks.score import ScoreCheck, fold_scores
from svcaudit.intake.arrow_csv import CellBatch
from svcaudit.intake.column_typer import NUMBER_FIELDS, STAMP_FIELDS, figures, listed, type_columns
from svcaudit.intake.fields import FieldError, RowParser, duplicate_id
from svcaudit.intake.intake import Intake
from svcaudit.intake.model import InputStats, RowRef, Ticket
from svcaudit.intake.row_batches import RowBatch
from svcaudit.intake.seen_ids import SeenIds, row_ids
from svcaudit.results.kpis import SCORES
from svcaudit.results.model import WHO_FIELDS, violation_row_of
from svcaudit.results.quality import TicketScore
from svcaudit.standard.model import Rule
from svcaudit.timecalc.instant_columns import utc_instants
from svcaudit.timecalc.zoneclock import to_epoch_us

JUDGED = (Status.PASSED, Status.FAILED)
CODES = max(PASS, NOT_APPLICABLE, PENDING, DEFER, FAIL) + 1  # what a kernel can say of a row
# Kernel failures below this many are made rows: a chunk has fixed costs (a score of Arrow arrays,
# a segment of its own in the findings file) that a few rows do not pay for.
CHUNK_MIN_FINDINGS = 256


def unsupported(plan: AuditPlan) -> str | None:
    """Why the columnar core cannot audit with this plan (the reference path then does), or None.

    A `where` scope reads any column of a row, which the core does not type; an aggregate rule
    other than a score has no column fold."""
    for step in plan.steps:
        if step.scoped:
            return f"rule {step.rule.id} has a `where` scope"
        if step.aggregate and not isinstance(step.check, ScoreCheck):
            return f"rule {step.rule.id} is an aggregate rule without a column fold"
    return None


@dataclass
class ColumnStep:
    """A rule as the core runs it: its kernel (None: every row is left to `evaluate`)."""

    step: RuleStep
    kernel: ColumnKernel | None


class RowSource(Protocol):
    """Rows for the reference parser to type: a FieldError in place of a row it rejects."""

    def tickets(self, parser: RowParser | None) -> list[Ticket | FieldError]: ...


@dataclass
class CellRows:
    """Rows of a CSV input as their cells (Arrow string columns, cheap to hand to a worker)."""

    path: str
    names: list[str]
    lines: np.ndarray
    columns: list[Any]

    def tickets(self, parser: RowParser | None) -> list[Ticket | FieldError]:
        assert parser is not None
        return [
            _reference_ticket(parser, RowRef(self.path, line), dict(zip(self.names, row, strict=True)))
            for line, row in zip(self.lines.tolist(), _cells_of(self.columns, len(self.lines)), strict=True)
        ]


@dataclass
class MappedRows:
    """Rows of a JSON input as the reference reader gives them: a mapping by canonical name each."""

    path: str
    lines: list[int]
    values: list[dict[str, Any]]

    def tickets(self, parser: RowParser | None) -> list[Ticket | FieldError]:
        assert parser is not None
        return [
            _reference_ticket(parser, RowRef(self.path, line), values)
            for line, values in zip(self.lines, self.values, strict=True)
        ]


@dataclass
class ColumnRows:
    """Rows typed column-wise, for checks that read no column beyond the typed fields: their values
    as the reference types them, and their timestamps as written, which the reference parser reads
    (so each keeps its zone). The ticket's `fields` stay empty (`Check.READS_FIELDS`)."""

    path: str
    present: frozenset[str]
    lines: list[int]
    values: list[dict[str, Any]]  # each row's typed fields but the timestamps
    stamps: list[dict[str, str]]  # each row's timestamp cells as written

    def tickets(self, parser: RowParser | None) -> list[Ticket | FieldError]:
        assert parser is not None
        made: list[Ticket | FieldError] = []
        for line, values, stamps in zip(self.lines, self.values, self.stamps, strict=True):
            moments: dict[str, Any] = {name: parser.timestamp(stamps, name, self.path) for name in stamps}
            made.append(
                Ticket(ref=RowRef(self.path, line), has_ticket_row=True, columns=self.present, **values, **moments)
            )
        return made


SUBJECT_FIELDS = ("ticket_id", "agent", "team", "channel", "priority")


@dataclass
class Subjects:
    """What the findings of rows a kernel failed name of them: the input's path, each row's
    physical line, and its SUBJECT_FIELDS, a list each."""

    path: str
    lines: list[int]
    values: dict[str, list[str | None]]

    @classmethod
    def of(cls, path: str, lines: np.ndarray, cols: TicketColumns, rows: np.ndarray) -> Subjects:
        """The subjects of the batch's `rows` (positions), read from its coded columns."""
        values = {}
        for name in SUBJECT_FIELDS:
            codes, distinct = cols.coded[name]
            values[name] = [distinct[code] for code in codes[rows].tolist()]
        return cls(path, lines[rows].tolist(), values)


@dataclass
class KernelFailures:
    """The rows of a batch a rule's kernel failed (not judged whole): the numbers that word their
    findings (`Check.column_failures`) and what the findings name of each row."""

    numbers: dict[str, np.ndarray]
    subjects: Subjects


def _finding_fields(
    rule: Rule, subjects: Subjects, failed: FailedColumns
) -> tuple[dict[str, Sequence[Any] | None], dict[str, Any]]:
    """The fields of a kernel's findings: those with a value per finding (None: null in every one),
    and those with one value for them all. `due_at` is in epoch microseconds."""
    per_finding = {
        "ticket_id": subjects.values["ticket_id"],
        "message": failed.reasons,
        "measured_seconds": failed.measured_seconds,
        "target_seconds": failed.target_seconds,
        "due_at": failed.due_at,
        "evidence": failed.evidence,
        "row": subjects.lines,
        "measured_value": failed.measured_value,
        "target_value": failed.target_value,
        **{name: subjects.values[name] for name in WHO_FIELDS},
    }
    every = {
        "rule": rule.id,
        "severity": rule.severity.value,
        "path": subjects.path,
        "field": failed.field,
        "message_index": None,
        "waiver": None,
    }
    return per_finding, every


def failure_rows(rule: Rule, subjects: Subjects, failed: FailedColumns) -> list[tuple]:
    """The findings of a kernel's failures as `engine.violation_row` makes them, a row each."""
    count = len(failed)
    per_finding, every = _finding_fields(rule, subjects, failed)
    due = per_finding["due_at"]
    per_finding["due_at"] = None if due is None else utc_instants(np.asarray(due))
    columns: dict[str, Iterable[Any]] = {name: itertools.repeat(value, count) for name, value in every.items()}
    for name, values in per_finding.items():
        columns[name] = itertools.repeat(None, count) if values is None else values
    return list(zip(*violation_row_of(columns), strict=False))


def failure_chunk(rule: Rule, subjects: Subjects, failed: FailedColumns) -> pa.RecordBatch | None:
    """The findings `failure_rows` makes, as a chunk kept as columns (`finding_columns.SCHEMA`);
    None when a measured or target value is not a whole number, which that schema does not hold."""
    from svcaudit.results.finding_columns import SCHEMA

    count = len(failed)
    per_finding, every = _finding_fields(rule, subjects, failed)
    for name in ("measured_value", "target_value"):
        values = per_finding[name]
        if values is not None and any(value is not None and type(value) is not int for value in values):
            return None
    columns = []
    for name in SCHEMA.names:
        kind = SCHEMA.field(name).type
        if name in every:
            value = every[name]
            columns.append(pa.nulls(count, kind) if value is None else pa.repeat(pa.scalar(value, kind), count))
        else:
            values = per_finding[name]
            columns.append(pa.nulls(count, kind) if values is None else pa.array(values, kind))
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)


@dataclass
class RowsLeft:
    """What a batch's kernels left to the reference, in row order, as plain values a worker process
    can take: rows judged whole (`whole`), rows with rules to `evaluate` or failed by a kernel
    (`codes`: each rule's kernel code, DEFER where `evaluate` judges, FAIL where the check's
    `column_failures` words the finding from `failures`), and with a quality score every row."""

    whole: np.ndarray
    codes: np.ndarray  # (rows, rules of the plan that are not aggregates)
    typed: dict[int, Ticket]  # rows the reference typed already, by their place here
    sources: list[tuple[np.ndarray, RowSource]]  # the places of the other rows to type, and their source
    who: list[tuple[str | None, str | None]] | None  # (agent, team) of each row, with a quality score
    # Per rule: its FAIL rows (not judged whole), in row order; None: it failed none.
    failures: list[KernelFailures | None]


def judge_left(tally: Tally, left: RowsLeft, parser: RowParser | None, as_of: datetime) -> None:
    """Judge what the kernels left into `tally`, in row order, as the reference loop would."""
    plan, standard = tally.plan, tally.standard
    steps = [step for step in plan.steps if not step.aggregate]
    tickets = dict(left.typed)
    for places, source in left.sources:
        for place, typed in zip(places.tolist(), source.tickets(parser), strict=True):
            assert not isinstance(typed, FieldError)  # rows the core typed column-wise are rows the reference types
            tickets[place] = typed
    quality = tally.quality if left.who is not None else None
    # The kernels' failures as one chunk kept as columns, or else as rows of their own.
    kernel = _kernel_chunk(tally, steps, left, as_of) if quality is None else None
    found = [
        None
        if failures is None or kernel is not None
        else iter(failure_rows(step.rule, failures.subjects, step.check.column_failures(failures.numbers, as_of)))
        for step, failures in zip(steps, left.failures, strict=True)
    ]
    context: list[Any] = [None, None]  # the place whose TicketContext is held, and that context

    def judge(place: int, column: int) -> tuple[bool, bool]:
        """Count rule `column` on row `place` (DEFER: `evaluate`; FAIL: the kernel's finding);
        whether it was judged, and passed."""
        step = steps[column]
        if left.codes[place, column] == FAIL:
            rows = found[column]
            assert rows is not None
            tally.add_failure(step.index, next(rows))
            return True, False
        ticket = tickets[place]
        if context[0] != place:
            context[:] = place, TicketContext(ticket, as_of, standard.phrase_bank, standard.text_strip)
        outcome = step.check.evaluate(ticket, context[1])
        tally.add_outcome(step.index, ticket, outcome)
        return outcome.status in JUDGED, outcome.status is Status.PASSED

    if quality is None:
        # Only the rules left on each row, in the reference's order: by row, then by rule. The
        # kernels' failures in a chunk are not visited one by one: the chunk is handed on in
        # slices, each before the first finding made here that follows it.
        places, columns, kernel_failed = _left_in_order(left)
        if kernel is None:
            kernel_failed[:] = False
        failed_before = np.cumsum(kernel_failed)
        here = ~kernel_failed
        handed = 0

        def hand_on_failures(upto: int) -> None:
            assert kernel is not None
            chunk, rules = kernel
            tally.add_failure_chunk(chunk.slice(handed, upto - handed), rules[handed:upto])

        for place, column, before in zip(
            places[here].tolist(), columns[here].tolist(), failed_before[here].tolist(), strict=True
        ):
            if before > handed:
                hand_on_failures(before)
                handed = before
            if column < 0:
                tally.add(judge_ticket(plan, tickets[place], as_of), observe=False)
            else:
                judge(place, column)
        total = int(failed_before[-1]) if failed_before.size else 0
        if total > handed:
            hand_on_failures(total)
        return
    for place in range(len(left.whole)):
        if left.whole[place]:
            tally.add(judge_ticket(plan, tickets[place], as_of), observe=False)
            continue
        score = TicketScore()
        for column, step in enumerate(steps):
            code = left.codes[place, column]
            if code == DEFER or code == FAIL:
                judged, passed = judge(place, column)
            else:
                judged = passed = code == PASS
            if step.weight and judged:
                score.add(step.weight, passed, step.rule.critical)
        assert left.who is not None
        quality.add(score, *left.who[place])


def _kernel_chunk(
    tally: Tally, steps: list[RuleStep], left: RowsLeft, as_of: datetime
) -> tuple[pa.RecordBatch, list[int]] | None:
    """Every failure the kernels settled in `left`, as one chunk kept as columns in the order the
    reference finds them (by row, then by rule), with each finding's rule (its index in the
    standard); None when they are to be counted one by one (`Tally.takes_chunks`, a value the
    chunk cannot hold) or are too few to pay for a chunk's fixed costs (CHUNK_MIN_FINDINGS: a
    report's group in a batch)."""
    found = sum(len(failures.subjects.lines) for failures in left.failures if failures is not None)
    if not tally.takes_chunks or found < CHUNK_MIN_FINDINGS:
        return None
    parts, places, columns = [], [], []
    for column, (step, failures) in enumerate(zip(steps, left.failures, strict=True)):
        if failures is None:
            continue
        failed = step.check.column_failures(failures.numbers, as_of)
        chunk = failure_chunk(step.rule, failures.subjects, failed)
        if chunk is None:
            return None
        parts.append(chunk)
        places.append(np.flatnonzero((left.codes[:, column] == FAIL) & ~left.whole))
        columns.append(np.full(len(failed), column))
    place, rule_column = np.concatenate(places), np.concatenate(columns)
    order = np.lexsort((rule_column, place))
    merged = pa.Table.from_batches(parts).take(pa.array(order)).combine_chunks()
    rules = [steps[column].index for column in rule_column[order].tolist()]
    return merged.to_batches()[0], rules


def _left_in_order(left: RowsLeft) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The place and rule column of every rule to judge, and (place, -1) of every row judged
    whole, ordered by place, then column; and for each, whether a kernel failed it."""
    active = ((left.codes == DEFER) | (left.codes == FAIL)) & ~left.whole[:, None]
    places, columns = np.nonzero(active)
    failed = left.codes[places, columns] == FAIL
    wholes = np.flatnonzero(left.whole)
    places = np.concatenate((places, wholes))
    columns = np.concatenate((columns, np.full(wholes.size, -1)))
    failed = np.concatenate((failed, np.zeros(wholes.size, dtype=bool)))
    order = np.lexsort((columns, places))
    return places[order], columns[order], failed[order]


@dataclass
class Batch:
    """One batch of ticket rows for the core, read from `path`, row i from physical line `rows[i]`.

    `cols` holds the rows typed column-wise; `exact` marks the rows whose typed values are the
    reference typing's; `untyped(positions)` gives those rows for the reference parser to type.
    The rest are how the batch's rows are accounted to its input: a rejected row or field, a row
    folded into an earlier one of its ticket."""

    path: str
    rows: np.ndarray
    cols: TicketColumns
    exact: np.ndarray
    untyped: Callable[[np.ndarray], RowSource]
    reject: Callable[[int, str | None, str], None]
    reject_fields: Callable[[Ticket], None]
    fold: Callable[[int], None]
    # The same rows typed from the columns, for checks that read only typed fields (None: none such).
    typed_only: Callable[[np.ndarray], RowSource] | None = None


class RowSplit(Protocol):
    """The tallies a batch's accepted rows are counted in, each with its rows (positions of
    accepted rows, in order; no row in two), given the rows the reference parser typed (`tickets`,
    by position). A row in none of them is left unjudged."""

    def __call__(
        self, batch: Batch, accepted: np.ndarray, tickets: dict[int, Ticket]
    ) -> list[tuple[Tally, np.ndarray]]: ...


@dataclass
class ColumnAudit:
    """Judges batches of ticket rows into a Tally, as `tally.add(judge_ticket(...))` row by row
    would. With `duplicates` (`input.duplicates`: reject or first), a ticket id read before is
    rejected or folded by position, as the reference intake does."""

    tally: Tally
    as_of: datetime
    duplicates: str | None = None
    parser: RowParser | None = None  # types the rows the kernels leave (None: they come typed)
    # Where what the kernels leave is judged, into the tally it is for: here (None), or handed on
    # (`workers.LeftJudges`).
    hand_on: Callable[[RowsLeft, Tally], None] | None = None
    # Which tally counts which rows (None: `tally` counts every row): `svcaudit report` keeps a
    # tally per group (`grouped.GroupedTally.split`).
    split: RowSplit | None = None
    steps: list[ColumnStep] = field(init=False)

    def __post_init__(self) -> None:
        plan = self.tally.plan
        problem = unsupported(plan)
        if problem is not None:
            raise ValueError(f"the columnar core cannot run this standard: {problem}")
        self.steps = [
            ColumnStep(step, None if step.aggregate else step.check.column_kernel(self.as_of)) for step in plan.steps
        ]
        self._as_of_us = to_epoch_us(self.as_of)
        self._seen = SeenIds() if self.duplicates is not None else None

    def add(self, batch: Batch) -> None:
        """Judge one batch of rows."""
        cols = batch.cols
        size = cols.size
        accepted = np.ones(size, dtype=bool)
        tickets: dict[int, Ticket] = {}
        unsure = np.flatnonzero(~batch.exact)
        for i, typed in zip(unsure.tolist(), batch.untyped(unsure).tickets(self.parser), strict=True):
            if isinstance(typed, FieldError):
                batch.reject(i, typed.field, typed.message)
                accepted[i] = False
            else:
                tickets[i] = typed
        if self._seen is not None:
            self._screen_repeats(batch, accepted, tickets)
        for ticket in tickets.values():
            if ticket.rejected_fields:
                batch.reject_fields(ticket)
        sinks = [(self.tally, np.flatnonzero(accepted))] if self.split is None else self.split(batch, accepted, tickets)
        if not sinks:
            return
        created = cols.stamps["created_at"]
        after = (created != MISSING) & (created > self._as_of_us)
        for i, ticket in tickets.items():  # typed by the reference: its own reading counts
            after[i] = created_after(ticket, self.as_of)
        late = np.zeros(size, dtype=bool)
        for name in ("first_reply_at", "resolved_at"):
            stamp = cols.stamps[name]
            late |= (stamp != MISSING) & (stamp > self._as_of_us)
        # Rows the reference judges whole: typed by it, or stamped after --as-of.
        whole = accepted & (~batch.exact | after | late)
        columned = accepted & ~whole
        verdicts: list[ColumnVerdicts | None] = []
        deferring = np.zeros(size, dtype=bool)  # rows with a rule left to `evaluate`
        failing = np.zeros(size, dtype=bool)  # rows with a rule a kernel failed
        for column_step in self.steps:
            step = column_step.step
            if step.aggregate:
                verdicts.append(None)
                continue
            rule_verdicts = self._judge(column_step, cols)
            deferring |= columned & (rule_verdicts.codes == DEFER)
            failing |= columned & (rule_verdicts.codes == FAIL)
            verdicts.append(rule_verdicts)
        numbers = self._numbers(cols, tickets)
        unsettled = deferring | failing
        # Rows left to the reference: with a quality score every row is (its score is a loop's).
        scored = self.tally.quality is not None and any(s.step.weight for s in self.steps)
        leftover = whole | unsettled | (columned if scored else False)
        self._count(sinks, verdicts, columned)
        for tally, rows in sinks:
            self._fold(tally, numbers, rows[~after[rows]])
            left = self._left(batch, cols, verdicts, rows[leftover[rows]], whole, deferring, tickets, scored)
            if left is None:
                continue
            if self.hand_on is not None:
                self.hand_on(left, tally)
            else:
                judge_left(tally, left, self.parser, self.as_of)

    def _screen_repeats(self, batch: Batch, accepted: np.ndarray, tickets: dict[int, Ticket]) -> None:
        """Reject or fold the rows whose ticket id was read before (`input.duplicates`)."""
        assert self._seen is not None
        positions = np.flatnonzero(accepted)
        codes, values = batch.cols.coded["ticket_id"]
        ids = row_ids(codes, values, positions, {i: ticket.ticket_id for i, ticket in tickets.items()})
        for repeat in self._seen.add(batch.path, batch.rows[positions], ids):
            i = int(positions[repeat.position])
            accepted[i] = False
            tickets.pop(i, None)
            if self.duplicates == "first":
                batch.fold(i)
            else:
                batch.reject(i, "ticket_id", duplicate_id(repeat.ticket_id, repeat.first_path, repeat.first_row))

    def _judge(self, column_step: ColumnStep, cols: TicketColumns) -> ColumnVerdicts:
        """The rule's kernel after its `when` (`column_conditions`)."""
        step = column_step.step
        verdicts = ColumnVerdicts(cols.size)
        if step.conditional:
            settle_conditions(verdicts, step.rule.when, cols, self._as_of_us)
        if column_step.kernel is None:
            verdicts.defer(verdicts.open)
        else:
            column_step.kernel(cols, verdicts)
        return verdicts

    def _count(
        self, sinks: list[tuple[Tally, np.ndarray]], verdicts: list[ColumnVerdicts | None], columned: np.ndarray
    ) -> None:
        """The settled verdicts of each sink's rows in the core (`columned`), counted in bulk, rule
        by rule, for every sink at once: a report's batch holds rows of a hundred groups."""
        group = np.full(columned.size, -1, dtype=np.int64)
        for position, (_, rows) in enumerate(sinks):
            group[rows] = position
        core = np.flatnonzero(columned & (group >= 0))
        groups, count = group[core], len(sinks)
        tallies = [tally for tally, _ in sinks]
        for position, tickets in enumerate(np.bincount(groups, minlength=count).tolist()):
            tallies[position].tickets += tickets
        for index, rule_verdicts in enumerate(verdicts):
            if rule_verdicts is None:
                continue
            codes = rule_verdicts.codes[core]
            table = np.bincount(groups * CODES + codes, minlength=count * CODES).reshape(count, CODES)
            for position in np.flatnonzero(table[:, PASS] | table[:, PENDING]).tolist():
                result = tallies[position].results[index]
                result.passed += int(table[position, PASS])
                result.pending += int(table[position, PENDING])
            passes = codes == PASS
            if any(index in tally.times for tally in tallies) and passes.any():
                assert rule_verdicts.measured is not None, "a timed rule's kernel measures what it passes"
                self._times(tallies, index, groups[passes], rule_verdicts.measured[core][passes])
            not_applicable = codes == NOT_APPLICABLE
            if not_applicable.any():
                texts = rule_verdicts.texts
                reasons = groups[not_applicable] * len(texts) + rule_verdicts.reasons[core][not_applicable]
                table = np.bincount(reasons, minlength=count * len(texts)).reshape(count, len(texts))
                for position, text in zip(*np.nonzero(table), strict=True):
                    result = tallies[position].results[index]
                    result.not_applicable += int(table[position, text])
                    result.reasons[texts[text]] += int(table[position, text])

    @staticmethod
    def _times(tallies: list[Tally], index: int, groups: np.ndarray, measured: np.ndarray) -> None:
        """The measured seconds of rule `index`'s passes, each in its group's tally, in row order."""
        order = np.argsort(groups, kind="stable")
        ends = np.cumsum(np.bincount(groups, minlength=len(tallies)))
        seconds = measured[order].astype(np.int64)
        for position, tally in enumerate(tallies):
            start = ends[position - 1] if position else 0
            if index in tally.times and ends[position] > start:
                tally.times[index].frombytes(seconds[start : ends[position]].tobytes())

    @staticmethod
    def _numbers(cols: TicketColumns, tickets: dict[int, Ticket]) -> dict[str, np.ndarray]:
        """The batch's number fields, the rows the reference parser typed (`tickets`) as it typed them."""
        numbers = {name: cols.numbers[name].copy() for name in NUMBER_FIELDS}
        for position, ticket in tickets.items():
            for name in NUMBER_FIELDS:
                value = getattr(ticket, name)
                numbers[name][position] = np.nan if value is None else value
        return numbers

    def _fold(self, tally: Tally, numbers: dict[str, np.ndarray], observed: np.ndarray) -> None:
        """KPIs and score rules over the `observed` rows (positions, in order), as
        `MetricsAccumulator.observe` folds them row by row."""
        metrics = tally.metrics
        for name in SCORES:
            fold_scores(metrics.scores[name], name, numbers[name][observed])
        reopens = numbers["reopens"][observed]
        known = ~np.isnan(reopens)
        metrics.with_reopen_data += int(known.sum())
        metrics.reopened += int((reopens[known] > 0).sum())
        for column_step in self.steps:
            step = column_step.step
            if step.aggregate:
                check = step.check
                assert isinstance(check, ScoreCheck)
                fold_scores(tally.states[step.index], check.metric, numbers[check.metric][observed])

    def _left(
        self,
        batch: Batch,
        cols: TicketColumns,
        verdicts: list[ColumnVerdicts | None],
        rows: np.ndarray,
        whole: np.ndarray,
        deferring: np.ndarray,
        tickets: dict[int, Ticket],
        scored: bool,
    ) -> RowsLeft | None:
        """What the kernels left of `rows` (positions, in order): rows the reference judges whole,
        rows with a rule a kernel deferred or failed, and with a quality score (`scored`) every row
        (quality tables keep agents and teams in the order they first appear); None when nothing
        is left."""
        if rows.size == 0:
            return None
        judged = [v.codes[rows] for v in verdicts if v is not None]
        codes = np.stack(judged, axis=1) if judged else np.zeros((rows.size, 0), dtype=np.int8)
        typed = {place: tickets[i] for place, i in enumerate(rows.tolist()) if i in tickets}
        need = (deferring | whole)[rows] & batch.exact[rows]  # rows left the reference has not typed
        # A row whose deferred rules read no column beyond the typed fields is typed from the columns.
        reads_fields = np.array([s.step.check.READS_FIELDS for s in self.steps if not s.step.aggregate], dtype=bool)
        full = whole[rows] | ((codes == DEFER) & reads_fields).any(axis=1)
        light = np.flatnonzero(need & ~full) if batch.typed_only is not None else np.empty(0, dtype=np.int64)
        heavy = np.flatnonzero(need & (full if batch.typed_only is not None else True))
        sources = [(heavy, batch.untyped(rows[heavy]))] if heavy.size else []
        if light.size:
            assert batch.typed_only is not None
            sources.append((light, batch.typed_only(rows[light])))
        who = None
        if scored:
            agent_codes, agents = cols.coded["agent"]
            team_codes, teams = cols.coded["team"]
            pairs = zip(agent_codes[rows].tolist(), team_codes[rows].tolist(), strict=True)
            who = [(agents[agent], teams[team]) for agent, team in pairs]
        failures = []
        for rule_verdicts in verdicts:
            if rule_verdicts is None:
                continue
            failed = rows[(rule_verdicts.codes[rows] == FAIL) & ~whole[rows]] if rule_verdicts.failures else None
            failures.append(
                None
                if failed is None or failed.size == 0
                else KernelFailures(
                    rule_verdicts.failure_numbers(failed), Subjects.of(batch.path, batch.rows, cols, failed)
                )
            )
        return RowsLeft(whole[rows], codes, typed, sources, who, failures)


def audit_ticket_rows(
    tally: Tally,
    intake: Intake,
    as_of: datetime,
    progress: Callable[[int], None] | None,
    hand_on: Callable[[RowsLeft, Tally], None] | None = None,
    split: RowSplit | None = None,
) -> None:
    """Every input of a ticket-row intake, a batch at a time (`Intake.row_batches`: a plain CSV
    read by Arrow, any other input by the reference reader), judged by the core; what the kernels
    leave is judged here, or handed on (`workers.LeftJudges`).

    Raises ColumnarUnfit when the rows Arrow gave of a CSV cannot stand (the run is then made
    again on the reference path: `run.run_audit`)."""
    audit = ColumnAudit(tally, as_of, intake.duplicates, intake.parser, hand_on, split)
    for index in range(intake.input_count):
        stats = intake.inputs[index]
        for rows in intake.row_batches(index):
            audit.add(row_batch(rows, intake.parser, intake, stats))
            if progress is not None:
                progress(tally.tickets)


def row_batch(rows: RowBatch, parser: RowParser, accounts: RowAccounts, stats: InputStats) -> Batch:
    """A batch of an input's rows as the core takes it (`cell_batch`); the JSON rows whose text
    does not stand for their values (`RowBatch.raw_values`) typed by the reference parser from them."""
    batch = cell_batch(rows.cells, rows.names, parser, accounts, stats)
    raw_values = rows.raw_values
    if not raw_values:
        return batch
    path, lines, names, columns = batch.path, batch.rows, rows.names, rows.cells.cells

    def untyped(positions: np.ndarray) -> RowSource:
        index = pa.array(positions)
        cells = _cells_of([column.take(index) for column in columns], positions.size)
        values = [
            raw_values.get(place) or dict(zip(names, row, strict=True))
            for place, row in zip(positions.tolist(), cells, strict=True)
        ]
        return MappedRows(path, lines[positions].tolist(), values)

    raw = np.zeros(len(lines), dtype=bool)
    raw[list(raw_values)] = True
    batch.exact = batch.exact & ~raw
    batch.untyped = untyped
    return batch


class RowAccounts(Protocol):
    """Where the rows a batch rejects are accounted: an `Intake`, or `batches.BatchAccounts` for
    rows that came as Arrow record batches."""

    def reject_row(self, path: str, row: int, field_name: str | None, error: str) -> None: ...

    def reject_fields(self, ticket: Ticket) -> None: ...


def cell_batch(
    cells: CellBatch, names: list[str], parser: RowParser, accounts: RowAccounts, stats: InputStats
) -> Batch:
    """A batch of an input's rows as the core takes it: typed column-wise, rows it is not sure of
    typed by `parser` as a file run types them, rejections accounted in `accounts` and folded
    rows in the input's `stats`. `names` are the canonical names of `cells`' columns."""
    path, rows = cells.path, cells.rows
    typed = type_columns(cells, names, parser)

    def untyped(positions: np.ndarray) -> RowSource:
        index = pa.array(positions)
        return CellRows(path, names, rows[positions], [column.take(index) for column in cells.cells])

    stamp_columns = {name: cells.cells[names.index(name)] for name in STAMP_FIELDS if name in names}
    present = typed.present

    def typed_only(positions: np.ndarray) -> RowSource:
        index = pa.array(positions)
        raw = {name: column.take(index).to_pylist() for name, column in stamp_columns.items()}
        texts = {name: listed(codes[positions], values) for name, (codes, values) in typed.coded.items()}
        texts.update((name, figures(typed.numbers[name][positions], name)) for name in NUMBER_FIELDS)
        values = [{name: column[k] for name, column in texts.items()} for k in range(positions.size)]
        stamps = [{name: raw[name][k] for name in raw} for k in range(positions.size)]
        return ColumnRows(path, present, rows[positions].tolist(), values, stamps)

    def reject(i: int, name: str | None, message: str) -> None:
        accounts.reject_row(path, int(rows[i]), name, message)

    def fold(i: int) -> None:
        stats.rows_folded += 1

    return Batch(path, rows, typed, typed.exact, untyped, reject, accounts.reject_fields, fold, typed_only)


def _cells_of(columns: Sequence[Any], count: int) -> list[list[str]]:
    """The `count` rows of Arrow string columns, each as the csv module gives a row (a JSON
    input's rows of no key hold none)."""
    if not columns:
        return [[] for _ in range(count)]
    return [list(row) for row in zip(*(column.to_pylist() for column in columns), strict=True)]


def _reference_ticket(parser: RowParser, ref: RowRef, values: dict[str, Any]) -> Ticket | FieldError:
    try:
        return parser.ticket(ref, values)
    except FieldError as error:
        return error
