"""One verdict everywhere: for every export the test suite audits, every output format of
`svcaudit check` shows the same verdict, and the exit code carries it.

Each case is data: the files, the standard and `--as-of`. The test runs `check` once per format and
holds the text verdict line, the Markdown verdict line, the JSON `summary.verdict`, the JUnit
verdict (its `verdict` property, its `standard-met` case and the line its `system-out` opens with),
the GitHub verdict annotation and closing line, and the exit code to one another. An input error
gives no report in any format, and exit 2.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.cli.options import OutputFormat
from svcaudit.results.exitcodes import ExitCode
from tests.paths import REPO, SAMPLES

BAD_INPUT = REPO / "tests" / "intake" / "fixtures" / "bad-input"
BAD_INPUT_STANDARD = REPO / "tests" / "intake" / "fixtures" / "standard.yaml"
PRESET_FIXTURES = REPO / "tests" / "presets" / "fixtures"
REPORTER_CASES = REPO / "tests" / "reporters" / "fixtures" / "audit_cases.yaml"
AS_OF = "2026-11-23T12:00:00Z"
BAD_INPUT_AS_OF = "2026-03-10T00:00:00Z"

EXIT_CODES = {"passed": ExitCode.MET, "failed": ExitCode.NOT_MET, "not-judged": ExitCode.ERROR}
LABELS = {"passed": "PASSED", "failed": "FAILED", "not-judged": "NOT JUDGED"}
VERDICT_LINE = re.compile(r"^(PASSED|FAILED|NOT JUDGED): ")
# No GitHub environment: the step summary and the default format stay out of the runs.
ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "NO_COLOR": "1"}


@dataclass(frozen=True)
class Case:
    """An audit: files (paths, or names written from `texts` into tmp_path), standard, as-of."""

    name: str
    files: tuple[str, ...]
    standard: str
    as_of: str = AS_OF
    texts: dict[str, str] = field(default_factory=dict)  # name -> content, written before the run
    extra: tuple[str, ...] = ()
    init_from: bool = False  # the standard is what `svcaudit init --from` writes for the export
    expect: str | None = None  # the verdict, where the case is about one; None: any agreement

    def __str__(self) -> str:
        return self.name


SAMPLE_CASES = [
    Case(
        "samples-default",
        (str(SAMPLES / "tickets.csv"), str(SAMPLES / "messages.csv")),
        "builtin:default",
        expect="failed",
    ),
    Case("samples-retail-ru", (str(SAMPLES / "tickets.csv"), str(SAMPLES / "messages.csv")), "builtin:retail-ru"),
    Case("samples-jsonl", (str(SAMPLES / "tickets.jsonl"),), "builtin:default"),
    Case(
        "samples-business-hours",
        (str(SAMPLES / "business-hours" / "tickets.csv"), str(SAMPLES / "business-hours" / "messages.csv")),
        str(SAMPLES / "business-hours" / "svcaudit.yaml"),
        as_of="2026-12-31T12:00:00+01:00",
    ),
    Case("samples-zendesk", (str(SAMPLES / "zendesk" / "tickets.csv"),), str(SAMPLES / "zendesk" / "svcaudit.yaml")),
    Case("samples-chatbot", (str(SAMPLES / "chatbot" / "messages.csv"),), "builtin:chatbot"),
]

PRESET_CASES = [
    *(
        Case(f"preset-{name}", (str(PRESET_FIXTURES / name),), "", init_from=True)
        for name in ("zendesk_tickets.csv", "freshdesk_tickets.csv", "jira_issues.csv", "intercom_parts.csv")
    ),
    # Exports init cannot read as a table: the default rules under their preset.
    *(
        Case(f"preset-{preset}", (str(PRESET_FIXTURES / name),), f"preset:{preset}")
        for name, preset in (("abcd_chats.json", "abcd"), ("twcs_tweets.csv", "twcs"))
    ),
]

BAD_INPUT_CASES = [
    Case(f"bad-input-{path.name}", (str(path),), str(BAD_INPUT_STANDARD), as_of=BAD_INPUT_AS_OF)
    for path in sorted(BAD_INPUT.iterdir())
    if path.name != "README.md"
]

REPORTER_CASES_DATA = yaml.safe_load(REPORTER_CASES.read_text(encoding="utf-8"))
REPORTER_AUDITS = [
    Case(
        f"reporter-{name}",
        tuple(case["files"]),
        "standard.yaml",
        texts={**case["files"], "standard.yaml": case["standard"]},
        expect="passed" if case["expect"]["passed"] else None,
    )
    for name, case in REPORTER_CASES_DATA.items()
]

ONE_RULE = (
    "svcaudit: 1\nname: Verdict cases\nrules:\n"
    "  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}\n"
)
SYNTHETIC_CASES = [
    # Every ticket lacks what the rule needs: nothing judged, never PASSED.
    Case(
        "all-not-applicable",
        ("t.csv",),
        "s.yaml",
        expect="not-judged",
        texts={"s.yaml": ONE_RULE, "t.csv": "ticket_id,channel\nA,email\nB,chat\n"},
    ),
    # No ticket at all, so no rule result at all.
    Case(
        "no-rule-results",
        ("t.csv",),
        "s.yaml",
        expect="not-judged",
        texts={"s.yaml": ONE_RULE, "t.csv": "ticket_id,created_at,first_reply_at\n"},
    ),
    # Still inside the target at --as-of: pending results only.
    Case(
        "pending-only",
        ("t.csv",),
        "s.yaml",
        expect="not-judged",
        texts={"s.yaml": ONE_RULE, "t.csv": "ticket_id,created_at,first_reply_at\nA,2026-11-23T11:30:00Z,\n"},
    ),
    # Judged, and passing, but fewer tickets than the rule's min_judged: FAILED.
    Case(
        "below-min-judged",
        ("t.csv",),
        "s.yaml",
        expect="failed",
        texts={
            "s.yaml": ONE_RULE.replace("target: 1h}", "target: 1h, min_judged: 3}"),
            "t.csv": "ticket_id,created_at,first_reply_at\nA,2026-11-02T09:00:00Z,2026-11-02T09:30:00Z\n",
        },
    ),
    # More rows rejected than --max-rejected allows: the figures are not trusted, whatever they say.
    Case(
        "too-many-rejected",
        ("t.csv",),
        "s.yaml",
        expect="not-judged",
        extra=("--max-rejected", "0"),
        texts={
            "s.yaml": ONE_RULE,
            "t.csv": "ticket_id,created_at,first_reply_at\nA,2026-11-02T09:00:00Z,2026-11-02T09:30:00Z\n"
            "B,yesterday,2026-11-02T09:30:00Z\n",
        },
    ),
    # An input error: no report in any format.
    Case("input-error", ("missing.csv",), "s.yaml", texts={"s.yaml": ONE_RULE}),
]

CASES = SAMPLE_CASES + PRESET_CASES + BAD_INPUT_CASES + REPORTER_AUDITS + SYNTHETIC_CASES


def _prepare(case: Case, folder: Path) -> list[str]:
    """The `check` arguments for the case, its files written into `folder`."""
    for name, text in case.texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    files = [str(folder / f) if f in case.texts or not Path(f).is_absolute() else f for f in case.files]
    standard = case.standard
    if case.init_from:
        standard = str(folder / "svcaudit.yaml")
        made = CliRunner().invoke(app, ["init", "--from", files[0], "--output", standard], env=ENV)
        assert made.exit_code == 0, made.output
    elif standard.startswith("preset:"):
        text = (REPO / "src" / "svcaudit" / "builtin" / "default.yaml").read_text(encoding="utf-8")
        standard = str(folder / "svcaudit.yaml")
        Path(standard).write_text(text + f"input: {{preset: {case.standard[7:]}}}\n", encoding="utf-8")
    elif standard in case.texts:
        standard = str(folder / standard)
    return [*files, "--standard", standard, "--as-of", case.as_of, *case.extra]


@dataclass(frozen=True)
class Shown:
    """What one format says: the verdict (passed, failed, not-judged) and its verdict line."""

    verdict: str
    line: str | None  # None for JSON, which carries the verdict as a value


def _text(stdout: str) -> Shown:
    lines = [line for line in stdout.splitlines() if VERDICT_LINE.match(line)]
    assert len(lines) == 1, lines
    assert stdout.rstrip().splitlines()[-1] == lines[0], "the verdict line comes last"
    return Shown(_verdict_of(lines[0]), lines[0])


def _markdown(stdout: str) -> Shown:
    marked = [line for line in stdout.splitlines() if line.endswith("**") and " **" in line]
    assert marked, stdout[:400]
    mark, _, rest = marked[0].partition(" **")
    line = re.sub(r"\\(.)", r"\1", html.unescape(rest[:-2]))  # the Markdown escaping undone
    verdict = _verdict_of(line)
    assert mark == {"passed": "✅", "failed": "❌", "not-judged": "⚠️"}[verdict]
    return Shown(verdict, line)


def _json(stdout: str) -> Shown:
    summary = json.loads(stdout)["summary"]
    assert summary["passed"] is (summary["verdict"] == "passed")
    assert (summary["not_judged"] is None) is (summary["verdict"] != "not-judged")
    return Shown(summary["verdict"], None)


def _junit(stdout: str) -> Shown:
    suite = ET.fromstring(stdout).find("testsuite")
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    verdict = properties["verdict"]
    assert properties["passed"] == str(verdict == "passed").lower()
    line = suite.find("system-out").text.splitlines()[0]
    assert _verdict_of(line) == verdict
    case = next(c for c in suite.iter("testcase") if c.get("name") == "standard-met")
    failure = case.find("failure")
    if verdict == "passed":
        assert failure is None
    else:
        assert failure.get("message") == line
        assert failure.get("type") == ("not-judged" if verdict == "not-judged" else "standard-not-met")
        assert int(suite.get("failures")) >= 1
    return Shown(verdict, line)


def _github(stdout: str) -> Shown:
    """The verdict annotation opens the output and the same text, as a plain line, closes it."""
    lines = stdout.splitlines()
    first, last = lines[0], lines[-1]
    level, _, message = first[2:].partition("::")
    message = message.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    assert message == last
    line = last.rsplit(" (", 1)[0]  # the verdict line, without the closing counts
    verdict = _verdict_of(line)
    assert level.split(" ")[0] == ("notice" if verdict == "passed" else "error")
    return Shown(verdict, line)


READERS: dict[str, Callable[[str], Shown]] = {
    "text": _text,
    "markdown": _markdown,
    "json": _json,
    "junit": _junit,
    "github": _github,
}


def _verdict_of(line: str) -> str:
    match = VERDICT_LINE.match(line)
    assert match, line
    return {label: verdict for verdict, label in LABELS.items()}[match.group(1)]


def test_every_format_has_a_reader():
    """A format added to `check` must be added here, so that it is held to the same verdict."""
    assert set(READERS) == {f.value for f in OutputFormat}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_format_agrees_with_the_exit_code(case: Case, tmp_path: Path):
    args = _prepare(case, tmp_path)
    runner = CliRunner()
    shown: dict[str, Shown] = {}
    codes: dict[str, int] = {}
    for fmt in READERS:
        result = runner.invoke(app, ["check", *args, "--format", fmt], env=ENV)
        assert "Traceback" not in result.output
        assert "internal error" not in result.stderr, result.stderr
        codes[fmt] = result.exit_code
        if result.stdout.strip():
            shown[fmt] = READERS[fmt](result.stdout)
    assert len(set(codes.values())) == 1, codes
    code = next(iter(codes.values()))
    if not shown:  # an input error: no format says anything, and the exit code is 2
        assert code == ExitCode.ERROR
        assert case.expect is None
        return
    assert set(shown) == set(READERS), f"only some formats reported: {sorted(shown)}"
    verdicts = {fmt: s.verdict for fmt, s in shown.items()}
    assert len(set(verdicts.values())) == 1, verdicts
    verdict = verdicts["json"]
    assert code == EXIT_CODES[verdict], (verdict, code)
    lines = {fmt: s.line for fmt, s in shown.items() if s.line is not None}
    assert len(set(lines.values())) == 1, lines
    if case.expect is not None:
        assert verdict == case.expect
    # --exit-zero passes a failed standard, never one that was not judged.
    zero = runner.invoke(app, ["check", *args, "--format", "json", "--exit-zero"], env=ENV)
    assert zero.exit_code == (ExitCode.ERROR if verdict == "not-judged" else ExitCode.MET)


def test_the_cases_cover_every_verdict():
    expected = {case.expect for case in CASES}
    assert {"passed", "failed", "not-judged"} <= expected
