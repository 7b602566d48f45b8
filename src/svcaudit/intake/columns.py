"""From an export's own column names and values to svcaudit's canonical ones.

The standard's `input.columns` maps canonical field -> export column (exact name, or the same name
up to case, spaces and punctuation); `input.values` maps an export's values to canonical values per
field. Unmapped columns keep a normalised form of their name, so `Ticket ID` is `ticket_id`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TICKET_FIELDS = (
    "ticket_id",
    "created_at",
    "first_reply_at",
    "resolved_at",
    "status",
    "priority",
    "channel",
    "agent",
    "team",
    "customer_name",
    "reopens",
    "csat",
    "nps",
    "ces",
)
MESSAGE_FIELDS = ("ticket_id", "created_at", "author_role", "text", "status", "author", "team", "public", "private")
# A file with either of these columns holds message rows; otherwise ticket rows.
MESSAGE_MARKERS = frozenset({"author_role", "text"})
# Timestamp fields whose slash and dash dates are read in an order decided per column.
TIMESTAMP_FIELDS = ("created_at", "first_reply_at", "resolved_at", "updated_at")
# Column names helpdesks give their public/internal flag, read as canonical `public` or `private`
# (`private`, `internal`: true means an internal note).
FIELD_ALIASES = {
    "is_public": "public",
    "visibility": "public",
    "is_private": "private",
    "internal": "private",
    "is_internal": "private",
}

_SEPARATORS = re.compile(r"[\s\-./]+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def header_key(name: str) -> str:
    """A column name as compared: case-folded, separators as underscores ('Created At' -> created_at)."""
    return _SEPARATORS.sub("_", name.strip().lstrip("\ufeff").casefold()).strip("_")


def loose_key(name: str) -> str:
    """A column name reduced to its letters and digits, case-folded: `Conversation ID`,
    `conversation_id` and `ConversationID` are one column, and `First response time (in hrs)` is
    the warehouse's `first_response_time_in_hrs`. How presets are detected, and the second way a
    mapped column is found when `header_key` finds none."""
    return _NOT_ALPHANUMERIC.sub("", name.casefold())


class ColumnMapping:
    """Renames an export's columns to canonical fields and maps its values to canonical values."""

    def __init__(
        self,
        columns: Mapping[str, str] | None = None,
        values: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.columns: dict[str, str] = dict(columns or {})  # canonical field -> export column
        self._by_export = {header_key(export): canonical for canonical, export in (columns or {}).items()}
        self._by_loose: dict[str, str] = {}
        for canonical, export in (columns or {}).items():
            self._by_loose.setdefault(loose_key(export), canonical)
        self._values = {
            field: {str(k).casefold(): str(v) for k, v in table.items()} for field, table in (values or {}).items()
        }

    def canonical_names(self, raw_columns: list[str]) -> dict[str, str]:
        """raw column name -> canonical field name, for every column of an export."""
        names: dict[str, str] = {}
        keys = {header_key(raw) for raw in raw_columns}
        taken = {self._by_export[key] for key in keys if key in self._by_export}
        for raw in raw_columns:
            key = header_key(raw)
            canonical = self._by_export.get(key)
            if canonical is None:
                # Spelled otherwise than the mapping (punctuation, no spaces): the same column,
                # unless the field is already found under its own spelling.
                loose = self._by_loose.get(loose_key(raw))
                canonical = loose if loose is not None and loose not in taken else FIELD_ALIASES.get(key, key)
            names[raw] = canonical
        return names

    def value(self, field: str, raw: Any) -> Any:
        """The canonical value of a field, after the standard's value mapping."""
        table = self._values.get(field)
        if table is None or raw is None:
            return raw
        return table.get(str(raw).strip().casefold(), raw)

    @property
    def mapped_fields(self) -> frozenset[str]:
        return frozenset(self._values)
