"""Ticket rows of a plain CSV typed a column at a time into `Ticket`s, for the message join.

Ticket rows alone are judged by the columnar core from typed columns. When message rows join
them, each ticket row becomes a `Ticket` that the reference rule loop judges, and `where` scoping
may read any of its columns, so every column's text is kept in `fields`. This gives the tickets
`RowParser.ticket` gives, a batch at a time: the typed fields as `column_typer.type_columns` reads
them, and every column's text trimmed column-wise of exactly the characters `str.strip` takes, a
null marker in a typed field looked up among the short values only. A row `type_columns` is not
sure of comes out as None: the caller types it with `RowParser.ticket`, which types or rejects it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from svcaudit.intake.arrow_csv import CellBatch
from svcaudit.intake.column_typer import (
    FOLDED_FIELDS,
    NAME_FIELDS,
    NUMBER_FIELDS,
    STAMP_FIELDS,
    figures,
    listed,
    moments,
    per_value,
    type_columns,
)
from svcaudit.intake.fields import RowParser, is_nullable
from svcaudit.intake.model import RowRef, Ticket

# What `str.strip()` takes from the ends of a text: the characters `str.isspace` holds true of.
PYTHON_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# The typed attributes of a Ticket besides its id, in the order `typed_tickets` lists them.
_CODED = FOLDED_FIELDS + NAME_FIELDS  # read from `TypedColumns.coded`
_ATTRIBUTES = _CODED + STAMP_FIELDS + NUMBER_FIELDS


def typed_tickets(batch: CellBatch, names: list[str], parser: RowParser) -> Iterator[Ticket | None]:
    """Each row's ticket, in the batch's order, made as it is asked for (a batch's tickets are not
    all held at once); None for a row the reference is to type (`column_typer.typed_alike` holds)."""
    typed = type_columns(batch, names, parser)
    texts = [_texts(column, name, parser) for name, column in zip(names, batch.cells, strict=True)]
    for name in FOLDED_FIELDS:  # `fields` holds them casefolded, as the typed field
        if name in names:
            texts[names.index(name)] = listed(*typed.coded[name])
    exact = typed.exact.tolist()
    ids = listed(*typed.coded["ticket_id"])
    coded = [listed(*typed.coded[name]) for name in _CODED]
    stamps = [moments(typed.stamps[name]) for name in STAMP_FIELDS]
    numbers = [figures(typed.numbers[name], name) for name in NUMBER_FIELDS]
    path, present = batch.path, typed.present
    rows = zip(ids, batch.rows.tolist(), zip(*texts, strict=True), *coded, *stamps, *numbers, strict=True)
    for place, (ticket_id, line, cells, *values) in enumerate(rows):
        if not exact[place]:
            yield None
            continue
        yield Ticket(
            ticket_id=ticket_id,
            ref=RowRef(path, line),
            fields={name: text for name, text in zip(names, cells, strict=True) if text is not None},
            has_ticket_row=True,
            columns=present,
            **dict(zip(_ATTRIBUTES, values, strict=True)),
        )


def _texts(column: pa.Array, name: str, parser: RowParser) -> list[str | None]:
    """A column's texts as `fields` holds them: trimmed, None when blank or, in a typed field, a
    null marker (only values as short as the longest marker can be one); a column whose values the
    standard maps is read once per distinct value, by the reference."""
    if name in parser.mapping.mapped_fields:
        size = len(column)
        return listed(*per_value(column, size, lambda raw: parser.field_text(name, raw), np.ones(size, dtype=bool)))
    trimmed = pc.utf8_trim(column, characters=PYTHON_SPACES)
    lengths = pc.utf8_length(trimmed).to_numpy(zero_copy_only=False)
    values: list[str | None] = trimmed.to_pylist()
    empty = lengths == 0
    if is_nullable(name):
        marks = parser.nulls.marks
        for place in np.flatnonzero(~empty & (lengths <= parser.nulls.longest)).tolist():
            empty[place] = marks(values[place])
    for place in np.flatnonzero(empty).tolist():
        values[place] = None
    return values
