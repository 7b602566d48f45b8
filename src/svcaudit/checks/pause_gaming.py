"""pause_gaming: a ticket put on hold right after the customer wrote, with no reply in between.

Helpdesks stop the SLA clock while a ticket waits on the customer (`pending`, `on-hold`). Setting
that status just after the customer's message, without answering it, stops the clock on a question
the support side owes an answer to. No helpdesk reports it; this check does.

Options:
  pause_statuses: [pending, on-hold]   (required) the statuses that stop the clock
  within: 10m                         how soon after the customer message a pause is suspicious
                                      (default 10m, counted in calendar time)
  bots_are_agents: false              whether a bot message counts as a reply

Needs status events in the message rows. The ticket fails on the first suspicious pause; the
evidence names the customer message and the status event.

Passes:  customer writes 10:00, agent answers 10:05 and sets `pending` 10:05.
Fails:   customer writes 10:00, agent sets `pending` 10:02 without answering ("paused 2m after
         message #3 with no staff reply").
"""

from __future__ import annotations

from datetime import datetime

from svcaudit import reasons
from svcaudit.checks.base import (
    Check,
    CheckEnv,
    ColumnKernel,
    Outcome,
    TicketContext,
    constant_kernel,
    failed,
    not_applicable,
    passed,
)
from svcaudit.checks.options import seconds_option, statuses_option
from svcaudit.checks.schema_parts import BOTS_ARE_AGENTS, DURATION, STATUS_LIST
from svcaudit.intake.model import Message, Role, Ticket
from svcaudit.timecalc.durations import Seconds, format_instant, format_seconds

DEFAULT_WITHIN = Seconds(10 * 60)
NEEDS_STATUS_EVENTS = not_applicable(reasons.NEEDS_STATUS_EVENTS.text())


class PauseGamingCheck(Check):
    KIND = "pause_gaming"
    SUMMARY = "no pausing the SLA clock right after a customer message without answering it"
    EXAMPLES = (
        {"pause_statuses": ["pending", "on-hold"]},
        {"pause_statuses": ["pending"], "within": "2m", "bots_are_agents": True},
    )
    READS_ROLES = True
    REQUIRED = ("pause_statuses",)
    OPTIONS = {
        "pause_statuses": STATUS_LIST,
        "within": DURATION,
        "bots_are_agents": BOTS_ARE_AGENTS,
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        options = rule.options
        self.pause_statuses = statuses_option(options, "pause_statuses")
        self.within = seconds_option(options, "within", DEFAULT_WITHIN.seconds)
        self.bots_are_agents: bool = options.get("bots_are_agents", False)

    def column_kernel(self, as_of: datetime) -> ColumnKernel | None:
        """A ticket row alone has no status events."""
        return constant_kernel(NEEDS_STATUS_EVENTS)

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        timeline = ctx.timeline(self.bots_are_agents)
        if not timeline.status_changes:
            return NEEDS_STATUS_EVENTS
        unanswered: Message | None = None  # the customer's latest message still without a reply
        paused = False
        for message in ticket.messages:
            if timeline.is_staff(message):
                unanswered = None
            elif message.role is Role.CUSTOMER:
                unanswered = unanswered or message
            if not message.status:
                continue
            entering = message.status in self.pause_statuses and not paused
            paused = message.status in self.pause_statuses
            if entering and unanswered is not None:
                gap = int((message.created_at - unanswered.created_at).total_seconds())
                if gap <= self.within:
                    return failed(
                        f"set to {message.status!r} {format_seconds(gap)} after customer message "
                        f"#{unanswered.index + 1} with no staff reply",
                        measured_seconds=gap,
                        target_seconds=self.within,
                        message=message,
                        field="status",
                        evidence=f"customer message #{unanswered.index + 1} at "
                        f"{format_instant(unanswered.created_at)}: {' '.join(unanswered.text.split())[:60]!r}",
                    )
        return passed()
