"""The README's worked example (`samples/business-hours/`) through the real CLI.

Every figure the README states for it is a row of CASES, computed by hand (the arithmetic is in the
README section "Response times, as helpdesks measure them"). The tests run `svcaudit explain` and
`svcaudit check` as a user would and compare; they also check that the README's summary table shows
exactly these rows and that its verbatim `explain` output is what the command prints today.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from tests.paths import REPO

SAMPLE = "samples/business-hours"
INPUTS = (f"{SAMPLE}/tickets.csv", f"{SAMPLE}/messages.csv")
STANDARD = f"{SAMPLE}/svcaudit.yaml"
AS_OF = "2026-12-31T12:00:00+01:00"
BERLIN = ZoneInfo("Europe/Berlin")
REGION = ("<!-- business-hours:start -->", "<!-- business-hours:end -->")

H = 3600
M = 60
TWO_BD = 16 * H  # 2bd on Mon-Fri 09-17 with no shortened day: 16 counted hours


@dataclass(frozen=True)
class Case:
    """One rule's verdict on one ticket, as the README states it."""

    ticket: str
    rule: str
    status: str  # passed | failed | pending | not_applicable
    measured: int | None = None  # seconds
    target: int | None = None  # seconds
    due: str | None = None  # Berlin wall clock, "YYYY-MM-DD HH:MM"
    reason: str | None = None  # a part of the reason `explain` gives

    @property
    def id(self) -> str:
        return f"{self.ticket}-{self.rule}"


CASES = [
    # BH-1: Friday 17:00 + 8 business hours is due Monday 17:00; a reply exactly then meets it.
    Case("BH-1", "first-reply", "passed", 8 * H, 8 * H, "2026-11-23 17:00"),
    Case("BH-1", "next-reply", "not_applicable", reason="no customer message after a staff reply"),
    Case("BH-1", "resolution", "passed", 8 * H, TWO_BD, "2026-11-25 09:00"),
    Case("BH-1", "first-resolution", "passed", 8 * H, TWO_BD, "2026-11-25 09:00"),
    Case("BH-1", "requester-wait", "passed", 8 * H, 12 * H),
    Case("BH-1", "no-pause-gaming", "passed"),
    # BH-2: pending Mon 11:00 - Tue 15:00 takes 12 office hours off the resolution clock.
    Case("BH-2", "first-reply", "passed", 1 * H, 8 * H, "2026-11-25 14:00"),
    Case("BH-2", "next-reply", "passed", 1 * H + 30 * M, 4 * H, "2026-11-25 11:00"),
    Case("BH-2", "resolution", "passed", 4 * H, TWO_BD, "2026-11-26 14:00"),
    Case("BH-2", "first-resolution", "passed", 4 * H, TWO_BD, "2026-11-26 14:00"),
    Case("BH-2", "requester-wait", "passed", 2 * H + 30 * M, 12 * H),
    Case("BH-2", "no-pause-gaming", "passed"),
    # BH-3: Christmas Day (Fri 2026-12-25) is closed.
    Case("BH-3", "first-reply", "passed", 7 * H, 8 * H, "2026-12-28 16:00"),
    Case("BH-3", "resolution", "passed", 7 * H + 10 * M, TWO_BD, "2026-12-29 16:00"),
    Case("BH-3", "first-resolution", "passed", 7 * H + 10 * M, TWO_BD, "2026-12-29 16:00"),
    Case("BH-3", "requester-wait", "passed", 7 * H, 12 * H),
    Case("BH-3", "no-pause-gaming", "passed"),
    # BH-4: the night of 24-25 October 2026 has 9 hours; 22:00 to 05:30 is 8h 30m.
    Case(
        "BH-4",
        "night-first-reply",
        "failed",
        8 * H + 30 * M,
        8 * H,
        "2026-10-25 05:00",
        reason="first reply took 8h 30m, over the target 8h by 30m",
    ),
    Case("BH-4", "no-pause-gaming", "passed"),
    # BH-5: stamped at -08:00, counted on the Berlin calendar.
    Case("BH-5", "first-reply", "passed", 3 * H + 30 * M, 8 * H, "2026-12-08 15:00"),
    Case("BH-5", "resolution", "passed", 4 * H, TWO_BD, "2026-12-09 15:00"),
    Case("BH-5", "first-resolution", "passed", 4 * H, TWO_BD, "2026-12-09 15:00"),
    Case("BH-5", "requester-wait", "passed", 3 * H + 30 * M, 12 * H),
    Case("BH-5", "no-pause-gaming", "passed"),
    # BH-6: reopened; `resolution: last` counts to the second solve, `first` to the first.
    Case("BH-6", "first-reply", "passed", 1 * H, 8 * H, "2026-11-30 17:00"),
    Case("BH-6", "next-reply", "passed", 1 * H + 30 * M, 4 * H, "2026-12-01 13:30"),
    Case(
        "BH-6",
        "resolution",
        "failed",
        23 * H,
        TWO_BD,
        "2026-12-02 09:00",
        reason="resolution took 23h, over the target 2bd by 7h",
    ),
    Case("BH-6", "first-resolution", "passed", 3 * H, TWO_BD, "2026-12-02 09:00"),
    Case("BH-6", "requester-wait", "passed", 2 * H + 30 * M, 12 * H),
    Case("BH-6", "no-pause-gaming", "passed"),
    # BH-7: set to pending 2 minutes after an unanswered customer message.
    Case(
        "BH-7",
        "no-pause-gaming",
        "failed",
        2 * M,
        10 * M,
        reason="set to 'pending' 2m after customer message #3 with no staff reply",
    ),
    Case("BH-7", "next-reply", "passed", 1 * H + 2 * M, 4 * H, "2026-12-09 12:58"),
    Case("BH-7", "first-reply", "passed", 30 * M, 8 * H, "2026-12-09 15:58"),
    Case("BH-7", "requester-wait", "passed", 1 * H + 32 * M, 12 * H),
    Case("BH-7", "resolution", "passed", 2 * H + 17 * M, TWO_BD, "2026-12-10 15:58"),
    Case("BH-7", "first-resolution", "passed", 2 * H + 17 * M, TWO_BD, "2026-12-10 15:58"),
    # BH-8: unanswered; --as-of is Thu 2026-12-31 12:00 Berlin.
    Case("BH-8", "first-reply", "pending", 4 * H, 8 * H, "2026-12-31 16:00", reason="4h left"),
    Case("BH-8", "resolution", "pending", 4 * H, TWO_BD, "2027-01-04 16:00", reason="12h left"),
    Case("BH-8", "first-resolution", "pending", 4 * H, TWO_BD, "2027-01-04 16:00", reason="12h left"),
    Case("BH-8", "requester-wait", "pending", 4 * H, 12 * H),
    Case("BH-8", "no-pause-gaming", "not_applicable", reason="needs status events"),
    # BH-9: solved without any staff message.
    Case("BH-9", "first-reply", "not_applicable", reason="resolved without a staff reply"),
    Case("BH-9", "resolution", "passed", 30 * M, TWO_BD, "2026-12-04 11:00"),
    Case("BH-9", "first-resolution", "passed", 30 * M, TWO_BD, "2026-12-04 11:00"),
    Case("BH-9", "requester-wait", "passed", 30 * M, 12 * H),
    Case("BH-9", "no-pause-gaming", "passed"),
]

# `svcaudit check`: per rule (passed, failed, pending, not applicable).
RULE_TALLIES = {
    "first-reply": (6, 0, 1, 2),
    "next-reply": (3, 0, 0, 6),
    "resolution": (6, 1, 1, 1),
    "first-resolution": (7, 0, 1, 1),
    "requester-wait": (7, 0, 1, 1),
    "no-pause-gaming": (7, 1, 0, 1),
    "night-first-reply": (0, 1, 0, 8),
}
SUMMARY = {
    "tickets": 9,
    "results_passed": 36,
    "results_failed": 3,
    "compliance": 0.9231,
    "passed": False,
    "rows_read": 43,
    "rows_rejected": 0,
}


# -- running the CLI ---------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "svcaudit", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


@cache
def explain_json(ticket: str) -> dict:
    result = run_cli("explain", ticket, *INPUTS, "--standard", STANDARD, "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@cache
def check_run() -> tuple[int, dict]:
    result = run_cli("check", *INPUTS, "--standard", STANDARD, "--as-of", AS_OF, "--format", "json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def rule_of(ticket: str, rule: str) -> dict:
    [found] = [r for r in explain_json(ticket)["rules"] if r["id"] == rule]
    return found


def berlin(iso: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")


# -- the figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_explain_verdict_and_seconds(case: Case):
    got = rule_of(case.ticket, case.rule)
    assert got["status"] == case.status, got["reason"]
    if case.status != "not_applicable":
        assert got["measured_seconds"] == case.measured
        assert got["target_seconds"] == case.target
    if case.reason:
        assert case.reason in got["reason"]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=[]) for c in CASES if c.due])
def test_explain_due_time(case: Case):
    got = rule_of(case.ticket, case.rule)
    assert berlin(got["due_at"]) == case.due
    # The span `explain` draws, in the calendar's zone, says the same.
    [span] = got["spans"]
    assert berlin(span["due_at"]) == case.due


def test_every_verdict_is_a_case():
    """No verdict of the example goes unstated: CASES add up to `check`'s tallies."""
    for rule, (passed, failed, pending, _) in RULE_TALLIES.items():
        stated = [c.status for c in CASES if c.rule == rule]
        assert (stated.count("passed"), stated.count("failed"), stated.count("pending")) == (passed, failed, pending), (
            rule
        )


def test_check_summary_and_exit_code():
    code, report = check_run()
    assert code == 1
    assert {k: report["summary"][k] for k in SUMMARY} == SUMMARY
    assert report["warnings"] == []


@pytest.mark.parametrize("rule, tally", RULE_TALLIES.items(), ids=list(RULE_TALLIES))
def test_check_rule_tallies(rule, tally):
    _, report = check_run()
    [got] = [r for r in report["rules"] if r["id"] == rule]
    assert (got["passed"], got["failed"], got["pending"], got["not_applicable"]) == tally


def test_check_violations_are_the_failed_cases():
    """`check` and `explain` agree: the violations are exactly the failed cases, with their figures."""
    _, report = check_run()
    got = {(v["ticket_id"], v["rule"]): (v["measured_seconds"], v["target_seconds"]) for v in report["violations"]}
    expected = {(c.ticket, c.rule): (c.measured, c.target) for c in CASES if c.status == "failed"}
    assert got == expected


def test_check_due_times_match_explain():
    _, report = check_run()
    for violation in report["violations"]:
        if violation["due_at"] is not None:
            assert violation["due_at"] == rule_of(violation["ticket_id"], violation["rule"])["due_at"]


def test_timestamps_in_another_offset_are_the_same_instants():
    """BH-5 is stamped at -08:00; `check` reports its due time as that instant (15:00 Berlin)."""
    got = rule_of("BH-5", "first-reply")
    assert datetime.fromisoformat(got["due_at"].replace("Z", "+00:00")) == datetime.fromisoformat(
        "2026-12-08T06:00:00-08:00"
    )


def test_explain_segments_are_shown_in_the_calendars_zone():
    """BH-2's paused stretches start and end in Berlin time like the rest of the span."""
    for rule in ("resolution", "next-reply"):
        for span in rule_of("BH-2", rule)["spans"]:
            for segment in span["segments"]:
                assert segment["start"].endswith("+01:00") and segment["end"].endswith("+01:00"), segment


# -- the README --------------------------------------------------------------------------------------


def readme_region() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = text.index(REGION[0]), text.index(REGION[1])
    return text[start + len(REGION[0]) : end]


def _human(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    parts = [f"{hours}h" if hours else "", f"{rest // 60}m" if rest // 60 else ""]
    return " ".join(p for p in parts if p) or "0s"


def readme_row(case: Case) -> str:
    """How the README's summary table shows a case."""
    verdict = case.status.replace("_", " ")
    if case.status == "not_applicable":
        verdict += f": {case.reason}"
    measured = "—" if case.measured is None else f"{case.measured} s ({_human(case.measured)})"
    target = "—" if case.target is None else f"{case.target} s ({_human(case.target)})"
    due = "—"
    if case.due:
        due = datetime.strptime(case.due, "%Y-%m-%d %H:%M").strftime("%a %Y-%m-%d %H:%M")
    return f"| {case.ticket} | `{case.rule}` | {verdict} | {measured} | {target} | {due} |"


def test_readme_table_states_exactly_the_cases():
    region = readme_region()
    rows = [line for line in region.splitlines() if re.match(r"^\| BH-\d ", line)]
    assert rows == [readme_row(c) for c in sorted(CASES, key=lambda c: (c.ticket, _RULE_ORDER.index(c.rule)))]


_RULE_ORDER = list(RULE_TALLIES)

# A console block with one command, then (after one blank line) a text block with its output.
_EXAMPLE = re.compile(r"```console\n\$ (svcaudit [^\n]+?)(?:\s+#\s*exit \d)?\n```\n\n```text\n(.*?)\n```", re.S)


def test_readme_region_shows_verbatim_output_that_is_current():
    examples = _EXAMPLE.findall(readme_region())
    assert examples, "the region shows no command followed by its verbatim output"
    for command, shown in examples:
        result = run_cli(*shlex.split(command)[1:])
        assert result.stdout.rstrip("\n") == shown, f"README output of `{command}` is out of date"


def test_readme_region_commands_use_the_example_and_a_fixed_as_of():
    commands = re.findall(r"^\$ (svcaudit .+)$", readme_region(), re.M)
    assert len(commands) >= 10
    for command in commands:
        args = shlex.split(command)
        assert args[args.index("--as-of") + 1] == AS_OF, command
        assert args[args.index("--standard") + 1] == STANDARD, command
    explained = {shlex.split(c)[2] for c in commands if shlex.split(c)[1] == "explain"}
    assert explained == {c.ticket for c in CASES}
