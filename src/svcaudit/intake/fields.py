"""Typing one canonical row: text in, a `Ticket` or `Message` out, or a `FieldError` naming the field.

Blank cells are missing values. Scores are checked against their scales (CSAT 1-5, NPS 0-10, CES 1-7)
because an out-of-scale answer is a data error, not a very good or very bad customer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from svcaudit import reasons
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.dateorder import is_numeric_date
from svcaudit.intake.model import Message, Role, RowRef, Ticket
from svcaudit.intake.nulls import NullMarkers
from svcaudit.intake.timestamps import TimestampError, TimestampParser

SCORE_SCALES: dict[str, tuple[float, float]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
ROLE_SYNONYMS: dict[str, Role] = {
    "customer": Role.CUSTOMER,
    "requester": Role.CUSTOMER,
    "end-user": Role.CUSTOMER,
    "end_user": Role.CUSTOMER,
    "user": Role.CUSTOMER,
    "client": Role.CUSTOMER,
    "клиент": Role.CUSTOMER,
    "agent": Role.AGENT,
    "staff": Role.AGENT,
    "operator": Role.AGENT,
    "support": Role.AGENT,
    "оператор": Role.AGENT,
    "агент": Role.AGENT,
    "bot": Role.BOT,
    "бот": Role.BOT,
    "system": Role.SYSTEM,
    "event": Role.SYSTEM,
    "система": Role.SYSTEM,
}
# The public/internal flag as helpdesks write it: Zendesk `public` true/false, Freshdesk `private`,
# Jira `is_public`, Intercom's part type (`note` is internal), ServiceNow's journal element
# (`comments` is public, `work_notes` internal), or a plain visibility column.
PUBLIC_WORDS: dict[str, bool] = {
    "true": True,
    "1": True,
    "yes": True,
    "y": True,
    "t": True,
    "public": True,
    "external": True,
    "comment": True,
    "comments": True,
    "reply": True,
    "customer visible": True,
    "false": False,
    "0": False,
    "no": False,
    "n": False,
    "f": False,
    "internal": False,
    "private": False,
    "note": False,
    "internal note": False,
    "work_notes": False,
    "work notes": False,
    "work_note": False,
}
# Typed fields: a null marker (`?`, `-`) is empty in them; free text keeps it as written.
NULLABLE_FIELDS = frozenset(
    {
        "created_at",
        "first_reply_at",
        "resolved_at",
        "updated_at",
        "status",
        "priority",
        "channel",
        "reopens",
        "csat",
        "nps",
        "ces",
        "author_role",
        "public",
        "private",
        # Names that identify a person or a group: ServiceNow's `?` is nobody, not an agent called "?".
        "agent",
        "team",
        "customer_name",
        "author",
    }
)
# Other columns read as figures (a helpdesk's own durations and timestamps) by their name's ending.
NULLABLE_SUFFIXES = ("_minutes", "_hours", "_hrs", "_seconds", "_at", "_time")
SHOWN_CHARS = 40  # of a bad value, in its rejection message
MAX_PLAIN_DIGITS = 15  # a float holds every whole number of this many digits exactly


def duplicate_id(ticket_id: str, first_path: str, first_row: int) -> str:
    """Why a ticket row whose id was read before is rejected (`input.duplicates: reject`)."""
    return reasons.DUPLICATE_TICKET.text(ticket_id=repr(ticket_id), place=f"{first_path}:{first_row}")


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


@cache  # a handful of column names, asked of every typed field of every row
def is_nullable(name: str) -> bool:
    """Whether a null marker in this column means empty (a typed field, or a figure by its name)."""
    return name in NULLABLE_FIELDS or name.endswith(NULLABLE_SUFFIXES)


def public_flag(raw: str, field: str = "public") -> bool:
    """Whether a message is public, from the helpdesk's own flag; `private` columns are inverted."""
    flag = PUBLIC_WORDS.get(raw.strip().casefold())
    if flag is None:
        raise FieldError(
            field,
            reasons.NOT_A_FLAG.text(value=_shown(raw), field=field),
        )
    return flag if field == "public" else not flag


def whole_number(raw: str) -> int:
    try:
        number = int(float(raw))
    except (ValueError, OverflowError):  # "x", "nan"; "1e999" is infinite
        raise FieldError("reopens", reasons.NOT_A_WHOLE_NUMBER.text(value=_shown(raw))) from None
    if number < 0 or number != float(raw):
        raise FieldError("reopens", reasons.NEGATIVE_WHOLE_NUMBER.text(value=_shown(raw)))
    return number


def survey_score(name: str, raw: str) -> float:
    """A survey answer on its scale; outside it, the row is rejected (a data error)."""
    try:
        score = float(raw.replace(",", "."))
    except ValueError:
        raise FieldError(name, reasons.NOT_A_NUMBER.text(value=_shown(raw))) from None
    low, high = SCORE_SCALES[name]
    if not low <= score <= high:
        raise FieldError(
            name, reasons.OUTSIDE_SCALE.text(value=_shown(raw, quoted=False), field=name, scale=f"{low:g}-{high:g}")
        )
    return score


class RowParser:
    """Types canonical rows. One per audit: it holds the time zone and the value mapping."""

    def __init__(
        self,
        timestamps: TimestampParser,
        mapping: ColumnMapping,
        nulls: NullMarkers | None = None,
        date_order_declared: bool = False,
    ) -> None:
        self.timestamps = timestamps
        self.date_order_declared = date_order_declared
        self.mapping = mapping
        self.nulls = nulls or NullMarkers()
        self._column_sets: dict[tuple[str, ...], frozenset[str]] = {}
        self._mapped = mapping.mapped_fields
        # (input path, field) -> the parser of that column, once its date order is decided.
        self._column_parsers: dict[tuple[str, str], TimestampParser] = {}
        self._by_order: dict[bool, TimestampParser] = {timestamps.day_first: timestamps}

    def set_date_order(self, path: str, field: str, day_first: bool) -> None:
        """Read one column of one input in the given day/month order (decided by `dateorder`)."""
        parser = self._by_order.get(day_first)
        if parser is None:
            parser = self._by_order[day_first] = TimestampParser(self.timestamps.zone, day_first)
        self._column_parsers[(path, field)] = parser

    def _clean(self, name: str, text: str | None) -> str | None:
        """A typed field's text: None when blank or a null marker."""
        if text is None:
            return None
        if is_nullable(name):
            return self.nulls.clean(text)
        return text

    def _columns(self, values: Mapping[str, Any]) -> frozenset[str]:
        """The row's column set, shared between rows of the same shape to keep tickets small."""
        key = tuple(values)
        found = self._column_sets.get(key)
        if found is None:
            found = self._column_sets[key] = frozenset(key)
        return found

    def _fields(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Every non-blank column as text, after value mapping (the hot path of ticket rows)."""
        mapped, marks = self._mapped, self.nulls.marks
        fields: dict[str, str] = {}
        for name, raw in values.items():
            if type(raw) is str:  # noqa: E721
                text: str | None = raw.strip() or None
            else:
                text = _text(raw)
            if text is None:
                continue
            if name in mapped:
                text = _text(self.mapping.value(name, text))
                if text is None:
                    continue
            if is_nullable(name) and marks(text):
                continue
            fields[name] = text
        return fields

    def field_text(self, name: str, raw: str | None) -> str | None:
        """One cell's text as `ticket` keeps it in `fields`: trimmed, value-mapped, None when blank
        or a null marker of a typed field (status, priority and channel are casefolded after)."""
        return self._fields({name: raw}).get(name)

    def _value(self, values: Mapping[str, Any], field: str) -> str | None:
        return self.value_of(field, values.get(field))

    def value_of(self, field: str, raw: Any) -> str | None:
        """A message field's value as `message` reads it: value-mapped, trimmed, None when blank
        or a null marker of a typed field."""
        return self._clean(field, _text(self.mapping.value(field, raw)))

    def timestamp(self, values: Mapping[str, Any], field: str, path: str = "") -> datetime | None:
        """A timestamp field of a canonical row, in its column's date order; None when empty."""
        raw = values.get(field)
        text = _text(raw)
        if text is None or text in self.nulls:
            return None
        parser = self._column_parsers.get((path, field))
        if parser is None:
            parser = self.timestamps
            if not self.date_order_declared and is_numeric_date(text):
                # The intake decides every column's order before typing; a date it did not see
                # must not be read in a guessed order.
                raise FieldError(field, reasons.DATE_ORDER_UNDECIDED.text(value=_shown(text)))
        try:
            return parser.parse(raw)
        except TimestampError as exc:
            raise FieldError(field, str(exc)) from None

    def read_ticket_id(self, values: Mapping[str, Any]) -> str:
        """A row's ticket id (value-mapped, trimmed); FieldError when it is empty or missing."""
        ticket_id = self._value(values, "ticket_id")
        if ticket_id is None:
            raise FieldError("ticket_id", reasons.FIELD_EMPTY.text(field="ticket_id"))
        return ticket_id

    def ticket(self, ref: RowRef, values: Mapping[str, Any]) -> Ticket:
        # Written out rather than looped over names: this runs once per ticket row, millions
        # of times on a year's export.
        ticket_id = self.read_ticket_id(values)
        fields = self._fields(values)
        get = fields.get
        status, priority, channel = get("status"), get("priority"), get("channel")
        if status is not None:
            fields["status"] = status = status.casefold()
        if priority is not None:
            fields["priority"] = priority = priority.casefold()
        if channel is not None:
            fields["channel"] = channel = channel.casefold()
        path = ref.path if ref is not None else ""
        created_at = self.timestamp(values, "created_at", path)
        first_reply_at = self.timestamp(values, "first_reply_at", path)
        resolved_at = self.timestamp(values, "resolved_at", path)
        rejected_fields: dict[str, str] = {}
        if created_at is not None:
            # A bad field is not a bad ticket: the field is rejected, the ticket still judged.
            if first_reply_at is not None and first_reply_at < created_at:
                rejected_fields["first_reply_at"] = before_creation("first_reply_at", first_reply_at, created_at)
                first_reply_at = None
                fields.pop("first_reply_at", None)
            if resolved_at is not None and resolved_at < created_at:
                rejected_fields["resolved_at"] = before_creation("resolved_at", resolved_at, created_at)
                resolved_at = None
                fields.pop("resolved_at", None)
        raw_reopens = get("reopens")
        reopens = None if raw_reopens is None else whole_number(raw_reopens)
        csat, nps, ces = get("csat"), get("nps"), get("ces")
        columns = self._columns(values)
        return Ticket(
            ticket_id=ticket_id,
            ref=ref,
            fields=fields,
            has_ticket_row=True,
            columns=columns,
            rejected_fields=rejected_fields,
            created_at=created_at,
            first_reply_at=first_reply_at,
            resolved_at=resolved_at,
            status=status,
            priority=priority,
            channel=channel,
            agent=get("agent"),
            team=get("team"),
            customer_name=get("customer_name"),
            reopens=reopens,
            csat=None if csat is None else survey_score("csat", csat),
            nps=None if nps is None else survey_score("nps", nps),
            ces=None if ces is None else survey_score("ces", ces),
        )

    def message(self, ref: RowRef, values: Mapping[str, Any]) -> tuple[str, Message]:
        ticket_id = self.read_ticket_id(values)
        created_at = self.timestamp(values, "created_at", ref.path if ref is not None else "")
        if created_at is None:
            raise FieldError("created_at", reasons.MESSAGE_NO_TIME.text())
        raw_role = self._value(values, "author_role")
        if raw_role is None and "author_role" not in values:
            # No author_role column: who wrote the message is not in the export. The message is
            # read, and the rules that need roles are not applicable (`Check.reads_roles`).
            role = Role.UNKNOWN
        elif raw_role is None:
            raise FieldError("author_role", reasons.FIELD_EMPTY.text(field="author_role"))
        else:
            synonym = ROLE_SYNONYMS.get(raw_role.casefold())
            if synonym is None:
                raise FieldError("author_role", reasons.UNKNOWN_ROLE.text(value=_shown(raw_role)))
            role = synonym
        status = self._value(values, "status")
        text = values.get("text")
        public = True
        for flag_field in ("public", "private"):
            raw_flag = self._value(values, flag_field)
            if raw_flag is not None:
                public = public and public_flag(raw_flag, flag_field)
        return ticket_id, Message(
            created_at=created_at,
            role=role,
            text="" if text is None else str(text),
            ref=ref,
            status=status.casefold() if status else None,
            author=self._value(values, "author"),
            public=public,
            team=self._value(values, "team"),
        )


def before_creation(name: str, stamp: datetime, created_at: datetime) -> str:
    """Why a reply or resolution time cannot be used: it lies before the ticket's creation."""
    return reasons.STAMPED_BEFORE_CREATION.text(field=name, stamp=stamp.isoformat(), created_at=created_at.isoformat())
