"""Who a violation is about: every violation carries its ticket's agent, team, channel and priority
where the export has them, in every format (null in JSON, left out in text where absent), and the
forms of a finding (engine row, findings log, JSON item, partial results) keep them in their place."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.results.findings import FindingLog
from svcaudit.results.model import VIOLATION_FIELDS, WHO_FIELDS, Violation, violation_as_row, violation_dict

AS_OF = "2026-11-23T12:00:00Z"
STANDARD = """\
svcaudit: 1
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    target: 1h
  - id: satisfaction
    check: score
    metric: csat
    min: 90%
"""
# T1: everything known; T2: only its channel; T3 passes.
TICKETS = """\
ticket_id,created_at,first_reply_at,agent,team,channel,priority,csat
T1,2026-11-02T09:00:00Z,2026-11-02T12:00:00Z,Анна Смирнова,billing,email,high,1
T2,2026-11-02T09:00:00Z,2026-11-02T13:00:00Z,,,chat,,2
T3,2026-11-02T09:00:00Z,2026-11-02T09:10:00Z,Bob,billing,email,normal,5
"""
T1_WHO = {"agent": "Анна Смирнова", "team": "billing", "channel": "email", "priority": "high"}
T2_WHO = {"agent": None, "team": None, "channel": "chat", "priority": None}
NOBODY = dict.fromkeys(WHO_FIELDS)
T1_LABEL = "agent Анна Смирнова; team billing; channel email; priority high"


@pytest.fixture
def files(write):
    return write("s.yaml", STANDARD), write("t.csv", TICKETS)


def run(*args):
    result = CliRunner().invoke(app, [*map(str, args), "--as-of", AS_OF])
    assert "Traceback" not in result.output
    return result


def check(files, fmt):
    standard, tickets = files
    result = run("check", tickets, "-s", standard, "-f", fmt, "--limit", "0")
    assert result.exit_code == 1, result.output
    return result.stdout


def test_json_violations_name_who_and_null_what_the_export_lacks(files):
    report = json.loads(check(files, "json"))
    found = {v["ticket_id"]: {k: v[k] for k in WHO_FIELDS} for v in report["violations"]}
    assert found == {"T1": T1_WHO, "T2": T2_WHO, None: NOBODY}  # None: the aggregate CSAT rule


def test_text_names_the_agent_and_omits_what_is_absent(files):
    from svcaudit.audit.run import run_audit
    from svcaudit.reporters import text
    from svcaudit.standard.loader import load_standard

    standard, tickets = files
    as_of = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    result = run_audit(load_standard(str(standard)), [tickets], as_of)
    shown = text.render(result, width=240)  # wide enough that no cell folds
    rows = {
        line.split("│")[2].strip(): line.split("│")[3].strip()
        for line in shown[shown.index("Violations") :].splitlines()
        if line.count("│") > 3
    }
    assert rows["T1"] == "Анна Смирнова"  # the cell's first line; team · channel · priority next
    assert rows["T2"] == "chat" and rows["(all)"] == ""
    assert "billing · email · high" in shown and "None" not in shown


@pytest.mark.parametrize(
    "fmt, t1, t2",
    [
        ("markdown", f"| {T1_LABEL} |", "| channel chat |"),
        ("junit", f"- T1 ({T1_LABEL}) at ", "- T2 (channel chat) at "),
        ("github", f"::T1 ({T1_LABEL}): first reply took", "::T2 (channel chat): first reply took"),
    ],
)
def test_each_format_says_who(files, fmt, t1, t2):
    shown = check(files, fmt)
    if fmt == "junit":
        shown = "\n".join(element.text or "" for element in ET.fromstring(shown).iter("failure"))
    assert t1 in shown and t2 in shown
    assert "None" not in shown


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_weekly_report_breaches_say_who(files, fmt):
    standard, tickets = files
    result = run(
        "report",
        tickets,
        "-s",
        standard,
        "--by",
        "team",
        "-f",
        fmt,
        "--limit",
        "0",
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-30",
    )
    assert result.exit_code == 0, result.output
    if fmt == "json":
        report = json.loads(result.stdout)
        jsonschema.validate(
            report, json.loads(resources.files("svcaudit").joinpath("schema/tables-v1.json").read_text())
        )
        violations = [v for group in report["groups"] for v in group["violations"]]
        assert {v["ticket_id"]: v["agent"] for v in violations if v["ticket_id"]} == {"T1": "Анна Смирнова", "T2": None}
    else:
        assert "Анна Смирнова" in result.stdout and "channel chat" in result.stdout


def test_partial_results_keep_who(files, tmp_path):
    standard, tickets = files
    part = tmp_path / "part.json"
    assert run("check", tickets, "-s", standard, "--partial", part).exit_code == 0
    merged = CliRunner().invoke(app, ["merge", str(part), "-s", str(standard), "-f", "json"])
    assert merged.exit_code == 1, merged.output
    found = {v["ticket_id"]: {k: v[k] for k in WHO_FIELDS} for v in json.loads(merged.stdout)["violations"]}
    assert found["T1"] == T1_WHO and found["T2"] == T2_WHO


def _marked_row() -> tuple:
    """A finding row whose every value names its own field (a time for due_at)."""
    values = {"due_at": datetime(2026, 11, 2, 9, tzinfo=timezone.utc), "measured_seconds": 7, "target_seconds": 5}
    return tuple(values.get(name, f"<{name}>") for name in VIOLATION_FIELDS)


def test_every_form_of_a_finding_keeps_every_field_in_its_place():
    """Findings travel as rows (engine, findings log, workers) and as JSON items (report,
    partial results); each form follows from Violation's fields, so every value keeps its name."""
    from svcaudit.reporters.json import encode_findings

    row = _marked_row()
    violation = Violation(*row)
    assert violation_as_row(violation) == row
    assert {name: getattr(violation, name) for name in WHO_FIELDS} == {name: f"<{name}>" for name in WHO_FIELDS}
    item = violation_dict(row)
    for name in VIOLATION_FIELDS:
        if name not in ("due_at", "measured_seconds", "target_seconds"):
            assert item[name] == f"<{name}>", name
    assert (item["measured_seconds"], item["target_seconds"], item["overrun_seconds"]) == (7, 5, 2)
    assert item["due_at"] == "2026-11-02T09:00:00Z"
    assert json.loads(encode_findings([row])) == item == violation.to_dict()
    assert Violation.from_dict(violation.to_dict()) == violation  # partial results and merge
    log = FindingLog(spill_threshold=1)  # on disk and back
    log.append_row(row)
    log.append(violation)
    assert list(log) == [violation, violation]


def test_the_engine_row_carries_the_tickets_who_in_place():
    from svcaudit.audit.engine import violation_row
    from svcaudit.checks.base import Outcome, Status
    from svcaudit.intake.model import RowRef, Ticket
    from svcaudit.standard.loader import load_standard

    rule = load_standard("builtin:default").rules[0]
    ticket = Ticket(
        ticket_id="T9", ref=RowRef("t.csv", 3), agent="Анна", team="billing", channel="email", priority="high"
    )
    outcome = Outcome(Status.FAILED, "late")
    row = violation_row(rule, ticket, outcome)
    assert len(row) == len(VIOLATION_FIELDS)
    made = Violation(*violation_row(rule, ticket, outcome))
    assert violation_as_row(made) == row
    assert {name: getattr(made, name) for name in WHO_FIELDS} == {
        "agent": "Анна",
        "team": "billing",
        "channel": "email",
        "priority": "high",
    }
    nobody = Violation(*violation_row(rule, None, outcome))
    assert [getattr(nobody, name) for name in WHO_FIELDS] == [None] * len(WHO_FIELDS)
