"""The cells typer of ticket-row CSVs against `RowParser.ticket`: the same Ticket or the same rejection.

`RowParser.cells_typer(names)` is the fast path of ticket-row exports; for every row it must give what
`RowParser.ticket(ref, dict(zip(names, cells)))` gives: an equal Ticket (with `with_fields=False`, equal
but for an empty `fields`), or a `FieldError` with the same field and message; a header whose names
repeat, or a standard that maps values, gets no typer. Each case is a header and one row of cells;
hypothesis properties throw messy cells at both.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from svcaudit.audit.engine import make_row_parser
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.model import RowRef, Ticket
from svcaudit.intake.timestamps import TimestampParser
from svcaudit.standard.loader import load_standard

REF = RowRef("tickets.csv", 7)
CREATED = "2026-03-02T09:00:00Z"
# (zone, day_first): the parser of a UTC standard, and of a day-first one in a zone with DST
PARSERS = {
    "utc": ("UTC", False),
    "berlin-day-first": ("Europe/Berlin", True),
}
TIME_COLUMNS = ("created_at", "first_reply_at", "resolved_at")
TEXT_COLUMNS = ("status", "priority", "channel", "agent", "team", "customer_name")
SCORE_COLUMNS = ("csat", "nps", "ces")
CANONICAL = ("ticket_id", *TIME_COLUMNS, *TEXT_COLUMNS, "reopens", *SCORE_COLUMNS)
EXTRA_COLUMNS = ("language", "subject", "zendesk_first_reply_minutes")


def make_parser(zone: str = "UTC", day_first: bool = False, mapping: ColumnMapping | None = None) -> RowParser:
    """A RowParser as `engine.make_row_parser` builds one for a standard with this zone."""
    return RowParser(TimestampParser(ZoneInfo(zone), day_first), mapping or ColumnMapping())


def verdict(call) -> Ticket | tuple[str, str, str]:
    """A typed ticket, or ("rejected", field, message) for a row the parser refuses."""
    try:
        return call()
    except FieldError as exc:
        return ("rejected", exc.field, exc.message)


def both_ways(parser: RowParser, names: list[str], cells: list[str], with_fields: bool = True):
    """(fast, general): the typer's verdict, and `ticket`'s, with `fields` emptied when the typer
    was told not to keep them."""
    typer = parser.cells_typer(list(names), with_fields=with_fields)
    assert typer is not None
    fast = verdict(lambda: typer(REF, list(cells)))
    # the reader pairs cells with the header as zip does: cells beyond the header are dropped
    general = verdict(lambda: parser.ticket(REF, dict(zip(names, cells, strict=False))))
    if not with_fields and isinstance(general, Ticket):
        general = replace(general, fields={})
    return fast, general


def assert_same(parser: RowParser, names: list[str], cells: list[str]) -> None:
    for with_fields in (True, False):
        fast, general = both_ways(parser, names, cells, with_fields)
        assert fast == general, f"with_fields={with_fields}\n fast:    {fast!r}\n general: {general!r}"


def row(**cells: str) -> tuple[list[str], list[str]]:
    """Every canonical column, blank unless given; ticket_id T1 and created_at CREATED by default.
    A keyword whose value is None leaves that column out of the header."""
    values: dict[str, Any] = {name: "" for name in CANONICAL}
    values.update(ticket_id="T1", created_at=CREATED)
    values.update(cells)
    kept = {name: value for name, value in values.items() if value is not None}
    return list(kept), list(kept.values())


def header(*pairs: tuple[str, str]) -> tuple[list[str], list[str]]:
    """A header and row given as (name, cell) pairs, names repeated as written."""
    return [name for name, _ in pairs], [cell for _, cell in pairs]


# (header, cells): each must type (or be rejected) exactly as `RowParser.ticket` does it
CASES = [
    # ticket ids
    pytest.param(row(), id="plain-row"),
    pytest.param(row(ticket_id=""), id="id-blank"),
    pytest.param(row(ticket_id="   "), id="id-spaces"),
    pytest.param(row(ticket_id="\u00a0\u2003"), id="id-unicode-spaces"),
    pytest.param(row(ticket_id="  T 1  "), id="id-padded-inner-space"),
    pytest.param(row(ticket_id="Т-ß-票"), id="id-unicode"),
    # timestamps
    pytest.param(row(created_at=""), id="created-blank"),
    pytest.param(row(created_at="  "), id="created-spaces"),
    pytest.param(row(created_at="2026-03-02T09:00:00"), id="iso-naive"),
    pytest.param(row(created_at="2026-03-02T09:00:00+03:00"), id="iso-offset"),
    pytest.param(row(created_at="2026-03-02T09:00:00.123456Z"), id="iso-micros-z"),
    pytest.param(row(created_at="2026-03-02 09:00:00.5"), id="iso-space-fraction"),
    pytest.param(row(created_at=" 2026-03-02T09:00:00Z "), id="iso-padded"),
    pytest.param(row(created_at="01.03.2024 09:00"), id="dotted"),
    pytest.param(row(created_at="01.03.2024"), id="dotted-date-only"),
    pytest.param(row(created_at="31.02.2024 09:00"), id="dotted-no-such-day"),
    pytest.param(row(created_at="03/01/2024 10:00"), id="slashed-day-first-or-not"),
    pytest.param(row(created_at="1772442000"), id="epoch-seconds"),
    pytest.param(row(created_at="1772442000000"), id="epoch-millis"),
    pytest.param(row(created_at="1772442000.25"), id="epoch-fraction"),
    pytest.param(row(created_at="1989-12-31T23:59:59Z"), id="year-1989"),
    pytest.param(row(created_at="2101-01-01T00:00:00Z"), id="year-2101"),
    pytest.param(row(created_at="2100-12-31T23:00:00-05:00"), id="year-2100-offset-into-2101"),
    pytest.param(row(created_at="garbage"), id="created-garbage"),
    pytest.param(row(created_at="10:00"), id="time-only"),
    pytest.param(row(created_at="2026-03-02T09:00:00 EST"), id="zone-name"),
    pytest.param(row(created_at="2026-03-29T02:30:00"), id="dst-gap-naive"),
    pytest.param(row(created_at="x" * 80), id="timestamp-essay"),
    pytest.param(row(first_reply_at="2026-03-02T08:59:59Z"), id="reply-before-created"),
    pytest.param(row(resolved_at="2026-03-02T08:00:00Z"), id="resolved-before-created"),
    pytest.param(
        row(first_reply_at="2026-03-02T09:00:00Z", resolved_at="2026-03-02T09:00:00Z"),
        id="reply-and-resolved-at-created",
    ),
    pytest.param(row(first_reply_at="2026-03-02T08:59:59.999999Z"), id="reply-a-microsecond-before"),
    pytest.param(row(first_reply_at="2026-03-02T10:00:00+01:00"), id="reply-equal-in-another-offset"),
    pytest.param(row(created_at="", first_reply_at="2026-03-01T00:00:00Z"), id="reply-without-created"),
    pytest.param(
        row(first_reply_at="garbage", resolved_at="2026-03-01T00:00:00Z"), id="bad-reply-and-early-resolution"
    ),
    # status, priority, channel, names
    pytest.param(row(status="Solved ", priority="HIGH", channel=" Email"), id="case-and-spaces"),
    pytest.param(row(status="ß", priority="İ", channel="ǅ"), id="casefold-unicode"),
    pytest.param(row(agent="  Ann  ", team=" ", customer_name="Анна"), id="names"),
    # reopens
    *(
        pytest.param(row(reopens=value), id=f"reopens-{value!r}")
        for value in (
            "",
            "0",
            "2",
            " 3 ",
            "1.0",
            "-1",
            "+1",
            "x",
            "nan",
            "1e999",
            "٣",
            "３",
            "³",
            "1_0",
            "00",
            "1e2",
            "0.5",
            "-0",
            "9007199254740993",
        )
    ),
    # scores
    *(
        pytest.param(row(**{name: value}), id=f"{name}-{value!r}")
        for name in SCORE_COLUMNS
        for value in ("", "4", "4,5", "0", "11", "nan", "inf", " 5 ", "-0", "1e0", "x", "٤")
    ),
    # columns present or not
    pytest.param(row(reopens=None, csat=None, nps=None, ces=None), id="no-reopens-no-scores"),
    pytest.param(row(first_reply_at=None, resolved_at=None), id="no-reply-no-resolution-columns"),
    pytest.param(header(("ticket_id", "T1")), id="only-ticket-id"),
    pytest.param(header(("created_at", CREATED), ("ticket_id", "T9"), ("status", "Open")), id="ticket-id-not-first"),
    pytest.param(
        header(("ticket_id", "T1"), ("language", " RU "), ("subject", ""), ("zendesk_first_reply_minutes", "4,5")),
        id="extra-columns",
    ),
]


@pytest.mark.parametrize("parser_key", PARSERS)
@pytest.mark.parametrize("case", CASES)
def test_a_row_types_as_ticket_types_it(case, parser_key):
    names, cells = case
    assert_same(make_parser(*PARSERS[parser_key]), names, cells)


def test_cells_beyond_the_header_are_ignored_as_zip_ignores_them():
    names, cells = row(status="Open")
    assert_same(make_parser(), names, [*cells, "stray", "cells"])


def test_without_fields_only_fields_are_left_out():
    names, cells = row(status="Solved", priority="High", reopens="1", csat="5", agent="Ann")
    typer = make_parser().cells_typer(names, with_fields=False)
    ticket = typer(REF, cells)
    assert ticket.fields == {}
    assert (ticket.status, ticket.priority, ticket.reopens, ticket.csat, ticket.agent) == (
        "solved",
        "high",
        1,
        5.0,
        "Ann",
    )
    assert ticket.columns == frozenset(names)


# (why the typer steps aside, a ColumnMapping or a standard's parser, the header)
NO_TYPER_CASES = [
    pytest.param(
        lambda: make_parser(mapping=ColumnMapping({}, {"priority": {"p1": "urgent"}})),
        ["ticket_id", "priority"],
        id="mapped-values",
    ),
    pytest.param(
        lambda: make_parser(mapping=ColumnMapping({}, {"status": {"done": "solved"}})),
        ["ticket_id", "created_at"],
        id="mapped-field-not-in-the-header",
    ),
    pytest.param(
        lambda: make_row_parser(load_standard("builtin:it-helpdesk")),
        ["ticket_id", "priority"],
        id="builtin-it-helpdesk-maps-priorities",
    ),
    pytest.param(make_parser, ["id", "created_at"], id="no-ticket-id-column"),
    # Intake refuses names that resolve to one field twice; a typer would have to guess which cell
    pytest.param(make_parser, ["ticket_id", "agent", "agent"], id="repeated-names"),
    pytest.param(make_parser, ["ticket_id", "ticket_id"], id="repeated-ticket-id"),
]


@pytest.mark.parametrize("build, names", NO_TYPER_CASES)
@pytest.mark.parametrize("with_fields", [True, False])
def test_no_typer_when_rows_need_the_general_path(build, names, with_fields):
    assert build().cells_typer(names, with_fields=with_fields) is None


def test_builtin_default_parser_has_a_typer():
    assert make_row_parser(load_standard("builtin:default")).cells_typer(["ticket_id"]) is not None


# -- minimal reproductions of differences the properties found (kept as regressions) ------------


def test_reopens_past_float_precision_read_as_ticket_reads_them():
    # `ticket` reads reopens through float(): 2**53 + 1 comes out as 2**53.
    names, cells = header(("ticket_id", "T1"), ("reopens", "9007199254740993"))
    fast, general = both_ways(make_parser(), names, cells)
    assert general.reopens == 9007199254740992
    assert fast.reopens == general.reopens


def test_a_row_handed_to_ticket_keeps_no_fields_without_with_fields():
    # "1.0" is not a plain count, so the typer hands the row to `ticket`, which keeps every column.
    names, cells = header(("ticket_id", "T1"), ("reopens", "1.0"))
    ticket = make_parser().cells_typer(names, with_fields=False)(REF, cells)
    assert ticket.reopens == 1
    assert ticket.fields == {}


# -- the property --------------------------------------------------------------------------------

UTC = timezone.utc
BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MESSY_IDS = ["T1", "", " ", "  T 2 ", "\u00a0", "Т-ß", "票-1", "0", "nan"]
MESSY_TIMES = [
    "",
    "  ",
    "2026-03-02T09:00:00",
    "2026-03-02T09:00:00Z",
    "2026-03-02T09:00:00+03:00",
    "2026-03-02T09:00:00.123456Z",
    "2026-03-02T08:59:59.999999Z",
    "2026-03-02T10:00:00+01:00",
    "2026-03-02 09:00",
    "01.03.2026 09:00",
    "02.03.2026 09:00:01",
    "31.02.2026 09:00",
    "03/02/2026 09:00",
    "1772442000",
    "1772442000000",
    "1772441999.5",
    "1989-12-31T23:59:59Z",
    "2101-01-01T00:00:00Z",
    "garbage",
    "10:00",
    "2026-03-02T09:00:00 EST",
    "2026-03-29T02:30:00",
    " 2026-03-02T09:00:00Z ",
    "Mar 2 2026 9am",
    "1990-01-01T00:30:00+01:00",
    "2100-12-31T23:30:00-01:00",
    "1989-12-31T23:30:00-01:00",
    "2026-03-02T09:00:00+00:00:30",
    "2026-03-02T09:00:00-00:00",
    "2026-03-02T09:00+05:30",
    "20260302T090000Z",
    "2026-W10-1T09:00Z",
]
MESSY_WORDS = ["", " ", "Solved ", "solved", "CLOSED", "Open", "HIGH", "urgent", " Email", "ß", "İ", "Анна", "p1"]
MESSY_REOPENS = [
    "",
    "0",
    "2",
    " 3 ",
    "1.0",
    "-1",
    "+1",
    "x",
    "nan",
    "1e999",
    "٣",
    "３",
    "³",
    "00",
    "1e2",
    "0.5",
    "9007199254740993",
]
MESSY_SCORES = ["", "4", "4,5", "0", "11", "nan", "inf", " 5 ", "-0", "1e0", "x", "٤", "1", "7", "10", "5.0"]


def _timestamps() -> st.SearchStrategy[str]:
    """Messy timestamp cells, and ISO ones around BASE (seconds and microseconds either side)."""
    near = st.integers(-7200, 7200).flatmap(
        lambda seconds: st.sampled_from([0, 1, 999999]).map(
            lambda micros: BASE + timedelta(seconds=seconds, microseconds=micros)
        )
    )
    written = st.sampled_from(["Z", "+00:00", "+03:00", "+05:30", "-09:30", "+14:00", "", "naive-space"])
    iso = st.tuples(near, written).map(
        lambda pair: (
            pair[0].replace(tzinfo=None).isoformat(sep=" ")
            if pair[1] == "naive-space"
            else pair[0].replace(tzinfo=None).isoformat() + pair[1]
        )
    )
    return st.one_of(st.sampled_from(MESSY_TIMES), iso, st.text(max_size=12))


def _cell(name: str) -> st.SearchStrategy[str]:
    if name == "ticket_id":
        return st.one_of(st.sampled_from(MESSY_IDS), st.text(max_size=6))
    if name in TIME_COLUMNS:
        return _timestamps()
    if name == "reopens":
        return st.one_of(st.sampled_from(MESSY_REOPENS), st.integers(-3, 2**64).map(str), st.text(max_size=5))
    if name in SCORE_COLUMNS:
        return st.one_of(st.sampled_from(MESSY_SCORES), st.floats(allow_nan=True).map(str), st.text(max_size=5))
    return st.one_of(st.sampled_from(MESSY_WORDS), st.text(max_size=8))


@st.composite
def headers_and_rows(draw, repeats: bool) -> tuple[list[str], list[str]]:
    """A header with ticket_id and any other columns in any order (names repeated with `repeats`),
    and one row of cells for it."""
    others = draw(
        st.lists(st.sampled_from(CANONICAL[1:] + EXTRA_COLUMNS), unique=not repeats, max_size=len(CANONICAL) + 3)
    )
    names = list(others)
    names.insert(draw(st.integers(0, len(names))), "ticket_id")
    if repeats and draw(st.booleans()):
        names.insert(draw(st.integers(0, len(names))), "ticket_id")
    cells = [draw(_cell(name)) for name in names]
    return names, cells


PROPERTY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(headers_and_rows(repeats=False), st.sampled_from(sorted(PARSERS)))
def test_messy_rows_type_as_ticket_types_them(case, parser_key):
    names, cells = case
    assert_same(make_parser(*PARSERS[parser_key]), names, cells)


@PROPERTY
@given(headers_and_rows(repeats=True))
@example((["ticket_id", "agent", "agent"], ["T1", "Ann", ""]))
def test_messy_rows_with_repeated_names_get_no_typer(case):
    # Intake renames repeated columns before rows reach the typer; names that still repeat get
    # no typer (the general path's `dict(zip(names, cells))` decides), others type as `ticket`.
    names, cells = case
    if len(set(names)) != len(names):
        assert make_parser().cells_typer(list(names)) is None
    else:
        assert_same(make_parser(), names, cells)
