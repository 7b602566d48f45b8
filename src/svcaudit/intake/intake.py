"""Intake: every input file read, every row accounted for, tickets assembled and handed on lazily.

Ticket rows alone stream one ticket at a time. With message rows, messages are grouped per ticket and
joined to ticket rows by `ticket_id`; tickets come out in ticket-file order, then tickets known only
from messages in the order they were first seen. A field-history table (`input.history`) joins
like messages, its status rows as status events; with `input.history: rows`, each ticket row's
status is an event of its ticket. A row that cannot be audited becomes a `Rejection`.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from array import array
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svcaudit import reasons
from svcaudit.errors import InputError, Location
from svcaudit.intake.columns import (
    MESSAGE_MARKERS,
    TICKET_FIELDS,
    TIMESTAMP_FIELDS,
    ColumnMapping,
    header_key,
    loose_key,
)
from svcaudit.intake.dateorder import DAY_FIRST, ColumnEvidence, decide, gather, may_hold_numeric_dates
from svcaudit.intake.fields import FieldError, RowParser, duplicate_id
from svcaudit.intake.headers import READ_FIELDS, Columns, quoted_name, resolve_columns, shown_name
from svcaudit.intake.ids import TicketIdSet
from svcaudit.intake.lookups import LOOKUP_KEY, LookupTable, join_row, miss_reason
from svcaudit.intake.model import InputStats, Message, Rejection, Role, RowRef, Shape, Ticket
from svcaudit.intake.paths import SEPARATOR, at_path, has_path
from svcaudit.intake.presets import HistoryLayout, NestedLayout
from svcaudit.intake.readers import ExportFile, RecordError
from svcaudit.intake.tables import TableMatchError, TableShape, TableSpec, match_table

if TYPE_CHECKING:
    from svcaudit.intake.arrow_csv import CellBatch

# JSON objects may each bring their own keys; the resolved names of this many key sets are kept.
KEY_SETS_CACHED = 256


GROUPING_STREAMED = "streamed: messages ordered by ticket"
GROUPING_IN_MEMORY = "in memory: messages not ordered by ticket"
GROUPING_SPILLED = "on disk: messages not ordered by ticket, grouped in a temporary SQLite file"
# Unordered message exports larger than this are grouped on disk.
SPILL_BYTES = 64 * 1024 * 1024
# Rows of one input fit below this: (input, row) packs into one int.
ROW_SPACE = 1 << 40
PICKLE = pickle.HIGHEST_PROTOCOL
UNTIMED_BASE = datetime(2000, 1, 1, tzinfo=timezone.utc)  # orders untimed transcripts; never shown
MAX_THREAD_DEPTH = 10_000  # a reply chain longer than this is taken to loop


DUPLICATES_POLICIES = ("reject", "first", "last")
NO_UPDATE_TIME = reasons.NO_UPDATE_TIME.text()


@dataclass
class _Input:
    file: ExportFile
    stats: InputStats
    columns: dict[tuple[str, ...], Columns] = field(default_factory=dict)
    nested: bool = False  # one JSON object per conversation, read with the NestedLayout
    threaded: bool = False  # conversations derived from reply links (no conversation column)
    # A field-history table (`HistoryLayout`): read with its own column mapping, its status rows
    # as status events.
    history: HistoryLayout | None = None
    mapping: ColumnMapping | None = None
    position: int = 0  # among the intake's inputs
    # The `input.tables` table the file is, and the parser of its values (its own `values`).
    table: TableSpec | None = None
    parser: RowParser | None = None


@dataclass(frozen=True)
class TableReading:
    """One table of `input.tables` ready to read: its spec (preset filled in), its column and
    value mapping, and the parser that types its rows (None for a lookup, whose rows are kept
    as text)."""

    spec: TableSpec
    mapping: ColumnMapping
    parser: RowParser | None = None


# Canonical names of a history table's columns (the layout names them in the export).
HISTORY_FIELD = "history_field"
HISTORY_VALUE = "history_value"


@dataclass
class _HistoryTrail:
    """What a history table says of one ticket besides its status: where its other rows are (to
    reject them if the ticket is unknown), and its fields' latest values (a ticket known only
    from its history is built from them)."""

    rows: list[int] = field(default_factory=list)  # (input position, row) packed, see ROW_SPACE
    latest: dict[str, tuple[datetime, str, int]] = field(default_factory=dict)  # field -> (time, value, row)


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
        records: str | None = None,
        records_default: str | None = None,
        history: HistoryLayout | None = None,
        events_from_rows: bool = False,
        tables: Sequence[TableReading] = (),
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
        self.history = history
        # `input.history: rows`: every ticket row's status at its updated_at is a status event.
        self.events_from_rows = events_from_rows
        if events_from_rows and duplicates != "last":
            raise ValueError("events from rows need duplicates='last'")
        self._history_trails: dict[str, _HistoryTrail] = {}
        self._seen_ids: set[str] = set()  # tickets handed on, kept while history tables are read
        self._ticket_table = False  # ticket rows are given: a history row must match one
        self.messages_after_as_of = 0  # messages stamped after --as-of: not read into tickets
        self.rejected: list[Rejection] = []
        # Things the run should say although no row was rejected (an empty file, a renamed column).
        self.warnings: list[str] = []
        self.grouping: str | None = None  # how message rows were joined, once tickets() has run
        self._row_ids = TicketIdSet()  # the ticket rows' ids, for a streamed join
        self._by_path: dict[str, _Input] = {}  # filled as `_input_at` is asked
        self._tables = {reading.spec.name: reading for reading in tables}
        self._lookups: dict[str, LookupTable] | None = None  # read on the first tickets()
        if tables:
            self._inputs = [self._classify_table(ExportFile(p, encoding, records, records_default)) for p in paths]
            self._note_tables_without_files()
        else:
            self._inputs = [self._classify(ExportFile(p, encoding, records, records_default)) for p in paths]
        for position, item in enumerate(self._inputs):
            item.position = position

    @property
    def inputs(self) -> list[InputStats]:
        return [item.stats for item in self._inputs]

    def _classify(self, export: ExportFile) -> _Input:
        if self.layout is not None and export.format in ("json", "jsonl"):
            export.flatten = False  # the conversation object is read by its paths
            export.row_marker = self.layout.messages.path
        raw_columns = export.peek_columns()
        if export.empty:
            self.warnings.append(reasons.EMPTY_FILE.text(path=export.display))
        if export.encoding_note is not None:
            self.warnings.append(f"{export.display}: {export.encoding_note}")
        if self.layout is not None and export.format in ("json", "jsonl"):
            stats = InputStats(export.display, Shape.MESSAGES, export.format, export.encoding)
            return _Input(export, stats, nested=True)
        history = self._history_input(export, raw_columns)
        if history is not None:
            return history
        resolved = resolve_columns(self.mapping, raw_columns)
        names = resolved.names
        canonical = set(names.values())
        if export.format == "csv":
            self._check_header(export, resolved)
        shape = Shape.MESSAGES if canonical & MESSAGE_MARKERS else Shape.TICKETS
        threaded = (
            self.thread is not None
            and "ticket_id" not in canonical
            and all(header_key(c) in canonical for c in self.thread)
        )
        if raw_columns and "ticket_id" not in canonical and not threaded:
            raise InputError(
                "no ticket_id column (columns: "
                + ", ".join(map(shown_name, raw_columns[:20]))
                + "); map one with input.columns.ticket_id in the standard",
                Location(export.display, 1),
            )
        stats = InputStats(export.display, shape, export.format, export.encoding)
        item = _Input(export, stats, {tuple(raw_columns): resolved}, threaded=threaded)
        self._decide_date_orders(item)
        if export.format != "csv":
            self._check_paths(item)
        return item

    def _classify_table(self, export: ExportFile) -> _Input:
        """An input of an audit with `input.tables`: the table it is (by its name's pattern, else
        its columns), read with that table's columns, values and shape."""
        raw_columns = export.peek_columns()
        specs = [reading.spec for reading in self._tables.values()]
        try:
            match = match_table(export.display, raw_columns, specs)
        except TableMatchError as exc:
            raise InputError(str(exc), Location(export.display, 1)) from None
        reading = self._tables[match.table.name]
        spec = reading.spec
        if spec.records is not None and export.format in ("json", "jsonl"):
            export.records_path = spec.records
            raw_columns = export.peek_columns()
        if export.empty:
            self.warnings.append(reasons.EMPTY_FILE.text(path=export.display))
        if export.encoding_note is not None:
            self.warnings.append(f"{export.display}: {export.encoding_note}")
        where = f"table {spec.name!r} ({spec.shape.value}, matched {match.how})"
        if spec.shape is TableShape.HISTORY:
            item = self._history_input(export, raw_columns, spec.history, reading.parser)
            if item is None and raw_columns:
                layout = spec.history
                raise InputError(
                    f"{where}: the history's columns {layout.ticket}, {layout.field}, "
                    f"{layout.value}, {layout.time} are not all in the file (columns: "
                    + ", ".join(map(shown_name, raw_columns[:20]))
                    + ")",
                    Location(export.display, 1),
                )
            if item is None:
                item = _Input(
                    export,
                    InputStats(export.display, Shape.HISTORY, export.format, export.encoding),
                    history=spec.history,
                )
            item.table = spec
            return item
        mapping = reading.mapping
        if spec.shape is TableShape.LOOKUP:
            mapping = ColumnMapping({LOOKUP_KEY: spec.key, **spec.fields}, spec.values)
        resolved = resolve_columns(mapping, raw_columns)
        canonical = set(resolved.names.values())
        if export.format == "csv":
            self._check_header(export, resolved)
        shape = {
            TableShape.TICKETS: Shape.TICKETS,
            TableShape.MESSAGES: Shape.MESSAGES,
            TableShape.LOOKUP: Shape.LOOKUP,
        }[spec.shape]
        needed = LOOKUP_KEY if shape is Shape.LOOKUP else "ticket_id"
        if raw_columns and needed not in canonical:
            column = spec.key if shape is Shape.LOOKUP else mapping.columns.get("ticket_id", "ticket_id")
            raise InputError(
                f"{where}: no column {column!r} (columns: "
                + ", ".join(map(shown_name, raw_columns[:20]))
                + f"); map it in the table's {'key' if shape is Shape.LOOKUP else 'columns.ticket_id'}",
                Location(export.display, 1),
            )
        stats = InputStats(export.display, shape, export.format, export.encoding)
        item = _Input(export, stats, {tuple(raw_columns): resolved}, mapping=mapping, table=spec, parser=reading.parser)
        if shape is not Shape.LOOKUP:
            self._decide_date_orders(item)
            if export.format != "csv":
                self._check_paths(item)
        return item

    def _note_tables_without_files(self) -> None:
        """A joined lookup table given no file: its joins are not made, which the run says."""
        given = {item.table.name for item in self._inputs if item.table is not None}
        for reading in self._tables.values():
            for join in reading.spec.joins:
                if join.table not in given and any(i.table is reading.spec for i in self._inputs):
                    self.warnings.append(
                        reasons.LOOKUP_WITHOUT_FILE.text(
                            table=repr(reading.spec.name),
                            lookup=repr(join.table),
                            fields=", ".join(join.fields),
                            column=join.key,
                        )
                    )

    def _load_lookups(self) -> dict[str, LookupTable]:
        """Every lookup table, read once, streaming, before the rows that join them: each held
        as key -> the fields its joins use."""
        if self._lookups is not None:
            return self._lookups
        lookups: dict[str, LookupTable] = {}
        for item in self._inputs:
            if item.stats.shape is not Shape.LOOKUP:
                continue
            spec = item.table
            table = lookups.get(spec.name)
            if table is None:
                table = lookups[spec.name] = LookupTable(spec.name, list(spec.fields))
            mapping = item.mapping
            for ref, values in self._rows(item):
                # Held as the joining rows will read them: through the table's `values`.
                values = {name: mapping.value(name, value) for name, value in values.items()}
                problem = table.add(ref.path, ref.row, values)
                if problem is not None:
                    self._reject(item, ref.row, spec.key, problem[1], row_kept=False)
        self._lookups = lookups
        return lookups

    def _parser(self, item: _Input) -> RowParser:
        return item.parser or self.parser

    def _history_input(
        self,
        export: ExportFile,
        raw_columns: list[str],
        layout: HistoryLayout | None = None,
        parser: RowParser | None = None,
    ) -> _Input | None:
        """The input as a field-history table, when it has the history layout's columns."""
        layout = layout or self.history
        if layout is None or not raw_columns:
            return None
        mapping = ColumnMapping(
            {
                "ticket_id": layout.ticket,
                "created_at": layout.time,
                HISTORY_FIELD: layout.field,
                HISTORY_VALUE: layout.value,
            }
        )
        resolved = resolve_columns(mapping, raw_columns)
        if not {"ticket_id", "created_at", HISTORY_FIELD, HISTORY_VALUE} <= set(resolved.names.values()):
            return None
        if export.format == "csv":
            self._check_header(export, resolved)
        stats = InputStats(export.display, Shape.HISTORY, export.format, export.encoding)
        item = _Input(export, stats, {tuple(raw_columns): resolved}, history=layout, mapping=mapping, parser=parser)
        self._decide_date_orders(item)
        return item

    def _check_paths(self, item: _Input) -> None:
        """Warn of each dotted path `input.columns` maps that no JSON row of the input has: the
        field is empty in every row, which a misspelt path would otherwise make silently."""
        paths = {
            canonical: column
            for canonical, column in (item.mapping or self.mapping).columns.items()
            if SEPARATOR in column
        }
        if not paths or item.file.empty:
            return
        for _ in item.file.records():  # the reader notes every key a row has had
            pass
        present = {header_key(c) for c in item.file.columns} | {loose_key(c) for c in item.file.columns}
        for canonical, path in paths.items():
            if header_key(path) not in present and loose_key(path) not in present:
                self.warnings.append(_absent_path(item.stats.path, path, f"input.columns.{canonical}"))

    def _decide_date_orders(self, item: _Input) -> None:
        """Settle the day/month order of each date column before any row is typed (`dateorder`)."""
        export = item.file
        if export.empty or not may_hold_numeric_dates(export.byte_chunks()):
            return
        evidence = gather(self._date_values(item))
        self.warnings.extend(settle_date_orders(self._parser(item), item.stats, evidence, self.date_order))

    def _date_values(self, item: _Input) -> Iterator[tuple[int, dict[str, tuple[str, Any]]]]:
        """(row, {date field: (its column or JSON key, value)}) of every readable row, for the
        date-order pre-scan."""
        columns: Columns | None = None
        for record in item.file.records():
            if isinstance(record, RecordError):
                continue
            if columns is None or item.file.format != "csv":  # JSON keys vary by object
                columns = self._columns(item, tuple(record.values))
            names = columns.names
            yield record.row, {names[k]: (k, v) for k, v in record.values.items() if names[k] in TIMESTAMP_FIELDS}

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
                reasons.COLUMN_RENAMED.text(
                    path=export.display,
                    column=renamed.column,
                    name=quoted_name(renamed.original),
                    first=renamed.first_column,
                    renamed=quoted_name(renamed.name),
                )
            )
        if resolved.clash is not None:
            raise InputError(resolved.clash.describe(), Location(export.display, 1))
        self.warnings.extend(f"{export.display}: {note}" for note in resolved.notes)

    def _columns(self, item: _Input, keys: tuple[str, ...]) -> Columns:
        """Canonical names for one key set; JSON rows with new keys are resolved as they come."""
        found = item.columns.get(keys)
        if found is None:
            if len(item.columns) >= KEY_SETS_CACHED:
                item.columns.clear()
            found = item.columns[keys] = resolve_columns(item.mapping or self.mapping, keys)
        return found

    def _reject(self, item: _Input, row: int, field_name: str | None, error: str, row_kept: bool = False) -> None:
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
        """The input a row of `path` came from (every row carries its input's path)."""
        found = self._by_path.get(path)
        if found is None:
            found = self._by_path[path] = next(i for i in self._inputs if i.stats.path == path)
        return found

    def _rows(self, item: _Input) -> Iterator[tuple[RowRef, dict]]:
        """Canonical rows of one input; reader-level faults are rejected here."""
        same_keys = item.file.format == "csv"  # every CSV row has the header's columns
        columns: Columns | None = None
        roots = self._thread_roots(item) if item.threaded else None
        joins = item.table.joins if item.table is not None else ()
        lookups = self._load_lookups() if joins else {}
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
            ref = RowRef(item.stats.path, record.row)
            if item.history is not None:
                values = self._history_event(item, ref, values)
                if values is None:
                    continue
            if joins:
                for join, key in join_row(values, joins, lookups):
                    column = (item.mapping or self.mapping).columns.get(join.key, join.key)
                    self._reject(
                        item, ref.row, join.key, miss_reason(join, key, column, lookups[join.table]), row_kept=True
                    )
            yield ref, values

    def _history_event(self, item: _Input, ref: RowRef, values: dict) -> dict | None:
        """A history row as the message row of its status event; None for a row of another field
        (noted in the ticket's trail) or a rejected one."""
        layout = item.history
        ticket_id = _id(values.get("ticket_id"))
        if not ticket_id:
            self._reject(item, ref.row, layout.ticket, reasons.FIELD_EMPTY.text(field=layout.ticket))
            return None
        try:
            changed_at = self._parser(item).timestamp(values, "created_at", ref.path)
        except FieldError as exc:
            self._reject(item, ref.row, layout.time, exc.message)
            return None
        if changed_at is None:
            self._reject(item, ref.row, layout.time, reasons.HISTORY_NO_TIME.text(field=layout.time))
            return None
        field_name = str(values.get(HISTORY_FIELD) or "").strip()
        value = values.get(HISTORY_VALUE)
        if field_name.casefold() == layout.status_value.casefold():
            if value is None or not str(value).strip():
                self._reject(item, ref.row, layout.value, reasons.HISTORY_NO_VALUE.text())
                return None
            return {
                "ticket_id": ticket_id,
                "created_at": values.get("created_at"),
                "author_role": Role.SYSTEM.value,
                "text": "",
                "status": value,
            }
        trail = self._history_trails.get(ticket_id)
        if trail is None:
            trail = self._history_trails[ticket_id] = _HistoryTrail()
        trail.rows.append(item.position * ROW_SPACE + ref.row)
        canonical = self.mapping.canonical_names([field_name]).get(field_name, "") if field_name else ""
        if canonical in TICKET_FIELDS and canonical != "ticket_id":
            held = trail.latest.get(canonical)
            if held is None or held[0] <= changed_at:
                trail.latest[canonical] = (changed_at, "" if value is None else str(value), ref.row)
        return None

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
        """One ticket per conversation object: its fields at the paths `input.columns` gives,
        typed as a ticket row's, and its messages found by the `input.messages` layout."""
        layout = self.layout
        transcript = layout.messages
        parts = transcript.parts()
        found: set[str] = set()  # declared paths some conversation (or message) has
        for record in item.file.records():
            item.stats.rows_read += 1
            if isinstance(record, RecordError):
                self._reject(item, record.row, record.field, record.error)
                continue
            conversation = record.values
            ref = RowRef(item.stats.path, record.row)
            ticket_id = _id(at_path(conversation, layout.ticket_id))
            raw_messages = at_path(conversation, transcript.path)
            if not ticket_id:
                self._reject(item, record.row, layout.ticket_id, reasons.CONVERSATION_NO_ID.text())
                continue
            if not isinstance(raw_messages, list):
                self._reject(item, record.row, transcript.path, reasons.CONVERSATION_NO_MESSAGES.text())
                continue
            row: dict[str, Any] = {"ticket_id": ticket_id}
            for name, path in layout.fields.items():
                if has_path(conversation, path):
                    found.add(path)
                    value = at_path(conversation, path)
                    if value is not None and not isinstance(value, (dict, list)):
                        row[name] = value
            try:
                ticket = self.parser.ticket(ref, row)
            except FieldError as exc:
                self._reject(item, record.row, layout.fields.get(exc.field, exc.field), exc.message)
                continue
            messages = []
            try:
                for index, raw in enumerate(raw_messages):
                    values: dict[str, Any] = {"ticket_id": ticket_id}
                    for name, path in parts.items():
                        if has_path(raw, path):
                            found.add(f"{transcript.path}[].{path}")
                            values[name] = at_path(raw, path)
                    if "author_role" in parts:  # declared: a message without it is a bad row
                        values.setdefault("author_role", None)
                    if not layout.timed:
                        values["created_at"] = (UNTIMED_BASE + timedelta(seconds=index)).isoformat()
                    message = self.parser.message(ref, values)[1]
                    message.timed = layout.timed
                    messages.append(message)
            except FieldError as exc:
                self._reject(
                    item, record.row, f"{transcript.path}[{index}].{parts.get(exc.field, exc.field)}", exc.message
                )
                continue
            ticket.messages = messages
            ticket.timed = layout.timed
            if ticket.rejected_fields:
                self.reject_fields(ticket)
            yield self._with_conversation(ticket)
        if item.stats.rows_read > item.stats.rows_rejected:
            declared = {path: f"input.columns.{name}" for name, path in layout.fields.items()}
            declared.update(
                {
                    f"{transcript.path}[].{path}": f"input.messages.{key}"
                    for key, path in _message_keys(transcript).items()
                }
            )
            for path, where in declared.items():
                if path not in found:
                    self.warnings.append(_absent_path(item.stats.path, path, where))

    def tickets(self) -> Iterator[Ticket]:
        if self._tables:
            self._load_lookups()
        for item in self._inputs:
            if item.nested:
                yield from self._nested_tickets(item)
        ticket_inputs = [i for i in self._inputs if i.stats.shape is Shape.TICKETS]
        message_inputs = [i for i in self._inputs if i.stats.shape in (Shape.MESSAGES, Shape.HISTORY) and not i.nested]
        self._ticket_table = bool(ticket_inputs)
        if any(item.history is not None for item in message_inputs):
            for ticket in self._joined(ticket_inputs, message_inputs):
                self._seen_ids.add(ticket.ticket_id)
                yield ticket
            yield from self._history_without_status(ticket_inputs)
            return
        yield from self._joined(ticket_inputs, message_inputs)

    def _joined(self, ticket_inputs: list[_Input], message_inputs: list[_Input]) -> Iterator[Ticket]:
        """Ticket rows joined to their messages (and status events), by the fastest way the
        inputs allow."""
        if not ticket_inputs and not message_inputs:
            return
        if not message_inputs:
            rows = self._ticket_rows(ticket_inputs, {})
            yield from (map(self._with_conversation, rows) if self.events_from_rows else rows)
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
            ticket.messages += groups.pop(ticket.ticket_id, [])
            yield self._with_conversation(ticket)
        for ticket_id, messages in groups.items():
            ticket = self._message_only(ticket_id, messages)
            if ticket is not None:
                yield ticket

    def _message_only(self, ticket_id: str, messages: list[Message]) -> Ticket | None:
        """A ticket known only from its messages, or from its history when no ticket rows are
        given. With ticket rows, a history row of a ticket none of them has is rejected: the
        history belongs to the ticket table, and a ticket missing from it is a gap to show."""
        if self._ticket_table:
            kept = []
            for message in messages:
                item = self._input_at(message.ref.path)
                if item.history is not None:
                    self._reject(
                        item,
                        message.ref.row,
                        item.history.ticket,
                        reasons.HISTORY_UNKNOWN_TICKET.text(ticket_id=repr(ticket_id)),
                    )
                else:
                    kept.append(message)
            messages = kept
            if not messages:
                return None
        ticket = Ticket(ticket_id=ticket_id, ref=messages[0].ref, messages=messages)
        return self._with_conversation(self._with_history_fields(ticket))

    def _with_history_fields(self, ticket: Ticket) -> Ticket:
        """A ticket known only from its history, with its fields' latest values (priority,
        assignee, …) typed as a ticket row's would be."""
        trail = self._history_trails.get(ticket.ticket_id)
        if trail is None or not trail.latest:
            return ticket
        item_of = {item.position: item for item in self._inputs}
        latest = dict(trail.latest)
        while True:
            values = {"ticket_id": ticket.ticket_id, **{name: v[1] for name, v in latest.items()}}
            try:
                typed = self.parser.ticket(ticket.ref, values)
                break
            except FieldError as exc:
                _, _, row = latest.pop(exc.field)
                position = next(p for p in trail.rows if p % ROW_SPACE == row) // ROW_SPACE
                self._reject(item_of[position], row, exc.field, exc.message, row_kept=True)
        typed.messages, typed.has_ticket_row, typed.columns = ticket.messages, False, frozenset()
        return typed

    def _history_without_status(self, ticket_inputs: list[_Input]) -> Iterator[Ticket]:
        """History rows of tickets no ticket row and no status event named: rejected when ticket
        rows are given, else each such ticket is audited from its fields' latest values."""
        item_of = {item.position: item for item in self._inputs}
        for ticket_id, trail in self._history_trails.items():
            if ticket_id in self._seen_ids:
                continue
            if ticket_inputs:
                for packed in trail.rows:
                    position, row = divmod(packed, ROW_SPACE)
                    item = item_of[position]
                    self._reject(
                        item, row, item.history.ticket, reasons.HISTORY_UNKNOWN_TICKET.text(ticket_id=repr(ticket_id))
                    )
                continue
            position, row = divmod(trail.rows[0], ROW_SPACE)
            ticket = Ticket(ticket_id=ticket_id, ref=RowRef(item_of[position].stats.path, row))
            yield self._with_conversation(self._with_history_fields(ticket))

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
                    self._reject(
                        self._input_at(message.ref.path),
                        message.ref.row,
                        "ticket_id",
                        reasons.TICKET_ROW_REJECTED.text(place=f"{bad_ticket.path}:{bad_ticket.row}"),
                    )
                return True
            if ticket_id not in self._row_ids:
                message_only.append(block)
                return True
            return False

        # The pre-pass found every readable row's id distinct; only a value table for ticket_id
        # could make two of them one.
        mappings = [self.mapping, *(item.mapping for item in ticket_inputs if item.mapping)]
        unique = all("ticket_id" not in mapping.mapped_fields for mapping in mappings)
        for ticket in self._ticket_rows(ticket_inputs, rejected_ids, unique):
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
            yield self._with_conversation(ticket)
        for block in ([waiting] if waiting is not None else []) + list(blocks):
            if not settle(block):
                message_only.append(block)
        for ticket_id, messages in message_only:
            ticket = self._message_only(ticket_id, messages)
            if ticket is not None:
                yield ticket

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
                rows = (
                    (None, t.ticket_id, pickle.dumps(t, PICKLE)) for t in self._ticket_rows(ticket_inputs, rejected_ids)
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
                    ticket.messages += self._spilled_messages(db, ticket.ticket_id)
                    yield self._with_conversation(ticket)
                only = db.execute(
                    "SELECT ticket_id FROM messages WHERE ticket_id NOT IN (SELECT ticket_id FROM tickets) "
                    "GROUP BY ticket_id ORDER BY MIN(seq)"
                )
                for (ticket_id,) in only.fetchall():
                    ticket = self._message_only(ticket_id, self._spilled_messages(db, ticket_id))
                    if ticket is not None:
                        yield ticket
            finally:
                db.close()

    @staticmethod
    def _spilled_messages(db: sqlite3.Connection, ticket_id: str) -> list[Message]:
        return [
            pickle.loads(data)
            for (data,) in db.execute("SELECT data FROM messages WHERE ticket_id = ? ORDER BY seq", (ticket_id,))
        ]

    def _accepted_messages(
        self, inputs: list[_Input], rejected_ids: dict[str, RowRef]
    ) -> Iterator[tuple[str, Message]]:
        """Message rows that join a ticket, in file order; the others are rejected on the way."""
        for item in inputs:
            names = None if item.threaded else self._cell_names(item)
            parser = self._parser(item)
            typer = parser.message_cells_typer(names) if names else None
            rows = self._plain_rows(item) if typer else self._rows(item)
            type_message = typer or parser.message
            for ref, values in rows:
                try:
                    ticket_id, message = type_message(ref, values)
                except FieldError as exc:
                    self._reject(item, ref.row, exc.field, exc.message)
                    continue
                bad_ticket = rejected_ids.get(ticket_id)
                if bad_ticket is not None:
                    self._reject(
                        item,
                        ref.row,
                        "ticket_id",
                        reasons.TICKET_ROW_REJECTED.text(place=f"{bad_ticket.path}:{bad_ticket.row}"),
                    )
                    continue
                yield ticket_id, message

    @property
    def ticket_rows_only(self) -> bool:
        """Only flat ticket-row files: rows can be typed and judged anywhere, in any process."""
        return (
            not self.events_from_rows
            and not self._tables
            and all(item.stats.shape is Shape.TICKETS and not item.nested for item in self._inputs)
        )

    @property
    def input_count(self) -> int:
        return len(self._inputs)

    def cell_names(self, index: int) -> list[str] | None:
        """Canonical names of a CSV input's columns, in order; None for other inputs, whose rows
        come as mappings (`input_rows`)."""
        return self._cell_names(self._inputs[index])

    def _cell_names(self, item: _Input) -> list[str] | None:
        if (
            item.file.format != "csv"
            or item.threaded
            or item.nested
            or item.history is not None
            or len(item.columns) != 1
            or (item.table is not None and item.table.joins)
        ):
            return None
        ((raw_columns, resolved),) = item.columns.items()
        return [resolved.names[name] for name in raw_columns]

    def _id_position(self, item: _Input) -> int | None:
        """Where a plain CSV input's rows hold the ticket id (the last such column, as a mapping
        of the row keeps it); None when rows must be read as mappings."""
        names = self._cell_names(item)
        if names is None or "ticket_id" not in names:
            return None
        ((_, resolved),) = item.columns.items()
        if resolved.clash is not None:
            return None
        return len(names) - 1 - names[::-1].index("ticket_id")

    def input_rows(self, index: int) -> Iterator[tuple[RowRef, Any]]:
        """Rows of one input, reader faults rejected:
        the cells of each CSV row in `cell_names` order, or a mapping by canonical name."""
        item = self._inputs[index]
        if self.cell_names(index) is None:
            yield from self._rows(item)
            return
        yield from self._plain_rows(item)

    def _plain_rows(self, item: _Input) -> Iterator[tuple[RowRef, list[str]]]:
        """The cells of a plain CSV input's rows, in `cell_names` order; reader faults rejected."""
        stats = item.stats
        path = stats.path
        for record in item.file.records(cells=True):
            stats.rows_read += 1
            if type(record) is RecordError:  # noqa: E721 - a tuple otherwise, on the hot path
                self._reject(item, record.row, record.field, record.error)
                continue
            row, cells = record
            yield RowRef(path, row), cells

    def cell_batches(self, index: int) -> Iterator[CellBatch] | None:
        """The rows of a plain CSV input in Arrow batches (`arrow_csv`), counted as `input_rows`
        counts them; None where `cell_names` is None. Iterating raises ColumnarUnfit when Arrow
        cannot be trusted to read the input exactly as `input_rows` does; the rows it counted
        are then uncounted, so that reading the input with `input_rows` accounts it once."""
        if self.cell_names(index) is None:
            return None
        return self._cell_batches(self._inputs[index])

    def _cell_batches(self, item: _Input) -> Iterator[CellBatch]:
        from svcaudit.intake.arrow_csv import ColumnarUnfit, read_cell_batches  # pyarrow: only when asked

        stats = item.stats
        counted = 0
        try:
            for batch in read_cell_batches(item.file):
                counted += len(batch)
                stats.rows_read += len(batch)
                yield batch
        except ColumnarUnfit:
            stats.rows_read -= counted
            raise

    def reject_row(self, path: str, row: int, field_name: str | None, error: str) -> None:
        """A rejection found elsewhere (the columnar core typing the row), accounted to its input."""
        item = self._input_at(path)
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
                ticket = self._typed_ticket(item, ref, values, rejected_ids, seen)
                if ticket is None:
                    continue
                first = None if unique else seen.get(ticket.ticket_id)
                if first is not None:
                    if self.duplicates == "first":
                        item.stats.rows_folded += 1
                        continue
                    first_input, first_row = divmod(first, ROW_SPACE)
                    self._reject(
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
                    self.reject_fields(ticket)
                yield ticket

    def _typed_ticket(
        self, item: _Input, ref: RowRef, values: dict, rejected_ids: dict[str, RowRef], audited: Container[str]
    ) -> Ticket | None:
        """A ticket row typed, or None when it was rejected: its id is remembered, so that its
        messages are rejected with it, unless an earlier row of that ticket (`audited`) was
        read, which its messages join (a bad update row of an event log)."""
        try:
            return self._parser(item).ticket(ref, values)
        except FieldError as exc:
            self._reject(item, ref.row, exc.field, exc.message)
            ticket_id = str(values.get("ticket_id") or "").strip()
            if ticket_id and ticket_id not in audited:
                rejected_ids.setdefault(ticket_id, ref)
            return None

    def _latest_ticket_rows(self, inputs: list[_Input], rejected_ids: dict[str, RowRef]) -> Iterator[Ticket]:
        """An event log's latest state of each ticket: the row with the latest `updated_at`
        (file order where it is missing or equal), the others folded. Tickets come out in the
        order of their first row; memory holds one ticket per id."""
        latest: dict[str, tuple[Ticket, _Input, datetime | None]] = {}
        events: dict[str, list[Message]] = {}  # with events_from_rows: each row's status
        for item in inputs:
            for ref, values in self._rows(item):
                ticket = self._typed_ticket(item, ref, values, rejected_ids, latest)
                if ticket is None:
                    continue
                try:
                    updated = self._parser(item).timestamp(values, "updated_at", ref.path)
                except FieldError as exc:
                    self._reject(item, ref.row, exc.field, exc.message)
                    if ticket.ticket_id not in latest:
                        rejected_ids.setdefault(ticket.ticket_id, ref)
                    continue
                if self.events_from_rows and ticket.status is not None:
                    if updated is None:
                        self._reject(item, ref.row, "updated_at", NO_UPDATE_TIME, row_kept=True)
                    else:
                        events.setdefault(ticket.ticket_id, []).append(
                            Message(updated, Role.SYSTEM, "", ref, ticket.status)
                        )
                rejected_ids.pop(ticket.ticket_id, None)
                held = latest.get(ticket.ticket_id)
                if held is None:
                    latest[ticket.ticket_id] = (ticket, item, updated)
                    continue
                held_ticket, held_item, held_updated = held
                older = updated is not None and held_updated is not None and updated < held_updated
                if older:
                    item.stats.rows_folded += 1
                    continue
                held_item.stats.rows_folded += 1
                # Keep the ticket's place (its first row) while taking the latest values.
                latest[ticket.ticket_id] = (ticket, item, updated)
        for ticket, _, _ in latest.values():
            if ticket.rejected_fields:
                self.reject_fields(ticket)
            ticket.messages = events.pop(ticket.ticket_id, [])
            yield ticket

    def _message_groups(self, inputs: list[_Input], rejected_ids: dict[str, RowRef]) -> dict[str, list[Message]]:
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
        opened = (
            ticket.created_at
            if ticket.created_at is not None
            else messages[0].created_at
            if messages and messages[0].timed
            else None
        )
        if as_of is not None and opened is not None and opened > as_of:
            # Created after --as-of (at its first message, without a ticket row): no rule judges
            # it, and it is counted as such; leaving its messages out would hide when it began.
            as_of = None
        kept = []
        notes = []
        requester = ticket.fields.get("requester_id")
        for message in messages:
            if message.role is Role.UNKNOWN and message.author is not None:
                table = self._input_at(message.ref.path).table
                if table is not None and table.requester_is_customer and requester is not None:
                    message.role = Role.CUSTOMER if message.author == requester else Role.AGENT
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
            for name, value in zip(("agent", "team"), who_from_messages(kept), strict=False):
                if value is not None and getattr(ticket, name) is None:
                    setattr(ticket, name, value)
                    ticket.fields[name] = value
        return ticket

    def _reject_message(self, message: Message, ticket: Ticket) -> None:
        item = self._input_at(message.ref.path)
        self._reject(
            item,
            message.ref.row,
            "created_at",
            reasons.MESSAGE_BEFORE_TICKET.text(
                stamp=message.created_at.isoformat(),
                created_at=ticket.created_at.isoformat() if ticket.created_at else "?",
            ),
        )


def settle_date_orders(
    parser: RowParser, stats: InputStats, evidence: Mapping[str, ColumnEvidence], declared: str | None
) -> list[str]:
    """Read each date column of an input in the order its values prove (`dateorder.decide`), noted
    in the input's accounts; the warnings the decision gives."""
    orders = decide(stats.path, evidence, declared)
    for column in orders.columns:
        parser.set_date_order(stats.path, column.field, column.order == DAY_FIRST)
        stats.date_orders[column.field] = column.how
    return orders.warnings


def _absent_path(path: str, dotted: str, declared_by: str) -> str:
    """The warning for a declared path that no row of an input has."""
    return reasons.ABSENT_PATH.text(path=path, dotted=repr(dotted), declared_by=declared_by)


def _message_keys(layout) -> dict[str, str]:
    """`input.messages` key -> path, for the parts of a message that are declared."""
    return {
        key: path for key in ("role", "text", "time", "author", "public") if (path := getattr(layout, key)) is not None
    }


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


def _size(item: _Input) -> int:
    try:
        return item.file.path.stat().st_size
    except OSError:
        return 0
