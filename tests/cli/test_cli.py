"""The command line contract: exit codes, stdout carries only the report, schemas validate."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from tests.paths import SAMPLES

AS_OF = "2026-11-23T12:00:00Z"
STANDARD = """\
svcaudit: 1
name: CLI test
pass_threshold: 100%
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    target: 1h
  - id: greeting
    check: phrases
    in: first_agent_message
    require_any: [hello, здравствуйте]
"""
GOOD_MESSAGES = (
    "ticket_id,created_at,author_role,text\n"
    "A,2026-11-02T09:00:00Z,customer,Help please\n"
    'A,2026-11-02T09:30:00Z,agent,"Hello, sure!"\n'
)
LATE_MESSAGES = GOOD_MESSAGES + (
    "B,2026-11-02T09:00:00Z,customer,Помогите\nB,2026-11-02T12:00:00Z,agent,Ответ без приветствия\n"
)


@pytest.fixture
def runner():
    return CliRunner()


def report_schema():
    return json.loads(resources.files("svcaudit").joinpath("schema/report-v1.json").read_text())


def run(runner, *args):
    result = runner.invoke(app, list(map(str, args)))
    return result


def test_met_standard_exits_0(runner, write):
    standard = write("s.yaml", STANDARD)
    data = write("m.csv", GOOD_MESSAGES)
    result = run(runner, "check", data, "--standard", standard, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.stdout


def test_unmet_standard_exits_1_and_names_the_violations(runner, write):
    standard = write("s.yaml", STANDARD)
    data = write("m.csv", LATE_MESSAGES)
    result = run(runner, "check", data, "--standard", standard, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    found = {(v["rule"], v["ticket_id"]) for v in report["violations"]}
    assert found == {("first-reply", "B"), ("greeting", "B")}
    late = next(v for v in report["violations"] if v["rule"] == "first-reply")
    assert late["measured_seconds"] == 3 * 3600 and late["target_seconds"] == 3600
    assert late["row"] == 5 and late["path"].endswith("m.csv")
    assert report["summary"]["compliance"] == 0.5


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "{missing}"], "no such file"),
        (["check", "{data}", "--standard", "{bad}"], "bad.yaml:1:11"),
        (["check", "{data}", "--standard", "{standard}", "--as-of", "soon"], "--as-of"),
        (["check", "{data}", "--format", "pdf"], ""),
        (["check"], ""),
        (["check", "{data}", "{data}"], "given twice"),
        (["validate", "{bad}"], "unsupported format version"),
        (["check", "{empty}", "--standard", "{standard}"], "no ticket to audit"),
    ],
)
def test_usage_and_input_errors_exit_2(runner, write, tmp_path, args, message):
    paths = {
        "missing": tmp_path / "missing.csv",
        "data": write("m.csv", GOOD_MESSAGES),
        "bad": write("bad.yaml", "svcaudit: 9\nrules: []\n"),
        "standard": write("s.yaml", STANDARD),
        "empty": write("empty.csv", "ticket_id,created_at\n"),
    }
    result = run(runner, *[a.format(**paths) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr or message in result.output
    assert "Traceback" not in result.output


def test_output_file_keeps_stdout_empty(runner, write, tmp_path):
    standard = write("s.yaml", STANDARD)
    data = write("m.csv", GOOD_MESSAGES)
    target = tmp_path / "report.md"
    result = run(runner, "check", data, "-s", standard, "--as-of", AS_OF, "-f", "markdown", "-o", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text().startswith("# svcaudit: CLI test")


def test_samples_json_report_validates_and_conserves_rows(runner):
    result = run(
        runner,
        "check",
        SAMPLES / "tickets.csv",
        SAMPLES / "messages.csv",
        "--standard",
        "builtin:default",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    for item in report["inputs"]:
        assert item["rows_read"] == item["rows_audited"] + item["rows_rejected"]
    assert report["summary"]["tickets"] == 300


@pytest.mark.parametrize("name", ["standard", "report", "tables"])
def test_schemas_print_valid_json_schema(runner, name):
    result = run(runner, "schema", name)
    assert result.exit_code == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def test_validate_accepts_builtin(runner):
    result = run(runner, "validate", "builtin:default")
    assert result.exit_code == 0
    assert "valid standard" in result.stdout


def test_internal_errors_are_one_line(runner, write, monkeypatch):
    import svcaudit.audit.run as cli

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "run_audit", explode)
    standard = write("s.yaml", STANDARD)
    data = write("m.csv", GOOD_MESSAGES)
    result = run(runner, "check", data, "-s", standard)
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output
