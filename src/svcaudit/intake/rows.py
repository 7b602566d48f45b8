"""Reading an input's rows: canonical rows, plain CSV cells, ticket ids alone, Arrow batches.

Every row read is counted on its input and every reader fault rejected here, so that whatever
assembles tickets from the rows sees only readable ones. A threaded input's rows get the ticket id
of their reply chain, a history table's rows become status events (`history`), and a table that
joins lookups has its rows' fields filled from them (`lookups`), each missed key rejected as a
field.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from svcaudit.intake.accounts import Accounts
from svcaudit.intake.columns import header_key
from svcaudit.intake.headers import Columns
from svcaudit.intake.history import HistoryTrails
from svcaudit.intake.inputs import InputFile, cell_names, id_position, key_columns
from svcaudit.intake.lookups import LookupTable, join_row, key_text, miss_reason
from svcaudit.intake.model import RowRef, Shape
from svcaudit.intake.readers import ColumnarUnfit, RecordError

if TYPE_CHECKING:
    from svcaudit.intake.arrow_csv import BatchShape
    from svcaudit.intake.row_batches import RowBatch

MAX_THREAD_DEPTH = 10_000  # a reply chain longer than this is taken to loop


class RowReader:
    """Reads the rows of the inputs in `accounts`, rejecting what cannot be read."""

    def __init__(
        self,
        accounts: Accounts,
        history: HistoryTrails,
        thread: tuple[str, str] | None = None,
        columnar: bool = True,
    ) -> None:
        self.accounts = accounts
        self.history = history
        self.thread = thread  # (message id column, parent id column) of a threaded export
        # Plain CSV inputs read by Arrow (`row_batches`) and their message rows typed column-wise
        # (`joins`); False: the reference reader and parser, row by row.
        self.columnar = columnar
        self._lookups: dict[str, LookupTable] | None = None  # read when first asked

    def rows(self, item: InputFile) -> Iterator[tuple[RowRef, dict[str, Any]]]:
        """Canonical rows of one input; reader-level faults are rejected here."""
        reject = self.accounts.reject
        same_keys = item.file.format == "csv"  # every CSV row has the header's columns
        columns: Columns | None = None
        roots = self._thread_roots(item) if item.threaded else None
        joins = item.table.joins if item.table is not None else ()
        lookups = self.lookups() if joins else {}
        for record in item.file.records():
            item.stats.rows_read += 1
            if isinstance(record, RecordError):
                reject(item, record.row, record.field, record.error)
                continue
            if columns is None or not same_keys:
                columns = key_columns(item, tuple(record.values))
            if columns.clash is not None:  # a JSON object whose keys collide; CSV failed earlier
                reject(item, record.row, columns.clash.field, columns.clash.describe("keys"))
                continue
            names = columns.names
            values = {names[k]: v for k, v in record.values.items()}
            if roots is not None and self.thread is not None:
                values["ticket_id"] = roots.get(key_text(values.get(self.thread[0])), "")
            ref = RowRef(item.stats.path, record.row)
            if item.history is not None:
                event = self.history.event(item, ref, values)
                if event is None:
                    continue
                values = event
            if joins:
                for join, key in join_row(values, joins, lookups):
                    column = item.mapping.columns.get(join.key, join.key)
                    reject(item, ref.row, join.key, miss_reason(join, key, column, lookups[join.table]), row_kept=True)
            yield ref, values

    def plain_rows(self, item: InputFile, after: int = 0) -> Iterator[tuple[RowRef, list[str]]]:
        """The cells of a plain CSV input's rows, in `cell_names` order; reader faults rejected.
        `after`: that many readable rows were read already (by Arrow, `row_batches`) and are
        passed over, uncounted; a reader fault among them raises ColumnarUnfit (untrusted)."""
        stats = item.stats
        path = stats.path
        for record in item.file.cell_records():
            if after:
                if type(record) is RecordError:  # noqa: E721
                    raise ColumnarUnfit(f"row {record.row} is not read alike by Arrow", rows_trusted=False)
                after -= 1
                continue
            stats.rows_read += 1
            if type(record) is RecordError:  # noqa: E721 - a tuple otherwise, on the hot path
                self.accounts.reject(item, record.row, record.field, record.error)
                continue
            row, cells = record
            yield RowRef(path, row), cells

    def ids(self, item: InputFile) -> Iterator[str]:
        """The ticket id of every readable row, in file order (a light pre-pass: no typing)."""
        position = id_position(item)
        if position is not None:  # a plain CSV: the id cell of each row, no mapping made
            yield from self._cell_ids(item, position)
            return
        columns: Columns | None = None
        for mapped in item.file.records():
            if isinstance(mapped, RecordError):
                continue
            if columns is None or item.file.format != "csv":
                columns = key_columns(item, tuple(mapped.values))
            if columns.clash is not None:
                continue
            values = {columns.names[k]: v for k, v in mapped.values.items()}
            yield key_text(values.get("ticket_id"))

    def _cell_ids(self, item: InputFile, position: int) -> Iterator[str]:
        """The ids of a plain CSV input's readable rows (the cell at `position`): read by Arrow
        when `columnar`, on by the csv module from where Arrow found the input unfit (the rows
        Arrow gave are the first readable rows the csv module gives: it stops at the block of a
        row it cannot read, before handing out any row of that block)."""
        given = 0
        if self.columnar:
            from svcaudit.intake.arrow_csv import JOINED_BATCHES, read_cell_batches  # pyarrow: only when asked

            try:
                for batch in read_cell_batches(item.file, JOINED_BATCHES):
                    for ticket_id in batch.cells[position].to_pylist():
                        given += 1
                        yield ticket_id.strip()  # `key_text` of a cell's text
                return
            except ColumnarUnfit:
                pass
        records = (record for record in item.file.cell_records() if type(record) is not RecordError)  # noqa: E721
        for record in islice(records, given, None):
            yield key_text(record[1][position])

    def row_batches(self, item: InputFile, names: list[str], shape: BatchShape | None = None) -> Iterator[RowBatch]:
        """A plain CSV input's rows (its cells under `names`, `inputs.cell_names`) in batches of
        text columns (of `shape`, by default `arrow_csv.TICKET_BATCHES`), every row counted and
        every reader fault rejected once: read by Arrow (`arrow_csv`), and by the csv module
        (`plain_rows`) when `columnar` is off, or from where Arrow found that it cannot read the
        input exactly as the csv module does (at once, or at a ragged row deep in the file: the
        rows Arrow gave are the first rows the csv module gives).

        Raises ColumnarUnfit when the rows Arrow gave cannot stand (`ColumnarUnfit.rows_trusted`):
        the rows it counted are uncounted, and the caller reads every input again with `columnar`
        off."""
        from svcaudit.intake.arrow_csv import TICKET_BATCHES, read_cell_batches  # pyarrow: only when asked
        from svcaudit.intake.row_batches import RowBatch, csv_row_batches

        shape = shape or TICKET_BATCHES
        stats = item.stats
        given = 0
        if self.columnar:
            try:
                for cells in read_cell_batches(item.file, shape):
                    given += len(cells)
                    stats.rows_read += len(cells)
                    yield RowBatch(cells, names)
                return
            except ColumnarUnfit as unfit:
                if not unfit.rows_trusted:
                    stats.rows_read -= given
                    raise
        yield from csv_row_batches(stats.path, names, self.plain_rows(item, after=given), shape.rows)

    def joined_batches(self, item: InputFile) -> Iterator[RowBatch] | None:
        """The rows of an input the message join types column-wise (messages, and the ticket rows
        they join), in batches of `arrow_csv.JOINED_BATCHES`; None when its rows are typed one by
        one, as mappings: when the reader is not `columnar`, the input is not a plain CSV
        (`inputs.cell_names`), or its rows cannot be typed column-wise (`column_typer.typed_alike`)."""
        names = cell_names(item) if self.columnar else None
        if names is None:
            return None
        from svcaudit.intake.arrow_csv import JOINED_BATCHES  # pyarrow: only when data is read
        from svcaudit.intake.column_typer import typed_alike

        if not typed_alike(names):
            return None
        return self.row_batches(item, names, JOINED_BATCHES)

    def lookups(self) -> dict[str, LookupTable]:
        """Every lookup table, read once, streaming, before the rows that join them: each held
        as key -> the fields its joins use."""
        if self._lookups is not None:
            return self._lookups
        lookups: dict[str, LookupTable] = {}
        for item in self.accounts.inputs:
            spec = item.table
            if item.stats.shape is not Shape.LOOKUP or spec is None:
                continue
            table = lookups.get(spec.name)
            if table is None:
                table = lookups[spec.name] = LookupTable(spec.name, list(spec.fields))
            mapping = item.mapping
            for ref, values in self.rows(item):
                # Held as the joining rows will read them: through the table's `values`.
                values = {name: mapping.value(name, value) for name, value in values.items()}
                problem = table.add(ref.path, ref.row, values)
                if problem is not None:
                    self.accounts.reject(item, ref.row, spec.key, problem[1], row_kept=False)
        self._lookups = lookups
        return lookups

    def _thread_roots(self, item: InputFile) -> dict[str, str]:
        """message id -> the id of the first message of its reply chain (a pre-pass over the file).

        A chain whose first message is not in the file is named after that missing message, so
        replies to the same missing tweet stay one conversation.
        """
        assert self.thread is not None, "a threaded input needs the thread's columns"
        id_key, parent_key = (header_key(c) for c in self.thread)
        parents: dict[str, str] = {}
        names: Columns | None = None
        for record in item.file.records():
            if isinstance(record, RecordError):
                continue
            if names is None or item.file.format != "csv":
                names = key_columns(item, tuple(record.values))
            values = {names.names[k]: v for k, v in record.values.items()}
            message_id = key_text(values.get(id_key))
            if message_id:
                parents[message_id] = key_text(values.get(parent_key))
        roots: dict[str, str] = {}
        for message_id in parents:
            chain: list[str] = []
            current = message_id
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
