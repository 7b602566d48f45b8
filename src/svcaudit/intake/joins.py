"""Message rows (and status events) joined to ticket rows by `ticket_id`, by the lightest way the
inputs allow.

Messages ordered by ticket, in the ticket rows' order, are merged streaming (memory holds one
conversation); otherwise they are grouped in memory, or in a temporary SQLite file when the
message exports are large. Each way gives the same tickets in the same order: ticket rows in file
order, then tickets known only from messages in the order they were first seen.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from svcaudit import reasons
from svcaudit.errors import spilling
from svcaudit.intake.accounts import Accounts
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.conversation import Conversations
from svcaudit.intake.fields import FieldError
from svcaudit.intake.history import HistoryTrails
from svcaudit.intake.ids import TicketIdSet
from svcaudit.intake.inputs import InputFile, file_size
from svcaudit.intake.model import Message, RowRef, Ticket
from svcaudit.intake.rows import RowReader
from svcaudit.intake.ticket_rows import TicketRows

if TYPE_CHECKING:
    from svcaudit.intake.message_columns import TypedMessage

GROUPING_STREAMED = "streamed: messages ordered by ticket"
GROUPING_IN_MEMORY = "in memory: messages not ordered by ticket"
GROUPING_SPILLED = "on disk: messages not ordered by ticket, grouped in a temporary SQLite file"
# Unordered message exports larger than this are grouped on disk.
SPILL_BYTES = 64 * 1024 * 1024
GROUPED_ON_DISK = "message rows not ordered by ticket, grouped on disk"
PICKLE = pickle.HIGHEST_PROTOCOL

Block = tuple[str, list[Message]]  # a ticket id and its consecutive messages


class MessageJoin:
    """Joins message inputs to ticket inputs; says which way it took (`grouping`)."""

    def __init__(
        self,
        reader: RowReader,
        ticket_rows: TicketRows,
        conversations: Conversations,
        history: HistoryTrails,
        accounts: Accounts,
        mapping: ColumnMapping,
    ) -> None:
        self.reader = reader
        self.ticket_rows = ticket_rows
        self.conversations = conversations
        self.history = history
        self.accounts = accounts
        self.mapping = mapping  # the standard's
        self.grouping: str | None = None  # how message rows were joined, once `joined` has run
        self.ticket_table = False  # ticket rows are given: a history row must match one
        self._row_ids = TicketIdSet()  # the ticket rows' ids, for a streamed join

    def joined(self, ticket_inputs: list[InputFile], message_inputs: list[InputFile]) -> Iterator[Ticket]:
        """Ticket rows joined to their messages (and status events), by the fastest way the
        inputs allow."""
        complete = self.conversations.complete
        if not ticket_inputs and not message_inputs:
            return
        if not message_inputs:
            rows = self.ticket_rows.read(ticket_inputs, {})
            yield from (map(complete, rows) if self.ticket_rows.events_from_rows else rows)
            return
        rejected_tickets: dict[str, RowRef] = {}
        if self.streamable(ticket_inputs, message_inputs):
            self.grouping = GROUPING_STREAMED
            yield from self._joined_in_order(ticket_inputs, message_inputs, rejected_tickets)
            return
        if sum(file_size(item) for item in message_inputs) > SPILL_BYTES:
            self.grouping = GROUPING_SPILLED
            yield from self._joined_on_disk(ticket_inputs, message_inputs, rejected_tickets)
            return
        self.grouping = GROUPING_IN_MEMORY
        by_id = {t.ticket_id: t for t in self.ticket_rows.read(ticket_inputs, rejected_tickets)}
        groups: dict[str, list[Message]] = {}
        for ticket_id, message in self._accepted_messages(message_inputs, rejected_tickets):
            groups.setdefault(ticket_id, []).append(message)
        for ticket in by_id.values():
            ticket.messages += groups.pop(ticket.ticket_id, [])
            yield complete(ticket)
        for ticket_id, messages in groups.items():
            only = self._message_only(ticket_id, messages)
            if only is not None:
                yield only

    def _message_only(self, ticket_id: str, messages: list[Message]) -> Ticket | None:
        """A ticket known only from its messages, or from its history when no ticket rows are
        given. With ticket rows, a history row of a ticket none of them has is rejected: the
        history belongs to the ticket table, and a ticket missing from it is a gap to show."""
        if self.ticket_table:
            kept = []
            for message in messages:
                item = self.accounts.input_at(message.ref.path)
                if item.history is not None:
                    self.history.reject_unknown(item, message.ref.row, ticket_id)
                else:
                    kept.append(message)
            messages = kept
            if not messages:
                return None
        ticket = Ticket(ticket_id=ticket_id, ref=messages[0].ref, messages=messages)
        return self.conversations.complete(self.history.with_fields(ticket))

    # -- streaming the join of exports ordered by ticket ----------------------------------------

    def streamable(self, ticket_inputs: list[InputFile], message_inputs: list[InputFile]) -> bool:
        """Whether messages come grouped by ticket, in the order of the ticket rows.

        Exports of one helpdesk usually are (tickets by id, comments by ticket), and then the join
        streams: memory holds one conversation, not the whole export. The check is a pre-pass over
        the ids alone, keeping a hash per ticket. Tickets known only from messages may stand
        anywhere; they are kept aside and come last, as in the in-memory join.
        """
        if any(item.threaded for item in message_inputs):
            return False
        # 8 bytes a ticket: its hash, in a set sorted to ask membership of. The ticket rows' order
        # is read again from the file, id by id, as the message ids ask for it, not kept.
        ticket_set = TicketIdSet()
        for item in ticket_inputs:
            for ticket_id in self.reader.ids(item):
                if not ticket_id:
                    return False
                ticket_set.add(ticket_id)
        if ticket_set.has_repeats():
            return False  # duplicates are rejected by position: keep the in-memory join
        ticket_set.freeze()
        self._row_ids = ticket_set
        ticket_order = (hash(ticket_id) for item in ticket_inputs for ticket_id in self.reader.ids(item))
        try:
            return self._in_ticket_order(message_inputs, ticket_set, ticket_order)
        finally:
            ticket_order.close()  # and with it the ticket file it was reading

    def _in_ticket_order(
        self, message_inputs: list[InputFile], ticket_set: TicketIdSet, ticket_order: Iterator[int]
    ) -> bool:
        """Whether the message ids come a ticket at a time, tickets in the order of `ticket_order`
        (the ticket rows' id hashes, consumed as far as the messages need), each conversation
        known only from messages in one block."""
        previous: int | None = None
        message_only: set[int] = set()
        for item in message_inputs:
            for ticket_id in self.reader.ids(item):
                key = hash(ticket_id)
                if key == previous:
                    continue
                previous = key
                if ticket_id in ticket_set:
                    if key not in ticket_order:  # consumed up to and including this ticket's row
                        return False  # this ticket's messages come again, or out of order
                elif key in message_only:
                    return False  # a conversation known only from messages, not in one block
                else:
                    message_only.add(key)
        return True

    def _message_blocks(self, inputs: list[InputFile], rejected_ids: dict[str, RowRef]) -> Iterator[Block]:
        """Consecutive messages of one ticket, block by block (the export is ordered by ticket)."""
        current = ""
        block: list[Message] = []
        for ticket_id, message in self._accepted_messages(inputs, rejected_ids):
            if block and ticket_id != current:
                yield current, block
                block = []
            current = ticket_id
            block.append(message)
        if block:
            yield current, block

    def _joined_in_order(
        self, ticket_inputs: list[InputFile], message_inputs: list[InputFile], rejected_ids: dict[str, RowRef]
    ) -> Iterator[Ticket]:
        """Ticket rows and message blocks walked side by side, as a merge join."""
        blocks = self._message_blocks(message_inputs, rejected_ids)
        waiting: Block | None = None
        message_only: list[Block] = []

        def settle(block: Block) -> bool:
            """Put aside a block that belongs to no ticket row to come; True when it was."""
            ticket_id, messages = block
            bad_ticket = rejected_ids.get(ticket_id)
            if bad_ticket is not None:  # read ahead before its ticket row turned out bad
                for message in messages:
                    self._reject_with_ticket(self.accounts.input_at(message.ref.path), message.ref.row, bad_ticket)
                return True
            if ticket_id not in self._row_ids:
                message_only.append(block)
                return True
            return False

        # The pre-pass found every readable row's id distinct; only a value table for ticket_id
        # could make two of them one.
        mappings = [self.mapping, *(item.mapping for item in ticket_inputs)]
        unique = all("ticket_id" not in mapping.mapped_fields for mapping in mappings)
        for ticket in self.ticket_rows.read(ticket_inputs, rejected_ids, unique):
            while True:
                if waiting is None:
                    waiting = next(blocks, None)
                if waiting is None:
                    break
                if waiting[0] == ticket.ticket_id:
                    ticket.messages += waiting[1]
                    waiting = None
                    break
                if settle(waiting):
                    waiting = None
                    continue
                break  # the block of a later ticket
            yield self.conversations.complete(ticket)
        for block in ([waiting] if waiting is not None else []) + list(blocks):
            if not settle(block):
                message_only.append(block)
        for ticket_id, messages in message_only:
            only = self._message_only(ticket_id, messages)
            if only is not None:
                yield only

    # -- grouping on disk --------------------------------------------------------------------------

    def _joined_on_disk(
        self, ticket_inputs: list[InputFile], message_inputs: list[InputFile], rejected_ids: dict[str, RowRef]
    ) -> Iterator[Ticket]:
        """The in-memory join's results, with tickets and messages kept in a temporary SQLite file.

        Same order as the in-memory join: ticket rows in file order, then tickets known only from
        messages in the order they were first seen; a conversation keeps its file order before
        `Conversations.complete` sorts it by time.
        """
        with spilling(GROUPED_ON_DISK):
            folder = tempfile.TemporaryDirectory(prefix="svcaudit-")
        with folder as path, spilling(GROUPED_ON_DISK, path, (sqlite3.OperationalError,)):
            db = sqlite3.connect(Path(path) / "join.sqlite")
            try:
                db.execute("CREATE TABLE tickets (seq INTEGER PRIMARY KEY, ticket_id TEXT, data BLOB)")
                db.execute("CREATE TABLE messages (seq INTEGER PRIMARY KEY, ticket_id TEXT, data BLOB)")
                rows = (
                    (None, t.ticket_id, pickle.dumps(t, PICKLE))
                    for t in self.ticket_rows.read(ticket_inputs, rejected_ids)
                )
                db.executemany("INSERT INTO tickets VALUES (?, ?, ?)", rows)
                db.executemany(
                    "INSERT INTO messages VALUES (?, ?, ?)",
                    (
                        (None, ticket_id, pickle.dumps(message, PICKLE))
                        for ticket_id, message in self._accepted_messages(message_inputs, rejected_ids)
                    ),
                )
                db.execute("CREATE INDEX messages_by_ticket ON messages (ticket_id, seq)")
                db.execute("CREATE INDEX tickets_by_id ON tickets (ticket_id)")
                for (data,) in db.execute("SELECT data FROM tickets ORDER BY seq"):
                    ticket = pickle.loads(data)
                    ticket.messages += _spilled_messages(db, ticket.ticket_id)
                    yield self.conversations.complete(ticket)
                only = db.execute(
                    "SELECT ticket_id FROM messages WHERE ticket_id NOT IN (SELECT ticket_id FROM tickets) "
                    "GROUP BY ticket_id ORDER BY MIN(seq)"
                )
                for (ticket_id,) in only.fetchall():
                    message_only = self._message_only(ticket_id, _spilled_messages(db, ticket_id))
                    if message_only is not None:
                        yield message_only
            finally:
                db.close()

    # -- message rows ------------------------------------------------------------------------------

    def _accepted_messages(
        self, inputs: list[InputFile], rejected_ids: dict[str, RowRef]
    ) -> Iterator[tuple[str, Message]]:
        """Message rows that join a ticket, in file order; the others are rejected on the way."""
        for item in inputs:
            for ref, typed in self._typed_messages(item):
                if isinstance(typed, FieldError):
                    self.accounts.reject(item, ref.row, typed.field, typed.message)
                    continue
                ticket_id = typed[0]
                bad_ticket = rejected_ids.get(ticket_id)
                if bad_ticket is not None:
                    self._reject_with_ticket(item, ref.row, bad_ticket)
                    continue
                yield typed

    def _typed_messages(self, item: InputFile) -> Iterator[tuple[RowRef, TypedMessage]]:
        """Each readable row of a message input, typed, in file order: a plain CSV's rows a batch
        at a time, column-wise (`message_columns`); other rows (JSON, threads, history, tables that
        join lookups, mapped values), and every row when the reader is not `columnar`, one by one
        by the reference parser."""
        batches = self.reader.joined_batches(item)
        if batches is not None:
            from svcaudit.intake.message_columns import typed_messages  # pyarrow: only when data is read

            for batch in batches:
                refs, messages = typed_messages(batch.cells, batch.names, item.parser)
                yield from zip(refs, messages, strict=True)
            return
        message = item.parser.message
        for ref, values in self.reader.rows(item):
            try:
                yield ref, message(ref, values)
            except FieldError as error:
                yield ref, error

    def _reject_with_ticket(self, item: InputFile, row: int, bad_ticket: RowRef) -> None:
        """A message of a ticket whose row was rejected."""
        self.accounts.reject(
            item, row, "ticket_id", reasons.TICKET_ROW_REJECTED.text(place=f"{bad_ticket.path}:{bad_ticket.row}")
        )


def _spilled_messages(db: sqlite3.Connection, ticket_id: str) -> list[Message]:
    """A ticket's messages kept on disk, in file order."""
    return [
        pickle.loads(data)
        for (data,) in db.execute("SELECT data FROM messages WHERE ticket_id = ? ORDER BY seq", (ticket_id,))
    ]
