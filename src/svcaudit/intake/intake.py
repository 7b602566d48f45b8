"""Intake: every input file read, every row accounted for, tickets assembled and handed on lazily.

Ticket rows alone stream one ticket at a time. With message rows, messages are grouped per ticket and
joined to ticket rows by `ticket_id` (`joins`); tickets come out in ticket-file order, then tickets
known only from messages in the order they were first seen. A field-history table (`input.history`)
joins like messages, its status rows as status events (`history`); with `input.history: rows`, each
ticket row's status is an event of its ticket (`ticket_rows`). A row that cannot be audited becomes
a `Rejection` (`accounts`).

`Intake` only wires the parts together, in the order the pipeline runs: inputs classified
(`classify`, `table_inputs`), rows read (`rows`, `nested`), ticket rows typed (`ticket_rows`),
messages joined (`joins`), conversations completed (`conversation`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from svcaudit.errors import InputError, Location
from svcaudit.intake.accounts import Accounts
from svcaudit.intake.classify import Classifier
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.conversation import Conversations
from svcaudit.intake.fields import RowParser
from svcaudit.intake.history import HistoryTrails
from svcaudit.intake.inputs import TableReading, cell_names
from svcaudit.intake.joins import MessageJoin
from svcaudit.intake.model import InputStats, Rejection, Shape, Ticket
from svcaudit.intake.nested import nested_tickets
from svcaudit.intake.presets import HistoryLayout, NestedLayout
from svcaudit.intake.readers import ExportFile
from svcaudit.intake.rows import RowReader
from svcaudit.intake.table_inputs import TableClassifier
from svcaudit.intake.ticket_rows import TicketRows

if TYPE_CHECKING:
    from svcaudit.intake.row_batches import RowBatch

__all__ = ["Intake", "TableReading"]


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
        columnar: bool = True,
    ) -> None:
        if not paths:
            raise InputError("no input files given", Location("<command line>"))
        self.parser = parser
        self.mapping = mapping
        self.layout = layout
        self.duplicates = duplicates
        self._accounts = accounts = Accounts()
        self.rejected: list[Rejection] = accounts.rejected
        # Things the run should say although no row was rejected (an empty file, a renamed column).
        self.warnings: list[str] = accounts.warnings
        self._history = HistoryTrails(accounts, mapping, parser)
        self._reader = RowReader(accounts, self._history, thread, columnar)
        self._ticket_rows = TicketRows(self._reader, accounts, duplicates, events_from_rows)
        self._conversations = Conversations(accounts, as_of)
        self._join = MessageJoin(self._reader, self._ticket_rows, self._conversations, self._history, accounts, mapping)
        self._tables = {reading.spec.name: reading for reading in tables}
        classifier = Classifier(mapping, parser, accounts.warnings, layout, thread, history, date_order)
        exports = [ExportFile(p, encoding, records, records_default) for p in paths]
        if columnar and not tables and any(export.format == "csv" for export in exports):
            from svcaudit.intake.arrow_csv import scan_ahead  # pyarrow: only when data is read

            for export in exports:
                scan_ahead(export)  # beside the date orders' search, which classifying makes
        if tables:
            by_table = TableClassifier(classifier, self._tables)
            accounts.inputs.extend(by_table.classify(export) for export in exports)
            by_table.note_tables_without_files(accounts.inputs)
        else:
            accounts.inputs.extend(classifier.classify(export) for export in exports)
        for position, item in enumerate(accounts.inputs):
            item.position = position

    @property
    def inputs(self) -> list[InputStats]:
        return [item.stats for item in self._accounts.inputs]

    @property
    def grouping(self) -> str | None:
        """How message rows were joined (`joins.GROUPING_*`), once `tickets()` has run."""
        return self._join.grouping

    @property
    def as_of(self) -> datetime | None:
        """The instant messages after which are left out of conversations (--as-of)."""
        return self._conversations.as_of

    @as_of.setter
    def as_of(self, as_of: datetime | None) -> None:
        self._conversations.as_of = as_of

    @property
    def messages_after_as_of(self) -> int:
        """Messages stamped after --as-of: not read into tickets."""
        return self._accounts.messages_after_as_of

    def tickets(self) -> Iterator[Ticket]:
        inputs = self._accounts.inputs
        if self._tables:
            self._reader.lookups()
        for item in inputs:
            if item.nested and self.layout is not None:
                yield from nested_tickets(item, self.layout, self.parser, self._accounts, self._conversations.complete)
        ticket_inputs = [i for i in inputs if i.stats.shape is Shape.TICKETS]
        message_inputs = [i for i in inputs if i.stats.shape in (Shape.MESSAGES, Shape.HISTORY) and not i.nested]
        self._join.ticket_table = bool(ticket_inputs)
        if any(item.history is not None for item in message_inputs):
            for ticket in self._join.joined(ticket_inputs, message_inputs):
                self._history.seen_ids.add(ticket.ticket_id)
                yield ticket
            yield from self._history.without_status(bool(ticket_inputs), self._conversations.complete)
            return
        yield from self._join.joined(ticket_inputs, message_inputs)

    # -- what the fast paths read: plain ticket rows, typed elsewhere ---------------------------

    @property
    def ticket_rows_only(self) -> bool:
        """Only flat ticket-row files: rows can be typed and judged anywhere, in any process."""
        return (
            not self._ticket_rows.events_from_rows
            and not self._tables
            and all(item.stats.shape is Shape.TICKETS and not item.nested for item in self._accounts.inputs)
        )

    @property
    def input_count(self) -> int:
        return len(self._accounts.inputs)

    def row_batches(self, index: int) -> Iterator[RowBatch]:
        """The rows of one input of ticket rows in batches of text columns for the columnar core,
        every row counted and every reader fault rejected once: a plain CSV read by Arrow
        (`arrow_csv`); JSON, and a CSV Arrow cannot be trusted to read exactly as the csv module
        does, read by the reference reader (`row_batches`).

        Raises ColumnarUnfit when the rows Arrow gave cannot stand (`RowReader.row_batches`): the
        rows it counted are uncounted, and the caller reads every input again on the reference
        path."""
        from svcaudit.intake.row_batches import mapping_row_batches  # pyarrow: only when data is read

        item = self._accounts.inputs[index]
        names = cell_names(item)
        if names is None:
            yield from mapping_row_batches(item.stats.path, self._reader.rows(item), item.parser.mapping.mapped_fields)
            return
        yield from self._reader.row_batches(item, names)

    def reject_row(self, path: str, row: int, field_name: str | None, error: str) -> None:
        """A rejection found elsewhere (the columnar core typing the row), accounted to its input."""
        self._accounts.reject(self._accounts.input_at(path), row, field_name, error)

    def reject_fields(self, ticket: Ticket) -> None:
        """Account the fields a ticket row lost (a reply stamped before creation): the row stays."""
        self._accounts.reject_fields(ticket)
