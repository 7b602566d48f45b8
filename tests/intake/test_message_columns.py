"""Message rows typed column-wise (`message_columns.typed_messages`) against `RowParser.message`
row by row: the same message, or the same rejection, for every row of a batch."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.intake.arrow_csv import CellBatch
from svcaudit.intake.column_typer import typed_alike
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.message_columns import typed_messages
from svcaudit.intake.model import RowRef
from svcaudit.intake.timestamps import TimestampParser

PATH = "messages.csv"
NAMES = ["ticket_id", "created_at", "author_role", "author", "text", "status", "public", "private", "team"]


def parser(zone: str = "UTC", day_first: bool = False, mapped: dict | None = None) -> RowParser:
    typed = RowParser(TimestampParser(ZoneInfo(zone), day_first), ColumnMapping({}, mapped or {}))
    typed.set_date_order(PATH, "created_at", day_first)  # as the intake decides a column's order
    return typed


# Value tables as presets write them (Zendesk's end-user, Jira's statuses), some of them mapping to
# words the reference then refuses ("robot", "perhaps"), and a mapped id.
MAPPED = {
    "author_role": {"end-user": "customer", "admin": "agent", "x": "robot"},
    "status": {"done": "solved", "?": "open"},
    "public": {"yes": "true", "no": "false", "maybe": "perhaps"},
    "ticket_id": {"t1": "T-ONE"},
    "author": {"bo": " Bo Boson "},
}
PARSERS = [parser(), parser("Europe/Moscow", day_first=True), parser(mapped=MAPPED)]


def outcome(typed) -> tuple:
    """What a user can see of a typed row: every field of its message (the time as written in a
    report, and its zone), or the rejection."""
    if isinstance(typed, FieldError):
        return ("rejected", typed.field, typed.message)
    ticket_id, m = typed
    return (
        ticket_id,
        m.created_at.isoformat(),
        m.created_at.tzinfo,
        m.role,
        m.text,
        m.ref,
        m.status,
        m.author,
        m.index,
        m.timed,
        m.public,
        m.team,
    )


def reference(row_parser: RowParser, ref: RowRef, values: dict) -> tuple:
    try:
        return outcome(row_parser.message(ref, values))
    except FieldError as error:
        return outcome(error)


def assert_typed_alike(row_parser: RowParser, names: list[str], rows: list[list[str]]) -> None:
    lines = np.arange(2, 2 + 3 * len(rows), 3, dtype=np.int64)  # rows spread over lines, as with line breaks
    cells = [pa.array(list(column), type=pa.string()) for column in zip(*rows, strict=True)]
    refs, typed = typed_messages(CellBatch(PATH, lines, cells), names, row_parser)
    assert refs == [RowRef(PATH, int(line)) for line in lines]
    expected = [
        reference(row_parser, ref, dict(zip(names, row, strict=True))) for ref, row in zip(refs, rows, strict=True)
    ]
    assert [outcome(item) for item in typed] == expected


ROWS = [
    ["T1", "2026-03-02T09:00:00+03:00", "customer", "Анна", "Здравствуйте!\nЖду ответа", "", "", "", "L1"],
    ["T1", "2026-03-02T09:00:00Z", " Agent ", " ", "  padded text  ", " Solved ", "true", "", " "],
    ["T1", "2026-03-02 09:00:00", "agent", "Bo", "naive time: the standard's zone", "", "", "", ""],
    ["T1", "02.03.2026 09:00", "оператор", "Bo", "dotted date", "open", "", "", "?"],
    ["T1", "03/02/2026 09:00", "agent", "Bo", "slash date", "?", "", "", ""],
    ["T1", "1772442000", "agent", "Bo", "epoch seconds", "-", "", "", ""],
    ["T1", "", "agent", "Bo", "no time", "", "", "", ""],
    ["T1", "?", "agent", "Bo", "a null marker for a time", "", "", "", ""],
    ["T1", "yesterday", "agent", "Bo", "not a time", "", "", "", ""],
    [" ", "2026-03-02T09:00:00Z", "agent", "Bo", "blank id", "", "", "", ""],
    ["\u00a0T2\u00a0", "2026-03-02T09:00:00Z", "agent", "Bo", "an id in non-breaking spaces", "", "", "", ""],
    ["T1", "2026-03-02T09:00:00Z", "robot", "Bo", "unknown role", "", "", "", ""],
    ["T1", "2026-03-02T09:00:00Z", "", "Bo", "no role", "", "", "", ""],
    ["T1", "2026-03-02T09:00:00Z", "?", "Bo", "a null marker for a role", "", "", "", ""],
    ["T1", "0001-01-01T00:00:00+00:00", "agent", "Bo", "out of range", "", "", "", ""],
    ["T1", "2026-03-29T02:30:00", "agent", "Bo", "in Moscow no gap, in others maybe", "", "", "", ""],
    ["T1", "2026-03-02T09:00:00.123456-05:00", "BOT", "", "", "PENDING", "", "", ""],
    ["T1", "2026-03-02T09:05:00Z", "agent", "Bo", "an internal note", "", "internal", "", ""],
    ["T1", "2026-03-02T09:06:00Z", "agent", "Bo", "private", "", "", "true", ""],
    ["T1", "2026-03-02T09:07:00Z", "agent", "Bo", "an unknown flag", "", "maybe", "", ""],
    ["T1", "2026-03-02T09:08:00Z", "agent", "Bo", "a null marker for a flag", "", "?", "", ""],
    ["T1", "2026-03-02T09:09:00Z", "agent", "n/a", "a null marker for an author", "", "", "", "-"],
    ["t1", "2026-03-02T09:10:00Z", "End-User", "bo", "mapped values", "DONE", "yes", "no", ""],
    ["T1", "2026-03-02T09:11:00Z", "x", "Bo", "a role mapped to a word no role is", "?", "maybe", "", ""],
]


@pytest.mark.parametrize("row_parser", PARSERS, ids=["utc", "moscow-day-first", "mapped-values"])
def test_each_row_types_as_message_types_it(row_parser):
    assert_typed_alike(row_parser, NAMES, ROWS)


@pytest.mark.parametrize(
    "names",
    [
        ["created_at", "ticket_id", "author_role"],  # no text, status, flags, author or team
        ["ticket_id", "created_at", "text"],  # no role: every row is the reference's (Role.UNKNOWN)
        ["ticket_id", "text"],  # no time: every row rejected
    ],
)
def test_missing_columns_read_as_the_reference_reads_them(names):
    values = {"ticket_id": "T9", "created_at": "2026-03-02T09:00:00Z", "author_role": "customer", "text": "hi"}
    assert_typed_alike(PARSERS[0], names, [[values[name] for name in names]] * 3)


def test_rows_are_typed_column_wise_unless_a_name_stands_twice():
    assert typed_alike(NAMES)
    assert not typed_alike([*NAMES, "text"])


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "?",
            "n/a",
            "T1",
            " T1",
            "agent",
            "Customer",
            "бот",
            "клиент",
            "true",
            "FALSE",
            "internal",
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:00:00+03:00",
            "2026-03-02 09:00",
            "2026-03-02",
            "31/12/2026 23:59",
            "02.03.2026 09:00",
            "1772442000",
            "9999-12-31T23:59:59-12:00",
            "solved",
            " Solved ",
            "\t",
            "end-user",
            " Admin ",
            "x",
            "done",
            "yes",
            "no",
            "maybe",
            "t1",
            "bo",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELL, min_size=len(NAMES), max_size=len(NAMES)), min_size=1, max_size=12),
    which=st.integers(0, 2),
)
def test_any_cells_type_as_message_types_them(rows, which):
    assert_typed_alike(PARSERS[which], NAMES, rows)
