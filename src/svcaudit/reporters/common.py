"""What the human-readable reporters share: ordering of violations, number and time formats."""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from heapq import heappush, heapreplace
from typing import Generic, TypeVar

from ..logs.presets import preset_summary
from ..results import AuditResult, Violation
from ..timecalc.durations import format_seconds

DEFAULT_VIOLATION_LIMIT = 20

Finding = TypeVar("Finding")


class WorstByLane(Generic[Finding]):
    """Findings sorted per lane (a rule, say), largest overrun first and ties in the order added,
    keeping only the `keep` worst of each lane (all when `keep` <= 0).

    One pass over a stream and a bounded heap per lane: a report that shows twenty violations never
    holds a million of them. Lanes come in the order of their first finding.
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.counts: dict[Hashable, int] = {}  # every finding added, per lane
        self._heaps: dict[Hashable, list[tuple[int, int, Finding]]] = {}
        self._added = 0

    def add(self, lane: Hashable, overrun: int, finding: Finding) -> None:
        self._added += 1
        # Unique (overrun, -order) keys: the heap's smallest is the lane's least bad, latest finding,
        # and findings themselves are never compared.
        entry = (overrun, -self._added, finding)
        heap = self._heaps.get(lane)
        if heap is None:
            heap = self._heaps[lane] = []
            self.counts[lane] = 0
        self.counts[lane] += 1
        if self.keep <= 0:
            heap.append(entry)
        elif len(heap) < self.keep:
            heappush(heap, entry)
        elif entry > heap[0]:
            heapreplace(heap, entry)

    @property
    def lanes(self) -> list[Hashable]:
        return list(self._heaps)

    def worst(self, lane: Hashable) -> list[Finding]:
        """The lane's kept findings, worst first."""
        return [finding for _, _, finding in sorted(self._heaps[lane], reverse=True)]


def overrun(v: Violation) -> int:
    """How far past its target a violation is; -1 (after every overrun) when it has no time target."""
    if v.measured_seconds is not None and v.target_seconds is not None:
        return v.measured_seconds - v.target_seconds
    return -1


def worst_first(violations: Iterable[Violation], limit: int = 0) -> list[Violation]:
    """The first `limit` violations (all when `limit` <= 0) in this order: errors before warnings;
    within those, rule by rule in turn, each rule's largest overrun first.

    Taking the rules in turn keeps a short list varied: twenty late replies would otherwise hide
    that greetings and closings were missing too. No rule can show more than `limit` findings, so
    only that many per rule are kept while `violations` streams by.
    """
    ranked: WorstByLane[Violation] = WorstByLane(limit)
    for v in violations:
        ranked.add((v.severity == "error", v.rule), overrun(v), v)
    ordered: list[Violation] = []
    for errors in (True, False):
        lanes = [ranked.worst(lane) for lane in ranked.lanes if lane[0] is errors]
        for depth in range(max((len(lane) for lane in lanes), default=0)):
            ordered.extend(lane[depth] for lane in lanes if depth < len(lane))
    return ordered if limit <= 0 else ordered[:limit]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def seconds(value: int | None) -> str:
    return "" if value is None else format_seconds(value)


def measured(v: Violation) -> str:
    if v.measured_seconds is not None:
        return seconds(v.measured_seconds)
    if v.measured_value is not None:
        return f"{v.measured_value:g}"
    return ""


def target(v: Violation) -> str:
    if v.target_seconds is not None:
        return seconds(v.target_seconds)
    if v.target_value is not None:
        return f"{v.target_value:g}"
    return ""


def location(v: Violation) -> str:
    return f"{v.path}:{v.row}" if v.path and v.row else ""


def verdict(result: AuditResult) -> str:
    compliance = result.compliance
    threshold = result.pass_threshold
    if compliance is None:
        head = "no rule result to judge"
    else:
        sign = "≥" if compliance >= threshold - 1e-12 else "<"
        head = f"compliance {percent(compliance)} {sign} threshold {percent(threshold)}"
    below = [r.rule.id for r in result.rules if r.rule.counts and not r.met]
    if below:
        head += "; below their own min_compliance: " + ", ".join(below)
    if result.quality and not result.quality["met"]:
        head += (f"; quality score {percent(result.quality['score'])} below "
                 f"{percent(result.quality['min'])}")
    return ("PASSED: " if result.standard_met else "FAILED: ") + head


def metric_rows(result: AuditResult) -> list[tuple[str, str, str]]:
    """(name, value, basis) for the KPI table."""
    m = result.metrics

    def share(key: str) -> str:
        return percent(m.get(key))

    rows = [
        ("NPS", "—" if m.get("nps") is None else f"{m['nps']:+.1f}", f"{m.get('nps_responses', 0)} answers"),
        ("CSAT", share("csat"), f"{m.get('csat_responses', 0)} answers"),
        ("CES", "—" if m.get("ces") is None else f"{m['ces']:.2f}", f"{m.get('ces_responses', 0)} answers"),
        ("First-contact resolution", share("fcr"), "resolved tickets with messages"),
        ("Reopen rate", share("reopen_rate"), "tickets with reopen data"),
    ]
    return rows


def quality_rows(result: AuditResult) -> list[list[str]]:
    """(group, name, score, tickets, zeroed by a critical failure) rows of the quality table."""
    quality = result.quality
    if not quality:
        return []
    rows = [["overall", "", percent(quality["score"]), str(quality["tickets"]),
             str(quality["critical_failures"])]]
    for group in ("team", "agent"):
        for name, sums in quality[f"by_{group}"].items():
            rows.append([group, name, percent(sums["score"]), str(sums["tickets"]),
                         str(sums["critical_failures"])])
    return rows


QUALITY_HEADER = ["Group", "Name", "Score", "Tickets", "Zeroed by critical"]


DIMENSION_HEADER = ["Dimension", "Passed", "Failed", "Compliance", "Rules"]


def dimension_rows(rules) -> list[list[str]]:
    """Rows of the per-dimension table; empty when no rule names a dimension."""
    from ..results import dimension_table

    return [[name, str(d["passed"]), str(d["failed"]), percent(d["compliance"]), ", ".join(d["rules"])]
            for name, d in dimension_table(rules).items()]


def preset_line(preset: dict) -> str:
    """An input's `preset` entry of the JSON report as a line: `read as preset freshdesk: 5 of 5 columns`."""
    return preset_summary(preset["name"], preset["columns_matched"], preset["columns_expected"])
