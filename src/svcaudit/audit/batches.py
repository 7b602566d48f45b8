"""Arrow record batches in, a mergeable partial result out: one slice of an export audited anywhere.

A Dask partition or a Spark `mapInArrow` task holds some rows of a ticket-row export as Arrow record
batches: the export's columns by their header names, every cell as text (as a CSV has it).
`audit_record_batches` maps the names to canonical fields as the intake maps a CSV header, numbers
each row with its physical line in the original file (from `first_row`, the line of the slice's
first row), types and judges the rows with the columnar core exactly as `svcaudit check` judges a
CSV file's rows, and returns the partial result (`partial.partial_dict`) that `svcaudit merge` and
`partial.merge_partials` combine into the single run's report.

What a slice cannot see of the rest of the file: a ticket id repeated in another slice
(`input.duplicates` holds within one call), and the day/month order of slash dates, decided from
the slice's own values (declare `input.date_order` so that every slice reads them alike).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from svcaudit.audit.columnar import ColumnAudit, cell_batch
from svcaudit.audit.engine import make_row_parser
from svcaudit.audit.partial import partial_dict
from svcaudit.audit.run import Audit
from svcaudit.errors import InputError, Location, UsageError
from svcaudit.intake.arrow_csv import CellBatch, lined_batch
from svcaudit.intake.classify import settle_date_orders
from svcaudit.intake.columns import MESSAGE_MARKERS, TIMESTAMP_FIELDS
from svcaudit.intake.dateorder import gather
from svcaudit.intake.fields import RowParser
from svcaudit.intake.headers import resolve_columns, shown_name
from svcaudit.intake.model import InputStats, Rejection, Shape, Ticket
from svcaudit.intake.presets import HISTORY_FROM_ROWS, get_preset
from svcaudit.standard.model import Standard
from svcaudit.standard.waivers import Waivers

FIRST_DATA_LINE = 2  # the line after a one-line CSV header
BATCH_FORMAT = "arrow"
BATCH_ENCODING = "utf-8"  # Arrow's strings, whatever the file was
# What may be a slash or dash date (`dateorder.is_numeric_date` decides): the rows whose date
# fields are gathered as evidence of the day/month order.
_MAYBE_NUMERIC_DATE = r"^\s*\d{1,2}[/-]\d{1,2}[/-]\d{2}"
_TEXT_TYPES = (pa.string(), pa.large_string(), pa.string_view())


class BatchAccounts:
    """The accounts of one input that came as record batches: what `columnar.cell_batch` rejects
    into and `partial_dict` reports, as an `Intake` keeps them for a file."""

    def __init__(self, source: str, source_format: str, source_encoding: str) -> None:
        self.stats = InputStats(source, Shape.TICKETS, source_format, source_encoding)
        self.rejected: list[Rejection] = []
        self.warnings: list[str] = []
        self.messages_after_as_of = 0  # ticket rows hold no messages
        self.grouping: str | None = None

    @property
    def inputs(self) -> list[InputStats]:
        return [self.stats]

    def reject_row(self, path: str, row: int, field_name: str | None, error: str) -> None:
        self.stats.rows_rejected += 1
        self.rejected.append(Rejection(path, row, field_name, error))

    def reject_fields(self, ticket: Ticket) -> None:
        """The fields a row lost (a reply stamped before creation): the row stays."""
        assert ticket.ref is not None
        for field_name, error in ticket.rejected_fields.items():
            self.stats.fields_rejected += 1
            self.rejected.append(Rejection(ticket.ref.path, ticket.ref.row, field_name, error, row_kept=True))


def audit_record_batches(
    standard: Standard,
    batches: Iterable[pa.RecordBatch],
    as_of: datetime,
    *,
    source: str,
    first_row: int = FIRST_DATA_LINE,
    waivers: Waivers | None = None,
    source_format: str = BATCH_FORMAT,
    source_encoding: str = BATCH_ENCODING,
) -> dict[str, Any]:
    """The partial result of ticket rows given as record batches, all of one schema: one input
    named `source` (rejections and findings name it with each row's physical line, counted from
    `first_row` through the batches in order; a value's line breaks count as `check` counts them).

    `source_format` and `source_encoding` are what the report says the input was read as ("csv"
    and the file's encoding when the batches are slices of a CSV file), so that merged slices
    report that file as `check` does. The batches
    are held in memory (a slice's date order is decided from all its values before any is typed).
    Raises UsageError for a standard whose input is not plain ticket rows or that the columnar
    core does not run (a `where` scope, an aggregate rule other than a score), InputError for
    columns that cannot be read (no ticket_id, message rows, two columns read as one field)."""
    _check_standard(standard)
    held = list(batches)
    accounts = BatchAccounts(source, source_format, source_encoding)
    audit = Audit(standard, as_of, waivers=waivers)
    if not held:
        return partial_dict(audit, accounts)
    parser = make_row_parser(standard)
    names = _canonical_names(parser, held[0].schema.names, accounts)
    cells = list(_cell_batches(held, source, first_row, names))
    accounts.stats.rows_read = sum(len(batch) for batch in cells)
    evidence = gather(_date_values(cells, names, held[0].schema.names))
    accounts.warnings += settle_date_orders(parser, accounts.stats, evidence, standard.input.date_order)
    try:
        core = ColumnAudit(audit.tally, as_of, standard.input.duplicates, parser)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for batch in cells:
        core.add(cell_batch(batch, names, parser, accounts, accounts.stats))
    return partial_dict(audit, accounts)


def physical_lines(batches: Iterable[pa.RecordBatch]) -> int:
    """The physical lines of the original file that the batches' rows cover (a row is one line plus
    the line breaks its values hold): what a slice adds to the `first_row` of the next one."""
    lines = 0
    for batch in batches:
        if batch.num_rows:
            columns = [_text(batch.column(i), batch.schema.names[i], "") for i in range(batch.num_columns)]
            lines = lined_batch("", columns, lines)[1]
    return lines


def _check_standard(standard: Standard) -> None:
    """Record batches are ticket rows, one to a ticket, as the columnar core takes them."""
    spec = standard.input
    preset = get_preset(spec.preset)
    if spec.tables or (spec.history or (preset.history if preset else None)) == HISTORY_FROM_ROWS:
        raise UsageError("record batches are audited as ticket rows: the standard reads related tables or an event log")
    if spec.duplicates == "last":
        raise UsageError("record batches are audited as ticket rows: input.duplicates `last` needs the whole file")


def _canonical_names(parser: RowParser, raw_columns: list[str], accounts: BatchAccounts) -> list[str]:
    """The canonical field of each column, as the intake reads a CSV header (`resolve_columns`)."""
    where = Location(accounts.stats.path, 1)
    resolved = resolve_columns(parser.mapping, raw_columns)
    if resolved.clash is not None:
        raise InputError(resolved.clash.describe(), where)
    names = [resolved.names[raw] for raw in raw_columns]
    if "ticket_id" not in names:
        raise InputError(
            "no ticket_id column (columns: "
            + ", ".join(map(shown_name, raw_columns[:20]))
            + "); map one with input.columns.ticket_id in the standard",
            where,
        )
    if set(names) & MESSAGE_MARKERS:
        raise InputError("message rows: record batches are audited as ticket rows, one row a ticket", where)
    accounts.warnings += [f"{accounts.stats.path}: {note}" for note in resolved.notes]
    return names


def _cell_batches(batches: list[pa.RecordBatch], source: str, first_row: int, names: list[str]) -> Iterator[CellBatch]:
    """The rows of every batch with their physical lines, blank rows dropped (`lined_batch`)."""
    schema = batches[0].schema.names
    line = first_row
    for batch in batches:
        if batch.schema.names != schema:
            raise InputError("record batches of one slice must have the same columns", Location(source, line))
        if batch.num_rows == 0:
            continue
        columns = [_text(batch.column(i), batch.schema.names[i], source) for i in range(len(names))]
        cells, line = lined_batch(source, columns, line)
        if cells is not None:
            yield cells


def _text(column: pa.Array, name: str, source: str) -> pa.StringArray:
    """A column as the core reads a CSV's: 32-bit string offsets, "" for an empty (null) cell."""
    if column.type not in _TEXT_TYPES and column.type != pa.null():
        raise InputError(
            f"column {shown_name(name)} holds {column.type}, not text: read the export with every column as "
            "a string (dask: dtype=str, keep_default_na=False)",
            Location(source, 1),
        )
    return pc.fill_null(column.cast(pa.string()), "")


def _date_values(
    cells: list[CellBatch], names: list[str], raw_columns: list[str]
) -> Iterator[tuple[int, dict[str, tuple[str, object]]]]:
    """(row, {date field: (its column, value)}) of the rows that may hold a slash or dash date:
    the evidence `dateorder.decide` settles each column's order from."""
    dated = [i for i, name in enumerate(names) if name in TIMESTAMP_FIELDS]
    for batch in cells:
        maybe = [pc.match_substring_regex(batch.cells[i], _MAYBE_NUMERIC_DATE) for i in dated]
        if not any(pc.any(found).as_py() for found in maybe):
            continue
        values = {i: batch.cells[i].to_pylist() for i in dated}
        for position, row in enumerate(batch.rows.tolist()):
            yield row, {names[i]: (raw_columns[i], values[i][position]) for i in dated}
