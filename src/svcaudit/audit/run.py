"""One audit run: the strategy that judges a standard over exports, and the `Audit` that drives it.

The engine (`engine`) judges one ticket and tallies verdicts; this module chooses how tickets reach
it: ticket rows alone go to the columnar core (`columnar`, Arrow batches and numpy), every
other input to the reference rule loop, here or in worker processes (`workers`) when tickets are
assembled from message rows. It sits above all of them, so none of them needs to import it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from svcaudit import reasons
from svcaudit.audit.engine import (
    Tally,
    TicketVerdicts,
    judge_ticket,
    make_intake,
    ordered_rejections,
    rejection_warnings,
)
from svcaudit.audit.plan import AuditPlan
from svcaudit.audit.workers import GroupJudging, LeftJudges, default_jobs, judge_groups_in_parallel, judge_in_parallel
from svcaudit.intake.intake import Intake
from svcaudit.intake.model import Ticket
from svcaudit.intake.readers import ColumnarUnfit
from svcaudit.results.findings import FindingLog
from svcaudit.results.model import AuditResult, RuleResult
from svcaudit.standard.model import Standard
from svcaudit.standard.waivers import Waivers

if TYPE_CHECKING:
    from svcaudit.audit.columnar import RowSplit

ProgressCallback = Callable[[int], None]


class Audit:
    """One run of a standard over a stream of tickets."""

    def __init__(
        self,
        standard: Standard,
        as_of: datetime,
        observers: Sequence[Callable[[TicketVerdicts], None]] = (),
        waivers: Waivers | None = None,
    ) -> None:
        self.standard = standard
        self.as_of = as_of
        self.waivers = waivers
        self.tally = Tally(AuditPlan.of(standard), waivers=waivers)
        self.observers = list(observers)

    # Read-through to the tally, for callers and tests that inspect a running audit.
    @property
    def results(self) -> list[RuleResult]:
        return self.tally.results

    @property
    def violations(self) -> FindingLog:
        return self.tally.violations

    @property
    def tickets(self) -> int:
        return self.tally.tickets

    def feed(
        self,
        tickets: Iterable[Ticket],
        progress: ProgressCallback | None = None,
        jobs: int = 1,
        grouping: Grouping | None = None,
    ) -> None:
        """Judge every ticket into the tally, or with a `grouping` into the tallies of its groups
        (the audit's own tally then counts none); with `jobs` > 1 in worker processes, results
        absorbed in order."""
        if jobs > 1 and not self.observers:
            if grouping is not None:
                judge_groups_in_parallel(
                    grouping, self.tally, tickets, self.as_of, jobs, self.standard.source, progress
                )
                return
            judge_in_parallel(
                self.tally,
                tickets,
                self.as_of,
                jobs,
                self.standard.source,
                self.waivers,
                self.waivers.source if self.waivers else None,
                progress,
            )
            return
        judged = 0
        for ticket in tickets:
            verdicts = judge_ticket(self.tally.plan, ticket, self.as_of)
            if grouping is None:
                self.tally.add(verdicts)
            else:
                grouping(verdicts)
            for observer in self.observers:
                observer(verdicts)
            judged += 1
            if progress is not None:
                progress(judged)

    def finish(self, intake: Intake) -> AuditResult:
        tally = self.tally
        tally.finish()
        warnings = rejection_warnings(intake, tally.after_as_of, self.as_of)
        if self.waivers is not None:
            for waiver in self.waivers.expired:
                warnings.append(reasons.EXPIRED_WAIVER.text(waiver=waiver.describe()))
            for waiver in self.waivers.unused(tally.waiver_use):
                warnings.append(reasons.UNUSED_WAIVER.text(waiver=waiver.describe()))
        return AuditResult(
            standard_name=self.standard.name,
            standard_source=self.standard.source,
            as_of=self.as_of,
            pass_threshold=self.standard.pass_threshold,
            inputs=intake.inputs,
            rules=tally.results,
            violations=tally.violations,
            rejected=ordered_rejections(intake),
            metrics=tally.metrics.to_dict(),
            tickets=tally.tickets,
            warnings=warnings,
            quality=None if tally.quality is None else tally.quality.to_dict(self.standard.quality_min),
            waived=tally.waived,
            waivers=None if self.waivers is None else self.waivers.report(tally.waiver_use),
            message_grouping=intake.grouping,
        )


def run_audit(
    standard: Standard,
    paths: Sequence[str | Path],
    as_of: datetime,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    waivers: Waivers | None = None,
    jobs: int | None = 1,
    columnar: bool = True,
) -> AuditResult:
    """Audit the given exports against a standard, as of a moment (see `audit_inputs`)."""
    audit, intake = audit_inputs(standard, paths, as_of, encoding, progress, waivers, jobs, columnar)
    return audit.finish(intake)


def audit_inputs(
    standard: Standard,
    paths: Sequence[str | Path],
    as_of: datetime,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    waivers: Waivers | None = None,
    jobs: int | None = 1,
    columnar: bool = True,
    grouping: Grouping | None = None,
) -> tuple[Audit, Intake]:
    """Every ticket of the exports judged: the audit, not finished yet, and the intake it read.

    Ticket rows alone are judged by the columnar core: a plain CSV read with Arrow's threads, JSON
    and any CSV Arrow cannot read exactly as the reference reader does by the reference reader,
    into the same batches (`Intake.row_batches`). A standard the core does not take
    (`columnar.unsupported`) and every other input go to the reference rule loop; with message
    rows, tickets are assembled here (a plain CSV's rows read by Arrow and typed column-wise,
    `message_columns`, `ticket_columns`) and judged by `jobs` worker processes (`None`: one per
    core). Should the rows Arrow gave not stand (`ColumnarUnfit.rows_trusted`: its line count did
    not add up), the run is made again on the reference path. The result is the same
    whichever path gives it; `columnar=False` takes the reference path for every input, which
    tests compare with.

    With a `grouping` (`svcaudit report`), the tickets are counted in the tallies of their groups:
    the reference rule loop hands it each ticket's verdicts; the columnar core hands it each batch
    to split. The audit's own tally then counts no ticket.
    """
    try:
        return _judged(standard, paths, as_of, encoding, progress, waivers, jobs, columnar, grouping)
    except ColumnarUnfit:
        # The rows Arrow gave of an input cannot stand, and some were judged: the run is made
        # again, every input read by the reference reader.
        if grouping is not None:
            grouping.restart()
        return _judged(standard, paths, as_of, encoding, progress, waivers, jobs, False, grouping)


def _judged(
    standard: Standard,
    paths: Sequence[str | Path],
    as_of: datetime,
    encoding: str | None,
    progress: ProgressCallback | None,
    waivers: Waivers | None,
    jobs: int | None,
    columnar: bool,
    grouping: Grouping | None,
) -> tuple[Audit, Intake]:
    """One run of `audit_inputs`; ColumnarUnfit when it is to be made again, not columnar."""
    intake = make_intake(standard, paths, encoding, as_of, columnar)
    if intake.ticket_rows_only and intake.duplicates != "last":
        if columnar:
            from svcaudit.audit.columnar import audit_ticket_rows, unsupported

            audit = Audit(standard, as_of, waivers=waivers)
            if unsupported(audit.tally.plan) is None:
                workers = default_jobs() if jobs is None else jobs
                judges = LeftJudges(audit.tally, as_of, workers, intake.parser, waivers)
                hand_on = judges.hand_on if workers > 1 else None
                split = None if grouping is None else grouping.split
                try:
                    audit_ticket_rows(audit.tally, intake, as_of, progress, hand_on, split)
                    judges.finish()
                    return audit, intake
                finally:
                    judges.stop()
        jobs = 1  # ticket rows need no assembly: workers would only carry tickets back and forth
    audit = Audit(standard, as_of, waivers=waivers)
    audit.feed(intake.tickets(), progress, default_jobs() if jobs is None else jobs, grouping)
    return audit, intake


class Grouping(GroupJudging, Protocol):
    """Tallies per group (`grouped.GroupedTally`): what counts each ticket's verdicts, what takes
    in the groups worker processes judged (`GroupJudging`), a `columnar.RowSplit` of the core's
    batches, and `restart` to forget what a run that had to be made again (`ColumnarUnfit`) counted."""

    def __call__(self, verdicts: TicketVerdicts) -> None: ...

    @property
    def split(self) -> RowSplit: ...

    def restart(self) -> None: ...
