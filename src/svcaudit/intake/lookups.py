"""Lookup tables and the join: an id in a row becomes the names and roles another table keeps.

A lookup table (users, agents, statuses, priorities) is read before the rows that join it, one row
at a time, and held only as key -> the few fields its joins use, each already read through the
table's `values` (Zendesk's user role `admin` -> agent). `join_row` sets a row's fields from it;
a key with no row leaves those fields empty and says so: the caller rejects the field, not the row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from svcaudit import reasons
from svcaudit.intake.tables import Join

# The canonical name a lookup's key column is read under (no lookup field can be called so).
LOOKUP_KEY = "__lookup_key__"


def key_text(value: object) -> str:
    """A key as text: JSON numbers and spreadsheets' "123.0" read as "123"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass(frozen=True)
class Duplicate:
    """Where the first row of a repeated key was read (its file and row)."""

    path: str
    row: int


class LookupTable:
    """key -> the kept fields of one lookup table, gathered from all of its files."""

    def __init__(self, name: str, fields: Sequence[str]) -> None:
        self.name = name
        self.fields = tuple(fields)
        self.paths: list[str] = []
        # key -> (file number in `paths`, row, field values in `fields` order)
        self._rows: dict[str, tuple[int, int, tuple[str | None, ...]]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, path: str, row: int, values: Mapping[str, Any]) -> tuple[str, str] | None:
        """Keep one row; (field, reason) when it cannot be kept: no key, or a key already held."""
        if not self.paths or self.paths[-1] != path:
            self.paths.append(path)
        key = key_text(values.get(LOOKUP_KEY))
        if not key:
            return LOOKUP_KEY, f"the key is empty: no row can join this row of lookup table {self.name}"
        held = self._rows.get(key)
        if held is not None:
            where = "" if self.paths[held[0]] == path else f"{self.paths[held[0]]}:"
            return LOOKUP_KEY, reasons.LOOKUP_KEY_REPEATS.text(
                key=repr(key), table=self.name, place=f"{where}{held[1]}"
            )
        kept = tuple(_text(values.get(name)) for name in self.fields)
        self._rows[key] = (len(self.paths) - 1, row, kept)
        return None

    def get(self, key: str) -> dict[str, str | None] | None:
        found = self._rows.get(key)
        return None if found is None else dict(zip(self.fields, found[2], strict=False))


def _text(value: object) -> str | None:
    text = key_text(value)
    return text or None


def join_row(
    values: dict[str, Any], joins: Sequence[Join], lookups: Mapping[str, LookupTable]
) -> list[tuple[Join, str]]:
    """Set the row's joined fields in place; (join, key) for each key that found no row (its
    fields are left empty). A row with no key to look up keeps its fields as they are."""
    misses: list[tuple[Join, str]] = []
    for join in joins:
        lookup = lookups.get(join.table)
        if lookup is None:
            continue  # the table was given no file: said once, as a warning
        wanted = key_text(values.get(join.key))
        if not wanted:
            continue
        found = lookup.get(wanted)
        if found is None:
            for target in join.fields:
                values.pop(target, None)
            misses.append((join, wanted))
            continue
        for target, kept in join.fields.items():
            values[target] = found[kept]
    return misses


def miss_reason(join: Join, key: str, column: str, lookup: LookupTable) -> str:
    """Why a joined field is empty: the key, the column it came from, the table it is not in."""
    named = join.key if column == join.key else f"{join.key} (column {column})"
    return reasons.LOOKUP_MISS.text(
        named=named,
        key=repr(key),
        table=lookup.name,
        paths=", ".join(lookup.paths) or "no file",
        fields=", ".join(join.fields),
    )
