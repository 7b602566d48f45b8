"""Reasons grouped, never one line per value: rejected rows and not-applicable results are summed
up by field and reason type (`svcaudit.reasons`), each group with a count and two
examples, in text, Markdown and JSON; JSON keeps the full `rejected` list beside its summary."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.intake.model import Rejection
from svcaudit.results.model import group_reasons, group_rejections, reason_key

AS_OF = "2026-11-23T12:00:00Z"
BAD_ROWS = 728  # one bad column of a real export


@pytest.mark.parametrize(
    "reason, key",
    [
        ("'yesterday' is not a timestamp", "is not a timestamp"),
        ("'2026-13-45 25:00' is not a timestamp", "is not a timestamp"),
        ('"it\'s late" is not a timestamp', "is not a timestamp"),
        ("'a \\'quoted\\' value' is not a timestamp", "is not a timestamp"),
        ("fr '2:05:11' is not a number", "fr is not a number"),
        (
            "first_reply_at 2026-03-02T07:00:00+00:00 is before created_at 2026-03-02T08:00:00+00:00",
            "first_reply_at is before created_at",
        ),
        ("duplicate ticket_id 'T1' (first at t.csv:2)", "duplicate ticket_id (first at t.csv:2)"),
        (
            "time zone name 'EST' is not understood; write an offset such as +03:00",
            "time zone name is not understood; write an offset such as +03:00",
        ),
        # No value to take out: the reason is its own group.
        ("needs created_at", "needs created_at"),
        ("the customer's request is not in the export", "the customer's request is not in the export"),
        ("not in scope (channel)", "not in scope (channel)"),
        ("''", "''"),  # nothing but a value: kept whole, never an empty group
    ],
)
def test_the_group_of_a_reason_leaves_out_its_values(reason, key):
    assert reason_key(reason) == key


def test_rejections_are_grouped_by_field_and_reason_with_two_examples():
    rejected = [
        Rejection("t.csv", row, "created_at", f"'bad {row}' is not a timestamp") for row in range(2, 2 + BAD_ROWS)
    ]
    rejected.insert(3, Rejection("t.csv", 900, "first_reply_at", "'x' is not a timestamp"))
    rejected.append(Rejection("t.csv", 901, None, "row has 2 fields, the header has 3"))
    groups = group_rejections(rejected)
    assert [(g.field, g.reason, g.count) for g in groups] == [
        ("created_at", "is not a timestamp", BAD_ROWS),
        ("first_reply_at", "is not a timestamp", 1),
        (None, "row has 2 fields, the header has 3", 1),
    ]
    assert [(r.path, r.row) for r in groups[0].examples] == [("t.csv", 2), ("t.csv", 3)]
    assert groups[0].to_dict()["examples"][0] == {
        "path": "t.csv",
        "row": 2,
        "error": "'bad 2' is not a timestamp",
        "type": "field-not-a-timestamp",
    }
    assert [g.type for g in groups] == ["field-not-a-timestamp", "field-not-a-timestamp", "row-width"]


def test_reasons_of_one_type_are_one_group_whatever_values_they_name():
    """The type decides the group: priorities named bare (no quotes) are one group all the same,
    called by the template without its values, with the texts as examples."""
    groups = group_reasons(Counter({"no target for priority P1": 3, "no target for priority P2": 2, "needs fr": 1}))
    assert [(g.type, g.reason, g.count) for g in groups] == [
        ("no-target-for-priority", "no target for priority", 5),
        ("needs-field", "needs fr", 1),
    ]
    assert groups[0].examples == ("no target for priority P1", "no target for priority P2")


def test_texts_no_entry_words_stay_apart():
    groups = group_reasons(Counter({"something else": 2, "another thing": 1}))
    assert [(g.type, g.reason, g.count) for g in groups] == [
        ("unknown", "something else", 2),
        ("unknown", "another thing", 1),
    ]


def test_not_applicable_reasons_are_grouped_with_examples_of_their_values():
    reasons = Counter({f"fr '{n}:05:11' is not a number": 3 for n in range(1, 6)})
    reasons["needs fr"] = 4
    groups = group_reasons(reasons)
    assert [(g.reason, g.count) for g in groups] == [("fr is not a number", 15), ("needs fr", 4)]
    assert groups[0].examples == ("fr '1:05:11' is not a number", "fr '2:05:11' is not a number")
    assert groups[1].examples == ()


STANDARD = """\
svcaudit: 1
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    target: 1h
  - id: helpdesk-agrees
    check: helpdesk_agreement
    metric: first_reply
    field: fr
    unit: minutes
"""


@pytest.fixture
def export(write):
    """Two good tickets, BAD_ROWS rows with an unreadable created_at, and figures a check cannot
    read (each a different value): one group of rejections, one group of not-applicable results."""
    lines = ["ticket_id,created_at,first_reply_at,fr"]
    lines += [f"G{n},2026-11-02T09:00:00Z,2026-11-02T09:30:00Z,~{n} min" for n in range(2)]
    lines += [f"B{n},{n}/{n}/yesterday,2026-11-02T09:30:00Z,30" for n in range(BAD_ROWS)]
    return write("s.yaml", STANDARD), write("t.csv", "\n".join(lines) + "\n")


def check(standard, tickets, fmt):
    result = CliRunner().invoke(
        app, ["check", str(tickets), "-s", str(standard), "--as-of", AS_OF, "-f", fmt, "--limit", "0"]
    )
    assert result.exit_code == 0, result.output  # the good tickets pass; the rest is reported
    return result.stdout


def test_json_keeps_every_rejected_row_and_adds_the_grouped_summary(export):
    report = json.loads(check(*export, "json"))
    schema = json.loads(resources.files("svcaudit").joinpath("schema/report-v1.json").read_text())
    jsonschema.validate(report, schema)
    assert len(report["rejected"]) == BAD_ROWS
    [group] = report["rejected_summary"]
    assert (group["field"], group["reason"], group["type"], group["count"]) == (
        "created_at",
        "is not a timestamp",
        "field-not-a-timestamp",
        BAD_ROWS,
    )
    assert [(e["row"], e["error"]) for e in group["examples"]] == [
        (4, "'0/0/yesterday' is not a timestamp"),
        (5, "'1/1/yesterday' is not a timestamp"),
    ]
    rule = next(r for r in report["rules"] if r["id"] == "helpdesk-agrees")
    assert len(rule["not_applicable_reasons"]) == 2  # the contract: every reason as given
    assert rule["not_applicable_summary"] == [
        {
            "reason": "fr is not a duration such as 2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M",
            "type": "figure-not-a-duration",
            "count": 2,
            "examples": [
                "fr '~0 min' is not a duration such as 2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M",
                "fr '~1 min' is not a duration such as 2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M",
            ],
        }
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_print_the_groups_only(export, fmt):
    shown = check(*export, fmt)
    tables = [line for line in shown.splitlines() if "warning" not in line and "⚠️" not in line]
    assert "'0/0/yesterday' is not a timestamp" not in shown
    [rejected] = [line for line in tables if "is not a timestamp" in line]
    assert "created_at" in rejected and f"{BAD_ROWS}" in rejected and "t.csv:4" in rejected
    assert "t.csv:5" in shown  # the second example (a narrow text column may fold it)
    [not_applicable] = [line for line in tables if "helpdesk-agrees" in line and "fr" in line]
    assert "'~0 min'" in " ".join(shown.split()) and "is not a duration" in " ".join(shown.split())
    assert len(shown.splitlines()) < 100, "a bad column is one line, not one line per value"
