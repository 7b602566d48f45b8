"""The reasons catalogue reads every text svcaudit writes one way, and the README's rejections are it.

Every not-applicable reason, rejection and warning of the audits of the bad-input fixtures, the
real-export fixtures and the samples classifies to exactly one entry of its kind, and the JSON report
gives that entry's type beside the text. Each entry's own text reads back as that entry. The README's
table of rejections is the catalogue's, and every text its bad-input tables quote as a rejection is one.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcaudit import reasons
from svcaudit.cli import app
from svcaudit.reasons import CATALOGUE, Kind, candidates, classify
from tests.intake.helpers import AS_OF, BAD, FIXTURES, STANDARD
from tests.paths import REPO, SAMPLES

REAL = FIXTURES / "real"
TYPE = re.compile(r"[a-z]+(?:-[a-z]+)*")

# A value for each parameter that reads as its entry's: by the parameter's pattern, or by name.
SAMPLE_BY_PATTERN = {
    reasons._COUNT: "12",
    reasons._NAME: "created_at",
    reasons._QUOTED: "'x 1'",
    reasons.PARAMETER_PATTERNS["fields"]: "created_at, order_id",
}
SAMPLE_BY_NAME = {
    "state": "never reopened",
    "metric": "csat",
    "who": "agent",
    "where": "an array item",
    "encoding": "utf-8",
    "bytes": "ff c0",
    "named": "author (column user_id)",
    "table": "user",
    "detail": "month must be in 1..12",
    "fields": "3 fields",
    "notes": "2 internal notes",
    "rule": "first-reply",
    "preset": "zendesk",
    "path": "t.csv",
}
SAMPLE_OF_ENTRY = {
    "condition-resolved": {"state": "not resolved"},
    "absent-path": {"declared_by": "input.columns.team"},
}


def sample_text(reason: reasons.Reason) -> str:
    params = {}
    for name in reason.parameters:
        pattern = reason.patterns.get(name) or reasons.PARAMETER_PATTERNS.get(name)
        params[name] = SAMPLE_BY_PATTERN.get(pattern or "") or SAMPLE_BY_NAME.get(name, "some text")
    return reason.text(**(params | SAMPLE_OF_ENTRY.get(reason.type, {})))


def test_types_are_stable_names_with_a_doc():
    for reason in CATALOGUE:
        assert TYPE.fullmatch(reason.type), reason.type
        assert reason.doc and "\n" not in reason.doc, reason.type
    assert len({r.type for r in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("reason", CATALOGUE, ids=lambda r: r.type)
def test_each_entrys_text_reads_back_as_that_entry_alone(reason):
    text = sample_text(reason)
    assert candidates(text) == [reason], text
    assert classify(text) is reason


# Texts other tests make svcaudit write, which the fixtures above do not: (text, type).
KNOWN_TEXTS = [
    ("True is not a timestamp", "field-not-a-timestamp"),
    ("[] is not a timestamp", "field-not-a-timestamp"),
    ("'2025-13-01 09:00': month must be in 1..12", "timestamp-invalid"),
    (
        "table 'conversation_history' joins lookup table 'admin', which was given no file: agent are not looked up "
        "(agent is read as it is)",
        "lookup-without-file",
    ),
    (
        "author (column user_id) '9999' matches no row of lookup table user (user.csv); author_role, author left empty",
        "lookup-miss",
    ),
    ("status '10002' matches no row of lookup table status (status.csv); status left empty", "lookup-miss"),
    ("condition not met: first reply within 4h", "condition-first-reply-within"),
    ("not in scope (channel)", "not-in-scope"),
    ("rule greeting judged no ticket: 3 not applicable (needs message rows)", "rule-judged-nothing"),
]


@pytest.mark.parametrize("text, type_", KNOWN_TEXTS)
def test_texts_of_other_tests_read_as_their_entry(text, type_):
    assert [r.type for r in candidates(text)] == [type_]


def test_a_text_no_entry_words_is_unknown():
    assert classify("the moon is made of cheese") is reasons.UNKNOWN


@cache  # each report is read by two tests
def cli_json(*args: object) -> dict | None:
    result = CliRunner().invoke(app, ["check", *map(str, args), "--format", "json"])
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.stdout) if result.stdout.strip() else None


def bad_input_reports() -> list[tuple[str, tuple]]:
    return [
        (path.name, (path, "--standard", STANDARD, "--as-of", AS_OF))
        for path in sorted(BAD.iterdir())
        if path.name != "README.md"
    ]


def real_reports() -> list[tuple[str, tuple]]:
    cases = []
    for standard in sorted(REAL.glob("*.yaml")):
        exports = [p for p in REAL.iterdir() if p.stem.startswith(standard.stem.split("-")[0]) and p.suffix != ".yaml"]
        cases.append((standard.name, (*exports, "--standard", standard, "--as-of", "2026-01-01T00:00:00Z")))
    return cases


SAMPLE_REPORTS = [
    ("samples", (SAMPLES / "tickets.csv", SAMPLES / "messages.csv", "--as-of", "2026-11-23T12:00:00Z")),
    ("samples-tickets-only", (SAMPLES / "tickets.csv", "--as-of", "2026-11-23T12:00:00Z")),
    ("samples-jsonl", (SAMPLES / "tickets.jsonl", "--as-of", "2026-11-23T12:00:00Z")),
    (
        "business-hours",
        (
            SAMPLES / "business-hours" / "tickets.csv",
            SAMPLES / "business-hours" / "messages.csv",
            "--standard",
            SAMPLES / "business-hours" / "svcaudit.yaml",
            "--as-of",
            "2026-11-23T12:00:00Z",
        ),
    ),
    (
        "zendesk",
        (
            SAMPLES / "zendesk" / "tickets.csv",
            "--standard",
            SAMPLES / "zendesk" / "svcaudit.yaml",
            "--as-of",
            "2026-11-23T12:00:00Z",
        ),
    ),
    ("chatbot", (SAMPLES / "chatbot" / "messages.csv", "--as-of", "2026-11-23T12:00:00Z")),
]
REPORTS = bad_input_reports() + real_reports() + SAMPLE_REPORTS


def texts_of(report: dict) -> list[tuple[str, str, str]]:
    """(kind, text, type the JSON gives) of every reason, rejection and warning of a report."""
    found = []
    for rule in report["rules"]:
        found += [(Kind.NOT_APPLICABLE.value, text, "") for text in rule["not_applicable_reasons"]]
        for group in rule["not_applicable_summary"]:
            found += [(Kind.NOT_APPLICABLE.value, text, group["type"]) for text in group["examples"]]
    found += [(Kind.REJECTION.value, item["error"], "") for item in report["rejected"]]
    for group in report["rejected_summary"]:
        found += [(Kind.REJECTION.value, item["error"], item["type"]) for item in group["examples"]]
    assert len(report["warning_types"]) == len(report["warnings"])
    found += [(Kind.WARNING.value, *pair) for pair in zip(report["warnings"], report["warning_types"], strict=True)]
    return found


@pytest.mark.parametrize("args", [args for _, args in REPORTS], ids=[name for name, _ in REPORTS])
def test_every_text_of_a_report_is_one_entry_of_its_kind_and_json_names_it(args):
    report = cli_json(*args)
    if report is None:
        return  # an input error: a message on stderr, no report
    for kind, text, given in texts_of(report):
        found = candidates(text)
        assert len(found) == 1, (text, [r.type for r in found])
        assert found[0].kind.value == kind, (text, found[0].type)
        assert given in ("", found[0].type), (text, given)


def test_the_reports_cover_every_kind():
    """The fixtures are no fixtures for this test unless they give texts of each kind."""
    kinds = {kind for _, args in REPORTS if (r := cli_json(*args)) for kind, _, _ in texts_of(r)}
    assert kinds == {kind.value for kind in Kind}


README = (REPO / "README.md").read_text(encoding="utf-8")
BAD_INPUT = README[README.index("<!-- bad-input:start -->") : README.index("<!-- bad-input:end -->")]


def test_the_readmes_table_of_rejections_is_the_catalogues():
    start, end = "<!-- rejection-types:start -->\n", "\n<!-- rejection-types:end -->"
    shown = BAD_INPUT[BAD_INPUT.index(start) + len(start) : BAD_INPUT.index(end)]
    assert shown == reasons.markdown_table(Kind.REJECTION), "regenerate it with reasons.markdown_table(Kind.REJECTION)"


# The reason a row of the README's bad-input tables quotes for a rejection: "rejected: `…`",
# "rejected (`…`)", "rejected, naming the field: `…`".
REJECTED_QUOTE = re.compile(r"rejected(?:, naming the field|: field,)?(?::| \()? `((?:[^`\\]|\\.)+)`")


def quoted_rejections() -> list[str]:
    tables = BAD_INPUT[: BAD_INPUT.index("**Rejection reasons**")]
    return [match.group(1).replace("\\|", "|") for match in REJECTED_QUOTE.finditer(tables)]


def test_the_readme_quotes_a_rejection_in_most_rows():
    assert len(quoted_rejections()) >= 10


@pytest.mark.parametrize("text", quoted_rejections())
def test_each_rejection_the_readme_quotes_is_a_rejection_of_the_catalogue(text):
    found = candidates(text.replace("…", "x"))
    assert [r.kind for r in found] == [Kind.REJECTION], text


@pytest.mark.parametrize("path", sorted(Path(reasons.__file__).parent.rglob("*.py")), ids=str)
def test_no_module_words_a_not_applicable_reason_itself(path):
    """`not_applicable(...)` takes a catalogue text, never a literal."""
    assert not re.search(r"not_applicable\(f?\"", path.read_text(encoding="utf-8")), path
