"""Ticket-row exports audited on the row lane: in this process, or in workers that each read their
own part of the inputs.

Without message rows, a ticket is one row and can be typed and judged wherever that row is read.
So with `--jobs N` the inputs are cut into units (a large CSV into N byte ranges, see
`intake.shards`; any other input whole) and every worker reads, types and judges its units; this
process only plans and then absorbs each unit's tally, rejections and row counts in input order, so
the report (violations and their order included) is that of a single pass. A repeated ticket id
(`DuplicateTickets`) or a cut that proves wrong (`ShardMisaligned`) sends the run back to a path
that handles it; `audit.run.run_audit` decides which.
"""

from __future__ import annotations

import atexit
import multiprocessing
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from svcaudit.audit.engine import Tally
from svcaudit.audit.rowlane import RowLane
from svcaudit.errors import WorkerError
from svcaudit.intake.fields import FieldError
from svcaudit.intake.ids import TicketIdSet
from svcaudit.intake.intake import Intake
from svcaudit.intake.shards import MapRanges, Shard
from svcaudit.standard.waivers import Waivers

PROGRESS_EVERY = 2048  # tickets between progress callbacks
PROGRESS_SECONDS = 0.25  # how often the progress bar hears from the workers
_WORKER: dict[str, Any] = {}


class DuplicateTickets(Exception):
    """A ticket id repeats across ticket rows. The fast paths keep no position per id, so the run
    is redone on the general path, which rejects the later row by its position."""


def audit_input(
    tally: Tally,
    intake: Intake,
    index: int,
    as_of: datetime,
    ids: TicketIdSet,
    shard: Shard | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Type and judge the rows of one input (one byte range of it, with `shard`) into `tally`."""
    lane = RowLane(tally, as_of)
    parser = intake.parser
    names = intake.cell_names(index)
    typer = parser.cells_typer(names, with_fields=lane.needs_fields) if names else None
    add_id, add = ids.add, lane.judge
    for ref, row in intake.input_rows(index, shard):
        try:
            if typer is not None:
                ticket = typer(ref, row)
            else:
                ticket = parser.ticket(ref, dict(zip(names, row, strict=False)) if names else row)
        except FieldError as exc:
            intake.reject_row(ref.path, ref.row, exc.field, exc.message)
            continue
        if ticket.rejected_fields:
            intake.reject_fields(ticket)
        add_id(ticket.ticket_id)
        add(ticket)
        if progress is not None and tally.tickets % PROGRESS_EVERY == 0:
            progress(tally.tickets)
    lane.flush()


def audit_ticket_rows(
    tally: Tally,
    intake: Intake,
    as_of: datetime,
    jobs: int,
    waivers: Waivers | None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Audit an intake of ticket rows only into `tally`, in `jobs` processes when that helps.

    Raises DuplicateTickets when a ticket id repeats, ShardMisaligned when a cut proves wrong.
    """
    ids = TicketIdSet()
    if jobs < 2 or not _can_fork():
        _audit_here(tally, intake, as_of, ids, progress)
    else:
        # Workers leave their findings on disk; this process adopts the files (its logs delete
        # them when closed) and removes their directory at exit, even if a worker died.
        spill_dir = tempfile.mkdtemp(prefix="svcaudit-")
        atexit.register(shutil.rmtree, spill_dir, True)
        context = multiprocessing.get_context("fork")
        typed = context.Value("q", 0)  # tickets typed by all workers so far, for the progress bar
        # Set before the pool forks its workers (at its first task, which may be planning's).
        _WORKER.update(tally=tally, intake=intake, as_of=as_of, waivers=waivers, spill_dir=spill_dir, typed=typed)
        try:
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                units = _units(intake, jobs, pool.map)
                if len(units) < 2:
                    _audit_here(tally, intake, as_of, ids, progress)
                else:
                    _audit_units(pool, units, tally, intake, ids, typed, progress)
        except BrokenProcessPool:  # while planning: counting a file's quotes and newlines
            raise WorkerError(
                "a worker process stopped while the inputs were being cut "
                "(killed, or out of memory?); run again with --jobs 1"
            ) from None
        finally:
            _WORKER.clear()
    if ids.has_repeats():
        raise DuplicateTickets()


def _audit_here(
    tally: Tally, intake: Intake, as_of: datetime, ids: TicketIdSet, progress: Callable[[int], None] | None
) -> None:
    for index in range(intake.input_count):
        audit_input(tally, intake, index, as_of, ids, progress=progress)


def _audit_units(
    pool: ProcessPoolExecutor,
    units: list[tuple[int, Shard | None]],
    tally: Tally,
    intake: Intake,
    ids: TicketIdSet,
    typed: Any,
    progress: Callable[[int], None] | None,
) -> None:
    """Each unit audited by a worker; the results absorbed here in input order."""
    futures = [pool.submit(_audit_unit, unit) for unit in units]
    for (index, _), future in zip(units, futures, strict=False):
        try:
            result = _awaited(future, lambda: progress(typed.value) if progress else None)
        except BrokenProcessPool:
            raise WorkerError(
                f"a worker process stopped without finishing its part of "
                f"{intake.inputs[index].path} (killed, or out of memory?); run again "
                f"with --jobs 1"
            ) from None
        tally.absorb(result["tally"])
        intake.absorb_rows(index, result["rows_read"], result["rejected"])
        ids.absorb(result["ids"])
        if progress is not None:
            progress(max(typed.value, tally.tickets))  # later units may be further on


def _awaited(future: Future, tick: Callable[[], None]) -> dict[str, Any]:
    """A unit's result; while it is not in, the progress bar is told what the workers typed."""
    while True:
        try:
            return future.result(timeout=PROGRESS_SECONDS)
        except FuturesTimeout:
            tick()


def _can_fork() -> bool:
    # Workers inherit the loaded standard, the planned intake and the waivers by forking.
    return "fork" in multiprocessing.get_all_start_methods()


def _units(intake: Intake, jobs: int, map_ranges: MapRanges) -> list[tuple[int, Shard | None]]:
    """Each input whole, or cut into `jobs` byte ranges when it is a CSV large enough."""
    units: list[tuple[int, Shard | None]] = []
    for index in range(intake.input_count):
        shards = intake.shards(index, jobs, map_ranges)
        if shards:
            units.extend((index, shard) for shard in shards)
        else:
            units.append((index, None))
    return units


def _audit_unit(unit: tuple[int, Shard | None]) -> dict[str, Any]:
    """In a worker: one unit audited into a fresh tally, handed back as plain data."""
    index, shard = unit
    main_tally: Tally = _WORKER["tally"]
    intake: Intake = _WORKER["intake"]
    waivers: Waivers | None = _WORKER["waivers"]
    tally = Tally(main_tally.plan, waivers=waivers, findings_dir=_WORKER["spill_dir"])
    ids = TicketIdSet()
    typed = _WORKER["typed"]
    told = 0

    def tell(count: int) -> None:
        nonlocal told
        with typed.get_lock():
            typed.value += count - told
        told = count

    with intake.counting(index) as counts:
        audit_input(tally, intake, index, _WORKER["as_of"], ids, shard, progress=tell)
    tell(tally.tickets)
    return {
        "tally": tally.state(by_reference=True),
        "rows_read": counts.rows_read,
        "rejected": counts.rejected,
        "ids": ids.state(),
    }
