"""Null markers: the values exports write for "empty" in a typed field (`?`, `-`, `n/a`).

ServiceNow writes `?` for an empty date, spreadsheets `-` or `n/a`. In a typed field (a timestamp, a
number, a duration, a score, a status, a priority, a role, a public flag) such a value is empty; in
free text (a message, a name, a column only `where` reads) it is kept as written. Markers are compared
case-insensitively after trimming white space.
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_NULLS = ("?", "-", "n/a", "null", "none")
# Canonical status words that must never be read as empty (a marker equal to one is refused).
STATUS_WORDS = frozenset(
    {
        "new",
        "open",
        "pending",
        "on-hold",
        "hold",
        "solved",
        "resolved",
        "closed",
        "waiting",
    }
)


class NullMarkers:
    """Which values of a typed field mean empty."""

    def __init__(self, markers: Iterable[str] | None = None) -> None:
        chosen = DEFAULT_NULLS if markers is None else tuple(markers)
        self.markers = tuple(chosen)
        self._folded = frozenset(m.strip().casefold() for m in chosen)
        # Longer text is no marker: most cells (timestamps, names) are told apart by length alone.
        self._longest = max((len(m) for m in self._folded), default=-1)

    @property
    def longest(self) -> int:
        """The length of the longest marker (-1 with none): no longer text is one."""
        return self._longest

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        if len(text) > self._longest:
            text = text.strip()
            if len(text) > self._longest:
                return False
        return text.strip().casefold() in self._folded

    def marks(self, stripped: str) -> bool:
        """Whether a text already stripped of spaces is a null marker."""
        return len(stripped) <= self._longest and stripped.casefold() in self._folded

    def clean(self, text: str | None) -> str | None:
        """The text of a typed field, None when blank or a null marker."""
        if text is None:
            return None
        text = text.strip()
        if not text or (len(text) <= self._longest and text.casefold() in self._folded):
            return None
        return text

    def collisions(self, words: Iterable[str]) -> list[str]:
        """The markers among `words` (status names, mapped values): each would erase a real value."""
        return sorted({w for w in words if w.strip().casefold() in self._folded})
