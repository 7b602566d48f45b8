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
from svcaudit.intake.fields import ROLE_SYNONYMS, FieldError, RowParser, public_flag
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
    roles = per_value(columns.get("author_role"), size, _role(parser), exact)
    public = per_value(columns.get("public"), size, _flag(parser, "public"), exact)
    private = per_value(columns.get("private"), size, _flag(parser, "private"), exact)
    statuses = per_value(columns.get("status"), size, _status(parser), exact)
    authors = per_value(columns.get("author"), size, _named(parser, "author"), exact)
    teams = per_value(columns.get("team"), size, _named(parser, "team"), exact)
    text = columns.get("text")
    texts = repeat("") if text is None else text.to_pylist()
    refs = list(map(RowRef, repeat(batch.path), batch.rows.tolist()))
    shown = _values(public) & _values(private)
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


def _role(parser: RowParser) -> Callable[[str | None], Role]:
    """A role as `RowParser.message` reads one; none (blank, a null marker, no column) or an
    unknown one is the reference's to read or reject."""

    def read(raw: str | None) -> Role:
        value = parser.value_of("author_role", raw)
        role = None if value is None else ROLE_SYNONYMS.get(value.casefold())
        if role is None:
            raise Refused(raw)
        return role

    return read


def _flag(parser: RowParser, name: str) -> Callable[[str | None], bool]:
    """Whether a public or private flag leaves the message public: a blank one (or no column)
    does; an unknown word is the reference's to reject."""

    def read(raw: str | None) -> bool:
        value = parser.value_of(name, raw)
        if value is None:
            return True
        try:
            return public_flag(value, name)
        except FieldError:
            raise Refused(raw) from None

    return read


def _status(parser: RowParser) -> Callable[[str | None], str | None]:
    def read(raw: str | None) -> str | None:
        status = parser.value_of("status", raw)
        return status.casefold() if status else None

    return read


def _named(parser: RowParser, name: str) -> Callable[[str | None], str | None]:
    return lambda raw: parser.value_of(name, raw)
