"""The phrase matcher agrees with the sample generator's ground truth (samples/faults.json).

The generator records, per ticket, which phrase faults it planted (no greeting, name not used,
no closing, no apology after a late reply, a rude phrase) and the phrase lists it drew from.
Matching those lists with svcaudit's text layer must find exactly the planted faults, through
the traps the samples contain (inflected closings, names in other cases, ё/е, lower-case
greetings).  Skips when the samples are absent.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

from svcaudit.text import PhraseBank, PhraseSet

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FAULTS, TICKETS, MESSAGES = (SAMPLES / name for name in ("faults.json", "tickets.csv", "messages.csv"))
RESOLVED = {"solved", "closed"}
PHRASE_TAGS = ("missing-greeting", "name-not-used", "missing-closing", "no-apology-after-wait", "rude-phrase")

pytestmark = pytest.mark.skipif(
    not all(path.exists() for path in (FAULTS, TICKETS, MESSAGES)), reason="samples/ is absent"
)


@lru_cache(maxsize=1)
def predicted_and_true() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    faults = json.loads(FAULTS.read_text("utf-8"))
    reference = faults["reference"]
    with TICKETS.open(encoding="utf-8", newline="") as handle:
        tickets = {row["ticket_id"]: row for row in csv.DictReader(handle)}
    agent_texts: dict[str, list[str]] = defaultdict(list)
    with MESSAGES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["author_role"] == "agent" and row["text"].strip():
                agent_texts[row["ticket_id"]].append(row["text"])
    bank = PhraseBank()
    greeting = bank.add(PhraseSet(reference["greetings"]))
    apology = bank.add(PhraseSet(reference["apologies"]))
    closing = bank.add(PhraseSet(reference["closings"]))
    forbidden = bank.add(PhraseSet(reference["forbidden"]))
    name = bank.add(PhraseSet(["{customer_name}"]))
    late = reference["apology_when_first_reply_over_seconds"]
    predicted: dict[str, set[str]] = defaultdict(set)
    for ticket_id, ticket in tickets.items():
        scans = [bank.scan(text) for text in agent_texts[ticket_id]]
        if not scans:
            continue
        found = predicted[ticket_id]
        if not scans[0].hits(greeting):
            found.add("missing-greeting")
        if any(scan.hits(forbidden) for scan in scans):
            found.add("rude-phrase")
        values = {"customer_name": ticket["customer_name"]}
        if ticket["customer_name"].strip() and not any(scan.hits(name, values) for scan in scans):
            found.add("name-not-used")
        if ticket["status"] in RESOLVED and not scans[-1].hits(closing):
            found.add("missing-closing")
        first_reply = faults["evidence"][ticket_id].get("first_reply_seconds")
        if first_reply and first_reply > late and not scans[0].hits(apology):
            found.add("no-apology-after-wait")
    return predicted, {ticket_id: set(tags) for ticket_id, tags in faults["tickets"].items()}


@pytest.mark.parametrize("tag", PHRASE_TAGS)
def test_matcher_finds_exactly_the_planted_faults(tag: str) -> None:
    predicted, truth = predicted_and_true()
    planted = {ticket_id for ticket_id, tags in truth.items() if tag in tags}
    found = {ticket_id for ticket_id, tags in predicted.items() if tag in tags}
    assert planted, f"the samples plant no {tag}"
    assert sorted(found - planted) == [] and sorted(planted - found) == []
