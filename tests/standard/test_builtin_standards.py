"""Every built-in standard loads, validates and runs on the samples, with its per-dimension results.

The figures are those of the deterministic samples (samples/generate.py seed 7, samples/chatbot seed
11) as of 2026-11-23T12:00:00Z; a change in them is a change in behaviour to look at.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from svcaudit.audit.run import run_audit
from svcaudit.results.model import dimension_table
from svcaudit.standard.loader import builtin_names, load_standard
from tests.paths import SAMPLES

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
HELPDESK = [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"]
CHATBOT = [SAMPLES / "chatbot" / "messages.csv"]

# name -> (inputs, {dimension: (passed, failed)})
EXPECTED = {
    "default": (
        HELPDESK,
        {"assurance": (762, 68), "empathy": (220, 62), "reliability": (236, 24), "responsiveness": (445, 47)},
    ),
    "retail-ru": (
        HELPDESK,
        {"assurance": (579, 39), "empathy": (200, 60), "reliability": (236, 24), "responsiveness": (352, 37)},
    ),
    "it-helpdesk": (HELPDESK, {"assurance": (277, 8), "reliability": (495, 33), "responsiveness": (451, 41)}),
    "5r": (
        HELPDESK,
        {"recognise": (26, 26), "relieve": (43, 14), "remove": (236, 24), "resolve": (260, 0), "respond": (242, 53)},
    ),
    "chatbot": (CHATBOT, {"assurance": (91, 5), "empathy": (7, 3), "responsiveness": (95, 11), "tangibles": (46, 2)}),
}


def test_every_builtin_is_covered():
    assert sorted(EXPECTED) == builtin_names()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_builtin_runs_with_its_dimensions(name):
    inputs, dimensions = EXPECTED[name]
    standard = load_standard(f"builtin:{name}")
    assert all(rule.dimension for rule in standard.rules if rule.check != "score"), (
        "every per-ticket rule of a built-in standard names its dimension"
    )
    result = run_audit(standard, inputs, AS_OF)
    found = {k: (v["passed"], v["failed"]) for k, v in dimension_table(result.rules).items()}
    assert found == dimensions
    assert result.rows_rejected == 0
