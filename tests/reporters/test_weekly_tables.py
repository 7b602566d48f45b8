"""A weekly table computed by hand (two weeks, three agents) against `svcaudit report` in every format.

The fixture (tests/reporters/fixtures/weekly): rules first-reply (1h), resolution (1d) and CSAT >= 50%.

| week | agent | first reply (s)   | resolution (s)   | CSAT answers | compliance        | vs week before |
|------|-------|-------------------|------------------|--------------|-------------------|----------------|
| W46  | Ann   | 1800 ok, 7200 late| 7200 ok, 93600 late | 5, 2 (50%: ok) | (1+1+1)/(2+2+1) = 60% | — |
| W46  | Bob   | 1200 ok           | 3600 ok          | 4 (100%: ok) | 3/3 = 100%        | —              |
| W46  | Cy    | 3599 ok           | 86400 ok (= target) | none (n/a) | 2/2 = 100%        | —              |
| W47  | Ann   | 1800 ok           | 3600 ok          | 5 (ok)       | 3/3 = 100%        | +40 pp         |
| W47  | Bob   | 7200 late, 2700 ok| 97200 late, 7200 ok | 1, 3 (0%: failed) | (1+1+0)/(2+2+1) = 40% | -60 pp |
| W47  | Cy    | 3601 late         | 10800 ok         | 4 (ok)       | (0+1+1)/3 = 66.7% | -33.3 pp       |

Medians are the lower median; p90 is the nearest rank (W47 Bob: first reply median 2700, p90 7200).
"""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from svcaudit.cli import app
from tests.paths import REPO

FIXTURE = REPO / "tests" / "reporters" / "fixtures" / "weekly"
AS_OF = "2026-11-23T12:00:00Z"

# (week, agent) -> tickets, compliance, change, sla, first reply median, p90, csat
EXPECTED = {
    ("2026-W46", "Ann"): (2, 0.6, None, 0.5, 1800, 7200, 0.5),
    ("2026-W46", "Bob"): (1, 1.0, None, 1.0, 1200, 1200, 1.0),
    ("2026-W46", "Cy"): (1, 1.0, None, 1.0, 3599, 3599, None),
    ("2026-W47", "Ann"): (1, 1.0, 0.4, 1.0, 1800, 1800, 1.0),
    ("2026-W47", "Bob"): (2, 0.4, -0.6, 0.5, 2700, 7200, 0.0),
    ("2026-W47", "Cy"): (1, 2 / 3, 2 / 3 - 1, 0.5, 3601, 3601, 1.0),
}


def report(fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(FIXTURE / "tickets.csv"),
            "--standard",
            str(FIXTURE / "standard.yaml"),
            "--by",
            "week,agent",
            "--as-of",
            AS_OF,
            "--format",
            fmt,
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_matches_the_hand_computed_table():
    data = json.loads(report("json"))
    schema = json.loads(CliRunner().invoke(app, ["schema", "tables"]).stdout)
    jsonschema.validate(data, schema)
    groups = {(g["key"]["week"], g["key"]["agent"]): g for g in data["groups"]}
    assert list(groups) == sorted(EXPECTED)  # deterministic order: week, then agent
    for key, (tickets, compliance, change, sla, median, p90, csat) in EXPECTED.items():
        group = groups[key]
        assert group["tickets"] == tickets, key
        assert group["compliance"] == pytest.approx(compliance, abs=1e-4), key
        assert group["sla"] == pytest.approx(sla, abs=1e-4), key
        assert (group["first_reply"]["median"], group["first_reply"]["p90"]) == (median, p90), key
        assert group["csat"] == (None if csat is None else pytest.approx(csat, abs=1e-4)), key
        if change is None:
            assert group["previous"] is None, key
        else:
            assert group["previous"]["label"] == "2026-W46"
            assert group["change"]["compliance"] == pytest.approx(change, abs=1e-4), key


def test_csv_has_one_row_per_group_and_rule():
    rows = list(csv.DictReader(io.StringIO(report("csv"))))
    assert len(rows) == len(EXPECTED) * 3
    bob = {r["rule"]: r for r in rows if r["week"] == "2026-W47" and r["agent"] == "Bob"}
    assert (bob["first-reply"]["rule_passed"], bob["first-reply"]["rule_failed"]) == ("1", "1")
    assert bob["csat"]["rule_failed"] == "1"
    assert float(bob["first-reply"]["compliance"]) == pytest.approx(0.4)
    assert float(bob["first-reply"]["compliance_change"]) == pytest.approx(-0.6)
    assert bob["first-reply"]["first_reply_median"] == "2700"


def test_markdown_tables_show_the_figures_and_arrows():
    text = report("markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    cells = [t.content for t in tokens if t.type == "inline"]
    assert sum(1 for t in tokens if t.type == "table_open") >= 4
    assert "60.0%" in cells and "40.0%" in cells and "66.7%" in cells
    assert "▲ +40.0 pp" in cells and "▼ -60.0 pp" in cells and "▼ -33.3 pp" in cells


def test_text_shows_the_same_figures():
    text = report("text")
    for figure in ("60.0%", "40.0%", "66.7%", "▲ +40.0 pp", "▼ -60.0 pp", "2026-W47"):
        assert figure in text


def test_period_compares_with_the_week_before():
    data = json.loads(report("json", "--period", "2026-W47"))
    assert data["period"]["label"] == "2026-W47" and data["previous_period"]["label"] == "2026-W46"
    assert {g["key"]["week"] for g in data["groups"]} == {"2026-W47"}
    assert data["tickets_in_period"] == 4


def test_by_agent_over_a_period_compares_with_the_same_agent_before():
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(FIXTURE / "tickets.csv"),
            "--standard",
            str(FIXTURE / "standard.yaml"),
            "--by",
            "agent",
            "--period",
            "2026-W47",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    )
    data = json.loads(result.stdout)
    groups = {g["key"]["agent"]: g for g in data["groups"]}
    assert groups["Bob"]["change"]["compliance"] == pytest.approx(-0.6)
    assert groups["Ann"]["previous"]["tickets"] == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "weak"], "did you mean 'week'"),
        (["--by", "week,month"], "at most one of week, day, month"),
        (["--period", "2026-W60"], "--period"),
        (["--period", "2026-W47", "--since", "2026-11-01"], "not both"),
    ],
)
def test_bad_report_options_exit_2(args, message):
    result = CliRunner().invoke(
        app, ["report", str(FIXTURE / "tickets.csv"), "--standard", str(FIXTURE / "standard.yaml"), *args]
    )
    assert result.exit_code == 2
    assert message in result.stderr


def test_html_shows_the_same_figures():
    page = report("html")
    for figure in ("60.0%", "40.0%", "66.7%", "+40.0 pp", "-60.0 pp", "-33.3 pp", "2026-W46", "Cy"):
        assert figure in page
    assert page.count("<svg") >= 3


def test_csv_carries_the_warning_of_rejected_rows(tmp_path):
    export = tmp_path / "tickets.csv"
    export.write_text((FIXTURE / "tickets.csv").read_text() + "Z9,not a time,,,,Ann,North,\n")
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(export),
            "--standard",
            str(FIXTURE / "standard.yaml"),
            "--by",
            "week",
            "--as-of",
            AS_OF,
            "--format",
            "csv",
        ],
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[-1]["warning"].startswith("1 of 9 input rows were rejected")
    assert all(row["warning"] == "" for row in rows[:-1])


@pytest.mark.parametrize("extra", [(), ("--period", "2026-W47"), ("--period", "2020-W01")])
def test_json_is_streamed_as_json_dumps_writes_the_whole_report(extra):
    """Groups are encoded one at a time (`reporters.tables_json`), yet the text is what one
    `json.dumps(indent=2)` of the whole report gives, with no group (a period without tickets) too."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from svcaudit.audit.grouped import build_report, parse_by, resolve_period
    from svcaudit.reporters import table_reporter
    from svcaudit.reporters.escaping import json_text
    from svcaudit.reporters.protocol import to_text
    from svcaudit.standard.loader import load_standard

    standard = load_standard(str(FIXTURE / "standard.yaml"))
    as_of = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    by = parse_by("week,agent")
    period, before = resolve_period(ZoneInfo(standard.timezone), extra[1] if extra else None, None, None, (None, None))
    tables = build_report(standard, [FIXTURE / "tickets.csv"], as_of, by, period, before)
    whole = json_text(json.dumps(tables.to_dict(), ensure_ascii=False, indent=2)) + "\n"
    assert to_text(table_reporter("json"), tables) == whole
    assert bool(tables.rows) == (extra != ("--period", "2020-W01"))
