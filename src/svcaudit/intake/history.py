"""Field-history tables (`input.history`): status rows become status events, the other rows a trail.

A history row of the status field joins its ticket like a message row (the status event of its
ticket). A row of another field is kept only as a trail: where it is (to reject it when its ticket
is unknown) and the field's latest value (a ticket known only from its history is built from
those values, typed as a ticket row's would be).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from svcaudit import reasons
from svcaudit.intake.accounts import Accounts
from svcaudit.intake.columns import TICKET_FIELDS, ColumnMapping
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.inputs import ROW_SPACE, InputFile
from svcaudit.intake.lookups import key_text
from svcaudit.intake.model import Role, RowRef, Ticket

# Canonical names of a history table's columns (the layout names them in the export).
HISTORY_FIELD = "history_field"
HISTORY_VALUE = "history_value"


@dataclass
class HistoryTrail:
    """What a history table says of one ticket besides its status: where its other rows are (to
    reject them if the ticket is unknown), and its fields' latest values (a ticket known only
    from its history is built from them)."""

    rows: list[int] = field(default_factory=list)  # (input position, row) packed, see ROW_SPACE
    latest: dict[str, tuple[datetime, str, int]] = field(default_factory=dict)  # field -> (time, value, row)


class HistoryTrails:
    """The trails of every ticket the history tables name, and the tickets handed on meanwhile."""

    def __init__(self, accounts: Accounts, mapping: ColumnMapping, parser: RowParser) -> None:
        self.accounts = accounts
        self.mapping = mapping  # the standard's: names a history row's field
        self.parser = parser  # types a ticket known only from its history
        self.trails: dict[str, HistoryTrail] = {}
        self.seen_ids: set[str] = set()  # tickets handed on, kept while history tables are read

    def event(self, item: InputFile, ref: RowRef, values: dict[str, Any]) -> dict[str, Any] | None:
        """A history row as the message row of its status event; None for a row of another field
        (noted in the ticket's trail) or a rejected one."""
        layout = item.history
        assert layout is not None, "only a history input's rows are events"
        ticket_id = key_text(values.get("ticket_id"))
        if not ticket_id:
            self.accounts.reject(item, ref.row, layout.ticket, reasons.FIELD_EMPTY.text(field=layout.ticket))
            return None
        try:
            changed_at = item.parser.timestamp(values, "created_at", ref.path)
        except FieldError as exc:
            self.accounts.reject(item, ref.row, layout.time, exc.message)
            return None
        if changed_at is None:
            self.accounts.reject(item, ref.row, layout.time, reasons.HISTORY_NO_TIME.text(field=layout.time))
            return None
        field_name = str(values.get(HISTORY_FIELD) or "").strip()
        value = values.get(HISTORY_VALUE)
        if field_name.casefold() == layout.status_value.casefold():
            if value is None or not str(value).strip():
                self.accounts.reject(item, ref.row, layout.value, reasons.HISTORY_NO_VALUE.text())
                return None
            return {
                "ticket_id": ticket_id,
                "created_at": values.get("created_at"),
                "author_role": Role.SYSTEM.value,
                "text": "",
                "status": value,
            }
        trail = self.trails.get(ticket_id)
        if trail is None:
            trail = self.trails[ticket_id] = HistoryTrail()
        trail.rows.append(item.position * ROW_SPACE + ref.row)
        canonical = self.mapping.canonical_names([field_name]).get(field_name, "") if field_name else ""
        if canonical in TICKET_FIELDS and canonical != "ticket_id":
            held = trail.latest.get(canonical)
            if held is None or held[0] <= changed_at:
                trail.latest[canonical] = (changed_at, "" if value is None else str(value), ref.row)
        return None

    def with_fields(self, ticket: Ticket) -> Ticket:
        """A ticket known only from its history, with its fields' latest values (priority,
        assignee, …) typed as a ticket row's would be."""
        trail = self.trails.get(ticket.ticket_id)
        if trail is None or not trail.latest:
            return ticket
        latest = dict(trail.latest)
        while True:
            values = {"ticket_id": ticket.ticket_id, **{name: v[1] for name, v in latest.items()}}
            try:
                typed = self.parser.ticket(ticket.ref, values)
                break
            except FieldError as exc:
                _, _, row = latest.pop(exc.field)
                position = next(p for p in trail.rows if p % ROW_SPACE == row) // ROW_SPACE
                self.accounts.reject(self.accounts.inputs[position], row, exc.field, exc.message, row_kept=True)
        typed.messages, typed.has_ticket_row, typed.columns = ticket.messages, False, frozenset()
        return typed

    def without_status(self, ticket_rows_given: bool, complete: Callable[[Ticket], Ticket]) -> Iterator[Ticket]:
        """History rows of tickets no ticket row and no status event named: rejected when ticket
        rows are given, else each such ticket is audited from its fields' latest values (its
        conversation made by `complete`)."""
        inputs = self.accounts.inputs
        for ticket_id, trail in self.trails.items():
            if ticket_id in self.seen_ids:
                continue
            if ticket_rows_given:
                for packed in trail.rows:
                    position, row = divmod(packed, ROW_SPACE)
                    item = inputs[position]
                    self.reject_unknown(item, row, ticket_id)
                continue
            position, row = divmod(trail.rows[0], ROW_SPACE)
            ticket = Ticket(ticket_id=ticket_id, ref=RowRef(inputs[position].stats.path, row))
            yield complete(self.with_fields(ticket))

    def reject_unknown(self, item: InputFile, row: int, ticket_id: str) -> None:
        """A history row of a ticket no ticket row has: the history belongs to the ticket table,
        and a ticket missing from it is a gap to show."""
        assert item.history is not None, "only a history input's rows name an unknown ticket"
        self.accounts.reject(
            item, row, item.history.ticket, reasons.HISTORY_UNKNOWN_TICKET.text(ticket_id=repr(ticket_id))
        )
