"""Day/month order of slash and dash dates, decided per column of each file before any row is typed.

`08/01/2025` is the 1st of August or the 8th of January depending on who exported the file, and a
file holds one convention, not a mix: so the order is a property of the column, decided from all
its values. A value whose first field exceeds 12 (`29/01/2025`) proves day first; one whose second
field does (`01/29/2025`) proves month first. A declared `input.date_order` wins, and a value that
contradicts it, or a column whose values prove both orders, is an input error naming the file,
the column, two example rows and the fix. A column whose own values never tell takes the order the
file's other date columns prove; failing that, the declared order, or month first with a warning.

The decision comes from a pre-scan of the file, made only when its bytes hold a slash or dash date
at all (a regular-expression search over the raw text), so ISO 8601 exports are read once, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import re2

from svcaudit.errors import InputError, Location

DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"
MAX_FIELD = 12  # a field above this cannot be a month
# A slash or dash date at the start of a value: day-or-month, month-or-day, year.
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?!\d)")
# The cheap whole-file test of whether a file needs the pre-scan: searches for `/mm/yy` and for
# `-mm-yyyy` (ISO's `-03-02T` has no four digits there). A dash date with a two-digit year that slips
# through is caught when typed (`undecided_numeric_date`). RE2 runs them: it skips to each separator
# and reads on without backtracking, where `re` tries a match at each of ISO 8601's many dashes.
_SLASH_DATE_BYTES = re2.compile(rb"/\d\d?/\d\d")
_DASH_DATE_BYTES = re2.compile(rb"-\d\d?-\d\d\d\d")
_OVERLAP = 16  # bytes of the previous chunk searched with the next, so that a date cut in two is seen


def may_hold_numeric_dates(chunks: Iterable[bytes]) -> bool:
    """Whether raw bytes hold anything shaped like a slash or dash date (a cheap, whole-file test):
    each chunk is searched, and so is the seam of the last bytes before it and its first bytes."""
    tail = b""
    for chunk in chunks:
        if _holds_date_shape(chunk) or _holds_date_shape(tail + chunk[:_OVERLAP]):
            return True
        tail = (tail + chunk[-_OVERLAP:])[-_OVERLAP:]
    return False


def _holds_date_shape(data: bytes) -> bool:
    """Whether `data` holds `/d/yy`, `/dd/yy`, `-d-yyyy` or `-dd-yyyy` (d, y: ASCII digits)."""
    return _SLASH_DATE_BYTES.search(data) is not None or _DASH_DATE_BYTES.search(data) is not None


def is_numeric_date(value: str) -> bool:
    """Whether a value is a slash or dash date, whose day/month order must be decided."""
    return _NUMERIC_DATE.match(value) is not None


@dataclass
class ColumnEvidence:
    """What one column's values say about their order."""

    field: str
    column: str  # the export's own column name
    day_first_proof: tuple[int, str] | None = None  # (row, value)
    month_first_proof: tuple[int, str] | None = None
    ambiguous: int = 0  # values readable either way (03/04/2025)
    ambiguous_example: tuple[int, str] | None = None
    numeric: int = 0  # slash or dash dates seen at all; a column without any needs no order

    def observe(self, row: int, value: object) -> None:
        if not isinstance(value, str):
            return
        match = _NUMERIC_DATE.match(value)
        if match is None:
            return
        self.numeric += 1
        first, second = int(match.group(1)), int(match.group(2))
        if first > MAX_FIELD >= second:
            if self.day_first_proof is None:
                self.day_first_proof = (row, value.strip())
        elif second > MAX_FIELD >= first:
            if self.month_first_proof is None:
                self.month_first_proof = (row, value.strip())
        elif first != second and first <= MAX_FIELD and second <= MAX_FIELD:
            self.ambiguous += 1
            if self.ambiguous_example is None:
                self.ambiguous_example = (row, value.strip())

    @property
    def proof(self) -> tuple[str, tuple[int, str]] | None:
        """The order the values prove and the (row, value) that proves it; None when no value,
        or values of both orders, prove one."""
        if self.day_first_proof and not self.month_first_proof:
            return DAY_FIRST, self.day_first_proof
        if self.month_first_proof and not self.day_first_proof:
            return MONTH_FIRST, self.month_first_proof
        return None

    @property
    def proven(self) -> str | None:
        proof = self.proof
        return None if proof is None else proof[0]


@dataclass
class ColumnOrder:
    """The order one column is read in, and how that was decided (shown in the report)."""

    field: str
    order: str
    how: str
    warning: str | None = None


@dataclass
class FileOrders:
    """The decisions for every date column of one file."""

    columns: list[ColumnOrder] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [c.warning for c in self.columns if c.warning]


def _example(proof: tuple[int, str]) -> str:
    row, value = proof
    return f"row {row} {value!r}"


def decide(path: str, evidence: Mapping[str, ColumnEvidence], declared: str | None) -> FileOrders:
    """The order of each column (see the module docstring); InputError on contradictions."""
    for item in evidence.values():
        if item.day_first_proof and item.month_first_proof:
            raise InputError(
                f"column {item.column!r} ({item.field}) holds dates in both orders: "
                f"{_example(item.day_first_proof)} is day first, "
                f"{_example(item.month_first_proof)} is month first; fix the export or read one "
                f"order with input.date_order and correct the other rows",
                Location(path, item.month_first_proof[0]),
            )
        contradiction = (
            item.month_first_proof
            if declared == DAY_FIRST
            else item.day_first_proof
            if declared == MONTH_FIRST
            else None
        )
        if contradiction is not None:
            raise InputError(
                f"column {item.column!r} ({item.field}) contradicts input.date_order {declared}: "
                f"{_example(contradiction)} can only be read the other way; correct "
                f"input.date_order or the export",
                Location(path, contradiction[0]),
            )
    proven = {item.proven for item in evidence.values()} - {None}
    file_order = proven.pop() if len(proven) == 1 else None
    orders = FileOrders()
    for item in evidence.values():
        if not item.numeric:
            continue  # ISO 8601 or blank throughout: there is no order to decide
        proof = item.proof
        if proof is not None:
            order, example = proof
            how = f"{order} (proven by {_example(example)})"
            if declared is not None:
                how = f"{declared} (declared; {_example(example)} agrees)"
            orders.columns.append(ColumnOrder(item.field, order, how))
        elif declared is not None:
            orders.columns.append(ColumnOrder(item.field, declared, f"{declared} (declared)"))
        elif file_order is not None:
            orders.columns.append(
                ColumnOrder(item.field, file_order, f"{file_order} (as the file's other date columns)")
            )
        elif item.ambiguous_example is not None:  # set with the first ambiguous value
            ambiguous_row, ambiguous_value = item.ambiguous_example
            orders.columns.append(
                ColumnOrder(
                    item.field,
                    MONTH_FIRST,
                    f"{MONTH_FIRST} (assumed: no value tells)",
                    warning=(
                        f"{path}: column {item.column!r} ({item.field}): {item.ambiguous} dates "
                        f"such as {ambiguous_value!r} (row {ambiguous_row}) "
                        f"read either way and no value tells the order; read month first: set "
                        f"input.date_order to day-first or month-first to confirm"
                    ),
                )
            )
        elif item.numeric:  # every date reads the same either way (05/05/2025)
            orders.columns.append(ColumnOrder(item.field, MONTH_FIRST, "either order (no date tells them apart)"))
    return orders


def gather(rows: Iterator[tuple[int, Mapping[str, tuple[str, object]]]]) -> dict[str, ColumnEvidence]:
    """Evidence from every row: `rows` yields (row, {date field: (the export's own column or JSON
    key, value)}), so that an error names the column as the export spells it."""
    evidence: dict[str, ColumnEvidence] = {}
    for row, values in rows:
        for name, (column, value) in values.items():
            item = evidence.get(name)
            if item is None:
                item = evidence[name] = ColumnEvidence(name, column)
            item.observe(row, value)
    return evidence
