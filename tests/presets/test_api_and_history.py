"""JSON as APIs answer it and status histories as events, audited through the CLI.

The fixtures under fixtures/api/ are shaped like the real answers and tables: Zendesk's Tickets API
envelope and fivetran's ticket_field_history seed, Freshdesk's API v2 tickets with `stats` and
`requester`, fivetran's Jira issue and issue_field_history seeds, a ServiceNow update log, and
Intercom conversations with their parts. Every measured time below is checked to the second against
the hand calculation written beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from svcaudit.initfrom import export_columns
from svcaudit.intake.presets import PRESETS, detect_preset
from svcaudit.standard.schema import standard_schema
from tests.presets import examples
from tests.presets.examples import invoke

API = Path(__file__).parent / "fixtures" / "api"
AS_OF = "2026-11-23T12:00:00Z"
EXAMPLES = {
    "zendesk": ("zendesk.yaml", "zendesk_tickets.json", "zendesk_ticket_field_history.csv"),
    "freshdesk": ("freshdesk.yaml", "freshdesk_tickets.json"),
    "jira": ("jira.yaml", "jira_issue.csv", "jira_issue_field_history.csv"),
    "servicenow": ("servicenow.yaml", "servicenow_incident_log.csv"),
    "intercom": ("intercom.yaml", "intercom_conversations.json"),
}

# (example, ticket, rule, status, measured seconds: the hand calculation)
MEASURED = [
    # Zendesk: created 09:14:05, history: pending 10:00:00 → open 13:30:00 → solved 15:45:30.
    ("zendesk", "35436", "resolution", "passed", 6 * 3600 + 31 * 60 + 25),  # 09:14:05 → 15:45:30
    (
        "zendesk",
        "35436",
        "resolution-excluding-pending",
        "passed",
        6 * 3600 + 31 * 60 + 25 - 3 * 3600 - 30 * 60,
    ),  # less 3h30m pending
    ("zendesk", "35436", "resolved-first-time", "passed", None),
    # Solved 11-03 12:00, reopened 11-04 09:00, solved again 11-04 10:30:10: the last entry counts.
    ("zendesk", "35437", "resolution", "failed", 26 * 3600 + 30 * 60 + 10),  # 11-03 08:00 → 11-04 10:30:10
    ("zendesk", "35437", "resolved-first-time", "failed", None),
    # Freshdesk: stats.first_responded_at and stats.resolved_at.
    ("freshdesk", "812", "first-reply", "passed", 37 * 60 + 12),  # 09:00:00 → 09:37:12
    ("freshdesk", "812", "resolution", "passed", 5 * 3600 + 5 * 60 + 47),  # 09:00:00 → 14:05:47
    ("freshdesk", "813", "first-reply", "failed", 8 * 3600 + 46 * 60 + 33),  # 11-03 22:15:30 → 11-04 07:02:03
    ("freshdesk", "813", "resolution", "failed", 35 * 3600 + 44 * 60 + 30),  # → 11-05 10:00:00
    # Jira: issue_field_history status ids 10000 → 3 → 10001 (done).
    ("jira", "10042", "resolution", "passed", 8 * 3600 + 12 * 60 + 45),  # 09:00:00 → 17:12:45
    ("jira", "10043", "resolution", "failed", 50 * 3600 + 30 * 60 + 30),  # 11-03 10:00 → 11-05 12:30:30
    ("jira", "10043", "resolved-first-time", "failed", None),
    # ServiceNow: one row per update; on hold 10:00 → 12:30, resolved 16:45:15, closed later.
    ("servicenow", "INC0010001", "resolution", "passed", 7 * 3600 + 45 * 60 + 15),  # 09:00 → 16:45:15
    (
        "servicenow",
        "INC0010001",
        "resolution-excluding-on-hold",
        "passed",
        7 * 3600 + 45 * 60 + 15 - 2 * 3600 - 30 * 60,
    ),
    ("servicenow", "INC0010002", "resolution", "failed", 21 * 3600 + 15 * 60 + 45),  # 11-03 14:00 → 11-04 11:15:45
    ("servicenow", "INC0010002", "resolved-first-time", "failed", None),
    # Intercom: created_at is epoch seconds; the bot's part is not a reply.
    ("intercom", "1911149811", "first-reply", "passed", 13 * 60 + 12),  # 09:00:00 → 09:13:12
    ("intercom", "1911149811", "uses-name", "passed", None),
    ("intercom", "1911149812", "first-reply", "failed", 3600 + 2 * 60 + 3),  # 14:30:00 → 15:32:03
]


def example_args(name: str) -> tuple[list[Path], Path]:
    return examples.example_args(API, EXAMPLES[name])


def check_json(name: str) -> dict:
    return examples.check_json(API, EXAMPLES[name], AS_OF)


@pytest.mark.parametrize("example, ticket, rule, status, seconds", MEASURED)
def test_measured_times_match_the_hand_calculation(example, ticket, rule, status, seconds):
    verdict = examples.explained_rule(API, EXAMPLES[example], ticket, rule, AS_OF)
    assert verdict["status"] == status
    if seconds is not None:
        assert verdict["measured_seconds"] == seconds


# (example, {input file: (shape, rows read, rows rejected)}, tickets, warnings that must show)
ACCOUNTS = [
    (
        "zendesk",
        {"zendesk_tickets.json": ("tickets", 3, 0), "zendesk_ticket_field_history.csv": ("history", 17, 0)},
        3,
        (),
    ),
    ("freshdesk", {"freshdesk_tickets.json": ("tickets", 3, 0)}, 3, ()),
    (
        "jira",
        {"jira_issue.csv": ("tickets", 2, 0), "jira_issue_field_history.csv": ("history", 11, 1)},
        2,
        ("1 of 13 input rows were rejected",),
    ),
    ("servicenow", {"servicenow_incident_log.csv": ("tickets", 11, 0)}, 2, ("9 rows folded into 2 tickets",)),
    ("intercom", {"intercom_conversations.json": ("messages", 2, 0)}, 2, ()),
]


@pytest.mark.parametrize("example, inputs, tickets, warnings", ACCOUNTS)
def test_every_row_is_accounted_for(example, inputs, tickets, warnings):
    report = check_json(example)
    found = {Path(i["path"]).name: (i["shape"], i["rows_read"], i["rows_rejected"]) for i in report["inputs"]}
    assert found == inputs
    assert report["summary"]["tickets"] == tickets
    for warning in warnings:
        assert any(warning in w for w in report["warnings"]), report["warnings"]


def test_a_history_row_of_an_unknown_ticket_is_rejected_when_tickets_are_given():
    report = check_json("jira")
    assert report["rejected"] == [
        {
            "path": str(API / "jira_issue_field_history.csv"),
            "row": 12,
            "field": "issue_id",
            "error": "history row for unknown ticket: no ticket row has the id '10099'",
            "row_kept": False,
        }
    ]


def test_a_history_alone_makes_tickets_from_its_events(tmp_path):
    """Without a ticket table, each ticket of the history is audited: created at its first event,
    its fields at their latest values (priority normal → high)."""
    files, standard = example_args("zendesk")
    result = invoke("explain", "35436", files[1], "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    explained = json.loads(result.stdout)
    rules = {r["id"]: r for r in explained["rules"]}
    assert rules["resolution"]["measured_seconds"] == 6 * 3600 + 31 * 60 + 25
    assert explained["fields"]["priority"] == "high"
    report = invoke("check", files[1], "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert report.exit_code == 1, report.output
    assert json.loads(report.stdout)["summary"]["tickets"] == 3


def test_the_status_events_show_in_explain():
    files, standard = example_args("servicenow")
    result = invoke("explain", "INC0010002", *files, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    statuses = [m.get("status") for m in json.loads(result.stdout)["messages"]]
    assert statuses == ["new", "open", "resolved", "open", "resolved"]


# -- bad input: a clear message naming file, row and field; nothing dropped silently ----------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def standard_file(tmp_path: Path, input_yaml: str, rules: str | None = None) -> Path:
    rules = rules or "  - {id: resolution, check: response_time, metric: resolution, target: 8h}\n"
    return write(tmp_path, "s.yaml", f"svcaudit: 1\ntimezone: UTC\ninput:\n{input_yaml}rules:\n{rules}")


TICKET = {
    "id": 7,
    "created_at": "2026-11-02T09:00:00Z",
    "status": 4,
    "stats": {"first_responded_at": "2026-11-02T09:10:00Z", "resolved_at": "2026-11-02T10:00:00Z"},
    "attachments": [{"id": 1, "name": "screenshot.png"}],
}


@pytest.mark.parametrize(
    "document, input_yaml, tickets",
    [
        # A single object is one row, though it holds an array of objects (an API's answer for one ticket).
        (TICKET, "  preset: freshdesk-api\n", ["7"]),
        # Zendesk's answer for one ticket wraps it: {"ticket": {...}}.
        ({"ticket": {**TICKET, "id": 8}}, "  preset: freshdesk-api\n", ["8"]),
        # A sideloaded answer holds two arrays: input.records names the rows'.
        (
            {"tickets": [TICKET], "users": [{"id": 1, "name": "Anna"}]},
            "  preset: freshdesk-api\n  records: tickets\n",
            ["7"],
        ),
        # A preset's records path is taken where the document has it.
        ({"tickets": [{**TICKET, "via": {"channel": "web"}}], "users": [{"id": 1}]}, "  preset: zendesk-api\n", ["7"]),
        # Nested deeper: a dotted path.
        (
            {"data": {"page": {"items": [TICKET]}}, "meta": {"count": 1}},
            "  preset: freshdesk-api\n  records: data.page.items\n",
            ["7"],
        ),
    ],
)
def test_json_documents_as_apis_answer(tmp_path, document, input_yaml, tickets):
    export = write(tmp_path, "t.json", json.dumps(document))
    result = invoke("check", export, "-s", standard_file(tmp_path, input_yaml), "--as-of", AS_OF, "-f", "json")
    assert result.exit_code in (0, 1), result.output  # judged, whether within the target or not
    report = json.loads(result.stdout)
    assert report["summary"]["tickets"] == len(tickets) and report["rejected"] == []
    for ticket in tickets:
        explained = invoke("explain", ticket, export, "-s", standard_file(tmp_path, input_yaml), "--as-of", AS_OF)
        assert explained.exit_code == 0, explained.output


@pytest.mark.parametrize(
    "document, input_yaml, message",
    [
        (
            {"tickets": [TICKET], "users": [{"id": 1}]},
            "  preset: freshdesk-api\n",
            (
                "t.json:1: a JSON object holding several arrays ('tickets', 'users'); name the one that holds "
                "the rows with input.records (`records: tickets`"
            ),
        ),
        (
            {"results": [TICKET]},
            "  records: tickets\n",
            "t.json:1: input.records 'tickets' is not in the document (its top level: 'results')",
        ),
        (
            {"tickets": "none"},
            "  records: tickets\n",
            "t.json:1: input.records 'tickets' leads to a string, not an array of objects",
        ),
    ],
)
def test_json_documents_that_cannot_be_rows(tmp_path, document, input_yaml, message):
    export = write(tmp_path, "t.json", json.dumps(document))
    result = invoke("check", export, "-s", standard_file(tmp_path, input_yaml), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_dotted_path_absent_in_a_row_is_empty_and_absent_in_every_row_is_a_warning(tmp_path):
    rows = [{**TICKET, "id": 1, "requester": {"name": "Anna Petrova"}}, {**TICKET, "id": 2}]
    export = write(tmp_path, "t.json", json.dumps(rows))
    standard = standard_file(tmp_path, "  preset: freshdesk-api\n  columns: {team: group.nmae}\n")
    result = invoke("check", export, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rejected"] == [] and report["inputs"][0]["rows_rejected"] == 0
    assert any("no row has 'group.nmae' (input.columns.team)" in w and str(export) in w for w in report["warnings"]), (
        report["warnings"]
    )
    # requester.name is in one row: no warning; the other row's customer_name is empty.
    assert not any("requester.name" in w for w in report["warnings"])
    explained = invoke("explain", "2", export, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert explained.exit_code == 0 and "customer_name" not in json.loads(explained.stdout)["fields"]
    named = invoke("explain", "1", export, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert named.exit_code == 0 and json.loads(named.stdout)["fields"]["customer_name"] == "Anna Petrova"


HISTORY_HEADER = "field_name,ticket_id,updated,value\n"


@pytest.mark.parametrize(
    "history, rejected",
    [
        (
            HISTORY_HEADER + "status,1,2026-11-02 09:00:00,new\nstatus,1,,solved\n",
            [(3, "updated", "updated is empty: the change has no time")],
        ),
        (HISTORY_HEADER + "status,1,2026-11-02 09:00:00,new\nstatus,1,yesterday-ish,solved\n", [(3, "updated", None)]),
        (
            HISTORY_HEADER + "status,1,2026-11-02 09:00:00,new\nstatus,1,2026-11-02 10:00:00,\n",
            [(3, "value", "the status change has no value")],
        ),
        (HISTORY_HEADER + "status,,2026-11-02 09:00:00,new\n", [(2, "ticket_id", "ticket_id is empty")]),
        # With a ticket table: another field's row of an unknown ticket is rejected too.
        (
            HISTORY_HEADER + "status,1,2026-11-02 09:00:00,new\npriority,2,2026-11-02 09:00:00,high\n",
            [(3, "ticket_id", "history row for unknown ticket: no ticket row has the id '2'")],
        ),
    ],
)
def test_bad_history_rows_are_rejected_with_file_row_and_field(tmp_path, history, rejected):
    tickets = write(
        tmp_path, "tickets.json", json.dumps({"tickets": [{"id": 1, "created_at": "2026-11-02T09:00:00Z"}]})
    )
    table = write(tmp_path, "history.csv", history)
    standard = standard_file(tmp_path, "  preset: zendesk-api\n")
    result = invoke("check", tickets, table, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.stderr, result.output
    report = json.loads(result.stdout)
    found = [(r["row"], r["field"], r["error"]) for r in report["rejected"]]
    assert [(row, field) for row, field, _ in found] == [(row, field) for row, field, _ in rejected]
    for (_, _, error), (_, _, expected) in zip(found, rejected, strict=True):
        assert expected is None or error == expected
    assert all(r["path"] == str(table) for r in report["rejected"])


def test_history_rows_need_duplicates_last(tmp_path):
    standard = standard_file(tmp_path, "  history: rows\n  duplicates: reject\n")
    result = invoke("validate", standard)
    assert result.exit_code == 2
    assert "s.yaml:5:" in result.stderr and "needs input.duplicates: last" in result.stderr


def test_an_update_without_updated_at_keeps_its_row_but_not_its_event(tmp_path):
    log = write(
        tmp_path,
        "log.csv",
        "ticket_id,created_at,updated_at,status\n"
        "1,2026-11-02 09:00:00,2026-11-02 09:00:00,new\n"
        "1,2026-11-02 09:00:00,,open\n"
        "1,2026-11-02 09:00:00,2026-11-02 11:00:00,solved\n",
    )
    result = invoke("check", log, "-s", standard_file(tmp_path, "  history: rows\n"), "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(r["row"], r["field"], r["row_kept"]) for r in report["rejected"]] == [(3, "updated_at", True)]
    assert report["inputs"][0]["rows_read"] == 3 and report["inputs"][0]["rows_rejected"] == 0


NESTED = (
    "  columns: {ticket_id: conversation.id, created_at: conversation.opened}\n"
    "  messages: {path: utterances, role: speaker, text: text, time: timestamp}\n"
    "  values: {author_role: {visitor: customer, operator: agent}}\n"
)
FIRST_REPLY = "  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}\n"


def test_a_nested_transcript_declared_in_yaml(tmp_path):
    chats = [
        {
            "conversation": {"id": "c1", "opened": "2026-11-02T09:00:00Z"},
            "utterances": [
                {"speaker": "visitor", "text": "Hello?", "timestamp": "2026-11-02T09:00:00Z"},
                {"speaker": "operator", "text": "Hi! How can I help?", "timestamp": "2026-11-02T09:04:07Z"},
            ],
        }
    ]
    export = write(tmp_path, "chats.json", json.dumps(chats))
    standard = standard_file(tmp_path, NESTED, FIRST_REPLY)
    result = invoke("explain", "c1", export, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rules"][0]["measured_seconds"] == 4 * 60 + 7


def test_a_nested_path_absent_everywhere_warns_and_a_bad_message_names_its_path(tmp_path):
    chats = {
        "conversation": {"id": "c1", "opened": "2026-11-02T09:00:00Z"},
        "utterances": [
            {"speaker": "visitor", "text": "Hello?", "timestamp": "2026-11-02T09:00:00Z"},
            {"text": "Hi!", "timestamp": "2026-11-02T09:04:07Z"},
        ],
    }
    export = write(tmp_path, "chat.json", json.dumps(chats))  # one conversation object: one row
    standard = standard_file(tmp_path, NESTED.replace("opened}", "opened, team: conversation.queue}"), FIRST_REPLY)
    result = invoke("check", export, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 2  # the only conversation is rejected: nothing judged
    report = json.loads(result.stdout)
    assert [(r["row"], r["field"], r["error"]) for r in report["rejected"]] == [
        (1, "utterances[1].speaker", "author_role is empty")
    ]


def test_a_declared_path_no_conversation_has_is_a_warning(tmp_path):
    chats = [
        {
            "conversation": {"id": "c1", "opened": "2026-11-02T09:00:00Z"},
            "utterances": [{"speaker": "visitor", "text": "Hello?", "timestamp": "2026-11-02T09:00:00Z"}],
        }
    ]
    export = write(tmp_path, "chats.json", json.dumps(chats))
    standard = standard_file(tmp_path, NESTED.replace("opened}", "opened, team: conversation.queue}"), FIRST_REPLY)
    result = invoke("check", export, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code in (0, 1, 2), result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert any("no row has 'conversation.queue' (input.columns.team)" in w for w in warnings), warnings


def test_abcd_is_a_messages_declaration():
    preset = PRESETS["abcd"]
    assert preset.messages is not None and preset.messages.path == "original"
    assert (preset.messages.role, preset.messages.text, preset.messages.time) == ("0", "1", None)
    assert preset.columns["customer_name"] == "scenario.personal.customer_name"


# -- presets: listed, in the schema, recognised ------------------------------------------------


def test_presets_command_lists_every_preset_with_what_it_reads():
    result = invoke("presets")
    assert result.exit_code == 0, result.output
    listed = [line.split("\t")[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert listed == list(PRESETS)
    assert "history table: ticket_id, field_name, value, updated" in result.stdout
    assert "first_reply_at <- stats.first_responded_at" in result.stdout
    assert "JSON rows: the array 'tickets'" in result.stdout


def test_the_schema_names_every_preset():
    assert standard_schema()["$defs"]["input"]["properties"]["preset"]["enum"] == list(PRESETS)


@pytest.mark.parametrize(
    "name, preset",
    [
        ("zendesk_tickets.json", "zendesk-api"),
        ("zendesk_ticket_field_history.csv", "zendesk-api"),
        ("freshdesk_tickets.json", "freshdesk-api"),
        ("jira_issue.csv", "jira-history"),
        ("jira_issue_field_history.csv", "jira-history"),
    ],
)
def test_api_exports_and_history_tables_are_recognised(name, preset):
    match = detect_preset(export_columns(API / name))
    assert match is not None and match.preset.name == preset and not match.missing


def test_a_history_in_any_row_order_gives_the_same_measures(tmp_path):
    """Rows not grouped by ticket take the in-memory join instead of the streamed one."""
    files, standard = example_args("zendesk")
    header, *rows = files[1].read_text(encoding="utf-8").splitlines()
    shuffled = write(tmp_path, "history.csv", "\n".join([header, *reversed(rows)]) + "\n")
    for ticket, seconds in (("35436", 23485), ("35437", 95410)):
        result = invoke("explain", ticket, files[0], shuffled, "-s", standard, "--as-of", AS_OF, "-f", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["rules"][0]["measured_seconds"] == seconds


def test_a_ticket_known_only_from_other_fields_of_the_history_is_still_audited(tmp_path):
    table = write(
        tmp_path,
        "history.csv",
        HISTORY_HEADER + "status,1,2026-11-02 09:00:00,new\n"
        "status,1,2026-11-02 10:00:00,solved\n"
        "priority,2,2026-11-02 09:00:00,urgent\n",
    )
    standard = standard_file(tmp_path, "  preset: zendesk-api\n")
    result = invoke("check", table, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["tickets"] == 2 and report["rejected"] == []
    # Ticket 2 has no status event, so no creation time: not applicable, never dropped.
    assert (report["rules"][0]["passed"], report["rules"][0]["not_applicable"]) == (1, 1)
    explained = invoke("explain", "2", table, "-s", standard, "--as-of", AS_OF, "-f", "json")
    assert explained.exit_code == 0 and json.loads(explained.stdout)["fields"]["priority"] == "urgent"
