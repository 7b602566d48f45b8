"""Fuzzing `svcaudit validate`: random YAML around the valid shape exits 0 or 2, never with a traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from tempfile import TemporaryDirectory

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.helpers import EXAMPLES, STANDARD, assert_no_crash, invoke

FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
BASE = yaml.safe_load(STANDARD)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "1h",
            "0s",
            "-5m",
            "3bd",
            "PT4H",
            "1h30m",
            "90%",
            "101%",
            "-1%",
            "abc%",
            "09:00-18:00",
            "22:00-06:00",
            "25:00-26:00",
            "00:00-24:00",
            "Europe/Berlin",
            "Mars/Olympus",
            "RU",
            "XX",
            "2026-02-30",
            "builtin:nope",
            "{customer_name}",
            "{nope}",
            "\\bidiot(",
            "(a+)+$",
            "mon-fri",
            "sun-mon",
            "first_reply",
            "csat",
            "nps",
            "ces",
            "error",
            "warning",
            "24/7",
            "day-first",
            "solved",
            "",
            " ",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.one_of(st.text(max_size=8), st.integers(0, 3)), inner, max_size=3)
    ),
    max_leaves=8,
)
KNOWN_KEYS = [
    "svcaudit",
    "name",
    "timezone",
    "pass_threshold",
    "rules",
    "calendars",
    "input",
    "text",
    "id",
    "check",
    "metric",
    "target",
    "targets",
    "calendar",
    "in",
    "require_any",
    "forbid",
    "when",
    "where",
    "severity",
    "min",
    "max",
    "min_compliance",
    "max_reopens",
    "resolved_statuses",
    "pause_statuses",
    "week",
    "holidays",
    "exceptions",
    "columns",
    "values",
    "date_order",
    "weight",
    "critical",
    "quality",
    "strip",
    "first_reply_over",
]


def paths(document, prefix=()):
    """Every (path, container) place in a document where a value can be changed or removed."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield prefix + (key,)
            yield from paths(value, prefix + (key,))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield prefix + (index,)
            yield from paths(value, prefix + (index,))


def at(document, path):
    for step in path:
        document = document[step]
    return document


@st.composite
def mutated_standard(draw):
    document = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        places = list(paths(document))
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent, last = at(document, path[:-1]), path[-1]
        action = draw(st.sampled_from(["replace", "remove", "add key", "duplicate"]))
        if action == "replace":
            parent[last] = draw(values)
        elif action == "remove":
            del parent[last]
        elif action == "add key" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KNOWN_KEYS) | st.text(max_size=6))] = draw(values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@FUZZ
@given(
    text=st.one_of(
        mutated_standard(),
        values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
        st.text(max_size=200),
        st.sampled_from(
            [
                "",
                "svcaudit: 1\nrules: [",
                "a: &x [*x]",
                "!!python/object:os.system {}",
                "\t- bad indent",
                "svcaudit: 1\nname: x\nrules: []\n" * 2,
                "\ufeffsvcaudit: 1",
                "a: b\n  c: d",
            ]
        ),
    )
)
def random_standards_never_crash_validate(text):
    with TemporaryDirectory() as folder:
        path = Path(folder, "standard.yaml")
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = invoke("validate", path)
        assert result.exit_code in (0, 2), result.output
        assert_no_crash(result)


def test_random_standards_never_crash_validate():
    random_standards_never_crash_validate()
