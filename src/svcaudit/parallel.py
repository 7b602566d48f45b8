"""`--jobs N`: judge tickets in N worker processes while this process reads the inputs.

Reading stays in one process, so row accounting, duplicate detection and rejections are exactly
those of a single run; workers judge batches of assembled tickets and hand back plain tallies,
which are absorbed in input order, so violations come out in the same order as in a single run.
Aggregate rules (scores) are judged once, after every batch is in.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from typing import Any

from .engine import Tally, judge_ticket
from .logs.model import Ticket
from .standard.model import Standard
from .waivers import Waivers

BATCH_TICKETS = 400  # large enough that pickling is a small share, small enough to keep memory flat
IN_FLIGHT_PER_JOB = 3  # batches queued per worker: they never wait, the reader never runs far ahead

_WORKER: dict[str, Any] = {}


def default_jobs() -> int:
    return os.cpu_count() or 1


def _install(standard: Standard, as_of: datetime, waivers: Waivers | None) -> None:
    _WORKER.update(standard=standard, as_of=as_of, waivers=waivers)


def _load(spec: str, as_of: datetime, waivers_path: str | None) -> None:
    """Worker set-up where processes cannot be forked: load the same standard by its source."""
    from .standard.loader import load_standard
    from .waivers import load_waivers

    standard = load_standard(spec)
    waivers = load_waivers(waivers_path, as_of, standard.timezone) if waivers_path else None
    _install(standard, as_of, waivers)


def _judge_batch(tickets: list[Ticket]) -> dict[str, Any]:
    standard: Standard = _WORKER["standard"]
    waivers: Waivers | None = _WORKER["waivers"]
    if waivers is not None:
        for waiver in waivers.active:
            waiver.used = 0  # each batch reports only its own use of the waivers
    tally = Tally(standard, waivers=waivers)
    as_of = _WORKER["as_of"]
    for ticket in tickets:
        tally.add(judge_ticket(standard, ticket, as_of))
    return tally.state()


def _batches(tickets: Iterable[Ticket]) -> Iterator[list[Ticket]]:
    batch: list[Ticket] = []
    for ticket in tickets:
        batch.append(ticket)
        if len(batch) >= BATCH_TICKETS:
            yield batch
            batch = []
    if batch:
        yield batch


def judge_in_parallel(tally: Tally, tickets: Iterable[Ticket], as_of: datetime, jobs: int,
                      spec: str, waivers: Waivers | None, waivers_path: str | None,
                      progress=None) -> None:
    """Judge `tickets` in `jobs` processes and absorb the results into `tally`, in order."""
    standard = tally.standard
    if "fork" in multiprocessing.get_all_start_methods():
        _install(standard, as_of, waivers)  # inherited by the forked workers
        context, initializer, initargs = multiprocessing.get_context("fork"), None, ()
    else:
        context, initializer, initargs = multiprocessing.get_context("spawn"), _load, (
            spec, as_of, waivers_path)
    pending: deque[Future] = deque()
    # This process reads and assembles: it is one of the `jobs`, so jobs - 1 workers judge.
    workers = max(1, jobs - 1)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        for batch in _batches(tickets):
            pending.append(pool.submit(_judge_batch, batch))
            while len(pending) >= workers * IN_FLIGHT_PER_JOB:
                _absorb(tally, pending.popleft(), progress)
        while pending:
            _absorb(tally, pending.popleft(), progress)


def _absorb(tally: Tally, future: Future, progress) -> None:
    tally.absorb(future.result())
    if progress is not None:
        progress(tally.tickets)
