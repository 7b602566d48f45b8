"""Repeated ticket ids across batches of ticket rows, found exactly, in little memory.

`input.duplicates` decides what a repeated ticket id means: `reject` rejects the later row, naming
where the first one was read; `first` folds the later row into the first. The reference intake keeps
every id in a dict; a million ids held that way take about 150 MB. Here the ids are hashed a column
at a time to 64 bits (`id_hashes`); each hash is kept in memory with the id's sequence number in a
few sorted runs (`SortedRuns`), about 14 bytes an id. A hash seen twice is only a candidate,
confirmed by comparing the ids themselves, which wait with their rows in a temporary file
(`SpilledIds`), read back only for a candidate: so a collision of hashes never rejects a row, and the
memory an export's ids take grows by the hashes alone.
"""

from __future__ import annotations

import tempfile
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from svcaudit.errors import spilling

# The polynomial hash of an id's UTF-8 bytes: sum of (byte + 1) * BASE**k, plus its length * LENGTH,
# modulo 2**64 (numpy's unsigned arithmetic wraps). BASE is odd, so every power of it is odd and a
# change of one byte always changes the hash; being odd, it has an inverse modulo 2**64.
BASE = np.uint64(0x9E3779B97F4A7C15)
INVERSE = np.uint64(pow(int(BASE), -1, 2**64))
LENGTH = np.uint64(0xC2B2AE3D27D4EB4F)
# The bytes of the ids hashed together (their powers are counted from the first id's start), so
# that the power tables stay this long, or the longest id's length.
SLAB_BYTES = 1 << 16
_OFFSET_TYPES = {pa.string(): np.int32, pa.large_string(): np.int64}
# The filter of `SortedRuns`: a bit per value of a hash's top bits, at least this many bits a hash
# held, so that about one hash in this many not held finds its bit set and is looked up.
FILTER_BITS_PER_HASH = 16
# Sequence numbers and rows are kept in 4 bytes while they fit (below 4,294,967,296), else in 8.
MAX_NARROW_NUMBER = np.iinfo(np.uint32).max
FILTER_MIN_BITS = 1 << 16
# The largest run of hashes a merge makes (3 MB with their sequence numbers): past it, runs are kept
# side by side, each searched on its own (a few dozen at ten million ids).
MAX_RUN_HASHES = 1 << 18


@dataclass(frozen=True)
class Repeat:
    """A row whose ticket id was read before: its position in the batch, and where the first was."""

    position: int
    ticket_id: str
    first_path: str
    first_row: int


class _Powers:
    """BASE**k and INVERSE**k modulo 2**64 for k below a bound that grows when needed."""

    def __init__(self) -> None:
        self.up = self.down = np.ones(1, dtype=np.uint64)

    def upto(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        if length > self.up.size:
            size = max(length, 2 * self.up.size)
            self.up, self.down = _power_table(BASE, size), _power_table(INVERSE, size)
        return self.up, self.down


def _power_table(base: np.uint64, size: int) -> np.ndarray:
    factors = np.full(size, base, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors, dtype=np.uint64)


_POWERS = _Powers()


def _id_offsets(ids: pa.Array) -> np.ndarray:
    """The offsets of an Arrow string array's ids into its data buffer (count + 1 of them, int64)."""
    offsets_type = _OFFSET_TYPES.get(ids.type)
    if offsets_type is None:
        raise TypeError(f"ticket ids must be Arrow strings, not {ids.type}")
    offset_buffer = ids.buffers()[1]
    if offset_buffer is None:  # an empty array may come without buffers
        return np.zeros(len(ids) + 1, dtype=np.int64)
    return np.frombuffer(offset_buffer, dtype=offsets_type)[ids.offset : ids.offset + len(ids) + 1].astype(np.int64)


def id_hashes(ids: pa.Array) -> np.ndarray:
    """A 64-bit hash (uint64) of each id of an Arrow string array, read from its buffers: no
    Python string is made. A null hashes as an empty id."""
    count = len(ids)
    offsets = _id_offsets(ids)
    data_buffer = ids.buffers()[2]
    lengths = np.diff(offsets)
    hashes = lengths.astype(np.uint64) * LENGTH
    if not count or offsets[-1] == offsets[0]:
        return hashes
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    up, down = _POWERS.upto(SLAB_BYTES + int(lengths.max()))
    # Slabs of whole ids, each from the first id starting at or after a multiple of SLAB_BYTES.
    cuts = np.unique(np.searchsorted(offsets[:-1], np.arange(offsets[0], offsets[-1], SLAB_BYTES)))
    for low, high in zip(cuts.tolist(), [*cuts[1:].tolist(), count], strict=True):
        base = int(offsets[low])
        filled = low + np.flatnonzero(lengths[low:high])
        starts = offsets[filled] - base
        body = data[base : int(offsets[high])]
        # Each byte weighed by BASE**(its place in the slab); an id's sum, times INVERSE**(its
        # start), weighs its bytes by BASE**(their place in the id).
        terms = (body + np.uint64(1)) * up[: body.size]
        hashes[filled] += np.add.reduceat(terms, starts) * down[starts]
    return hashes


def row_ids(
    codes: np.ndarray, values: Sequence[str | None], positions: np.ndarray, typed: Mapping[int, str]
) -> pa.Array:
    """The ticket ids of the rows at `positions` (sorted) as an Arrow string array: a row's id is
    `values[codes[row]]` (a coded column), or `typed[row]` for the rows typed apart."""
    ids = pa.array(values, type=pa.string()).take(pa.array(codes[positions]))
    if not typed:
        return ids
    rows = np.array(sorted(typed), dtype=np.int64)
    places = np.searchsorted(positions, rows)
    among = places < positions.size
    among[among] = positions[places[among]] == rows[among]  # a row typed apart may not be asked for
    if not among.any():
        return ids
    mask = np.zeros(len(ids), dtype=bool)
    mask[places[among]] = True
    replacements = pa.array([typed[row] for row in rows[among].tolist()], type=pa.string())
    return pc.replace_with_mask(ids, pa.array(mask), replacements)


@dataclass
class SortedRuns:
    """Hashes with a number each (the id's sequence number), as a few runs sorted by hash.

    A new batch of hashes is a run of its own, merged with the last run while that is not larger
    than it, so there are about log2(batches) runs and each hash is merged about as many times:
    no batch sorts what came before it again. Runs stop growing at `MAX_RUN_HASHES`: a merge holds
    both runs and their merge at once, so that merging a million hashes at the end of a large
    export would be the screen's largest moment of memory. A filter of bits, one per value of a
    hash's top bits, spares the binary searches of the runs for nearly every hash not held."""

    hashes: list[np.ndarray] = field(default_factory=list)
    numbers: list[np.ndarray] = field(default_factory=list)
    _filter: np.ndarray = field(default_factory=lambda: np.zeros(FILTER_MIN_BITS // 8, dtype=np.uint8))
    _shift: np.uint64 = np.uint64(64 - FILTER_MIN_BITS.bit_length() + 1)
    _held: int = 0

    def add(self, hashes: np.ndarray, numbers: np.ndarray) -> None:
        """Add hashes sorted already, with their numbers."""
        if not hashes.size:
            return
        self._held += hashes.size
        if self._held * FILTER_BITS_PER_HASH > self._filter.size * 8:
            self._widen()
        self._mark(hashes)
        self.hashes.append(hashes)
        self.numbers.append(_narrow(numbers))
        runs = self.hashes
        while len(runs) > 1 and runs[-2].size <= runs[-1].size and runs[-2].size + runs[-1].size <= MAX_RUN_HASHES:
            later, later_numbers = self.hashes.pop(), self.numbers.pop()
            earlier, earlier_numbers = self.hashes.pop(), self.numbers.pop()
            merged, merged_numbers = _merged(earlier, later, earlier_numbers, later_numbers)
            self.hashes.append(merged)
            self.numbers.append(merged_numbers)

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """For each of `hashes` (sorted), whether a run holds it."""
        slots = hashes >> self._shift
        maybe = np.flatnonzero((self._filter[slots >> np.uint64(3)] >> (slots & np.uint64(7)).astype(np.uint8)) & 1)
        asked = hashes[maybe]
        found = np.zeros(asked.size, dtype=bool)
        for run in self.hashes:
            at = np.searchsorted(run, asked)
            np.minimum(at, run.size - 1, out=at)
            found |= run[at] == asked
        held = np.zeros(hashes.size, dtype=bool)
        held[maybe] = found
        return held

    def _mark(self, hashes: np.ndarray) -> None:
        """Set the filter's bits of `hashes` (sorted, so that their bytes of the filter come in order)."""
        slots = hashes >> self._shift
        places = slots >> np.uint64(3)
        bits = np.left_shift(1, slots & np.uint64(7)).astype(np.uint8)
        firsts = np.flatnonzero(np.diff(places, prepend=~places[:1]))  # each byte's first hash
        self._filter[places[firsts]] |= np.bitwise_or.reduceat(bits, firsts)

    def _widen(self) -> None:
        """A filter twice as wide (or more), marked again with every hash held."""
        bits = self._filter.size * 8
        while self._held * FILTER_BITS_PER_HASH > bits:
            bits *= 2
        self._filter = np.zeros(bits // 8, dtype=np.uint8)
        self._shift = np.uint64(64 - bits.bit_length() + 1)
        for run in self.hashes:
            self._mark(run)

    def numbers_of(self, hashed: np.uint64) -> list[int]:
        """The numbers kept with `hashed`, smallest first."""
        numbers: list[int] = []
        for run, run_numbers in zip(self.hashes, self.numbers, strict=True):
            low, high = np.searchsorted(run, hashed, side="left"), np.searchsorted(run, hashed, side="right")
            numbers.extend(run_numbers[low:high].tolist())
        return sorted(numbers)

    @property
    def nbytes(self) -> int:
        runs = sum(run.nbytes for run in self.hashes) + sum(run.nbytes for run in self.numbers)
        return runs + self._filter.nbytes


def _narrow(values: np.ndarray) -> np.ndarray:
    """Non-negative whole numbers (not none) in 4 bytes each while they fit, else as they are."""
    return values.astype(np.uint32) if values.max() <= MAX_NARROW_NUMBER else values


def _merged(
    earlier: np.ndarray, later: np.ndarray, earlier_numbers: np.ndarray, later_numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted runs of hashes as one, with their numbers, equal hashes of `earlier` first (as a
    stable sort of the two joined would order them). Each hash of `later` is put where a binary
    search of `earlier` places it, so that the merge needs no sort, and no index of the whole run:
    at a million ids the last merge is the audit's largest piece of memory for a moment."""
    size = earlier.size + later.size
    into = np.searchsorted(earlier, later, side="right")
    into += np.arange(later.size, dtype=into.dtype)  # the places of `later` in the merged run
    from_earlier = np.ones(size, dtype=bool)
    from_earlier[into] = False
    hashes = np.empty(size, dtype=earlier.dtype)
    hashes[into] = later
    hashes[from_earlier] = earlier
    numbers = np.empty(size, dtype=np.result_type(earlier_numbers, later_numbers))
    numbers[into] = later_numbers
    numbers[from_earlier] = earlier_numbers
    return hashes, numbers


@dataclass(frozen=True)
class _SpilledChunk:
    """Where one chunk of ids lies in the spill file: its offsets (4 bytes each, counted from the
    chunk's first id), then its rows, then the ids' UTF-8 bytes."""

    start: int  # the sequence number of its first id
    count: int
    position: int  # of its offsets in the file
    rows_dtype: np.dtype
    path: str
    nulls: frozenset[int]  # places of null ids (none in an export's accepted rows)

    @property
    def rows_position(self) -> int:
        return self.position + (self.count + 1) * OFFSET_BYTES

    @property
    def data_position(self) -> int:
        return self.rows_position + self.count * self.rows_dtype.itemsize


OFFSET_BYTES = 4
_START = attrgetter("start")
OFFSET_TYPE = np.dtype(np.uint32)


class SpilledIds:
    """The ids of the rows audited so far and their rows, in chunks, in a temporary file (made at the
    first chunk, removed when closed or collected): a repeat's first reading is looked up in it by
    sequence number, and nothing of it stays in memory but a few numbers a chunk."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._chunks: list[_SpilledChunk] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, path: str, rows: np.ndarray, ids: pa.Array) -> None:
        """Write a chunk: `ids` (an Arrow string array) and their `rows`, numbered on from the last."""
        count = len(ids)
        if not count:
            return
        offsets = _id_offsets(ids)
        if offsets[-1] - offsets[0] > np.iinfo(OFFSET_TYPE).max:
            raise ValueError("a chunk of ids holds at most 4 GB of text")
        narrow_rows = _narrow(rows)
        data_buffer = ids.buffers()[2]
        body = b"" if data_buffer is None else memoryview(data_buffer)[int(offsets[0]) : int(offsets[-1])]
        with spilling("the ticket ids read so far, to find repeated ones"):
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="svcaudit-ids-")
            file = self._file
            position = file.seek(0, 2)
            file.write((offsets - offsets[0]).astype(OFFSET_TYPE).tobytes())
            file.write(narrow_rows.tobytes())
            file.write(body)
        nulls = frozenset(np.flatnonzero(np.asarray(ids.is_null())).tolist()) if ids.null_count else frozenset()
        self._chunks.append(_SpilledChunk(self._count, count, position, narrow_rows.dtype, path, nulls))
        self._count += count

    def read(self, sequence: int) -> tuple[str | None, str, int]:
        """The id numbered `sequence`, the path it was read from and its row."""
        chunk = self._chunks[bisect_right(self._chunks, sequence, key=_START) - 1]
        place = sequence - chunk.start
        bounds = np.frombuffer(self._read_at(chunk.position + place * OFFSET_BYTES, 2 * OFFSET_BYTES), OFFSET_TYPE)
        itemsize = chunk.rows_dtype.itemsize
        row = np.frombuffer(self._read_at(chunk.rows_position + place * itemsize, itemsize), chunk.rows_dtype)
        if place in chunk.nulls:
            ticket_id = None
        else:
            ticket_id = self._read_at(chunk.data_position + int(bounds[0]), int(bounds[1] - bounds[0])).decode("utf-8")
        return ticket_id, chunk.path, int(row[0])

    def _read_at(self, position: int, size: int) -> bytes:
        assert self._file is not None
        self._file.seek(position)
        return self._file.read(size)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass
class SeenIds:
    """The ticket ids of the rows audited so far, in reading order: their hashes in memory
    (`SortedRuns`), the ids and rows in a temporary file (`SpilledIds`), chunk by chunk (one per batch
    with a row kept). Close it (or let it be collected) to remove the file."""

    _runs: SortedRuns = field(default_factory=SortedRuns)
    _spilled: SpilledIds = field(default_factory=SpilledIds)

    def add(self, path: str, rows: np.ndarray, ids: pa.Array) -> list[Repeat]:
        """Add a batch's ids (an Arrow string array of the rows audited, in order, `rows` their
        rows) and return the rows that repeat an id read before, or earlier in the batch, by
        position. The repeating rows are not added."""
        hashes = id_hashes(ids)
        order = np.argsort(hashes)
        ordered = hashes[order]
        candidates = self._runs.contains(ordered)  # in hash order
        twins = ordered[1:] == ordered[:-1]  # a hash twice in the batch: both are candidates
        candidates[1:] |= twins
        candidates[:-1] |= twins
        found: list[Repeat] = []
        if candidates.any():
            found = self._confirm(path, rows, ids, hashes, np.sort(order[candidates]))
        if found:
            kept = np.ones(hashes.size, dtype=bool)
            kept[[repeat.position for repeat in found]] = False
            kept_order = kept[order]
            # The kept rows' places once the repeats are taken out, in hash order.
            places = (np.cumsum(kept) - 1)[order[kept_order]]
            self._remember(path, rows[kept], ids.filter(pa.array(kept)), ordered[kept_order], places)
        else:
            self._remember(path, rows, ids, ordered, order)
        return found

    def _confirm(
        self, path: str, rows: np.ndarray, ids: pa.Array, hashes: np.ndarray, positions: np.ndarray
    ) -> list[Repeat]:
        """The candidates (positions, in order) whose id was read before, or earlier in the batch."""
        found: list[Repeat] = []
        firsts: dict[str | None, tuple[str, int]] = {}  # candidate ids -> where they were first read
        for position in positions.tolist():
            ticket_id = ids[position].as_py()
            first = firsts.get(ticket_id)
            if first is None:
                first = self._first(ticket_id, hashes[position])
                firsts[ticket_id] = (path, int(rows[position])) if first is None else first
            if first is not None:
                found.append(Repeat(position, ticket_id, first[0], first[1]))
        return found

    def _first(self, ticket_id: str | None, hashed: np.uint64) -> tuple[str, int] | None:
        """Where `ticket_id` was first read in an earlier batch, or None."""
        for sequence in self._runs.numbers_of(hashed):
            spilled_id, path, row = self._spilled.read(sequence)
            if spilled_id == ticket_id:
                return path, row
        return None

    def _remember(self, path: str, rows: np.ndarray, ids: pa.Array, ordered: np.ndarray, places: np.ndarray) -> None:
        """Keep a chunk of ids, `ordered` their hashes sorted and `places` where each is in the chunk."""
        if not len(ids):
            return
        self._runs.add(ordered, places + len(self._spilled))
        self._spilled.append(path, rows, ids)

    def close(self) -> None:
        """Remove the file of ids."""
        self._spilled.close()

    @property
    def nbytes(self) -> int:
        """The memory the hashes take (the ids are on disk; a chunk's record is a few numbers)."""
        return self._runs.nbytes
