"""Fuzzing every output format: hostile strings in every field of the exports, and every report is
still well-formed, holds no raw control character and no markup a renderer would obey.

A drawn export holds ticket rows and message rows (CSV, or JSON Lines) whose every field is a
plausible value or a hostile one: terminal escape sequences, C1 controls, bidirectional overrides,
HTML, Markdown table breakers, spreadsheet formulas, forged GitHub workflow commands, NUL bytes,
lone surrogates, numbers of thousands of digits. It goes through `check` in a drawn format and
`report` in a drawn format (the JSON report of `check` every time, for the rows' accounting).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.fuzz.helpers import AS_OF, EXAMPLES, STANDARD, assert_no_crash, check_report, invoke

# Each example runs the CLI three times: a third of the examples of the other properties.
FUZZ = settings(
    max_examples=max(1, EXAMPLES // 3),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FORGED = "::error::FORGED"
HOSTILE = [
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b[H",
    "\x1b[31mred\x1b[0m",
    "\x9b31m",
    "\x85next\x8d",
    "a\x7fb",
    "\u202eevil\u202c",
    "\u2066iso\u2069",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<b>bold</b>",
    "<iframe src=//e>",
    "&lt;&amp;",
    "a|b|c",
    "`code`",
    "[x](javascript:alert(1))",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://e","x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "x\r=1+1",
    "one\ntwo\r\nthree",
    "x\n" + FORGED,
    "%0A::warning::x",
    "title=a,line=1::x",
    "nul\x00byte",
    "lone \udc80 surrogate",
    "\ud800",
    "9" * 5000,
    "-" + "9" * 400,
    "1e999",
    "-1e309",
    "NaN",
    "[bold red]boom[/bold red]",
    "{customer_name}",
    "\ufeffbom",
    "\u2028sep\u2029",
    "\ufffe\uffff",
]
PLAIN = {
    "ticket_id": ["T1", "T2", "T3"],
    "created_at": ["2026-03-02T09:00:00Z", "2026-03-02 10:00", "02.03.2026 11:00", "1772442000"],
    "first_reply_at": ["2026-03-02T09:30:00Z", "", "2026-03-02T08:00:00Z"],
    "updated_at": ["2026-03-03T09:00:00Z", "2026-03-01T09:00:00Z", ""],
    "agent": ["Anna", "Bob", ""],
    "team": ["L1", "billing", ""],
    "channel": ["email", "chat"],
    "priority": ["urgent", "normal"],
    "customer_name": ["Анна", "Bob"],
    "csat": ["5", "1", ""],
    "author_role": ["agent", "customer", "bot", "system"],
    "author": ["Anna", "Bob", ""],
    "text": ["hello Анна", "Здравствуйте! Sorry", "you idiot", ""],
    "public": ["true", "false", ""],
}
TICKET_COLUMNS = [
    "ticket_id",
    "created_at",
    "first_reply_at",
    "updated_at",
    "agent",
    "team",
    "channel",
    "priority",
    "customer_name",
    "csat",
]
MESSAGE_COLUMNS = ["ticket_id", "created_at", "author_role", "author", "team", "text", "public"]
CSV_LINE_END = "\r\n"  # so the writer quotes a value holding a lone CR, as exporters do
# File names reach every report too; `\udcff` is how Python names an undecodable byte of one.
FILE_NAMES = ["messages", "m <b>|`\x1b[2J", "m\u202e\x9b", "=cmd", "m\udcff", "%0A::error::x"]

hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3).map("".join),
    st.text(alphabet=st.characters(max_codepoint=0x2070), max_size=12),
)
# A JSON number longer than Python converts to int by default, written into the line as is.
HUGE = "__huge_number__"
HUGE_NUMBER = "9" * 5000
# Sizes and zeros at the edges of what a reader may hold.
numbers = st.one_of(st.integers(-(10**30), 10**30), st.floats(), st.sampled_from([0, -0.0, 1e308, 5e-324, HUGE]))


@st.composite
def row(draw, columns: list[str]) -> list[str]:
    """A row of plain values with up to two hostile ones: any field may be hostile, and most rows
    are still read, so tickets are audited and the hostile values reach the reports."""
    spoiled = draw(st.sets(st.sampled_from(columns), max_size=2))
    return [draw(hostile if name in spoiled else st.sampled_from(PLAIN[name])) for name in columns]


# A JSON field that is not text: a number of any size, null, a boolean, or nested values.
json_values = st.one_of(
    numbers,
    st.none(),
    st.booleans(),
    st.recursive(
        hostile,
        lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["a", "<b>"]), inner, max_size=2),
        max_leaves=6,
    ),
)


@st.composite
def json_row(draw, columns: list[str]) -> list:
    """A message row whose one drawn field holds a JSON value that is not text."""
    values = draw(row(columns))
    values[draw(st.integers(0, len(columns) - 1))] = draw(json_values)
    return values


# Layout characters a format carries on purpose: a line feed everywhere; tabs and carriage
# returns inside quoted CSV cells and XML text, where they are data, not commands.
ALLOWED_LAYOUT = {
    "text": "\n",
    "markdown": "\n",
    "json": "\n",
    "github": "\n",
    "junit": "\t\n\r",
    "csv": "\t\n\r",
    "html": "\t\n\r",
}
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE_TAGS = {"script", "img", "b", "iframe"}
MARKUP_TOKENS = {"html_inline", "html_block", "code_inline", "link_open", "image"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GITHUB_COMMANDS = {"error", "warning", "notice", "group", "endgroup"}


def assert_no_controls(text: str, fmt: str) -> None:
    for found in CONTROL.finditer(text):
        assert found.group() in ALLOWED_LAYOUT[fmt], (
            f"{fmt}: raw {found.group()!r} in …{text[max(0, found.start() - 60) : found.end() + 20]!r}"
        )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_well_formed(text: str, fmt: str) -> None:
    """The format's own promise: it parses, and no value from the input became markup. An input
    error writes no report (its one line on stderr is checked as text)."""
    if not text:
        return
    assert_no_controls(text, fmt)
    if fmt == "json":
        json.loads(text)
    elif fmt == "junit":
        ET.fromstring(text.encode("utf-8"))
    elif fmt == "markdown":
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
        kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
        assert not kinds & MARKUP_TOKENS, kinds & MARKUP_TOKENS
        widths: list[set[int]] = []
        cells = 0
        for token in tokens:
            if token.type == "table_open":
                widths.append(set())
            elif token.type == "tr_open":
                cells = 0
            elif token.type in ("th_open", "td_open"):
                cells += 1
            elif token.type == "tr_close":
                widths[-1].add(cells)
        assert all(len(w) == 1 for w in widths), widths  # no value ended a cell early
    elif fmt == "html":
        parser = _Tags()
        parser.feed(text)
        for tag, attrs in parser.found:
            assert tag not in HOSTILE_TAGS, tag
            assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(cells) for cells in rows}) == 1, rows  # no value started a row
        for cells in rows:
            for value in cells:
                if value.startswith(FORMULA_STARTS):
                    float(value)  # only a figure svcaudit computed may start so: a number
    elif fmt == "github":
        for line in text.splitlines():
            assert not line.startswith(FORGED), line
            if line.startswith("::"):
                assert line[2:].split(" ", 1)[0].split("::", 1)[0] in GITHUB_COMMANDS, line


def write_exports(
    folder: str, tickets: list[list], messages: list[list], as_jsonl: bool, duplicates: str, name: str = "messages"
) -> list[Path]:
    """The exports, and a standard reading them with the drawn duplicates policy."""
    paths = [Path(folder, "tickets.csv"), Path(folder, name + (".jsonl" if as_jsonl else ".csv"))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END)
    writer.writerows([TICKET_COLUMNS, *tickets])
    # A lone surrogate cannot be UTF-8: it goes out as the bytes a careless exporter writes.
    paths[0].write_bytes(buffer.getvalue().encode("utf-8", errors="surrogatepass"))
    if as_jsonl:
        lines = (
            json.dumps(dict(zip(MESSAGE_COLUMNS, m, strict=True))).replace(f'"{HUGE}"', HUGE_NUMBER) for m in messages
        )
        paths[1].write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=CSV_LINE_END).writerows([MESSAGE_COLUMNS, *messages])
        paths[1].write_bytes(buffer.getvalue().encode("utf-8", errors="surrogatepass"))
    Path(folder, "standard.yaml").write_text(
        STANDARD + f"input: {{duplicates: {duplicates}}}\nquality: {{min: 50%}}\n", encoding="utf-8"
    )
    return paths


@FUZZ
@given(
    tickets=st.lists(row(TICKET_COLUMNS), max_size=6),
    messages=st.lists(st.one_of(row(MESSAGE_COLUMNS), json_row(MESSAGE_COLUMNS)), max_size=8),
    as_jsonl=st.booleans(),
    duplicates=st.sampled_from(["reject", "first", "last"]),
    check_format=st.sampled_from(["text", "markdown", "junit", "github"]),
    report_format=st.sampled_from(["text", "markdown", "csv", "html", "json"]),
    by=st.sampled_from(["agent", "team", "week,agent", "rule", "channel,priority"]),
    damage=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=4)), max_size=2),
    name=st.sampled_from(FILE_NAMES),
)
def test_hostile_fields_never_reach_any_output_raw(
    tickets, messages, as_jsonl, duplicates, check_format, report_format, by, damage, name
):
    if not as_jsonl:  # a CSV cell is text: JSON's numbers and nesting go in as they print
        messages = [[v if isinstance(v, str) else json.dumps(v) for v in m] for m in messages]
    with TemporaryDirectory() as folder:
        paths = write_exports(folder, tickets, messages, as_jsonl, duplicates, name)
        for share, chunk in damage:  # random bytes inside the valid file
            data = paths[0].read_bytes()
            at = int(share * len(data))
            paths[0].write_bytes(data[:at] + chunk + data[at:])
        standard = Path(folder, "standard.yaml")
        common = (*paths, "--standard", standard, "--as-of", AS_OF, "--limit", "0")
        result = invoke("check", *common, "--format", "json")
        check_report(result)
        assert_well_formed(result.stdout, "json")
        for command, fmt, extra in (("check", check_format, ()), ("report", report_format, ("--by", by))):
            result = invoke(command, *common, "--format", fmt, "--color", "never", *extra)
            assert_no_crash(result)
            assert_well_formed(result.stdout, fmt)
            assert_no_controls(result.stderr, "text")
