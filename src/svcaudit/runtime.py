"""How a process that audits manages its memory: the cycle collector's pace, Arrow's allocator,
and the module pyarrow would import for nothing; how a run and its worker processes take Ctrl-C
and SIGTERM (`stop_on_signals`, `worker_process`); and work mapped by forked workers (`fork_map`).

`prepare_process` is called by the CLI's entry point before any command runs (and so before pyarrow
is imported: only the modules that read data import it), and by a worker process that was spawned
rather than forked; forked processes inherit these settings. Each was measured on the benchmark's
exports (benchmarks/README.md); none changes a result.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")
# Tasks handed to `fork_map`'s workers ahead of the caller, per worker: enough that workers never
# wait, few enough that results a slow consumer has not taken stay a few MB.
TASKS_AHEAD_PER_JOB = 2

# The cycle collector. An audit makes millions of short-lived containers (a row's cells, a message,
# a verdict, a finding's row) that reference counting frees as soon as they are done with, and keeps
# a large heap of long-lived ones (the standard, its phrase bank and the bank's word caches). At
# Python's default pace (a young collection every 700 containers allocated and not yet freed, the
# whole heap walked after every hundred young collections) a message-row audit spends a large share
# of its time looking, again and again, for cycles it does not make. svcaudit's objects hold no
# cycles that matter for memory; the rare ones (an exception kept with its traceback) are still
# collected, only later.
YOUNG_ALLOCATIONS = 50_000  # containers allocated between young collections
COLLECTOR_THRESHOLDS = (YOUNG_ALLOCATIONS, 50, 100)

# mimalloc, Arrow's default allocator, reads its options from the environment when pyarrow loads.
# By default it commits whole arenas ahead of use and keeps freed pages a while for reuse: for the
# columnar core's batches, tens of megabytes held for nothing. These commit memory as it is used
# and give freed pages back at once, at the same speed. A value the user set is kept.
ALLOCATOR_OPTIONS = {"MIMALLOC_ARENA_EAGER_COMMIT": "0", "MIMALLOC_PURGE_DELAY": "0"}


# pyarrow asks whether pandas is installed, at its first array conversion, by importing it: about
# 0.4 s and 50 MB on every run in an environment that has pandas (the test extras install it for
# Dask), for an audit that hands pyarrow no pandas object. An audit's process finds it absent.
UNUSED_MODULES = frozenset({"pandas"})


class _Absent:
    """A finder on `sys.meta_path` that makes an import of `UNUSED_MODULES` fail as if they were
    not installed. (An entry of None in `sys.modules` would not do: pyarrow's compiled import
    takes it for the module.)"""

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname.partition(".")[0] in UNUSED_MODULES:
            raise ModuleNotFoundError(f"{fullname} is not used by an audit", name=fullname)
        return None


def prepare_process() -> None:
    """Set this process's collector pace and, unless set already, Arrow's allocator options; the
    modules pyarrow would import for nothing are absent from then on, unless imported already."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    for name, value in ALLOCATOR_OPTIONS.items():
        os.environ.setdefault(name, value)
    if not any(isinstance(finder, _Absent) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Absent())


def stop_on_signals() -> None:
    """In the process that runs a command: Ctrl-C and SIGTERM (a cancelled CI step, `docker stop`)
    stop the run (KeyboardInterrupt; the CLI says `interrupted` and exits 2), its workers with it.

    A forked worker carries this handler until `worker_process` replaces it: a signal that comes
    in between is left to this process. A KeyboardInterrupt raised where Python ignores exceptions
    (a hook run at a fork) would be lost, so the request is also remembered (`stop_requested`)."""
    global _RUN_PROCESS
    _RUN_PROCESS = os.getpid()
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)


_RUN_PROCESS: int | None = None
_STOP_REQUESTED = False


def _stop(signum: int, frame: object) -> None:
    global _STOP_REQUESTED
    if os.getpid() != _RUN_PROCESS:
        return  # a worker not set up yet: the run's process stops it
    _STOP_REQUESTED = True
    raise KeyboardInterrupt


def stop_requested() -> bool:
    """Whether Ctrl-C or SIGTERM came to this process (`stop_on_signals`)."""
    return _STOP_REQUESTED


def worker_process() -> None:
    """Set up a worker process of `--jobs`. Ctrl-C and SIGTERM (sent to every process of a
    terminal's foreground group, or of a cancelled CI step) are the starting process's to take: it
    stops the run, its workers with it, and says so once. A worker that took them too would print a
    traceback of its own, or die while handing back a result, which can leave the starting process
    waiting for the rest of it. A worker whose starting process is gone (killed outright) ends
    itself (`_watch_parent`), rather than wait for work that will not come."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=_watch_parent, args=(parent,), name="svcaudit-parent-watch", daemon=True).start()


PARENT_WATCH_SECONDS = 1.0


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_WATCH_SECONDS)
    os._exit(1)


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows), seeing this process's memory."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(function: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[R]:
    """`function(task)` for each task, in order, computed by `jobs` forked worker processes a few
    tasks ahead of the caller (`TASKS_AHEAD_PER_JOB`). A worker sees this process's memory as it
    was at the fork, so a task can name what is already here (a finding log's place in a report)
    instead of carrying it. `function` must be picklable by reference (a module-level function).
    Raises BrokenProcessPool if a worker dies."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=worker_process) as pool:
        ahead: deque[Future[Any]] = deque()
        for task in tasks:
            ahead.append(pool.submit(function, task))
            if len(ahead) >= jobs * TASKS_AHEAD_PER_JOB:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
