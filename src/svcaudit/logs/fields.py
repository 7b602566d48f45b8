"""Typing one canonical row: text in, a `Ticket` or `Message` out, or a `FieldError` naming the field.

Blank cells are missing values. Scores are checked against their scales (CSAT 1-5, NPS 0-10, CES 1-7)
because an out-of-scale answer is a data error, not a very good or very bad customer.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .columns import ColumnMapping
from .model import Message, Role, RowRef, Ticket
from .timestamps import TimestampError, TimestampParser

SCORE_SCALES: dict[str, tuple[float, float]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
ROLE_SYNONYMS: dict[str, Role] = {
    "customer": Role.CUSTOMER, "requester": Role.CUSTOMER, "end-user": Role.CUSTOMER,
    "end_user": Role.CUSTOMER, "user": Role.CUSTOMER, "client": Role.CUSTOMER,
    "клиент": Role.CUSTOMER,
    "agent": Role.AGENT, "staff": Role.AGENT, "operator": Role.AGENT, "support": Role.AGENT,
    "оператор": Role.AGENT, "агент": Role.AGENT,
    "bot": Role.BOT, "бот": Role.BOT,
    "system": Role.SYSTEM, "event": Role.SYSTEM, "система": Role.SYSTEM,
}
TICKET_TIMESTAMPS = ("created_at", "first_reply_at", "resolved_at")
LOWERCASED = ("status", "priority", "channel")
SHOWN_CHARS = 40  # of a bad value, in its rejection message


class FieldError(ValueError):
    """One field of a row that cannot be read; the row is rejected with this field and reason."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _shown(text: str, quoted: bool = True) -> str:
    """A value for a rejection message: cut, so a pasted essay does not fill the report."""
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + "…"
    return repr(text) if quoted else text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class RowParser:
    """Types canonical rows. One per audit: it holds the time zone and the value mapping."""

    def __init__(self, timestamps: TimestampParser, mapping: ColumnMapping) -> None:
        self.timestamps = timestamps
        self.mapping = mapping
        self._column_sets: dict[tuple[str, ...], frozenset[str]] = {}
        self._mapped = mapping.mapped_fields

    def _columns(self, values: Mapping[str, Any]) -> frozenset[str]:
        """The row's column set, shared between rows of the same shape to keep tickets small."""
        key = tuple(values)
        found = self._column_sets.get(key)
        if found is None:
            found = self._column_sets[key] = frozenset(key)
        return found

    def _fields(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Every non-blank column as text, after value mapping (the hot path of ticket rows)."""
        mapped = self._mapped
        fields: dict[str, str] = {}
        for name, raw in values.items():
            if type(raw) is str:  # noqa: E721 - CSV cells: the common, cheap case
                text: str | None = raw.strip() or None
            else:
                text = _text(raw)
            if text is None:
                continue
            if name in mapped:
                text = _text(self.mapping.value(name, text))
                if text is None:
                    continue
            fields[name] = text
        return fields

    def _value(self, values: Mapping[str, Any], field: str) -> str | None:
        return _text(self.mapping.value(field, values.get(field)))

    def _timestamp(self, values: Mapping[str, Any], field: str):  # -> datetime | None
        raw = values.get(field)
        if _text(raw) is None:
            return None
        try:
            return self.timestamps.parse(raw)
        except TimestampError as exc:
            raise FieldError(field, str(exc)) from None

    def _ticket_id(self, values: Mapping[str, Any]) -> str:
        ticket_id = self._value(values, "ticket_id")
        if ticket_id is None:
            raise FieldError("ticket_id", "ticket_id is empty")
        return ticket_id

    def ticket(self, ref: RowRef, values: Mapping[str, Any]) -> Ticket:
        ticket_id = self._ticket_id(values)
        fields = self._fields(values)
        for name in LOWERCASED:
            if name in fields:
                fields[name] = fields[name].casefold()
        ticket = Ticket(ticket_id=ticket_id, ref=ref, fields=fields, has_ticket_row=True,
                        columns=self._columns(values))
        ticket.created_at, ticket.first_reply_at, ticket.resolved_at = (
            self._timestamp(values, name) for name in TICKET_TIMESTAMPS
        )
        if ticket.created_at is not None:
            for name in ("first_reply_at", "resolved_at"):
                stamp = getattr(ticket, name)
                if stamp is not None and stamp < ticket.created_at:
                    raise FieldError(name, f"{name} {stamp.isoformat()} is before created_at "
                                           f"{ticket.created_at.isoformat()}")
        ticket.status = fields.get("status")
        ticket.priority = fields.get("priority")
        ticket.channel = fields.get("channel")
        ticket.agent = fields.get("agent")
        ticket.team = fields.get("team")
        ticket.customer_name = fields.get("customer_name")
        reopens = fields.get("reopens")
        if reopens is not None:
            try:
                ticket.reopens = int(float(reopens))
            except (ValueError, OverflowError):  # "x", "nan"; "1e999" is infinite
                raise FieldError("reopens", f"{_shown(reopens)} is not a whole number") from None
            if ticket.reopens < 0 or ticket.reopens != float(reopens):
                raise FieldError("reopens", f"{_shown(reopens)} is not a whole number >= 0")
        for name, (low, high) in SCORE_SCALES.items():
            raw = fields.get(name)
            if raw is None:
                continue
            try:
                score = float(raw.replace(",", "."))
            except ValueError:
                raise FieldError(name, f"{_shown(raw)} is not a number") from None
            if not low <= score <= high:
                raise FieldError(name, f"{_shown(raw, quoted=False)} is outside the {name} scale "
                                       f"{low:g}-{high:g}")
            setattr(ticket, name, score)
        return ticket

    def message(self, ref: RowRef, values: Mapping[str, Any]) -> tuple[str, Message]:
        ticket_id = self._ticket_id(values)
        created_at = self._timestamp(values, "created_at")
        if created_at is None:
            raise FieldError("created_at", "the message has no created_at")
        raw_role = self._value(values, "author_role")
        if raw_role is None:
            raise FieldError("author_role", "author_role is empty")
        role = ROLE_SYNONYMS.get(raw_role.casefold())
        if role is None:
            raise FieldError(
                "author_role",
                f"{_shown(raw_role)} is not one of customer, agent, bot, system "
                "(map export values with input.values.author_role)",
            )
        status = self._value(values, "status")
        text = values.get("text")
        return ticket_id, Message(
            created_at=created_at,
            role=role,
            text="" if text is None else str(text),
            ref=ref,
            status=status.casefold() if status else None,
            author=self._value(values, "author"),
        )
