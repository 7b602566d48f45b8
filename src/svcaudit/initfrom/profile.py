"""The values of an export, column by column, as `init --from` weighs them: how often each is
filled, which values it holds, whether a value repeats, which null markers it writes.

The first SAMPLE_ROWS rows are read (every row of most exports): enough to tell a row's own id
from a key that repeats, and a role column from a free-text one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from svcaudit.intake.nulls import NullMarkers
from svcaudit.intake.readers import ExportFile, Record

SAMPLE_ROWS = 20_000
SHORT_VALUE = 200  # longer values are free text: counted, never compared
SAMPLES_SHOWN = 2  # sample values written beside each mapping


def is_json_export(path: str | Path) -> bool:
    """Whether an export is JSON or JSON Lines (by its content, as the readers decide)."""
    return ExportFile(path).format in ("json", "jsonl")


def export_columns(path: Path, encoding: str | None = None) -> list[str]:
    """The export's column names; for JSON, the first row's keys, both as they are (a nested
    conversation's `scenario`) and flat (`stats.first_responded_at`, see `intake.paths`)."""
    export = ExportFile(path, encoding)
    if export.format == "json":
        export.flatten = False
        top = export.peek_columns()
        export.flatten = True
        flat = export.peek_columns()
        return list(dict.fromkeys([*top, *flat]))
    return export.peek_columns()


def cell_text(value: Any) -> str:
    """A value as text, as the readers type it: JSON true is `true`, 3.0 is `3`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


@dataclass
class ColumnProfile:
    """One column's values over the sampled rows."""

    name: str
    filled: int = 0  # rows with a value that is not blank and not a null marker
    counts: Counter[str] = field(default_factory=Counter)  # short values, in order of first sight
    long_values: int = 0
    nulls: Counter[str] = field(default_factory=Counter)  # null markers written, as written

    @property
    def values(self) -> list[str]:
        return list(self.counts)

    @property
    def unique(self) -> bool:
        """Every filled row holds its own value (a row id)."""
        return self.filled > 0 and not self.long_values and len(self.counts) == self.filled

    @property
    def repeats(self) -> bool:
        return self.filled > len(self.counts) + self.long_values

    def samples(self, count: int = SAMPLES_SHOWN) -> list[str]:
        return list(self.counts)[:count]


@dataclass
class ExportProfile:
    path: Path
    columns: list[str]
    rows: int = 0
    complete: bool = True  # every row was read
    by_column: dict[str, ColumnProfile] = field(default_factory=dict)

    def __getitem__(self, column: str) -> ColumnProfile:
        return self.by_column[column]


def sample_records(path: Path, limit: int = SAMPLE_ROWS) -> Iterator[Record]:
    """The readable rows of the export, up to `limit`."""
    records = ExportFile(path).records()
    try:
        count = 0
        for record in records:
            if not isinstance(record, Record):
                continue
            if count >= limit:
                return
            count += 1
            yield record
    finally:
        records.close()


def profile_export(path: Path, columns: list[str]) -> ExportProfile:
    profile = ExportProfile(path, list(columns), by_column={c: ColumnProfile(c) for c in columns})
    markers = NullMarkers()
    for record in sample_records(path, SAMPLE_ROWS + 1):
        if profile.rows == SAMPLE_ROWS:
            profile.complete = False
            break
        profile.rows += 1
        for column, raw in record.values.items():
            item = profile.by_column.get(column)
            if item is None:  # a JSON object's key the first objects did not have
                item = profile.by_column[column] = ColumnProfile(column)
                profile.columns.append(column)
            text = cell_text(raw)
            if not text:
                continue
            if text in markers:
                item.nulls[text] += 1
                continue
            item.filled += 1
            if len(text) > SHORT_VALUE:
                item.long_values += 1
            else:
                item.counts[text] += 1
    return profile
