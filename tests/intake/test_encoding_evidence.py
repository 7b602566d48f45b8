"""Encoding by evidence: a few bytes that are not UTF-8 reject their rows, not the file's encoding.

Each case of the table is a message export (built here, 20 tickets of a Russian conversation, 40
rows), what svcaudit reads it as, the rows it rejects, and what the warning says; the audit runs
through the CLI so the greeting rule shows whether the Cyrillic text was read right.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.intake.encodings import ENCODING_SAMPLE_BYTES, decide_encoding

AS_OF = "2026-03-10T00:00:00Z"
TICKETS = 20
STANDARD = """\
svcaudit: 1
name: Greeting
timezone: Europe/Moscow
rules:
  - id: greeting
    check: phrases
    in: first_agent_message
    require_any: ["здравствуйте"]
"""
STRAY = b"\xff"


def _rows() -> list[list[str]]:
    rows = [["ticket_id", "created_at", "author_role", "author", "text"]]
    for number in range(1, TICKETS + 1):
        rows.append(
            [
                f"T{number}",
                "2026-03-02T09:00:00+03:00",
                "customer",
                "Игорь Белов",
                f"Добрый день! Не пришёл заказ номер {number}, подскажите пожалуйста.",
            ]
        )
        rows.append(
            [
                f"T{number}",
                "2026-03-02T09:10:00+03:00",
                "agent",
                "Ольга Смирнова",
                f"Здравствуйте! Заказ {number} передан в доставку и придёт завтра.",
            ]
        )
    return rows


def _lines() -> list[str]:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(_rows())
    return out.getvalue().splitlines(keepends=True)


def _stray_bytes(lines_with_stray: tuple[int, ...]) -> bytes:
    """UTF-8, with one invalid byte inside the customer's text on each given physical line."""
    out = []
    for number, line in enumerate(_lines(), start=1):
        data = line.encode()
        if number in lines_with_stray:
            at = data.index("подскажите".encode())
            data = data[:at] + STRAY + data[at:]
        out.append(data)
    return b"".join(out)


def _mixed() -> bytes:
    """Every customer row in cp1251, every other line in UTF-8 (two exports pasted together)."""
    return b"".join(
        line.encode("cp1251" if number % 2 == 0 and number > 1 else "utf-8")
        for number, line in enumerate(_lines(), start=1)
    )


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    encoding: str
    greeting_passed: int
    rejected_rows: tuple[int, ...]
    warning: str | None  # part of the input's warning; None: no warning about the encoding


CASES = [
    Case(
        "utf-8, one stray byte in one row of 40",
        _stray_bytes((14,)),
        "utf-8-sig",
        TICKETS,
        (14,),
        "stray.csv: read as UTF-8: 1 of the 4681 non-ASCII bytes in the file is not valid UTF-8 "
        "(line 14), so the rows holding such bytes are rejected",
    ),
    Case(
        "utf-8, stray bytes in three rows",
        _stray_bytes((2, 14, 40)),
        "utf-8-sig",
        TICKETS,
        (2, 14, 40),
        "3 of the 4683 non-ASCII bytes in the file are not valid UTF-8 (lines 2, 14, 40)",
    ),
    Case("utf-8, clean", "".join(_lines()).encode(), "utf-8-sig", TICKETS, (), None),
    Case("cp1251, whole file", "".join(_lines()).encode("cp1251"), "cp1251", TICKETS, (), None),
    Case(
        "half cp1251, half utf-8",
        _mixed(),
        "cp1251",
        0,
        (),
        "read as cp1251: 1160 of the 3520 non-ASCII bytes in the file are not valid UTF-8, too "
        "many for stray bytes, but 20 of the 40 lines with non-ASCII text are valid UTF-8 "
        "(lines 3, 5, 7, 9, 11, ...): the file mixes encodings",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_encoding_is_decided_by_evidence(case: Case, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("stray.csv").write_bytes(case.content)
    Path("standard.yaml").write_text(STANDARD, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check", "stray.csv", "--standard", "standard.yaml", "--as-of", AS_OF, "--format", "json"]
    )
    assert result.exit_code == (0 if case.greeting_passed == TICKETS else 1), result.output
    report = json.loads(result.stdout)
    assert report["inputs"][0]["encoding"] == case.encoding
    (greeting,) = report["rules"]
    assert greeting["passed"] == case.greeting_passed
    assert [r["row"] for r in report["rejected"]] == list(case.rejected_rows)
    for rejection in report["rejected"]:
        assert rejection["field"] == "text"
        assert rejection["error"] == (
            "holds bytes that are not valid utf-8 (ff); pass --encoding with the file's encoding"
        )
    encoding_warnings = [w for w in report["warnings"] if "UTF-8" in w]
    if case.warning is None:
        assert encoding_warnings == []
    else:
        assert len(encoding_warnings) == 1 and case.warning in encoding_warnings[0]


def test_the_warning_reaches_the_text_report(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("stray.csv").write_bytes(_stray_bytes((14,)))
    Path("standard.yaml").write_text(STANDARD, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "stray.csv", "--standard", "standard.yaml", "--as-of", AS_OF])
    assert result.exit_code == 0
    assert "read as UTF-8: 1 of the 4681 non-ASCII bytes" in " ".join(result.stdout.split())


SAMPLE_CASES = [
    # (name, sample, complete, encoding, part of the note or None)
    (
        "a stray byte among UTF-8 names",
        "ticket_id,name\n1,Анна Ёлкина Петровна Смирнова\n".encode() + b"2,\xff\n",
        True,
        "utf-8-sig",
        "1 of the 53 non-ASCII bytes in the file is not valid UTF-8 (line 3)",
    ),
    ("no valid UTF-8 sequence at all", "ticket_id,name\n1,Анна\n".encode("cp1251"), True, "cp1251", None),
    # A character cut by the sample window is not an invalid byte, one cut by the end of the file is.
    (
        "UTF-8 cut by the window after a stray byte",
        b"1,\xff\n" + "Анна Ёлкина Петровна Смирнова".encode() * 3 + "Ж".encode()[:1],
        False,
        "utf-8-sig",
        f"in its first {ENCODING_SAMPLE_BYTES // (1024 * 1024)} MB is not valid UTF-8 (line 1)",
    ),
]


@pytest.mark.parametrize("name, sample, complete, encoding, note", SAMPLE_CASES, ids=[c[0] for c in SAMPLE_CASES])
def test_decide_encoding_notes_unclean_evidence(name, sample, complete, encoding, note):
    choice = decide_encoding(sample, complete=complete)
    assert choice.name == encoding
    if note is None:
        assert choice.note is None
    else:
        assert note in choice.note


def test_a_declared_encoding_needs_no_note():
    assert decide_encoding(_stray_bytes((14,)), "utf-8").note is None
