"""Repeated ticket ids across batches of ticket rows, found exactly, in little memory.

`input.duplicates` decides what a repeated ticket id means: `reject` rejects the later row, naming
where the first one was read; `first` folds the later row into the first. The reference intake keeps
every id in a dict; a million ids held that way take about 150 MB. Here each id is kept as a 64-bit
hash in a sorted numpy array with the row's place, and the ids themselves as Arrow strings (a dozen
bytes each); a hash seen twice is only a candidate, confirmed by comparing the ids themselves, so a
collision of hashes never rejects a row.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa


@dataclass(frozen=True)
class Repeat:
    """A row whose ticket id was read before: its position in the batch, and where the first was."""

    position: int
    ticket_id: str
    first_path: str
    first_row: int


@dataclass
class SeenIds:
    """The ticket ids of the rows audited so far, in reading order."""

    _hashes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    _order: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # sequence numbers
    _starts: list[int] = field(default_factory=list)  # first sequence number of each chunk
    _ids: list[pa.Array] = field(default_factory=list)
    _rows: list[np.ndarray] = field(default_factory=list)
    _paths: list[str] = field(default_factory=list)
    _count: int = 0

    def add(self, path: str, rows: np.ndarray, ids: Sequence[str]) -> list[Repeat]:
        """Add a batch's ids (the rows audited, in order) and return the rows that repeat an id
        read before, or earlier in the batch. The repeating rows are not added."""
        hashes = np.fromiter((hash(i) for i in ids), dtype=np.int64, count=len(ids))
        repeats = self._candidates(hashes)
        kept = np.ones(len(ids), dtype=bool)
        found: list[Repeat] = []
        if repeats.any():
            earlier: dict[str, int] = {}  # candidate ids of this batch -> their first position
            for position in np.flatnonzero(repeats).tolist():
                ticket_id = ids[position]
                first = self._first(ticket_id, int(hashes[position]))
                if first is None and ticket_id in earlier:
                    first = (path, int(rows[earlier[ticket_id]]))
                if first is not None:
                    kept[position] = False
                    found.append(Repeat(position, ticket_id, first[0], first[1]))
                else:
                    earlier[ticket_id] = position
        self._remember(path, rows[kept], hashes[kept], [i for i, keep in zip(ids, kept, strict=True) if keep])
        return found

    def _candidates(self, hashes: np.ndarray) -> np.ndarray:
        """Rows whose hash was seen before or repeats within the batch."""
        candidates = np.zeros(hashes.size, dtype=bool)
        if self._hashes.size:
            at = np.searchsorted(self._hashes, hashes)
            inside = at < self._hashes.size
            candidates[inside] = self._hashes[at[inside]] == hashes[inside]
        _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
        candidates |= counts[inverse] > 1
        return candidates

    def _first(self, ticket_id: str, hashed: int) -> tuple[str, int] | None:
        """Where `ticket_id` was first read in an earlier batch, or None."""
        low = int(np.searchsorted(self._hashes, hashed, side="left"))
        high = int(np.searchsorted(self._hashes, hashed, side="right"))
        for sequence in sorted(int(s) for s in self._order[low:high]):
            chunk = bisect_right(self._starts, sequence) - 1
            offset = sequence - self._starts[chunk]
            if self._ids[chunk][offset].as_py() == ticket_id:
                return self._paths[chunk], int(self._rows[chunk][offset])
        return None

    def _remember(self, path: str, rows: np.ndarray, hashes: np.ndarray, ids: list[str]) -> None:
        if not ids:
            return
        sequences = np.arange(self._count, self._count + len(ids), dtype=np.int64)
        self._starts.append(self._count)
        self._ids.append(pa.array(ids, type=pa.string()))
        self._rows.append(rows)
        self._paths.append(path)
        self._count += len(ids)
        merged = np.concatenate((self._hashes, hashes))
        order = np.argsort(merged, kind="stable")
        self._hashes = merged[order]
        self._order = np.concatenate((self._order, sequences))[order]
