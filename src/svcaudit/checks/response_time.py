"""response_time: how fast the support side answered and resolved, on the rule's calendar.

Options:
  metric: first_reply | next_reply | resolution | requester_wait   (required)
  target: 24h            one target for every ticket, or
  targets: {urgent: 1h, high: 4h, default: 24h}   per priority (`default` for the rest)
  calendar: office       a calendar of the standard (default "24/7")
  pause_statuses: [pending, on-hold]   time in these statuses does not count (from status events)
  resolved_statuses: [solved, closed]  what counts as resolved (default solved, resolved, closed)
  resolution: last       first | last: which resolution counts when a ticket was reopened
  bots_are_agents: false   whether a bot message counts as a reply

Metrics: `first_reply` runs from creation to the first staff reply; `next_reply` measures every
customer message that follows a staff reply until the next staff reply (the ticket fails if any
pair fails; the worst is reported); `resolution` runs from creation to the last (or first) entry into
a resolved status, or the ticket row's `resolved_at`; `requester_wait` adds up all the time the
customer waited on the support side. A target is met when measured <= target. An unanswered ticket
whose elapsed time already exceeds its target fails ("breached, no reply yet"); one still inside it
is pending. `Nbd` targets are due at the same local time N working days later.

Passes:  {metric: first_reply, target: 24h} on a ticket answered after 3h.
Fails:   the same rule on a ticket answered after 26h ("first reply took 1d 2h, target 1d").
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..logs.model import Message, Role, Ticket
from ..timecalc.calendar import ALWAYS_OPEN_NAME, Calendar
from ..timecalc.clock import Clock
from ..timecalc.durations import Duration, DurationError, WorkingDays, format_seconds, parse_duration
from ..timeline import DEFAULT_RESOLVED_STATUSES, Timeline
from .base import Check, CheckConfigError, CheckEnv, Outcome, TicketContext, failed, not_applicable, passed, pending
from .schema_parts import BOTS_ARE_AGENTS, DURATION, STATUS_LIST

METRICS = ("first_reply", "next_reply", "resolution", "requester_wait")
DEFAULT_TARGET_KEY = "default"


class ResponseTimeCheck(Check):
    KIND = "response_time"
    SUMMARY = "first reply, every next reply, resolution and customer wait within a target"
    REQUIRED = ("metric",)
    OPTIONS = {
        "metric": {"enum": list(METRICS)},
        "target": DURATION,
        "targets": {
            "type": "object",
            "description": "target per priority; `default` for priorities not listed",
            "additionalProperties": DURATION,
            "minProperties": 1,
        },
        "calendar": {"type": "string", "description": 'a calendar of the standard, default "24/7"'},
        "pause_statuses": STATUS_LIST,
        "resolved_statuses": STATUS_LIST,
        "resolution": {"enum": ["first", "last"]},
        "bots_are_agents": BOTS_ARE_AGENTS,
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        options = rule.options
        self.metric: str = options["metric"]
        if ("target" in options) == ("targets" in options):
            raise CheckConfigError("give exactly one of `target` or `targets`", ())
        self.targets: dict[str, Duration] = {}
        if "target" in options:
            self.targets[DEFAULT_TARGET_KEY] = _duration(options["target"], ("target",))
        else:
            for priority, value in options["targets"].items():
                self.targets[str(priority).casefold()] = _duration(value, ("targets", priority))
        calendar_name = options.get("calendar", ALWAYS_OPEN_NAME)
        calendar = env.calendars.get(calendar_name)
        if calendar is None:
            known = ", ".join(sorted(env.calendars))
            raise CheckConfigError(f"unknown calendar {calendar_name!r} (known: {known})", ("calendar",))
        self.calendar: Calendar = calendar
        self.pause_statuses = frozenset(s.casefold() for s in options.get("pause_statuses", ()))
        self.resolved_statuses = frozenset(
            s.casefold() for s in options.get("resolved_statuses", DEFAULT_RESOLVED_STATUSES)
        )
        if self.metric == "requester_wait" and any(
            isinstance(t, WorkingDays) for t in self.targets.values()
        ):
            raise CheckConfigError("requester_wait adds up waits: give it a time, not working days",
                                   ("targets" if "targets" in options else "target",))
        self.resolution_entry: str = options.get("resolution", "last")
        self.bots_are_agents: bool = options.get("bots_are_agents", False)
        self._measure = {
            "first_reply": self._first_reply,
            "next_reply": self._next_reply,
            "resolution": self._resolution,
            "requester_wait": self._requester_wait,
        }[self.metric]

    def target_for(self, ticket: Ticket) -> Duration | None:
        if ticket.priority is not None and ticket.priority in self.targets:
            return self.targets[ticket.priority]
        return self.targets.get(DEFAULT_TARGET_KEY)

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        opened = ticket.opened_at
        if opened is None:
            return not_applicable("needs created_at")
        target = self.target_for(ticket)
        if target is None:
            return not_applicable(f"no target for priority {ticket.priority or '(none)'}")
        timeline = ctx.timeline(self.bots_are_agents)
        pauses = timeline.paused_intervals(self.pause_statuses, ctx.as_of) if self.pause_statuses else []
        clock = Clock(self.calendar, pauses)
        return self._measure(ticket, timeline, clock, target, ctx.as_of)

    # -- deadlines -------------------------------------------------------------------------------

    def _deadline(self, clock: Clock, start: datetime, target: Duration) -> tuple[int, datetime]:
        """Target in counted seconds and the due instant, for a clock started at `start`."""
        if isinstance(target, WorkingDays):
            raw_due = self.calendar.add_working_days(start, target.days)
            seconds = self.calendar.business_seconds(start, raw_due)
        else:
            seconds = target.seconds
        return seconds, clock.due(start, seconds)

    def _judge(
        self, clock: Clock, start: datetime, end: datetime | None, target: Duration, as_of: datetime,
        what: str, message: Message | None = None, unanswered: str = "no reply yet",
    ) -> Outcome:
        """Verdict on one measured span; `end` None means the clock is still running at as_of."""
        target_seconds, due = self._deadline(clock, start, target)
        numbers = dict(target_seconds=target_seconds, due_at=due, message=message)
        if end is not None:
            measured = clock.elapsed(start, end)
            evidence = f"from {_iso(start)} to {_iso(end)}; due {_iso(due)}"
            if measured <= target_seconds:
                return passed(measured_seconds=measured, evidence=evidence, **numbers)
            return failed(f"{what} {format_seconds(measured)}, over the target {target} "
                          f"by {format_seconds(measured - target_seconds)}",
                          measured_seconds=measured, evidence=evidence, **numbers)
        elapsed = clock.elapsed(start, as_of)
        evidence = f"waiting since {_iso(start)}; due {_iso(due)}; as of {_iso(as_of)}"
        if elapsed > target_seconds:
            return failed(f"breached: {unanswered} after {format_seconds(elapsed)} (target {target})",
                          measured_seconds=elapsed, evidence=evidence, **numbers)
        return pending(f"{unanswered}; {format_seconds(target_seconds - elapsed)} left",
                       measured_seconds=elapsed, evidence=evidence, **numbers)

    # -- metrics ---------------------------------------------------------------------------------

    def _first_reply(self, ticket, timeline: Timeline, clock, target, as_of) -> Outcome:
        reply_at = timeline.first_reply_at
        if reply_at is None:
            if not ticket.messages and "first_reply_at" not in ticket.columns:
                return not_applicable("needs message rows or first_reply_at")
            if timeline.is_resolved(self.resolved_statuses):
                return not_applicable("resolved without a staff reply")
        return self._judge(clock, ticket.opened_at, reply_at, target, as_of, "first reply took",
                           message=timeline.first_reply)

    def _next_reply(self, ticket, timeline: Timeline, clock, target, as_of) -> Outcome:
        if not ticket.messages:
            return not_applicable("needs message rows")
        cycles = timeline.reply_cycles
        resolved_at = timeline.resolved_at(self.resolved_statuses)
        outcomes: list[Outcome] = []
        for cycle in cycles:
            if cycle.answered is None and resolved_at is not None and resolved_at >= cycle.asked.created_at:
                continue  # resolved after the customer's last word ("thanks!"): nothing to answer
            answered_at = cycle.answered.created_at if cycle.answered else None
            outcomes.append(self._judge(
                clock, cycle.asked.created_at, answered_at, target, as_of,
                f"reply to message #{cycle.asked.index + 1} took", message=cycle.asked,
            ))
        if not outcomes:
            return not_applicable("no customer message after a staff reply")
        failures = [o for o in outcomes if o.status.value == "failed"]
        if failures:
            worst = max(failures, key=lambda o: (o.measured_seconds or 0) - (o.target_seconds or 0))
            if len(outcomes) > 1:
                return failed(f"{len(failures)} of {len(outcomes)} replies late; worst: {worst.reason}",
                              measured_seconds=worst.measured_seconds,
                              target_seconds=worst.target_seconds, due_at=worst.due_at,
                              evidence=worst.evidence, message=worst.message)
            return worst
        waiting = [o for o in outcomes if o.status.value == "pending"]
        if waiting:
            return waiting[0]
        slowest = max(outcomes, key=lambda o: o.measured_seconds or 0)
        return passed(measured_seconds=slowest.measured_seconds, target_seconds=slowest.target_seconds,
                      evidence=f"{len(outcomes)} replies, slowest {format_seconds(slowest.measured_seconds or 0)}")

    def _resolution(self, ticket, timeline: Timeline, clock, target, as_of) -> Outcome:
        resolved_at = timeline.resolved_at(self.resolved_statuses, self.resolution_entry)
        if resolved_at is None and not timeline.has_status_data and "resolved_at" not in ticket.columns:
            return not_applicable("needs status events, a status column or resolved_at")
        return self._judge(clock, ticket.opened_at, resolved_at, target, as_of, "resolution took",
                           unanswered="not resolved yet")

    def _requester_wait(self, ticket, timeline: Timeline, clock, target, as_of) -> Outcome:
        if not ticket.messages:
            return not_applicable("needs message rows")
        spans, still_waiting = _waiting_spans(ticket, timeline, self.resolved_statuses)
        waited = sum(clock.elapsed(start, end) for start, end in spans)
        if still_waiting is not None:
            waited += clock.elapsed(still_waiting, as_of)
        target_seconds = target.seconds  # working-day targets are refused when the rule is built
        text = f"customer waited {format_seconds(waited)} in all (target {target})"
        if waited > target_seconds:
            return failed(text, measured_seconds=waited, target_seconds=target_seconds, evidence=text)
        if still_waiting is not None:
            return pending(f"customer still waiting; {text}", measured_seconds=waited,
                           target_seconds=target_seconds)
        return passed(measured_seconds=waited, target_seconds=target_seconds, evidence=text)


def _waiting_spans(ticket: Ticket, timeline: Timeline, resolved: frozenset[str]):
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
    return spans, waiting_since


def _duration(value: Any, path: tuple) -> Duration:
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise CheckConfigError(str(exc), path) from None


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
