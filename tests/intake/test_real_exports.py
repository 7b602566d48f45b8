"""Exports shaped like real ones (fixtures/real), audited through the command line: dates read in one
order per column, internal notes set apart, null markers, repeated rows folded, a bad field that is
not a bad ticket, and --as-of earlier than the data. Every figure is checked to the second against
the hand calculation in the comments."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.intake.arrow_csv import CellBatch
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.intake import Intake
from svcaudit.intake.message_columns import typed_messages
from svcaudit.intake.model import RowRef
from svcaudit.intake.timestamps import TimestampParser

REAL = Path(__file__).parent / "fixtures" / "real"
EXCEL = REAL / "freshdesk-excel-dayfirst.csv"
EXCEL_STANDARD = REAL / "freshdesk-excel.yaml"
EXCEL_AS_OF = "2025-04-16T12:00:00Z"
EVENTS = REAL / "servicenow-incident-events.csv"
EVENTS_STANDARD = REAL / "servicenow-events.yaml"
EVENTS_AS_OF = "2025-03-12T00:00:00Z"
MESSAGES_AS_OF = "2025-06-02T12:00:00Z"
FORMATS = ("text", "markdown", "json", "junit", "github")
UTC = timezone.utc


def cli(*args: object) -> object:
    result = CliRunner().invoke(app, list(map(str, args)))
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr, result.stderr
    return result


def audit(path: Path, standard: Path, as_of: str, *extra: object) -> tuple[int, dict | None, str]:
    """Exit code, JSON report (None on an input error) and stderr of `check`; rows conserved."""
    result = cli("check", path, "--standard", standard, "--as-of", as_of, "--format", "json", *extra)
    report = json.loads(result.stdout) if result.stdout.strip() else None
    for item in (report or {}).get("inputs", []):
        assert item["rows_read"] == (item["rows_audited"] + item["rows_rejected"] + item["rows_folded"]), item
    return result.exit_code, report, result.stderr


def explain(ticket: str, path: Path, standard: Path, as_of: str, fmt: str = "json"):
    result = cli("explain", ticket, path, "--standard", standard, "--as-of", as_of, "--format", fmt)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def measured(report: dict) -> dict[tuple[str, str], int]:
    return {(v["rule"], v["ticket_id"]): v["measured_seconds"] for v in report["violations"]}


def rule_counts(report: dict) -> dict[str, tuple[int, int, int, int]]:
    return {r["id"]: (r["passed"], r["failed"], r["pending"], r["not_applicable"]) for r in report["rules"]}


# -- 1. day/month order per column ----------------------------------------------------------------

# Europe/London, all in BST (+01:00) or all on one side of a clock change within a ticket.
# (ticket, rule) -> (status, measured seconds), worked by hand from the day-first reading:
EXCEL_FIGURES = {
    # 03/04 09:05 -> 03/04 09:47 = 42m; -> 15:30 = 6h25m
    ("1001", "first-reply"): ("passed", 42 * 60),
    ("1001", "resolution"): ("passed", 6 * 3600 + 25 * 60),
    # 5 Apr 16:40 -> 7 Apr 09:10 = 1d 16h30m; -> 8 Apr 11:00 = 2d 18h20m (month first: 60 days)
    ("1002", "first-reply"): ("failed", 40 * 3600 + 30 * 60),
    ("1002", "resolution"): ("failed", 66 * 3600 + 20 * 60),
    # 12 Apr 23:30 -> 13 Apr 00:10 = 40m; -> 14 Apr 10:00 = 34h30m (month first: 4 Dec, row rejected)
    ("1003", "first-reply"): ("passed", 40 * 60),
    ("1003", "resolution"): ("failed", 34 * 3600 + 30 * 60),
    # 14 Apr 10:20 -> 10:45 = 25m; resolved 10:05, before creation: the field is rejected
    ("1004", "first-reply"): ("passed", 25 * 60),
    ("1004", "resolution"): ("not_applicable", None),
    # created 15 Apr 08:00 BST (07:00Z), unanswered at 16 Apr 12:00Z: 29h
    ("1005", "first-reply"): ("failed", 29 * 3600),
    ("1005", "resolution"): ("failed", 29 * 3600),
}


def test_an_excel_day_first_export_is_read_day_first_in_every_column():
    code, report, _ = audit(EXCEL, EXCEL_STANDARD, EXCEL_AS_OF)
    assert code == 1
    (item,) = report["inputs"]
    assert item["date_orders"] == {
        "created_at": "day-first (proven by row 5 '14/04/2025 10:20')",
        "first_reply_at": "day-first (proven by row 4 '13/04/2025 0:10')",
        "resolved_at": "day-first (proven by row 4 '14/04/2025 10:00')",
    }
    assert (item["rows_read"], item["rows_audited"], item["rows_rejected"]) == (5, 5, 0)
    failed = {key: seconds for key, (status, seconds) in EXCEL_FIGURES.items() if status == "failed"}
    assert measured(report) == {(rule, ticket): s for (ticket, rule), s in failed.items()}
    assert not any("month first" in w for w in report["warnings"])


@pytest.mark.parametrize("ticket", sorted({t for t, _ in EXCEL_FIGURES}))
def test_every_excel_figure_matches_the_hand_calculation(ticket):
    explained = explain(ticket, EXCEL, EXCEL_STANDARD, EXCEL_AS_OF)
    for rule in explained["rules"]:
        assert (rule["status"], rule["measured_seconds"]) == EXCEL_FIGURES[(ticket, rule["id"])]


UNDECIDABLE = (
    "ticket_id,created_at,first_reply_at\nU1,03/04/2025 09:00,04/04/2025 09:00\nU2,05/06/2025 10:00,05/06/2025 10:30\n"
)
ORDER_STANDARD = """\
svcaudit: 1
name: date order
timezone: UTC
{input}
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    target: 1h
"""
# U1: month first 4 Mar -> 4 Apr = 31 days; day first 3 Apr -> 4 Apr = 1 day. U2: 30m either way.
ORDER_CASES = [
    pytest.param("", 31 * 86400, "month-first (assumed: no value tells)", True, id="undecidable"),
    pytest.param("input: {date_order: day-first}", 86400, "day-first (declared)", False, id="declared-day-first"),
    pytest.param(
        "input: {date_order: month-first}", 31 * 86400, "month-first (declared)", False, id="declared-month-first"
    ),
]


@pytest.mark.parametrize(("input_section", "seconds", "how", "warned"), ORDER_CASES)
def test_a_column_no_value_decides_is_read_as_declared_else_month_first_with_a_warning(
    write, input_section, seconds, how, warned
):
    data = write("undecidable.csv", UNDECIDABLE)
    standard = write("s.yaml", ORDER_STANDARD.format(input=input_section))
    code, report, _ = audit(data, standard, "2025-07-01T00:00:00Z")
    assert code == 1
    assert report["inputs"][0]["date_orders"] == {"created_at": how, "first_reply_at": how}
    assert measured(report) == {("first-reply", "U1"): seconds}
    warning = "2 dates such as '03/04/2025 09:00' (row 2) read either way"
    assert any(warning in w for w in report["warnings"]) is warned
    if warned:  # in every format, not only JSON
        for fmt in FORMATS:
            result = cli("check", data, "--standard", standard, "--as-of", "2025-07-01T00:00:00Z", "--format", fmt)
            assert result.exit_code == 1
            assert "set input.date_order to day-first or month-first" in result.stdout, fmt


CONTRADICTIONS = [
    # (file name, content, input section, parts of the error)
    pytest.param(
        "both.csv",
        "id,opened\nC1,05/14/2025 16:40\nC2,13/04/2025 09:00\n",
        "",
        [
            "both.csv:2:",
            "column 'opened' (created_at) holds dates in both orders",
            "row 3 '13/04/2025 09:00' is day first",
            "row 2 '05/14/2025 16:40' is month first",
            "input.date_order",
        ],
        id="csv-both-orders",
    ),
    pytest.param(
        "declared.csv",
        "id,opened\nC1,04/05/2025 16:40\nC2,05/14/2025 09:00\n",
        "date_order: day-first",
        [
            "declared.csv:3:",
            "column 'opened' (created_at) contradicts input.date_order day-first",
            "row 3 '05/14/2025 09:00' can only be read the other way",
        ],
        id="csv-against-declared",
    ),
    pytest.param(
        "both.jsonl",
        '{"id": "C1", "opened": "05/14/2025 16:40"}\n{"id": "C2", "opened": "13/04/2025 09:00"}\n',
        "",
        [
            "both.jsonl:1:",
            "column 'opened' (created_at) holds dates in both orders",
            "row 2 '13/04/2025 09:00'",
            "row 1 '05/14/2025 16:40'",
        ],
        id="jsonl-both-orders",
    ),
]


@pytest.mark.parametrize(("name", "content", "extra", "parts"), CONTRADICTIONS)
def test_contradictory_date_orders_are_an_input_error_naming_file_column_and_two_rows(
    write, name, content, extra, parts
):
    data = write(name, content)
    section = "input:\n  columns: {ticket_id: id, created_at: opened}\n" + (f"  {extra}\n" if extra else "")
    standard = write("s.yaml", ORDER_STANDARD.format(input=section))
    code, report, stderr = audit(data, standard, "2025-07-01T00:00:00Z")
    assert (code, report) == (2, None)
    for part in parts:
        assert part in stderr, (part, stderr)


DAY_PROOF_ROW = ("P0", 31, 1)  # the 31st of January: proves the column day first


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 28), st.integers(1, 12)), min_size=1, max_size=12),
    st.randoms(use_true_random=False),
)
def test_shuffling_the_rows_never_changes_how_a_timestamp_is_read(tmp_path_factory, dates, rng):
    """Whatever the order of the rows, every date of a column proven day first is read day first:
    the row that proves it may come first, last or anywhere."""
    rows = [(f"P{i + 1}", day, month) for i, (day, month) in enumerate(dates)] + [DAY_PROOF_ROW]
    rng.shuffle(rows)
    folder = tmp_path_factory.mktemp("shuffled")
    path = folder / "t.csv"
    path.write_text(
        "ticket_id,created_at,resolved_at\n"
        + "".join(
            f"{tid},{day:02d}/{month:02d}/2025 08:00,{day:02d}/{month:02d}/2025 09:30\n" for tid, day, month in rows
        ),
        encoding="utf-8",
    )
    mapping = ColumnMapping()
    intake = Intake([path], RowParser(TimestampParser(ZoneInfo("UTC")), mapping), mapping)
    read = {t.ticket_id: (t.created_at, t.resolved_at) for t in intake.tickets()}
    expected = {
        tid: (datetime(2025, month, day, 8, tzinfo=UTC), datetime(2025, month, day, 9, 30, tzinfo=UTC))
        for tid, day, month in rows
    }
    assert read == expected


# -- 2. internal notes ----------------------------------------------------------------------------

NOTES = [
    # fixture, standard, notes, {ticket: first reply seconds}, greeting (passed, n/a)
    # 10:00:00 -> public reply 10:31:45 (the note at 10:04:10 is no reply); 09:00 -> 12:00 unanswered
    pytest.param(
        "zendesk-ticket-comments.csv",
        "zendesk-comments.yaml",
        2,
        {"20001": 31 * 60 + 45, "20002": 3 * 3600},
        (1, 1),
        id="zendesk-public",
    ),
    # 08:00:00 -> 08:20:15 (the private note at 08:05:30 is no reply)
    pytest.param(
        "freshdesk-conversations.json",
        "freshdesk-conversations.yaml",
        1,
        {"7001": 20 * 60 + 15},
        (1, 0),
        id="freshdesk-private-json",
    ),
    # 14:00:00 -> 14:26:05 (assignment 14:02:10 and note 14:09:30 are no replies; close is a note)
    pytest.param(
        "intercom-conversation-parts.csv",
        "intercom-parts.yaml",
        3,
        {"215": 26 * 60 + 5},
        (1, 0),
        id="intercom-part-type",
    ),
    # 09:00:00.000 UTC -> 09:47:02.000 UTC (the internal comment at 09:12:33.500 is no reply)
    pytest.param("jira-comments.csv", "jira-comments.yaml", 1, {"10025": 47 * 60 + 2}, (1, 0), id="jira-is-public"),
    # 14-03-2025 10:00:00 -> 10:45:30 (the work note at 10:03:00 is no reply)
    pytest.param(
        "servicenow-journal.csv",
        "servicenow-journal.yaml",
        1,
        {"INC0020001": 45 * 60 + 30},
        (1, 0),
        id="servicenow-work-notes",
    ),
]


@pytest.mark.parametrize(("fixture", "standard", "notes", "first_reply", "greeting"), NOTES)
def test_internal_notes_are_no_replies_in_each_helpdesks_form(fixture, standard, notes, first_reply, greeting):
    code, report, _ = audit(REAL / fixture, REAL / standard, MESSAGES_AS_OF)
    assert code == 1  # every first reply is over the 15m target
    (item,) = report["inputs"]
    assert (item["internal_notes"], item["rows_rejected"]) == (notes, 0)
    noun = "note" if notes == 1 else "notes"
    assert f"{notes} internal {noun}, not counted as replies" in report["warnings"]
    assert measured(report) == {("first-reply", t): s for t, s in first_reply.items()}
    counts = rule_counts(report)
    assert (counts["greeting"][0], counts["greeting"][3]) == greeting


def test_explain_shows_internal_notes_in_time_order_unnumbered():
    args = ("215", REAL / "intercom-conversation-parts.csv", REAL / "intercom-parts.yaml", MESSAGES_AS_OF)
    explained = explain(*args)
    assert [m["row"] for m in explained["messages"]] == [2, 5]
    assert [(n["row"], n["text"]) for n in explained["internal_notes"]] == [
        (3, ""),
        (4, "Looks like the 2 GB limit, checking"),
        (6, ""),
    ]
    text = explain(*args, fmt="text")
    markdown = explain(*args, fmt="markdown")
    assert "note  2025-05-06T14:09:30Z  agent (internal note)          Looks like the 2 GB limit" in text
    assert "| note | 2025-05-06T14:09:30Z | agent (internal note) |  | Looks like the 2 GB" in markdown
    # the reply after the notes is the conversation's second message, not its fourth
    assert "| 2 | 2025-05-06T14:26:05Z | agent |" in markdown


PUBLIC_FLAGS = [
    # public cell, private cell, public?  (None: the row goes to the general path, which rejects it)
    ("TRUE", "", True),
    ("FALSE", "", False),
    ("", "true", False),
    ("", "false", True),
    ("internal", "", False),
    ("note", "", False),
    ("comments", "", True),
    ("work_notes", "", False),
    ("1", "0", True),
    ("?", "", True),
    ("maybe", "", None),
    ("", "perhaps", None),
]


@pytest.mark.parametrize(("public", "private", "expected"), PUBLIC_FLAGS)
def test_column_wise_typing_reads_public_flags_as_the_general_path(public, private, expected):
    names = ["ticket_id", "created_at", "author_role", "text", "public", "private"]
    mapping = ColumnMapping()
    parser = RowParser(TimestampParser(ZoneInfo("UTC")), mapping)
    cells = ["T1", "2025-05-01T09:00:00Z", "agent", "Hello", public, private]
    batch = CellBatch("m.csv", np.array([2]), [pa.array([cell]) for cell in cells])
    (typed,) = typed_messages(batch, names, parser)[1]
    if expected is None:
        assert isinstance(typed, FieldError)
        assert typed.field in ("public", "private")
        assert "map export values with input.values." in typed.message
        return
    _, general = parser.message(RowRef("m.csv", 2), dict(zip(names, cells, strict=True)))
    assert typed[1].public is general.public is expected


def test_an_unknown_public_value_rejects_the_row_naming_field_and_fix(write):
    data = write(
        "m.csv",
        "ticket_id,created_at,author_role,text,visibility\n"
        "T1,2025-05-01T09:00:00Z,customer,help,public\n"
        "T1,2025-05-01T09:05:00Z,agent,hello,staff-only\n"
        "T1,2025-05-01T09:20:00Z,agent,hello again,public\n",
    )
    code, report, _ = audit(data, REAL / "jira-comments.yaml", MESSAGES_AS_OF)
    assert code == 1  # 09:00 -> 09:20 = 20m, over 15m: the unreadable row 3 is no reply either
    assert report["rejected"] == [
        {
            "path": str(data),
            "row": 3,
            "field": "public",
            "row_kept": False,
            "error": "'staff-only' is not a public flag (true/false, yes/no, 1/0, public/internal); "
            "map export values with input.values.public",
        }
    ]
    assert measured(report) == {("first-reply", "T1"): 20 * 60}


# -- 3. null markers ------------------------------------------------------------------------------

NULLS = """\
svcaudit: 1
name: nulls
timezone: UTC
input:
{nulls}
rules:
  - id: resolution
    check: response_time
    metric: resolution
    target: 1d
"""
NULL_CASES = [
    # input.nulls line, rows rejected, (passed, failed, pending, n/a) of resolution
    # T1 resolved in 2h; T2 '?' (empty: unresolved, 3d open at --as-of: failed); T3 'n/a' likewise
    pytest.param("  columns: {}", 0, (1, 2, 0, 0), id="default-markers"),
    pytest.param('  nulls: ["n/a"]', 1, (1, 1, 0, 0), id="only-n/a: '?' is no timestamp"),
    pytest.param('  nulls: ["?", "n/a"]', 0, (1, 2, 0, 0), id="declared"),
]


@pytest.mark.parametrize(("nulls", "rejected", "counts"), NULL_CASES)
def test_null_markers_are_empty_in_typed_fields_only(write, nulls, rejected, counts):
    data = write(
        "t.csv",
        "ticket_id,created_at,resolved_at,subject,agent\n"
        "T1,2025-05-01T09:00:00Z,2025-05-01T11:00:00Z,?,?\n"
        "T2,2025-05-01T09:00:00Z,?,Ann,Kim\n"
        "T3,2025-05-01T09:00:00Z,n/a,Bo,Kim\n",
    )
    standard = write("s.yaml", NULLS.format(nulls=nulls))
    code, report, _ = audit(data, standard, "2025-05-04T09:00:00Z")
    assert code == 1
    assert report["inputs"][0]["rows_rejected"] == rejected
    if rejected:
        assert report["rejected"][0]["error"] == "'?' is not a timestamp"
    assert rule_counts(report)["resolution"] == counts
    explained = explain("T1", data, standard, "2025-05-04T09:00:00Z")
    assert explained["fields"]["subject"] == "?"  # free text keeps the marker as written
    if not rejected:  # '?' is a marker here: a person's name '?' is nobody
        assert "agent" not in explained["fields"]


def test_servicenow_question_marks_are_empty_values_not_rejected_rows():
    code, report, _ = audit(EVENTS, EVENTS_STANDARD, EVENTS_AS_OF)
    assert code == 1
    assert report["rejected"] == []


COLLISIONS = [
    pytest.param(
        '  nulls: ["?", "new"]',
        "null marker 'new' is also a status or mapped value",
        "remove it from input.nulls",
        id="marker-is-a-status",
    ),
    pytest.param(
        '  values:\n    status: {"-": open}',
        "null marker '-' is also a status or mapped value",
        "it is a default marker: set input.nulls to the markers the export uses, without it",
        id="default-marker-is-a-mapped-value",
    ),
]


@pytest.mark.parametrize(("section", "problem", "fix"), COLLISIONS)
def test_a_null_marker_that_collides_with_a_status_is_a_standard_error(write, section, problem, fix):
    standard = write("s.yaml", NULLS.format(nulls=section))
    data = write("t.csv", "ticket_id,created_at\nT1,2025-05-01T09:00:00Z\n")
    for args in (("validate", standard), ("check", data, "--standard", standard)):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert problem in result.stderr and fix in result.stderr
        assert f"{standard}:5:" in result.stderr  # the line of input.nulls, or of input


# -- 4. repeated ticket rows ----------------------------------------------------------------------

# resolution, target 1d, Europe/Amsterdam (CET), latest state of each incident:
# INC0010001 03-02 08:15:00 -> resolved 04-02 11:02:30 = 26h47m30s: failed
# INC0010002 13-02 14:20:05 -> 14-02 10:05:45 = 19h45m40s: passed
# INC0010003 05-03 09:00:00 -> 06-03 08:00:00 = 23h (its last row in the file is an older update)
# INC0010004 opened 10-03 07:45 CET (06:45Z), open at 12-03 00:00Z: 41h15m: failed
EVENT_FIGURES = {
    "INC0010001": ("failed", 26 * 3600 + 47 * 60 + 30),
    "INC0010002": ("passed", 19 * 3600 + 45 * 60 + 40),
    "INC0010003": ("passed", 23 * 3600),
    "INC0010004": ("failed", 41 * 3600 + 15 * 60),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_event_log_is_audited_in_the_latest_state_of_each_incident(jobs):
    code, report, _ = audit(EVENTS, EVENTS_STANDARD, EVENTS_AS_OF, "--jobs", jobs)
    assert code == 1
    (item,) = report["inputs"]
    assert (item["rows_read"], item["rows_audited"], item["rows_rejected"], item["rows_folded"]) == (11, 4, 0, 7)
    assert f"{EVENTS}: 7 rows folded into 4 tickets (input.duplicates keeps one row per ticket)" in report["warnings"]
    assert report["summary"]["tickets"] == 4
    assert measured(report) == {("resolution", t): s for t, (status, s) in EVENT_FIGURES.items() if status == "failed"}
    # resolved: INC0010004 is still new (pending); the others resolved or closed
    assert rule_counts(report) == {"resolution": (2, 2, 0, 0), "resolved": (3, 0, 1, 0)}


@pytest.mark.parametrize("ticket", sorted(EVENT_FIGURES))
def test_every_event_log_figure_matches_the_hand_calculation(ticket):
    explained = explain(ticket, EVENTS, EVENTS_STANDARD, EVENTS_AS_OF)
    (resolution,) = [r for r in explained["rules"] if r["id"] == "resolution"]
    assert (resolution["status"], resolution["measured_seconds"]) == EVENT_FIGURES[ticket]


DUPLICATE_CASES = [
    # policy, (audited, rejected, folded), T1's status, rejected reason, exit code: T2 is open
    # (pending), so only T1 solved judges anything (new and open are pending: NOT JUDGED, exit 2)
    pytest.param("reject", (2, 2, 0), "new", "set input.duplicates to first or last", 2, id="reject"),
    pytest.param("first", (2, 0, 2), "new", None, 2, id="first"),
    pytest.param("last", (2, 0, 2), "solved", None, 0, id="last-by-file-order"),
]


@pytest.mark.parametrize(("policy", "counts", "status", "reason", "exit_code"), DUPLICATE_CASES)
def test_repeated_ticket_rows_follow_input_duplicates(write, policy, counts, status, reason, exit_code):
    # No updated_at column: `last` takes the file's last row of each ticket.
    data = write(
        "t.csv",
        "ticket_id,created_at,status\n"
        "T1,2025-05-01T09:00:00Z,new\n"
        "T2,2025-05-01T10:00:00Z,open\n"
        "T1,2025-05-01T09:00:00Z,open\n"
        "T1,2025-05-01T09:00:00Z,solved\n",
    )
    standard = write(
        "s.yaml",
        f"svcaudit: 1\nname: d\ntimezone: UTC\ninput: {{duplicates: {policy}}}\n"
        "rules:\n  - id: resolved\n    check: resolution\n",
    )
    code, report, _ = audit(data, standard, "2025-05-04T09:00:00Z")
    item = report["inputs"][0]
    assert (item["rows_audited"], item["rows_rejected"], item["rows_folded"]) == counts
    assert all(reason in r["error"] for r in report["rejected"]) if reason else not report["rejected"]
    explained = explain("T1", data, standard, "2025-05-04T09:00:00Z")
    assert explained["fields"]["status"] == status
    assert code == exit_code


def test_a_bad_update_row_keeps_the_tickets_messages(write):
    """An event log's later row with a bad field is rejected; the ticket keeps its earlier row and
    its messages join it (they are not rejected with the bad row)."""
    tickets = write(
        "t.csv",
        "ticket_id,created_at,updated_at,csat\n"
        "T1,2025-05-01T09:00:00Z,2025-05-01T09:00:00Z,\n"
        "T1,2025-05-01T09:00:00Z,2025-05-02T09:00:00Z,9\n",
    )
    messages = write(
        "m.csv",
        "ticket_id,created_at,author_role,text\n"
        "T1,2025-05-01T09:00:00Z,customer,help\n"
        "T1,2025-05-01T09:20:00Z,agent,hello\n",
    )
    standard = write("s.yaml", ORDER_STANDARD.format(input="input: {duplicates: last}"))
    result = cli(
        "check", tickets, messages, "--standard", standard, "--as-of", "2025-06-01T00:00:00Z", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(r["row"], r["field"]) for r in report["rejected"]] == [(3, "csat")]
    assert [i["rows_audited"] for i in report["inputs"]] == [1, 2]
    assert rule_counts(report)["first-reply"] == (1, 0, 0, 0)


# -- 7. a bad field is not a bad ticket ------------------------------------------------------------


def test_a_resolution_before_creation_rejects_the_field_not_the_ticket():
    code, report, _ = audit(EXCEL, EXCEL_STANDARD, EXCEL_AS_OF)
    assert code == 1
    (item,) = report["inputs"]
    assert (item["rows_rejected"], item["fields_rejected"]) == (0, 1)
    assert report["rejected"] == [
        {
            "path": str(EXCEL),
            "row": 5,
            "field": "resolved_at",
            "row_kept": True,
            "error": "resolved_at 2025-04-14T09:05:00+00:00 is before created_at 2025-04-14T09:20:00+00:00",
        }
    ]
    (resolution,) = [r for r in report["rules"] if r["id"] == "resolution"]
    assert resolution["not_applicable_reasons"] == {"resolved_at rejected: stamped before created_at (see rejected)": 1}
    text = " ".join(
        cli("check", EXCEL, "--standard", EXCEL_STANDARD, "--as-of", EXCEL_AS_OF).stdout.split()
    )  # unwrapped
    assert "Rejected fields (1 field left out of rows still audited), by reason" in text
    assert "5 rows read, 5 audited, 0 rejected, 1 field rejected" in text
    explained = explain("1004", EXCEL, EXCEL_STANDARD, EXCEL_AS_OF, fmt="text")
    assert "Rejected field resolved_at: resolved_at 2025-04-14T09:05:00+00:00 is before" in explained


def test_a_reply_before_creation_rejects_the_field_and_resolution_is_still_judged(write):
    data = write(
        "t.csv",
        "ticket_id,created_at,first_reply_at,resolved_at\n"
        "T1,2025-05-01T09:00:00Z,2025-05-01T08:00:00Z,2025-05-01T10:30:00Z\n",
    )
    standard = write(
        "s.yaml",
        ORDER_STANDARD.format(input="")
        + ("  - id: resolution\n    check: response_time\n    metric: resolution\n    target: 1h\n"),
    )
    code, report, _ = audit(data, standard, "2025-05-04T09:00:00Z")
    assert code == 1  # resolution 09:00 -> 10:30 = 1h30m, over 1h
    assert measured(report) == {("resolution", "T1"): 90 * 60}
    assert rule_counts(report)["first-reply"] == (0, 0, 0, 1)
    assert report["inputs"][0]["fields_rejected"] == 1


# -- 8. --as-of earlier than the data -------------------------------------------------------------


def test_tickets_created_after_as_of_are_not_applicable_with_a_warning_in_every_format():
    as_of = "2025-04-10T00:00:00Z"
    code, report, _ = audit(EXCEL, EXCEL_STANDARD, as_of)
    assert code == 1
    # 1003, 1004, 1005 were created after 10 April; 1001 passes both rules, 1002 fails both
    assert rule_counts(report) == {"first-reply": (1, 1, 0, 3), "resolution": (1, 1, 0, 3)}
    assert report["rules"][0]["not_applicable_reasons"] == {"created after --as-of": 3}
    assert measured(report) == {
        ("first-reply", "1002"): 40 * 3600 + 30 * 60,
        ("resolution", "1002"): 66 * 3600 + 20 * 60,
    }
    warning = "3 tickets created after --as-of 2025-04-10T00:00:00+00:00 (not applicable to every rule)"
    assert any(w.startswith(warning) for w in report["warnings"])
    for fmt in FORMATS:
        result = cli("check", EXCEL, "--standard", EXCEL_STANDARD, "--as-of", as_of, "--format", fmt)
        assert result.exit_code == 1
        assert "created after --as-of 2025-04-10T00:00:00+00:00" in result.stdout, fmt


def test_messages_after_as_of_are_ignored_and_counted():
    # At 10:20 the public reply of 10:31:45 has not happened: 20001 waits 20m, 20002 1h20m.
    code, report, _ = audit(
        REAL / "zendesk-ticket-comments.csv", REAL / "zendesk-comments.yaml", "2025-06-02T10:20:00Z"
    )
    assert code == 1
    assert measured(report) == {("first-reply", "20001"): 20 * 60, ("first-reply", "20002"): 80 * 60}
    assert (
        "1 message stamped after --as-of 2025-06-02T10:20:00+00:00 (ignored): is --as-of "
        "right, and are the dates read in the right order?"
    ) in report["warnings"]


def test_shuffled_event_log_gives_the_same_report(tmp_path):
    """The latest state comes from sys_updated_on, so the rows' order does not matter."""
    header, *rows = EVENTS.read_text(encoding="utf-8").splitlines(keepends=True)
    _, baseline, _ = audit(EVENTS, EVENTS_STANDARD, EVENTS_AS_OF)
    for seed in range(3):
        random.Random(seed).shuffle(rows)
        shuffled = tmp_path / f"events-{seed}.csv"
        shuffled.write_text(header + "".join(rows), encoding="utf-8")
        code, report, _ = audit(shuffled, EVENTS_STANDARD, EVENTS_AS_OF)
        assert code == 1
        assert measured(report) == measured(baseline)
        assert rule_counts(report) == rule_counts(baseline)


# -- the report's contract ------------------------------------------------------------------------

SCHEMA_RUNS = [
    (EXCEL, EXCEL_STANDARD, EXCEL_AS_OF),
    (EVENTS, EVENTS_STANDARD, EVENTS_AS_OF),
    *((REAL / fixture, REAL / standard, MESSAGES_AS_OF) for fixture, standard, *_ in (case.values for case in NOTES)),
]


def test_reports_on_real_exports_validate_and_the_schema_describes_the_new_keys():
    import jsonschema

    result = cli("schema", "report")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    item = schema["properties"]["inputs"]["items"]
    for key in ("rows_folded", "fields_rejected", "internal_notes", "date_orders"):
        assert key in item["required"] and item["properties"][key]["description"]
    assert "row_kept" in schema["properties"]["rejected"]["items"]["required"]
    for path, standard, as_of in SCHEMA_RUNS:
        _, report, _ = audit(path, standard, as_of)
        jsonschema.validate(report, schema)


def test_a_ticket_known_only_from_messages_after_as_of_was_created_after_it():
    code, report, _ = audit(
        REAL / "zendesk-ticket-comments.csv", REAL / "zendesk-comments.yaml", "2025-06-01T00:00:00Z"
    )
    assert code == 2  # nothing judged: both tickets begin on 2 June
    assert rule_counts(report)["first-reply"] == (0, 0, 0, 2)
    assert report["rules"][0]["not_applicable_reasons"] == {"created after --as-of": 2}
    assert any(w.startswith("2 tickets created after --as-of") for w in report["warnings"])


def test_merged_shards_carry_the_same_accounts_and_warnings_as_one_run(tmp_path):
    """Rows folded, fields rejected, internal notes and tickets after --as-of are warned about
    in the merge of partial results as in one run over the same rows."""
    as_of = "2025-04-10T00:00:00Z"
    header, *rows = EXCEL.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    shards = []
    for index, part in enumerate((rows[:3], rows[3:])):
        shard = tmp_path / f"shard-{index}.csv"
        shard.write_text(header + "".join(part), encoding="utf-8")
        partial = tmp_path / f"shard-{index}.json"
        result = cli("check", shard, "--standard", EXCEL_STANDARD, "--as-of", as_of, "--partial", partial)
        assert result.exit_code == 0, result.output
        shards.append(partial)
    merged = cli("merge", *shards, "--standard", EXCEL_STANDARD, "--format", "json")
    assert merged.exit_code == 1
    merged_report = json.loads(merged.stdout)
    _, whole, _ = audit(EXCEL, EXCEL_STANDARD, as_of)
    assert merged_report["warnings"] == whole["warnings"]
    assert rule_counts(merged_report) == rule_counts(whole)
    assert measured(merged_report) == measured(whole)
    assert sum(i["fields_rejected"] for i in merged_report["inputs"]) == 1
