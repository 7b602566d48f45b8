"""Which group of `svcaudit report` a judged ticket counts in, and the tickets a report counted.

Plain values, apart from the groups' tallies (`grouped`): a worker process judging a batch of
tickets places each in its group with them as the reporting process would (`workers.judge_groups_in_parallel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from svcaudit.results.periods import TIME_UNITS, Period, time_key

if TYPE_CHECKING:
    from svcaudit.audit.engine import TicketVerdicts
    from svcaudit.intake.model import Ticket

NONE_LABEL = "(none)"
CURRENT, PREVIOUS = "current", "previous"

Slot = tuple[str, tuple[str, ...]]  # CURRENT or PREVIOUS, and the group's key


@dataclass
class GroupCounts:
    """The tickets a report counted: all of them, those in its period, those without a time, those
    created after --as-of (in a period or not). Parts of a run add up (`absorb`)."""

    tickets: int = 0
    in_period: int = 0
    without_time: int = 0
    after_as_of: int = 0

    def absorb(self, other: GroupCounts) -> None:
        self.tickets += other.tickets
        self.in_period += other.in_period
        self.without_time += other.without_time
        self.after_as_of += other.after_as_of


@dataclass(frozen=True)
class GroupKeys:
    """Which group a judged ticket counts in: plain values, so that a worker process judging a
    batch of tickets places each in its group as this process would (`workers.judge_groups_in_parallel`)."""

    fields: tuple[str, ...]  # the --by fields but `rule`
    unit: str | None  # the time field among them
    zone: ZoneInfo
    period: Period | None
    previous_period: Period | None

    def place(self, verdicts: TicketVerdicts, counts: GroupCounts) -> Slot | None:
        """Count the ticket in `counts`; its group's slot, None when it is outside the period."""
        ticket = verdicts.ticket
        counts.tickets += 1
        counts.after_as_of += verdicts.after_as_of
        opened = ticket.opened_at
        if opened is None:
            counts.without_time += 1
        which = CURRENT
        if self.period is not None:
            if opened is not None and self.period.contains(opened):
                which = CURRENT
            elif opened is not None and self.previous_period is not None and self.previous_period.contains(opened):
                which = PREVIOUS
            else:
                return None
        if which == CURRENT:
            counts.in_period += 1
        return (which if self.unit is None else CURRENT, self._key(ticket))

    def _key(self, ticket: Ticket) -> tuple[str, ...]:
        opened = ticket.opened_at
        values = []
        for name in self.fields:
            if name in TIME_UNITS:
                values.append(time_key(opened, name, self.zone) if opened else NONE_LABEL)
            else:
                values.append(getattr(ticket, name) or NONE_LABEL)
        return tuple(values)
