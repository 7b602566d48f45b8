"""The equivalence corpus: standards built from every check kind's documented example rules.

Each kind's `EXAMPLES` (`checks.registry.CHECK_KINDS`) alone, and all of them together in variants:
with `when` conditions, on a business calendar in zones with and without DST (or on 24/7), with
`quality:`, weights, criticality and mapped values. A kind added to the registry with its examples
is in every comparison of the columnar core with the reference rule loop from that day on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from svcaudit.checks.registry import CHECK_KINDS
from svcaudit.standard.loader import parse_standard
from svcaudit.standard.model import Standard
from svcaudit.standard.rulesdoc import example_rules, flow

ALWAYS_OPEN = "24/7"
# The calendars an example's `calendar: office` is made to mean: office hours with a lunch break,
# a Saturday and holidays; or a night shift across midnight. Zones with DST in both hemispheres.
OFFICE_HOURS = {
    "week": {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
    "holidays": {"dates": ["2026-11-04", "2026-12-24", "2026-12-25", "2026-05-01"]},
}
NIGHT_SHIFT = {"week": {"mon-sun": ["22:00-06:00"]}}
# Given to the rules in turn when a variant has conditions (every kind of `when`, alone and together).
CONDITIONS = (
    {"first_reply_over": "4h"},
    {"resolved": True},
    {"reopened": False},
    {"first_reply_over": "1bd", "resolved": False},
    {"reopened": True, "first_reply_over": "5m"},
    {},
)
# Given to the rules in turn when a variant has a quality score (five, against six conditions,
# so that each rule of a long standard meets other pairs).
QUALITY_KEYS = (
    {"weight": 2},
    {"critical": True},
    {"weight": 0.5, "severity": "warning"},
    {"weight": 0},
    {"weight": 3, "critical": True, "severity": "warning"},
)
MAPPED_VALUES = {
    "status": {"done": "solved", "Готово": "closed"},
    "channel": {"mail": "email", "2": "chat"},  # Freshdesk's API numbers sources and priorities
    "priority": {"p1": "urgent", "critical": "high", "4": "urgent"},
}


@dataclass(frozen=True)
class Variant:
    """How the examples are put together into one standard."""

    kinds: tuple[str, ...]
    zone: str = "Europe/Berlin"  # the standard's zone: naive timestamps are read in it
    office: dict[str, Any] | None = field(default_factory=lambda: {"timezone": "Europe/Berlin", **OFFICE_HOURS})
    when: bool = False
    quality: bool = False
    input: dict[str, Any] = field(default_factory=dict)

    def rules(self) -> list[dict[str, Any]]:
        """Every example of the kinds as a rule, `calendar: office` on 24/7 when there is no office."""
        found = [rule for kind in self.kinds for rule in example_rules(CHECK_KINDS[kind])]
        for position, rule in enumerate(found):
            if self.office is None and "calendar" in rule:
                rule["calendar"] = ALWAYS_OPEN
            when = CONDITIONS[position % len(CONDITIONS)]
            if self.when and when:
                rule["when"] = when
            if self.quality:
                rule.update(QUALITY_KEYS[position % len(QUALITY_KEYS)])
        return found

    def text(self, name: str, duplicates: str | None = None, date_order: str | None = None) -> str:
        """The standard's YAML; `duplicates` and `date_order` set those keys of `input`."""
        lines = ["svcaudit: 1", f"name: {flow(name)}", f"timezone: {self.zone}"]
        chosen = {"duplicates": duplicates, "date_order": date_order}
        given_input = {**self.input, **{key: value for key, value in chosen.items() if value}}
        if given_input:
            lines.append(f"input: {flow(given_input)}")
        if self.quality:
            lines.append("quality: {min: 80%}")
        if self.office is not None:
            lines.append(f"calendars: {flow({'office': self.office})}")
        lines.append("rules:")
        lines += [f"  - {flow(rule)}" for rule in self.rules()]
        return "\n".join(lines) + "\n"


ALL = tuple(CHECK_KINDS)
CORPUS: dict[str, Variant] = {
    **{f"kind:{kind}": Variant((kind,)) for kind in CHECK_KINDS},
    "all": Variant(ALL, zone="Europe/Moscow"),
    "all:24/7": Variant(ALL, zone="UTC", office=None),
    "all:when": Variant(
        ALL, zone="America/New_York", office={"timezone": "America/New_York", **OFFICE_HOURS}, when=True
    ),
    "all:quality": Variant(
        ALL,
        zone="Asia/Tokyo",
        office={"timezone": "Australia/Sydney", **NIGHT_SHIFT},
        quality=True,
        input={"values": MAPPED_VALUES},
    ),
    "all:when+quality:24/7": Variant(ALL, zone="Australia/Sydney", office=None, when=True, quality=True),
}


@cache
def corpus_standard(name: str, duplicates: str | None = None, date_order: str | None = None) -> Standard:
    return parse_standard(CORPUS[name].text(name, duplicates, date_order), f"{name.replace(':', '-')}.yaml")


def kind_example_standard(kind: str) -> str:
    """The YAML of a standard of one kind's examples, on office hours."""
    return CORPUS[f"kind:{kind}"].text(f"{kind} examples")
