"""End to end: Freshdesk's UI export writes its own figures as H:MM:SS; each is read to the second."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from svcaudit.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "freshdesk_ui_durations.csv"
AS_OF = "2026-11-23T12:00:00Z"
# Tolerance 0s: a pass means the helpdesk's figure equals svcaudit's measurement to the second.
STANDARD = """svcaudit: 1
timezone: UTC
input: {preset: freshdesk}
rules:
  - id: first-response-agrees
    check: helpdesk_agreement
    metric: first_reply
    field: freshdesk_first_response_hours
    tolerance: 0s
  - id: resolution-agrees
    check: helpdesk_agreement
    metric: resolution
    field: freshdesk_resolution_hours
    tolerance: 0s
"""


def audit(tmp_path: Path, export: Path) -> dict:
    standard = tmp_path / "svcaudit.yaml"
    standard.write_text(STANDARD)
    result = CliRunner().invoke(app, ["check", str(export), "-s", str(standard), "--as-of", AS_OF, "-f", "json"])
    assert result.exit_code == 1, result.output  # ticket 604's figure is 10 minutes off
    return json.loads(result.stdout)


def test_h_mm_ss_figures_agree_to_the_second(tmp_path):
    report = audit(tmp_path, FIXTURE)
    rules = {r["id"]: r for r in report["rules"]}
    # 601 2:05:11, 602 0:45:00, 605 26:15:42 (past a day) agree; 604 says 1:20:00 for 1h 30m.
    first = rules["first-response-agrees"]
    assert (first["passed"], first["failed"], first["not_applicable"]) == (3, 1, 2)
    # 603 '?' and 606 '-0:10:00' are named with their field and value, not "is not a number".
    reasons = first["not_applicable_reasons"]
    assert sum(reasons.values()) == 2
    assert all("freshdesk_first_response_hours" in reason for reason in reasons)
    assert any("'-0:10:00' is negative" in reason for reason in reasons)
    assert not any("is not a number" in reason for reason in reasons)
    # 601 27:31:07, 602 120:00:30, 604 25:00:00, 605 27:00:00, 606 1:00:00 agree; 603 is empty.
    resolution = rules["resolution-agrees"]
    assert (resolution["passed"], resolution["failed"], resolution["not_applicable"]) == (5, 0, 1)
    assert resolution["not_applicable_reasons"] == {"needs freshdesk_resolution_hours": 1}
    late = [(v["ticket_id"], v["measured_seconds"], v["target_seconds"]) for v in report["violations"]]
    assert late == [("604", 5400, 4800)]
    assert report["inputs"][0]["rows_rejected"] == 0


def test_one_second_off_is_found(tmp_path):
    export = tmp_path / "freshdesk.csv"
    export.write_text(
        FIXTURE.read_text(encoding="utf-8").replace(",2:05:11,27:31:07,", ",2:05:11,27:31:08,"), encoding="utf-8"
    )
    report = audit(tmp_path, export)
    off = [v for v in report["violations"] if v["rule"] == "resolution-agrees"]
    assert [(v["ticket_id"], v["measured_seconds"], v["target_seconds"]) for v in off] == [("601", 99067, 99068)]
    assert "1s apart" in off[0]["message"]
