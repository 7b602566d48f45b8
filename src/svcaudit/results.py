"""The result model of an audit, and its one serialiser (`to_dict`), which every format starts from.

The JSON shape is the contract of STANDARD.md ("The JSON report"), documented by
`schema/report-v1.json` and printed by `svcaudit schema report`. The long lists of findings may be
`findings.FindingLog`s, mostly on disk: everything here reads them one by one, or counts them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any

from . import __version__
from .logs.model import InputStats, Rejection
from .standard.model import Rule
from .timecalc.durations import format_instant

REPORT_FORMAT_VERSION = 1


@dataclass
class RuleResult:
    """Counts of one rule's verdicts over the audit."""

    rule: Rule
    passed: int = 0
    failed: int = 0
    pending: int = 0
    not_applicable: int = 0
    waived: int = 0  # failures covered by a waiver: listed apart, not counted as failed
    reasons: Counter[str] = field(default_factory=Counter)  # why not applicable, and how often
    value: float | None = None  # aggregate rules: the measured score

    @property
    def compliance(self) -> float | None:
        judged = self.passed + self.failed
        return None if judged == 0 else self.passed / judged

    @property
    def met(self) -> bool:
        """The rule's own `min_compliance`, if it has one."""
        if self.rule.min_compliance is None or self.compliance is None:
            return True
        return self.compliance >= self.rule.min_compliance

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.rule.id,
            "title": self.rule.title,
            "check": self.rule.check,
            "severity": self.rule.severity.value,
            "dimension": self.rule.dimension,
            "tags": list(self.rule.tags),
            "passed": self.passed,
            "failed": self.failed,
            "pending": self.pending,
            "not_applicable": self.not_applicable,
            "waived": self.waived,
            "compliance": _round(self.compliance),
            "min_compliance": self.rule.min_compliance,
            "met": self.met,
            "value": self.value,
            "not_applicable_reasons": dict(sorted(self.reasons.items())),
        }


def dimension_table(rules: list[RuleResult]) -> dict[str, dict[str, Any]]:
    """Compliance per quality dimension over error-severity rules ("responsiveness 91 %")."""
    table: dict[str, dict[str, Any]] = {}
    for result in rules:
        dimension = result.rule.dimension
        if dimension is None or not result.rule.counts:
            continue
        entry = table.setdefault(dimension, {"passed": 0, "failed": 0, "rules": []})
        entry["passed"] += result.passed
        entry["failed"] += result.failed
        entry["rules"].append(result.rule.id)
    for entry in table.values():
        judged = entry["passed"] + entry["failed"]
        entry["compliance"] = None if judged == 0 else round(entry["passed"] / judged, 4)
    return dict(sorted(table.items()))


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed rule on one ticket (or, for aggregate rules, on the audit), with its evidence."""

    rule: str
    ticket_id: str | None
    severity: str
    message: str
    path: str | None = None
    row: int | None = None
    field: str | None = None
    measured_seconds: int | None = None
    target_seconds: int | None = None
    due_at: datetime | None = None
    evidence: str | None = None
    message_index: int | None = None
    measured_value: float | None = None
    target_value: float | None = None
    waiver: str | None = None  # the waiver's reason, for a waived violation

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Violation:
        """The inverse of `to_dict`, for partial results read back by `svcaudit merge`."""
        due = data.get("due_at")
        return cls(
            rule=data["rule"], ticket_id=data["ticket_id"], severity=data["severity"],
            message=data["message"], path=data.get("path"), row=data.get("row"),
            field=data.get("field"), measured_seconds=data.get("measured_seconds"),
            target_seconds=data.get("target_seconds"),
            due_at=None if due is None else datetime.fromisoformat(due.replace("Z", "+00:00")),
            evidence=data.get("evidence"), message_index=data.get("message_index"),
            measured_value=data.get("measured_value"), target_value=data.get("target_value"),
            waiver=data.get("waiver"),
        )

    def to_dict(self) -> dict[str, Any]:
        return violation_dict(violation_as_row(self))


VIOLATION_FIELDS = tuple(f.name for f in fields(Violation))
# A finding as the tuple of its fields, in VIOLATION_FIELDS order: how the findings log keeps it.
violation_as_row = attrgetter(*VIOLATION_FIELDS)


def violation_dict(row: tuple) -> dict[str, Any]:
    """A finding's JSON item, from its row (`violation_as_row`): what `Violation.to_dict` gives,
    without making the object (the JSON report encodes hundreds of thousands of them)."""
    (rule, ticket_id, severity, message, path, row_number, field_name, measured_seconds,
     target_seconds, due_at, evidence, message_index, measured_value, target_value, waiver) = row
    data = {
        "rule": rule,
        "ticket_id": ticket_id,
        "severity": severity,
        "message": message,
        "measured_seconds": measured_seconds,
        "target_seconds": target_seconds,
        "overrun_seconds": (measured_seconds - target_seconds
                            if measured_seconds is not None and target_seconds is not None else None),
        "due_at": None if due_at is None else format_instant(due_at),
        "evidence": evidence,
        "path": path,
        "row": row_number,
        "field": field_name,
        "message_index": message_index,
        "measured_value": measured_value,
        "target_value": target_value,
    }
    if waiver is not None:
        data["waiver"] = waiver
    return data


@dataclass
class AuditResult:
    """Everything an audit found; reporters render it, nothing else computes from raw rows."""

    standard_name: str
    standard_source: str
    as_of: datetime
    pass_threshold: float
    inputs: list[InputStats]
    rules: list[RuleResult]
    violations: Collection[Violation]  # a FindingLog from the engine; iterate, never index
    rejected: list[Rejection]
    metrics: dict[str, Any]
    tickets: int
    warnings: list[str] = field(default_factory=list)
    quality: dict[str, Any] | None = None  # per-ticket QA scores, when the standard defines them
    waived: Collection[Violation] = field(default_factory=list)
    waivers: dict[str, Any] | None = None  # the waiver file's accounting: expired, unused
    message_grouping: str | None = None  # how message rows were joined to tickets (streamed or not)
    # Input path -> the preset it was read with when no standard was given (autopreset.Detection).
    input_presets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def judged(self) -> tuple[int, int]:
        """(passed, failed) over error-severity rule results: the basis of overall compliance."""
        counted = [r for r in self.rules if r.rule.counts]
        return sum(r.passed for r in counted), sum(r.failed for r in counted)

    @property
    def compliance(self) -> float | None:
        passed, failed = self.judged
        return None if passed + failed == 0 else passed / (passed + failed)

    @property
    def standard_met(self) -> bool:
        compliance = self.compliance
        overall = compliance is None or compliance >= self.pass_threshold - 1e-12
        quality_met = self.quality is None or self.quality["met"]
        return overall and quality_met and all(r.met for r in self.rules if r.rule.counts)

    @property
    def rows_read(self) -> int:
        return sum(i.rows_read for i in self.inputs)

    @property
    def rows_rejected(self) -> int:
        return sum(i.rows_rejected for i in self.inputs)

    def findings(self, key: str) -> Iterator[dict[str, Any]]:
        """The items of one of the long lists (violations, rejected, waived), one by one."""
        if key == "rejected":
            return ({"path": r.path, "row": r.row, "field": r.field, "error": r.error,
                     "row_kept": r.row_kept} for r in self.rejected)
        return (v.to_dict() for v in getattr(self, key))

    def to_dict(self, lists: bool = True) -> dict[str, Any]:
        """The JSON report. With `lists=False` the long lists are left empty, for a streaming writer
        that adds their items one at a time (`findings`)."""
        passed, failed = self.judged

        def listed(key: str) -> list[dict[str, Any]]:
            return list(self.findings(key)) if lists else []

        return {
            "svcaudit_version": __version__,
            "report_format": REPORT_FORMAT_VERSION,
            "standard": {"name": self.standard_name, "source": self.standard_source},
            "as_of": _iso(self.as_of),
            "inputs": [
                {"path": i.path, "shape": i.shape.value, "format": i.format, "encoding": i.encoding,
                 "rows_read": i.rows_read, "rows_audited": i.rows_audited,
                 "rows_rejected": i.rows_rejected, "rows_folded": i.rows_folded,
                 "fields_rejected": i.fields_rejected, "internal_notes": i.notes,
                 "date_orders": dict(i.date_orders),
                 **({"preset": self.input_presets[i.path]} if i.path in self.input_presets else {})}
                for i in self.inputs
            ],
            "summary": {
                "tickets": self.tickets,
                "compliance": _round(self.compliance),
                "threshold": self.pass_threshold,
                "passed": self.standard_met,
                "results_passed": passed,
                "results_failed": failed,
                "violations": len(self.violations),
                "waived": len(self.waived),
                "rows_read": self.rows_read,
                "rows_rejected": self.rows_rejected,
                "message_grouping": self.message_grouping,
            },
            "rules": [r.to_dict() for r in self.rules],
            "dimensions": dimension_table(self.rules),
            "violations": listed("violations"),
            "rejected": listed("rejected"),
            "metrics": self.metrics,
            "quality": self.quality,
            "waived": listed("waived"),
            "waivers": self.waivers,
            "warnings": list(self.warnings),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else format_instant(moment)
