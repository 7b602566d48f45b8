"""One input file as the intake holds it: the export, its shape and accounts, and how its rows read.

`classify` and `table_inputs` make an `InputFile` of each file given; the readers of rows
(`rows`), the ticket-row assembly and the joins read through it. The helpers here answer what a
file's rows look like (their canonical names, where a plain CSV holds the ticket id) without
reading a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from svcaudit import reasons
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import RowParser
from svcaudit.intake.headers import Columns, resolve_columns
from svcaudit.intake.model import InputStats
from svcaudit.intake.presets import HistoryLayout
from svcaudit.intake.readers import ExportFile
from svcaudit.intake.tables import TableSpec

# JSON objects may each bring their own keys; the resolved names of this many key sets are kept.
KEY_SETS_CACHED = 256
# Rows of one input fit below this: (input, row) packs into one int.
ROW_SPACE = 1 << 40


@dataclass
class InputFile:
    """One input of an audit: the export, its accounts, and the mapping and parser its rows are
    read with (the table's own where `input.tables` names one, else the standard's)."""

    file: ExportFile
    stats: InputStats
    mapping: ColumnMapping
    parser: RowParser
    columns: dict[tuple[str, ...], Columns] = field(default_factory=dict)  # raw key set -> names
    nested: bool = False  # one JSON object per conversation, read with the NestedLayout
    threaded: bool = False  # conversations derived from reply links (no conversation column)
    # A field-history table (`HistoryLayout`): read with its own column mapping, its status rows
    # as status events.
    history: HistoryLayout | None = None
    position: int = 0  # among the intake's inputs
    table: TableSpec | None = None  # the `input.tables` table the file is


@dataclass(frozen=True)
class TableReading:
    """One table of `input.tables` ready to read: its spec (preset filled in), its column and
    value mapping, and the parser that types its rows (None for a lookup, whose rows are kept
    as text)."""

    spec: TableSpec
    mapping: ColumnMapping
    parser: RowParser | None = None


def key_columns(item: InputFile, keys: tuple[str, ...]) -> Columns:
    """Canonical names for one key set; JSON rows with new keys are resolved as they come."""
    found = item.columns.get(keys)
    if found is None:
        if len(item.columns) >= KEY_SETS_CACHED:
            item.columns.clear()
        found = item.columns[keys] = resolve_columns(item.mapping, keys)
    return found


def cell_names(item: InputFile) -> list[str] | None:
    """Canonical names of a plain CSV input's columns, in order; None for an input whose rows
    must be read as mappings (JSON, threads, transcripts, history, tables that join lookups)."""
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


def id_position(item: InputFile) -> int | None:
    """Where a plain CSV input's rows hold the ticket id (the last such column, as a mapping
    of the row keeps it); None when rows must be read as mappings."""
    names = cell_names(item)
    if names is None or "ticket_id" not in names:
        return None
    ((_, resolved),) = item.columns.items()
    if resolved.clash is not None:
        return None
    return len(names) - 1 - names[::-1].index("ticket_id")


def file_size(item: InputFile) -> int:
    try:
        return item.file.path.stat().st_size
    except OSError:
        return 0


def absent_path(path: str, dotted: str, declared_by: str) -> str:
    """The warning for a declared path that no row of an input has."""
    return reasons.ABSENT_PATH.text(path=path, dotted=repr(dotted), declared_by=declared_by)
