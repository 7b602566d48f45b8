"""`svcaudit explain`: one ticket's verdict under every rule, and each response-time rule's clock.

This is what an administrator reads when a figure surprises them: which stretches of a measured span
counted, which were paused (a status in `pause_statuses`) and which fell outside working hours, the due
time, and the verdict. It reuses the rules' own checks, so it cannot disagree with `check`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from svcaudit.audit.conditions import conditions_unmet
from svcaudit.audit.engine import as_seen_at, created_after, make_intake
from svcaudit.checks.base import (
    CREATED_AFTER_AS_OF,
    NEEDS_AUTHOR_ROLE,
    AggregateCheck,
    Outcome,
    TicketContext,
)
from svcaudit.checks.response_time import ResponseTimeCheck
from svcaudit.errors import UsageError, closest
from svcaudit.intake.intake import Intake
from svcaudit.intake.model import Role, Ticket
from svcaudit.intake.readers import ColumnarUnfit
from svcaudit.standard.model import Rule, Standard
from svcaudit.timecalc.clock import Segment, segments
from svcaudit.timecalc.durations import format_instant


@dataclass(frozen=True)
class SpanExplanation:
    label: str
    start: datetime
    end: datetime | None  # None: still running at as_of
    due: datetime | None
    target_seconds: int | None
    measured_seconds: int
    segments: list[Segment]


@dataclass
class RuleExplanation:
    rule: Rule
    outcome: Outcome | None = None
    note: str | None = None  # why the rule does not judge this ticket one by one
    calendar: str | None = None
    spans: list[SpanExplanation] = field(default_factory=list)


@dataclass
class TicketExplanation:
    ticket: Ticket
    standard_name: str
    standard_source: str
    as_of: datetime
    rules: list[RuleExplanation]

    def to_dict(self) -> dict[str, Any]:
        ticket = self.ticket
        return {
            "ticket_id": ticket.ticket_id,
            "standard": {"name": self.standard_name, "source": self.standard_source},
            "as_of": _iso(self.as_of),
            "source": {"path": ticket.ref.path, "row": ticket.ref.row},
            "fields": dict(ticket.fields),
            "messages": [
                {
                    "index": m.index + 1,
                    "created_at": _iso(m.created_at),
                    "role": m.role.value,
                    "status": m.status,
                    "text": m.text,
                    "path": m.ref.path,
                    "row": m.ref.row,
                }
                for m in ticket.messages
            ],
            "internal_notes": [
                {
                    "created_at": _iso(m.created_at),
                    "role": m.role.value,
                    "author": m.author,
                    "text": m.text,
                    "path": m.ref.path,
                    "row": m.ref.row,
                }
                for m in ticket.notes
            ],
            "rejected_fields": dict(ticket.rejected_fields),
            "rules": [_rule_dict(r) for r in self.rules],
        }


def _rule_dict(item: RuleExplanation) -> dict[str, Any]:
    outcome = item.outcome
    return {
        "id": item.rule.id,
        "check": item.rule.check,
        "status": outcome.status.value if outcome else None,
        "reason": outcome.reason if outcome else item.note,
        "measured_seconds": outcome.measured_seconds if outcome else None,
        "target_seconds": outcome.target_seconds if outcome else None,
        "due_at": _iso(outcome.due_at) if outcome else None,
        "evidence": outcome.evidence if outcome else None,
        "calendar": item.calendar,
        "spans": [
            {
                "label": s.label,
                "start": _iso(s.start),
                "end": _iso(s.end),
                "due_at": _iso(s.due),
                "target_seconds": s.target_seconds,
                "measured_seconds": s.measured_seconds,
                "segments": [
                    {"kind": g.kind, "start": _iso(g.start), "end": _iso(g.end), "seconds": g.seconds}
                    for g in s.segments
                ],
            }
            for s in item.spans
        ],
    }


def find_ticket(
    standard: Standard,
    paths: Sequence[str | Path],
    ticket_id: str,
    encoding: str | None = None,
    as_of: datetime | None = None,
) -> Ticket:
    try:
        intake, found, seen = _search(make_intake(standard, paths, encoding, as_of), ticket_id)
    except ColumnarUnfit:  # the rows Arrow gave of an input cannot stand: read them all again
        intake, found, seen = _search(make_intake(standard, paths, encoding, as_of, columnar=False), ticket_id)
    if found is not None:
        return found
    rejected = [r for r in intake.rejected if ticket_id in r.error]
    hint = f"; its rows were rejected: {rejected[0].path}:{rejected[0].row} {rejected[0].error}" if rejected else ""
    suggestion = closest(ticket_id, seen)
    raise UsageError(
        f"no ticket {ticket_id!r} in the inputs{hint}" + (f" (did you mean {suggestion!r}?)" if suggestion else "")
    )


def _search(intake: Intake, ticket_id: str) -> tuple[Intake, Ticket | None, list[str]]:
    """The intake, the ticket of that id if it has one, and the ids seen before it (at most
    100,000, for a suggestion)."""
    seen: list[str] = []
    for ticket in intake.tickets():
        if ticket.ticket_id == ticket_id:
            return intake, ticket, seen
        if len(seen) < 100_000:
            seen.append(ticket.ticket_id)
    return intake, None, seen


def explain_ticket(standard: Standard, ticket: Ticket, as_of: datetime) -> TicketExplanation:
    as_seen_at(ticket, as_of)
    ctx = TicketContext(ticket, as_of, standard.phrase_bank, standard.text_strip)
    explained = []
    after_as_of = created_after(ticket, as_of)
    for rule, check in zip(standard.rules, standard.checks, strict=False):
        item = RuleExplanation(rule)
        excluded_by = rule.in_scope(ticket.fields)
        if after_as_of:
            item.note = CREATED_AFTER_AS_OF.reason
        elif excluded_by is not None:
            item.note = f"not in scope ({excluded_by})"
        elif isinstance(check, AggregateCheck):
            item.note = "judged once over all audited tickets (see `svcaudit check`)"
        elif check.reads_roles and any(m.role is Role.UNKNOWN for m in ticket.messages):
            item.note = NEEDS_AUTHOR_ROLE.reason
        elif (unmet := conditions_unmet(rule.when, ctx)) is not None:
            item.note = unmet
        else:
            item.outcome = check.evaluate(ticket, ctx)
            if isinstance(check, ResponseTimeCheck):
                item.calendar = check.calendar.name
                item.spans = _spans(check, ticket, ctx, as_of)
        explained.append(item)
    return TicketExplanation(ticket, standard.name, standard.source, as_of, explained)


def _spans(check: ResponseTimeCheck, ticket: Ticket, ctx: TicketContext, as_of: datetime) -> list[SpanExplanation]:
    measured = check.measured_spans(ticket, ctx)
    if isinstance(measured, Outcome):
        return []
    clock = check.clock_for(ticket, ctx)
    target = check.target_for(ticket)
    # Shown in the calendar's own zone, where working hours are written.
    zone = getattr(check.calendar, "zone", timezone.utc)
    result = []
    for span in measured:
        start = span.start.astimezone(zone)
        end = (span.end if span.end is not None else as_of).astimezone(zone)
        target_seconds = due = None
        if target is not None and not check.metric.ADDS_UP:
            target_seconds, due = check.deadline(clock, start, target)
        result.append(
            SpanExplanation(
                label=span.label,
                start=start,
                end=end if span.end is not None else None,
                due=due.astimezone(zone) if due else None,
                target_seconds=target_seconds,
                measured_seconds=clock.elapsed(start, end),
                segments=segments(clock, start, end),
            )
        )
    return result


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else format_instant(moment)
