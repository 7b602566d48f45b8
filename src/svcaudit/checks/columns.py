"""Rules judged a column at a time: what a check's column kernel reads, and how it answers.

Ticket-row exports run to millions of rows, and nearly all of their verdicts are passes, pending
tickets or a not-applicable with a reason many rows share. A check's `column_kernel` answers those
for a whole batch of typed ticket rows with array operations. A failure it is sure of it marks FAIL,
with the numbers that word it (`ColumnVerdicts.fail`); the check's `column_failures` words those
rows with the same functions its `evaluate` words a finding with, so a failure on a ticket row costs
no reference typing and no `evaluate`. Every other row (anything the kernel cannot settle with
certainty) it marks DEFER, and the audit judges that row with the check's own `evaluate`, the
reference. A kernel only has to be right about what it settles, which the property tests hold it
to, rule kind by rule kind, against `evaluate`, findings included.

numpy is imported here and only here among the checks, and this module only when data is read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from svcaudit.timecalc.worktable import NAT, ColumnCalendar

# A timestamp column's value where the row has none (empty cell or null marker).
MISSING = NAT
US_PER_SECOND = 1_000_000
YEAR_US = 366 * 86_400 * US_PER_SECOND

# What a kernel says of a row.
PASS, NOT_APPLICABLE, PENDING, DEFER, FAIL = 0, 1, 2, 3, 4


class TicketColumns(Protocol):
    """A batch of typed ticket rows, a column per canonical field (`intake.column_typer`).

    `stamps`: epoch microseconds (UTC) of each timestamp field, MISSING where the row has none;
    `coded`: each text field as (codes, distinct values), None for no value; `numbers`: float64,
    NaN where the row has none; `present`: the canonical fields that are columns of the input."""

    size: int
    stamps: dict[str, np.ndarray]
    coded: dict[str, tuple[np.ndarray, list[str | None]]]
    numbers: dict[str, np.ndarray]
    present: frozenset[str]


@dataclass
class ColumnVerdicts:
    """A rule's verdict on each row of a batch: PASS, NOT_APPLICABLE (with a reason), PENDING,
    FAIL (with the numbers that word it) or DEFER. Rows are settled once: the first `settle` that
    covers a row decides it."""

    size: int
    codes: np.ndarray = field(init=False)
    reasons: np.ndarray = field(init=False)  # for NOT_APPLICABLE rows: the index of the text
    texts: list[str] = field(default_factory=list)
    # For FAIL rows: named arrays, a value per row of the batch, that `Check.column_failures` words.
    failures: dict[str, np.ndarray] = field(default_factory=dict)
    # For PASS rows of a rule that measures a time: the seconds its Outcome's `measured_seconds`
    # would hold (`svcaudit report` shows their medians); None for a rule that measures none.
    measured: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.codes = np.full(self.size, DEFER, dtype=np.int8)
        self.reasons = np.zeros(self.size, dtype=np.int32)
        self._open = np.ones(self.size, dtype=bool)

    @property
    def open(self) -> np.ndarray:
        """Rows no `settle` has decided yet."""
        return self._open

    def settle(self, rows: np.ndarray, code: int, reason: str | None = None) -> None:
        """Decide the still-open `rows` (a boolean mask) as `code`, with `reason` for a
        not-applicable verdict."""
        chosen = rows & self._open
        if not chosen.any():
            return
        self.codes[chosen] = code
        if reason is not None:
            self.reasons[chosen] = self.text_index(reason)
        self._open &= ~chosen

    def passed(self, rows: np.ndarray) -> None:
        self.settle(rows, PASS)

    def pending(self, rows: np.ndarray) -> None:
        self.settle(rows, PENDING)

    def not_applicable(self, rows: np.ndarray, reason: str) -> None:
        self.settle(rows, NOT_APPLICABLE, reason)

    def fail(self, rows: np.ndarray, numbers: dict[str, np.ndarray]) -> None:
        """Decide the still-open `rows` as failed; `numbers` (arrays as long as the batch) are
        what the check's `column_failures` words them from. Once per kernel."""
        if self.failures:
            raise ValueError("a kernel fails rows once, with every number its wording needs")
        self.failures = numbers
        self.settle(rows, FAIL)

    def failure_numbers(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """The numbers of the failed `rows` (positions, in order), for `Check.column_failures`."""
        return {name: values[rows] for name, values in self.failures.items()}

    def defer(self, rows: np.ndarray) -> None:
        """Leave the still-open `rows` to `evaluate`."""
        self.settle(rows, DEFER)

    def text_index(self, reason: str) -> int:
        """The index of a reason text in `texts`, added if new."""
        try:
            return self.texts.index(reason)
        except ValueError:
            self.texts.append(reason)
            return len(self.texts) - 1


def per_value(values: Sequence[Any], answer: Any, dtype: Any) -> np.ndarray:
    """`answer(value)` for each distinct value of a coded column, as an array a code indexes."""
    return np.array([answer(value) for value in values], dtype=dtype)


def resolved_rows(cols: TicketColumns, statuses: Collection[str]) -> tuple[np.ndarray, np.ndarray]:
    """What each ticket row says of its resolution, as a timeline without status events reads it:
    whether it says anything (a status, else a resolved_at), and whether it ended resolved (its
    status is one of `statuses`; without a status, it has a resolved_at)."""
    codes, values = cols.coded["status"]
    has_status = per_value(values, lambda s: s is not None, bool)[codes]
    in_statuses = per_value(values, lambda s: s is not None and s in statuses, bool)[codes]
    stamped = cols.stamps["resolved_at"] != MISSING
    return has_status | stamped, np.where(has_status, in_statuses, stamped)


def whole_seconds(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whole seconds from `start` to `end` (microseconds), rounded down as the clock rounds."""
    return (end - start) // US_PER_SECOND


def column_clock(calendar: Any, around_us: int) -> ColumnCalendar:
    """A calendar's arithmetic for whole columns (`timecalc.worktable`), first built for the year
    before `around_us`; it grows by itself when asked about instants outside that year."""
    from svcaudit.timecalc.worktable import build_table

    return build_table(calendar, around_us - YEAR_US, around_us)
