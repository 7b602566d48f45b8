"""`check`, `report` and `explain` without a standard read an export with the preset `init --from`
would pick, and say so on stderr and in the report; a standard that is given is used as written."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from svcaudit.cli import app

FIXTURES = Path(__file__).parents[1] / "presets" / "fixtures"
AS_OF = "2026-11-23T12:00:00Z"
WAREHOUSE_PARTS = (
    "id,conversation_id,part_type,author_type,author_id,body,created_at\n"
    "1,c1,comment,user,u1,Hello there,2026-11-02T09:00:00Z\n"
    '2,c1,comment,admin,a1,"Hi Anna, thanks for contacting us",2026-11-02T09:30:00Z\n'
)


@pytest.fixture(autouse=True)
def no_standard_around(tmp_path, monkeypatch):
    """Run where no svcaudit.yaml can be discovered."""
    monkeypatch.chdir(tmp_path)


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def report_schema():
    return json.loads(resources.files("svcaudit").joinpath("schema/report-v1.json").read_text())


def without_column(tmp_path: Path, name: str, column: str) -> Path:
    rows = list(csv.reader((FIXTURES / name).open(encoding="utf-8", newline="")))
    index = rows[0].index(column)
    target = tmp_path / name
    with target.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(row[:index] + row[index + 1 :] for row in rows)
    return target


# (fixture, preset, signature columns; exit code; a rule judged only when the preset is applied)
EXPORTS = [
    pytest.param("zendesk_tickets.csv", "zendesk", 5, 1, "resolved", id="zendesk"),
    pytest.param("freshdesk_tickets.csv", "freshdesk", 5, 1, "first-reply", id="freshdesk"),
    pytest.param("jira_issues.csv", "jira", 5, 1, "resolution-time", id="jira"),
    pytest.param("intercom_parts.csv", "intercom", 3, 0, "greeting", id="intercom"),
]


@pytest.mark.parametrize("name, preset, columns, code, judged_rule", EXPORTS)
def test_check_without_a_standard_applies_the_detected_preset(name, preset, columns, code, judged_rule):
    export = FIXTURES / name
    result = invoke("check", export, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == code, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    (stats,) = report["inputs"]
    assert stats["preset"] == {
        "name": preset,
        "columns_matched": columns,
        "columns_expected": columns,
        "missing_columns": [],
    }
    assert stats["rows_rejected"] == 0 and report["standard"]["source"] == "builtin:default"
    rules = {r["id"]: r for r in report["rules"]}
    assert rules[judged_rule]["passed"] + rules[judged_rule]["failed"] > 0
    reasons = [reason for r in report["rules"] for reason in r["not_applicable_reasons"]]
    assert not any("created_at" in reason for reason in reasons)
    assert (
        f"svcaudit: no standard given: {export} read as preset {preset}: {columns} of {columns} columns"
    ) in result.stderr
    # A full signature: no warning about missing columns (rules that judged nothing may warn).
    assert not any("missing" in warning for warning in report["warnings"])


def test_the_text_report_names_the_preset():
    result = invoke("check", FIXTURES / "freshdesk_tickets.csv", "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "    read as preset freshdesk: 5 of 5 columns\n" in result.stdout


def test_the_markdown_report_names_the_preset():
    result = invoke("check", FIXTURES / "freshdesk_tickets.csv", "--as-of", AS_OF, "-f", "markdown")
    assert result.exit_code == 1, result.output
    assert (
        "`" + str(FIXTURES / "freshdesk_tickets.csv") + "` read as preset freshdesk: 5 of 5 columns." in result.stdout
    )


def test_quiet_keeps_stderr_empty():
    result = invoke("check", FIXTURES / "freshdesk_tickets.csv", "--as-of", AS_OF, "--quiet")
    assert result.exit_code == 1 and result.stderr == ""


def test_a_warehouse_table_is_read_by_its_preset(tmp_path):
    export = tmp_path / "conversation_parts.csv"
    export.write_text(WAREHOUSE_PARTS, encoding="utf-8")
    result = invoke("check", export, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["inputs"][0]["preset"]["name"] == "intercom"
    first_reply = next(r for r in report["rules"] if r["id"] == "first-reply")
    assert (first_reply["passed"], first_reply["failed"]) == (1, 0)


def test_a_partial_signature_is_a_warning_in_every_format(tmp_path):
    export = without_column(tmp_path, "zendesk_tickets.csv", "Assignee")
    warning = (
        f"{export} has 4 of the 5 columns of preset zendesk: missing 'Assignee' (agent); "
        "rules and figures that need agent will not be measured"
    )
    result = invoke("check", export, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["inputs"][0]["preset"] == {
        "name": "zendesk",
        "columns_matched": 4,
        "columns_expected": 5,
        "missing_columns": ["Assignee"],
    }
    assert warning in report["warnings"]
    assert f"svcaudit: warning: {warning}" in result.stderr
    for fmt in ("text", "markdown", "junit", "github"):
        rendered = invoke("check", export, "--as-of", AS_OF, "-f", fmt)
        assert rendered.exit_code == 1, rendered.output
        assert "missing 'Assignee'" in rendered.stdout, fmt


@pytest.mark.parametrize("standard", ["builtin:default", "svcaudit.yaml"])
def test_a_given_standard_is_used_as_written(tmp_path, standard):
    (tmp_path / "svcaudit.yaml").write_text(
        "svcaudit: 1\nrules:\n  - {id: resolved, check: resolution, max_reopens: 0}\n", encoding="utf-8"
    )
    args = ["--standard", standard] if standard.startswith("builtin:") else []  # else discovered
    result = invoke("check", FIXTURES / "zendesk_tickets.csv", "--as-of", AS_OF, *args)
    # Zendesk's `Id` is no canonical ticket_id: read as written, the export cannot be audited.
    assert result.exit_code == 2
    assert "no ticket_id column" in result.stderr and "read as preset" not in result.stderr


def test_inputs_that_look_like_different_exports_are_a_usage_error(tmp_path):
    parts = tmp_path / "parts.csv"
    parts.write_text(WAREHOUSE_PARTS, encoding="utf-8")
    result = invoke("check", parts, FIXTURES / "zendesk_tickets.csv", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "the inputs look like different exports" in result.stderr
    assert "parts.csv looks like preset intercom" in result.stderr
    assert "zendesk_tickets.csv looks like preset zendesk" in result.stderr


def test_an_export_with_canonical_columns_is_read_as_it_is(tmp_path):
    export = tmp_path / "messages.csv"
    export.write_text(
        "ticket_id,created_at,author_role,text\n"
        "A,2026-11-02T09:00:00Z,customer,Help\n"
        'A,2026-11-02T09:30:00Z,agent,"Hello, sure!"\n',
        encoding="utf-8",
    )
    result = invoke("check", export, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code in (0, 1), result.output
    assert "preset" not in json.loads(result.stdout)["inputs"][0] and "preset" not in result.stderr


def test_partial_and_merge_keep_the_preset(tmp_path):
    export = FIXTURES / "zendesk_tickets.csv"
    partial = tmp_path / "part.json"
    written = invoke("check", export, "--as-of", AS_OF, "--partial", partial)
    assert written.exit_code == 0, written.output
    merged = invoke("merge", partial, "-f", "json")
    single = invoke("check", export, "--as-of", AS_OF, "-f", "json")
    assert merged.exit_code == single.exit_code == 1, merged.output
    merged_report, single_report = json.loads(merged.stdout), json.loads(single.stdout)
    assert merged_report["inputs"][0]["preset"] == single_report["inputs"][0]["preset"]
    assert merged_report["summary"]["results_passed"] == single_report["summary"]["results_passed"]


def test_report_and_explain_read_with_the_preset():
    export = FIXTURES / "zendesk_tickets.csv"
    report = invoke("report", export, "--as-of", AS_OF, "--by", "agent")
    assert report.exit_code == 0, report.output
    assert "read as preset zendesk: 5 of 5 columns" in report.stderr
    assert "Emma Clark" in report.stdout  # Assignee, read as agent
    explain = invoke("explain", "1001", export, "--as-of", AS_OF)
    assert explain.exit_code == 0, explain.output
    assert "read as preset zendesk" in explain.stderr and "1001" in explain.stdout
