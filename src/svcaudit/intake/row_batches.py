"""Rows the reference reader reads, handed to the columnar core in batches of string columns.

An input Arrow does not read (JSON, JSON Lines, a CSV whose quoting or encoding Arrow could read
otherwise) is read row by row by `RowReader` as always: every row counted, every reader fault
rejected there. Its rows then reach the core as Arrow reads a plain CSV: a `CellBatch` of text
columns. A CSV row's cells are its text. A JSON row's values become the text the reference types
them from (`fields._text`: the number 5.0 is "5", null is ""), and consecutive rows with the same
keys share a batch. A JSON row whose text would not stand for its values is marked `raw`: a
timestamp field holding a number (read as epoch seconds), a field the standard maps values of
holding a number (looked up as written), a true or false, a list; the caller has the reference
parser type that row from its values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from svcaudit.intake.arrow_csv import BATCH_ROWS, CellBatch
from svcaudit.intake.column_typer import STAMP_FIELDS
from svcaudit.intake.model import RowRef

_NUMBERS = (int, float)


@dataclass
class RowBatch:
    """Consecutive rows of one input: their cells under `names`, and for JSON rows their values
    (`values`, None for CSV) with the rows to type from them (`raw`)."""

    cells: CellBatch
    names: list[str]
    values: list[dict[str, Any]] | None = None
    raw: np.ndarray | None = None


def csv_row_batches(path: str, names: list[str], rows: Iterator[tuple[RowRef, list[str]]]) -> Iterator[RowBatch]:
    """A plain CSV input's rows (`RowReader.plain_rows`) in batches of `BATCH_ROWS`."""
    lines: list[int] = []
    held: list[list[str]] = []
    for ref, cells in rows:
        lines.append(ref.row)
        held.append(cells)
        if len(held) == BATCH_ROWS:
            yield RowBatch(_cell_batch(path, lines, list(zip(*held, strict=True))), names)
            lines, held = [], []
    if held:
        yield RowBatch(_cell_batch(path, lines, list(zip(*held, strict=True))), names)


def mapping_row_batches(
    path: str, rows: Iterator[tuple[RowRef, dict[str, Any]]], mapped: frozenset[str]
) -> Iterator[RowBatch]:
    """A JSON input's canonical rows (`RowReader.rows`) in batches of at most `BATCH_ROWS`
    consecutive rows with the same keys, in that order; `mapped`: the fields whose values the
    standard maps."""
    keys: tuple[str, ...] | None = None
    lines: list[int] = []
    held: list[dict[str, Any]] = []
    for ref, values in rows:
        shape = tuple(values)
        if held and (shape != keys or len(held) == BATCH_ROWS):
            yield _mapping_batch(path, lines, held, keys, mapped)
            lines, held = [], []
        keys = shape
        lines.append(ref.row)
        held.append(values)
    if held:
        yield _mapping_batch(path, lines, held, keys, mapped)


def _mapping_batch(
    path: str, lines: list[int], rows: list[dict[str, Any]], keys: tuple[str, ...] | None, mapped: frozenset[str]
) -> RowBatch:
    assert keys is not None
    names = list(keys)
    as_written = [name in STAMP_FIELDS or name in mapped for name in names]  # typed from the value itself
    raw = np.zeros(len(rows), dtype=bool)
    columns: list[list[str]] = [[] for _ in names]
    for place, values in enumerate(rows):
        for column, value, own in zip(columns, values.values(), as_written, strict=True):
            text = _cell_text(value)
            if text is None or (own and value is not None and type(value) is not str):  # noqa: E721
                raw[place] = True
                text = ""
            column.append(text)
    return RowBatch(_cell_batch(path, lines, columns), names, rows, raw)


def _cell_text(value: object) -> str | None:
    """The cell text a JSON value is typed from as the reference types the value (`_text`); None
    for a value no text stands for."""
    if type(value) is str:  # noqa: E721
        return value
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, _NUMBERS):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_batch(path: str, lines: list[int], columns: Sequence[Sequence[str]]) -> CellBatch:
    cells = [pa.array(column, type=pa.string()) for column in columns]
    return CellBatch(path, np.array(lines, dtype=np.int64), cells)
