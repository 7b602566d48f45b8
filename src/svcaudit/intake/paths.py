"""Dotted paths into JSON as APIs answer it: `stats.first_responded_at`, `requester.name`, `0`.

A path walks nested objects by key and lists by index. JSON rows are read flat: a nested object's
values become columns named by their path (`{"stats": {"resolved_at": …}}` holds the column
`stats.resolved_at`), so `input.columns` maps a nested field as it maps a CSV column. Lists stay
values (a transcript, tags); a nested transcript is declared with `input.messages`.
"""

from __future__ import annotations

from typing import Any

SEPARATOR = "."


def at_path(value: object, path: str | None) -> object:
    """`a.b.0` inside nested mappings and lists; None where the path does not lead."""
    if path is None or path == "":
        return value
    if isinstance(value, dict) and path in value:  # a key that holds the separator itself
        return value[path]
    for part in path.split(SEPARATOR):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.lstrip("-").isdigit() and -len(value) <= int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def has_path(value: object, path: str) -> bool:
    """Whether the path leads somewhere in `value` (to a value that may be null)."""
    if isinstance(value, dict) and path in value:
        return True
    parts = path.split(SEPARATOR)
    for part in parts:
        if isinstance(value, dict):
            if part not in value:
                return False
            value = value[part]
        elif isinstance(value, list) and part.lstrip("-").isdigit() and -len(value) <= int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return True


def is_nested(values: dict[str, Any]) -> bool:
    """Whether a JSON row holds an object anywhere at its top level (and needs `flatten`)."""
    for value in values.values():
        if type(value) is dict:
            return True
    return False


def flatten(values: dict[str, Any], prefix: str = "", into: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON row with its nested objects' values as columns named by their dotted path.

    An empty object is its own column, blank (`"ticket_id": {}` is a row without a ticket id, not a
    file without a ticket_id column); a key already taken (a flat key spelled with the separator)
    keeps its first value."""
    flat: dict[str, Any] = {} if into is None else into
    for key, value in values.items():
        name = f"{prefix}{key}"
        if type(value) is not dict:
            flat.setdefault(name, value)
        elif value:
            flatten(value, name + SEPARATOR, flat)
        else:
            flat.setdefault(name, None)
    return flat
