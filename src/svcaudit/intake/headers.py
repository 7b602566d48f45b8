"""Column names that collide: two export columns that would both be read as one canonical field.

A collision on a field svcaudit reads (`created_at`, `ticket_id`, ...) cannot be settled by guessing:
measuring from the wrong `created_at` column would give wrong numbers with no sign of it, so it is
refused with both column names, unless the standard's `input.columns` names one of them explicitly.
A collision on any other column (custom fields and tags repeat in real exports) must not block an
audit: the later column gets a numbered name (`tags_2`) and the run carries a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from svcaudit.intake.columns import MESSAGE_FIELDS, TICKET_FIELDS, ColumnMapping, header_key

READ_FIELDS = frozenset(TICKET_FIELDS) | frozenset(MESSAGE_FIELDS)
SHOWN_NAME_CHARS = 40  # of a column name in a message


def quoted_name(name: str) -> str:
    """A column name quoted for a one-line message: escapes for line breaks, cut when long."""
    return repr(name if len(name) <= SHOWN_NAME_CHARS else name[:SHOWN_NAME_CHARS] + "…")


def shown_name(name: str) -> str:
    """A column name in a list: as is when plain and short, else quoted."""
    return name if name.isprintable() and len(name) <= SHOWN_NAME_CHARS else quoted_name(name)


@dataclass(frozen=True, slots=True)
class Clash:
    """Two columns read as one field svcaudit uses; the row or file cannot be read unambiguously."""

    field: str
    first: str
    second: str

    def describe(self, what: str = "columns") -> str:
        text = f"{what} {quoted_name(self.first)} and {quoted_name(self.second)} would both be read as {self.field}; "
        if header_key(self.first) == header_key(self.second):
            # input.columns compares names the same way, so it cannot pick one of these.
            return text + "remove or rename one of them"
        return text + f"remove one, or name the one to use in the standard's input.columns.{self.field}"


@dataclass(slots=True)
class Columns:
    """Raw column name -> canonical name for one set of columns, with what had to be settled."""

    names: dict[str, str]
    clash: Clash | None = None  # the first unresolvable collision on a read field
    notes: list[str] = field(default_factory=list)  # renames to warn about


def _free_name(base: str, taken: set[str]) -> str:
    suffix = 2
    while f"{base}_{suffix}" in taken:
        suffix += 1
    return f"{base}_{suffix}"


def resolve_columns(mapping: ColumnMapping, raw_columns: Sequence[str]) -> Columns:
    """Canonical names for `raw_columns`, each distinct; see the module docstring for the rules."""
    names = mapping.canonical_names(list(raw_columns))
    groups: dict[str, list[str]] = {}
    for raw in raw_columns:
        groups.setdefault(names[raw], []).append(raw)
    result = Columns(names)
    taken = set(names.values())
    for canonical, raws in groups.items():
        if len(raws) < 2:
            continue
        # A column the standard maps by name (its canonical name is not its own normalised name)
        # is the one the user chose.
        explicit = [raw for raw in raws if header_key(raw) != canonical]
        if canonical in READ_FIELDS and len(explicit) != 1:
            result.clash = result.clash or Clash(canonical, raws[0], raws[1])
            continue
        keep = explicit[0] if canonical in READ_FIELDS else raws[0]
        for raw in raws:
            if raw == keep:
                continue
            renamed = _free_name(canonical, taken)
            taken.add(renamed)
            names[raw] = renamed
            result.notes.append(
                f"columns {quoted_name(keep)} and {quoted_name(raw)} would both be "
                f"read as {canonical}; {quoted_name(raw)} is read as {renamed}"
            )
    return result
