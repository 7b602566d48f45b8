"""The bad-input catalogue: every fixture in fixtures/bad-input, what svcaudit makes of it, and the exit code.

Each case is a row of data: the fixture, the exit code of `svcaudit check` on it, and either the rows
read and rejected (path, row, field, reason) or the one-line input error with its file:line:column.
The fixtures' standard passes any audit that judges a ticket (threshold 0%), so exit 2 always means
the input: unreadable, or read but giving no rule anything to judge (NOT JUDGED).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from svcaudit.errors import InputError
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import RowParser
from svcaudit.intake.intake import Intake
from svcaudit.intake.readers import ExportFile, Record
from svcaudit.intake.timestamps import TimestampParser
from tests.intake.helpers import BAD, ZONE, audit_json, make_intake


@dataclass(frozen=True)
class Case:
    """One fixture: exit code, and either the accounts (rows read, tickets, rejections) or the error."""

    fixture: str
    exit_code: int
    rows_read: int | None = None
    tickets: int | None = None
    rejected: tuple[tuple[int, str | None, str], ...] = ()  # (row, field, part of the reason)
    error: str | None = None  # part of the stderr line, starting with the fixture's location
    warnings: tuple[str, ...] = field(default=())  # parts of intake warnings
    # (row, field, part of the reason) of fields rejected in rows that are still audited
    fields_rejected: tuple[tuple[int, str, str], ...] = ()


CASES = [
    # Encodings: every one reads the same two tickets.
    Case("utf8.csv", 0, rows_read=2, tickets=2),
    Case("utf8-bom.csv", 0, rows_read=2, tickets=2),
    Case("utf16le-bom.tsv", 0, rows_read=2, tickets=2),
    Case("utf16be-bom.csv", 0, rows_read=2, tickets=2),
    Case("utf16le-nobom.csv", 0, rows_read=2, tickets=2),
    Case("cp1251-semicolon.csv", 0, rows_read=2, tickets=2),
    Case("koi8r.csv", 0, rows_read=2, tickets=2),
    Case("cp1252.csv", 0, rows_read=2, tickets=2),
    # Delimiters and layout.
    Case("excel-sep.csv", 0, rows_read=2, tickets=2),
    Case("pipe.csv", 0, rows_read=2, tickets=2),
    # Read right, but its one column gives no rule anything to judge: NOT JUDGED, exit 2.
    Case("one-column.csv", 2, rows_read=2, tickets=2, error="NOT JUDGED: no rule judged any of the 2 tickets"),
    Case("quoted-newline.csv", 0, rows_read=2, tickets=2),
    Case("blank-header.csv", 0, rows_read=1, tickets=1),
    Case("blank-rows.csv", 0, rows_read=1, tickets=1),
    Case(
        "unclosed-quote.csv",
        0,
        rows_read=2,
        tickets=1,
        rejected=((3, None, "a quote opened on line 3 is never closed: lines 3-4 (the end of the file)"),),
    ),
    Case(
        "bad-quoting.csv",
        0,
        rows_read=2,
        tickets=1,
        rejected=((2, None, "malformed quoting (',' expected after '\"')"),),
    ),
    Case("ragged.csv", 0, rows_read=2, tickets=1, rejected=((3, None, "row has 2 fields, the header has 3"),)),
    Case("nul.csv", 0, rows_read=2, tickets=1, rejected=((3, "first_reply_at", "contains a NUL byte (\\x00)"),)),
    # Headers.
    Case(
        "duplicate-read-column.csv",
        2,
        error="duplicate-read-column.csv:1:4: columns 2 and 4 are both named 'created_at'",
    ),
    Case(
        "duplicate-other-column.csv",
        0,
        rows_read=1,
        tickets=1,
        warnings=("column 5 repeats the name 'tags' of column 4; it is read as 'tags_2'",),
    ),
    Case(
        "clashing-columns.csv",
        2,
        error="clashing-columns.csv:1: columns 'Ticket ID' and 'ticket_id' would both be read as ticket_id",
    ),
    # No rows.
    Case(
        "empty.csv",
        2,
        rows_read=0,
        tickets=0,
        error="the inputs hold no ticket to audit",
        warnings=("the file is empty",),
    ),
    Case("header-only.csv", 2, rows_read=0, tickets=0, error="the inputs hold no ticket to audit"),
    # JSON shapes.
    Case("scalar.json", 2, error="scalar.json:1: expected a JSON array of objects, found a number"),
    Case(
        "scalars.json",
        0,
        rows_read=4,
        tickets=1,
        rejected=(
            (1, None, "an array item must be an object, not a number"),
            (2, None, "an array item must be an object, not a string"),
            (4, None, "an array item must be an object, not null"),
        ),
    ),
    Case(
        "several-arrays.json",
        2,
        error="several-arrays.json:1: a JSON object holding several arrays ('tickets', 'users')",
    ),
    Case("one-array.json", 0, rows_read=1, tickets=1),
    Case("invalid.json", 2, error="invalid.json:2:17: invalid JSON: Expecting value"),
    Case(
        "bad-line.jsonl",
        0,
        rows_read=4,
        tickets=2,
        rejected=(
            (2, None, "invalid JSON: Expecting value at column 35"),
            (3, None, "a JSON Lines row must be an object, not an array"),
        ),
    ),
    # Not an export at all.
    Case("workbook.csv", 2, error="workbook.csv: is a ZIP archive (an Excel .xlsx workbook?)"),
    Case(
        "spreadsheetml.xls",
        2,
        error="spreadsheetml.xls: is an Excel XML spreadsheet (SpreadsheetML .xls), not a CSV or JSON "
        "export; save the sheet as CSV",
    ),
    Case(
        "web-page.xls",
        2,
        error="web-page.xls: is an HTML page (an Excel .xls saved as a web page?), "
        "not a CSV or JSON export; save the sheet as CSV",
    ),
    Case(
        "html-table-utf16.xls",
        2,
        error="html-table-utf16.xls: is an HTML table (an Excel .xls saved "
        "as a web page?), not a CSV or JSON export; save the sheet as CSV",
    ),
    # Values.
    Case(
        "timestamps.csv",
        0,
        rows_read=8,
        tickets=2,
        rejected=(
            (2, "created_at", "'0001-01-01 00:00' is in the year 1, outside 1990-2100"),
            (3, "first_reply_at", "'2150-01-01 09:00' is in the year 2150, outside 1990-2100"),
            (4, "created_at", "'yesterday' is not a timestamp"),
            (5, "created_at", "'10:00' is not a complete timestamp (it needs a year, month and day)"),
            (6, "created_at", "time zone name 'EST' is not understood; write an offset such as +03:00"),
            (8, "ticket_id", "duplicate ticket_id 'T6' (first at"),
        ),
        # A bad field is not a bad ticket: the row is audited without its first_reply_at.
        fields_rejected=((7, "first_reply_at", "first_reply_at 2026-03-02T07:00:00+00:00 is before created_at"),),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.fixture)
def test_catalogue_through_the_cli(case: Case):
    code, report, stderr = audit_json(BAD / case.fixture)
    assert code == case.exit_code, stderr
    if case.error is not None:
        assert case.error in stderr
        assert stderr.count("\n") == 1  # one line, no traceback
    if report is None:
        return
    (stats,) = report["inputs"]
    assert stats["rows_read"] == case.rows_read
    assert stats["rows_read"] == stats["rows_audited"] + stats["rows_rejected"]
    assert stats["rows_rejected"] == len(case.rejected)
    assert report["summary"]["tickets"] == case.tickets
    assert stats["fields_rejected"] == len(case.fields_rejected)
    for kept, wanted in ((False, case.rejected), (True, case.fields_rejected)):
        found = [(r["row"], r["field"], r["error"]) for r in report["rejected"] if r["row_kept"] is kept]
        assert len(found) == len(wanted)
        for (row, field_name, error), (want_row, want_field, reason) in zip(found, wanted, strict=True):
            assert (row, field_name) == (want_row, want_field)
            assert reason in error
    assert all(r["path"].endswith(case.fixture) for r in report["rejected"])


@pytest.mark.parametrize("case", [c for c in CASES if c.rows_read is not None], ids=lambda c: c.fixture)
def test_catalogue_through_intake(case: Case):
    """The same accounts without the CLI, and the warnings intake hands the report."""
    source = make_intake(BAD / case.fixture)
    tickets = list(source.tickets())
    (stats,) = source.inputs
    assert stats.rows_read == case.rows_read
    assert len(tickets) == case.tickets
    assert stats.rows_read == len(tickets) + stats.rows_rejected
    assert [(r.row, r.field) for r in source.rejected if not r.row_kept] == [(row, f) for row, f, _ in case.rejected]
    assert [(r.row, r.field) for r in source.rejected if r.row_kept] == [(row, f) for row, f, _ in case.fields_rejected]
    for wanted in case.warnings:
        assert any(wanted in warning for warning in source.warnings), source.warnings
    if not case.warnings:
        assert source.warnings == []


@pytest.mark.parametrize(
    "fixture, encoding",
    [
        ("utf8.csv", "utf-8-sig"),
        ("utf8-bom.csv", "utf-8-sig"),
        ("utf16le-bom.tsv", "utf-16"),
        ("utf16be-bom.csv", "utf-16"),
        ("utf16le-nobom.csv", "utf-16-le"),
        ("cp1251-semicolon.csv", "cp1251"),
        ("koi8r.csv", "koi8_r"),
        ("cp1252.csv", "cp1252"),
    ],
)
def test_encodings_are_detected_and_decode_the_names(fixture, encoding):
    source = make_intake(BAD / fixture)
    tickets = list(source.tickets())
    assert source.inputs[0].encoding == encoding
    names = [t.customer_name for t in tickets]
    if encoding == "cp1252":
        assert names == ["José", "Françoise"]
        assert tickets[0].fields["subject"].startswith("Bonjour, votre commande est prête.")
    else:
        assert names == ["Анна", "Ёлка"]
    assert tickets[0].created_at.isoformat() == "2026-03-02T08:00:00+00:00"


def test_cp1251_reads_decimal_comma_scores():
    tickets = list(make_intake(BAD / "cp1251-semicolon.csv").tickets())
    assert [t.csat for t in tickets] == [4.5, 5.0]


def test_encoding_override_wins(tmp_path):
    # A cp1251 file read as koi8-r by request: wrong letters, but the user's word is final.
    source = make_intake(BAD / "cp1251-semicolon.csv", encoding="koi8_r")
    tickets = list(source.tickets())
    assert source.inputs[0].encoding == "koi8_r"
    assert tickets[0].customer_name == "юММЮ"
    code, report, _ = audit_json(BAD / "cp1251-semicolon.csv", extra=("--encoding", "cp1251"))
    assert code == 0 and report["inputs"][0]["encoding"] == "cp1251"


@pytest.mark.parametrize(
    "name, message",
    [
        ("nonsense", "unknown encoding 'nonsense' (from --encoding)"),
        ("hex", "'hex' is not a text encoding (from --encoding)"),
    ],
)
def test_unknown_encoding_is_an_input_error(name, message):
    code, _, stderr = audit_json(BAD / "utf8.csv", extra=("--encoding", name))
    assert code == 2
    assert f"utf8.csv: {message}" in stderr


def test_a_wrong_guess_rejects_the_rows_it_cannot_decode(tmp_path, monkeypatch):
    """The guess sees only the head of the file; bytes past it that do not decode reject their row."""
    monkeypatch.setattr("svcaudit.intake.readers.ENCODING_SAMPLE_BYTES", 128)
    rows = b"".join(b"T%d,2026-03-02 09:00,2026-03-02 09:30,Ann\n" % i for i in range(1, 6))
    path = tmp_path / "late-cp1251.csv"
    path.write_bytes(
        b"ticket_id,created_at,first_reply_at,customer_name\n"
        + rows
        + "T6,2026-03-02 09:00,2026-03-02 09:30,Анна\n".encode("cp1251")
    )
    code, report, _ = audit_json(path)
    assert code == 0
    assert report["inputs"][0]["encoding"] == "utf-8-sig"
    assert report["rejected"] == [
        {
            "path": str(path),
            "row": 7,
            "field": "customer_name",
            "row_kept": False,
            "error": "holds bytes that are not valid utf-8 (c0 ed ed e0); pass --encoding with the file's encoding",
        }
    ]
    code, report, _ = audit_json(path, extra=("--encoding", "cp1251"))
    assert code == 0 and report["rejected"] == [] and report["summary"]["tickets"] == 6


def test_a_two_megabyte_field_is_read_whole(tmp_path):
    body = "x" * (2 * 1024 * 1024)
    path = tmp_path / "long.csv"
    path.write_text(
        f'ticket_id,created_at,first_reply_at,subject\nT1,2026-03-02 09:00,2026-03-02 09:30,"{body}"\n',
        encoding="utf-8",
    )
    (ticket,) = make_intake(path).tickets()
    assert ticket.fields["subject"] == body
    code, report, _ = audit_json(path)
    assert code == 0 and report["inputs"][0]["rows_read"] == 1


def test_quoted_newline_keeps_physical_rows():
    first, second = make_intake(BAD / "quoted-newline.csv").tickets()
    assert first.fields["subject"] == "Line one\nline two"
    assert (first.ref.row, second.ref.row) == (2, 4)


def test_one_column_header_does_not_split_rows():
    tickets = list(make_intake(BAD / "one-column.csv").tickets())
    assert [t.ticket_id for t in tickets] == ["T-1", "T, 2"]


def test_blank_header_names_become_column_numbers():
    (ticket,) = make_intake(BAD / "blank-header.csv").tickets()
    assert ticket.fields["column_2"] == "x"
    assert "column_5" in ticket.columns


def test_excel_sep_line_sets_the_delimiter_and_is_not_the_header():
    first, _ = make_intake(BAD / "excel-sep.csv").tickets()
    assert first.customer_name == "Анна" and first.ref.row == 3


def test_duplicate_unread_column_is_renamed():
    (ticket,) = make_intake(BAD / "duplicate-other-column.csv").tickets()
    assert (ticket.fields["tags"], ticket.fields["tags_2"]) == ("vip", "refund")


def test_input_columns_settles_a_clash(tmp_path):
    """Two columns that both normalise to ticket_id: the one the standard names wins."""
    path = tmp_path / "t.csv"
    path.write_text("Conversation,created_at,ticket_id\nC1,2026-03-02 09:00,T-1\n", encoding="utf-8")
    mapping = ColumnMapping({"ticket_id": "Conversation"})
    source = Intake([path], RowParser(TimestampParser(ZoneInfo(ZONE)), mapping), mapping)
    (ticket,) = source.tickets()
    assert ticket.ticket_id == "C1" and ticket.fields["ticket_id_2"] == "T-1"
    assert any("'ticket_id' is read as ticket_id_2" in w for w in source.warnings)


def test_json_keys_that_clash_reject_the_row(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"ticket_id": "T1", "Ticket ID": "X", "created_at": "2026-03-02T09:00:00Z"}\n'
        '{"ticket_id": "T2", "created_at": "2026-03-02T09:00:00Z", "Tags": 1, "tags": 2}\n',
        encoding="utf-8",
    )
    source = make_intake(path)
    (ticket,) = source.tickets()
    assert ticket.ticket_id == "T2" and ticket.fields["tags_2"] == "2"
    (rejection,) = source.rejected
    assert (rejection.row, rejection.field) == (1, "ticket_id")
    assert "keys 'ticket_id' and 'Ticket ID' would both be read as ticket_id" in rejection.error


def test_json_lines_in_a_json_file_are_read_as_json_lines(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"ticket_id": "T1"}\n{"ticket_id": "T2"}\n', encoding="utf-8")
    source = make_intake(path)
    assert [t.ticket_id for t in source.tickets()] == ["T1", "T2"]
    assert source.inputs[0].format == "jsonl"


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"[" * 100_000, "invalid JSON: nested too deeply"),
        # A single object is one row (an API's answer for one ticket): this one has no ticket id.
        (b'{"count": 3}', "no ticket_id column (columns: count)"),
    ],
)
def test_json_documents_that_cannot_be_rows(tmp_path, payload, message):
    path = tmp_path / "t.json"
    path.write_bytes(payload)
    with pytest.raises(InputError, match=re.escape(message)):
        list(make_intake(path).tickets())
    code, _, stderr = audit_json(path)
    assert code == 2 and message in stderr


def test_json_lines_rows_that_cannot_be_read_are_rejected(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(
        b'{"ticket_id": "T1", "created_at": "2026-03-02T09:00:00Z"}\n'
        + b"[" * 200_000
        + b"\n"
        + b'{"ticket_id": "T\\udc80"}\n'
    )
    source = make_intake(path)
    assert [t.ticket_id for t in source.tickets()] == ["T1"]
    assert [(r.row, r.field) for r in source.rejected] == [(2, None), (3, "ticket_id")]
    assert "nested too deeply" in source.rejected[0].error
    assert source.rejected[1].error == "holds a \\u escape of a lone surrogate, which is not text"


def test_truncated_gzip_is_an_input_error_naming_the_rows_read():
    path = BAD / "truncated.jsonl.gz"
    export = ExportFile(path)
    records = 0
    with pytest.raises(InputError) as caught:
        for item in export.records():
            assert isinstance(item, Record)
            records += 1
    match = re.search(
        r"truncated\.jsonl\.gz:(\d+): the gzip stream ends early \(the file is truncated\) "
        r"after (\d+) rows \(up to line (\d+)\)",
        str(caught.value),
    )
    assert match, str(caught.value)
    line, rows, last = map(int, match.groups())
    assert rows == records > 0 and last == rows and line == rows + 1
    code, _, stderr = audit_json(path)
    assert code == 2 and f"after {rows} rows" in stderr


@pytest.mark.parametrize(
    "payload, message",
    [
        (gzip.compress(b"ticket_id\n")[:5], "the gzip stream ends early (the file is truncated) before any row"),
        (b"\x1f\x8b" + b"garbage" * 10, "cannot read: "),
        (b"\xd0\xcf\x11\xe0" + bytes(60), "is an old Excel .xls workbook"),
        (b"\x00" * 64, "the header's column 1 contains a NUL byte"),
    ],
)
def test_files_that_are_not_text_exports(tmp_path, payload, message):
    path = tmp_path / "t.csv"
    path.write_bytes(payload)
    code, _, stderr = audit_json(path)
    assert code == 2
    assert message in stderr and "t.csv" in stderr


def test_empty_file_beside_a_good_one_is_read_as_no_rows():
    code, report, _ = audit_json(BAD / "empty.csv", BAD / "utf8.csv")
    assert code == 0
    assert [i["rows_read"] for i in report["inputs"]] == [0, 2]


def test_report_of_bad_rows_validates_against_its_schema():
    from importlib import resources

    schema = json.loads(resources.files("svcaudit").joinpath("schema/report-v1.json").read_text())
    _, report, _ = audit_json(BAD / "timestamps.csv")
    jsonschema.validate(report, schema)
