"""Zero evidence is not a pass: an audit in which no rule judged a ticket is NOT JUDGED (exit 2,
whatever --exit-zero says) with the reasons grouped; a rule that judged nothing while others did is
a warning in every format; `min_judged` fails the gate below its count."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from svcaudit.cli import app

AS_OF = "2026-11-23T12:00:00Z"
FIRST_REPLY = "  - {id: first-reply, check: response_time, metric: first_reply, target: 1h%s}\n"
FAST = "  - {id: fast-reply, check: response_time, metric: first_reply, target: 5m}\n"
AGREES = "  - {id: agrees, check: helpdesk_agreement, metric: first_reply, field: fr, unit: minutes}\n"
HEAD = "svcaudit: 1\nname: Evidence\nrules:\n"
# Tickets without created_at: first-reply cannot judge any; fr is never a number.
NO_EVIDENCE = "ticket_id,first_reply_at,fr\nA,2026-11-02T09:30:00Z,~1 min\nB,,~2 min\nC,,~3 min\n"
JUDGED = (
    "ticket_id,created_at,first_reply_at,fr\nA,2026-11-02T09:00:00Z,2026-11-02T09:30:00Z,~1 min\n"
    "B,2026-11-02T09:00:00Z,2026-11-02T09:20:00Z,~2 min\n"
)
NOT_JUDGED_LINE = (
    "NOT JUDGED: no rule judged any of the 3 tickets; needs created_at: 6 results in "
    "first-reply, fast-reply; fr is not a duration such as 2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M: "
    "3 results in agrees"
)


def run(*args):
    result = CliRunner().invoke(app, [*map(str, args)], env={"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None})
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def audit(write):
    def _audit(rules: str, tickets: str, *args: str):
        standard = write("s.yaml", HEAD + rules)
        data = write("t.csv", tickets)
        return run("check", data, "-s", standard, "--as-of", AS_OF, *args)

    return _audit


def report_schema():
    return json.loads(resources.files("svcaudit").joinpath("schema/report-v1.json").read_text())


def test_nothing_judged_is_not_judged_with_the_reasons_grouped(audit):
    result = audit(FIRST_REPLY % "" + FAST + AGREES, NO_EVIDENCE)
    assert result.exit_code == 2
    assert result.stdout.rstrip().splitlines()[-1] == NOT_JUDGED_LINE
    assert "PASSED" not in result.stdout
    assert result.stderr == f"svcaudit: {NOT_JUDGED_LINE.split(';')[0]}\n"


def test_json_says_not_judged_and_why(audit):
    result = audit(FIRST_REPLY % "" + FAST + AGREES, NO_EVIDENCE, "-f", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    summary = report["summary"]
    assert (summary["verdict"], summary["passed"]) == ("not-judged", False)
    assert summary["not_judged"] == {
        "because": "no rule judged any of the 3 tickets",
        "reasons": [
            {"reason": "needs created_at", "type": "needs-field", "count": 6, "rules": ["first-reply", "fast-reply"]},
            {
                "reason": "fr is not a duration such as 2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M",
                "type": "figure-not-a-duration",
                "count": 3,
                "rules": ["agrees"],
            },
        ],
    }


def test_values_in_reasons_are_grouped_in_the_verdict(audit):
    result = audit(AGREES, NO_EVIDENCE.replace("first_reply_at", "created_at"))
    assert result.exit_code == 2
    last = result.stdout.rstrip().splitlines()[-1]
    assert (
        last.startswith("NOT JUDGED: ")
        and "fr is not a duration such as 2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M: 3 results in agrees"
        in last
    )
    assert "~1 min" not in last


@pytest.mark.parametrize("tickets, code", [(NO_EVIDENCE, 2), (JUDGED.replace("09:20", "11:00"), 0)])
def test_exit_zero_passes_a_failure_but_never_nothing_judged(audit, tickets, code):
    result = audit(FIRST_REPLY % "", tickets, "--exit-zero")
    assert result.exit_code == code


def test_quiet_prints_the_not_judged_line(audit):
    result = audit(FIRST_REPLY % "", NO_EVIDENCE, "--quiet")
    assert result.exit_code == 2
    assert result.stdout == (
        "NOT JUDGED: no rule judged any of the 3 tickets; needs created_at: 3 results in first-reply\n"
    )


def test_too_many_rejected_rows_say_not_judged_in_the_report_too(audit):
    tickets = JUDGED + "C,yesterday,2026-11-02T09:30:00Z,1\n"
    result = audit(FIRST_REPLY % "", tickets, "--max-rejected", "0")
    assert result.exit_code == 2
    line = "NOT JUDGED: 1 of 3 input rows were rejected, more than --max-rejected 0"
    assert result.stdout.rstrip().splitlines()[-1] == line
    assert "PASSED" not in result.stdout
    assert result.stderr == f"svcaudit: {line}\n"


WARNING = (
    "rule agrees judged no ticket: 2 not applicable "
    "(fr is not a duration such as 2.5 in the field's unit, 2:05:11, 1d 2h 3m or PT2H5M)"
)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "junit", "github"])
def test_a_rule_that_judged_nothing_while_others_did_warns_in_every_format(audit, fmt):
    result = audit(FIRST_REPLY % "" + AGREES, JUDGED, "-f", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.stdout)["warnings"] == [WARNING]
    elif fmt == "junit":
        out = ET.fromstring(result.stdout).find("testsuite").find("system-out").text
        assert f"warning: {WARNING}" in out.splitlines()
    elif fmt == "github":
        assert f"::warning title=svcaudit::{WARNING}" in result.stdout.splitlines()
    else:
        assert WARNING in " ".join(result.stdout.split())  # the text report may wrap it


# (min_judged, tickets judged of two, exit code)
MIN_JUDGED = [(None, 2, 0), (0, 2, 0), (2, 2, 0), (3, 2, 1), (1, 0, 2)]


@pytest.mark.parametrize("minimum, judged, code", MIN_JUDGED)
def test_min_judged_fails_the_gate_below_its_count(audit, minimum, judged, code):
    option = "" if minimum is None else f", min_judged: {minimum}"
    tickets = JUDGED if judged else NO_EVIDENCE
    result = audit(FIRST_REPLY % option, tickets, "-f", "json")
    assert result.exit_code == code, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    [rule] = report["rules"]
    assert (rule["judged"], rule["min_judged"]) == (judged, minimum)
    assert rule["met"] is (minimum is None or judged >= minimum)
    assert report["summary"]["verdict"] == {0: "passed", 1: "failed", 2: "not-judged"}[code]


def test_min_judged_in_the_verdict_line_and_junit(audit):
    text = audit(FIRST_REPLY % ", min_judged: 3", JUDGED)
    assert text.exit_code == 1
    assert text.stdout.rstrip().splitlines()[-1] == (
        "FAILED: compliance 100.0% ≥ threshold 100.0%; fewer tickets judged than min_judged: first-reply (2 of 3)"
    )
    junit = audit(FIRST_REPLY % ", min_judged: 3", JUDGED, "-f", "junit")
    case = next(c for c in ET.fromstring(junit.stdout).iter("testcase") if c.get("name") == "first-reply")
    failure = case.find("failure")
    assert failure.get("type") == "too-few-judged"
    assert failure.get("message") == "judged 2 tickets, fewer than its min_judged 3"


def test_min_judged_counts_for_a_warning_rule_too(audit):
    rule = FIRST_REPLY % ", min_judged: 3, severity: warning"
    assert audit(rule, JUDGED).exit_code == 1


@pytest.mark.parametrize(
    "value, message",
    [
        ("-1", "s.yaml:4:"),
        ("'3'", "s.yaml:4:"),
        ("1.5", "s.yaml:4:"),
        ("true", "s.yaml:4:"),
    ],
)
def test_a_bad_min_judged_is_a_located_standard_error(audit, value, message):
    result = audit(FIRST_REPLY % f", min_judged: {value}", JUDGED)
    assert result.exit_code == 2
    assert message in result.stderr and "min_judged" in result.stderr


def test_min_judged_is_a_key_every_rule_takes():
    from svcaudit.standard.loader import RULE_KEYS
    from svcaudit.standard.schema import RULE_COMMON, standard_schema

    assert "min_judged" in RULE_KEYS and set(RULE_KEYS) == set(RULE_COMMON)
    rule_kinds = [name for name in standard_schema()["$defs"] if name.startswith("rule_")]
    assert all("min_judged" in standard_schema()["$defs"][name]["properties"] for name in rule_kinds)
    listed = run("rules", "score")
    assert listed.exit_code == 0 and "min_judged" in listed.stdout


def test_merged_partials_with_nothing_judged_exit_2(write, tmp_path):
    standard = write("s.yaml", HEAD + FIRST_REPLY % "")
    data = write("t.csv", NO_EVIDENCE)
    part = tmp_path / "p.json"
    assert run("check", data, "-s", standard, "--as-of", AS_OF, "--partial", part).exit_code == 0
    merged = run("merge", part, "-s", standard, "--exit-zero")
    assert merged.exit_code == 2
    assert merged.stdout.rstrip().splitlines()[-1].startswith("NOT JUDGED: ")
