"""One audit run: the strategy that judges a standard over exports, and the `Audit` that drives it.

The engine (`engine`) judges one ticket and tallies verdicts; this module chooses how tickets reach
it: ticket rows alone take the row lane (`rowaudit`, cut across worker processes), tickets assembled
from messages are judged here or by workers (`parallel`). It sits above all of them, so none of them
needs to import it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from svcaudit import reasons
from svcaudit.audit.engine import (
    Tally,
    TicketVerdicts,
    judge_ticket,
    make_intake,
    ordered_rejections,
    rejection_warnings,
)
from svcaudit.audit.rowaudit import DuplicateTickets, audit_ticket_rows
from svcaudit.audit.rowlane import RowLane
from svcaudit.audit.workers import default_jobs, judge_in_parallel
from svcaudit.intake.intake import Intake
from svcaudit.intake.model import Ticket
from svcaudit.intake.shards import ShardMisaligned
from svcaudit.results.findings import FindingLog
from svcaudit.results.model import AuditResult, RuleResult
from svcaudit.standard.model import Standard
from svcaudit.standard.waivers import Waivers

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
        self.tally = Tally(standard, waivers=waivers)
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

    def feed(self, tickets: Iterable[Ticket], progress: ProgressCallback | None = None, jobs: int = 1) -> None:
        if jobs > 1 and not self.observers:
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
        # Observers (svcaudit report) see every verdict in full; the lane gives counts only.
        lane = None if self.observers else RowLane(self.tally, self.as_of)
        for ticket in tickets:
            if lane is not None:
                lane.judge(ticket)
            else:
                verdicts = judge_ticket(self.standard, ticket, self.as_of)
                self.tally.add(verdicts)
                for observer in self.observers:
                    observer(verdicts)
            if progress is not None:
                progress(self.tally.tickets)
        if lane is not None:
            lane.flush()

    def finish(self, intake: Intake) -> AuditResult:
        tally = self.tally
        tally.finish()
        warnings = rejection_warnings(intake, tally.after_as_of, self.as_of)
        if self.waivers is not None:
            for waiver in self.waivers.expired:
                warnings.append(reasons.EXPIRED_WAIVER.text(waiver=waiver.describe()))
            for waiver in self.waivers.active:
                if waiver.used == 0:
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
            waivers=None if self.waivers is None else self.waivers.report(),
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
) -> AuditResult:
    """Audit the given exports against a standard, as of a moment, in `jobs` worker processes.

    Ticket rows alone go down the row lane (`rowaudit`), cut across `jobs` workers when they are
    large CSV files (`jobs=None`: one per core). With message rows, tickets are assembled here and
    judged by `jobs` workers (one per core by default; `jobs=1`: here), while this process reads
    and joins, which dominates there.
    A repeated ticket id, or a CSV cut that proves wrong, sends the run back to a path that can
    take it: the result is the same whichever path gives it.
    """
    intake = make_intake(standard, paths, encoding, as_of)
    if intake.ticket_rows_only:
        lane_jobs = default_jobs() if jobs is None else jobs
        while True:
            audit = Audit(standard, as_of, waivers=waivers)
            try:
                audit_ticket_rows(audit.tally, intake, as_of, lane_jobs, waivers, progress)
                return audit.finish(intake)
            except (DuplicateTickets, ShardMisaligned) as exc:
                if waivers is not None:
                    for waiver in waivers.active:
                        waiver.used = 0
                intake = make_intake(standard, paths, encoding, as_of)  # read again
                if isinstance(exc, DuplicateTickets):
                    break  # the general path rejects the repeated row by its position
                lane_jobs = 1  # in one pass, which needs no cuts
        jobs = 1
    audit = Audit(standard, as_of, waivers=waivers)
    audit.feed(intake.tickets(), progress, default_jobs() if jobs is None else jobs)
    return audit.finish(intake)
