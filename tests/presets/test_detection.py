"""Preset detection as documented: names compared ignoring case, spaces and punctuation; a partial
signature named; `init --from` on UI exports, warehouse tables and Excel's text .xls files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.presets import PRESETS, detect_preset

FIXTURES = Path(__file__).parent / "fixtures"
BAD = Path(__file__).parents[1] / "intake" / "fixtures" / "bad-input"
AS_OF = "2026-11-23T12:00:00Z"

INTERCOM_UI = ["Conversation ID", "Part ID", "Created at", "Author type", "Author name", "Body", "State"]
INTERCOM_WAREHOUSE = [
    "id",
    "conversation_id",
    "part_type",
    "author_type",
    "author_id",
    "body",
    "created_at",
    "updated_at",
]
FRESHDESK_SNAKE = ["ticket_id", "subject", "created_time", "resolved_time", "agent", "source", "status"]
ZENDESK_NO_ASSIGNEE = ["Id", "Requester", "Group", "Status", "Created at", "Solved at"]
CANONICAL_TICKETS = ["ticket_id", "created_at", "first_reply_at", "resolved_at", "status", "agent"]

# (columns, preset or None, columns matched, columns expected, missing signature columns)
DETECTED = [
    pytest.param(INTERCOM_UI, "intercom", 3, 3, [], id="intercom-ui"),
    pytest.param(INTERCOM_WAREHOUSE, "intercom", 3, 3, [], id="intercom-warehouse"),
    pytest.param(["CONVERSATION-ID", "AuthorType", " body "], "intercom", 3, 3, [], id="any-spelling"),
    pytest.param(FRESHDESK_SNAKE, "freshdesk", 5, 5, [], id="freshdesk-snake-case"),
    pytest.param(ZENDESK_NO_ASSIGNEE, "zendesk", 4, 5, ["Assignee"], id="zendesk-partial"),
    pytest.param(["issue_key", "issue_id", "summary", "created", "reporter"], "jira", 5, 5, [], id="jira-warehouse"),
    pytest.param(["Id", "Created at", "Status"], None, 0, 0, [], id="three-of-five-is-no-match"),
    pytest.param(CANONICAL_TICKETS, None, 0, 0, [], id="canonical-columns"),
    pytest.param([], None, 0, 0, [], id="no-columns"),
]


@pytest.mark.parametrize("columns, preset, matched, expected, missing", DETECTED)
def test_detect_preset(columns, preset, matched, expected, missing):
    match = detect_preset(columns)
    if preset is None:
        assert match is None
        return
    assert match is not None and match.preset.name == preset
    found = (match.columns_matched, match.columns_expected, list(match.missing))
    assert found == (matched, expected, missing)
    assert match.to_dict() == {
        "name": preset,
        "columns_matched": matched,
        "columns_expected": expected,
        "missing_columns": missing,
    }
    assert match.summary() == f"read as preset {preset}: {matched} of {expected} columns"


def test_a_partial_signature_names_what_will_not_be_measured():
    match = detect_preset(ZENDESK_NO_ASSIGNEE)
    assert match.unmeasured() == ("missing 'Assignee' (agent); rules and figures that need agent will not be measured")
    assert detect_preset(INTERCOM_UI).unmeasured() is None


@pytest.mark.parametrize(
    "export, canonical",
    [
        ("first_response_time_in_hrs", "freshdesk_first_response_hours"),
        ("FIRST RESPONSE TIME (IN HRS)", "freshdesk_first_response_hours"),
        ("conversation_id", "ticket_id"),
        ("Created time", "created_at"),
        ("unrelated", "unrelated"),
    ],
)
def test_mapped_columns_are_found_in_any_spelling(export, canonical):
    preset = PRESETS["freshdesk" if canonical != "ticket_id" else "intercom"]
    mapping = ColumnMapping(preset.columns)
    assert mapping.canonical_names([export]) == {export: canonical}


def test_a_field_found_under_its_own_spelling_keeps_it():
    # "Ticket ID" is the preset's spelling; "ticketid" is only alike, so it keeps its own name.
    mapping = ColumnMapping(PRESETS["freshdesk"].columns)
    assert mapping.canonical_names(["Ticket ID", "ticketid"]) == {"Ticket ID": "ticket_id", "ticketid": "ticketid"}


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_init_from_a_warehouse_table_picks_the_preset(tmp_path):
    export = tmp_path / "conversation_parts.csv"
    export.write_text(
        ",".join(INTERCOM_WAREHOUSE) + "\n"
        "1,c1,comment,user,u1,Hello there,2026-11-02T09:00:00Z,2026-11-02T09:00:00Z\n"
        "2,c1,comment,admin,a1,Hi! How can I help?,2026-11-02T09:30:00Z,2026-11-02T09:30:00Z\n"
    )
    target = tmp_path / "svcaudit.yaml"
    result = invoke("init", "--from", export, "--output", target)
    assert result.exit_code == 0, result.output
    assert "input.preset intercom" in result.stderr and "preset: intercom" in target.read_text()
    check = invoke("check", export, "-s", target, "--as-of", AS_OF, "-f", "json")
    assert check.exit_code == 0, check.output
    assert '"rows_rejected": 0' in check.stdout


def test_init_from_a_partial_signature_warns(tmp_path):
    export = tmp_path / "tickets.csv"
    export.write_text(
        ",".join(ZENDESK_NO_ASSIGNEE) + "\n7,Anna,Support,Solved,2026-11-02 09:00:00,2026-11-02 10:00:00\n"
    )
    target = tmp_path / "svcaudit.yaml"
    result = invoke("init", "--from", export, "--output", target)
    assert result.exit_code == 0, result.output
    assert (
        "warning: " + str(export) + " has 4 of the 5 columns of preset zendesk: missing 'Assignee' (agent)"
    ) in result.stderr
    assert "# Its columns: 4 of 5; missing 'Assignee' (agent)" in target.read_text()


@pytest.mark.parametrize(
    "name, what",
    [
        ("spreadsheetml.xls", "an Excel XML spreadsheet (SpreadsheetML .xls)"),
        ("web-page.xls", "an HTML page (an Excel .xls saved as a web page?)"),
        ("workbook.csv", "a ZIP archive (an Excel .xlsx workbook?)"),
    ],
)
def test_init_from_a_spreadsheet_says_save_as_csv(tmp_path, name, what):
    result = invoke("init", "--from", BAD / name, "--output", tmp_path / "s.yaml")
    assert result.exit_code == 2
    assert f"{name}: is {what}, not a CSV or JSON export; save the sheet as CSV" in result.stderr
    assert not (tmp_path / "s.yaml").exists()
