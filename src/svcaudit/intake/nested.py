"""Nested transcripts: one JSON object per conversation, its messages in a list inside it.

The `input.messages` layout (`NestedLayout`) names where the ticket's fields and its messages
are; each conversation becomes one ticket, typed as a ticket row and message rows would be. A
declared path no conversation has is a warning: a misspelt path would otherwise leave the field
silently empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from svcaudit import reasons
from svcaudit.intake.accounts import Accounts
from svcaudit.intake.fields import FieldError, RowParser
from svcaudit.intake.inputs import InputFile, absent_path
from svcaudit.intake.lookups import key_text
from svcaudit.intake.model import Message, RowRef, Ticket
from svcaudit.intake.paths import at_path, has_path
from svcaudit.intake.presets import MessagesLayout, NestedLayout
from svcaudit.intake.readers import RecordError

UNTIMED_BASE = datetime(2000, 1, 1, tzinfo=timezone.utc)  # orders untimed transcripts; never shown


def nested_tickets(
    item: InputFile,
    layout: NestedLayout,
    parser: RowParser,
    accounts: Accounts,
    complete: Callable[[Ticket], Ticket],
) -> Iterator[Ticket]:
    """One ticket per conversation object: its fields at the paths `input.columns` gives,
    typed as a ticket row's, and its messages found by the `input.messages` layout (the
    conversation made by `complete`)."""
    transcript = layout.messages
    parts = transcript.parts()
    found: set[str] = set()  # declared paths some conversation (or message) has
    for record in item.file.records():
        item.stats.rows_read += 1
        if isinstance(record, RecordError):
            accounts.reject(item, record.row, record.field, record.error)
            continue
        conversation = record.values
        ref = RowRef(item.stats.path, record.row)
        ticket_id = key_text(at_path(conversation, layout.ticket_id))
        raw_messages = at_path(conversation, transcript.path)
        if not ticket_id:
            accounts.reject(item, record.row, layout.ticket_id, reasons.CONVERSATION_NO_ID.text())
            continue
        if not isinstance(raw_messages, list):
            accounts.reject(item, record.row, transcript.path, reasons.CONVERSATION_NO_MESSAGES.text())
            continue
        row: dict[str, Any] = {"ticket_id": ticket_id}
        for name, path in layout.fields.items():
            if has_path(conversation, path):
                found.add(path)
                value = at_path(conversation, path)
                if value is not None and not isinstance(value, (dict, list)):
                    row[name] = value
        try:
            ticket = parser.ticket(ref, row)
        except FieldError as exc:
            accounts.reject(item, record.row, layout.fields.get(exc.field, exc.field), exc.message)
            continue
        messages: list[Message] = []
        index = 0
        try:
            for index, raw in enumerate(raw_messages):
                values: dict[str, Any] = {"ticket_id": ticket_id}
                for name, path in parts.items():
                    if has_path(raw, path):
                        found.add(f"{transcript.path}[].{path}")
                        values[name] = at_path(raw, path)
                if "author_role" in parts:  # declared: a message without it is a bad row
                    values.setdefault("author_role", None)
                if not layout.timed:
                    values["created_at"] = (UNTIMED_BASE + timedelta(seconds=index)).isoformat()
                message = parser.message(ref, values)[1]
                message.timed = layout.timed
                messages.append(message)
        except FieldError as exc:
            accounts.reject(
                item, record.row, f"{transcript.path}[{index}].{parts.get(exc.field, exc.field)}", exc.message
            )
            continue
        ticket.messages = messages
        ticket.timed = layout.timed
        if ticket.rejected_fields:
            accounts.reject_fields(ticket)
        yield complete(ticket)
    if item.stats.rows_read > item.stats.rows_rejected:
        declared = {path: f"input.columns.{name}" for name, path in layout.fields.items()}
        declared.update(
            {f"{transcript.path}[].{path}": f"input.messages.{key}" for key, path in _message_keys(transcript).items()}
        )
        for path, where in declared.items():
            if path not in found:
                accounts.warnings.append(absent_path(item.stats.path, path, where))


def _message_keys(layout: MessagesLayout) -> dict[str, str]:
    """`input.messages` key -> path, for the parts of a message that are declared."""
    return {
        key: path for key in ("role", "text", "time", "author", "public") if (path := getattr(layout, key)) is not None
    }
