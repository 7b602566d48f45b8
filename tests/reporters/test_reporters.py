"""Reporters render one result model: Markdown parses as GFM tables, JSON validates, text is plain."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from importlib import resources

import jsonschema
import pytest
from markdown_it import MarkdownIt

from svcaudit.audit.run import run_audit
from svcaudit.reporters import REPORTERS, reporter
from svcaudit.reporters.protocol import ReportOptions, to_text
from svcaudit.standard.loader import load_standard
from tests.paths import SAMPLES

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def result():
    standard = load_standard("builtin:default")
    return run_audit(standard, [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"], AS_OF)


def test_markdown_tables_parse_as_gfm(result):
    text = to_text(reporter("markdown"), result, ReportOptions(limit=10))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) >= 4  # inputs, rules, metrics, violations
    rule_cells = [t.content for t in tokens if t.type == "inline"]
    assert "first-reply" in rule_cells and "uses-name" in rule_cells
    rows = sum(1 for t in tokens if t.type == "tr_open")
    assert rows >= len(result.rules) + 10


def test_markdown_escapes_pipes_and_newlines():
    from svcaudit.reporters.markdown import cell

    assert cell("a|b\nc") == "a\\|b c"


def test_json_validates_and_counts(result):
    report = json.loads(to_text(reporter("json"), result))
    schema = json.loads(resources.files("svcaudit").joinpath("schema/report-v1.json").read_text())
    jsonschema.validate(report, schema)
    assert len(report["violations"]) == report["summary"]["violations"]
    by_rule = {r["id"]: r for r in report["rules"]}
    for rule_id, rule in by_rule.items():
        assert rule["failed"] == sum(1 for v in report["violations"] if v["rule"] == rule_id)


def test_text_without_color_has_no_escape_codes(result):
    text = to_text(reporter("text"), result, ReportOptions(color=False, limit=5))
    assert "\x1b[" not in text
    assert "Violations (worst 5 of" in text
    assert text.rstrip().splitlines()[-1].startswith("FAILED: compliance")


def test_text_with_color_uses_escape_codes(result):
    assert "\x1b[" in to_text(reporter("text"), result, ReportOptions(color=True, limit=5))


@pytest.mark.parametrize("name", list(REPORTERS))
def test_every_format_writes_the_same_report_to_a_file_as_to_stdout(name, tmp_path):
    """The CLI hands every format the stream to write to, stdout or --output, through one path."""
    from typer.testing import CliRunner

    from svcaudit.cli import app

    args = ["check", str(SAMPLES / "tickets.csv"), "--as-of", "2026-11-23T12:00:00Z", "-f", name, "--jobs", "1"]
    env = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "GITHUB_WORKSPACE": None}
    shown = CliRunner().invoke(app, args, env=env)
    target = tmp_path / f"report.{name}"
    written = CliRunner().invoke(app, [*args, "--output", str(target)], env=env)
    assert shown.exit_code == written.exit_code == 1, shown.output
    assert shown.stdout, name
    assert target.read_text(encoding="utf-8") == shown.stdout
    assert written.stdout == ""
