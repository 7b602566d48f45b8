"""JSON numbers of any size, and where a JSON Lines row goes wrong.

A number Python cannot hold as written (an integer of more digits than `int()` converts, a float
beyond its range) is kept as its text: in a column nobody reads it changes nothing, in one that
is read the row is rejected naming that field. A JSON document and the same rows as JSON Lines
give the same result. A JSON Lines syntax error names the column of the row where it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.intake.helpers import audit_json, make_intake

HUGE = "9" * 4400  # more digits than int() converts (4,300 by default)
CREATED = '"created_at": "2026-03-02T09:00:00Z", "first_reply_at": "2026-03-02T09:30:00Z"'


def _row(ticket: str, extra: str) -> str:
    return f'{{"ticket_id": {ticket}, {CREATED}{", " + extra if extra else ""}}}'


# (name, the row's extra keys, the rejected field or None when the row is read, reason)
CASES = [
    ("huge integer, unused key", f'"note": {HUGE}', None, None),
    ("huge integer, nested", f'"meta": {{"ids": [1, {HUGE}]}}', None, None),
    ("huge negative integer", f'"note": -{HUGE}', None, None),
    ("float beyond range", '"note": 1e999', None, None),
    ("float of many digits", f'"note": 0.{HUGE}', None, None),
    ("huge integer as csat", f'"csat": {HUGE}', "csat", "is outside the csat scale"),
    ("float beyond range as csat", '"csat": 1e999', "csat", "is outside the csat scale"),
    ("huge integer as reopens", f'"reopens": {HUGE}', "reopens", "is not a whole number"),
]


def _write(folder: Path, name: str, rows: list[str], as_lines: bool) -> Path:
    path = folder / name
    path.write_text("\n".join(rows) + "\n" if as_lines else "[\n" + ",\n".join(rows) + "\n]\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("as_lines", [False, True], ids=["json", "jsonl"])
@pytest.mark.parametrize("name, extra, field, reason", CASES, ids=[c[0] for c in CASES])
def test_a_number_of_any_size_is_read_or_rejects_its_row_alone(tmp_path, as_lines, name, extra, field, reason):
    rows = [_row('"T1"', ""), _row('"T2"', extra), _row('"T3"', "")]
    path = _write(tmp_path, "t.jsonl" if as_lines else "t.json", rows, as_lines)
    code, report, stderr = audit_json(path)
    assert code == 0, stderr
    (stats,) = report["inputs"]
    assert stats["rows_read"] == 3
    if field is None:
        assert report["rejected"] == [] and report["summary"]["tickets"] == 3
    else:
        (rejected,) = report["rejected"]
        assert (rejected["row"], rejected["field"]) == (2, field)
        assert reason in rejected["error"]
        assert report["summary"]["tickets"] == 2
    assert "set_int_max_str_digits" not in stderr + json.dumps(report)


@pytest.mark.parametrize("as_lines", [False, True], ids=["json", "jsonl"])
def test_a_huge_integer_ticket_id_is_the_id_as_written(tmp_path, as_lines):
    path = _write(tmp_path, "t.jsonl" if as_lines else "t.json", [_row(HUGE, ""), _row("12", "")], as_lines)
    source = make_intake(path)
    assert [t.ticket_id for t in source.tickets()] == [HUGE, "12"]
    assert source.rejected == []


@pytest.mark.parametrize("as_lines", [False, True], ids=["json", "jsonl"])
def test_ids_beyond_a_floats_range_stay_apart(tmp_path, as_lines):
    """Read as floats, 1e999 and 2e999 would both be infinity: one id, the second a duplicate."""
    path = _write(tmp_path, "t.jsonl" if as_lines else "t.json", [_row("1e999", ""), _row("2e999", "")], as_lines)
    source = make_intake(path)
    assert [t.ticket_id for t in source.tickets()] == ["1e999", "2e999"]
    assert source.rejected == []


@pytest.mark.parametrize("as_lines", [False, True], ids=["json", "jsonl"])
def test_a_huge_integer_timestamp_rejects_the_row_naming_the_field(tmp_path, as_lines):
    rows = [_row('"T1"', ""), f'{{"ticket_id": "T2", "created_at": {HUGE}}}']
    path = _write(tmp_path, "t.jsonl" if as_lines else "t.json", rows, as_lines)
    source = make_intake(path)
    assert [t.ticket_id for t in source.tickets()] == ["T1"]
    assert [(r.row, r.field) for r in source.rejected] == [(2, "created_at")]


# (a JSON Lines row, the reason its rejection gives): the column is where the row goes wrong.
SYNTAX = [
    ('{"ticket_id": "T2", "created_at": \n', "Expecting value at column 35"),
    ('{"ticket_id": "T2", "created_at": }\n', "Expecting value at column 35"),
    ('{"ticket_id": "T2" "created_at": 1}\n', "Expecting ',' delimiter at column 20"),
    ('{"ticket_id": "T2", "text": "a\rb"}\n', "Invalid control character at column 31"),
    ('{"ticket_id": "T2",}\r\n', "Expecting property name enclosed in double quotes at column 20"),
]


@pytest.mark.parametrize("line, reason", SYNTAX)
def test_a_json_lines_syntax_error_names_its_column(tmp_path, line, reason):
    path = tmp_path / "t.jsonl"
    path.write_bytes((_row('"T1"', "") + "\n" + line + _row('"T3"', "") + "\n").encode())
    source = make_intake(path)
    assert [t.ticket_id for t in source.tickets()] == ["T1", "T3"]
    (rejected,) = source.rejected
    assert rejected.row == 2 and rejected.error == f"invalid JSON: {reason}"


def test_a_carriage_return_does_not_split_a_json_lines_row(tmp_path):
    """A CR inside a row, even a raw one inside a string, leaves the row one row: the rows after
    it keep their line numbers."""
    path = tmp_path / "t.jsonl"
    with_cr = _row('"T1"', '"text": "a\rb"')
    path.write_bytes((with_cr + "\n" + _row('"T2"', "") + "\n" + '{"ticket_id": \n').encode())
    source = make_intake(path)
    assert [t.ticket_id for t in source.tickets()] == ["T2"]
    assert [(r.row, r.error) for r in source.rejected] == [
        (1, f"invalid JSON: Invalid control character at column {with_cr.index(chr(13)) + 1}"),
        (3, "invalid JSON: Expecting value at column 15"),
    ]
