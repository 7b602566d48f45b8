"""Intake: every input file read, every row accounted for, tickets assembled and handed on lazily.

Ticket rows alone stream one ticket at a time. With message rows, messages are grouped per ticket and
joined to ticket rows by `ticket_id`; tickets come out in ticket-file order, then tickets known only
from messages in the order they were first seen. A row that cannot be audited becomes a `Rejection`.
"""
from __future__ import annotations

import pickle
import sqlite3
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..errors import InputError, Location
from .columns import MESSAGE_MARKERS, TIMESTAMP_FIELDS, ColumnMapping, header_key
from .dateorder import DAY_FIRST, decide, gather, may_hold_numeric_dates
from .fields import FieldError, RowParser
from .ids import TicketIdSet
from .headers import READ_FIELDS, Columns, quoted_name, resolve_columns, shown_name
from .model import InputStats, Message, Rejection, Role, RowRef, Shape, Ticket
from .presets import NestedLayout
from .readers import ExportFile, RecordError
from .shards import MapRanges, Shard, plan_shards

# JSON objects may each bring their own keys; the resolved names of this many key sets are kept.
KEY_SETS_CACHED = 256


GROUPING_STREAMED = "streamed: messages ordered by ticket"
GROUPING_IN_MEMORY = "in memory: messages not ordered by ticket"
GROUPING_SPILLED = "on disk: messages not ordered by ticket, grouped in a temporary SQLite file"
SPILL_BYTES = 64 * 1024 * 1024
ROW_SPACE = 1 << 40  # rows of one input fit below this; packs (input, row) into one int  # unordered message exports larger than this are grouped on disk
PICKLE = pickle.HIGHEST_PROTOCOL
UNTIMED_BASE = datetime(2000, 1, 1, tzinfo=timezone.utc)  # orders untimed transcripts; never shown
MAX_THREAD_DEPTH = 10_000  # a reply chain longer than this is taken to loop


DUPLICATES_POLICIES = ("reject", "first", "last")


@dataclass
class RowCounts:
    """Rows read and rejections (row, field, reason, row kept) of one stretch of reading."""

    rows_read: int = 0
    rejected: list[tuple[int, str | None, str, bool]] = field(default_factory=list)


@dataclass
class _Input:
    file: ExportFile
    stats: InputStats
    columns: dict[tuple[str, ...], Columns] = field(default_factory=dict)
    nested: bool = False  # one JSON object per conversation, read with the NestedLayout
    threaded: bool = False  # conversations derived from reply links (no conversation column)


class Intake:
    """Reads the inputs of one audit. `tickets()` may be consumed once; then read the accounts."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        parser: RowParser,
        mapping: ColumnMapping,
        encoding: str | None = None,
        layout: NestedLayout | None = None,
        thread: tuple[str, str] | None = None,
        date_order: str | None = None,
        duplicates: str = "reject",
        as_of: datetime | None = None,
    ) -> None:
        if not paths:
            raise InputError("no input files given", Location("<command line>"))
        if duplicates not in DUPLICATES_POLICIES:
            raise ValueError(f"duplicates must be one of {DUPLICATES_POLICIES}, not {duplicates!r}")
        self.parser = parser
        self.mapping = mapping
        self.layout = layout
        self.thread = thread
        self.date_order = date_order
        self.duplicates = duplicates
        self.as_of = as_of
        self.messages_after_as_of = 0  # messages stamped after --as-of: not read into tickets
        self.rejected: list[Rejection] = []
        # Things the run should say although no row was rejected (an empty file, a renamed column).
        self.warnings: list[str] = []
        self.grouping: str | None = None  # how message rows were joined, once tickets() has run
        self._row_ids = TicketIdSet()  # the ticket rows' ids, for a streamed join
        self._inputs = [self._classify(ExportFile(p, encoding)) for p in paths]

    @property
    def inputs(self) -> list[InputStats]:
        return [item.stats for item in self._inputs]

    def _classify(self, export: ExportFile) -> _Input:
        raw_columns = export.peek_columns()
        resolved = resolve_columns(self.mapping, raw_columns)
        names = resolved.names
        canonical = set(names.values())
        if export.empty:
            self.warnings.append(f"{export.display}: the file is empty; it holds no rows")
        if export.encoding_note is not None:
            self.warnings.append(f"{export.display}: {export.encoding_note}")
        if export.format == "csv":
            self._check_header(export, resolved)
        shape = Shape.MESSAGES if canonical & MESSAGE_MARKERS else Shape.TICKETS
        if self.layout is not None and export.format in ("json", "jsonl"):
            stats = InputStats(export.display, Shape.MESSAGES, export.format, export.encoding)
            return _Input(export, stats, nested=True)
        threaded = (self.thread is not None and "ticket_id" not in canonical
                    and all(header_key(c) in canonical for c in self.thread))
        if raw_columns and "ticket_id" not in canonical and not threaded:
            raise InputError(
                "no ticket_id column (columns: " + ", ".join(map(shown_name, raw_columns[:20]))
                + "); map one with input.columns.ticket_id in the standard",
                Location(export.display, 1),
            )
        stats = InputStats(export.display, shape, export.format, export.encoding)
        item = _Input(export, stats, {tuple(raw_columns): resolved}, threaded=threaded)
        self._decide_date_orders(item)
        return item

    def _decide_date_orders(self, item: _Input) -> None:
        """Settle the day/month order of each date column before any row is typed (`dateorder`)."""
        export = item.file
        if export.empty or not may_hold_numeric_dates(export.byte_chunks()):
            return
        ((raw_columns, resolved),) = item.columns.items()
        columns = {canonical: raw for raw, canonical in resolved.names.items()
                   if canonical in TIMESTAMP_FIELDS}
        if export.format != "csv":  # JSON keys may differ from object to object
            columns = {name: name for name in TIMESTAMP_FIELDS}
        evidence = gather(self._date_values(item), columns)
        orders = decide(item.stats.path, evidence, self.date_order)
        for column in orders.columns:
            self.parser.set_date_order(item.stats.path, column.field, column.order == DAY_FIRST)
            item.stats.date_orders[column.field] = column.how
        self.warnings.extend(orders.warnings)

    def _date_values(self, item: _Input) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row, the date fields' values) of every readable row, for the date-order pre-scan."""
        columns: Columns | None = None
        for record in item.file.records():
            if isinstance(record, RecordError):
                continue
            if columns is None or item.file.format != "csv":
                columns = self._columns(item, tuple(record.values))
            names = columns.names
            yield record.row, {names[k]: v for k, v in record.values.items()
                               if names[k] in TIMESTAMP_FIELDS}

    def _check_header(self, export: ExportFile, resolved: Columns) -> None:
        """A CSV header is the file's contract: a column read twice is an input error."""
        for renamed in export.renamed:
            field_name = resolved.names.get(renamed.original, renamed.original)
            if field_name in READ_FIELDS:
                raise InputError(
                    f"columns {renamed.first_column} and {renamed.column} are both named "
                    f"{quoted_name(renamed.original)} (read as {field_name}); remove or rename one "
                    f"of them",
                    Location(export.display, 1, renamed.column),
                )
            self.warnings.append(
                f"{export.display}: column {renamed.column} repeats the name "
                f"{quoted_name(renamed.original)} of column {renamed.first_column}; it is read as "
                f"{quoted_name(renamed.name)}")
        if resolved.clash is not None:
            raise InputError(resolved.clash.describe(), Location(export.display, 1))
        self.warnings.extend(f"{export.display}: {note}" for note in resolved.notes)

    def _columns(self, item: _Input, keys: tuple[str, ...]) -> Columns:
        """Canonical names for one key set; JSON rows with new keys are resolved as they come."""
        found = item.columns.get(keys)
        if found is None:
            if len(item.columns) >= KEY_SETS_CACHED:
                item.columns.clear()
            found = item.columns[keys] = resolve_columns(self.mapping, keys)
        return found

    def _reject(self, item: _Input, row: int, field_name: str | None, error: str,
                row_kept: bool = False) -> None:
        if row_kept:
            item.stats.fields_rejected += 1
        else:
            item.stats.rows_rejected += 1
        self.rejected.append(Rejection(item.stats.path, row, field_name, error, row_kept))

    def reject_fields(self, ticket: Ticket) -> None:
        """Account the fields a ticket row lost (a reply stamped before creation): the row stays."""
        item = self._input_at(ticket.ref.path)
        for field_name, error in ticket.rejected_fields.items():
            self._reject(item, ticket.ref.row, field_name, error, row_kept=True)

    def _input_at(self, path: str) -> _Input:
        return next(i for i in self._inputs if i.stats.path == path)

    def _rows(self, item: _Input) -> Iterator[tuple[RowRef, dict]]:
        """Canonical rows of one input; reader-level faults are rejected here."""
        same_keys = item.file.format == "csv"  # every CSV row has the header's columns
        columns: Columns | None = None
        roots = self._thread_roots(item) if item.threaded else None
        for record in item.file.records():
            item.stats.rows_read += 1
            if isinstance(record, RecordError):
                self._reject(item, record.row, record.field, record.error)
                continue
            if columns is None or not same_keys:
                columns = self._columns(item, tuple(record.values))
            if columns.clash is not None:  # a JSON object whose keys collide; CSV failed earlier
                self._reject(item, record.row, columns.clash.field, columns.clash.describe("keys"))
                continue
            names = columns.names
            values = {names[k]: v for k, v in record.values.items()}
            if roots is not None:
                values["ticket_id"] = roots.get(_id(values.get(self.thread[0])), "")
            yield RowRef(item.stats.path, record.row), values

    def _thread_roots(self, item: _Input) -> dict[str, str]:
        """message id -> the id of the first message of its reply chain (a pre-pass over the file).

        A chain whose first message is not in the file is named after that missing message, so
        replies to the same missing tweet stay one conversation.
        """
        id_key, parent_key = (header_key(c) for c in self.thread)
        parents: dict[str, str] = {}
        names: Columns | None = None
        for record in item.file.records():
            if isinstance(record, RecordError):
                continue
            if names is None or item.file.format != "csv":
                names = self._columns(item, tuple(record.values))
            values = {names.names[k]: v for k, v in record.values.items()}
            message_id = _id(values.get(id_key))
            if message_id:
                parents[message_id] = _id(values.get(parent_key))
        roots: dict[str, str] = {}
        for message_id in parents:
            chain, current = [], message_id
            while current in parents and parents[current] and len(chain) < MAX_THREAD_DEPTH:
                if current in roots:
                    break
                chain.append(current)
                current = parents[current]
            root = roots.get(current, current)
            for member in chain:
                roots[member] = root
            roots.setdefault(message_id, root)
        return roots

    def _nested_tickets(self, item: _Input) -> Iterator[Ticket]:
        """One ticket per conversation object, its messages found by the layout's paths."""
        layout = self.layout
        for record in item.file.records():
            item.stats.rows_read += 1
            if isinstance(record, RecordError):
                self._reject(item, record.row, record.field, record.error)
                continue
            conversation = record.values
            ref = RowRef(item.stats.path, record.row)
            ticket_id = _id(_at_path(conversation, layout.ticket_id))
            raw_messages = _at_path(conversation, layout.messages)
            if not ticket_id:
                self._reject(item, record.row, layout.ticket_id, "the conversation has no id")
                continue
            if not isinstance(raw_messages, list):
                self._reject(item, record.row, layout.messages, "the conversation has no list of messages")
                continue
            fields = {name: str(value) for name, path in layout.fields.items()
                      if (value := _at_path(conversation, path)) not in (None, "")}
            messages = []
            try:
                for index, raw in enumerate(raw_messages):
                    stamp = _at_path(raw, layout.time) if layout.time else \
                        (UNTIMED_BASE + timedelta(seconds=index)).isoformat()
                    values = {"ticket_id": ticket_id, "author_role": _at_path(raw, layout.role),
                              "text": _at_path(raw, layout.text) or "", "created_at": stamp}
                    message = self.parser.message(ref, values)[1]
                    message.timed = layout.time is not None
                    messages.append(message)
            except FieldError as exc:
                self._reject(item, record.row, f"{layout.messages}[{index}].{exc.field}", exc.message)
                continue
            ticket = Ticket(ticket_id=ticket_id, ref=ref, fields={"ticket_id": ticket_id, **fields},
                            messages=messages, timed=layout.time is not None,
                            customer_name=fields.get("customer_name"), channel=fields.get("channel"),
                            agent=fields.get("agent"), team=fields.get("team"))
            yield self._with_conversation(ticket)

    def tickets(self) -> Iterator[Ticket]:
        for item in self._inputs:
            if item.nested:
                yield from self._nested_tickets(item)
        ticket_inputs = [i for i in self._inputs if i.stats.shape is Shape.TICKETS]
        message_inputs = [i for i in self._inputs if i.stats.shape is Shape.MESSAGES and not i.nested]
        if not ticket_inputs and not message_inputs:
            return
        if not message_inputs:
            yield from self._ticket_rows(ticket_inputs, {})
            return
        rejected_tickets: dict[str, RowRef] = {}
        if self._streamable(ticket_inputs, message_inputs):
            self.grouping = GROUPING_STREAMED
            yield from self._joined_in_order(ticket_inputs, message_inputs, rejected_tickets)
            return
        if sum(_size(item) for item in message_inputs) > SPILL_BYTES:
            self.grouping = GROUPING_SPILLED
            yield from self._joined_on_disk(ticket_inputs, message_inputs, rejected_tickets)
            return
        self.grouping = GROUPING_IN_MEMORY
        by_id = {t.ticket_id: t for t in self._ticket_rows(ticket_inputs, rejected_tickets)}
        groups = self._message_groups(message_inputs, rejected_tickets)
        for ticket in by_id.values():
            ticket.messages = groups.pop(ticket.ticket_id, [])
            yield self._with_conversation(ticket)
        for ticket_id, messages in groups.items():
            ticket = Ticket(ticket_id=ticket_id, ref=messages[0].ref, messages=messages)
            yield self._with_conversation(ticket)

    # -- streaming the join of exports ordered by ticket ----------------------------------------

    def _ids(self, item: _Input) -> Iterator[str]:
        """The ticket id of every readable row, in file order (a light pre-pass: no typing)."""
        position = self._id_position(item)
        if position is not None:  # a plain CSV: the id cell of each row, no mapping made
            for record in item.file.records(cells=True):
                if type(record) is not RecordError:  # noqa: E721 - a tuple otherwise
                    yield _id(record[1][position])
            return
        columns: Columns | None = None
        for record in item.file.records():
            if isinstance(record, RecordError):
                continue
            if columns is None or item.file.format != "csv":
                columns = self._columns(item, tuple(record.values))
            if columns.clash is not None:
                continue
            values = {columns.names[k]: v for k, v in record.values.items()}
            yield _id(values.get("ticket_id"))

    def _streamable(self, ticket_inputs: list[_Input], message_inputs: list[_Input]) -> bool:
        """Whether messages come grouped by ticket, in the order of the ticket rows.

        Exports of one helpdesk usually are (tickets by id, comments by ticket), and then the join
        streams: memory holds one conversation, not the whole export. The check is a pre-pass over
        the ids alone, keeping a hash per ticket. Tickets known only from messages may stand
        anywhere; they are kept aside and come last, as in the in-memory join.
        """
        if any(item.threaded for item in message_inputs):
            return False
        # 16 bytes a ticket: its hash in row order, and again in a set sorted to ask membership of.
        ticket_order = array("q")
        ticket_set = TicketIdSet()
        for item in ticket_inputs:
            for ticket_id in self._ids(item):
                if not ticket_id:
                    return False
                ticket_set.add(ticket_id)
                ticket_order.append(hash(ticket_id))
        if ticket_set.has_repeats():
            return False  # duplicates are rejected by position: keep the in-memory join
        ticket_set.freeze()
        self._row_ids = ticket_set
        position = 0
        previous: int | None = None
        message_only: set[int] = set()
        for item in message_inputs:
            for ticket_id in self._ids(item):
                key = hash(ticket_id)
                if key == previous:
                    continue
                previous = key
                if ticket_id in ticket_set:
                    while position < len(ticket_order) and ticket_order[position] != key:
                        position += 1
                    if position == len(ticket_order):
                        return False  # this ticket's messages come again, or out of order
                    position += 1
                elif key in message_only:
                    return False  # a conversation known only from messages, not in one block
                else:
                    message_only.add(key)
        return True

    def _message_blocks(
        self, inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> Iterator[tuple[str, list[Message]]]:
        """Consecutive messages of one ticket, block by block (the export is ordered by ticket)."""
        current: str | None = None
        block: list[Message] = []
        for ticket_id, message in self._accepted_messages(inputs, rejected_ids):
            if ticket_id != current:
                if block:
                    yield current, block
                current, block = ticket_id, []
            block.append(message)
        if block:
            yield current, block

    def _joined_in_order(
        self, ticket_inputs: list[_Input], message_inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> Iterator[Ticket]:
        """Ticket rows and message blocks walked side by side, as a merge join."""
        blocks = self._message_blocks(message_inputs, rejected_ids)
        waiting: tuple[str, list[Message]] | None = None
        message_only: list[tuple[str, list[Message]]] = []

        def settle(block: tuple[str, list[Message]]) -> bool:
            """Put aside a block that belongs to no ticket row to come; True when it was."""
            ticket_id, messages = block
            bad_ticket = rejected_ids.get(ticket_id)
            if bad_ticket is not None:  # read ahead before its ticket row turned out bad
                for message in messages:
                    self._reject(self._input_of(message), message.ref.row, "ticket_id",
                                 f"its ticket row ({bad_ticket.path}:{bad_ticket.row}) was rejected")
                return True
            if ticket_id not in self._row_ids:
                message_only.append(block)
                return True
            return False

        # The pre-pass found every readable row's id distinct; only a value table for ticket_id
        # could make two of them one.
        unique = "ticket_id" not in self.mapping.mapped_fields
        for ticket in self._ticket_rows(ticket_inputs, rejected_ids, unique):
            while True:
                if waiting is None:
                    waiting = next(blocks, None)
                if waiting is None:
                    break
                if waiting[0] == ticket.ticket_id:
                    ticket.messages = waiting[1]
                    waiting = None
                    break
                if settle(waiting):
                    waiting = None
                    continue
                break  # the block of a later ticket
            yield self._with_conversation(ticket)
        for block in ([waiting] if waiting is not None else []) + list(blocks):
            if not settle(block):
                message_only.append(block)
        for ticket_id, messages in message_only:
            yield self._with_conversation(Ticket(ticket_id=ticket_id, ref=messages[0].ref, messages=messages))

    def _joined_on_disk(
        self, ticket_inputs: list[_Input], message_inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> Iterator[Ticket]:
        """The in-memory join's results, with tickets and messages kept in a temporary SQLite file.

        Same order as the in-memory join: ticket rows in file order, then tickets known only from
        messages in the order they were first seen; a conversation keeps its file order before
        `_with_conversation` sorts it by time.
        """
        with tempfile.TemporaryDirectory(prefix="svcaudit-") as folder:
            db = sqlite3.connect(Path(folder) / "join.sqlite")
            try:
                db.execute("CREATE TABLE tickets (seq INTEGER PRIMARY KEY, ticket_id TEXT, data BLOB)")
                db.execute("CREATE TABLE messages (seq INTEGER PRIMARY KEY, ticket_id TEXT, data BLOB)")
                rows = ((None, t.ticket_id, pickle.dumps(t, PICKLE)) for t in
                        self._ticket_rows(ticket_inputs, rejected_ids))
                db.executemany("INSERT INTO tickets VALUES (?, ?, ?)", rows)
                db.executemany("INSERT INTO messages VALUES (?, ?, ?)",
                               ((None, ticket_id, pickle.dumps(message, PICKLE)) for ticket_id, message in
                                self._accepted_messages(message_inputs, rejected_ids)))
                db.execute("CREATE INDEX messages_by_ticket ON messages (ticket_id, seq)")
                db.execute("CREATE INDEX tickets_by_id ON tickets (ticket_id)")
                for (data,) in db.execute("SELECT data FROM tickets ORDER BY seq"):
                    ticket = pickle.loads(data)
                    ticket.messages = self._spilled_messages(db, ticket.ticket_id)
                    yield self._with_conversation(ticket)
                only = db.execute(
                    "SELECT ticket_id FROM messages WHERE ticket_id NOT IN (SELECT ticket_id FROM tickets) "
                    "GROUP BY ticket_id ORDER BY MIN(seq)")
                for (ticket_id,) in only.fetchall():
                    messages = self._spilled_messages(db, ticket_id)
                    yield self._with_conversation(
                        Ticket(ticket_id=ticket_id, ref=messages[0].ref, messages=messages))
            finally:
                db.close()

    @staticmethod
    def _spilled_messages(db: sqlite3.Connection, ticket_id: str) -> list[Message]:
        return [pickle.loads(data) for (data,) in db.execute(
            "SELECT data FROM messages WHERE ticket_id = ? ORDER BY seq", (ticket_id,))]

    def _accepted_messages(
        self, inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> Iterator[tuple[str, Message]]:
        """Message rows that join a ticket, in file order; the others are rejected on the way."""
        for item in inputs:
            names = None if item.threaded else self._cell_names(item)
            typer = self.parser.message_cells_typer(names) if names else None
            rows = self._plain_rows(item) if typer else self._rows(item)
            type_message = typer or self.parser.message
            for ref, values in rows:
                try:
                    ticket_id, message = type_message(ref, values)
                except FieldError as exc:
                    self._reject(item, ref.row, exc.field, exc.message)
                    continue
                bad_ticket = rejected_ids.get(ticket_id)
                if bad_ticket is not None:
                    self._reject(item, ref.row, "ticket_id",
                                 f"its ticket row ({bad_ticket.path}:{bad_ticket.row}) was rejected")
                    continue
                yield ticket_id, message

    def _input_of(self, message: Message) -> _Input:
        return next(i for i in self._inputs if i.stats.path == message.ref.path)

    @property
    def ticket_rows_only(self) -> bool:
        """Only flat ticket-row files: rows can be typed and judged anywhere, in any process."""
        return all(item.stats.shape is Shape.TICKETS and not item.nested for item in self._inputs)

    def raw_ticket_rows(self) -> Iterator[tuple[RowRef, dict]]:
        """Canonical, untyped ticket rows in input order; reader faults are rejected here."""
        for item in self._inputs:
            yield from self._rows(item)

    @property
    def input_count(self) -> int:
        return len(self._inputs)

    def cell_names(self, index: int) -> list[str] | None:
        """Canonical names of a CSV input's columns, in order; None for other inputs, whose rows
        come as mappings (`input_rows`)."""
        return self._cell_names(self._inputs[index])

    def _cell_names(self, item: _Input) -> list[str] | None:
        if item.file.format != "csv" or item.threaded or item.nested or len(item.columns) != 1:
            return None
        (raw_columns, resolved), = item.columns.items()
        return [resolved.names[name] for name in raw_columns]

    def _id_position(self, item: _Input) -> int | None:
        """Where a plain CSV input's rows hold the ticket id (the last such column, as a mapping
        of the row keeps it); None when rows must be read as mappings."""
        names = self._cell_names(item)
        if names is None or "ticket_id" not in names:
            return None
        (_, resolved), = item.columns.items()
        if resolved.clash is not None:
            return None
        return len(names) - 1 - names[::-1].index("ticket_id")

    def input_rows(self, index: int, shard: Shard | None = None) -> Iterator[tuple[RowRef, Any]]:
        """Rows of one input (of one byte range of it, with `shard`), reader faults rejected:
        the cells of each CSV row in `cell_names` order, or a mapping by canonical name."""
        item = self._inputs[index]
        if self.cell_names(index) is None:
            yield from self._rows(item)
            return
        yield from self._plain_rows(item, shard)

    def _plain_rows(self, item: _Input, shard: Shard | None = None) -> Iterator[tuple[RowRef, list[str]]]:
        """The cells of a plain CSV input's rows, in `cell_names` order; reader faults rejected."""
        stats = item.stats
        path = stats.path
        for record in item.file.records(shard, cells=True):
            stats.rows_read += 1
            if type(record) is RecordError:  # noqa: E721 - a tuple otherwise, on the hot path
                self._reject(item, record.row, record.field, record.error)
                continue
            row, cells = record
            yield RowRef(path, row), cells

    def shards(self, index: int, count: int, map_ranges: MapRanges = map) -> list[Shard] | None:
        """Byte ranges of a CSV input for `count` readers (see `shards`); None: read it whole.
        `map_ranges` runs the planner's counting (a pool's `map` counts on every core)."""
        if self.cell_names(index) is None:
            return None
        return plan_shards(self._inputs[index].file, count, map_ranges=map_ranges)

    @contextmanager
    def counting(self, index: int) -> Iterator[RowCounts]:
        """What reading one input adds (rows read, rejections) while the block runs: a worker's
        share, handed to the main process's intake with `absorb_rows`."""
        stats = self._inputs[index].stats
        read_before, rejected_before = stats.rows_read, len(self.rejected)
        counts = RowCounts()
        yield counts
        counts.rows_read = stats.rows_read - read_before
        counts.rejected = [(r.row, r.field, r.error, r.row_kept)
                           for r in self.rejected[rejected_before:]]

    def absorb_rows(self, index: int, rows_read: int,
                    rejected: list[tuple[int, str | None, str, bool]]) -> None:
        """Add rows another process read of input `index`, and its rejections, in row order."""
        item = self._inputs[index]
        item.stats.rows_read += rows_read
        for row, field_name, error, row_kept in rejected:
            self._reject(item, row, field_name, error, row_kept)

    def reject_row(self, path: str, row: int, field_name: str | None, error: str) -> None:
        """A rejection found elsewhere (a worker typing the row), accounted to its input."""
        item = next(i for i in self._inputs if i.stats.path == path)
        self._reject(item, row, field_name, error)

    def _ticket_rows(
        self, inputs: list[_Input], rejected_ids: dict[str, RowRef], unique: bool = False
    ) -> Iterator[Ticket]:
        """Typed ticket rows; a repeated ticket id is handled by `input.duplicates`: the later
        row rejected by position (`reject`), folded into the first (`first`), or the latest row
        kept (`last`). The caller may know there is no repeat (`unique`), which spares
        remembering every id (a million of them held 150 MB)."""
        if self.duplicates == "last":
            yield from self._latest_ticket_rows(inputs, rejected_ids)
            return
        # id -> where it was first read, packed in one int (input, row): no object per ticket.
        seen: dict[str, int] = {}
        for position, item in enumerate(inputs):
            for ref, values in self._rows(item):
                ticket = self._typed_ticket(item, ref, values, rejected_ids)
                if ticket is None:
                    continue
                first = None if unique else seen.get(ticket.ticket_id)
                if first is not None:
                    if self.duplicates == "first":
                        item.stats.rows_folded += 1
                        continue
                    first_input, first_row = divmod(first, ROW_SPACE)
                    self._reject(item, ref.row, "ticket_id",
                                 f"duplicate ticket_id {ticket.ticket_id!r} "
                                 f"(first at {inputs[first_input].stats.path}:{first_row}); "
                                 f"set input.duplicates to first or last to fold repeated rows")
                    continue
                if not unique:
                    seen[ticket.ticket_id] = position * ROW_SPACE + ref.row
                # A later readable row of a ticket whose earlier row was rejected is its row now,
                # so its messages join it instead of being rejected with the bad row.
                rejected_ids.pop(ticket.ticket_id, None)
                if ticket.rejected_fields:
                    self.reject_fields(ticket)
                yield ticket

    def _typed_ticket(self, item: _Input, ref: RowRef, values: dict,
                      rejected_ids: dict[str, RowRef]) -> Ticket | None:
        """A ticket row typed, or None when it was rejected (its id remembered for its messages)."""
        try:
            return self.parser.ticket(ref, values)
        except FieldError as exc:
            self._reject(item, ref.row, exc.field, exc.message)
            ticket_id = str(values.get("ticket_id") or "").strip()
            if ticket_id:
                rejected_ids.setdefault(ticket_id, ref)
            return None

    def _latest_ticket_rows(self, inputs: list[_Input],
                            rejected_ids: dict[str, RowRef]) -> Iterator[Ticket]:
        """An event log's latest state of each ticket: the row with the latest `updated_at`
        (file order where it is missing or equal), the others folded. Tickets come out in the
        order of their first row; memory holds one ticket per id."""
        latest: dict[str, tuple[Ticket, _Input, datetime | None]] = {}
        for item in inputs:
            for ref, values in self._rows(item):
                ticket = self._typed_ticket(item, ref, values, rejected_ids)
                if ticket is None:
                    continue
                try:
                    updated = self.parser.timestamp(values, "updated_at", ref.path)
                except FieldError as exc:
                    self._reject(item, ref.row, exc.field, exc.message)
                    continue
                rejected_ids.pop(ticket.ticket_id, None)
                held = latest.get(ticket.ticket_id)
                if held is None:
                    latest[ticket.ticket_id] = (ticket, item, updated)
                    continue
                held_ticket, held_item, held_updated = held
                older = (updated is not None and held_updated is not None
                         and updated < held_updated)
                if older:
                    item.stats.rows_folded += 1
                    continue
                held_item.stats.rows_folded += 1
                # Keep the ticket's place (its first row) while taking the latest values.
                latest[ticket.ticket_id] = (ticket, item, updated)
        for ticket, _, _ in latest.values():
            if ticket.rejected_fields:
                self.reject_fields(ticket)
            yield ticket

    def _message_groups(
        self, inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> dict[str, list[Message]]:
        groups: dict[str, list[Message]] = {}
        for ticket_id, message in self._accepted_messages(inputs, rejected_ids):
            groups.setdefault(ticket_id, []).append(message)
        return groups

    def _with_conversation(self, ticket: Ticket) -> Ticket:
        """Sort the conversation by time, reject messages stamped before the ticket's creation,
        leave out those after --as-of (counted), and set internal notes apart: a note is never a
        reply nor a phrase rule's message, but `explain` shows it. A ticket whose row names no
        agent (or team), or that has no ticket row, takes them from its messages
        (`who_from_messages`)."""
        messages = sorted(ticket.messages, key=lambda m: m.created_at)
        as_of = self.as_of
        kept = []
        notes = []
        for message in messages:
            if ticket.created_at is not None and message.created_at < ticket.created_at:
                self._reject_message(message, ticket)
            elif as_of is not None and message.timed and message.created_at > as_of:
                self.messages_after_as_of += 1
            elif not message.public:
                notes.append(message)
                self._input_at(message.ref.path).stats.notes += 1
            else:
                kept.append(message)
        for index, message in enumerate(kept):
            message.index = index
        ticket.messages = kept
        ticket.notes = notes
        if ticket.agent is None or ticket.team is None:
            # Set in `fields` too: `where` scoping reads the fields.
            for name, value in zip(("agent", "team"), who_from_messages(kept)):
                if value is not None and getattr(ticket, name) is None:
                    setattr(ticket, name, value)
                    ticket.fields[name] = value
        return ticket

    def _reject_message(self, message: Message, ticket: Ticket) -> None:
        item = self._input_of(message)
        self._reject(
            item, message.ref.row, "created_at",
            f"message stamped {message.created_at.isoformat()}, before its ticket was created "
            f"({ticket.created_at.isoformat() if ticket.created_at else '?'})",
        )


def who_from_messages(messages: Sequence[Message]) -> tuple[str | None, str | None]:
    """The agent and team a conversation names: the author of its last public agent message
    that names one, and the team of its last public agent message that names one.

    The last replier is the one holding the ticket (a reassigned ticket is answered by its new
    owner), as a helpdesk's assignee column says. Internal notes, bots and messages after
    --as-of do not count (the caller passes the public conversation, in time order).
    """
    agent = team = None
    for message in reversed(messages):
        if message.role is not Role.AGENT or not message.public:
            continue
        agent = agent or message.author
        team = team or message.team
        if agent is not None and team is not None:
            break
    return agent, team


def _id(value: object) -> str:
    """An identifier as text: JSON numbers and "123.0" from spreadsheets read as "123"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _at_path(value: object, path: str | None) -> object:
    """`a.b.0` inside nested mappings and lists; None where the path does not lead."""
    if path is None or path == "":
        return value
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.lstrip("-").isdigit() and -len(value) <= int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _size(item: _Input) -> int:
    try:
        return item.file.path.stat().st_size
    except OSError:
        return 0
