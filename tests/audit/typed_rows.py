"""Typed tickets as the columnar core takes them: what the tests compare with the reference.

`RowsAsColumns` lays typed tickets out as the core's columns; `judge_tickets_by_columns` runs the
core over them, a batch per run of tickets with the same columns, each row already typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from svcaudit.audit.columnar import Batch, ColumnAudit, RowSource
from svcaudit.audit.engine import Tally
from svcaudit.checks.columns import MISSING
from svcaudit.intake.column_typer import FOLDED_FIELDS, NAME_FIELDS, NUMBER_FIELDS, STAMP_FIELDS
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.model import Ticket
from svcaudit.timecalc.zoneclock import to_epoch_us

TEXT_FIELDS = ("ticket_id", *FOLDED_FIELDS, *NAME_FIELDS)


class RowsAsColumns:
    """`TicketColumns` over typed tickets: what the property tests compare with the reference."""

    def __init__(self, tickets: Sequence[Ticket], present: frozenset[str]) -> None:
        self.size = len(tickets)
        self.present = present
        self.stamps = {
            name: np.array(
                [MISSING if getattr(t, name) is None else to_epoch_us(getattr(t, name)) for t in tickets],
                dtype=np.int64,
            )
            for name in STAMP_FIELDS
        }
        self.numbers = {
            name: np.array([np.nan if getattr(t, name) is None else getattr(t, name) for t in tickets], dtype=float)
            for name in NUMBER_FIELDS
        }
        self.coded: dict[str, tuple[np.ndarray, list[str | None]]] = {}
        for name in TEXT_FIELDS:
            values: list[str | None] = []
            index: dict[str | None, int] = {}
            codes = np.empty(self.size, dtype=np.int32)
            for position, ticket in enumerate(tickets):
                value = getattr(ticket, name)
                code = index.get(value)
                if code is None:
                    code = index[value] = len(values)
                    values.append(value)
                codes[position] = code
            self.coded[name] = (codes, values)


@dataclass
class TypedRows:
    """Rows typed already (the property tests' tickets)."""

    typed: list[Ticket]

    def tickets(self, parser: RowParser | None) -> list[Ticket | FieldError]:
        return list(self.typed)


def judge_tickets_by_columns(tally: Tally, tickets: Sequence[Ticket], as_of: datetime) -> None:
    """The core over tickets already typed (every row exact): what the property tests compare
    with the reference, and a way to audit typed rows from any source."""
    audit = ColumnAudit(tally, as_of)
    # One batch per run of tickets with the same columns and input, in order.
    start = 0
    while start < len(tickets):
        end = start
        while end < len(tickets) and _batch_key(tickets[end]) == _batch_key(tickets[start]):
            end += 1
        part = list(tickets[start:end])
        exact = np.array([not t.rejected_fields for t in part], dtype=bool)
        rows = np.array([t.ref.row if t.ref else 0 for t in part], dtype=np.int64)
        cols = RowsAsColumns(part, part[0].columns)
        audit.add(Batch(_batch_key(part[0])[1], rows, cols, exact, _typed(part), _never, _ignored, _never))
        start = end


def _batch_key(ticket: Ticket) -> tuple[frozenset[str], str]:
    return ticket.columns, ticket.ref.path if ticket.ref else ""


def _typed(tickets: list[Ticket]) -> Callable[[np.ndarray], RowSource]:
    def untyped(positions: np.ndarray) -> RowSource:
        return TypedRows([tickets[i] for i in positions.tolist()])

    return untyped


def _never(*_: object) -> None:  # pragma: no cover - typed tickets are never rejected or folded
    raise AssertionError("a typed ticket was rejected")


def _ignored(ticket: Ticket) -> None:
    """Rejected fields of tickets typed by the caller are the caller's to account."""
