"""Loading standards: every fault names file:line:column, typos get a suggestion."""

from __future__ import annotations

import textwrap

import pytest

from svcaudit.errors import StandardError
from svcaudit.standard.loader import builtin_names, discover, load_standard, parse_standard

MINIMAL = """\
svcaudit: 1
name: Test
rules:
  - id: first-reply
    check: response_time
    metric: first_reply
    target: 24h
"""


def test_minimal_standard_loads():
    standard = parse_standard(MINIMAL, "s.yaml")
    assert standard.name == "Test"
    assert [r.id for r in standard.rules] == ["first-reply"]
    assert standard.pass_threshold == 1.0
    assert standard.timezone == "UTC"


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_standards_load(name):
    standard = load_standard(f"builtin:{name}")
    assert standard.rules


BAD = [
    # (yaml text, expected "line:column", expected fragment of the message, suggestion or None)
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: response_time\n    metric: first_reply\n"
        "    tagets: {default: 1h}\n",
        "6:5",
        "unknown key 'tagets'",
        "targets",
    ),
    ("svcaudit: 1\nrules:\n  - id: a\n    check: respons_time\n", "4:12", "is not one of", "response_time"),
    ("svcaudit: 2\nrules: []\n", "1:11", "unsupported format version 2", None),
    ("name: x\nrules: []\n", "1:1", "svcaudit: 1", None),
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: response_time\n    metric: first_reply\n    target: 4x\n",
        "6:13",
        "not a duration",
        None,
    ),
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: response_time\n    metric: first_reply\n    target: 1h\n"
        "  - id: a\n    check: resolution\n",
        "7:9",
        "duplicate rule id 'a'",
        None,
    ),
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: response_time\n    metric: first_reply\n    target: 1h\n"
        "    calendar: office\n",
        "7:15",
        "unknown calendar 'office'",
        None,
    ),
    (
        "svcaudit: 1\ntimezone: Mars/Olympus\nrules:\n  - id: a\n    check: resolution\n",
        "2:11",
        "unknown time zone",
        None,
    ),
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: resolution\n    max_reopens: many\n",
        "5:18",
        "expected integer",
        None,
    ),
    ("svcaudit: 1\nrules: [\n", "3:1", "YAML syntax error", None),
    ("svcaudit: 1\nrules:\n  - id: a\n    check: resolution\nrules: []\n", "5:1", "duplicate key 'rules'", None),
    ("svcaudit: 1\nrules:\n  - id: First Reply\n    check: resolution\n", "3:9", "kebab-case", None),
    ("svcaudit: 1\npass_threshold: 150%\nrules:\n  - id: a\n    check: resolution\n", "2:17", "outside 0%..100%", None),
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: response_time\n    metric: first_reply\n",
        "3:5",
        "exactly one of `target` or `targets`",
        None,
    ),
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: score\n    metric: nps\n    min: 30%\n",
        "6:10",
        "NPS minimum is a number",
        None,
    ),
    (
        "svcaudit: 1\nrules:\n  - id: a\n    check: phrases\n    in: first_agent_mesage\n    require_any: [hi]\n",
        "5:9",
        "is not one of",
        "first_agent_message",
    ),
    (
        'svcaudit: 1\nrules:\n  - id: a\n    check: phrases\n    forbid: [{regex: "(a)\\\\1"}]\n',
        "5:14",
        "backreference",
        None,
    ),
    ("svcaudit: 1\nrules: !!python/object/apply:os.system ['true']\n", "2:8", "constructor", None),
]


@pytest.mark.parametrize("text, where, fragment, suggestion", BAD)
def test_bad_standards_are_located(text, where, fragment, suggestion):
    with pytest.raises(StandardError) as caught:
        parse_standard(text, "bad.yaml")
    error = caught.value
    assert f"bad.yaml:{where}" in str(error), str(error)
    assert fragment in str(error)
    assert error.suggestion == suggestion


def test_alias_bomb_is_refused_quickly():
    lines = ["svcaudit: 1", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    lines.append("rules: []")
    with pytest.raises(StandardError, match="alias bomb"):
        parse_standard("\n".join(lines), "bomb.yaml")


def test_discovery_prefers_explicit_then_nearest_file(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert discover(None, nested) == "builtin:default"
    (tmp_path / "svcaudit.yaml").write_text(MINIMAL)
    assert discover(None, nested) == str(tmp_path / "svcaudit.yaml")
    assert discover("other.yaml", nested) == "other.yaml"


def test_unknown_builtin_suggests():
    with pytest.raises(StandardError) as caught:
        load_standard("builtin:defualt")
    assert caught.value.suggestion == "default"


def test_where_and_when_are_parsed():
    text = textwrap.dedent("""\
        svcaudit: 1
        rules:
          - id: chat-greeting
            check: phrases
            where: {channel: [Chat, web]}
            when: {first_reply_over: 1h}
            in: first_agent_message
            require_any: [hello]
        """)
    rule = parse_standard(text, "s.yaml").rules[0]
    assert rule.where["channel"] == frozenset({"chat", "web"})
    assert rule.in_scope({"channel": "CHAT"}) is None
    assert rule.in_scope({"channel": "email"}) == "channel"
    assert rule.when.first_reply_over.seconds == 3600


@pytest.mark.parametrize(
    "text, where, fragment",
    [
        ("svcaudit: 1\nrules: &x [*x]\n", "2:8", "alias refers to the node that contains it"),
        ("svcaudit: 1\nname: a\x1fb\n", "2:8", "U+001F"),
    ],
)
def test_yaml_that_cannot_be_read_is_located(text, where, fragment):
    with pytest.raises(StandardError) as caught:
        parse_standard(text, "bad.yaml")
    assert f"bad.yaml:{where}" in str(caught.value) and fragment in str(caught.value)
