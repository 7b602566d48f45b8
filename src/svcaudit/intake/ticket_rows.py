"""Ticket rows typed into tickets, one per ticket id, as `input.duplicates` says.

A repeated ticket id is the later row rejected by position (`reject`), folded into the first
(`first`), or, for an event log, the row with the latest `updated_at` kept (`last`), whose earlier
rows may each give a status event (`input.history: rows`). A ticket row that cannot be typed is
rejected and its id remembered, so that its messages are rejected with it.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import datetime
from typing import Any

from svcaudit import reasons
from svcaudit.intake.accounts import Accounts
from svcaudit.intake.fields import FieldError, duplicate_id
from svcaudit.intake.inputs import ROW_SPACE, InputFile
from svcaudit.intake.model import Message, Role, RowRef, Ticket
from svcaudit.intake.rows import RowReader

DUPLICATES_POLICIES = ("reject", "first", "last")
NO_UPDATE_TIME = reasons.NO_UPDATE_TIME.text()


class TicketRows:
    """Types the ticket rows of some inputs, applying the duplicates policy."""

    def __init__(self, reader: RowReader, accounts: Accounts, duplicates: str, events_from_rows: bool) -> None:
        if duplicates not in DUPLICATES_POLICIES:
            raise ValueError(f"duplicates must be one of {DUPLICATES_POLICIES}, not {duplicates!r}")
        if events_from_rows and duplicates != "last":
            raise ValueError("events from rows need duplicates='last'")
        self.reader = reader
        self.accounts = accounts
        self.duplicates = duplicates
        # `input.history: rows`: every ticket row's status at its updated_at is a status event.
        self.events_from_rows = events_from_rows

    def read(self, inputs: list[InputFile], rejected_ids: dict[str, RowRef], unique: bool = False) -> Iterator[Ticket]:
        """Typed ticket rows, a repeated id handled by the policy. The caller may know there is
        no repeat (`unique`), which spares remembering every id (a million of them hold 150 MB)."""
        if self.duplicates == "last":
            yield from self._latest(inputs, rejected_ids)
            return
        # id -> where it was first read, packed in one int (input, row): no object per ticket.
        seen: dict[str, int] = {}
        for position, item in enumerate(inputs):
            for ref, ticket in self._typed_rows(item, rejected_ids, seen):
                first = None if unique else seen.get(ticket.ticket_id)
                if first is not None:
                    if self.duplicates == "first":
                        item.stats.rows_folded += 1
                        continue
                    first_input, first_row = divmod(first, ROW_SPACE)
                    self.accounts.reject(
                        item,
                        ref.row,
                        "ticket_id",
                        duplicate_id(ticket.ticket_id, inputs[first_input].stats.path, first_row),
                    )
                    continue
                if not unique:
                    seen[ticket.ticket_id] = position * ROW_SPACE + ref.row
                # A later readable row of a ticket whose earlier row was rejected is its row now,
                # so its messages join it instead of being rejected with the bad row.
                rejected_ids.pop(ticket.ticket_id, None)
                if ticket.rejected_fields:
                    self.accounts.reject_fields(ticket)
                yield ticket

    def _typed_rows(
        self, item: InputFile, rejected_ids: dict[str, RowRef], audited: Container[str]
    ) -> Iterator[tuple[RowRef, Ticket]]:
        """The tickets of an input's rows that are not rejected, in file order (`_typed`): a plain
        CSV's rows a batch at a time, column-wise (`ticket_columns`), the rows it is not sure of
        and every other input's rows one by one by the reference parser."""
        batches = self.reader.joined_batches(item)
        if batches is not None:
            from svcaudit.intake.ticket_columns import typed_tickets  # pyarrow: only when data is read

            for batch in batches:
                cells, names, path = batch.cells, batch.names, item.stats.path
                for place, ticket in enumerate(typed_tickets(cells, names, item.parser)):
                    if ticket is not None:
                        yield ticket.ref, ticket
                        continue
                    ref = RowRef(path, int(cells.rows[place]))
                    values = dict(zip(names, (column[place].as_py() for column in cells.cells), strict=True))
                    ticket = self._typed(item, ref, values, rejected_ids, audited)
                    if ticket is not None:
                        yield ref, ticket
            return
        for ref, values in self.reader.rows(item):
            ticket = self._typed(item, ref, values, rejected_ids, audited)
            if ticket is not None:
                yield ref, ticket

    def _typed(
        self,
        item: InputFile,
        ref: RowRef,
        values: dict[str, Any],
        rejected_ids: dict[str, RowRef],
        audited: Container[str],
    ) -> Ticket | None:
        """A ticket row typed, or None when it was rejected: its id is remembered, so that its
        messages are rejected with it, unless an earlier row of that ticket (`audited`) was
        read, which its messages join (a bad update row of an event log)."""
        try:
            return item.parser.ticket(ref, values)
        except FieldError as exc:
            self.accounts.reject(item, ref.row, exc.field, exc.message)
            ticket_id = str(values.get("ticket_id") or "").strip()
            if ticket_id and ticket_id not in audited:
                rejected_ids.setdefault(ticket_id, ref)
            return None

    def _latest(self, inputs: list[InputFile], rejected_ids: dict[str, RowRef]) -> Iterator[Ticket]:
        """An event log's latest state of each ticket: the row with the latest `updated_at`
        (file order where it is missing or equal), the others folded. Tickets come out in the
        order of their first row; memory holds one ticket per id."""
        reject = self.accounts.reject
        latest: dict[str, tuple[Ticket, InputFile, datetime | None]] = {}
        events: dict[str, list[Message]] = {}  # with events_from_rows: each row's status
        for item in inputs:
            for ref, values in self.reader.rows(item):
                ticket = self._typed(item, ref, values, rejected_ids, latest)
                if ticket is None:
                    continue
                try:
                    updated = item.parser.timestamp(values, "updated_at", ref.path)
                except FieldError as exc:
                    reject(item, ref.row, exc.field, exc.message)
                    if ticket.ticket_id not in latest:
                        rejected_ids.setdefault(ticket.ticket_id, ref)
                    continue
                if self.events_from_rows and ticket.status is not None:
                    if updated is None:
                        reject(item, ref.row, "updated_at", NO_UPDATE_TIME, row_kept=True)
                    else:
                        events.setdefault(ticket.ticket_id, []).append(
                            Message(updated, Role.SYSTEM, "", ref, ticket.status)
                        )
                rejected_ids.pop(ticket.ticket_id, None)
                held = latest.get(ticket.ticket_id)
                if held is None:
                    latest[ticket.ticket_id] = (ticket, item, updated)
                    continue
                _, held_item, held_updated = held
                older = updated is not None and held_updated is not None and updated < held_updated
                if older:
                    item.stats.rows_folded += 1
                    continue
                held_item.stats.rows_folded += 1
                # Keep the ticket's place (its first row) while taking the latest values.
                latest[ticket.ticket_id] = (ticket, item, updated)
        for ticket, _, _ in latest.values():
            if ticket.rejected_fields:
                self.accounts.reject_fields(ticket)
            ticket.messages = events.pop(ticket.ticket_id, [])
            yield ticket
