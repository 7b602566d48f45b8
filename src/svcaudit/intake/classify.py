"""What each input file is, decided before any row is typed: its shape, its columns, its date orders.

An input is a ticket-row or message-row export (by its columns), a nested transcript (a JSON file
read with `input.messages`), a threaded export (reply links, no conversation column) or a
field-history table. Its header is checked (a column read twice is an input error, a renamed
duplicate a warning), the day/month order of its date columns settled (`dateorder`), and each
dotted path the mapping names looked for in its JSON rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from svcaudit import reasons
from svcaudit.errors import InputError, Location
from svcaudit.intake.columns import MESSAGE_MARKERS, TIMESTAMP_FIELDS, ColumnMapping, header_key, loose_key
from svcaudit.intake.dateorder import DAY_FIRST, ColumnEvidence, decide, gather, may_hold_numeric_dates
from svcaudit.intake.fields import RowParser
from svcaudit.intake.headers import READ_FIELDS, Columns, quoted_name, resolve_columns, shown_name
from svcaudit.intake.history import HISTORY_FIELD, HISTORY_VALUE
from svcaudit.intake.inputs import InputFile, absent_path, key_columns
from svcaudit.intake.model import InputStats, Shape
from svcaudit.intake.paths import SEPARATOR
from svcaudit.intake.presets import HistoryLayout, NestedLayout
from svcaudit.intake.readers import ExportFile, RecordError


class Classifier:
    """Classifies the inputs of one audit, noting what the run should say in `warnings`."""

    def __init__(
        self,
        mapping: ColumnMapping,
        parser: RowParser,
        warnings: list[str],
        layout: NestedLayout | None = None,
        thread: tuple[str, str] | None = None,
        history: HistoryLayout | None = None,
        date_order: str | None = None,
    ) -> None:
        self.mapping = mapping
        self.parser = parser
        self.warnings = warnings
        self.layout = layout
        self.thread = thread
        self.history = history
        self.date_order = date_order

    def classify(self, export: ExportFile) -> InputFile:
        """An input of an audit without `input.tables`: its shape by its columns (or the nested
        layout), read with the standard's mapping."""
        nested = self.layout if export.format in ("json", "jsonl") else None
        if nested is not None:
            export.flatten = False  # the conversation object is read by its paths
            export.row_marker = nested.messages.path
        raw_columns = export.peek_columns()
        self.note_file(export)
        if nested is not None:
            stats = InputStats(export.display, Shape.MESSAGES, export.format, export.encoding)
            return InputFile(export, stats, self.mapping, self.parser, nested=True)
        history = self.history_input(export, raw_columns)
        if history is not None:
            return history
        resolved = resolve_columns(self.mapping, raw_columns)
        names = resolved.names
        canonical = set(names.values())
        if export.format == "csv":
            self.check_header(export, resolved)
        shape = Shape.MESSAGES if canonical & MESSAGE_MARKERS else Shape.TICKETS
        threaded = (
            self.thread is not None
            and "ticket_id" not in canonical
            and all(header_key(c) in canonical for c in self.thread)
        )
        if raw_columns and "ticket_id" not in canonical and not threaded and not self.nested_ids(raw_columns):
            raise InputError(
                "no ticket_id column (columns: "
                + ", ".join(map(shown_name, raw_columns[:20]))
                + "); map one with input.columns.ticket_id in the standard",
                Location(export.display, 1),
            )
        stats = InputStats(export.display, shape, export.format, export.encoding)
        item = InputFile(export, stats, self.mapping, self.parser, {tuple(raw_columns): resolved}, threaded=threaded)
        self.decide_date_orders(item)
        if export.format != "csv":
            self.check_paths(item)
        return item

    def nested_ids(self, raw_columns: list[str]) -> bool:
        """Whether JSON objects hold an object where the ticket id goes (`"ticket_id": {"0": 0}`
        reads as the column `ticket_id.0`): the column is there, its rows have no id to audit
        and are rejected, rather than the file refused."""
        parents = list(dict.fromkeys(name.split(SEPARATOR, 1)[0] for name in raw_columns if SEPARATOR in name))
        return bool(parents) and "ticket_id" in resolve_columns(self.mapping, parents).names.values()

    def note_file(self, export: ExportFile) -> None:
        """Warn of an empty file, and of an encoding read otherwise than declared."""
        if export.empty:
            self.warnings.append(reasons.EMPTY_FILE.text(path=export.display))
        if export.encoding_note is not None:
            self.warnings.append(f"{export.display}: {export.encoding_note}")

    def history_input(
        self,
        export: ExportFile,
        raw_columns: list[str],
        layout: HistoryLayout | None = None,
        parser: RowParser | None = None,
    ) -> InputFile | None:
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
            self.check_header(export, resolved)
        stats = InputStats(export.display, Shape.HISTORY, export.format, export.encoding)
        item = InputFile(export, stats, mapping, parser or self.parser, {tuple(raw_columns): resolved}, history=layout)
        self.decide_date_orders(item)
        return item

    def check_header(self, export: ExportFile, resolved: Columns) -> None:
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

    def check_paths(self, item: InputFile) -> None:
        """Warn of each dotted path `input.columns` maps that no JSON row of the input has: the
        field is empty in every row, which a misspelt path would otherwise make silently."""
        paths = {canonical: column for canonical, column in item.mapping.columns.items() if SEPARATOR in column}
        if not paths or item.file.empty:
            return
        for _ in item.file.records():  # the reader notes every key a row has had
            pass
        present = {header_key(c) for c in item.file.columns} | {loose_key(c) for c in item.file.columns}
        for canonical, path in paths.items():
            if header_key(path) not in present and loose_key(path) not in present:
                self.warnings.append(absent_path(item.stats.path, path, f"input.columns.{canonical}"))

    def decide_date_orders(self, item: InputFile) -> None:
        """Settle the day/month order of each date column before any row is typed (`dateorder`)."""
        export = item.file
        if export.empty or not may_hold_numeric_dates(export.byte_chunks()):
            return
        evidence = gather(_date_values(item))
        self.warnings.extend(settle_date_orders(item.parser, item.stats, evidence, self.date_order))


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


def _date_values(item: InputFile) -> Iterator[tuple[int, dict[str, tuple[str, Any]]]]:
    """(row, {date field: (its column or JSON key, value)}) of every readable row, for the
    date-order pre-scan."""
    columns: Columns | None = None
    for record in item.file.records():
        if isinstance(record, RecordError):
            continue
        if columns is None or item.file.format != "csv":  # JSON keys vary by object
            columns = key_columns(item, tuple(record.values))
        names = columns.names
        yield record.row, {names[k]: (k, v) for k, v in record.values.items() if names[k] in TIMESTAMP_FIELDS}
