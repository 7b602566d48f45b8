"""The samples' recorded faults are exactly what svcaudit finds (ground truth from the generator)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from svcaudit.audit.run import run_audit
from svcaudit.standard.loader import load_standard
from tests.paths import SAMPLES

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
# default-standard rule -> the fault tag the generator records for it
RULE_TAGS = {
    "greeting": "missing-greeting",
    "uses-name": "name-not-used",
    "closing": "missing-closing",
    "polite-language": "rude-phrase",
    "apology-after-wait": None,  # the default standard waits 4h, the generator's reference 1h
    "resolved": "reopened",
}


@pytest.fixture(scope="module")
def audit():
    standard = load_standard("builtin:default")
    return run_audit(standard, [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"], AS_OF)


@pytest.fixture(scope="module")
def faults():
    return json.loads((SAMPLES / "faults.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule, tag", [(r, t) for r, t in RULE_TAGS.items() if t])
def test_rule_finds_exactly_the_recorded_faults(audit, faults, rule, tag):
    found = {v.ticket_id for v in audit.violations if v.rule == rule}
    expected = {ticket for ticket, tags in faults["tickets"].items() if tag in tags}
    assert found == expected


def test_unanswered_tickets(audit, faults):
    breached = {v.ticket_id for v in audit.violations if v.rule == "first-reply" and v.message.startswith("breached")}
    expected = {t for t, tags in faults["tickets"].items() if "unanswered-breached" in tags}
    assert breached == expected
    pending = next(r for r in audit.rules if r.rule.id == "first-reply").pending
    assert pending == sum(1 for tags in faults["tickets"].values() if "unanswered-pending" in tags)


def test_every_row_is_accounted_for(audit):
    for item in audit.inputs:
        assert item.rows_read == item.rows_audited + item.rows_rejected
    assert audit.rejected == []
