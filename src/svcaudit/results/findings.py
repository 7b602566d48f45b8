"""The findings of an audit, in the order they were found, with only a bounded number in memory.

A large export fails hundreds of thousands of times (about 360,000 violations for a million tickets,
over 100 MB as objects), so the engine keeps its violations and waived findings in a `FindingLog`:
the newest `spill_threshold` stay in a list, and each full batch is pickled to a temporary file that
iteration reads back one batch at a time. The audit's memory stays flat however much fails; reporters
stream the log or keep a bounded selection of it (`reporters.common.WorstByLane`).

A worker process can hand its spilled findings on by reference (`state(by_reference=True)`): the
receiving log adopts the file and reads it in its place in the order, without copying it. And a
costly transformation of every finding (the JSON report encodes each one) can run a batch at a time
on every core (`map_batches`), since each batch on disk can be read by any process.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice, starmap
from pathlib import Path
from typing import Any, TypeVar

from svcaudit.errors import spilling
from svcaudit.results.model import Violation, violation_as_row
from svcaudit.runtime import can_fork, fork_map

T = TypeVar("T")

DEFAULT_SPILL_THRESHOLD = 2_000  # findings in memory (under 1 MB), and the findings in a batch on disk
DEFAULT_POOL_LIMIT = 50_000  # findings in memory in all the logs of a pool together (about 20 MB)
SPILL_PREFIX = "svcaudit-findings-"
SPILLED_FINDINGS = "the findings beyond those kept in memory"
SPILL_SUFFIX = ".pickle"
PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL

# On disk a finding is the tuple of its fields: pickling the frozen dataclass itself is three times
# slower (its generated __getstate__ and __setstate__ run in Python for every finding).
_as_row = violation_as_row


@dataclass(frozen=True, slots=True)
class Segment:
    """`count` findings pickled from byte `start` of the file at `path` (one batch, as a log
    writes them; a segment of several batches is read the same way).

    Only ever passed between processes of one run (pickled by multiprocessing): a JSON partial
    result cannot hold one, so `svcaudit merge` never unpickles a file a partial result names.
    """

    path: str
    start: int
    count: int
    # Bytes of one chunk of findings kept as columns (`finding_columns`); 0: pickled rows.
    columns_size: int = 0


@dataclass(frozen=True, slots=True)
class Rows:
    """Findings as rows (`results.violation_as_row`), handed between processes of one run:
    pickled as plain tuples, with neither a dict nor an object made per finding."""

    rows: list[tuple]


# What `FindingLog.state` hands on: plain dicts (JSON-able), segments of spill files, or rows.
FindingsState = list[dict[str, Any]] | tuple[Segment, ...] | Rows


class _SpillFiles:
    """The files a log owns: removed when it is closed or collected, or at interpreter exit."""

    __slots__ = ("paths", "pid")

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.pid = os.getpid()  # a forked worker inherits the log, but its files are not the worker's

    def remove(self) -> None:
        if os.getpid() != self.pid:
            return
        for path in self.paths:
            try:
                os.remove(path)
            except OSError:  # already gone (a temporary directory cleaned up), nothing to keep
                pass
        self.paths.clear()


class SpillPool:
    """One budget of findings in memory, and one spill file, shared by many logs.

    `svcaudit report` keeps a log per group, thousands of them: each below its own threshold, they
    could hold every finding of a large export in memory together. Logs made with a pool count
    their findings against its `limit`; when the pool holds that many, every log of it writes what
    it holds to the pool's file (a segment each), so memory stays bounded however many groups there
    are. The pool owns the file: it is removed when the pool is collected (its logs hold it).
    """

    __slots__ = ("limit", "held", "_logs", "_directory", "_file", "_files", "__weakref__")

    def __init__(self, limit: int = DEFAULT_POOL_LIMIT, directory: str | Path | None = None) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        self.limit = limit
        self.held = 0  # findings appended since the logs last spilled together
        self._logs: list[weakref.ref[FindingLog]] = []  # logs are unhashable, as lists are
        self._directory = None if directory is None else str(directory)
        self._file: str | None = None
        self._files = _SpillFiles()
        weakref.finalize(self, self._files.remove)  # kept alive by weakref's own registry

    def join(self, log: FindingLog) -> None:
        self._logs.append(weakref.ref(log))

    def count(self, findings: int = 1) -> None:
        """`findings` more in memory: at the limit, every log spills."""
        self.held += findings
        if self.held >= self.limit:
            live = [log for log in (ref() for ref in self._logs) if log is not None]
            for log in live:
                log._spill()
            self._logs = [weakref.ref(log) for log in live]
            self.held = 0

    def path(self) -> str:
        """The shared spill file, made at the first spill."""
        if self._file is None:
            handle, self._file = tempfile.mkstemp(prefix=SPILL_PREFIX, suffix=SPILL_SUFFIX, dir=self._directory)
            os.close(handle)
            self._files.paths.append(self._file)
        return self._file


class FindingLog(Collection[Violation]):
    """Violations in insertion order; beyond `spill_threshold` in memory, batches go to a temporary
    file (made at the first spill, in `directory` or the system's temporary directory). With a
    `pool`, its findings also count against the pool's budget, and it spills into the pool's file.

    Iterate it as often as needed; do not append while iterating. `close()` (or leaving a `with`
    block, or garbage collection, or the end of the interpreter) removes the files.
    """

    __slots__ = (
        "spill_threshold",
        "_pool",
        "_directory",
        "_memory",
        "_segments",
        "_spilled",
        "_file",
        "_files",
        "_finalizer",
        "__weakref__",
    )

    def __init__(
        self, spill_threshold: int | None = None, directory: str | Path | None = None, pool: SpillPool | None = None
    ) -> None:
        threshold = DEFAULT_SPILL_THRESHOLD if spill_threshold is None else spill_threshold
        if threshold < 1:
            raise ValueError(f"spill_threshold must be at least 1, not {threshold}")
        self.spill_threshold = threshold
        self._pool = pool
        if pool is not None:
            pool.join(self)
        self._directory = None if directory is None else str(directory)
        self._files = _SpillFiles()
        self._finalizer: weakref.finalize | None = None  # made with the first file owned
        self._reset()

    def _reset(self) -> None:
        self._memory: list[tuple] = []  # the newest findings (as rows), after every segment
        self._segments: list[Segment] = []  # findings on disk, in order
        self._spilled = 0  # findings in `_segments`
        self._file: str | None = None  # this log's own spill file

    def append(self, finding: Violation) -> None:
        self.append_row(_as_row(finding))

    # The hot path: a list append, and a batch pickled every `spill_threshold` findings.
    def append_row(self, row: tuple) -> None:
        """Append a finding given as the tuple of its fields in Violation order (see
        `engine.violation_row`): a large audit makes hundreds of thousands of findings."""
        memory = self._memory
        memory.append(row)
        if len(memory) >= self.spill_threshold:
            self._spill()
        elif self._pool is not None:
            self._pool.count()

    @property
    def keeps_columns(self) -> bool:
        """Whether a chunk kept as columns goes to disk as it is (`append_columns`): not in a pool,
        whose budget counts rows."""
        return self._pool is None

    def append_columns(self, chunk: Any) -> None:
        """Append the findings of a chunk kept as columns (`finding_columns`: an Arrow record
        batch of SCHEMA), in their order. A chunk that would fit beside the findings in memory is
        kept as rows with them, and so is every chunk of a log in a pool (whose budget counts
        rows); otherwise it goes to the log's file as it is, after what is in memory."""
        from svcaudit.results.finding_columns import chunk_bytes, chunk_rows

        if not self.keeps_columns or len(self._memory) + chunk.num_rows < self.spill_threshold:
            self.extend_rows(chunk_rows(chunk))
            return
        self._spill()
        data = chunk_bytes(chunk)
        self._write(data, chunk.num_rows, len(data))

    def extend(self, findings: Iterable[Violation]) -> None:
        self.extend_rows(map(_as_row, findings))

    def extend_rows(self, rows: Iterable[tuple]) -> None:
        """Append findings given as rows (`append_row`), a batch's room at a time."""
        source = iter(rows)
        while True:
            room = self.spill_threshold - len(self._memory)
            before = len(self._memory)
            self._memory.extend(islice(source, room))
            if len(self._memory) == before:
                return
            if len(self._memory) >= self.spill_threshold:
                self._spill()
            elif self._pool is not None:
                self._pool.count(len(self._memory) - before)

    def __len__(self) -> int:
        return self._spilled + len(self._memory)

    def __bool__(self) -> bool:
        return bool(self._spilled or self._memory)

    def __iter__(self) -> Iterator[Violation]:
        for segment in tuple(self._segments):
            yield from _read(segment)
        yield from starmap(Violation, self._memory)

    def map_batches(
        self,
        function: Callable[[list[Any]], T],
        jobs: int = 1,
        rows: bool = False,
        columns: Callable[[Any], T] | None = None,
    ) -> Iterator[T]:
        """`function` applied to the findings a batch at a time, results in order; with `rows`,
        to the findings as rows (`results.violation_as_row`), which spares making each object;
        with `columns`, a chunk kept as columns (`append_columns`) is given to it as it is.

        With `jobs` > 1 and more than one batch on disk, forked worker processes read and map the
        batches on disk, a few ahead of the caller; the batch still in memory is mapped here, last.
        `function` must be picklable by reference (a module-level function): for a costly
        transformation of every finding, such as the JSON report's encoding, which then runs on
        every core while this process writes. Raises BrokenProcessPool if a worker dies.
        """
        segments = tuple(self._segments)
        memory = list(self._memory) if rows else list(starmap(Violation, self._memory))
        if jobs > 1 and len(segments) > 1 and can_fork():
            mapped = partial(_map_segment, function, rows=rows, columns=columns)
            yield from fork_map(mapped, segments, min(jobs, len(segments)))
        else:
            for segment in segments:
                yield _map_segment(function, segment, rows, columns)
        if memory:
            yield function(memory)

    def __contains__(self, item: object) -> bool:
        return any(finding == item for finding in self)

    def __eq__(self, other: object) -> bool:
        """Equal to a log or a list with the same findings in the same order, as a list would be."""
        if not isinstance(other, (FindingLog, list)):
            return NotImplemented
        if len(self) != len(other):
            return False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=False))

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"<FindingLog: {len(self)} findings, {self._spilled} on disk>"

    @property
    def spilled(self) -> int:
        """How many findings are on disk rather than in memory."""
        return self._spilled

    def adopt(self, segment: Segment) -> None:
        """Take over findings another log handed over: they follow everything added so far, and
        their file is this log's to remove."""
        if not isinstance(segment, Segment):
            raise TypeError(f"a FindingLog adopts Segments, not {type(segment).__name__}")
        self._spill()  # what is in memory came first
        self._segments.append(segment)
        self._spilled += segment.count
        if segment.path not in self._files.paths:
            self._own(segment.path)

    def hand_over(self) -> tuple[Segment, ...]:
        """Every finding as segments of files, which this log gives up: it is empty afterwards."""
        self._spill()
        segments = tuple(self._segments)
        self._files.paths.clear()  # the adopting log removes them now
        self._reset()
        return segments

    def state(self, by_reference: bool = False) -> FindingsState:
        """The findings as a shard hands them on: plain dicts (what `svcaudit check --partial`
        writes), or with `by_reference`, for a log in another process on the same machine: once
        some are on disk, the segments of `hand_over` to adopt (this log is empty afterwards),
        else their `Rows`."""
        if by_reference:
            if not self._segments:
                return Rows(list(self._memory))
            if self._pool is not None:  # its file is the pool's to keep: the rows themselves
                rows = [row for segment in self._segments for row in _read_rows(segment)]
                return Rows(rows + self._memory)
            return self.hand_over()
        return [finding.to_dict() for finding in self]

    def absorb(self, state: FindingsState) -> None:
        """Append what `state` handed on, in its order."""
        if isinstance(state, tuple):
            for segment in state:
                self.adopt(segment)
        elif isinstance(state, Rows):
            self.extend_rows(state.rows)
        else:
            self.extend(map(Violation.from_dict, state))

    def close(self) -> None:
        """Remove the spill files and forget every finding."""
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._reset()

    def __enter__(self) -> FindingLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spill(self) -> None:
        batch = self._memory
        if not batch:
            return
        self._write(pickle.dumps(batch, PICKLE_PROTOCOL), len(batch))
        self._memory = []

    def _write(self, data: bytes, count: int, columns_size: int = 0) -> None:
        """`count` findings, written as `data` (pickled rows, or a chunk of `columns_size` bytes)
        at the end of the log's file (its pool's), as a segment of their own."""
        directory = self._pool._directory if self._pool is not None else self._directory
        with spilling(SPILLED_FINDINGS, directory):
            path = self._pool.path() if self._pool is not None else self._file or self._create()
            # Opened per batch, so that a report with many groups never holds many descriptors open.
            with open(path, "ab") as handle:
                start = handle.tell()  # the file's end: a pool's file is written by many logs
                handle.write(data)
        # A segment per batch: any process can read any one of them (`map_batches`).
        self._segments.append(Segment(path, start, count, columns_size))
        self._spilled += count

    def _create(self) -> str:
        handle, path = tempfile.mkstemp(prefix=SPILL_PREFIX, suffix=SPILL_SUFFIX, dir=self._directory)
        os.close(handle)
        self._own(path)
        self._file = path
        return path

    def _own(self, path: str) -> None:
        self._files.paths.append(path)
        if self._finalizer is None:
            self._finalizer = weakref.finalize(self, self._files.remove)


def _map_segment(
    function: Callable[[list[Any]], T], segment: Segment, rows: bool, columns: Callable[[Any], T] | None = None
) -> T:
    if segment.columns_size and columns is not None:
        return columns(_read_chunk(segment))
    return function(list(_read_rows(segment) if rows else _read(segment)))


def _read(segment: Segment) -> Iterator[Violation]:
    """A segment's findings, one batch in memory at a time."""
    return starmap(Violation, _read_rows(segment))


def _read_chunk(segment: Segment) -> Any:
    """The chunk kept as columns that a segment holds."""
    from svcaudit.results.finding_columns import read_chunk

    with open(segment.path, "rb") as handle:
        handle.seek(segment.start)
        return read_chunk(handle.read(segment.columns_size))


def _read_rows(segment: Segment) -> Iterator[tuple]:
    if segment.columns_size:
        from svcaudit.results.finding_columns import chunk_rows

        yield from chunk_rows(_read_chunk(segment))
        return
    left = segment.count
    with open(segment.path, "rb") as handle:
        handle.seek(segment.start)
        while left > 0:
            rows = pickle.load(handle)
            left -= len(rows)
            yield from rows
