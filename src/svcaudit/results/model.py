"""The result model of an audit, and its one serialiser (`to_dict`), which every format starts from.

The JSON shape is the contract of STANDARD.md ("The JSON report"), documented by
`schema/report-v1.json` and printed by `svcaudit schema report`. The long lists of findings may be
`findings.FindingLog`s, mostly on disk: everything here reads them one by one, or counts them.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any

from svcaudit import __version__
from svcaudit.intake.model import InputStats, Rejection
from svcaudit.reasons import NOTHING_JUDGED, PENDING, UNKNOWN, Reason, classify
from svcaudit.standard.model import Rule
from svcaudit.timecalc.durations import format_instant

REPORT_FORMAT_VERSION = 1
EXAMPLES_PER_GROUP = 2  # examples shown with each group of not-applicable or rejection reasons
NO_TICKETS = "the inputs hold no ticket to audit"
PENDING_REASON = PENDING.text()
# Who a finding is about: the ticket's fields that every violation carries, in this order.
WHO_FIELDS = ("agent", "team", "channel", "priority")


class Verdict(str, enum.Enum):
    """The outcome of an audit, which every format shows and the exit code carries."""

    PASSED = "passed"  # the standard is met, on evidence
    FAILED = "failed"  # the standard is not met
    NOT_JUDGED = "not-judged"  # no evidence to judge by, or input that cannot be trusted

    @property
    def label(self) -> str:
        """How the reports write it: PASSED, FAILED, NOT JUDGED."""
        return self.value.replace("-", " ").upper()


# A value a reason quotes ('x', "x") or a timestamp it names: the same reason about two values is
# one group. A quote opens only where no letter precedes it, so "the customer's request" stays whole.
_QUOTED_VALUE = re.compile(r"""(?<!\w)'(?:[^'\\]|\\.)*'(?!\w)|(?<!\w)"(?:[^"\\]|\\.)*"(?!\w)""")
_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?\b"
)
_SPACES = re.compile(r"\s+")


def reason_key(reason: str) -> str:
    """A reason without the values it names: "'x' is not a timestamp" and "'y' is not a
    timestamp" are both "is not a timestamp"."""
    bare = _TIMESTAMP.sub(" ", _QUOTED_VALUE.sub(" ", reason))
    bare = _SPACES.sub(" ", bare).strip(" :,;")
    return bare or reason


def group_label(reason: Reason, texts: Iterable[str]) -> str:
    """What a group of texts of one type is called: the texts without the values they name when
    those agree ("is not a timestamp"), else the type's template without its parameters."""
    keys = {reason_key(text) for text in texts}
    return keys.pop() if len(keys) == 1 else reason.summary


def _type_key(text: str) -> tuple[Reason, str]:
    """The grouping key of a text: its catalogue type; a text the catalogue does not word is a
    group of its own (by `reason_key`), so unknown texts are never lumped together."""
    reason = classify(text)
    return reason, (reason_key(text) if reason is UNKNOWN else "")


@dataclass(frozen=True)
class ReasonGroup:
    """Not-applicable results that share a reason type (`reasons.classify`), with up to two of the
    reasons as given when they differ from the group's label."""

    reason: str
    count: int
    examples: tuple[str, ...] = ()
    type: str = UNKNOWN.type

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "type": self.type, "count": self.count, "examples": list(self.examples)}


def group_reasons(reasons: Counter[str]) -> list[ReasonGroup]:
    """Reasons with their counts, grouped by type, the largest group first."""
    counts: Counter[tuple[Reason, str]] = Counter()
    texts: dict[tuple[Reason, str], list[str]] = {}
    for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
        key = _type_key(reason)
        counts[key] += count
        texts.setdefault(key, []).append(reason)
    groups = []
    for key, count in counts.items():
        label = group_label(key[0], texts[key])
        shown = tuple([text for text in texts[key] if text != label][:EXAMPLES_PER_GROUP])
        groups.append(ReasonGroup(label, count, shown, key[0].type))
    return sorted(groups, key=lambda group: (-group.count, group.reason))


@dataclass(frozen=True)
class RejectionGroup:
    """Rejected rows that share a field and a reason type, with the first two of them."""

    field: str | None
    reason: str
    count: int
    examples: tuple[Rejection, ...]
    row_kept: bool = False  # only the field was rejected: the rows were still audited
    type: str = UNKNOWN.type

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "reason": self.reason,
            "type": self.type,
            "count": self.count,
            "row_kept": self.row_kept,
            "examples": [
                {"path": r.path, "row": r.row, "error": r.error, "type": classify(r.error).type} for r in self.examples
            ],
        }


def group_rejections(rejected: Iterable[Rejection]) -> list[RejectionGroup]:
    """Rejected rows grouped by field and reason type, the largest group first (ties: first seen)."""
    GroupKey = tuple[str | None, Reason, str, bool]
    counts: dict[GroupKey, int] = {}
    examples: dict[GroupKey, list[Rejection]] = {}
    texts: dict[GroupKey, set[str]] = {}
    keys: dict[str, tuple[Reason, str]] = {}  # type per error text: a bad column repeats few of them
    for item in rejected:
        typed = keys.get(item.error)
        if typed is None:
            typed = keys[item.error] = _type_key(item.error)
        group = (item.field, typed[0], typed[1], item.row_kept)
        if group in counts:
            counts[group] += 1
            texts[group].add(item.error)
            if len(examples[group]) < EXAMPLES_PER_GROUP:
                examples[group].append(item)
        else:
            counts[group] = 1
            examples[group] = [item]
            texts[group] = {item.error}
    order = sorted(counts, key=lambda group: -counts[group])  # stable: first seen among equals
    return [
        RejectionGroup(
            group[0],
            group_label(group[1], texts[group]),
            counts[group],
            tuple(examples[group]),
            group[3],
            group[1].type,
        )
        for group in order
    ]


@dataclass(frozen=True)
class RejectedLimit:
    """`--max-rejected`: how many input rows may be rejected before the figures are not trusted."""

    allowed: float  # a count, or a share of rows read
    is_share: bool

    def exceeded(self, rejected: int, read: int) -> str | None:
        """Why the rejected rows are too many, or None."""
        over = (read > 0 and rejected / read > self.allowed) if self.is_share else rejected > self.allowed
        if not over:
            return None
        shown = f"{self.allowed:.2%}" if self.is_share else str(int(self.allowed))
        return f"{rejected} of {read} input rows were rejected, more than --max-rejected {shown}"


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
    def judged(self) -> int:
        """Results that passed or failed: the evidence the rule's compliance stands on."""
        return self.passed + self.failed

    @property
    def compliance_met(self) -> bool:
        """The rule's own `min_compliance`, if it has one."""
        if self.rule.min_compliance is None or self.compliance is None:
            return True
        return self.compliance >= self.rule.min_compliance

    @property
    def enough_judged(self) -> bool:
        """The rule's own `min_judged`, if it has one (whatever its severity)."""
        return self.rule.min_judged is None or self.judged >= self.rule.min_judged

    @property
    def met(self) -> bool:
        """The rule's own minimums: `min_compliance` and `min_judged`."""
        return self.compliance_met and self.enough_judged

    @property
    def reason_groups(self) -> list[ReasonGroup]:
        """Why the rule did not apply, grouped by reason."""
        return group_reasons(self.reasons)

    def nothing_judged(self) -> str:
        """What the rule's results were instead, when it judged no ticket: "1,183 not applicable
        (needs created_at)"."""
        parts = []
        if self.pending:
            parts.append(f"{self.pending:,} pending")
        if self.not_applicable:
            groups = self.reason_groups
            why = groups[0].reason if len(groups) == 1 else "; ".join(f"{g.reason}: {g.count:,}" for g in groups)
            parts.append(f"{self.not_applicable:,} not applicable ({why})")
        return ", ".join(parts) or "no result"

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
            "judged": self.judged,
            "min_judged": self.rule.min_judged,
            "met": self.met,
            "value": self.value,
            "not_applicable_reasons": dict(sorted(self.reasons.items())),
            "not_applicable_summary": [group.to_dict() for group in self.reason_groups],
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
    """One failed rule on one ticket (or, for aggregate rules, on the audit), with its evidence.

    Its fields, in the order declared here, are the one definition of a finding: the JSON item
    lists them in this order (`to_dict`, which adds `overrun_seconds` after the target and leaves
    `waiver` out unless set), the findings log and the processes of one run keep a finding as the
    tuple of them (`violation_as_row`, `Violation(*row)`), and `from_dict` reads the JSON item back.
    """

    rule: str
    ticket_id: str | None
    severity: str
    message: str
    measured_seconds: int | None = None
    target_seconds: int | None = None
    due_at: datetime | None = None
    evidence: str | None = None
    path: str | None = None
    row: int | None = None
    field: str | None = None
    message_index: int | None = None
    measured_value: float | None = None
    target_value: float | None = None
    # Who the finding is about, from the ticket row (WHO_FIELDS); None where the export lacks it.
    agent: str | None = None
    team: str | None = None
    channel: str | None = None
    priority: str | None = None
    waiver: str | None = None  # the waiver's reason, for a waived violation

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Violation:
        """The inverse of `to_dict`, for partial results read back by `svcaudit merge`."""
        values: dict[str, Any] = {
            name: data[name] if name in _REQUIRED else data.get(name) for name in VIOLATION_FIELDS
        }
        due = values["due_at"]
        if due is not None:
            values["due_at"] = datetime.fromisoformat(due.replace("Z", "+00:00"))
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return violation_dict(violation_as_row(self))


VIOLATION_FIELDS = tuple(f.name for f in fields(Violation))
_REQUIRED = frozenset(f.name for f in fields(Violation) if f.default is MISSING)
# A finding as the tuple of its fields, in VIOLATION_FIELDS order: how the findings log keeps it.
violation_as_row = attrgetter(*VIOLATION_FIELDS)
# The row of a finding given as a mapping of every field by name (a KeyError names one left out).
violation_row_of = itemgetter(*VIOLATION_FIELDS)
# The JSON item's keys: the fields, with the overrun the item adds right after the target.
_OVERRUN_AT = VIOLATION_FIELDS.index("target_seconds") + 1
_ITEM_KEYS = (*VIOLATION_FIELDS[:_OVERRUN_AT], "overrun_seconds", *VIOLATION_FIELDS[_OVERRUN_AT:])
_MEASURED, _TARGET, _DUE = (VIOLATION_FIELDS.index(name) for name in ("measured_seconds", "target_seconds", "due_at"))


def item_keys(waived: bool) -> tuple[str, ...]:
    """The keys of a finding's JSON item, in order: `waiver` only for a waived finding."""
    return _ITEM_KEYS if waived else _ITEM_KEYS[:-1]


def violation_dict(row: tuple) -> dict[str, Any]:
    """A finding's JSON item, from its row (`violation_as_row`): what `Violation.to_dict` gives,
    without making the object (`violation_items` of the one row)."""
    keys, columns = violation_items([row])
    return dict(zip(keys, (column[0] for column in columns), strict=True))


def violation_items(rows: Sequence[tuple]) -> tuple[tuple[str, ...], list[Sequence[Any]]]:
    """The JSON items of findings given as rows, as columns: the items' keys and a list of values
    per key. The overrun follows the target, the due time is written as an instant, and `waiver`
    only names the waiver of a waived finding: rows that differ in having one are refused
    (ValueError), for their items have different keys."""
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [() for _ in VIOLATION_FIELDS]
    waivers = columns.pop()
    waived = [waiver is not None for waiver in waivers]
    if any(waived) and not all(waived):
        raise ValueError("findings with and without a waiver have different keys")
    columns[_DUE] = [None if due is None else format_instant(due) for due in columns[_DUE]]
    overrun = [
        None if measured is None or target is None else measured - target
        for measured, target in zip(columns[_MEASURED], columns[_TARGET], strict=True)
    ]
    columns.insert(_OVERRUN_AT, overrun)
    if waived and waived[0]:
        return item_keys(waived=True), [*columns, waivers]
    return item_keys(waived=False), columns


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
    max_rejected: RejectedLimit | None = None  # --max-rejected: beyond it, nothing is judged

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
    def any_judged(self) -> bool:
        """Whether a rule that decides the verdict passed or failed anything: an error-severity
        rule (aggregates included) where the standard has any, else any rule. Warning rules
        alone are no evidence for a gate that error rules decide."""
        deciding = [r for r in self.rules if r.rule.counts] or self.rules
        return any(r.judged for r in deciding)

    @property
    def not_judged_because(self) -> str | None:
        """Why the audit cannot be judged at all, whatever its figures say; None when it can."""
        if self.tickets == 0:
            return NO_TICKETS
        too_many = self._too_many_rejected
        if too_many is not None:
            return too_many
        if not self.any_judged:
            # Warning rules that judged are named apart: they do not decide a gate.
            which = "error-severity rule" if any(r.judged for r in self.rules) else "rule"
            if self.tickets == 1:
                return f"no {which} judged the only ticket"
            return f"no {which} judged any of the {self.tickets:,} tickets"
        return None

    @property
    def _too_many_rejected(self) -> str | None:
        if self.max_rejected is None:
            return None
        return self.max_rejected.exceeded(self.rows_rejected, self.rows_read)

    @property
    def below_min_compliance(self) -> list[RuleResult]:
        return [r for r in self.rules if r.rule.counts and not r.compliance_met]

    @property
    def below_min_judged(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.enough_judged]

    @property
    def verdict(self) -> Verdict:
        """The one verdict of the audit: every format shows it and the exit code carries it."""
        if self.not_judged_because is not None:
            return Verdict.NOT_JUDGED
        compliance = self.compliance
        overall = compliance is None or compliance >= self.pass_threshold - 1e-12
        quality_met = self.quality is None or self.quality["met"]
        if overall and quality_met and not self.below_min_compliance and not self.below_min_judged:
            return Verdict.PASSED
        return Verdict.FAILED

    @property
    def standard_met(self) -> bool:
        return self.verdict is Verdict.PASSED

    @property
    def not_judged_reasons(self) -> list[dict[str, Any]]:
        """Why nothing was judged, when nothing was: the rules' not-applicable reasons grouped
        across rules (reason, results, rules), and pending results as one more group."""
        if self.tickets == 0 or self.any_judged or self._too_many_rejected is not None:
            return []  # judged, or not judged for a reason of its own (no ticket, rejected rows)
        groups: dict[str, dict[str, Any]] = {}

        def add(reason: str, count: int, rule_id: str, type_: str) -> None:
            entry = groups.setdefault(reason, {"reason": reason, "type": type_, "count": 0, "rules": []})
            entry["count"] += count
            entry["rules"].append(rule_id)

        for result in self.rules:
            for group in result.reason_groups:
                add(group.reason, group.count, result.rule.id, group.type)
            if result.pending:
                add(PENDING_REASON, result.pending, result.rule.id, PENDING.type)
        return sorted(groups.values(), key=lambda entry: -entry["count"])

    @property
    def evidence_warnings(self) -> list[str]:
        """A rule that judged no ticket while others did: its figures are not evidence."""
        if self.not_judged_because is not None:
            return []
        return [NOTHING_JUDGED.text(rule=r.rule.id, results=r.nothing_judged()) for r in self.rules if r.judged == 0]

    @property
    def all_warnings(self) -> list[str]:
        """Every warning a format shows: the input's, then the rules' without evidence."""
        return [*self.warnings, *self.evidence_warnings]

    @property
    def rejected_groups(self) -> list[RejectionGroup]:
        return group_rejections(self.rejected)

    @property
    def rows_read(self) -> int:
        return sum(i.rows_read for i in self.inputs)

    @property
    def rows_rejected(self) -> int:
        return sum(i.rows_rejected for i in self.inputs)

    def findings(self, key: str) -> Iterator[dict[str, Any]]:
        """The items of one of the long lists (violations, rejected, waived), one by one."""
        if key == "rejected":
            return (
                {"path": r.path, "row": r.row, "field": r.field, "error": r.error, "row_kept": r.row_kept}
                for r in self.rejected
            )
        return (v.to_dict() for v in getattr(self, key))

    def to_dict(self, lists: bool = True) -> dict[str, Any]:
        """The JSON report. With `lists=False` the long lists are left empty, for a streaming writer
        that adds their items one at a time (`findings`)."""
        passed, failed = self.judged
        verdict, because = self.verdict, self.not_judged_because
        warnings = self.all_warnings

        def listed(key: str) -> list[dict[str, Any]]:
            return list(self.findings(key)) if lists else []

        return {
            "svcaudit_version": __version__,
            "report_format": REPORT_FORMAT_VERSION,
            "standard": {"name": self.standard_name, "source": self.standard_source},
            "as_of": _iso(self.as_of),
            "inputs": [
                {
                    "path": i.path,
                    "shape": i.shape.value,
                    "format": i.format,
                    "encoding": i.encoding,
                    "rows_read": i.rows_read,
                    "rows_audited": i.rows_audited,
                    "rows_rejected": i.rows_rejected,
                    "rows_folded": i.rows_folded,
                    "fields_rejected": i.fields_rejected,
                    "internal_notes": i.notes,
                    "date_orders": dict(i.date_orders),
                    **({"preset": self.input_presets[i.path]} if i.path in self.input_presets else {}),
                }
                for i in self.inputs
            ],
            "summary": {
                "verdict": verdict.value,
                "passed": verdict is Verdict.PASSED,
                "not_judged": None if because is None else {"because": because, "reasons": self.not_judged_reasons},
                "tickets": self.tickets,
                "compliance": _round(self.compliance),
                "threshold": self.pass_threshold,
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
            "rejected_summary": [group.to_dict() for group in self.rejected_groups],
            "metrics": self.metrics,
            "quality": self.quality,
            "waived": listed("waived"),
            "waivers": self.waivers,
            "warnings": warnings,
            "warning_types": [classify(text).type for text in warnings],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else format_instant(moment)
