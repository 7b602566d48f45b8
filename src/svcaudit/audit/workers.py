"""`--jobs N` with message rows: judge assembled tickets in N worker processes while this process
reads and joins the inputs.

Reading stays in one process, so row accounting and rejections are those of a single run; workers
judge batches of tickets and hand back plain tallies that are absorbed in input order, so
violations come out in a single run's order. Aggregate rules (scores) are judged once, after every
batch is in. For `svcaudit report` a worker places each ticket of its batch in its group and hands
back a tally a group, each absorbed into that group's. (Ticket rows alone need no assembly: the
columnar core judges them here.)
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from svcaudit.audit.engine import Tally, judge_ticket, make_row_parser
from svcaudit.audit.group_keys import GroupCounts, GroupKeys, Slot
from svcaudit.audit.plan import AuditPlan
from svcaudit.errors import WorkerError
from svcaudit.intake.model import Ticket
from svcaudit.runtime import prepare_process, worker_process
from svcaudit.standard.model import Standard
from svcaudit.standard.waivers import Waivers

if TYPE_CHECKING:
    from svcaudit.audit.columnar import RowsLeft
    from svcaudit.intake.fields import RowParser

BATCH_TICKETS = 200  # large enough that pickling is a small share, small enough to keep memory flat
IN_FLIGHT_PER_JOB = 3  # batches queued per worker: they never wait, the reader never runs far ahead
TASK_ROWS = 2_000  # rows the columnar core left, sent to a worker together (a batch's, or its groups')

_WORKER: dict[str, Any] = {}


def default_jobs() -> int:
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked, inheriting this process's objects."""
    return "fork" in multiprocessing.get_all_start_methods()


def _install(standard: Standard, as_of: datetime, waivers: Waivers | None) -> None:
    _WORKER.update(
        standard=standard, plan=AuditPlan.of(standard), as_of=as_of, waivers=waivers, parser=make_row_parser(standard)
    )


def _forked(workers: int) -> ProcessPoolExecutor:
    """Worker processes forked from this one, inheriting what `_install` put in `_WORKER`."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=worker_process)


def _load(spec: str, preset: str, as_of: datetime, waivers_path: str | None) -> None:
    """Worker set-up where processes cannot be forked: load the same standard by its source,
    reading with the preset the parent read with (detected when no standard was given)."""
    from dataclasses import replace

    from svcaudit.standard.loader import load_standard
    from svcaudit.standard.waivers import load_waivers

    prepare_process()  # a spawned process starts at Python's default collector pace
    worker_process()
    standard = load_standard(spec)
    if standard.input.preset != preset:
        standard = replace(standard, input=replace(standard.input, preset=preset))
    waivers = load_waivers(waivers_path, as_of, standard.timezone) if waivers_path else None
    _install(standard, as_of, waivers)


def _judge_batch(tickets: list[Ticket]) -> dict[str, Any]:
    waivers: Waivers | None = _WORKER["waivers"]
    plan, as_of = _WORKER["plan"], _WORKER["as_of"]
    tally = Tally(plan, waivers=waivers)
    for ticket in tickets:
        tally.add(judge_ticket(plan, ticket, as_of))
    return tally.state(by_reference=True)  # findings as rows: this machine, this run


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH_TICKETS:
            yield batch
            batch = []
    if batch:
        yield batch


def _pool(
    tally: Tally,
    as_of: datetime,
    jobs: int,
    spec: str,
    waivers: Waivers | None,
    waivers_path: str | None,
) -> tuple[ProcessPoolExecutor, int]:
    standard = tally.standard
    workers = max(1, jobs)
    if can_fork():
        _install(standard, as_of, waivers)  # inherited by the forked workers
        return _forked(workers), workers
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_load,
        initargs=(spec, standard.input.preset, as_of, waivers_path),
    )
    return pool, workers


def _run(pool: ProcessPoolExecutor, workers: int, task, batches: Iterable[list[Any]], absorb) -> None:
    """Submit batches with a bounded window and absorb their results in submission order."""
    pending: deque[Future] = deque()
    for batch in batches:
        pending.append(pool.submit(task, batch))
        while len(pending) >= workers * IN_FLIGHT_PER_JOB:
            absorb(_result(pending.popleft(), "tickets"))
    while pending:
        absorb(_result(pending.popleft(), "tickets"))


def _result(future: Future, judging: str) -> Any:
    """A worker's result; a worker that died without one (killed, out of memory) is a WorkerError."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerError(
            f"a worker process judging {judging} stopped (killed, or out of memory?); run again with --jobs 1"
        ) from None


def judge_in_parallel(
    tally: Tally,
    tickets: Iterable[Ticket],
    as_of: datetime,
    jobs: int,
    spec: str,
    waivers: Waivers | None,
    waivers_path: str | None,
    progress=None,
) -> None:
    """Judge assembled `tickets` in worker processes, absorbing the results into `tally` in order."""

    def absorb(state: dict[str, Any]) -> None:
        tally.absorb(state)
        if progress is not None:
            progress(tally.tickets)

    pool, workers = _pool(tally, as_of, jobs, spec, waivers, waivers_path)
    with pool:
        _run(pool, workers, _judge_batch, _batches(tickets), absorb)


def judge_groups_in_parallel(
    grouping: GroupJudging,
    tally: Tally,
    tickets: Iterable[Ticket],
    as_of: datetime,
    jobs: int,
    spec: str,
    progress=None,
) -> None:
    """Judge assembled `tickets` in worker processes for `svcaudit report`: each batch's tickets
    placed in their groups there, each group's tally handed back and absorbed into the group's
    tally here, batch by batch, so that every group counts its tickets in their order. `tally`
    gives the standard the workers load where they cannot be forked."""
    task = partial(_judge_grouped, keys=grouping.keys, timed=grouping.timed_rules)

    def absorb(result: tuple[GroupCounts, list[tuple[Slot, dict[str, Any]]]]) -> None:
        grouping.absorb(*result)
        if progress is not None:
            progress(grouping.counts.tickets)

    pool, workers = _pool(tally, as_of, jobs, spec, None, None)
    with pool:
        _run(pool, workers, task, _batches(tickets), absorb)


def _judge_grouped(
    tickets: list[Ticket], keys: GroupKeys, timed: tuple[int, ...]
) -> tuple[GroupCounts, list[tuple[Slot, dict[str, Any]]]]:
    """In a worker: a batch of tickets judged, each added to a fresh tally of its group (a report's
    groups keep no waivers), the groups in the order their first ticket came."""
    plan, as_of = _WORKER["plan"], _WORKER["as_of"]
    counts = GroupCounts()
    tallies: dict[Slot, Tally] = {}
    for ticket in tickets:
        verdicts = judge_ticket(plan, ticket, as_of)
        slot = keys.place(verdicts, counts)
        if slot is None:
            continue
        group = tallies.get(slot)
        if group is None:
            group = tallies[slot] = Tally(plan, timed=timed)
        group.add(verdicts)
    return counts, [(slot, group.state(by_reference=True)) for slot, group in tallies.items()]


class GroupJudging(Protocol):
    """What `judge_groups_in_parallel` asks of a report's tallies per group (`grouped.GroupedTally`)."""

    keys: GroupKeys
    counts: GroupCounts

    @property
    def timed_rules(self) -> tuple[int, ...]: ...

    def absorb(self, counts: GroupCounts, states: list[tuple[Slot, dict[str, Any]]]) -> None: ...


def _judge_left(parts: list[tuple[RowsLeft, tuple[int, ...]]]) -> list[dict[str, Any]]:
    """In a worker: what the columnar core's kernels left, part by part, each judged into a fresh
    tally that keeps the times of its `timed` rules as the tally it is for does."""
    from svcaudit.audit.columnar import judge_left

    states = []
    for left, timed in parts:
        tally = Tally(_WORKER["plan"], waivers=_WORKER["waivers"], timed=timed)
        judge_left(tally, left, _WORKER["parser"], _WORKER["as_of"])
        states.append(tally.state(by_reference=True))
    return states


class LeftJudges:
    """What the columnar core's kernels leave (findings to word, rows to score), judged by `jobs`
    forked worker processes while this process reads and judges the next batches; the workers'
    tallies are absorbed in batch order, so findings come out in a single run's order. The workers
    inherit the run's plan, waivers and the intake's parser (its decided date orders) by forking."""

    def __init__(self, tally: Tally, as_of: datetime, jobs: int, parser: RowParser, waivers: Waivers | None) -> None:
        self.tally = tally
        self.workers = jobs
        self.pending: deque[tuple[Future, list[Tally]]] = deque()
        self.as_of, self.parser, self.waivers = as_of, parser, waivers
        self._pool: ProcessPoolExecutor | None = None
        # Parts handed on but not yet sent: `svcaudit report` hands on a part per group of a
        # batch, hundreds of small ones, which go to a worker together.
        self._parts: list[tuple[RowsLeft, Tally]] = []
        self._rows = 0

    def hand_on(self, left: RowsLeft, tally: Tally) -> None:
        """Judge `left` in a worker, for `tally`; results are absorbed in the order they were
        handed on. Where processes cannot be forked, it is judged here."""
        if not can_fork():
            from svcaudit.audit.columnar import judge_left

            judge_left(tally, left, self.parser, self.as_of)
            return
        self._parts.append((left, tally))
        self._rows += len(left.whole)
        if self._rows >= TASK_ROWS:
            self._send()

    def _send(self) -> None:
        """Send the parts handed on to a worker, as one task."""
        if not self._parts:
            return
        if self._pool is None:
            # Inherited by the workers, forked at the first task.
            _WORKER.update(plan=self.tally.plan, as_of=self.as_of, waivers=self.waivers, parser=self.parser)
            self._pool = _forked(self.workers)
        parts = [(left, tuple(tally.times)) for left, tally in self._parts]
        self.pending.append((self._pool.submit(_judge_left, parts), [tally for _, tally in self._parts]))
        self._parts, self._rows = [], 0
        while len(self.pending) >= self.workers * IN_FLIGHT_PER_JOB:
            self._absorb_next()

    def _absorb_next(self) -> None:
        future, tallies = self.pending.popleft()
        states = _result(future, "ticket rows")
        for tally, state in zip(tallies, states, strict=True):
            tally.absorb(state)

    def finish(self) -> None:
        """Absorb every result still out, and stop the workers."""
        try:
            self._send()
            while self.pending:
                self._absorb_next()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the workers, leaving what is still out (after `finish`, nothing is)."""
        self.pending.clear()
        self._parts, self._rows = [], 0
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            _WORKER.clear()
