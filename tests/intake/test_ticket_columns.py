"""Ticket rows typed column-wise for the message join (`ticket_columns.typed_tickets`) against
`RowParser.ticket` row by row: every row either the same ticket, fields included, or left to the
reference (None); the rows left are those the reference rejects or is not sure to read alike."""

from __future__ import annotations

import sys
from dataclasses import fields as dataclass_fields
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.intake.arrow_csv import CellBatch
from svcaudit.intake.columns import TICKET_FIELDS, ColumnMapping
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.model import RowRef, Ticket
from svcaudit.intake.ticket_columns import PYTHON_SPACES, typed_tickets
from svcaudit.intake.timestamps import TimestampParser

PATH = "tickets.csv"
NAMES = [*TICKET_FIELDS, "subject", "sla_minutes"]  # the typed fields, free text, a figure by its name


def parser(zone: str = "UTC", day_first: bool = False, mapped: dict | None = None) -> RowParser:
    typed = RowParser(TimestampParser(ZoneInfo(zone), day_first), ColumnMapping({}, mapped or {}))
    for name in ("created_at", "first_reply_at", "resolved_at"):
        typed.set_date_order(PATH, name, day_first)
    return typed


# Value tables as presets write them, one of a free-text column and one of a figure by its name.
MAPPED = {
    "status": {"done": "Solved", "готово": "solved"},
    "priority": {"p1": "urgent", "4": " URGENT "},
    "channel": {"mail": "email"},
    "agent": {"-": "nobody"},
    "subject": {"x": "y"},
    "sla_minutes": {"n/a": "0", "?": "?"},
}
PARSERS = [parser(), parser("Europe/Berlin", day_first=True), parser(mapped=MAPPED)]


def seen(ticket: Ticket) -> tuple:
    """Every field of a ticket, its times as a report writes them, with their zones."""
    values = []
    for field in dataclass_fields(Ticket):
        value = getattr(ticket, field.name)
        if hasattr(value, "isoformat"):
            value = (value.isoformat(), value.tzinfo)
        values.append((field.name, value))
    return tuple(values)


def assert_typed_alike(row_parser: RowParser, names: list[str], rows: list[list[str]]) -> list[bool]:
    """Each row typed column-wise equals the reference's ticket, or is left to it; which rows
    were typed column-wise."""
    lines = np.arange(2, 2 + 2 * len(rows), 2, dtype=np.int64)
    cells = [pa.array(list(column), type=pa.string()) for column in zip(*rows, strict=True)]
    typed = list(typed_tickets(CellBatch(PATH, lines, cells), names, row_parser))
    assert len(typed) == len(rows)
    for line, row, ticket in zip(lines.tolist(), rows, typed, strict=True):
        if ticket is None:
            continue
        reference = row_parser.ticket(RowRef(PATH, line), dict(zip(names, row, strict=True)))
        assert seen(ticket) == seen(reference)
        assert list(ticket.fields) == list(reference.fields)  # in the columns' order, as the reference
    return [ticket is not None for ticket in typed]


def left_rows_are_rejected_or_unsure(row_parser: RowParser, names: list[str], row: list[str]) -> bool:
    try:
        ticket = row_parser.ticket(RowRef(PATH, 2), dict(zip(names, row, strict=True)))
    except FieldError:
        return True
    return bool(ticket.rejected_fields)


PLAIN = [
    "T1",
    "2026-03-02T09:00:00+03:00",
    "2026-03-02T09:05:00Z",
    "",
    " Solved ",
    "HIGH",
    "Email",
    " Анна ",
    "L1",
    "Ёлкин",
    "2",
    "4,5",
    "9",
    "3",
    " subject with spaces\u3000",
    "?",
]


def varied(**changes: str) -> list[str]:
    return [changes.get(name, value) for name, value in zip(NAMES, PLAIN, strict=True)]


ROWS = [
    PLAIN,
    varied(status="?", priority="n/a", agent="-", team="null", customer_name="NONE"),  # null markers: empty
    varied(subject="?", ticket_id="\u00a0T2\u00a0"),  # free text keeps a marker; an id in odd spaces: left
    varied(subject="\x1c\x1dtext\x1f", sla_minutes=" N/A "),  # str.isspace's control characters
    varied(created_at="02.03.2026 09:00", first_reply_at="02.03.2026 10:00"),  # dotted dates
    varied(created_at="2026-03-29 02:30", first_reply_at="1774774800"),  # a DST gap; epoch seconds
    varied(first_reply_at="2026-03-01T00:00:00Z"),  # a reply before creation: the field rejected
    varied(created_at="soon"),  # rejected
    varied(ticket_id="  "),  # rejected
    varied(reopens="1.5"),  # rejected
    varied(csat="7"),  # rejected: off the scale
    varied(reopens="", csat="", nps="", ces="", resolved_at=" ", created_at=""),
]


@pytest.mark.parametrize("row_parser", PARSERS[:2], ids=["utc", "berlin-day-first"])
def test_each_row_types_as_ticket_types_it(row_parser):
    typed = assert_typed_alike(row_parser, NAMES, ROWS)
    assert typed == [True, True, False, True, True, True, False, False, False, False, False, True]
    for row in ROWS[6:11]:  # left as the reference rejects a field or the row
        assert left_rows_are_rejected_or_unsure(row_parser, NAMES, row)


def test_python_spaces_are_what_str_strip_takes():
    assert set(PYTHON_SPACES) == {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "?",
            "N/A",
            "T1",
            " T1 ",
            "solved",
            "Open",
            "5",
            "4,5",
            "-1",
            "0",
            "2026-03-02T09:00:00Z",
            "2026-03-02 09:00",
            "2026-03-02",
            "31/12/2026 23:59",
            "02.03.2026 09:00",
            "\u2028x\u2029",
            "\x85",
            "done",
            "Готово",
            "p1",
            "4",
            "mail",
            "-",
            "x",
        ]
    ),
    st.text(max_size=10),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELL, min_size=len(NAMES), max_size=len(NAMES)), min_size=1, max_size=10),
    which=st.integers(0, 2),
)
def test_any_cells_type_as_ticket_types_them(rows, which):
    assert_typed_alike(PARSERS[which], NAMES, rows)


def test_mapped_values_are_typed_as_the_reference_maps_them():
    row = varied(status=" DONE ", priority="p1", channel="Mail", agent="-", subject="x", sla_minutes="N/A")
    assert assert_typed_alike(PARSERS[2], NAMES, [row, PLAIN]) == [True, True]
