"""The audited unit: a ticket with its conversation, assembled from ticket rows and message rows.

The intake types ticket rows and message rows into `Ticket`s and `Message`s; checks read `Ticket`s.
Every value keeps a `RowRef` so that a finding can point back at the physical line it came from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple

from svcaudit.intake.columns import TICKET_FIELDS as TICKET_COLUMNS
from svcaudit.timecalc.durations import format_instant


class Role(str, enum.Enum):
    """Who wrote a message. Bots are not agents unless a rule says so. UNKNOWN: the export has no
    author_role column at all (comments whose author is only a user id), so the rules that need to
    know who wrote what are not applicable to its conversations; no export value reads as it."""

    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    SYSTEM = "system"
    UNKNOWN = "unknown"


class Shape(str, enum.Enum):
    """What one row of an input file describes."""

    TICKETS = "tickets"
    MESSAGES = "messages"
    HISTORY = "history"  # a field-history table: its status rows are status events
    LOOKUP = "lookup"  # id -> names and roles other tables join (`input.tables`)


TYPED_FIELDS = frozenset(TICKET_COLUMNS) - {"ticket_id"}  # the ticket row's fields a Ticket holds typed


class RowRef(NamedTuple):
    """Where a value came from: input path and physical row (CSV line, JSONL line, JSON index).

    A named tuple: every row of every input makes one, in half the time of a frozen dataclass."""

    path: str
    row: int


@dataclass(slots=True)
class Message:
    """One message or event of a conversation. `status` is set on status-change events."""

    created_at: datetime
    role: Role
    text: str
    ref: RowRef
    status: str | None = None
    author: str | None = None
    index: int = 0  # position in the ticket's conversation, 0-based, after sorting by time
    timed: bool = True  # False in transcripts without timestamps: created_at only orders them
    public: bool = True  # False for an internal note: never a reply, never a phrase rule's message
    team: str | None = None  # the author's team, where message rows carry one

    def __reduce__(self) -> tuple[Callable[..., Message], tuple[Any, ...]]:
        # Tickets go to worker processes in batches: as plain values, pickling is C work (the
        # default way calls Python for the frozen RowRef and the Role of every message).
        ref = self.ref
        return _message, (
            self.created_at,
            self.role.value,
            self.text,
            None if ref is None else ref.path,
            None if ref is None else ref.row,
            self.status,
            self.author,
            self.index,
            self.timed,
            self.public,
            self.team,
        )

    @property
    def label(self) -> str:
        """How findings name a message: its number, author and time ("message #3 (agent, …)")."""
        if not self.timed:
            return f"message #{self.index + 1} ({self.role.value})"
        return f"message #{self.index + 1} ({self.role.value}, {format_instant(self.created_at)})"


@dataclass(slots=True)
class Ticket:
    """A ticket as the checks see it: typed canonical fields, other columns, and the conversation.

    `fields` holds every column of the ticket row (canonical names after mapping) as text, so that
    `where` scoping can use any of them. Typed attributes are None when the input lacks them.
    """

    ticket_id: str
    ref: RowRef
    fields: dict[str, str] = field(default_factory=dict)
    created_at: datetime | None = None
    first_reply_at: datetime | None = None
    resolved_at: datetime | None = None
    status: str | None = None
    priority: str | None = None
    channel: str | None = None
    agent: str | None = None
    team: str | None = None
    customer_name: str | None = None
    reopens: int | None = None
    csat: float | None = None
    nps: float | None = None
    ces: float | None = None
    messages: list[Message] = field(default_factory=list)
    has_ticket_row: bool = False
    columns: frozenset[str] = frozenset()  # columns the ticket row had, blank or not
    timed: bool = True  # False for transcripts without timestamps: an order, but no clock
    # Internal notes (non-public messages): kept for `explain`, never seen by a check.
    notes: list[Message] = field(default_factory=list)
    # Fields of the ticket row that were rejected (field -> reason): the rules needing them are
    # not applicable with that reason, the ticket's other rules are still judged.
    rejected_fields: dict[str, str] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Callable[..., Ticket], tuple[Any, ...]]:
        # As Message.__reduce__: plain values, so that pickling a batch of tickets is C work.
        ref = self.ref
        return _ticket, (
            self.ticket_id,
            None if ref is None else ref.path,
            None if ref is None else ref.row,
            *_after_ref(self),
        )

    def value(self, name: str) -> object:
        """A field by name: a typed attribute where there is one, else the row's column."""
        typed = getattr(self, name, None) if name in TYPED_FIELDS else None
        return typed if typed is not None else self.fields.get(name)

    @property
    def opened_at(self) -> datetime | None:
        """Creation time; a ticket without one was created at its first message (STANDARD.md)."""
        if not self.timed:
            return None
        if self.created_at is not None:
            return self.created_at
        return self.messages[0].created_at if self.messages else None


# A pickled ticket is its field values in the dataclass's own order, so unpickling needs no list.
_after_ref = attrgetter(*[f.name for f in fields(Ticket)][2:])  # a Ticket's values after `ref`
# Messages are also built by position by `message_columns.typed_messages`: that order is pinned here,
# so that reordering Message's fields fails at import.
MESSAGE_FIELDS = ("created_at", "role", "text", "ref", "status", "author", "index", "timed", "public", "team")
if tuple(f.name for f in fields(Message)) != MESSAGE_FIELDS:
    raise ImportError(
        "Message's fields changed order: update message_columns.typed_messages, which builds them by position"
    )
_ROLES = {role.value: role for role in Role}


def _ref(path: str | None, row: int | None) -> RowRef:
    """A pickled ref back; a value pickled without one comes back without one."""
    if path is None or row is None:
        return None  # type: ignore[return-value]  # only tests build a value without a ref
    return RowRef(path, row)


def _message(
    created_at: datetime,
    role: str,
    text: str,
    path: str | None,
    row: int | None,
    status: str | None,
    author: str | None,
    index: int,
    timed: bool,
    public: bool,
    team: str | None,
) -> Message:
    """A Message unpickled (see Message.__reduce__)."""
    return Message(
        created_at,
        _ROLES[role],
        text,
        _ref(path, row),
        status,
        author,
        index,
        timed,
        public,
        team,
    )


def _ticket(ticket_id: str, path: str | None, row: int | None, *values: Any) -> Ticket:
    """A Ticket unpickled (see Ticket.__reduce__): its fields after `ref`, in their order."""
    return Ticket(ticket_id, _ref(path, row), *values)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was read but cannot be audited, and why. Every one is reported, never dropped.

    With `row_kept`, only the field was rejected: the row is still audited without it."""

    path: str
    row: int
    field: str | None
    error: str
    row_kept: bool = False


@dataclass(slots=True)
class InputStats:
    """Accounting for one input file: rows_read == rows audited + rows_rejected."""

    path: str
    shape: Shape
    format: str
    encoding: str
    rows_read: int = 0
    rows_rejected: int = 0
    rows_folded: int = 0  # earlier or later rows of a ticket folded into one (input.duplicates)
    fields_rejected: int = 0  # fields rejected in rows that were still audited
    notes: int = 0  # internal notes read (messages that are not public): never replies
    # How each timestamp column's dates were read (field -> "day-first (evidence: row 5 …)").
    date_orders: dict[str, str] = field(default_factory=dict)

    @property
    def rows_audited(self) -> int:
        return self.rows_read - self.rows_rejected - self.rows_folded
