"""The inputs of an audit with `input.tables`: which declared table each file is, read as that table.

A file is matched to a table by its name's pattern, else by its columns (`tables.match_table`),
then classified as that table's shape with its own columns, values and parser. A lookup table
joined by another but given no file leaves those joins unmade, which the run says.
"""

from __future__ import annotations

from collections.abc import Mapping

from svcaudit import reasons
from svcaudit.errors import InputError, Location
from svcaudit.intake.classify import Classifier
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.headers import resolve_columns, shown_name
from svcaudit.intake.inputs import InputFile, TableReading
from svcaudit.intake.lookups import LOOKUP_KEY
from svcaudit.intake.model import InputStats, Shape
from svcaudit.intake.readers import ExportFile
from svcaudit.intake.tables import HistoryLayout, TableMatchError, TableShape, match_table

SHAPES = {TableShape.TICKETS: Shape.TICKETS, TableShape.MESSAGES: Shape.MESSAGES, TableShape.LOOKUP: Shape.LOOKUP}


class TableClassifier:
    """Classifies each file of an audit with `input.tables` as one of its tables."""

    def __init__(self, classifier: Classifier, tables: Mapping[str, TableReading]) -> None:
        self.classifier = classifier
        self.tables = tables  # by name

    def classify(self, export: ExportFile) -> InputFile:
        """The table the file is (by its name's pattern, else its columns), read with that
        table's columns, values and shape."""
        classifier = self.classifier
        raw_columns = export.peek_columns()
        specs = [reading.spec for reading in self.tables.values()]
        try:
            match = match_table(export.display, raw_columns, specs)
        except TableMatchError as exc:
            raise InputError(str(exc), Location(export.display, 1)) from None
        reading = self.tables[match.table.name]
        spec = reading.spec
        if spec.records is not None and export.format in ("json", "jsonl"):
            export.records_path = spec.records
            raw_columns = export.peek_columns()
        classifier.note_file(export)
        where = f"table {spec.name!r} ({spec.shape.value}, matched {match.how})"
        parser = reading.parser or classifier.parser
        if spec.shape is TableShape.HISTORY:
            layout = (spec.history if isinstance(spec.history, HistoryLayout) else None) or classifier.history
            if layout is None:
                raise InputError(f"{where}: a history table needs its history layout", Location(export.display, 1))
            item = classifier.history_input(export, raw_columns, layout, parser)
            if item is None and raw_columns:
                raise InputError(
                    f"{where}: the history's columns {layout.ticket}, {layout.field}, "
                    f"{layout.value}, {layout.time} are not all in the file (columns: "
                    + ", ".join(map(shown_name, raw_columns[:20]))
                    + ")",
                    Location(export.display, 1),
                )
            if item is None:
                stats = InputStats(export.display, Shape.HISTORY, export.format, export.encoding)
                item = InputFile(export, stats, classifier.mapping, parser, history=layout)
            item.table = spec
            return item
        mapping = reading.mapping
        if spec.shape is TableShape.LOOKUP:
            mapping = ColumnMapping({LOOKUP_KEY: spec.key, **spec.fields}, spec.values)
        resolved = resolve_columns(mapping, raw_columns)
        canonical = set(resolved.names.values())
        if export.format == "csv":
            classifier.check_header(export, resolved)
        shape = SHAPES[spec.shape]
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
        item = InputFile(export, stats, mapping, parser, {tuple(raw_columns): resolved}, table=spec)
        if shape is not Shape.LOOKUP:
            classifier.decide_date_orders(item)
            if export.format != "csv":
                classifier.check_paths(item)
        return item

    def note_tables_without_files(self, inputs: list[InputFile]) -> None:
        """A joined lookup table given no file: its joins are not made, which the run says."""
        given = {item.table.name for item in inputs if item.table is not None}
        for reading in self.tables.values():
            for join in reading.spec.joins:
                if join.table not in given and any(i.table is reading.spec for i in inputs):
                    self.classifier.warnings.append(
                        reasons.LOOKUP_WITHOUT_FILE.text(
                            table=repr(reading.spec.name),
                            lookup=repr(join.table),
                            fields=", ".join(join.fields),
                            column=join.key,
                        )
                    )
