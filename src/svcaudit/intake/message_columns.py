"""Message rows typed a column at a time: a `CellBatch` of a plain CSV's cells in, messages out.

The counterpart of `RowParser.message` for message-row exports, which hold about five rows for
every ticket row. Each field is read column-wise or once per distinct text (`column_typer`): ticket
ids trimmed, `created_at` as the ticket rows' timestamps are read, roles, public flags, statuses,
authors and teams by the reference code once per distinct value. A row it cannot vouch for (a
blank id, no readable time, an unknown role or flag) is typed by `RowParser.message` from its
cells, which types it or raises the `FieldError` that rejects it, so every row comes out as the
reference gives it.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat

import numpy as np
import pyarrow as pa

from svcaudit.intake.arrow_csv import CellBatch
from svcaudit.intake.column_typer import MISSING, Refused, listed, moments, per_value, ticket_ids, timestamp_micros
from svcaudit.intake.fields import PUBLIC_WORDS, ROLE_SYNONYMS, FieldError, RowParser
from svcaudit.intake.model import Message, Role, RowRef

TypedMessage = tuple[str, Message] | FieldError  # a row's ticket id and message, or why it is rejected


def typed_messages(batch: CellBatch, names: list[str], parser: RowParser) -> tuple[list[RowRef], list[TypedMessage]]:
    """Each row's place and its message (or rejection), in the batch's order (`column_typer.typed_alike` holds)."""
    size = len(batch)
    columns = dict(zip(names, batch.cells, strict=True))
    exact = np.ones(size, dtype=bool)
    id_codes, id_values = ticket_ids(columns.get("ticket_id"), size, parser, exact)
    stamps = timestamp_micros(columns.get("created_at"), size, "created_at", batch.path, parser, exact)
    exact &= stamps != MISSING  # a message without a time is rejected, by the reference
    roles = per_value(columns.get("author_role"), size, _role, exact)
    public = per_value(columns.get("public"), size, _flag(True), exact)
    private = per_value(columns.get("private"), size, _flag(False), exact)
    nulls = parser.nulls
    statuses = per_value(columns.get("status"), size, _status(parser), exact)
    authors = per_value(columns.get("author"), size, nulls.clean, exact)
    teams = per_value(columns.get("team"), size, nulls.clean, exact)
    text = columns.get("text")
    texts = repeat("") if text is None else text.to_pylist()
    refs = list(map(RowRef, repeat(batch.path), batch.rows.tolist()))
    shown = _values(public) & ~_values(private)
    messages: list[TypedMessage] = list(
        zip(
            listed(id_codes, id_values),
            map(
                Message,
                moments(stamps),
                listed(*roles),
                texts,
                refs,
                listed(*statuses),
                listed(*authors),
                repeat(0),
                repeat(True),
                shown.tolist(),
                listed(*teams),
            ),
            strict=False,
        )
    )
    left = np.flatnonzero(~exact)
    if left.size:
        cells = [column.take(pa.array(left)).to_pylist() for column in batch.cells]
        for place, row in zip(left.tolist(), zip(*cells, strict=True), strict=True):
            try:
                messages[place] = parser.message(refs[place], dict(zip(names, row, strict=True)))
            except FieldError as error:
                messages[place] = error
    return refs, messages


def _values(coded: tuple[np.ndarray, list]) -> np.ndarray:
    """A coded column of flags as booleans (a refused row's None reads False: it is retyped)."""
    codes, values = coded
    return np.array([bool(value) for value in values], dtype=bool)[codes]


def _role(raw: str | None) -> Role:
    """A role as `RowParser.message` reads a plain one; anything else (blank, unknown, no column)
    is the reference's to read or reject."""
    role = None if raw is None else ROLE_SYNONYMS.get(raw.strip().casefold())
    if role is None:
        raise Refused(raw)
    return role


def _flag(blank: bool) -> Callable[[str | None], bool]:
    """A public or private flag: blank (or no column) means `blank`; an unknown word (or a null
    marker) is the reference's to settle."""

    def read(raw: str | None) -> bool:
        word = "" if raw is None else raw.strip().casefold()
        if not word:
            return blank
        value = PUBLIC_WORDS.get(word)
        if value is None:
            raise Refused(raw)
        return value

    return read


def _status(parser: RowParser) -> Callable[[str | None], str | None]:
    nulls = parser.nulls

    def read(raw: str | None) -> str | None:
        status = "" if raw is None else raw.strip()
        if status in nulls:
            return None
        return status.casefold() if status else None

    return read
