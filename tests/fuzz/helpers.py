"""Shared by the fuzz tests: run the CLI in-process and check the promises every run must keep."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from svcaudit.cli import app

# Examples per property: small for the suite (the fuzz directory runs in seconds);
# SVCAUDIT_FUZZ_EXAMPLES=5000 for a deep search before a release.
EXAMPLES = int(os.environ.get("SVCAUDIT_FUZZ_EXAMPLES", "60"))
AS_OF = "2026-03-10T00:00:00Z"
# Every kind of check, a business calendar and placeholders, so odd data reaches deep into the engine.
STANDARD = """\
svcaudit: 1
name: Fuzz standard
timezone: Europe/Berlin
pass_threshold: 90%
calendars:
  office:
    week: {mon-fri: ["09:00-13:00", "14:00-18:00"], sat: ["22:00-06:00"]}
    holidays: {dates: [2026-03-06]}
rules:
  - {id: first-reply, check: response_time, metric: first_reply, calendar: office,
     targets: {urgent: 1h, default: 8h}, pause_statuses: [pending]}
  - {id: next-reply, check: response_time, metric: next_reply, target: 1d}
  - {id: resolution, check: response_time, metric: resolution, target: 3bd, calendar: office}
  - {id: wait, check: response_time, metric: requester_wait, target: 2h, severity: warning}
  - {id: greeting, check: phrases, in: first_agent_message, require_any: [hello, здравствуйте]}
  - {id: name, check: phrases, in: any_agent_message, require_any: ["{customer_name}"]}
  - {id: rude, check: phrases, in: every_agent_message, forbid: [idiot, {regex: "\\\\bdumb\\\\w*"}]}
  - {id: apology, check: phrases, when: {first_reply_over: 1h}, in: first_agent_message,
     require_any: [sorry]}
  - {id: resolved, check: resolution, max_reopens: 0}
  - {id: csat, check: score, metric: csat, min: 80%}
  - {id: nps, check: score, metric: nps, min: 10, severity: warning}
"""


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_no_crash(result) -> None:
    """No traceback, and no internal error (the guard turns those into exit 2: still a bug)."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # escaped the CLI (writing the output, say): show where
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr, result.stderr
    if result.exit_code == 2 and not result.stdout:
        lines = result.stderr.strip().splitlines()
        assert lines and all(line.startswith("svcaudit: ") for line in lines), result.stderr


def check_report(result) -> dict | None:
    """The JSON report of a run that produced one, with its rows conserved per input: every row
    read is audited, rejected (each listed) or folded into its ticket's kept row."""
    assert_no_crash(result)
    if not result.stdout:
        return None
    report = json.loads(result.stdout)
    for item in report["inputs"]:
        assert item["rows_read"] == item["rows_audited"] + item["rows_rejected"] + item["rows_folded"]
        assert min(item["rows_audited"], item["rows_rejected"], item["rows_folded"]) >= 0, item
        listed = [r for r in report["rejected"] if r["path"] == item["path"]]
        assert sum(not r["row_kept"] for r in listed) == item["rows_rejected"]
        assert sum(r["row_kept"] for r in listed) == item["fields_rejected"]
    assert report["summary"]["rows_read"] == sum(i["rows_read"] for i in report["inputs"])
    return report
