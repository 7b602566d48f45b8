"""Hostile text from the input, through `check` and `report` in every format: nothing reaches a
terminal, a wiki page or a spreadsheet as anything but text.

Each hostile string is a ticket id, an agent, a team, a message text (quoted as evidence), a bad
timestamp (quoted by a rejection reason) and part of a file name, all in one audit. Every output
is then searched: no raw control character, no HTML or Markdown markup that a renderer would obey,
no CSV cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.reporters.escaping import csv_cell, json_text, markdown, terminal, visible_controls

AS_OF = "2026-11-23T12:00:00Z"

# (name, hostile string): each one is a ticket id, an agent, a team and a message text.
HOSTILE = [
    ("osc-title", "\x1b]0;pwned\x07"),
    ("csi-clear", "\x1b[2J\x1b[H"),
    ("c1-csi", "\x9b31mred"),
    ("del-soh", "a\x7fb\x01c"),
    ("bidi", "\u202eevil\u202c"),
    ("script", "<script>alert(1)</script>"),
    ("img", '<img src=x onerror="alert(1)">'),
    ("entity", "&lt;&amp;"),
    ("pipe", "a|b|c"),
    ("backtick", "`rm -rf /`"),
    ("link", "[click](javascript:alert(1))"),
    ("newline", "one\ntwo\r\nthree"),
    ("forged-command", "x\n::error::forged"),
    ("rich-markup", "[bold red]boom[/bold red]"),
    ("hyperlink", '=HYPERLINK("http://evil","x")'),
    ("plus", "+1"),
    ("minus", "-2"),
    ("at", "@SUM(A1:A2)"),
    ("tab", "\tcmd tab"),
    ("cr", "\rcmd cr"),
    ("lone-cr", "x\r=1+1"),
    # Two zero-width joiners before a wide character: rich 15 failed cutting such a cell.
    ("joiners", "\u200d\u200d日本語のエージェント" * 4),
]
VALUES = [value for _, value in HOSTILE]
# As the audit reads them: values are trimmed, so a tab or CR in front comes from no export.
READ = [value.strip() for value in VALUES]
FORMULA_READ = [v for v in READ if v.startswith(("=", "+", "-", "@"))]

STANDARD = """\
svcaudit: 1
name: Hostile test
pass_threshold: 100%
quality: {min: 50%}
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    target: 1h
  - id: greeting
    check: phrases
    in: first_agent_message
    require_any: [hello]
"""

# Raw control characters no report may carry: C0 but LF, DEL, C1, bidirectional overrides.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What XML 1.0 forbids, besides.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What a spreadsheet would run: a cell starting with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_FILE = "msgs <b>|`\x1b[2J.csv"


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # quotes a value holding CR too
    return buffer.getvalue()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """Tickets (every one late, by a hostile agent of a hostile team) and their messages (the
    agent's reply a hostile text without a greeting), plus a ticket row with a hostile timestamp,
    which is rejected. Two weeks, so that `report --by week` has changes (some negative)."""
    folder = tmp_path_factory.mktemp("hostile")
    tickets = [["ticket_id", "created_at", "first_reply_at", "agent", "team"]]
    messages = [["ticket_id", "created_at", "author_role", "text"]]
    for index, value in enumerate(VALUES):
        day = 9 + index % 2 * 7  # 2026-11-09 or 2026-11-16
        created, replied = f"2026-11-{day:02d}T09:00:00Z", f"2026-11-{day:02d}T1{index % 2 * 3}:30:00Z"
        tickets.append([value, created, replied, value, value])
        messages.append([value, created, "customer", f"help {value}"])
        messages.append([value, replied, "agent", value])
    # A passing ticket per agent in the first week, so the second week's compliance falls.
    tickets.append(["ok-1", "2026-11-09T09:00:00Z", "2026-11-09T09:10:00Z", "+1", "-2"])
    messages.append(["ok-1", "2026-11-09T09:10:00Z", "agent", "hello"])
    tickets.append(["bad-time", "<script>\x1b[2J", "", "=cmd", "x"])
    paths = {"tickets": folder / "tickets.csv", "messages": folder / HOSTILE_FILE, "standard": folder / "standard.yaml"}
    paths["tickets"].write_text(_csv(tickets), encoding="utf-8")
    paths["messages"].write_text(_csv(messages), encoding="utf-8")
    paths["standard"].write_text(STANDARD, encoding="utf-8")
    return paths


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def check(inputs: dict[str, Path], fmt: str, *extra: str):
    result = run(
        "check",
        inputs["tickets"],
        inputs["messages"],
        "-s",
        inputs["standard"],
        "--as-of",
        AS_OF,
        "--format",
        fmt,
        "--color",
        "never",
        "--limit",
        "0",
        *extra,
    )
    assert result.exit_code == 1, result.output  # the standard is not met; nothing else fails
    return result.stdout


def report(inputs: dict[str, Path], fmt: str, *extra: str, by: str = "week,agent"):
    result = run(
        "report",
        inputs["tickets"],
        inputs["messages"],
        "-s",
        inputs["standard"],
        "--as-of",
        AS_OF,
        "--format",
        fmt,
        "--color",
        "never",
        "--limit",
        "0",
        "--by",
        by,
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _no_raw_controls(text: str) -> None:
    found = RAW_CONTROL.search(text)
    assert found is None, f"raw {found.group()!r} in …{text[max(0, found.start() - 60) : found.end() + 20]!r}"


# --- the escaping functions, one per format ------------------------------------------------------


@pytest.mark.parametrize(
    "value, shown",
    [
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b31m", "\\x9b31m"),
        ("a\x7fb\x00c\x01", "a\\x7fb\\x00c\\x01"),
        ("\u202eevil", "\\u202eevil"),
        ("m\udcff.csv", "m\\udcff.csv"),  # a file name's undecodable byte: no UTF-8 output can carry it
        ("one\ntwo\r\nthree\tfour", "one two three four"),
        ("[bold]plain[/bold] <b>", "[bold]plain[/bold] <b>"),  # markup is the console's business
        ("Привет, ☕", "Привет, ☕"),
        ("\u200d\u200d\u200d日本", "\u200d日本"),  # a run of joiners is one
        ("👩\u200d💻", "👩\u200d💻"),
        (None, ""),
        (42, "42"),
    ],
)
def test_terminal(value, shown):
    assert terminal(value) == shown


@pytest.mark.parametrize(
    "value, shown",
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a|b", "a\\|b"),
        ("`code`", "\\`code\\`"),
        ("[x](http://e)", "\\[x\\](http://e)"),
        ("AT&T", "AT&amp;T"),
        ("back\\slash|", "back\\\\slash\\|"),
        ("one\ntwo\r\nthree", "one two three"),
        ("\x1b[2J", "\\\\x1b\\[2J"),
        ("Привет", "Привет"),
    ],
)
def test_markdown(value, shown):
    assert markdown(value) == shown


@pytest.mark.parametrize(
    "value, formulas, written",
    [
        ('=HYPERLINK("x")', False, '\'=HYPERLINK("x")'),
        ("+1", False, "'+1"),
        ("-2", False, "'-2"),
        ("@SUM(A1)", False, "'@SUM(A1)"),
        ("\tx", False, "'\tx"),
        ("\rx", False, "'\nx"),
        ("a\rb\r\n=c", False, "a\nb\n=c"),  # a CR is a line feed: the writer quotes it
        ("a=b", False, "a=b"),
        ("\x1b[2J", False, "\\x1b[2J"),
        ("multi\nline", False, "multi\nline"),
        ('=HYPERLINK("x")', True, '=HYPERLINK("x")'),
        ("-2", True, "-2"),
        (-2, False, -2),  # a number svcaudit measured is not a formula
        (-0.25, False, -0.25),
        (None, False, None),
    ],
)
def test_csv_cell(value, formulas, written):
    assert csv_cell(value, formulas=formulas) == written


@pytest.mark.parametrize(
    "value",
    [
        "a\x7fb",
        "\x85\x9b31m",
        "\u202eevil\u202c\u2066",
        "lone \udc80 surrogate",
        "\x1b]0;t\x07",
        "Привет ☕ \U0001f600",
        "plain",
    ],
)
def test_json_text_escapes_what_the_encoder_leaves_raw_and_keeps_the_value(value):
    encoded = json_text(json.dumps({"v": value}, ensure_ascii=False))
    _no_raw_controls(encoded)
    encoded.encode("utf-8")  # writable: no lone surrogate left
    assert json.loads(encoded) == {"v": value}
    assert "☕" not in value or "☕" in encoded  # other text stays as it is


def test_visible_controls_keeps_what_it_is_told():
    assert visible_controls("a\r\nb\x1b", keep="\r\n") == "a\r\nb\\x1b"
    assert visible_controls("a\tb", keep="\t\n\r") == "a\tb"


# --- svcaudit check, every format ----------------------------------------------------------------


def test_check_text(inputs):
    out = check(inputs, "text")
    _no_raw_controls(out)
    assert "\\x1b]0;pwned\\x07" in out and "\\x9b31mred" in out and "\\u202eevil" in out
    assert "[bold red]boom[/bold red]" in out  # shown as written, not read as markup


def test_check_text_in_colour_reads_no_markup(inputs):
    out = check(inputs, "text", "--color", "always")
    assert "[bold red]boom[/bold red]" in out
    assert "\x1b]" not in out and "\x1b[2J" not in out and "\x07" not in out
    # The only escape sequences are the renderer's own colours (SGR: ESC [ … m).
    assert set(re.findall(r"\x1b\[[0-9;]*(.)", out)) == {"m"}
    assert RAW_CONTROL.search(re.sub(r"\x1b\[[0-9;]*m", "", out)) is None


def test_check_markdown(inputs):
    out = check(inputs, "markdown")
    _no_raw_controls(out)
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_inline", "html_block", "code_inline", "link_open", "image"}
    # Every row of a table has its header's width: no value ended a cell early.
    widths = _table_widths(tokens)
    assert widths and all(len(set(row)) == 1 for row in widths), widths
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "a\\|b\\|c" in out


def _table_widths(tokens) -> list[list[int]]:
    tables, cells = [], 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            tables[-1].append(cells)
    return tables


def test_check_github(inputs):
    out = check(inputs, "github")
    _no_raw_controls(out)
    lines = out.splitlines()
    assert not any(line.startswith("::error::forged") for line in lines)
    commands = [line for line in lines if line.startswith("::")]
    assert {line[2:].split(" ", 1)[0].split("::", 1)[0] for line in commands} <= {
        "error",
        "warning",
        "notice",
        "group",
        "endgroup",
    }
    assert "x%0A::error::forged" in out


def test_check_junit(inputs):
    out = check(inputs, "junit")
    assert XML_FORBIDDEN.search(out) is None
    _no_raw_controls(out.replace("\t", " ").replace("\r", " "))  # layout, as XML text carries it
    root = ET.fromstring(out.encode("utf-8"))  # well-formed
    text = "".join(root.itertext()) + " ".join(v for e in root.iter() for v in e.attrib.values())
    assert "<script>alert(1)</script>" in text  # escaped in the file, text once parsed
    assert "<script" not in out


def test_check_json_round_trips_every_value(inputs):
    out = check(inputs, "json")
    _no_raw_controls(out)  # C0 by JSON's own escapes, DEL, C1 and bidi controls as \u00XX
    report = json.loads(out)
    ids = {v["ticket_id"] for v in report["violations"]}
    assert set(READ) <= ids
    rejected = report["rejected"]
    assert [r["field"] for r in rejected] == ["created_at"]


# --- svcaudit report, every format ---------------------------------------------------------------


@pytest.mark.parametrize("by", ["week,agent", "team", "rule"])
def test_report_text(inputs, by):
    out = report(inputs, "text", by=by)
    _no_raw_controls(out)
    assert "\\x1b" in out
    if by != "rule":
        assert "[bold red]boom[/bold red]" in out


@pytest.mark.parametrize("by", ["week,agent", "team"])
def test_report_markdown(inputs, by):
    out = report(inputs, "markdown", by=by)
    _no_raw_controls(out)
    assert "<script" not in out and "<img" not in out
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_inline", "html_block", "code_inline", "link_open", "image"}
    widths = _table_widths(tokens)
    assert widths and all(len(set(row)) == 1 for row in widths), widths


def test_report_html(inputs):
    out = report(inputs, "html")
    _no_raw_controls(out.replace("\t", " ").replace("\r", " "))  # layout, as HTML text carries it
    assert "<script>alert" not in out and "<img src=x" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def _csv_rows(out: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(out)))
    return header, rows


def test_report_csv_neutralises_formulas_from_the_input(inputs):
    out = report(inputs, "csv")
    header, rows = _csv_rows(out)
    assert {len(row) for row in rows} == {len(header)}  # no value started a row of its own
    agents = {row[header.index("agent")] for row in rows if row[header.index("agent")]}
    for value in FORMULA_READ:
        assert "'" + visible_controls(value, keep="\t\n\r") in agents, value
    for row in rows:
        for name, cell in zip(header, row, strict=True):
            if name in ("agent", "rule", "dimension", "warning"):
                assert not cell.startswith(FORMULA_START), (name, cell)
    # The figures svcaudit computed stay numbers, a fall in compliance included.
    changes = [row[header.index("rule_compliance_change")] for row in rows]
    assert any(change.startswith("-") and float(change) < 0 for change in changes)
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out


def test_report_csv_formulas_option_writes_them_as_they_are(inputs):
    out = report(inputs, "csv", "--csv-formulas")
    header, rows = _csv_rows(out)
    agents = {row[header.index("agent")] for row in rows}
    assert set(FORMULA_READ) <= agents


def test_report_json_round_trips_every_value(inputs):
    out = report(inputs, "json", by="agent")
    _no_raw_controls(out)
    tables = json.loads(out)
    agents = {group["key"]["agent"] for group in tables["groups"]}
    assert set(READ) <= agents


# --- svcaudit explain, and messages on stderr ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_explain(inputs, fmt):
    hostile = "\x1b]0;pwned\x07"
    result = run(
        "explain",
        hostile,
        inputs["tickets"],
        inputs["messages"],
        "-s",
        inputs["standard"],
        "--as-of",
        AS_OF,
        "--format",
        fmt,
    )
    assert result.exit_code == 0, result.output
    _no_raw_controls(result.stdout)
    if fmt == "markdown":  # the backslash of the escape is itself escaped
        assert result.stdout.startswith("# Ticket \\\\x1b\\]0;pwned\\\\x07\n")
    else:
        assert result.stdout.startswith("Ticket \\x1b]0;pwned\\x07\n")


def test_explain_markdown_escapes_markup_in_the_heading_and_the_conversation(inputs):
    hostile = "<script>alert(1)</script>"
    result = run(
        "explain",
        hostile,
        inputs["tickets"],
        inputs["messages"],
        "-s",
        inputs["standard"],
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
    )
    assert result.exit_code == 0, result.output
    assert "<script" not in result.stdout
    assert result.stdout.startswith("# Ticket &lt;script&gt;")


def test_error_messages_on_stderr_show_controls_escaped(tmp_path):
    missing = tmp_path / "gone\x1b]0;pwned\x07.csv"
    result = run("check", missing, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "gone\\x1b]0;pwned\\x07.csv" in result.stderr
