"""Compact builders for check tests: a ticket from a few tuples, a one-rule standard from a mapping.

Times are offsets from a fixed start (Monday 2026-11-02 09:00 UTC): a number is minutes, a
`timedelta` is taken as is, a `datetime` is absolute. Ticket rows go through the real `RowParser`
(so priority, status and channel are case-folded and `columns` is set exactly as intake sets it);
message rows become `Message`s sorted and indexed as intake does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from svcaudit.audit.run import Audit
from svcaudit.checks.base import Outcome, Status, TicketContext
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import RowParser
from svcaudit.intake.model import Message, Role, RowRef, Ticket
from svcaudit.intake.timestamps import TimestampParser
from svcaudit.standard.loader import parse_standard
from svcaudit.standard.model import Standard

UTC = timezone.utc
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
TICKETS_PATH = "tickets.csv"
MESSAGES_PATH = "messages.csv"
FIRST_DATA_ROW = 2  # CSV line of the first data row (the header is line 1)
STANDARD_SOURCE = "test-standard.yaml"
TIME_FIELDS = ("created_at", "first_reply_at", "resolved_at")

When = int | float | timedelta | datetime
# (when, role, text) or (when, role, text, status)
Line = tuple[When, str, str] | tuple[When, str, str, str | None]

PASSED, FAILED, PENDING, NA = (Status.PASSED, Status.FAILED, Status.PENDING, Status.NOT_APPLICABLE)
MIN = 60
HOUR = 3600
DAY = 86400


def at(when: When) -> datetime:
    """An instant from an offset after START (minutes, or a timedelta) or an absolute datetime."""
    if isinstance(when, datetime):
        return when
    if isinstance(when, timedelta):
        return START + when
    return START + timedelta(minutes=when)


def secs(seconds: int) -> timedelta:
    """An offset given in seconds, for cases that need second precision."""
    return timedelta(seconds=seconds)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


_ROW_PARSER = RowParser(TimestampParser(ZoneInfo("UTC")), ColumnMapping())


def messages(lines: Iterable[Line], first_row: int = FIRST_DATA_ROW) -> list[Message]:
    """Messages from tuples, each with its physical row, sorted by time and indexed like intake."""
    built = []
    for offset, line in enumerate(lines):
        when, role, text, *rest = line
        status = rest[0] if rest else None
        built.append(
            Message(
                created_at=at(when),
                role=Role(role),
                text=text,
                ref=RowRef(MESSAGES_PATH, first_row + offset),
                status=status.casefold() if status else None,
            )
        )
    built.sort(key=lambda m: m.created_at)
    for index, message in enumerate(built):
        message.index = index
    return built


def make_ticket(
    conversation: Iterable[Line] = (),
    *,
    ticket_id: str = "T1",
    row: int = FIRST_DATA_ROW,
    ticket_row: bool = True,
    first_message_row: int = FIRST_DATA_ROW,
    **fields: Any,
) -> Ticket:
    """A ticket with its conversation.

    With `ticket_row` (the default) a ticket row is read with `created_at` at START unless given;
    every keyword becomes a column (None: a blank cell, so the column exists without a value; time
    fields accept the offsets of `at`). Without it, the ticket exists only through its messages.
    """
    conversation = messages(conversation, first_message_row)
    if not ticket_row:
        assert not fields, "a ticket without a ticket row has no fields"
        return Ticket(ticket_id=ticket_id, ref=conversation[0].ref, messages=conversation)
    fields.setdefault("created_at", 0)
    values: dict[str, Any] = {"ticket_id": ticket_id}
    for name, value in fields.items():
        if value is None:
            values[name] = ""
        elif name in TIME_FIELDS:
            values[name] = iso(at(value))
        else:
            values[name] = str(value)
    ticket = _ROW_PARSER.ticket(RowRef(TICKETS_PATH, row), values)
    ticket.messages = conversation
    return ticket


def standard(rules: Sequence[Mapping[str, Any] | str] | Mapping[str, Any] | str, **top: Any) -> Standard:
    """A standard parsed by `parse_standard` from rules (mappings or YAML snippets) and top-level keys.

    Rules without an `id` are numbered r1, r2, …; `top` adds keys such as calendars or pass_threshold.
    """
    if isinstance(rules, (str, Mapping)):
        rules = [rules]
    document: dict[str, Any] = {"svcaudit": 1, "name": "test standard", **top, "rules": []}
    for number, rule in enumerate(rules, 1):
        body = yaml.safe_load(rule) if isinstance(rule, str) else dict(rule)
        document["rules"].append({"id": body.pop("id", f"r{number}"), **body})
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return parse_standard(text, STANDARD_SOURCE)


def evaluate(std: Standard, ticket: Ticket, as_of: When, rule_index: int = 0) -> Outcome:
    """The outcome of one rule's check on one ticket (without the engine's `where`/`when`)."""
    check = std.checks[rule_index]
    return check.evaluate(ticket, TicketContext(ticket, at(as_of), std.phrase_bank, std.text_strip))


def judge(rule: Mapping[str, Any] | str, ticket: Ticket, as_of: When = 0, **top: Any) -> Outcome:
    """Parse a one-rule standard and evaluate its check on one ticket."""
    return evaluate(standard(rule, **top), ticket, as_of)


def run(std: Standard, tickets: Iterable[Ticket], as_of: When = 0) -> Audit:
    """Feed tickets through the engine; inspect `.results` and `.violations`."""
    audit = Audit(std, at(as_of))
    audit.feed(tickets)
    return audit


def tally(audit: Audit, rule_index: int = 0) -> dict[str, int]:
    """A rule's verdict counts, with zero counts left out, for compact assertions."""
    result = audit.results[rule_index]
    counts = {
        "passed": result.passed,
        "failed": result.failed,
        "pending": result.pending,
        "not_applicable": result.not_applicable,
    }
    return {name: count for name, count in counts.items() if count}


def finish(audit: Audit):
    """The audit's `AuditResult`, for tickets fed directly (no input files were read)."""
    from types import SimpleNamespace

    return audit.finish(SimpleNamespace(inputs=[], rejected=[], warnings=[], grouping=None, messages_after_as_of=0))


_UNSET: Any = object()


def expect(
    outcome: Outcome,
    status: Status,
    *,
    measured: int | None = _UNSET,
    target: int | None = _UNSET,
    reason: str | None = None,
    evidence: str | None = None,
) -> None:
    """Assert an outcome's status and, where given, its exact seconds and fragments of its texts."""
    assert outcome.status is status, f"{outcome.status.value}: {outcome.reason!r}"
    if measured is not _UNSET:
        assert outcome.measured_seconds == measured, outcome
    if target is not _UNSET:
        assert outcome.target_seconds == target, outcome
    if reason is not None:
        assert reason in outcome.reason, f"{reason!r} not in {outcome.reason!r}"
    if evidence is not None:
        assert evidence in (outcome.evidence or ""), f"{evidence!r} not in {outcome.evidence!r}"
