"""Hostile standards: deep nesting, huge numbers, absurd durations and regex floods are refused with
a message at file:line:column and exit code 2 from both `validate` and `check`, never a traceback;
and many regexes load at bounded cost (the set is compiled once, exact patterns only when needed).

Each case is a row: a name, the standard's text, the location and a part of the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.standard.loader import load_standard
from svcaudit.standard.yamlsource import MAX_DEPTH, MAX_NUMBER_CHARS
from svcaudit.text.phrases import MAX_REGEX_PROGRAM, MAX_REGEXES
from svcaudit.text.regex import MAX_PATTERN_CHARS, MAX_PATTERN_PROGRAM, compile_user_regex
from svcaudit.timecalc.durations import MAX_DURATION_DAYS

AS_OF = "2026-03-10T00:00:00Z"
EXPORT = "ticket_id,created_at,first_reply_at\nT1,2026-03-02 09:00,2026-03-02 09:30\n"
HEAD = "svcaudit: 1\nname: hostile\nrules:\n"
RULE = "  - id: first-reply\n    check: response_time\n    metric: first_reply\n"  # lines 4-6


def _target(value: str) -> str:
    return HEAD + RULE + f"    target: {value}\n"  # the value is at line 7, column 13


def _regexes(patterns: list[str]) -> str:
    """One forbid rule holding every pattern; pattern i is on line 8 + i, at column 9."""
    lines = [HEAD + "  - id: polite\n    check: phrases\n    in: every_agent_message\n    forbid:\n"]
    lines += [f"      - regex: '{pattern}'\n" for pattern in patterns]
    return "".join(lines)


def _words(count: int) -> list[str]:
    """`count` distinct Cyrillic words, regular enough to be generated, not to be guessed."""
    letters = "бвгджзклмнпрстфхцчшщ"
    return ["".join(letters[(n // len(letters) ** k) % len(letters)] for k in range(4)) + "ка" for n in range(count)]


# The relaxed program of one `\bword\w{0,400}` (every word of _words has the same length).
WIDE_PROGRAM = compile_user_regex(r"\bбвгдка\w{0,400}").program


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    location: str  # line:column (a budget of the whole standard: the entry that crossed it)
    message: str


CASES = [
    Case(
        "nested flow lists",
        HEAD + RULE + "    target: 1h\n    where: {channel: " + "[" * 600 + "]" * 600 + "}\n",
        f"8:{22 + MAX_DEPTH - 4}",
        f"more than {MAX_DEPTH} levels deep",
    ),
    Case(
        "nested block mappings",
        "svcaudit: 1\nx:\n" + "".join("  " * (level + 1) + f"k{level}:\n" for level in range(600)) + "rules: []\n",
        f"{MAX_DEPTH + 2}:{2 * MAX_DEPTH + 1}",
        "more than 64 levels deep",
    ),
    Case(
        "nesting through aliases",
        "svcaudit: 1\nrules: []\n"
        + "".join(f"x{n}: &a{n} " + "[" * 10 + (f"*a{n - 1}" if n else "1") + "]" * 10 + "\n" for n in range(40)),
        "3:13",
        "more than 64 levels deep",
    ),
    Case(
        "a 5,000-digit target",
        _target("9" * 5000),
        "7:13",
        f"(5,000 characters) is too large: a number in a standard has at most {MAX_NUMBER_CHARS}",
    ),
    Case(
        "a 5,000-digit threshold",
        "svcaudit: 1\npass_threshold: "
        + "1" * 5000
        + "\n"
        + RULE.replace("  - id", "rules:\n  - id")
        + "    target: 1h\n",
        "2:17",
        "is too large",
    ),
    Case("a 5,000-digit key", "svcaudit: 1\nx:\n  ? " + "7" * 5000 + "\n  : 1\nrules: []\n", "3:5", "is too large"),
    Case(
        "an infinite threshold",
        "svcaudit: 1\npass_threshold: 1.0e+400\nrules: []\n",
        "2:17",
        "the number 1.0e+400 is not finite",
    ),
    Case("a NaN weight", HEAD + RULE + "    target: 1h\n    weight: .nan\n", "8:13", "the number .nan is not finite"),
    Case(
        "a date no calendar has",
        "svcaudit: 1\nrules: []\ncalendars:\n  c:\n    holidays: {dates: [2026-02-30]}\n",
        "5:24",
        "'2026-02-30' is not a date (day is out of range for month)",
    ),
    Case("a key that is no date", "svcaudit: 1\nrules: []\n2026-13-01: x\n", "3:1", "'2026-13-01' is not a date"),
    Case(
        "a target of 10^20 days",
        _target("99999999999999999999d"),
        "7:13",
        "'99999999999999999999d' is longer than 100 years",
    ),
    Case("a target one day over 100 years", _target(f"{MAX_DURATION_DAYS + 1}d"), "7:13", "is longer than 100 years"),
    Case("an ISO target of 10^20 days", _target("P99999999999999999999D"), "7:13", "is longer than 100 years"),
    Case(
        "a target of 10^20 seconds",
        _target("99999999999999999999"),
        "7:13",
        "99999999999999999999 seconds is longer than 100 years",
    ),
    Case("working days beyond 100 years", _target(f"{MAX_DURATION_DAYS + 1}bd"), "7:13", "is longer than 100 years"),
    Case(
        "a condition beyond 100 years",
        HEAD + RULE + "    target: 1h\n    when: {first_reply_over: 200000w}\n",
        "8:30",
        "'200000w' is longer than 100 years",
    ),
    Case(
        "a regex too long",
        _regexes(["a" * (MAX_PATTERN_CHARS + 1)]),
        "8:9",
        f"a regex has at most {MAX_PATTERN_CHARS:,}",
    ),
    Case("a regex too complex", _regexes([r"\w{600}"]), "8:9", f"more than {MAX_PATTERN_PROGRAM:,}; simplify it"),
    Case(
        "too many regexes",
        _regexes([rf"\b{w}\w*" for w in _words(MAX_REGEXES + 1)]),
        f"{8 + MAX_REGEXES}:9",
        f"a standard has at most {MAX_REGEXES:,} regexes",
    ),
    Case(
        "regexes too complex together",
        _regexes([rf"\b{w}\w{{0,400}}" for w in _words(60)]),
        f"{8 + MAX_REGEX_PROGRAM // WIDE_PROGRAM}:9",
        f"more than {MAX_REGEX_PROGRAM:,}",
    ),
]


def _run(tmp_path: Path, text: str, *args: str):
    standard = tmp_path / "standard.yaml"
    standard.write_text(text, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    command = (
        ["validate", str(standard)]
        if not args
        else ["check", str(export), "--standard", str(standard), "--as-of", AS_OF]
    )
    return CliRunner().invoke(app, command), standard


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("command", ["validate", "check"])
def test_hostile_standard_is_refused_at_its_place(case: Case, command: str, tmp_path: Path):
    result, standard = _run(tmp_path, case.text, *(() if command == "validate" else ("check",)))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"svcaudit: {standard}:{case.location}: "), line
    assert case.message in line


def test_the_longest_durations_are_accepted(tmp_path: Path):
    for target in (f"{MAX_DURATION_DAYS}d", f"{MAX_DURATION_DAYS}bd"):
        result, _ = _run(tmp_path, _target(target))
        assert result.exit_code == 0, result.output
        result, _ = _run(tmp_path, _target(target), "check")
        assert result.exit_code == 0, result.output


def test_a_thousand_regexes_compile_once_into_a_set(tmp_path: Path):
    """Loading sizes every pattern by its cheap relaxed form and builds one set of them; no exact
    pattern is compiled until a message makes the set report it (timings: benchmarks/README.md)."""
    words = _words(1000)
    path = tmp_path / "standard.yaml"
    path.write_text(_regexes([rf"\b{w}\w*" for w in words]), encoding="utf-8")
    standard = load_standard(str(path))
    bank = standard.phrase_bank
    compiled = [regex for _, _, regex in bank._regexes]
    assert len(compiled) == 1000
    assert bank._regex_set is not None and not bank._regex_set_stale  # built at load, once
    assert not any("regexp" in vars(regex) for regex in compiled)  # no exact pattern yet
    assert sum(regex.program for regex in compiled) < MAX_REGEX_PROGRAM / 2
    scan = bank.scan(f"Ну ты и {words[7]}ище, {words[500]}!")
    assert [hit.matched for hit in scan.hits(0)] == [f"{words[7]}ище", words[500]]
    assert [i for i, regex in enumerate(compiled) if "regexp" in vars(regex)] == [7, 500]
