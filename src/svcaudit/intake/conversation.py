"""A ticket's conversation made ready to audit: in time order, notes apart, --as-of applied.

Every ticket the intake hands on passes here once its messages are joined, whichever way they
were (streamed, in memory, on disk, nested transcripts). Messages stamped before the ticket's
creation are rejected, those after --as-of counted and left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from svcaudit import reasons
from svcaudit.intake.accounts import Accounts
from svcaudit.intake.model import Message, Role, Ticket


class Conversations:
    """Completes each ticket's conversation, accounting what it leaves out on the inputs."""

    def __init__(self, accounts: Accounts, as_of: datetime | None = None) -> None:
        self.accounts = accounts
        self.as_of = as_of

    def complete(self, ticket: Ticket) -> Ticket:
        """Sort the conversation by time, reject messages stamped before the ticket's creation,
        leave out those after --as-of (counted), and set internal notes apart: a note is never a
        reply nor a phrase rule's message, but `explain` shows it. A ticket whose row names no
        agent (or team), or that has no ticket row, takes them from its messages
        (`who_from_messages`)."""
        messages = sorted(ticket.messages, key=lambda m: m.created_at)
        as_of = self.as_of
        opened = (
            ticket.created_at
            if ticket.created_at is not None
            else messages[0].created_at
            if messages and messages[0].timed
            else None
        )
        if as_of is not None and opened is not None and opened > as_of:
            # Created after --as-of (at its first message, without a ticket row): no rule judges
            # it, and it is counted as such; leaving its messages out would hide when it began.
            as_of = None
        kept = []
        notes = []
        requester = ticket.fields.get("requester_id")
        input_at = self.accounts.input_at
        for message in messages:
            if message.role is Role.UNKNOWN and message.author is not None:
                table = input_at(message.ref.path).table
                if table is not None and table.requester_is_customer and requester is not None:
                    message.role = Role.CUSTOMER if message.author == requester else Role.AGENT
            if ticket.created_at is not None and message.created_at < ticket.created_at:
                self._reject_early(message, ticket.created_at)
            elif as_of is not None and message.timed and message.created_at > as_of:
                self.accounts.messages_after_as_of += 1
            elif not message.public:
                notes.append(message)
                input_at(message.ref.path).stats.notes += 1
            else:
                kept.append(message)
        for index, message in enumerate(kept):
            message.index = index
        ticket.messages = kept
        ticket.notes = notes
        if ticket.agent is None or ticket.team is None:
            # Set in `fields` too: `where` scoping reads the fields.
            for name, value in zip(("agent", "team"), who_from_messages(kept), strict=False):
                if value is not None and getattr(ticket, name) is None:
                    setattr(ticket, name, value)
                    ticket.fields[name] = value
        return ticket

    def _reject_early(self, message: Message, created_at: datetime) -> None:
        """A message stamped before its ticket was created."""
        self.accounts.reject(
            self.accounts.input_at(message.ref.path),
            message.ref.row,
            "created_at",
            reasons.MESSAGE_BEFORE_TICKET.text(stamp=message.created_at.isoformat(), created_at=created_at.isoformat()),
        )


def who_from_messages(messages: Sequence[Message]) -> tuple[str | None, str | None]:
    """The agent and team a conversation names: the author of its last public agent message
    that names one, and the team of its last public agent message that names one.

    The last replier is the one holding the ticket (a reassigned ticket is answered by its new
    owner), as a helpdesk's assignee column says. Internal notes, bots and messages after
    --as-of do not count (the caller passes the public conversation, in time order).
    """
    agent = team = None
    for message in reversed(messages):
        if message.role is not Role.AGENT or not message.public:
            continue
        agent = agent or message.author
        team = team or message.team
        if agent is not None and team is not None:
            break
    return agent, team
