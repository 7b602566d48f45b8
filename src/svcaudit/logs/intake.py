"""Intake: every input file read, every row accounted for, tickets assembled and handed on lazily.

Ticket rows alone stream one ticket at a time. With message rows, messages are grouped per ticket and
joined to ticket rows by `ticket_id`; tickets come out in ticket-file order, then tickets known only
from messages in the order they were first seen. A row that cannot be audited becomes a `Rejection`.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Location
from .columns import MESSAGE_MARKERS, ColumnMapping
from .fields import FieldError, RowParser
from .model import InputStats, Message, Rejection, RowRef, Shape, Ticket
from .readers import ExportFile, Record, RecordError


@dataclass
class _Input:
    file: ExportFile
    stats: InputStats
    names: dict[str, str] = field(default_factory=dict)


class Intake:
    """Reads the inputs of one audit. `tickets()` may be consumed once; then read the accounts."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        parser: RowParser,
        mapping: ColumnMapping,
        encoding: str | None = None,
    ) -> None:
        if not paths:
            raise InputError("no input files given", Location("<command line>"))
        self.parser = parser
        self.mapping = mapping
        self.rejected: list[Rejection] = []
        self._inputs = [self._classify(ExportFile(p, encoding)) for p in paths]

    @property
    def inputs(self) -> list[InputStats]:
        return [item.stats for item in self._inputs]

    def _classify(self, export: ExportFile) -> _Input:
        raw_columns = export.peek_columns()
        names = self.mapping.canonical_names(raw_columns)
        canonical = set(names.values())
        shape = Shape.MESSAGES if canonical & MESSAGE_MARKERS else Shape.TICKETS
        if raw_columns and "ticket_id" not in canonical:
            raise InputError(
                "no ticket_id column (columns: " + ", ".join(raw_columns[:20])
                + "); map one with input.columns.ticket_id in the standard",
                Location(export.display, 1),
            )
        stats = InputStats(export.display, shape, export.format, export.encoding)
        return _Input(export, stats, names)

    def _reject(self, item: _Input, row: int, field_name: str | None, error: str) -> None:
        item.stats.rows_rejected += 1
        self.rejected.append(Rejection(item.stats.path, row, field_name, error))

    def _rows(self, item: _Input) -> Iterator[tuple[RowRef, dict]]:
        """Canonical rows of one input; reader-level faults are rejected here."""
        names = item.names
        for record in item.file.records():
            item.stats.rows_read += 1
            if isinstance(record, RecordError):
                self._reject(item, record.row, record.field, record.error)
                continue
            if len(names) != len(record.values):  # JSON objects may bring new keys
                names = item.names = self.mapping.canonical_names(list(record.values))
            values = {names.get(k, k): v for k, v in record.values.items()}
            yield RowRef(item.stats.path, record.row), values

    def tickets(self) -> Iterator[Ticket]:
        ticket_inputs = [i for i in self._inputs if i.stats.shape is Shape.TICKETS]
        message_inputs = [i for i in self._inputs if i.stats.shape is Shape.MESSAGES]
        if not message_inputs:
            yield from self._ticket_rows(ticket_inputs, {})
            return
        rejected_tickets: dict[str, RowRef] = {}
        by_id = {t.ticket_id: t for t in self._ticket_rows(ticket_inputs, rejected_tickets)}
        groups = self._message_groups(message_inputs, rejected_tickets)
        for ticket in by_id.values():
            ticket.messages = groups.pop(ticket.ticket_id, [])
            yield self._with_conversation(ticket)
        for ticket_id, messages in groups.items():
            ticket = Ticket(ticket_id=ticket_id, ref=messages[0].ref, messages=messages)
            yield self._with_conversation(ticket)

    def _ticket_rows(
        self, inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> Iterator[Ticket]:
        seen: dict[str, RowRef] = {}
        for item in inputs:
            for ref, values in self._rows(item):
                try:
                    ticket = self.parser.ticket(ref, values)
                except FieldError as exc:
                    self._reject(item, ref.row, exc.field, exc.message)
                    ticket_id = str(values.get("ticket_id") or "").strip()
                    if ticket_id:
                        rejected_ids.setdefault(ticket_id, ref)
                    continue
                first = seen.get(ticket.ticket_id)
                if first is not None:
                    self._reject(item, ref.row, "ticket_id",
                                 f"duplicate ticket_id {ticket.ticket_id!r} "
                                 f"(first at {first.path}:{first.row})")
                    continue
                seen[ticket.ticket_id] = ref
                yield ticket

    def _message_groups(
        self, inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> dict[str, list[Message]]:
        groups: dict[str, list[Message]] = {}
        for item in inputs:
            for ref, values in self._rows(item):
                try:
                    ticket_id, message = self.parser.message(ref, values)
                except FieldError as exc:
                    self._reject(item, ref.row, exc.field, exc.message)
                    continue
                bad_ticket = rejected_ids.get(ticket_id)
                if bad_ticket is not None:
                    self._reject(item, ref.row, "ticket_id",
                                 f"its ticket row ({bad_ticket.path}:{bad_ticket.row}) was rejected")
                    continue
                groups.setdefault(ticket_id, []).append(message)
        return groups

    def _with_conversation(self, ticket: Ticket) -> Ticket:
        """Sort the conversation by time and reject messages stamped before the ticket's creation."""
        messages = sorted(ticket.messages, key=lambda m: m.created_at)
        if ticket.created_at is not None:
            kept = []
            for message in messages:
                if message.created_at < ticket.created_at:
                    self._reject_message(message, ticket)
                else:
                    kept.append(message)
            messages = kept
        for index, message in enumerate(messages):
            message.index = index
        ticket.messages = messages
        return ticket

    def _reject_message(self, message: Message, ticket: Ticket) -> None:
        item = next(i for i in self._inputs if i.stats.path == message.ref.path)
        self._reject(
            item, message.ref.row, "created_at",
            f"message stamped {message.created_at.isoformat()}, before its ticket was created "
            f"({ticket.created_at.isoformat() if ticket.created_at else '?'})",
        )
