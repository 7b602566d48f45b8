"""`--jobs N` with message rows: judge assembled tickets in N worker processes while this process
reads and joins the inputs.

Reading stays in one process, so row accounting and rejections are those of a single run; workers
judge batches of tickets and hand back plain tallies that are absorbed in input order, so
violations come out in a single run's order. Aggregate rules (scores) are judged once, after every
batch is in. (Ticket rows alone are read by the workers themselves: `rowaudit`.)
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from typing import Any

from svcaudit.audit.engine import Tally, judge_ticket, make_row_parser
from svcaudit.audit.plan import AuditPlan
from svcaudit.intake.model import Ticket
from svcaudit.standard.model import Standard
from svcaudit.standard.waivers import Waivers

BATCH_TICKETS = 400  # large enough that pickling is a small share, small enough to keep memory flat
IN_FLIGHT_PER_JOB = 3  # batches queued per worker: they never wait, the reader never runs far ahead

_WORKER: dict[str, Any] = {}


def default_jobs() -> int:
    return os.cpu_count() or 1


def _install(standard: Standard, as_of: datetime, waivers: Waivers | None) -> None:
    _WORKER.update(
        standard=standard, plan=AuditPlan.of(standard), as_of=as_of, waivers=waivers, parser=make_row_parser(standard)
    )


def _load(spec: str, preset: str, as_of: datetime, waivers_path: str | None) -> None:
    """Worker set-up where processes cannot be forked: load the same standard by its source,
    reading with the preset the parent read with (detected when no standard was given)."""
    from dataclasses import replace

    from svcaudit.standard.loader import load_standard
    from svcaudit.standard.waivers import load_waivers

    standard = load_standard(spec)
    if standard.input.preset != preset:
        standard = replace(standard, input=replace(standard.input, preset=preset))
    waivers = load_waivers(waivers_path, as_of, standard.timezone) if waivers_path else None
    _install(standard, as_of, waivers)


def _judge_batch(tickets: list[Ticket]) -> dict[str, Any]:
    waivers: Waivers | None = _WORKER["waivers"]
    tally = Tally(_WORKER["plan"], waivers=waivers)
    as_of = _WORKER["as_of"]
    plan = tally.plan
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
    tally: Tally, as_of: datetime, jobs: int, spec: str, waivers: Waivers | None, waivers_path: str | None
) -> tuple[ProcessPoolExecutor, int]:
    standard = tally.standard
    workers = max(1, jobs)
    if "fork" in multiprocessing.get_all_start_methods():
        _install(standard, as_of, waivers)  # inherited by the forked workers
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")), workers
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
            absorb(pending.popleft().result())
    while pending:
        absorb(pending.popleft().result())


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
