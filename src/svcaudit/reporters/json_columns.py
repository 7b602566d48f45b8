"""The JSON items of findings kept as columns (`results.finding_columns`), encoded a column at a time.

The text is `json.encode_findings` of the chunk's rows, byte for byte, as UTF-8: each column is
made the JSON text of its values with Arrow's kernels (a number's digits, a text quoted; `null`),
a text that needs escaping (a quote, a backslash, a control character, or what `json_text`
escapes) escaped by the very functions that escape a row's, and the items joined from the
template of their keys.

pyarrow is imported here, and this module only when such a chunk is encoded.
"""

from __future__ import annotations

from json.encoder import encode_basestring as encode_text

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from svcaudit.reporters.escaping import json_text
from svcaudit.results.finding_columns import INSTANT_FIELD, instants_of
from svcaudit.results.model import item_keys
from svcaudit.timecalc.instant_columns import instant_texts

NULL = "null"
QUOTE = '"'
# What `encode_text` escapes (a quote, a backslash, C0 controls) and what `json_text` escapes (DEL,
# C1 and bidirectional controls; a string array holds no lone surrogate), as an RE2 class.
_ESCAPED = '["\\\\\\x00-\\x1f\\x7f-\\x9f\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]'


def items_text(chunk: pa.RecordBatch, template: str, separator: str) -> bytes:
    """The findings' JSON items, joined by `separator`, as UTF-8: `template` (`json._item_template`
    of the chunk's keys, a `%s` a key) filled with the values of the chunk's columns. The items are
    made with the separator after each but the last, so that the text is the bytes Arrow holds
    them in, never a Python string."""
    literals = template.replace("%%", "\0").split("%s")
    values = _json_values(chunk)
    pieces: list[pa.Array | str] = []
    for literal, value in zip(literals, [*values, None], strict=True):
        if literal:
            pieces.append(literal.replace("\0", "%"))
        if value is not None:
            pieces.append(value)
    count = chunk.num_rows
    pieces.append(pa.array([separator] * (count - 1) + [""], pa.string()))
    items = pc.binary_join_element_wise(*pieces, "")
    _, offsets, data = items.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[items.offset : items.offset + count + 1]
    return data.slice(int(bounds[0]), int(bounds[-1] - bounds[0])).to_pybytes()


def _json_values(chunk: pa.RecordBatch) -> list[pa.Array]:
    """The JSON text of every value, a column per key of the chunk's items (`item_keys`)."""
    measured, target = chunk.column("measured_seconds"), chunk.column("target_seconds")
    texts = []
    for key in item_keys(waived=False):
        if key == "overrun_seconds":
            texts.append(_numbers(pc.subtract(measured, target)))
        elif key == INSTANT_FIELD:
            texts.append(_instants(chunk.column(key)))
        else:
            column = chunk.column(key)
            texts.append(_texts(column) if pa.types.is_string(column.type) else _numbers(column))
    return texts


def _numbers(column: pa.Array) -> pa.Array:
    return pc.cast(column, pa.string()).fill_null(NULL)


def _instants(column: pa.Array) -> pa.Array:
    """Epoch microseconds as `format_instant` writes them, quoted."""
    texts = instants_of(column, instant_texts)
    return pa.array([NULL if text is None else f'"{text}"' for text in texts], pa.string())


def _texts(column: pa.Array) -> pa.Array:
    """Texts quoted, escaped as `json_text(encode_text(value))` escapes them where they need it."""
    quoted = pc.binary_join_element_wise(QUOTE, column, QUOTE, "")
    escaped = pc.match_substring_regex(column, _ESCAPED).fill_null(False)
    if pc.any(escaped).as_py():
        exact = [
            None if value is None or not needs else json_text(encode_text(value))
            for value, needs in zip(column.to_pylist(), escaped.to_pylist(), strict=True)
        ]
        quoted = pc.if_else(escaped, pa.array(exact, pa.string()), quoted)
    return quoted.fill_null(NULL)
