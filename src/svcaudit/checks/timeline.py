"""What happened in a ticket, in time order: replies, waits, statuses, resolution.

Derived once per ticket from its messages (or, without messages, from its ticket-row timestamps) and
shared by the checks, so that `first_reply`, `when: {first_reply_over: …}` and the reports agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from svcaudit.intake.model import Message, Role, Ticket

DEFAULT_RESOLVED_STATUSES = frozenset({"solved", "resolved", "closed"})


class ReplyCycle(NamedTuple):
    """A customer message after a staff reply (`asked`), and the staff reply that answered it."""

    asked: Message
    answered: Message | None


class Timeline:
    """The conversation read as a helpdesk reads it. Bots are staff only with `bots_are_agents`.

    Every rule of a standard and the KPIs read the same timeline, so the conversation is read
    once, when the timeline is made: its staff and customer messages, reply cycles and status
    changes are lists filled in one pass, and the request and its first reply are found then.
    """

    __slots__ = (
        "ticket",
        "staff_roles",
        "staff_messages",
        "customer_messages",
        "reply_cycles",
        "status_changes",
        "roles_known",
        "requested_at",
        "first_reply",
    )

    def __init__(self, ticket: Ticket, bots_are_agents: bool = False) -> None:
        self.ticket = ticket
        # A tuple, not a set: looking a role up in a set calls Enum.__hash__, Python code.
        self.staff_roles = (Role.AGENT, Role.BOT) if bots_are_agents else (Role.AGENT,)
        is_staff = self.is_staff
        staff: list[Message] = []
        customers: list[Message] = []
        # Each customer message that follows a staff reply, paired with the next staff reply;
        # several customer messages in a row form one cycle, measured from the first of them.
        cycles: list[ReplyCycle] = []
        changes: list[Message] = []
        roles_known = True
        seen_staff = False
        asked: Message | None = None
        customer = Role.CUSTOMER
        for message in ticket.messages:
            role = message.role
            if is_staff(message):
                staff.append(message)
                if asked is not None:
                    cycles.append(ReplyCycle(asked, message))
                    asked = None
                seen_staff = True
            elif role is customer:
                customers.append(message)
                if seen_staff and asked is None:
                    asked = message
            elif role is Role.UNKNOWN:
                roles_known = False
            if message.status:
                changes.append(message)
        if asked is not None:
            cycles.append(ReplyCycle(asked, None))
        self.staff_messages = staff
        self.customer_messages = customers
        self.reply_cycles = cycles
        self.status_changes = changes  # the status events: messages that set a status
        self.roles_known = roles_known  # every message says who wrote it (an author_role column)
        # When the first-reply clock starts (see `_request_time`), and the reply that stops it.
        self.requested_at = self._request_time()
        self.first_reply = self._first_reply_after(self.requested_at)

    @property
    def opened_at(self) -> datetime | None:
        return self.ticket.opened_at

    def is_staff(self, message: Message) -> bool:
        return message.role in self.staff_roles and bool(message.text.strip())

    def _request_time(self) -> datetime | None:
        """When the first-reply clock starts: the ticket's creation when a ticket row gives it,
        else the customer's first message; None when the request is not in the export (no
        customer message, or a conversation of message rows that an agent opens)."""
        if self.ticket.has_ticket_row and self.ticket.created_at is not None:
            return self.ticket.created_at
        messages = self.ticket.messages
        if messages and messages[0].role is Role.AGENT:
            # An agent opens a conversation known only from its messages when the customer's
            # request is missing from the export (a reply to a tweet that is not in the file).
            return None
        if self.customer_messages:
            return self.customer_messages[0].created_at
        return None if messages else self.ticket.opened_at

    def _first_reply_after(self, requested_at: datetime | None) -> Message | None:
        """The first staff message after the request: the reply that stops the first-reply clock."""
        if requested_at is None:
            return None
        request_index = self._request_index()
        for message in self.staff_messages:
            if message.created_at >= requested_at and message.index >= request_index:
                return message
        return None

    def _request_index(self) -> int:
        """Where the request stands in the conversation: 0 with a ticket row, else the first
        customer message (a bot's greeting before it is not a reply to anything)."""
        if self.ticket.has_ticket_row and self.ticket.created_at is not None:
            return 0
        first = self.customer_messages[0] if self.customer_messages else None
        return first.index if first is not None else len(self.ticket.messages)

    @property
    def first_reply_at(self) -> datetime | None:
        if self.ticket.messages:
            first_reply = self.first_reply
            return first_reply.created_at if first_reply else None
        return self.ticket.first_reply_at

    @property
    def has_status_data(self) -> bool:
        return bool(self.status_changes) or self.ticket.status is not None

    @property
    def final_status(self) -> str | None:
        if self.status_changes:
            return self.status_changes[-1].status
        return self.ticket.status

    def resolutions(self, resolved: frozenset[str]) -> list[Message]:
        """Every entry into a resolved status (a repeat of the same resolved status is not one)."""
        entries: list[Message] = []
        was_resolved = False
        for change in self.status_changes:
            is_resolved = change.status in resolved
            if is_resolved and not was_resolved:
                entries.append(change)
            was_resolved = is_resolved
        return entries

    def reopens(self, resolved: frozenset[str]) -> int | None:
        """How often the ticket left a resolved status again; the `reopens` column if no events."""
        if self.status_changes:
            count = 0
            was_resolved = False
            for change in self.status_changes:
                is_resolved = change.status in resolved
                if was_resolved and not is_resolved:
                    count += 1
                was_resolved = is_resolved
            return max(count, self.ticket.reopens or 0)
        return self.ticket.reopens

    def resolved_at(self, resolved: frozenset[str], which: str = "last") -> datetime | None:
        """When the ticket was resolved (first or last entry into a resolved status), if it is."""
        if self.status_changes:
            entries = self.resolutions(resolved)
            if which == "first" and entries:
                return entries[0].created_at  # a later reopen does not undo the first resolution
            if self.final_status not in resolved or not entries:
                return None
            return entries[-1].created_at
        if self.ticket.resolved_at is not None:
            return self.ticket.resolved_at
        return None

    def is_resolved(self, resolved: frozenset[str]) -> bool | None:
        status = self.final_status
        if status is None:
            return True if self.ticket.resolved_at is not None else None
        return status in resolved

    def paused_intervals(self, pause_statuses: frozenset[str], until: datetime) -> list[tuple[datetime, datetime]]:
        """Spans spent in a paused status, from status events; an open pause lasts until `until`.

        A pause ends at the next status event that is not a pause status, or at the customer's next
        message (helpdesks set a pending ticket back to open when the customer answers).
        """
        spans: list[tuple[datetime, datetime]] = []
        started: datetime | None = None
        for message in self.ticket.messages:
            if message.status in pause_statuses:
                if started is None:
                    started = message.created_at
            elif started is not None and (message.status or message.role is Role.CUSTOMER):
                # A customer's reply ends the wait on them, as helpdesks reopen the ticket on it.
                spans.append((started, message.created_at))
                started = None
        if started is not None and until > started:
            spans.append((started, until))
        return spans
