"""A rule's `when`: whether a ticket meets the conditions under which the rule applies.

The engine asks before running a rule's check; a ticket that does not meet them makes the rule
not applicable, with the reason counted in the report (`column_conditions` asks the same of a
batch of ticket rows).
"""

from __future__ import annotations

from svcaudit import reasons
from svcaudit.checks.base import TicketContext
from svcaudit.checks.timeline import DEFAULT_RESOLVED_STATUSES
from svcaudit.standard.model import Conditions
from svcaudit.timecalc.calendar import ALWAYS_OPEN
from svcaudit.timecalc.durations import Seconds

NEEDS_CREATED_AT = reasons.NEEDS_FIELDS.text(fields="created_at")
NEEDS_REOPENS = reasons.NEEDS_REOPENS.text()
NEEDS_STATUS = reasons.NEEDS_STATUS.text()


def threshold_seconds(when: Conditions) -> int:
    """The `first_reply_over` limit of a `when` that sets one, in seconds of the clock."""
    limit = when.first_reply_over
    if limit is None:
        raise ValueError("this `when` sets no first_reply_over")
    return limit.seconds if isinstance(limit, Seconds) else limit.days * 86400


def first_reply_within(when: Conditions) -> str:
    return reasons.FIRST_REPLY_WITHIN.text(limit=when.first_reply_over)


def reopened_unmet(when: Conditions) -> str:
    return reasons.REOPENED_UNMET.text(state="never reopened" if when.reopened else "reopened")


def resolved_unmet(when: Conditions) -> str:
    return reasons.RESOLVED_UNMET.text(state="not resolved" if when.resolved else "resolved")


def conditions_unmet(when: Conditions, ctx: TicketContext) -> str | None:
    """None when the ticket meets the rule's `when`; else why the rule does not apply."""
    timeline = ctx.timeline()
    if when.first_reply_over is not None:
        opened = ctx.ticket.opened_at
        if opened is None:
            return NEEDS_CREATED_AT
        replied = timeline.first_reply_at or ctx.as_of
        if ALWAYS_OPEN.business_seconds(opened, replied) <= threshold_seconds(when):
            return first_reply_within(when)
    if when.reopened is not None:
        reopens = timeline.reopens(DEFAULT_RESOLVED_STATUSES)
        if reopens is None:
            return NEEDS_REOPENS
        if (reopens > 0) != when.reopened:
            return reopened_unmet(when)
    if when.resolved is not None:
        resolved = timeline.is_resolved(DEFAULT_RESOLVED_STATUSES)
        if resolved is None:
            return NEEDS_STATUS
        if resolved != when.resolved:
            return resolved_unmet(when)
    return None
