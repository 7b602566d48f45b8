"""The time metrics a rule measures: what runs from when to when in a ticket, and how it is worded.

A `Metric` names the spans of a ticket a rule's clock runs over, measured from the ticket's
timeline (messages and status events) or from its row alone (the row's `created_at` and one end
column), words them for findings, and says whether its spans add up to one figure. `response_time`
judges the spans against a target, `helpdesk_agreement` compares their sum with the helpdesk's own
figure, `explain` draws them and the `report` tables take their times. Adding a metric is one
subclass: it registers itself in `METRICS`, where the `metric` option's enum is read from.

A `Measurement` is a metric as one rule measures it: on its calendar, with its paused and resolved
statuses, its choice of resolution and whether bots are agents (`CLOCK_OPTIONS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

if TYPE_CHECKING:
    from svcaudit.checks.columns import ColumnVerdicts, TicketColumns

from svcaudit import reasons
from svcaudit.checks.base import (
    NEEDS_MESSAGE_ROWS,
    CheckEnv,
    Outcome,
    TicketContext,
    not_applicable,
    rejected_field,
)
from svcaudit.checks.options import calendar_option, statuses_option
from svcaudit.checks.schema_parts import BOTS_ARE_AGENTS, STATUS_LIST
from svcaudit.checks.timeline import DEFAULT_RESOLVED_STATUSES, Timeline
from svcaudit.intake.model import Message, Role, Ticket
from svcaudit.timecalc.calendar import Calendar
from svcaudit.timecalc.clock import Clock

# The options that decide how a ticket's clock runs, taken by every check that measures a metric.
CLOCK_OPTIONS: dict[str, dict[str, Any]] = {
    "calendar": {"type": "string", "description": 'a calendar of the standard, default "24/7"'},
    "pause_statuses": STATUS_LIST,
    "resolved_statuses": STATUS_LIST,
    "resolution": {"enum": ["first", "last"]},
    "bots_are_agents": BOTS_ARE_AGENTS,
}
DEFAULT_RESOLUTION_ENTRY = "last"


class MeasuredSpan(NamedTuple):
    """One stretch a rule's clock runs over: from `start` to `end` (None: still running)."""

    label: str
    start: datetime
    end: datetime | None
    message: Message | None  # the message that started or ended it, for evidence


Spans = list[MeasuredSpan] | Outcome  # the spans, or why the ticket cannot be measured


class Metric:
    """One metric: its name in a rule, how its spans are measured and worded.

    A metric with a `ROW_END` column measures one span from the row's `created_at` to that
    column; one without needs message rows. `spans` measures from the timeline; `open_columns`
    answers, for a batch of ticket rows whose end column is empty, what `spans` would: nothing
    while the span is still running, else why it cannot be measured."""

    NAME: ClassVar[str]
    LABEL: ClassVar[str]  # a span's name in findings ("first reply took 1d 2h")
    UNANSWERED: ClassVar[str] = "no reply yet"  # a span still running, in findings
    ADDS_UP: ClassVar[bool] = False  # the target applies to the sum of the spans, not to each
    ONE_FIGURE: ClassVar[bool] = True  # the spans make one figure per ticket, as helpdesks export
    READS_ROLES: ClassVar[bool] = True  # replies and requests are told apart by role
    ROW_END: ClassVar[str | None] = None  # the ticket row's column that ends its one span

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        METRICS[cls.NAME] = cls()

    def __repr__(self) -> str:
        return f"<metric {self.NAME}>"

    def unmeasurable(self, ticket: Ticket) -> Outcome | None:
        """Why this ticket cannot be measured before its timeline is read; None if it can be."""
        if ticket.opened_at is None:
            return not_applicable(
                reasons.NEEDS_FIELDS.text(fields="created_at") if ticket.timed else reasons.NEEDS_TIMESTAMPS.text()
            )
        if self.ROW_END is None and not ticket.messages:
            return NEEDS_MESSAGE_ROWS
        return None

    def measure(self, ticket: Ticket, timeline: Timeline, resolved: frozenset[str], entry: str) -> Spans:
        """The spans of this ticket, or why they cannot be measured."""
        return self.unmeasurable(ticket) or self.spans(ticket, timeline, resolved, entry)

    def spans(self, ticket: Ticket, timeline: Timeline, resolved: frozenset[str], entry: str) -> Spans:
        raise NotImplementedError

    def open_columns(self, verdicts: ColumnVerdicts, cols: TicketColumns, open_rows: Any, resolved: Any) -> None:
        """For a batch of ticket rows: settle, as `spans` would answer them, the rows in
        `open_rows` (no end time) that cannot be measured; `resolved` marks the rows whose status
        (else resolved_at) says they ended resolved. The rows left open are measured up to --as-of."""
        verdicts.not_applicable(open_rows, NEEDS_MESSAGE_ROWS.reason)


METRICS: dict[str, Metric] = {}  # filled by Metric's subclasses, in the order they are written


class FirstReply(Metric):
    """From the customer's request to the first staff reply."""

    NAME = "first_reply"
    LABEL = "first reply"
    ROW_END = "first_reply_at"
    NO_COLUMN = not_applicable(reasons.NEEDS_FIRST_REPLY.text())
    ENDED = not_applicable(reasons.RESOLVED_WITHOUT_REPLY.text())
    NO_REQUEST = not_applicable(reasons.REQUEST_NOT_IN_EXPORT.text())

    def spans(self, ticket: Ticket, timeline: Timeline, resolved: frozenset[str], entry: str) -> Spans:
        requested = timeline.requested_at
        if requested is None:
            return self.NO_REQUEST
        reply_at = timeline.first_reply_at
        if reply_at is None and (rejected := rejected_field(ticket, "first_reply_at")):
            return rejected
        if reply_at is None:
            if not ticket.messages and "first_reply_at" not in ticket.columns:
                return self.NO_COLUMN
            if timeline.is_resolved(resolved):
                return self.ENDED
        return [MeasuredSpan(self.LABEL, requested, reply_at, timeline.first_reply)]

    def open_columns(self, verdicts: ColumnVerdicts, cols: TicketColumns, open_rows: Any, resolved: Any) -> None:
        if "first_reply_at" not in cols.present:
            verdicts.not_applicable(open_rows, self.NO_COLUMN.reason)
        verdicts.not_applicable(open_rows & resolved, self.ENDED.reason)


class NextReply(Metric):
    """Every customer message after a staff reply, until the next staff reply; judged each."""

    NAME = "next_reply"
    LABEL = "reply"
    ONE_FIGURE = False
    NO_FOLLOW_UP = not_applicable(reasons.NO_FOLLOW_UP.text())

    def spans(self, ticket: Ticket, timeline: Timeline, resolved: frozenset[str], entry: str) -> Spans:
        spans = []
        for cycle in timeline.reply_cycles:
            if cycle.answered is None and timeline.is_resolved(resolved):
                continue  # the ticket ended resolved after the customer's last word: nothing owed
            spans.append(
                MeasuredSpan(
                    f"{self.LABEL} to message #{cycle.asked.index + 1}",
                    cycle.asked.created_at,
                    cycle.answered.created_at if cycle.answered else None,
                    cycle.asked,
                )
            )
        return spans or self.NO_FOLLOW_UP


class Resolution(Metric):
    """From creation to the last (or first) entry into a resolved status, or `resolved_at`."""

    NAME = "resolution"
    LABEL = "resolution"
    UNANSWERED = "not resolved yet"
    READS_ROLES = False  # the resolution clock reads statuses
    ROW_END = "resolved_at"
    NO_COLUMN = not_applicable(reasons.NEEDS_STATUS.text())
    ENDED = not_applicable(reasons.NEEDS_RESOLUTION_TIME.text())

    def spans(self, ticket: Ticket, timeline: Timeline, resolved: frozenset[str], entry: str) -> Spans:
        resolved_at = timeline.resolved_at(resolved, entry)
        if resolved_at is None and (rejected := rejected_field(ticket, "resolved_at")):
            return rejected
        if resolved_at is None:
            if timeline.is_resolved(resolved):
                return self.ENDED
            if not timeline.has_status_data and "resolved_at" not in ticket.columns:
                return self.NO_COLUMN
        opened = ticket.opened_at
        assert opened is not None  # `measure` asked
        return [MeasuredSpan(self.LABEL, opened, resolved_at, None)]

    def open_columns(self, verdicts: ColumnVerdicts, cols: TicketColumns, open_rows: Any, resolved: Any) -> None:
        # Without an end time, a row is resolved only by its status: `resolved` is the status's say.
        if "resolved_at" not in cols.present:
            codes, values = cols.coded["status"]
            no_status = values.index(None) if None in values else -1
            verdicts.not_applicable(open_rows & (codes == no_status), self.NO_COLUMN.reason)
        verdicts.not_applicable(open_rows & resolved, self.ENDED.reason)


class RequesterWait(Metric):
    """All the time the customer waited on the support side, added up."""

    NAME = "requester_wait"
    LABEL = "customer waiting"
    ADDS_UP = True
    NEVER_WAITED = not_applicable(reasons.NEVER_WAITED.text())

    def spans(self, ticket: Ticket, timeline: Timeline, resolved: frozenset[str], entry: str) -> Spans:
        spans, still_waiting = _waiting_spans(ticket, timeline, resolved)
        measured = [MeasuredSpan(self.LABEL, a, b, None) for a, b in spans]
        if still_waiting is not None:
            measured.append(MeasuredSpan(self.LABEL, still_waiting, None, None))
        return measured or self.NEVER_WAITED


def _waiting_spans(
    ticket: Ticket, timeline: Timeline, resolved: frozenset[str]
) -> tuple[list[tuple[datetime, datetime]], datetime | None]:
    """Spans in which the customer waited on staff, and the start of a wait still running.

    The first wait starts at the ticket's creation (a web form may precede the first message);
    later waits start at the first customer message after a staff reply. A resolution ends a wait.
    """
    spans: list[tuple[datetime, datetime]] = []
    waiting_since: datetime | None = None
    staff_seen = False
    for message in ticket.messages:
        if timeline.is_staff(message):
            staff_seen = True
            if waiting_since is not None:
                spans.append((waiting_since, message.created_at))
                waiting_since = None
        elif message.role is Role.CUSTOMER and waiting_since is None:
            waiting_since = message.created_at if staff_seen else ticket.opened_at
        if message.status in resolved and waiting_since is not None:
            spans.append((waiting_since, message.created_at))
            waiting_since = None
    if waiting_since is not None and not timeline.status_changes:
        # Ticket rows tell resolution without events: the last wait ended when it was resolved.
        resolved_at = timeline.resolved_at(resolved)
        if resolved_at is not None and resolved_at >= waiting_since:
            spans.append((waiting_since, resolved_at))
            waiting_since = None
        elif timeline.is_resolved(resolved):
            waiting_since = None  # resolved, time unknown: the last word needed no answer
    return spans, waiting_since


class Measurement:
    """A metric as one rule measures it, from the rule's `metric` and `CLOCK_OPTIONS`."""

    def __init__(self, options: Mapping[str, Any], env: CheckEnv) -> None:
        self.metric: Metric = METRICS[options["metric"]]
        self.calendar: Calendar = calendar_option(options, env)
        self.pause_statuses = statuses_option(options, "pause_statuses")
        self.resolved_statuses = statuses_option(options, "resolved_statuses", DEFAULT_RESOLVED_STATUSES)
        self.resolution_entry: str = options.get("resolution", DEFAULT_RESOLUTION_ENTRY)
        self.bots_are_agents: bool = options.get("bots_are_agents", False)
        # The clock of every ticket when no status pauses it.
        self._unpaused_clock = Clock(self.calendar)

    def spans(self, ticket: Ticket, ctx: TicketContext) -> Spans:
        """The spans the rule's clock runs over, or why the rule cannot measure this ticket."""
        metric = self.metric
        return metric.unmeasurable(ticket) or metric.spans(
            ticket, ctx.timeline(self.bots_are_agents), self.resolved_statuses, self.resolution_entry
        )

    def clock(self, ticket: Ticket, ctx: TicketContext) -> Clock:
        """The rule's clock for this ticket: its calendar minus the ticket's paused spans."""
        if not self.pause_statuses:
            return self._unpaused_clock
        timeline = ctx.timeline(self.bots_are_agents)
        return Clock(self.calendar, timeline.paused_intervals(self.pause_statuses, ctx.as_of))
