"""Messages from an export without an author_role column: read, never rejected; the rules that need
to know who wrote what are not applicable, the others judged."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app

AS_OF = "2026-11-23T00:00:00Z"
NEEDS_ROLE = "needs author_role (the messages do not say who wrote them)"
# Comments whose author is a user id only, with the status each one left the ticket in.
COMMENTS = (
    "ticket_id,created_at,user_id,text,status\n"
    '7,2026-11-02T09:00:00Z,11,"Hello, my order is late",open\n'
    "7,2026-11-02T09:30:00Z,12,Hi! It ships today. Have a nice day,solved\n"
)

RULES = [
    # (rule options, expected: the reason it is not applicable, or "judged")
    ("{check: response_time, metric: first_reply, target: 1h}", NEEDS_ROLE),
    ("{check: response_time, metric: next_reply, target: 1h}", NEEDS_ROLE),
    ("{check: response_time, metric: requester_wait, target: 1h}", NEEDS_ROLE),
    ("{check: response_time, metric: resolution, target: 1h}", "judged"),
    ("{check: phrases, in: first_agent_message, require_any: [hi]}", NEEDS_ROLE),
    ("{check: phrases, in: every_customer_message, forbid: [idiot]}", NEEDS_ROLE),
    ("{check: phrases, in: transcript, require_any: [nice day]}", "judged"),
    ("{check: resolution}", "judged"),
    ("{check: pause_gaming, pause_statuses: [pending]}", NEEDS_ROLE),
    ("{check: trigger_response, trigger: [late], response: [sorry], within: 1h}", NEEDS_ROLE),
]


@pytest.mark.parametrize("options, expected", RULES, ids=[r[0] for r in RULES])
def test_rules_on_a_conversation_without_roles(options, expected, tmp_path):
    export, standard = tmp_path / "comments.csv", tmp_path / "s.yaml"
    export.write_text(COMMENTS, encoding="utf-8")
    standard.write_text(f"svcaudit: 1\nrules:\n  - {{id: r, {options[1:-1]}}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(export), "-s", str(standard), "--as-of", AS_OF, "-f", "json"])
    report = json.loads(result.stdout)
    assert report["summary"]["rows_rejected"] == 0 and report["inputs"][0]["rows_read"] == 2
    rule = report["rules"][0]
    if expected == "judged":
        assert rule["judged"] == 1 and result.exit_code in (0, 1), rule
    else:
        assert rule["not_applicable_reasons"] == {expected: 1}
        assert result.exit_code == 2  # nothing judged: NOT JUDGED


def test_a_blank_role_in_a_role_column_is_still_a_rejected_row(tmp_path):
    export, standard = tmp_path / "m.csv", tmp_path / "s.yaml"
    export.write_text(
        "ticket_id,created_at,author_role,text\n7,2026-11-02T09:00:00Z,,hello\n7,2026-11-02T09:10:00Z,agent,hi\n",
        encoding="utf-8",
    )
    standard.write_text(
        "svcaudit: 1\nrules:\n  - {id: r, check: phrases, in: transcript, require_any: [hi]}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["check", str(export), "-s", str(standard), "--as-of", AS_OF, "-f", "json"])
    report = json.loads(result.stdout)
    assert [(r["field"], r["error"]) for r in report["rejected"]] == [("author_role", "author_role is empty")]
    assert result.exit_code == 0


def test_explain_says_why(tmp_path):
    export, standard = tmp_path / "comments.csv", tmp_path / "s.yaml"
    export.write_text(COMMENTS, encoding="utf-8")
    standard.write_text(
        "svcaudit: 1\nrules:\n  - {id: r, check: response_time, metric: first_reply, target: 1h}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["explain", "7", str(export), "-s", str(standard), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert NEEDS_ROLE in result.stdout and "unknown" in result.stdout
