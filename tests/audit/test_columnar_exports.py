"""Whole ticket-row exports through `run_audit`: the columnar core and the reference path give
byte-identical JSON reports.

Where tests/audit/test_columnar.py compares tallies of typed rows, this compares what a user gets,
reading included: hypothesis writes a CSV as exports come (any subset and order of the columns,
`,` `;` or tab, quoted cells with newlines, a BOM, blank lines and `;;;` rows, null markers,
timestamps with Z, offsets or none (the standard's zone), day-first slash dates, bad values,
repeated ticket ids, ragged rows) and picks a standard of the corpus (tests/audit/corpus.py) with
`input.duplicates` reject or first, and any `input.date_order`. It writes JSON Lines and JSON
arrays too, as APIs give them (keys in any order and missing, numbers for figures and epoch
seconds, nulls, true and false, lists), which the core takes from the reference reader. Every
ticket-row export under tests/ and samples/ goes through both paths with the built-in default
standard.
SVCAUDIT_EQUIVALENCE_EXAMPLES=2000 digs deeper.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.audit.engine import make_intake
from svcaudit.audit.run import run_audit
from svcaudit.errors import SvcauditError
from svcaudit.reporters import reporter
from svcaudit.reporters.protocol import to_text
from svcaudit.standard.loader import load_standard
from svcaudit.standard.model import Standard
from tests.audit.corpus import CORPUS, corpus_standard
from tests.paths import REPO

UTC = timezone.utc
EXAMPLES = int(os.environ.get("SVCAUDIT_EQUIVALENCE_EXAMPLES", "25"))
EXPORTS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
# Tickets are stamped in the days after an anchor; each anchor's days hold a DST change.
ANCHORS = (
    datetime(2026, 10, 23, 16, 30, tzinfo=UTC),  # a Friday before Europe's autumn change
    datetime(2026, 3, 27, 7, 0, tzinfo=UTC),  # a Friday before Europe's spring change
    datetime(2026, 10, 2, 9, 15, tzinfo=UTC),  # before Sydney's spring change (October 4)
)
AS_OF_AFTER = (timedelta(hours=-2), timedelta(hours=30), timedelta(days=3), timedelta(days=60))
# Local times a clock change skips or repeats, in Europe's zones.
SKIPPED_AND_REPEATED = ("2026-03-29 02:30", "2026-10-25 02:30")
DELIMITERS = (",", ";", "\t")
NULLS = ("?", "n/a", "")
BAD = ("soon", "2026-13-45 10:00", "-1", "1e999", "NaN", "🙂")
IDS = ("T1", "T2", "T3", "T10", "A-7")
TEXT_VALUES = {
    "status": ("solved", "open", "pending", "closed", "done", "Solved", "Готово"),
    "priority": ("urgent", "high", "normal", "low", "High", "p1"),
    "channel": ("email", "chat", "mail"),
    "agent": ("Ann", "Анна", "Bo\nBoss"),
    "team": ("A", "B;C"),
    "customer_name": ("Bob", "Маша", 'Jo "JJ"', "Ann,\nmulti-line"),
}
NUMBER_VALUES = {
    "reopens": ("0", "1", "3"),
    "csat": ("1", "4", "5", "4.5"),
    "nps": ("0", "6", "9", "10"),
    "ces": ("1", "2.5", "7"),
    "zendesk_first_reply_minutes": ("30", "95", "4,5", "1:05"),
    "resolution_hours": ("1", "24", "0.5"),
    "wait_time": ("0:45", "7200", "PT2H"),
}
STAMPS = ("created_at", "first_reply_at", "resolved_at")
COLUMNS = (*STAMPS, *TEXT_VALUES, *NUMBER_VALUES)


@st.composite
def stamp_texts(draw, zone: str, anchor: datetime) -> str:
    """An instant near `anchor` as exports write it: ISO with Z (whole or fractional seconds) or
    an offset, naive in the standard's zone, or a day-first slash date."""
    moment = anchor + timedelta(seconds=draw(st.integers(-86400, 5 * 86400)))
    style = draw(st.sampled_from(("z", "z-fraction", "offset", "naive", "naive-t", "slash", "skipped")))
    if style == "skipped":
        return draw(st.sampled_from(SKIPPED_AND_REPEATED))
    if style == "z-fraction":
        return (moment + timedelta(microseconds=250000)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if style == "z":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "offset":
        return moment.astimezone(timezone(timedelta(hours=draw(st.sampled_from((-5, 3, 5.5)))))).isoformat()
    local = moment.astimezone(ZoneInfo(zone))
    if style == "slash":
        return local.strftime("%d/%m/%Y %H:%M")
    return local.strftime("%Y-%m-%dT%H:%M:%S" if style == "naive-t" else "%Y-%m-%d %H:%M")


@st.composite
def cells(draw, column: str, zone: str, anchor: datetime) -> str:
    pick = draw(st.integers(0, 9))
    if pick == 0:
        return draw(st.sampled_from(NULLS))
    if pick == 1:
        return draw(st.sampled_from(BAD))
    if column in STAMPS:
        return draw(stamp_texts(zone, anchor))
    return draw(st.sampled_from(TEXT_VALUES.get(column) or NUMBER_VALUES[column]))


def quoted(cell: str, delimiter: str, always: bool) -> str:
    if always or any(c in cell for c in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def exports(draw, zone: str, anchor: datetime) -> bytes:
    """A ticket-row CSV: ticket_id and a shuffled subset of the other columns."""
    chosen = draw(st.lists(st.sampled_from(COLUMNS), unique=True, max_size=len(COLUMNS)))
    header = draw(st.permutations(["ticket_id", *chosen]))
    delimiter = draw(st.sampled_from(DELIMITERS))
    quote_all = draw(st.booleans())
    lines = [delimiter.join(quoted(name, delimiter, quote_all) for name in header)]
    for _ in range(draw(st.integers(0, 12))):
        odd = draw(st.integers(0, 29))
        if odd == 0:
            lines.append("")
        elif odd == 1:
            lines.append(delimiter * (len(header) - 1))
        else:
            row = [
                draw(st.sampled_from(IDS)) if name == "ticket_id" else draw(cells(name, zone, anchor))
                for name in header
            ]
            if odd == 2:  # ragged: a cell short or one too many
                row = row[:-1] if len(row) > 1 and draw(st.booleans()) else [*row, "extra"]
            lines.append(delimiter.join(quoted(cell, delimiter, quote_all) for cell in row))
    text = draw(st.sampled_from(("\n", "\r\n"))).join(lines) + draw(st.sampled_from(("\n", "")))
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


@st.composite
def json_values(draw, column: str, zone: str, anchor: datetime) -> object:
    """A value as a JSON export holds it: the texts a CSV holds, or a number, null, a flag, a list."""
    pick = draw(st.integers(0, 11))
    if pick == 0:
        return None
    if pick == 1:
        return draw(st.sampled_from((True, False, [], ["a"], 1.5)))
    if pick == 2:
        moment = anchor + timedelta(seconds=draw(st.integers(-86400, 5 * 86400)))
        return draw(st.sampled_from((int(moment.timestamp()), moment.timestamp() + 0.25, 0, 20261107)))
    if pick == 3 and column in NUMBER_VALUES:
        return json.loads(draw(st.sampled_from(("0", "1", "4", "4.0", "4.5", "9", "10", "-1", "1e3"))))
    if pick == 3:  # a number where a text goes, as APIs number priorities and sources
        return draw(st.sampled_from((2, 4, 4.0, 2.5, -1)))
    return draw(cells(column, zone, anchor))


@st.composite
def json_exports(draw, zone: str, anchor: datetime) -> tuple[str, bytes]:
    """A ticket-row JSON Lines file or JSON array: each row's keys a shuffled subset of the columns
    (a row without ticket_id now and then), a blank or broken line in JSON Lines."""
    chosen = draw(st.lists(st.sampled_from(COLUMNS), unique=True, max_size=len(COLUMNS)))
    rows: list[object] = []
    for _ in range(draw(st.integers(0, 12))):
        keys = [name for name in ["ticket_id", *chosen] if draw(st.integers(0, 3)) or name == "ticket_id"]
        if draw(st.integers(0, 19)) == 0:
            keys = keys[1:]
        if draw(st.booleans()):
            keys = draw(st.permutations(keys))
        row = {
            name: draw(st.sampled_from(IDS)) if name == "ticket_id" else draw(json_values(name, zone, anchor))
            for name in keys
        }
        nested = draw(st.integers(0, 3))  # an API's nested object, its keys there or not
        if nested:
            row["via"] = {"channel": "email", "source": {"from": {"address": "a@b.c"}} if nested > 1 else {}}
        rows.append(row)
    if draw(st.booleans()):
        return "tickets.json", json.dumps(rows, ensure_ascii=draw(st.booleans())).encode("utf-8")
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    if lines and draw(st.integers(0, 4)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(("", "{broken", "[1, 2]"))))
    return "tickets.jsonl", "\n".join(lines).encode("utf-8")


def report(standard: Standard, path: Path, as_of: datetime, columnar: bool) -> str:
    """The JSON report, or the error a run ends with (both paths must end alike)."""
    try:
        result = run_audit(standard, [path], as_of, columnar=columnar)
    except SvcauditError as exc:
        return f"{type(exc).__name__}: {exc}"
    return to_text(reporter("json"), result)


def assert_same_reports(standard: Standard, path: Path, as_of: datetime) -> None:
    assert report(standard, path, as_of, columnar=True) == report(standard, path, as_of, columnar=False)


@st.composite
def corpus_exports(draw) -> tuple[Standard, datetime, bytes]:
    """A standard of the corpus (any `input.duplicates` and `input.date_order`), the anchor its
    export's tickets are stamped around, and the export."""
    standard = corpus_standard(
        draw(st.sampled_from(sorted(CORPUS)), label="standard"),
        draw(st.sampled_from(("reject", "first")), label="duplicates"),
        draw(st.sampled_from((None, "day-first", "month-first")), label="date_order"),
    )
    anchor = draw(st.sampled_from(ANCHORS), label="anchor")
    return standard, anchor, draw(exports(standard.timezone, anchor), label="export")


def drawn_export(data, tmp_path_factory, as_json: bool = False) -> tuple[Standard, datetime, Path]:
    """A corpus export drawn (`corpus_exports`; with `as_json`, a JSON or JSON Lines export for the
    same standard and anchor: `json_exports`) and written to a file of its own: the standard, the
    anchor and the file's path."""
    standard, anchor, export = data.draw(corpus_exports())
    name = "tickets.csv"
    if as_json:
        name, export = data.draw(json_exports(standard.timezone, anchor), label="json export")
    path = tmp_path_factory.mktemp("export") / name
    path.write_bytes(export)
    return standard, anchor, path


@EXPORTS
@given(data=st.data())
def test_drawn_exports_report_alike_on_both_paths(data, tmp_path_factory):
    standard, anchor, path = drawn_export(data, tmp_path_factory)
    assert_same_reports(standard, path, anchor + data.draw(st.sampled_from(AS_OF_AFTER), label="as_of"))


@EXPORTS
@given(data=st.data())
def test_drawn_json_exports_report_alike_on_both_paths(data, tmp_path_factory):
    standard, anchor, path = drawn_export(data, tmp_path_factory, as_json=True)
    assert_same_reports(standard, path, anchor + data.draw(st.sampled_from(AS_OF_AFTER), label="as_of"))


EXPORT_SUFFIXES = ("*.csv", "*.json", "*.jsonl", "*.ndjson", "*.csv.gz", "*.jsonl.gz")


def ticket_row_fixtures() -> list[Path]:
    """The exports under tests/ and samples/ the default standard reads as ticket rows."""
    standard = load_standard("builtin:default")
    found = []
    candidates = {
        path for root in ("tests", "samples") for suffix in EXPORT_SUFFIXES for path in (REPO / root).rglob(suffix)
    }
    for path in sorted(candidates):
        try:
            if make_intake(standard, [path]).ticket_rows_only:
                found.append(path)
        except SvcauditError:
            continue  # no ticket_id column, a workbook: not an export of ticket rows
    return found


FIXTURES = ticket_row_fixtures()


def test_the_fixtures_include_the_samples():
    assert REPO / "samples" / "tickets.csv" in FIXTURES
    assert REPO / "samples" / "tickets.jsonl" in FIXTURES


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO)))
def test_fixture_exports_report_alike_on_both_paths(path):
    assert_same_reports(load_standard("builtin:default"), path, datetime(2026, 6, 1, tzinfo=UTC))


API_EXAMPLES = REPO / "tests" / "presets" / "fixtures" / "api"
# (standard, exports): helpdesks' API answers and warehouse tables with their presets, and the
# samples with standards of their own. Those the core takes (ticket rows alone: the Freshdesk and
# Zendesk API JSON, the Zendesk sample) are held to the reference; the others go the reference way
# on both.
PRESET_EXAMPLES = [
    (API_EXAMPLES / "freshdesk.yaml", [API_EXAMPLES / "freshdesk_tickets.json"]),
    (API_EXAMPLES / "zendesk.yaml", [API_EXAMPLES / "zendesk_tickets.json"]),
    (
        API_EXAMPLES / "zendesk.yaml",
        [API_EXAMPLES / "zendesk_tickets.json", API_EXAMPLES / "zendesk_ticket_field_history.csv"],
    ),
    (API_EXAMPLES / "intercom.yaml", [API_EXAMPLES / "intercom_conversations.json"]),
    (API_EXAMPLES / "servicenow.yaml", [API_EXAMPLES / "servicenow_incident_log.csv"]),
    (REPO / "samples" / "zendesk" / "svcaudit.yaml", [REPO / "samples" / "zendesk" / "tickets.csv"]),
]


@pytest.mark.parametrize(
    "standard_path, paths", PRESET_EXAMPLES, ids=lambda value: value.stem if isinstance(value, Path) else None
)
def test_preset_examples_report_alike_on_both_paths(standard_path, paths):
    standard = load_standard(str(standard_path))
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    results = []
    for columnar in (True, False):
        try:
            results.append(to_text(reporter("json"), run_audit(standard, paths, as_of, columnar=columnar)))
        except SvcauditError as exc:
            results.append(f"{type(exc).__name__}: {exc}")
    assert '"tickets": 0' not in results[1]
    assert results[0] == results[1]


def test_a_ragged_row_deep_in_ticket_rows_reports_alike(tmp_path):
    """A ragged row after Arrow handed the core a batch: the csv module reads on from there, and the
    report is the reference path's."""
    lines = [
        f"D{n},2026-10-{1 + n % 28:02d}T09:{n % 60:02d}:00Z,2026-10-{1 + n % 28:02d}T1{n % 10}:00:00Z,,open,"
        f"{('low', 'high', 'urgent')[n % 3]},email,Agent {n % 7},{'x' * (n % 40)}"
        for n in range(45_000)
    ]
    lines[40_000] += ",a cell too many"  # in a block after the first batch's 16,384 rows
    path = tmp_path / "tickets.csv"
    header = "ticket_id,created_at,first_reply_at,resolved_at,status,priority,channel,agent,note\n"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    assert_same_reports(load_standard("builtin:default"), path, datetime(2026, 11, 1, tzinfo=UTC))
