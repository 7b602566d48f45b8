"""`svcaudit report`'s groups of a batch of ticket rows, found a column at a time.

The reference report asks each judged ticket for its group (`grouped.GroupedTally.__call__`); the
columnar core asks once per batch (`GroupedTally.split`), and this module answers with arrays: each
row's opening instant, its period (current, previous or neither), and its group key as codes of
distinct labels, the same labels `grouped` makes one ticket at a time. numpy is imported here, and
this module only when data is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from svcaudit.checks.columns import MISSING, TicketColumns
from svcaudit.intake.model import Ticket
from svcaudit.results.periods import Period, day_key
from svcaudit.timecalc.zoneclock import ZoneClock, day_of_epoch, to_epoch_us

DAY_US = 86_400_000_000
CURRENT_CODE, PREVIOUS_CODE, OUTSIDE_CODE = 0, 1, 2


def opened_column(cols: TicketColumns, tickets: Mapping[int, Ticket]) -> np.ndarray:
    """Each row's opening instant (epoch µs, MISSING for none): its created_at, or for a row the
    reference parser typed (`tickets`, by position) that ticket's `opened_at`."""
    opened = cols.stamps["created_at"].copy()
    for position, ticket in tickets.items():
        moment = ticket.opened_at
        opened[position] = MISSING if moment is None else to_epoch_us(moment)
    return opened


def period_codes(opened: np.ndarray, period: Period | None, previous: Period | None) -> np.ndarray:
    """CURRENT_CODE, PREVIOUS_CODE or OUTSIDE_CODE per row, as `Period.contains` places its
    opening instant (no period: every row is current; no opening instant: outside a period)."""
    if period is None:
        return np.full(opened.size, CURRENT_CODE, dtype=np.int64)
    present = opened != MISSING
    codes = np.full(opened.size, OUTSIDE_CODE, dtype=np.int64)
    if previous is not None:
        codes[present & _within(opened, previous)] = PREVIOUS_CODE
    codes[present & _within(opened, period)] = CURRENT_CODE
    return codes


def _within(instants: np.ndarray, period: Period) -> np.ndarray:
    return (instants >= to_epoch_us(period.start)) & (instants < to_epoch_us(period.end))


def time_labels(opened: np.ndarray, unit: str, clock: ZoneClock, none_label: str) -> tuple[np.ndarray, list[str]]:
    """The key of the `unit` (day, week, month) each instant falls in, in the zone of `clock`
    (kept by the caller from batch to batch: it learns the zone's offsets a year at a time), as
    codes into a list of labels; `none_label` for a row without an instant."""
    present = opened != MISSING
    codes = np.zeros(opened.size, dtype=np.int64)
    labels = [none_label]
    if not present.any():
        return codes, labels
    instants = opened[present]
    low, high = int(instants.min()), int(instants.max())
    periods = clock.periods(low, high + 1)
    starts = np.array([start for start, _, _ in periods], dtype=np.int64)
    offsets = np.array([offset for _, _, offset in periods], dtype=np.int64)
    local = instants + offsets[np.searchsorted(starts, instants, side="right") - 1]
    days, day_codes = np.unique(local // DAY_US, return_inverse=True)
    keys = [day_key(day_of_epoch(int(day)), unit) for day in days.tolist()]
    distinct = sorted(set(keys))
    place = {key: index + 1 for index, key in enumerate(distinct)}
    codes[present] = np.array([place[key] for key in keys], dtype=np.int64)[day_codes]
    return codes, labels + distinct


def field_labels(
    cols: TicketColumns, name: str, tickets: Mapping[int, Ticket], none_label: str
) -> tuple[np.ndarray, list[str]]:
    """A text field of each row as codes into its labels (`none_label` for no value), the rows the
    reference parser typed read from their tickets."""
    codes, values = cols.coded[name]
    labels = [value or none_label for value in values]
    if not tickets:
        return codes, labels
    codes = codes.copy()
    for position, ticket in tickets.items():
        label = getattr(ticket, name) or none_label
        if label not in labels:
            labels.append(label)
        codes[position] = labels.index(label)
    return codes, labels


@dataclass
class RowGroups:
    """Rows of a batch by group: `keys[k]` is the (period code, labels) of group k, `rows[k]` its
    rows (positions, in order). Groups whose codes differ but whose labels are the same are one."""

    keys: list[tuple[int, tuple[str, ...]]]
    rows: list[np.ndarray]


def group_rows(chosen: np.ndarray, periods: np.ndarray, columns: Sequence[tuple[np.ndarray, list[str]]]) -> RowGroups:
    """The groups of the `chosen` rows (a mask), by period code and the labels of `columns`."""
    positions = np.flatnonzero(chosen)
    if positions.size == 0:
        return RowGroups([], [])
    # Each row's combination of codes as one dense number, a column at a time (so it never
    # overflows), and the first row of each combination to read its codes back from.
    combined = periods[positions]
    for codes, labels in columns:
        _, combined = np.unique(combined * len(labels) + codes[positions], return_inverse=True)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    slots: dict[tuple[int, tuple[str, ...]], int] = {}
    slot_of = np.empty(first.size, dtype=np.int64)
    rows_of = positions[first]
    period_codes = periods[rows_of].tolist()
    label_codes = [codes[rows_of].tolist() for codes, _ in columns]
    for index, period in enumerate(period_codes):
        key = (period, tuple(labels[codes[index]] for codes, (_, labels) in zip(label_codes, columns, strict=True)))
        slot_of[index] = slots.setdefault(key, len(slots))
    row_slots = slot_of[inverse.reshape(-1)]
    order = np.argsort(row_slots, kind="stable")
    ends = np.cumsum(np.bincount(row_slots, minlength=len(slots)))
    grouped = positions[order]
    return RowGroups(list(slots), np.split(grouped, ends[:-1]))
