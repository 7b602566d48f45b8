"""Findings kept as columns: the failures column kernels settled, a batch of them as one Arrow record
batch with a column per Violation field, in VIOLATION_FIELDS order.

A large export's findings are nearly all such failures (a late first reply, a late resolution, a
reopened ticket: 360,000 for a million ticket rows), and kept as one tuple each they cost more than
everything else the audit does with a row. As columns they are written to the findings log's file
as they are (Arrow's IPC stream format, `chunk_bytes`), and the JSON report encodes them a column at
a time (`reporters/json_columns.py`). Whatever reads findings one by one (the other formats, partial
results) gets the rows a check's `evaluate` would have made (`chunk_rows`), equal field for field.

Types: texts are strings, counts and seconds 64-bit integers, `due_at` epoch microseconds (an aware
UTC datetime in a row). pyarrow is imported here, and this module only where data is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pyarrow as pa

from svcaudit.results.model import VIOLATION_FIELDS
from svcaudit.timecalc.instant_columns import utc_instants

T = TypeVar("T")
INSTANT_FIELD = "due_at"
NUMBER_FIELDS = frozenset(
    {"measured_seconds", "target_seconds", "row", "message_index", "measured_value", "target_value"}
)
SCHEMA = pa.schema(
    [(name, pa.int64() if name in NUMBER_FIELDS or name == INSTANT_FIELD else pa.string()) for name in VIOLATION_FIELDS]
)


def chunk_rows(chunk: pa.RecordBatch) -> list[tuple]:
    """The chunk's findings as rows (`results.violation_as_row`)."""
    columns = []
    for name in VIOLATION_FIELDS:
        column = chunk.column(name)
        if name == INSTANT_FIELD:
            columns.append(instants_of(column, utc_instants))
        else:
            columns.append(column.to_pylist())
    return list(zip(*columns, strict=True))


def instants_of(column: pa.Array, convert: Callable[[np.ndarray], list[T]]) -> list[T | None]:
    """`convert` of a column of epoch microseconds (a datetime, a text of each), None where null."""
    if column.null_count == len(column):
        return [None] * len(column)
    converted: list[T | None] = list(convert(column.fill_null(0).to_numpy(zero_copy_only=False)))
    if column.null_count:
        for position, valid in enumerate(column.is_valid().to_pylist()):
            if not valid:
                converted[position] = None
    return converted


def chunk_bytes(chunk: pa.RecordBatch) -> bytes:
    """The chunk as an Arrow IPC stream, as a findings log writes it to its file."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, chunk.schema) as writer:
        writer.write_batch(chunk)
    return sink.getvalue().to_pybytes()


def read_chunk(data: bytes) -> pa.RecordBatch:
    """The chunk `chunk_bytes` wrote."""
    return pa.ipc.open_stream(pa.BufferReader(data)).read_next_batch()
