"""GitHub reporter: every line is a workflow command the runner reads back to the same values.

A tiny parser below follows the runner (`::name k=v,k=v::message`, unescaping as ActionCommand.cs
does, `%25` last); each case of fixtures/audit_cases.yaml is audited through the real pipeline,
rendered, and parsed back to file, line, title and message.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svcaudit.audit.run import run_audit
from svcaudit.reporters import github
from svcaudit.reporters.escaping import visible_controls
from svcaudit.standard.loader import parse_standard
from tests.reporters.cases import AS_OF, CASES, audit

FIXTURES = Path(__file__).parent / "fixtures"
LEVELS = ("error", "warning", "notice")
COMMAND = re.compile(r"^::(?P<name>[a-z-]+)(?: (?P<properties>[^:]*))?::(?P<message>.*)$")


class Command(NamedTuple):
    name: str
    properties: dict[str, str]
    message: str


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_command(line: str) -> Command | None:
    """A workflow command as the runner reads it, or None for a plain log line."""
    if "\r" in line or "\n" in line:
        raise AssertionError(f"a command must be one line: {line!r}")
    match = COMMAND.match(line)
    if not match:
        return None
    properties = {}
    for pair in filter(None, (match["properties"] or "").split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return Command(match["name"], properties, unescape_data(match["message"]))


def parse(output: str) -> tuple[list[Command], list[str]]:
    assert output.endswith("\n")
    commands, plain = [], []
    for line in output[:-1].split("\n"):
        command = parse_command(line)
        if command is None:
            plain.append(line)
        else:
            commands.append(command)
    return commands, plain


def grouped(commands: list[Command]) -> dict[str, list[Command]]:
    """Annotations by the group they stand in; the key is the group's title."""
    groups: dict[str, list[Command]] = {}
    current = None
    for command in commands:
        if command.name == "group":
            assert current is None, "groups do not nest"
            current = command.message
            groups[current] = []
        elif command.name == "endgroup":
            assert current is not None
            current = None
        elif current is not None:
            groups[current].append(command)
    assert current is None, "every group is closed"
    return groups


@pytest.mark.parametrize("name", list(CASES))
def test_case_round_trips(name, tmp_path):
    case = CASES[name]
    result = audit(case, tmp_path)
    report = result.to_dict()
    commands, plain = parse(github.render(result, workspace=str(tmp_path)))

    counts = {level: sum(1 for c in commands if c.name == level) for level in LEVELS}
    assert counts == case["expect"]["github"]
    verdict = commands[0]
    assert verdict.name == ("notice" if case["expect"]["passed"] else "error")
    assert verdict.properties == {"title": "svcaudit"}
    assert plain == [verdict.message], "the only plain line is the verdict, last"
    label = report["summary"]["verdict"].replace("-", " ").upper()
    assert verdict.message.startswith(f"{label}: ")

    groups = grouped(commands)
    for rule in report["rules"]:
        violations = [v for v in report["violations"] if v["rule"] == rule["id"]]
        title = f"{rule['id']} ({len(violations)} violation{'' if len(violations) == 1 else 's'})"
        if not violations:
            assert title not in groups
            continue
        annotations = groups[title]
        assert len(annotations) == len(violations)
        by_message = {a.message.split("\n")[0]: a for a in annotations}
        for v in violations:
            about = "; ".join(f"{name} {v[name]}" for name in ("agent", "team", "channel", "priority") if v[name])
            ticket = f"{v['ticket_id']} ({about})" if v["ticket_id"] and about else v["ticket_id"]
            head = f"{ticket}: {v['message']}" if ticket else v["message"]
            annotation = by_message[head]
            assert annotation.name == v["severity"]
            assert annotation.properties["title"] == rule["id"]
            if v["path"] is None:  # aggregate rules: an annotation on the run, not on a file
                assert "file" not in annotation.properties and "line" not in annotation.properties
            else:
                assert annotation.properties["file"] == Path(v["path"]).relative_to(tmp_path).as_posix()
                assert annotation.properties["line"] == str(v["row"])
            if v["evidence"]:
                assert annotation.message == f"{head}\n{v['evidence']}"

    rejected = report["rejected"]
    if rejected:
        annotations = groups[f"rejected rows ({len(rejected)}, not audited)"]
        for item, annotation in zip(rejected, annotations, strict=True):
            assert annotation.name == "warning"
            assert annotation.properties == {
                "file": Path(item["path"]).name,
                "line": str(item["row"]),
                "title": "rejected row",
            }
            assert annotation.message == f"{item['field']}: {item['error']} (row not audited)"
    warnings = [c.message for c in commands if c.properties.get("title") == "svcaudit"][1:]
    assert warnings == report["warnings"]


def test_file_names_with_escapable_characters_round_trip(tmp_path):
    """`,` `%` `:` and Cyrillic in a path: escaped on the line, the same path after parsing."""
    result = audit(CASES["mixed"], tmp_path)
    output = github.render(result, workspace=str(tmp_path))
    assert "file=сообщения%2C 50%25%3A v1.csv,line=5,title=first-reply::" in output
    commands, _ = parse(output)
    files = {c.properties.get("file") for c in commands}
    assert "сообщения, 50%: v1.csv" in files and "tickets.csv" in files


def test_paths_outside_the_workspace_stay_as_read(tmp_path):
    result = audit(CASES["mixed"], tmp_path)
    commands, _ = parse(github.render(result, workspace=str(tmp_path / "elsewhere")))
    files = {c.properties["file"] for c in commands if "file" in c.properties}
    assert files == {str(tmp_path / "сообщения, 50%: v1.csv"), str(tmp_path / "tickets.csv")}
    commands, _ = parse(github.render(result))
    assert {c.properties["file"] for c in commands if "file" in c.properties} == files


NASTY = "50% done\r\nline two: a, b\n::error::injected %0A %25"


def test_messages_with_newlines_and_command_syntax_stay_one_line(tmp_path):
    result = audit(CASES["mixed"], tmp_path)
    result.violations = [dataclasses.replace(v, message=NASTY, evidence=None) for v in result.violations]
    output = github.render(result, workspace=str(tmp_path))
    commands, plain = parse(output)
    assert len(plain) == 1
    rules = {"first-reply", "greeting", "satisfaction"}
    annotations = [c for c in commands if c.properties.get("title") in rules]
    assert len(annotations) == len(result.violations)
    assert {a.message for a in annotations} == {"T-2 (channel email): " + NASTY, NASTY}
    assert not any(c.message.startswith("injected") for c in commands)


@pytest.mark.parametrize(
    "text, data, prop",
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("path: a,b", "path: a,b", "path%3A a%2Cb"),
        ("%0A", "%250A", "%250A"),
        ("Привет: мир, 5%", "Привет: мир, 5%25", "Привет%3A мир%2C 5%25"),
        ("", "", ""),
    ],
)
def test_escaping_matches_the_runner(text, data, prop):
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop
    assert unescape_data(data) == text and unescape_property(prop) == text


def shown(text: str) -> str:
    """What a value reads as after the runner unescapes it: line breaks kept, any other control
    character shown as its escape (`\\x1b`), never handed to the log raw."""
    return visible_controls(text, keep="\r\n")


@given(st.text())
def test_escaping_round_trips_any_text(text):
    data, prop = github.escape_data(text), github.escape_property(text)
    assert "\r" not in data and "\n" not in data
    assert not set("\r\n:,") & set(prop)
    assert unescape_data(data) == shown(text)
    assert unescape_property(prop) == shown(text)


@given(st.text(), st.text(), st.one_of(st.none(), st.integers(min_value=1)))
def test_command_round_trips(message, title, line):
    parsed = parse_command(github.command("warning", message, file="a, b: c.csv", line=line, title=title))
    expected = {"file": "a, b: c.csv", "title": shown(title)} | ({} if line is None else {"line": str(line)})
    assert parsed == Command("warning", expected, shown(message))


@pytest.mark.parametrize(
    "text, data",
    [
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("\x1b[2J", "\\x1b[2J"),
        ("tab\there", "tab here"),
        ("\x9b31m", "\\x9b31m"),
    ],
)
def test_control_characters_are_shown_not_sent(text, data):
    assert github.escape_data(text) == data


LATE_TICKETS = 25
CAP_STANDARD = """\
svcaudit: 1
name: Cap
rules:
  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}
"""


@pytest.fixture
def many_late(tmp_path):
    """25 late first replies, the n-th one n minutes over the target."""
    rows = ["ticket_id,created_at,first_reply_at"]
    rows += [f"T-{n},2026-11-02T09:00:00Z,2026-11-02T10:{n:02d}:00Z" for n in range(1, LATE_TICKETS + 1)]
    path = tmp_path / "late.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return run_audit(parse_standard(CAP_STANDARD, "cap.yaml"), [path], AS_OF)


@pytest.mark.parametrize(
    "options, shown",
    [
        ({}, github.DEFAULT_MAX_ANNOTATIONS),
        ({"max_annotations": 5}, 5),
        ({"limit": 3}, 3),  # the CLI's --limit, when max_annotations is not given
        ({"max_annotations": 7, "limit": 3}, 7),
        ({"max_annotations": 0}, LATE_TICKETS),  # 0: all
        ({"limit": 0}, LATE_TICKETS),
        ({"max_annotations": 100}, LATE_TICKETS),
    ],
)
def test_annotations_are_capped_per_rule_worst_first(many_late, options, shown):
    commands, _ = parse(github.render(many_late, **options))
    [group] = grouped(commands).values()
    errors = [c for c in group if c.name == "error"]
    assert len(errors) == shown
    tickets = [c.message.split(":")[0] for c in errors]
    assert tickets == [f"T-{n}" for n in range(LATE_TICKETS, LATE_TICKETS - shown, -1)]
    notices = [c for c in group if c.name == "notice"]
    rest = LATE_TICKETS - shown
    if rest:
        assert notices == [
            Command(
                "notice",
                {"title": "first-reply"},
                f"… and {rest} more violation{'' if rest == 1 else 's'} of first-reply",
            )
        ]
    else:
        assert notices == []


def test_group_title_counts_all_violations(many_late):
    output = github.render(many_late, max_annotations=2)
    assert f"::group::first-reply ({LATE_TICKETS} violations)" in output.splitlines()
    assert output.splitlines()[-1].startswith("FAILED: compliance 0.0% < threshold 100.0%")


def test_rejected_rows_can_be_errors(tmp_path):
    result = audit(CASES["rejected-only"], tmp_path)
    commands, _ = parse(github.render(result, rejected_level="error"))
    assert [c.name for c in commands if c.properties.get("title") == "rejected row"] == ["error", "error"]
