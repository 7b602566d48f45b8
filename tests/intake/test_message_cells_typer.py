"""The cells typer of message-row CSVs against `RowParser.message`: the same message or the same
rejection, for plain rows and for every row it hands back to `message`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.model import RowRef
from svcaudit.intake.timestamps import TimestampParser

REF = RowRef("messages.csv", 12)
NAMES = ["ticket_id", "created_at", "author_role", "author", "text", "status"]
PARSERS = [
    RowParser(TimestampParser(ZoneInfo(zone), day_first=day_first), ColumnMapping({}, {}))
    for zone, day_first in (("UTC", False), ("Europe/Moscow", True))
]


def both(parser: RowParser, names: list[str], cells: list[str]):
    def outcome(function, *args):
        try:
            return function(*args)
        except FieldError as exc:
            return ("rejected", exc.field, exc.message)

    typer = parser.message_cells_typer(names)
    assert typer is not None
    return outcome(typer, REF, cells), outcome(parser.message, REF, dict(zip(names, cells, strict=True)))


ROWS = [
    ["T1", "2026-03-02T09:00:00+03:00", "customer", "Анна", "Здравствуйте!\nЖду ответа", ""],
    ["T1", "2026-03-02T09:00:00Z", " Agent ", " ", "  padded text  ", " Solved "],
    ["T1", "2026-03-02 09:00:00", "agent", "Bo", "naive time: the standard's zone", ""],
    ["T1", "02.03.2026 09:00", "оператор", "Bo", "day-first time", "open"],
    ["T1", "", "agent", "Bo", "no time", ""],
    ["T1", "yesterday", "agent", "Bo", "not a time", ""],
    [" ", "2026-03-02T09:00:00Z", "agent", "Bo", "blank id", ""],
    ["T1", "2026-03-02T09:00:00Z", "robot", "Bo", "unknown role", ""],
    ["T1", "2026-03-02T09:00:00Z", "", "Bo", "no role", ""],
    ["T1", "0001-01-01T00:00:00+00:00", "agent", "Bo", "out of range", ""],
    ["T1", "2026-03-02T09:00:00.123456-05:00", "BOT", "", "", "PENDING"],
]


@pytest.mark.parametrize("parser", PARSERS, ids=["utc", "moscow-day-first"])
@pytest.mark.parametrize("cells", ROWS)
def test_each_row_types_as_message_types_it(parser, cells):
    fast, general = both(parser, NAMES, cells)
    assert fast == general


def test_missing_columns_read_as_blank():
    names = ["created_at", "ticket_id", "author_role"]
    fast, general = both(PARSERS[0], names, ["2026-03-02T09:00:00Z", "T9", "customer"])
    assert fast == general and fast[1].text == "" and fast[1].status is None


def test_no_typer_for_mapped_values_or_repeated_names():
    mapped = RowParser(TimestampParser(ZoneInfo("UTC")), ColumnMapping({}, {"author_role": {"x": "agent"}}))
    assert mapped.message_cells_typer(NAMES) is None
    assert PARSERS[0].message_cells_typer([*NAMES, "text"]) is None


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "T1",
            "agent",
            "Customer",
            "бот",
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:00:00+03:00",
            "2026-03-02 09:00",
            "31/12/2026 23:59",
            "9999-12-31T23:59:59-12:00",
            "solved",
            "\t",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(CELL, min_size=len(NAMES), max_size=len(NAMES)), which=st.integers(0, 1))
def test_any_cells_type_as_message_types_them(cells, which):
    fast, general = both(PARSERS[which], NAMES, cells)
    assert fast == general
