"""Rows the reference reader reads, handed to the columnar core in batches of string columns.

An input Arrow does not read (JSON, JSON Lines, a CSV whose quoting or encoding Arrow could read
otherwise) is read row by row by `RowReader` as always: every row counted, every reader fault
rejected there. Its rows then reach the core as Arrow reads a plain CSV: a `CellBatch` of text
columns. A CSV row's cells are its text. A JSON row's values become the text the reference types
them from (`fields._text`: the number 5.0 is "5", a list or a flag its Python text, null "", a
key the row lacks ""), and consecutive rows that hold the same ticket fields share a batch. A
JSON row whose text would not stand for a value is kept with its values (`raw_values`): a
timestamp field holding anything but text (a number is read as epoch seconds), a field the
standard maps values of holding a float (looked up as written, "5.0"); the caller has the
reference parser type that row from its values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from svcaudit.intake.arrow_csv import BATCH_ROWS, CellBatch
from svcaudit.intake.column_typer import STAMP_FIELDS
from svcaudit.intake.columns import TICKET_FIELDS
from svcaudit.intake.model import RowRef

# JSON rows handed on together: fewer than a CSV's, as each is held as its mapping until then.
JSON_BATCH_ROWS = 4_096
_TEXT_ONLY = frozenset({str})  # the value types of a column of texts
# The value types whose text stands for the value in a field typed from the value itself. A
# timestamp is read from its value (a number as epoch seconds): only a text or null. A value the
# standard maps may be looked up as `str(value)`: any but a float (`5.0` is looked up as "5.0",
# its text is "5").
_STAMP_KEEP: frozenset[type] = frozenset({str, type(None)})
_MAPPED_KEEP: frozenset[type] = frozenset({str, int, bool, list, type(None)})


@dataclass
class RowBatch:
    """Consecutive rows of one input: their cells under `names`, and the JSON rows whose text does
    not stand for their values, those values by the row's place in the batch (`raw_values`)."""

    cells: CellBatch
    names: list[str]
    raw_values: dict[int, dict[str, Any]] = field(default_factory=dict)


def csv_row_batches(
    path: str, names: list[str], rows: Iterator[tuple[RowRef, list[str]]], batch_rows: int = BATCH_ROWS
) -> Iterator[RowBatch]:
    """A plain CSV input's rows (`RowReader.plain_rows`) in batches of `batch_rows`."""
    lines: list[int] = []
    held: list[list[str]] = []
    for ref, cells in rows:
        lines.append(ref.row)
        held.append(cells)
        if len(held) == batch_rows:
            yield RowBatch(_cell_batch(path, lines, list(zip(*held, strict=True))), names)
            lines, held = [], []
    if held:
        yield RowBatch(_cell_batch(path, lines, list(zip(*held, strict=True))), names)


def mapping_row_batches(
    path: str, rows: Iterator[tuple[RowRef, dict[str, Any]]], mapped: frozenset[str]
) -> Iterator[RowBatch]:
    """A JSON input's canonical rows (`RowReader.rows`) in batches of at most `JSON_BATCH_ROWS`
    consecutive rows that hold the same ticket fields (`TICKET_FIELDS`), in that order; `mapped`:
    the fields whose values the standard maps.

    Rows of a batch may differ in their other keys (an API's nested objects come and go: Zendesk's
    `via.source.from.address` only on e-mail): a key a row lacks is an empty cell there, which
    the reference reads as it reads a missing key, as only the ticket fields' presence counts
    (`Ticket.columns`)."""
    held: list[dict[str, Any]] = []
    lines: list[int] = []
    fields: tuple[bool, ...] | None = None
    for ref, values in rows:
        present = tuple(map(values.__contains__, TICKET_FIELDS))
        if held and (present != fields or len(held) == JSON_BATCH_ROWS):
            yield _mapping_batch(path, lines, held, mapped)
            lines, held = [], []
        fields = present
        lines.append(ref.row)
        held.append(values)
    if held:
        yield _mapping_batch(path, lines, held, mapped)


def _mapping_batch(path: str, lines: list[int], rows: list[dict[str, Any]], mapped: frozenset[str]) -> RowBatch:
    names = list(dict.fromkeys(name for values in rows for name in values))
    raw: set[int] = set()  # the places of the rows to type from their values
    columns: list[Sequence[Any]] = []
    for name in names:
        column = [values.get(name) for values in rows]
        texts = set(map(type, column)) == _TEXT_ONLY
        kept = _STAMP_KEEP if name in STAMP_FIELDS else _MAPPED_KEEP if name in mapped else None
        columns.append(column if texts else _texts(column, raw, kept))
    raw_values = {place: rows[place] for place in sorted(raw)}
    return RowBatch(_cell_batch(path, lines, columns), names, raw_values)


def _texts(column: Sequence[Any], raw: set[int], kept: frozenset[type] | None) -> list[str]:
    """A column's values as cell texts (`_cell_text`), marking in `raw` the rows whose text does
    not stand for the value: in a field typed from the value itself, a value of a type not
    `kept`."""
    texts = []
    for place, value in enumerate(column):
        if kept is not None and type(value) not in kept:
            raw.add(place)
            texts.append("")
        else:
            texts.append(_cell_text(value))
    return texts


def _cell_text(value: object) -> str:
    """The text the reference reads a JSON value as (`fields._text`, but for null, which is an
    empty cell): `5.0` is "5", a list or a flag its Python text."""
    if type(value) is str:  # noqa: E721
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_batch(path: str, lines: list[int], columns: Sequence[Sequence[Any]]) -> CellBatch:
    cells = [pa.array(column, type=pa.string()) for column in columns]
    return CellBatch(path, np.array(lines, dtype=np.int64), cells)
