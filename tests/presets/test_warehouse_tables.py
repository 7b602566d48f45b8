"""Several tables, one audit: warehouse syncs of Zendesk, Jira and Intercom joined through their
lookup tables, audited through the CLI.

The fixtures under fixtures/warehouse/ are shaped like fivetran's synced tables (the dbt_zendesk,
dbt_jira and dbt_intercom seeds' columns). Every measured time is checked to the second against the
hand calculation beside it; the bad-input cases check the message, the place and the exit code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from svcaudit.intake.lookups import LOOKUP_KEY, LookupTable
from tests.presets import examples
from tests.presets.examples import invoke

WAREHOUSE = Path(__file__).parent / "fixtures" / "warehouse"
AS_OF = "2026-11-23T12:00:00Z"
EXAMPLES = {
    "zendesk": ("zendesk.yaml", "ticket.csv", "ticket_comment.csv", "user.csv", "ticket_field_history.csv"),
    "jira": ("jira.yaml", "issue.csv", "issue_field_history.csv", "comment.csv", "status.csv", "priority.csv"),
    "intercom": ("intercom.yaml", "conversation_history.csv", "conversation_part_history.csv", "admin.csv"),
}

# (example, ticket, rule, status, measured seconds: the hand calculation)
MEASURED = [
    # Zendesk: the requester's comment 09:00:00 opens; agent 7001's note at 09:10 is internal;
    # its public reply at 09:25:30 is the first reply. History: solved 11:40:15.
    ("zendesk", "101", "first-reply", "passed", 25 * 60 + 30),  # 09:00:00 → 09:25:30
    ("zendesk", "101", "resolution", "passed", 2 * 3600 + 40 * 60 + 15),  # → 11:40:15
    # 7002's role is admin in the user table: an agent. 14:00:00 → 16:12:09.
    ("zendesk", "102", "first-reply", "failed", 2 * 3600 + 12 * 60 + 9),
    ("zendesk", "102", "resolution", "failed", 19 * 3600 + 30 * 60),  # 11-03 14:00 → 11-04 09:30
    # 103's second comment is by user 9999, whom the user table lacks: who wrote it is unknown.
    ("zendesk", "103", "first-reply", None, None),
    ("zendesk", "103", "resolution", "failed", 18 * 86400 + 2 * 3600),  # 11-05 10:00 → as of 11-23 12:00
    # Jira: status ids through the status table (10000 To Do, 3 In Progress, 10001 Done).
    ("jira", "10042", "resolution", "passed", 8 * 3600 + 12 * 60 + 45),  # 09:00:00 → 17:12:45
    ("jira", "10042", "urgent-resolution", None, None),  # priority 2 High: not urgent
    ("jira", "10043", "resolution", "failed", 50 * 3600 + 30 * 60 + 30),  # 11-03 10:00 → 11-05 12:30:30
    ("jira", "10043", "urgent-resolution", "failed", 50 * 3600 + 30 * 60 + 30),  # priority 1 Highest
    ("jira", "10043", "resolved-first-time", "failed", None),  # Done → 4 Reopened → Done
    # Comments: the issue's reporter is the customer, any other author an agent. 10042's first
    # comment (09:10) is internal (is_public false); the agent's public one at 09:47:13 replies.
    ("jira", "10042", "first-reply", "passed", 47 * 60 + 13),  # created 09:00:00 → 09:47:13
    ("jira", "10042", "next-reply", "passed", 25 * 60),  # reporter 10:05:00 → agent 10:30:00
    ("jira", "10043", "first-reply", "failed", 3600 + 2 * 60 + 30),  # 10:00:00 → 11:02:30
    # 10044 has no comment at all: no reply yet at --as-of, 11-06 08:00 → 11-23 12:00.
    ("jira", "10044", "first-reply", "failed", 17 * 86400 + 4 * 3600),
    # Intercom: conversation_history's rows are updates (one out of order); parts are messages.
    ("intercom", "5001", "first-reply", "passed", 13 * 60 + 12),  # 09:00:00 → admin 09:13:12
    ("intercom", "5001", "resolution", "passed", 3600 + 45 * 60),  # → closed 10:45:00
    # The bot's 14:30:05 comment is no reply, the admin's 14:40 note is internal.
    ("intercom", "5002", "first-reply", "failed", 3600 + 2 * 60 + 3),  # 14:30:00 → 15:32:03
    ("intercom", "5002", "resolution", "failed", 19 * 3600 + 30 * 60),  # → closed 11-04 10:00
    # Snoozed 15:32:03 → open 11-04 09:00:00 (17h27m57s) left out.
    ("intercom", "5002", "resolution-excluding-snoozed", "passed", 19 * 3600 + 30 * 60 - (17 * 3600 + 27 * 60 + 57)),
]


def example_args(name: str) -> tuple[list[Path], Path]:
    return examples.example_args(WAREHOUSE / name, EXAMPLES[name])


def check_json(name: str) -> dict:
    return examples.check_json(WAREHOUSE / name, EXAMPLES[name], AS_OF)


@pytest.mark.parametrize("example, ticket, rule, status, seconds", MEASURED)
def test_measured_times_match_the_hand_calculation(example, ticket, rule, status, seconds):
    verdict = examples.explained_rule(WAREHOUSE / example, EXAMPLES[example], ticket, rule, AS_OF)
    assert verdict["status"] == status
    assert verdict["measured_seconds"] == seconds


# (example, ticket, field: the value the lookup gave)
JOINED = [
    ("zendesk", "101", "agent", "Boris Agent"),  # assignee_id 7001 in the user table
    ("zendesk", "101", "customer_name", "Anna Petrova"),  # requester_id 9001
    ("zendesk", "102", "agent", "Vera Admin"),
    ("jira", "10043", "priority", "urgent"),  # priority id 1 → Highest → urgent
    ("intercom", "5002", "agent", "Emil Support"),  # assignee_id 4077640 in the admin table
]


@pytest.mark.parametrize("example, ticket, field, value", JOINED)
def test_ids_read_as_the_lookup_tables_names(example, ticket, field, value):
    files, standard = example_args(example)
    result = invoke("explain", ticket, *files, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["fields"][field] == value


# (example, {file: (shape, rows read, rows rejected, fields rejected)}, tickets)
ACCOUNTS = [
    (
        "zendesk",
        {
            "ticket.csv": ("tickets", 3, 0, 1),
            "ticket_comment.csv": ("messages", 8, 0, 1),
            "user.csv": ("lookup", 5, 0, 0),
            "ticket_field_history.csv": ("history", 8, 0, 0),
        },
        3,
    ),
    (
        "jira",
        {
            "issue.csv": ("tickets", 3, 0, 1),
            "issue_field_history.csv": ("history", 12, 1, 1),
            "comment.csv": ("messages", 6, 0, 0),
            "status.csv": ("lookup", 7, 0, 0),
            "priority.csv": ("lookup", 5, 0, 0),
        },
        3,
    ),
    (
        "intercom",
        {
            "conversation_history.csv": ("tickets", 7, 0, 0),
            "conversation_part_history.csv": ("messages", 9, 0, 0),
            "admin.csv": ("lookup", 2, 0, 0),
        },
        2,
    ),
]


@pytest.mark.parametrize("example, inputs, tickets", ACCOUNTS)
def test_every_row_of_every_table_is_accounted_for(example, inputs, tickets):
    report = check_json(example)
    found = {
        Path(i["path"]).name: (i["shape"], i["rows_read"], i["rows_rejected"], i["fields_rejected"])
        for i in report["inputs"]
    }
    assert found == inputs
    assert report["summary"]["tickets"] == tickets


# (example, file, row, field, error): a key with no match is a rejected field, the row stays.
REJECTED = [
    (
        "zendesk",
        "ticket.csv",
        4,
        "agent",
        "agent (column assignee_id) '7404' matches no row of lookup table user ({dir}/user.csv); agent left empty",
        True,
    ),
    (
        "zendesk",
        "ticket_comment.csv",
        9,
        "author",
        "author (column user_id) '9999' matches no row of lookup table user ({dir}/user.csv); author_role, "
        "author left empty",
        True,
    ),
    (
        "jira",
        "issue.csv",
        4,
        "status",
        "status '10002' matches no row of lookup table status ({dir}/status.csv); status left empty",
        True,
    ),
    (
        "jira",
        "issue_field_history.csv",
        12,
        "status",
        "status '10002' matches no row of lookup table status ({dir}/status.csv); status left empty",
        True,
    ),
    (
        "jira",
        "issue_field_history.csv",
        13,
        "issue_id",
        "history row for unknown ticket: no ticket row has the id '10099'",
        False,
    ),
]


@pytest.mark.parametrize("example", sorted({r[0] for r in REJECTED}))
def test_unmatched_keys_are_rejected_fields_naming_file_row_and_table(example):
    report = check_json(example)
    folder = WAREHOUSE / example
    expected = [
        {"path": str(folder / name), "row": row, "field": field, "error": error.format(dir=folder), "row_kept": kept}
        for ex, name, row, field, error, kept in REJECTED
        if ex == example
    ]
    assert report["rejected"] == expected


def copy_example(name: str, tmp_path: Path) -> tuple[list[Path], Path]:
    files, standard = example_args(name)
    for path in [*files, standard]:
        shutil.copy(path, tmp_path / path.name)
    return [tmp_path / f.name for f in files], tmp_path / standard.name


def test_a_repeated_lookup_key_rejects_the_later_row_naming_the_key(tmp_path):
    files, standard = copy_example("zendesk", tmp_path)
    users = tmp_path / "user.csv"
    users.write_text(
        users.read_text() + "7001,2026-11-08 02:10:11.216,TRUE,2025-01-10 08:00:00,"
        "x@example.com,en-US,Someone Else,,end-user,FALSE,UTC,2026-11-01 08:00:00\n"
    )
    result = invoke("check", *files, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert {
        "path": str(users),
        "row": 7,
        "field": "id",
        "row_kept": False,
        "error": "key '7001' repeats in lookup table user (first at row 2); the first row is used",
    } in report["rejected"]
    explained = invoke("explain", "101", *files, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert explained.exit_code == 0, explained.output
    assert json.loads(explained.stdout)["fields"]["agent"] == "Boris Agent"


TABLES_TWO_PATTERNS = """\
svcaudit: 1
timezone: UTC
input:
  preset: zendesk-warehouse
  tables:
    - {name: ticket, files: "ticket*.csv"}
    - {name: ticket_comment, files: "ticket_comment*.csv", shape: messages}
rules:
  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}
"""


# (what is wrong, standard text or None for the example's, files to drop, message parts)
BAD_INPUT = [
    (
        "a file matched by two table patterns",
        TABLES_TWO_PATTERNS,
        (),
        [
            "ticket_comment.csv:1",
            "matches the file patterns of several tables: ticket (ticket*.csv), ticket_comment (ticket_comment*.csv)",
        ],
    ),
    ("a file that is no table", None, (), ["notes.csv:1", "matches no table of input.tables by its name or columns"]),
]


@pytest.mark.parametrize("case, standard_text, dropped, parts", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_files_that_are_no_table_or_two_are_input_errors(tmp_path, case, standard_text, dropped, parts):
    files, standard = copy_example("zendesk", tmp_path)
    if standard_text is not None:
        standard.write_text(standard_text)
    else:
        (tmp_path / "notes.csv").write_text("when,what\n2026-11-02,standup\n")
        files.append(tmp_path / "notes.csv")
    result = invoke("check", *files, "-s", standard, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.output


def test_a_lookup_without_its_key_column_is_an_input_error(tmp_path):
    files, standard = copy_example("jira", tmp_path)
    (tmp_path / "status.csv").write_text("status_id,description,name,status_category_id\n1,,Open,2\n")
    result = invoke("check", *files, "-s", standard, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "status.csv:1" in result.output
    assert "table 'status' (lookup, matched by its file name): no column 'id'" in result.output


def test_a_joined_table_given_no_file_is_a_warning(tmp_path):
    files, standard = copy_example("intercom", tmp_path)
    files = [f for f in files if f.name != "admin.csv"]
    result = invoke("check", *files, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 1, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert (
        "table 'conversation_history' joins lookup table 'admin', which was given no file: "
        "agent are not looked up (agent is read as it is)"
    ) in warnings


BAD_STANDARDS = [
    (
        "a join to a table that is not there",
        "    - {name: ticket, joins: [{key: agent, table: agents, fields: {agent: name}}]}",
        "table 'ticket' joins 'agents', which is not among the tables",
    ),
    (
        "a join to a table that is no lookup",
        "    - {name: ticket, joins: [{key: agent, table: ticket_comment, fields: {agent: name}}]}",
        "table 'ticket_comment' is messages, not a lookup",
    ),
    (
        "a join to a field the lookup does not keep",
        "    - {name: ticket, joins: [{key: agent, table: user, fields: {agent: email}}]}",
        "lookup table 'user' keeps no field 'email' (its fields: role, name)",
    ),
]


@pytest.mark.parametrize("case, table, message", BAD_STANDARDS, ids=[c[0] for c in BAD_STANDARDS])
def test_bad_joins_fail_validation_at_their_line(tmp_path, case, table, message):
    standard = tmp_path / "svcaudit.yaml"
    standard.write_text(
        "svcaudit: 1\ninput:\n  preset: zendesk-warehouse\n  tables:\n"
        + table
        + "\nrules:\n  - {id: r, check: response_time, metric: first_reply, target: 1h}\n"
    )
    result = invoke("validate", standard)
    assert result.exit_code == 2, result.output
    assert f"{standard}:5" in result.output
    assert message in result.output


def test_a_lookup_holds_only_the_fields_its_joins_use():
    table = LookupTable("user", ["role", "name"])
    wide = {LOOKUP_KEY: 7001, "role": "agent", "name": "Boris", "signature": "x" * 10_000, "email": "boris@example.com"}
    assert table.add("user.csv", 2, wide) is None
    assert table.get("7001") == {"role": "agent", "name": "Boris"}
    (held,) = table._rows.values()
    assert held == (0, 2, ("agent", "Boris"))


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_files_named_otherwise_are_matched_by_their_columns(tmp_path, example):
    """fivetran's seeds are called `ticket_comment_data.csv`: no table is named so, and each file
    is taken for its table by the columns it has."""
    files, standard = example_args(example)
    renamed = []
    for path in files:
        renamed.append(tmp_path / f"{example}_{path.stem}_data{path.suffix}")
        shutil.copy(path, renamed[-1])
    result = invoke("check", *renamed, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 1, result.output
    original = check_json(example)
    report = json.loads(result.stdout)
    assert [i["shape"] for i in report["inputs"]] == [i["shape"] for i in original["inputs"]]
    assert report["summary"] == original["summary"]


def test_a_table_entry_overrides_the_presets_table_of_its_name(tmp_path):
    """The README's example: one more role read by the preset's user table, keeping its shape."""
    files, standard = copy_example("zendesk", tmp_path)
    users = tmp_path / "user.csv"
    users.write_text(users.read_text().replace(",agent,FALSE", ",light-agent,FALSE", 1))
    result = invoke("explain", "101", *files, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rules"][0]["measured_seconds"] is None  # light-agent: no role
    standard.write_text(
        standard.read_text().replace(
            "  preset: zendesk-warehouse    # ticket, ticket_comment, user, ticket_field_history\n",
            "  preset: zendesk-warehouse\n  tables:\n    - name: user\n      values: {role: {light-agent: agent}}\n",
        )
    )
    result = invoke("explain", "101", *files, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rules"][0]["measured_seconds"] == 25 * 60 + 30
