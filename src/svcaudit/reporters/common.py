"""What the human-readable reporters share: ordering of violations, number and time formats."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from heapq import heappush, heapreplace
from operator import attrgetter
from typing import Any, Generic, TypeVar

from svcaudit.intake.presets import preset_summary
from svcaudit.results.model import WHO_FIELDS, AuditResult, RejectionGroup, Verdict, Violation
from svcaudit.timecalc.durations import format_seconds

violation_who = attrgetter(*WHO_FIELDS)

DEFAULT_VIOLATION_LIMIT = 20

Finding = TypeVar("Finding")
Lane = TypeVar("Lane", bound=Hashable)


class WorstByLane(Generic[Lane, Finding]):
    """Findings sorted per lane (a rule, say), largest overrun first and ties in the order added,
    keeping only the `keep` worst of each lane (all when `keep` <= 0).

    One pass over a stream and a bounded heap per lane: a report that shows twenty violations never
    holds a million of them. Lanes come in the order of their first finding.
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.counts: dict[Lane, int] = {}  # every finding added, per lane
        self._heaps: dict[Lane, list[tuple[int, int, Finding]]] = {}
        self._added = 0

    def add(self, lane: Lane, overrun: int, finding: Finding) -> None:
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
    def lanes(self) -> list[Lane]:
        return list(self._heaps)

    def worst(self, lane: Lane) -> list[Finding]:
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
    ranked: WorstByLane[tuple[bool, str], Violation] = WorstByLane(limit)
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
    """The verdict line every format shows: "PASSED: …", "FAILED: …" or "NOT JUDGED: …", from the
    result's one verdict (`AuditResult.verdict`), which the exit code carries too."""
    decided = result.verdict
    if decided is Verdict.NOT_JUDGED:
        head = result.not_judged_because or ""
        reasons = result.not_judged_reasons
        if reasons:
            head += "; " + "; ".join(
                f"{r['reason']}: {r['count']:,} result{'' if r['count'] == 1 else 's'} in {', '.join(r['rules'])}"
                for r in reasons
            )
        return f"{decided.label}: {head}"
    compliance = result.compliance
    threshold = result.pass_threshold
    if compliance is None:
        head = "no error-severity rule result to judge (warning rules only)"
    else:
        sign = "≥" if compliance >= threshold - 1e-12 else "<"
        head = f"compliance {percent(compliance)} {sign} threshold {percent(threshold)}"
    below = [r.rule.id for r in result.below_min_compliance]
    if below:
        head += "; below their own min_compliance: " + ", ".join(below)
    few = [f"{r.rule.id} ({r.judged:,} of {r.rule.min_judged:,})" for r in result.below_min_judged]
    if few:
        head += "; fewer tickets judged than min_judged: " + ", ".join(few)
    if result.quality and not result.quality["met"]:
        head += f"; quality score {percent(result.quality['score'])} below {percent(result.quality['min'])}"
    return f"{decided.label}: {head}"


VERDICT_STYLES = {Verdict.PASSED: "bold green", Verdict.FAILED: "bold red", Verdict.NOT_JUDGED: "bold red"}


def who(v: Violation) -> str:
    """Who a violation is about, as far as the export says: "agent Anna; team billing; …"."""
    return _who(zip(WHO_FIELDS, violation_who(v), strict=False))


def who_lines(v: Violation) -> str:
    """`who` for a narrow table column: the agent on a line, then team · channel · priority."""
    agent, *rest = violation_who(v)
    details = " · ".join(str(value) for value in rest if value not in (None, ""))
    return "\n".join(str(part) for part in (agent, details) if part not in (None, ""))


def who_of(item: dict[str, Any]) -> str:
    """`who` of a violation's JSON item (`Violation.to_dict`), for the formats built from it."""
    return _who((name, item.get(name)) for name in WHO_FIELDS)


def _who(pairs: Iterable[tuple[str, object]]) -> str:
    return "; ".join(f"{name} {value}" for name, value in pairs if value not in (None, ""))


def rejected_examples(group: RejectionGroup) -> str:
    """Where a group of rejected rows shows, by two examples: "export.csv:17, export.csv:18"."""
    return ", ".join(f"{r.path}:{r.row}" for r in group.examples)


def reason_rows(result: AuditResult) -> list[list[str]]:
    """(rule, reason, tickets, examples) rows: each rule's not-applicable reasons, grouped."""
    return [
        [r.rule.id, group.reason, f"{group.count:,}", "; ".join(group.examples)]
        for r in result.rules
        for group in r.reason_groups
    ]


def rejected_rows(result: AuditResult) -> list[list[str]]:
    """(field, reason, rows, examples) rows: the rejected rows and fields, grouped."""
    return [
        [
            group.field or "",
            group.reason + (FIELD_ONLY if group.row_kept else ""),
            f"{group.count:,}",
            rejected_examples(group),
        ]
        for group in result.rejected_groups
    ]


FIELD_ONLY = " (the field only: rows still audited)"


def input_accounting(folded: int, fields_rejected: int, notes: int) -> str:
    """ ", 7 folded, 1 field rejected, 2 internal notes": what an input line adds to rows read,
    audited and rejected, where there is any (rows read = audited + rejected + folded)."""
    parts = [
        f"{count} {one if count == 1 else many}"
        for count, one, many in (
            (folded, "folded", "folded"),
            (fields_rejected, "field rejected", "fields rejected"),
            (notes, "internal note", "internal notes"),
        )
        if count
    ]
    return ", " + ", ".join(parts) if parts else ""


def rejected_title(result: AuditResult, separator: str) -> str:
    """The rejected table's title. A rejected field (a reply stamped before creation) leaves its
    row audited without it, so it is not counted among the rows left out."""
    rows = sum(1 for r in result.rejected if not r.row_kept)
    fields = len(result.rejected) - rows
    if not fields:
        return f"Rejected rows ({rows:,}{separator} not audited), by reason"
    kept = f"{fields:,} field{'s' if fields != 1 else ''} left out of rows still audited"
    if not rows:
        return f"Rejected fields ({kept}), by reason"
    return f"Rejected rows ({rows:,}{separator} not audited) and fields ({kept}), by reason"


REASON_HEADER = ["Rule", "Reason", "Tickets", "Examples"]
REJECTED_HEADER = ["Field", "Reason", "Rows", "Examples"]


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
    rows = [["overall", "", percent(quality["score"]), str(quality["tickets"]), str(quality["critical_failures"])]]
    for group in ("team", "agent"):
        for name, sums in quality[f"by_{group}"].items():
            rows.append([group, name, percent(sums["score"]), str(sums["tickets"]), str(sums["critical_failures"])])
    return rows


QUALITY_HEADER = ["Group", "Name", "Score", "Tickets", "Zeroed by critical"]


DIMENSION_HEADER = ["Dimension", "Passed", "Failed", "Compliance", "Rules"]


def dimension_rows(rules) -> list[list[str]]:
    """Rows of the per-dimension table; empty when no rule names a dimension."""
    from svcaudit.results.model import dimension_table

    return [
        [name, str(d["passed"]), str(d["failed"]), percent(d["compliance"]), ", ".join(d["rules"])]
        for name, d in dimension_table(rules).items()
    ]


def preset_line(preset: dict) -> str:
    """An input's `preset` entry of the JSON report as a line: `read as preset freshdesk: 5 of 5 columns`."""
    return preset_summary(preset["name"], preset["columns_matched"], preset["columns_expected"])
