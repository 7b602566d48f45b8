"""`svcaudit report`: compliance tables per week, day, month, agent, team, channel, priority or rule.

Every audited ticket is judged once (the same verdicts as `svcaudit check`) and added to the tally
of its group: the group of its period and of the fields named in `--by`. Weeks are ISO weeks of the
ticket's creation in the standard's time zone. Each group is compared with the group before it: the
previous week, day or month when a time field is in `--by`, else the same group in the period
before `--period`/`--since…--until`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from svcaudit import reasons
from svcaudit.audit.engine import Tally, TicketVerdicts
from svcaudit.audit.group_keys import CURRENT, NONE_LABEL, PREVIOUS, GroupCounts, GroupKeys, Slot
from svcaudit.audit.plan import AuditPlan
from svcaudit.checks.metrics import FirstReply, Metric, Resolution
from svcaudit.errors import UsageError, closest
from svcaudit.intake.model import InputStats, Rejection, Ticket
from svcaudit.results.findings import FindingLog, SpillPool
from svcaudit.results.model import RuleResult, dimension_table
from svcaudit.results.periods import TIME_UNITS, Period, shift_key, time_key
from svcaudit.standard.model import Standard
from svcaudit.timecalc.durations import format_instant
from svcaudit.timecalc.zoneclock import ZoneClock

if TYPE_CHECKING:
    import numpy as np

    from svcaudit.audit.columnar import Batch

MINUTE, HOUR, DAY = 60, 3600, 86400
# The buckets of the first-reply distribution every format shows: (label, from, to) in seconds.
FIRST_REPLY_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("<5m", 0, 5 * MINUTE),
    ("5–15m", 5 * MINUTE, 15 * MINUTE),
    ("15m–1h", 15 * MINUTE, HOUR),
    ("1–4h", HOUR, 4 * HOUR),
    ("4–8h", 4 * HOUR, 8 * HOUR),
    ("8–24h", 8 * HOUR, DAY),
    ("1–3d", DAY, 3 * DAY),
    (">3d", 3 * DAY, None),
)


def first_reply_histogram(values: Sequence[int]) -> list[int]:
    """How many first replies fall in each of FIRST_REPLY_BUCKETS."""
    counts = [0] * len(FIRST_REPLY_BUCKETS)
    for seconds in values:
        for index, (_, low, high) in enumerate(FIRST_REPLY_BUCKETS):
            if seconds >= low and (high is None or seconds < high):
                counts[index] += 1
                break
        else:  # a negative time cannot be measured; count it with the fastest replies
            counts[0] += 1
    return counts


GROUP_FIELDS = ("week", "day", "month", "agent", "team", "channel", "priority", "rule")


def parse_by(text: str) -> tuple[str, ...]:
    fields = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    for name in fields:
        if name not in GROUP_FIELDS:
            hint = closest(name, GROUP_FIELDS)
            raise UsageError(
                f"--by {name!r} is not one of {', '.join(GROUP_FIELDS)}"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )
    if len(set(fields)) != len(fields):
        raise UsageError("--by names a field twice")
    if sum(name in TIME_UNITS for name in fields) > 1:
        raise UsageError("--by takes at most one of week, day, month")
    return fields


def percentile(sorted_values: Sequence[int], share: float) -> int | None:
    """Nearest-rank percentile: the smallest value with at least `share` of values at or below it."""
    if not sorted_values:
        return None
    rank = max(1, -(-int(share * 1000) * len(sorted_values) // 1000))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(ordered: Sequence[int]) -> dict[str, Any]:
    """Count, median and 90th percentile of measured seconds, given in order."""
    return {
        "count": len(ordered),
        "median": statistics.median_low(ordered) if ordered else None,
        "p90": percentile(ordered, 0.9),
    }


class Group:
    """The tally of one group; it keeps the measured seconds of the first-reply and resolution
    rules (`timed`: their indexes, None for a standard without one) behind its percentiles."""

    def __init__(self, plan: AuditPlan, timed: tuple[int | None, int | None], pool: SpillPool) -> None:
        self.tally = Tally(plan, timed=timed_rules(timed), findings_pool=pool)
        self.timed = timed

    def _times(self, index: int | None) -> list[int]:
        return [] if index is None else sorted(self.tally.times[index])

    def stats(self, standard: Standard) -> GroupStats:
        self.tally.finish()
        tally = self.tally
        first_reply, resolution = (self._times(index) for index in self.timed)
        counted = [r for r in tally.results if r.rule.counts]
        passed = sum(r.passed for r in counted)
        failed = sum(r.failed for r in counted)
        timed = [r for r in tally.results if r.rule.check == "response_time"]
        sla_passed = sum(r.passed for r in timed)
        sla_judged = sla_passed + sum(r.failed for r in timed)
        metrics = tally.metrics.to_dict()
        quality = tally.quality.to_dict(standard.quality_min) if tally.quality else None
        return GroupStats(
            tickets=tally.tickets,
            compliance=None if passed + failed == 0 else passed / (passed + failed),
            sla=None if sla_judged == 0 else sla_passed / sla_judged,
            first_reply=summary(first_reply),
            resolution=summary(resolution),
            metrics=metrics,
            quality=None if quality is None else quality["score"],
            rules=tally.results,
            violations=tally.violations,
            first_reply_values=first_reply,
        )


@dataclass
class GroupStats:
    tickets: int
    compliance: float | None
    sla: float | None
    first_reply: dict[str, Any]
    resolution: dict[str, Any]
    metrics: dict[str, Any]
    quality: float | None
    rules: list[RuleResult]
    violations: FindingLog
    first_reply_values: list[int]

    def headline(self) -> dict[str, Any]:
        """The figures compared between periods."""
        return {
            "compliance": self.compliance,
            "sla": self.sla,
            "first_reply_median": self.first_reply["median"],
            "first_reply_p90": self.first_reply["p90"],
            "resolution_median": self.resolution["median"],
            "resolution_p90": self.resolution["p90"],
            "nps": self.metrics.get("nps"),
            "csat": self.metrics.get("csat"),
            "ces": self.metrics.get("ces"),
            "fcr": self.metrics.get("fcr"),
            "reopen_rate": self.metrics.get("reopen_rate"),
            "quality": self.quality,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "tickets": self.tickets,
            **{k: _round(v) for k, v in self.headline().items()},
            "first_reply": self.first_reply,
            "resolution": self.resolution,
            "metrics": self.metrics,
            "rules": [
                {
                    "id": r.rule.id,
                    "passed": r.passed,
                    "failed": r.failed,
                    "pending": r.pending,
                    "not_applicable": r.not_applicable,
                    "compliance": _round(r.compliance),
                }
                for r in self.rules
            ],
            "dimensions": dimension_table(self.rules),
        }


# Figures where a fall is the good direction (waiting times, effort, reopens).
LOWER_IS_BETTER = frozenset(
    {"first_reply_median", "first_reply_p90", "resolution_median", "resolution_p90", "ces", "reopen_rate"}
)


def changes(current: GroupStats, before: GroupStats | None) -> dict[str, float | None]:
    """current - previous for every headline figure (None where either side is missing)."""
    if before is None:
        return {}
    now, then = current.headline(), before.headline()
    return {key: None if now[key] is None or then[key] is None else now[key] - then[key] for key in now}


@dataclass
class GroupRow:
    key: dict[str, str]
    stats: GroupStats
    previous: GroupStats | None
    previous_label: str | None

    @property
    def change(self) -> dict[str, float | None]:
        return changes(self.stats, self.previous)

    def rule_change(self, index: int) -> float | None:
        if self.previous is None:
            return None
        now = self.stats.rules[index].compliance
        then = self.previous.rules[index].compliance
        return None if now is None or then is None else now - then


@dataclass
class TablesReport:
    standard: Standard
    as_of: datetime
    by: tuple[str, ...]
    period: Period | None
    previous_period: Period | None
    rows: list[GroupRow]
    inputs: list[InputStats]
    rejected: list[Rejection]
    tickets: int
    tickets_in_period: int
    tickets_without_time: int
    warnings: list[str]

    @property
    def rule_rows(self) -> list[tuple[GroupRow, int]]:
        """(group, rule index) pairs: one row per group and rule, for CSV and the rules table."""
        return [(row, index) for row in self.rows for index in range(len(self.standard.rules))]

    def to_dict(self, groups: bool = True) -> dict[str, Any]:
        """The JSON report. With `groups=False` the groups are left empty, for a writer that
        streams them (`group_dicts`)."""
        from svcaudit import __version__

        def period(p: Period | None) -> dict[str, str] | None:
            return (
                None
                if p is None
                else {"label": p.label, "start": format_instant(p.start), "end": format_instant(p.end)}
            )

        return {
            "svcaudit_version": __version__,
            "report_format": 1,
            "kind": "tables",
            "standard": {"name": self.standard.name, "source": self.standard.source},
            "as_of": format_instant(self.as_of),
            "by": list(self.by),
            "period": period(self.period),
            "previous_period": period(self.previous_period),
            "tickets": self.tickets,
            "tickets_in_period": self.tickets_in_period,
            "tickets_without_time": self.tickets_without_time,
            "inputs": [
                {
                    "path": i.path,
                    "shape": i.shape.value,
                    "rows_read": i.rows_read,
                    "rows_audited": i.rows_audited,
                    "rows_rejected": i.rows_rejected,
                }
                for i in self.inputs
            ],
            "groups": list(self.group_dicts()) if groups else [],
            "rejected": [{"path": r.path, "row": r.row, "field": r.field, "error": r.error} for r in self.rejected],
            "warnings": self.warnings,
        }

    def group_dicts(self, violations: bool = True) -> Iterator[dict[str, Any]]:
        """Each group's JSON item, made when asked for: a year's groups with their findings
        would not fit in memory as one list of dicts. Without `violations` the item's last key,
        `violations`, is left empty, for a writer that encodes the group's findings itself."""
        for row in self.rows:
            yield self.group_dict(row, violations)

    @staticmethod
    def group_dict(row: GroupRow, violations: bool = True) -> dict[str, Any]:
        """One group's JSON item (`group_dicts`)."""
        return {
            "key": row.key,
            **row.stats.to_dict(),
            "previous": None if row.previous is None else {"label": row.previous_label, **row.previous.to_dict()},
            "change": {k: _round(v) for k, v in row.change.items()},
            "violations": [v.to_dict() for v in row.stats.violations] if violations else [],
        }


class GroupedTally:
    """Counts each judged ticket in the tally of the group it belongs to: an observer of the
    reference audit (`__call__`), the absorber of what worker processes judged into groups
    (`absorb`), and for the columnar core the split of each batch of ticket rows into its groups
    (`split`); all make the same groups of the same tickets, in the same order."""

    def __init__(
        self,
        standard: Standard,
        as_of: datetime,
        by: tuple[str, ...],
        period: Period | None,
        previous_period: Period | None,
    ) -> None:
        self.standard = standard
        self.as_of = as_of
        self.plan = AuditPlan.of(standard)
        self.zone = ZoneInfo(standard.timezone)
        self.clock = ZoneClock(self.zone)  # its offsets, for the columnar core's batches
        self.by = by
        self.fields = tuple(name for name in by if name != "rule")
        self.unit = next((name for name in by if name in TIME_UNITS), None)
        self.period = period
        self.previous_period = previous_period
        self.keys = GroupKeys(self.fields, self.unit, self.zone, period, previous_period)
        self.timed = (_first_index(standard, FirstReply), _first_index(standard, Resolution))
        self.restart()

    @property
    def timed_rules(self) -> tuple[int, ...]:
        """The rules whose measured seconds a group's tally keeps (`Group`)."""
        return timed_rules(self.timed)

    def restart(self) -> None:
        """Forget every ticket counted (a run made again from the start counts them again)."""
        self.groups: dict[tuple[str, tuple[str, ...]], Group] = {}
        # Every group's findings share one budget in memory: a year by day and agent makes
        # thousands of groups.
        self.pool = SpillPool()
        self.counts = GroupCounts()

    def _group(self, slot: Slot) -> Group:
        group = self.groups.get(slot)
        if group is None:
            group = self.groups[slot] = Group(self.plan, self.timed, self.pool)
        return group

    def __call__(self, verdicts: TicketVerdicts) -> None:
        slot = self.keys.place(verdicts, self.counts)
        if slot is not None:
            self._group(slot).tally.add(verdicts)

    def absorb(self, counts: GroupCounts, states: list[tuple[Slot, dict[str, Any]]]) -> None:
        """A part of the run judged elsewhere (a worker's batch of tickets, `workers.judge_groups`):
        its counts, and the state of each group it added to, in the order of its tickets."""
        self.counts.absorb(counts)
        for slot, state in states:
            self._group(slot).tally.absorb(state)

    def split(self, batch: Batch, accepted: np.ndarray, tickets: dict[int, Ticket]) -> list[tuple[Tally, np.ndarray]]:
        """The groups of a batch's accepted rows, each group's tally with its rows
        (`columnar.RowSplit`); rows outside the period are in none."""
        from svcaudit.audit import group_columns as columns
        from svcaudit.checks.columns import MISSING
        from svcaudit.timecalc.zoneclock import to_epoch_us

        opened = columns.opened_column(batch.cols, tickets)
        present = opened != MISSING
        counts = self.counts
        counts.tickets += int(accepted.sum())
        counts.without_time += int((accepted & ~present).sum())
        counts.after_as_of += int((accepted & present & (opened > to_epoch_us(self.as_of))).sum())
        periods = columns.period_codes(opened, self.period, self.previous_period)
        counts.in_period += int((accepted & (periods == columns.CURRENT_CODE)).sum())
        if self.unit is not None:
            periods[periods == columns.PREVIOUS_CODE] = columns.CURRENT_CODE
        labelled = [
            columns.time_labels(opened, name, self.clock, NONE_LABEL)
            if name in TIME_UNITS
            else columns.field_labels(batch.cols, name, tickets, NONE_LABEL)
            for name in self.fields
        ]
        found = columns.group_rows(accepted & (periods != columns.OUTSIDE_CODE), periods, labelled)
        return [
            (self._group((CURRENT if code == columns.CURRENT_CODE else PREVIOUS, key)).tally, rows)
            for (code, key), rows in zip(found.keys, found.rows, strict=True)
        ]

    def rows(self) -> list[GroupRow]:
        rows = []
        shown = self.period
        for (which, key), group in sorted(self.groups.items(), key=lambda item: _sort_key(item[0][1])):
            if which != CURRENT:
                continue
            labelled = dict(zip(self.fields, key, strict=False))
            if self.unit is not None and shown is not None and shown.opens and labelled[self.unit] != NONE_LABEL:
                # With a time field, the previous unit's group is kept for the comparison only.
                start_key = time_key(shown.start, self.unit, self.zone)
                if labelled[self.unit] < start_key:
                    continue
            before, before_label = self._previous(which, key)
            rows.append(
                GroupRow(
                    labelled, group.stats(self.standard), before.stats(self.standard) if before else None, before_label
                )
            )
        return rows

    def _previous(self, which: str, key: tuple[str, ...]) -> tuple[Group | None, str | None]:
        if self.unit is not None:
            position = self.fields.index(self.unit)
            if key[position] == NONE_LABEL:
                return None, None
            shifted = shift_key(key[position], self.unit)
            previous_key = key[:position] + (shifted,) + key[position + 1 :]
            return self.groups.get((CURRENT, previous_key)), shifted
        if self.previous_period is None:
            return None, None
        return self.groups.get((PREVIOUS, key)), self.previous_period.label


def timed_rules(timed: tuple[int | None, int | None]) -> tuple[int, ...]:
    """The first-reply and resolution rules a standard has, of the two (`_first_index`)."""
    return tuple(index for index in timed if index is not None)


def _first_index(standard: Standard, metric: type[Metric]) -> int | None:
    """The first response-time rule measuring `metric`: the one whose times the tables show."""
    for index, rule in enumerate(standard.rules):
        if rule.check == "response_time" and rule.options.get("metric") == metric.NAME:
            return index
    return None


def _sort_key(key: tuple[str, ...]) -> tuple:
    return tuple((value == NONE_LABEL, value.casefold()) for value in key)


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def resolve_period(
    zone: ZoneInfo,
    period: str | None,
    since: datetime | None,
    until: datetime | None,
    labels: tuple[str | None, str | None],
) -> tuple[Period | None, Period | None]:
    """The reporting period and the one before it, from --period or --since/--until."""
    from svcaudit.results.periods import parse_period, previous, window

    if period and (since or until):
        raise UsageError("give --period or --since/--until, not both")
    if period:
        chosen = parse_period(period, zone)
    elif since or until:
        if since and until and until <= since:
            raise UsageError("--until must be after --since")
        label = f"{labels[0] or '…'} – {labels[1] or '…'}"
        chosen = window(since, until, label)
    else:
        return None, None
    return chosen, previous(chosen, zone)


def build_report(
    standard: Standard,
    paths: Sequence,
    as_of: datetime,
    by: tuple[str, ...],
    period: Period | None,
    previous_period: Period | None,
    encoding: str | None = None,
    jobs: int | None = 1,
    columnar: bool = True,
) -> TablesReport:
    """Audit the exports and tally the verdicts per group (`run.audit_inputs`: ticket rows
    alone by the columnar core, with `jobs` worker processes; anything else by the reference)."""
    from svcaudit.audit.engine import ordered_rejections, rejection_warnings
    from svcaudit.audit.run import audit_inputs

    grouped = GroupedTally(standard, as_of, by, period, previous_period)
    _, intake = audit_inputs(standard, paths, as_of, encoding, jobs=jobs, columnar=columnar, grouping=grouped)
    counts = grouped.counts
    warnings = rejection_warnings(intake, counts.after_as_of, as_of)
    if period is not None and counts.in_period == 0:
        warnings.append(reasons.NO_TICKET_IN_PERIOD.text(period=period.label))
    return TablesReport(
        standard=standard,
        as_of=as_of,
        by=by,
        period=period,
        previous_period=previous_period,
        rows=grouped.rows(),
        inputs=intake.inputs,
        rejected=ordered_rejections(intake),
        tickets=counts.tickets,
        tickets_in_period=counts.in_period,
        tickets_without_time=counts.without_time,
        warnings=warnings,
    )
