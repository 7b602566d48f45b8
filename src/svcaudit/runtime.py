"""How a process that audits manages its memory: the cycle collector's pace and Arrow's allocator.

`prepare_process` is called by the CLI's entry point before any command runs (and so before pyarrow
is imported: only the modules that read data import it), and by a worker process that was spawned
rather than forked; forked processes inherit both settings. Both were measured on the benchmark's
exports (benchmarks/README.md); neither changes a result.
"""

from __future__ import annotations

import gc
import os

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


def prepare_process() -> None:
    """Set this process's collector pace and, unless set already, Arrow's allocator options."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    for name, value in ALLOCATOR_OPTIONS.items():
        os.environ.setdefault(name, value)
