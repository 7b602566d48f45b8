"""trigger_response: when the customer says X, the support side must answer with Y, and soon.

A complaint wants an apology, "talk to a human" wants a hand-off, a refund request wants the refund
policy. When a customer message matches a `trigger` phrase, the staff messages that follow must
match a `response` phrase: the next one, one of the next `within_messages`, or any within `within`.
No helpdesk or QA tool checks this; this check does.

Options:
  trigger: [...]          (required) phrases that make a customer message a trigger
  response: [...]         (required) phrases a staff message must contain to answer it
  within: 2m              the response must come within this time after the trigger (on `calendar`;
                          `Nbd` means by the same local time N working days later)
  within_messages: 1      ...and within this many staff messages. Default: 1 (the next staff
                          message) without `within`; with `within`, any number inside the time
  calendar: office        the calendar `within` counts on (default "24/7")
  language: auto | ru | en   the language of the phrases' word forms (auto: from each phrase's script)
  bots_are_agents: false  whether bot messages are staff messages (chatbot transcripts: true)

Phrases are written and matched as in `phrases` (whole words, inflected forms, `{regex: "..."}` on
RE2, `{customer_name}` placeholders filled from the ticket's fields). Every triggering customer
message is checked; several triggers before the next staff message count as one, timed from the
first. A trigger is answered by the first staff message in its window that has a response phrase.
The ticket fails on the first trigger not answered in time: the evidence names the trigger message
(number, time, matched words) and the staff message that failed to respond, or says that no staff
message followed. A trigger still waiting for its staff messages is pending while the ticket is not
resolved and `within` has not run out (without `within`, while the ticket is not resolved); once the
ticket is resolved (solved, resolved, closed) without a response, it fails. A ticket without a
trigger is not applicable ("no trigger message"). Failures about time (late, or nothing within
`within`) report measured and target seconds; failures about content (the wrong reply) do not.

Passes:  {trigger: ["хочу оператора"], response: ["соединяю с оператором"], bots_are_agents: true}
         on "Хочу оператора!" answered by the bot "Соединяю с оператором, подождите минуту".
Fails:   {trigger: ["talk to a human"], response: ["connecting you to an agent"], within: 2m}
         on "Let me talk to a human" answered 5 minutes later, or answered "I can help you with
         that!" ("message #3 (bot, …) does not respond to the trigger in message #2 …").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from svcaudit import reasons
from svcaudit.checks.base import (
    NEEDS_MESSAGE_ROWS,
    CheckConfigError,
    CheckEnv,
    ConversationCheck,
    Outcome,
    Status,
    TicketContext,
    failed,
    not_applicable,
    passed,
    pending,
)
from svcaudit.checks.options import calendar_option, duration_option
from svcaudit.checks.schema_parts import BOTS_ARE_AGENTS, DURATION, PHRASE_LIST
from svcaudit.checks.timeline import DEFAULT_RESOLVED_STATUSES, Timeline
from svcaudit.intake.model import Message, Role, Ticket
from svcaudit.text import Hit, MissingValue, PhraseError, PhraseSet
from svcaudit.timecalc.calendar import Calendar
from svcaudit.timecalc.clock import Clock
from svcaudit.timecalc.durations import Duration, WorkingDays, format_seconds

PHRASE_OPTIONS = ("trigger", "response")
DEFAULT_WITHIN_MESSAGES = 1  # without `within`: the next staff message must respond
QUOTE_CHARS = 60  # how much of a message the evidence quotes
LISTED_PHRASES = 3  # a failure names the first few response phrases; the rule lists them all


@dataclass(frozen=True, slots=True)
class _Trigger:
    """A customer message that matched the trigger set, and the words that matched."""

    message: Message
    hit: Hit


@dataclass(frozen=True, slots=True)
class _Window:
    """When a trigger's response is due: the instant (None: no time limit) and its seconds."""

    due_at: datetime | None
    target_seconds: int | None


class TriggerResponseCheck(ConversationCheck):
    KIND = "trigger_response"
    SUMMARY = "a customer trigger (complaint, 'talk to a human', refund) answered with the right response"
    EXAMPLES = (
        {"trigger": ["хочу оператора"], "response": ["соединяю с оператором"], "bots_are_agents": True},
        {"trigger": ["talk to a human"], "response": ["connecting you to an agent"], "within": "2m"},
        {"trigger": ["refund"], "response": ["refund policy"], "within": "1bd", "calendar": "office"},
    )
    REQUIRED = ("trigger", "response")
    OPTIONS = {
        "trigger": PHRASE_LIST,
        "response": PHRASE_LIST,
        "within": DURATION,
        "within_messages": {
            "type": "integer",
            "minimum": 1,
            "description": "the response must be among this many staff messages after the trigger "
            "(default 1 without `within`; any number inside `within` with it)",
        },
        "calendar": {"type": "string", "description": 'the calendar `within` counts on, default "24/7"'},
        "language": {"enum": ["auto", "ru", "en"]},
        "bots_are_agents": BOTS_ARE_AGENTS,
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        options = rule.options
        language = options.get("language", "auto")
        sets: dict[str, PhraseSet] = {}
        keys: dict[str, int] = {}
        for name in PHRASE_OPTIONS:
            try:
                sets[name] = PhraseSet(options[name], language=None if language == "auto" else language)
                keys[name] = env.phrase_bank.add(sets[name])
            except PhraseError as exc:
                raise CheckConfigError(exc.message, (name, exc.entry_index)) from None
        self.trigger, self.response = sets["trigger"], sets["response"]
        self.trigger_key, self.response_key = keys["trigger"], keys["response"]
        self.placeholders = self.trigger.placeholders | self.response.placeholders
        self.calendar: Calendar = calendar_option(options, env)
        self._clock = Clock(self.calendar)  # no pauses: a response window runs on the calendar alone
        self.within: Duration | None = None
        if "within" in options:
            self.within = duration_option(options["within"], ("within",))
        default_count = None if self.within is not None else DEFAULT_WITHIN_MESSAGES
        self.within_messages: int | None = options.get("within_messages", default_count)
        self.bots_are_agents: bool = options.get("bots_are_agents", False)

    # -- the verdict -----------------------------------------------------------------------------

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        if not ticket.messages:
            return NEEDS_MESSAGE_ROWS
        values = {name: ticket.value(name) for name in self.placeholders}
        missing: frozenset[str] = frozenset()
        for phrase_set in (self.trigger, self.response):
            lacking = phrase_set.missing(values) if phrase_set.placeholders else frozenset()
            if lacking and phrase_set.all_need(lacking):
                missing |= lacking
        if missing:
            return not_applicable(reasons.NEEDS_FIELDS.text(fields=", ".join(sorted(missing))))
        timeline = ctx.timeline(self.bots_are_agents)
        try:
            triggers = self._triggers(ticket, timeline, ctx, values)
            if not triggers:
                return not_applicable(reasons.NO_TRIGGER_MESSAGE.text())
            resolved = timeline.is_resolved(DEFAULT_RESOLVED_STATUSES) is True
            outcomes = [self._judge(trigger, timeline, ctx, values, resolved) for trigger in triggers]
        except MissingValue as exc:
            return not_applicable(str(exc))
        for status in (Status.FAILED, Status.PENDING):
            for outcome in outcomes:
                if outcome.status is status:
                    return outcome
        slowest = max(outcomes, key=lambda o: o.measured_seconds or 0)
        count = len(outcomes)
        return passed(
            measured_seconds=slowest.measured_seconds,
            target_seconds=slowest.target_seconds,
            evidence=f"{count} trigger{'s' if count > 1 else ''} answered; slowest after "
            f"{format_seconds(slowest.measured_seconds or 0)}",
        )

    def _triggers(
        self, ticket: Ticket, timeline: Timeline, ctx: TicketContext, values: Mapping[str, Any]
    ) -> list[_Trigger]:
        """The triggering customer messages; a run of them before the next staff message is one."""
        found: list[_Trigger] = []
        waiting = False  # a trigger since the last staff message
        for message in ticket.messages:
            if timeline.is_staff(message):
                waiting = False
            elif message.role is Role.CUSTOMER and not waiting and message.text.strip():
                scan = ctx.scan(message)
                # Only a trigger's first hit is shown: the hits are located for triggers only.
                if scan.any_hit(self.trigger_key, values):
                    found.append(_Trigger(message, scan.hits(self.trigger_key, values)[0]))
                    waiting = True
        return found

    def _window(self, start: datetime) -> _Window:
        if self.within is None:
            return _Window(None, None)
        if isinstance(self.within, WorkingDays):
            due = self.calendar.add_working_days(start, self.within.days)
            return _Window(due, self.calendar.business_seconds(start, due))
        return _Window(self._clock.due(start, self.within.seconds), self.within.seconds)

    def _elapsed(self, start: datetime, end: datetime) -> int:
        return self.calendar.business_seconds(start, end) if end > start else 0

    def _judge(
        self, trigger: _Trigger, timeline: Timeline, ctx: TicketContext, values: Mapping[str, Any], resolved: bool
    ) -> Outcome:
        """The verdict on one trigger: answered in time, late, unanswered, or still waiting."""
        start = trigger.message.created_at
        window = self._window(start)
        limit = self.within_messages
        later = [m for m in timeline.staff_messages if m.index > trigger.message.index]
        checked: list[Message] = []  # staff messages in the window that did not respond
        for message in later:
            responds = ctx.scan(message).any_hit(self.response_key, values)
            elapsed = self._elapsed(start, message.created_at)
            too_late = window.due_at is not None and message.created_at > window.due_at
            if too_late:
                if responds:  # still inside the message limit: it would have returned otherwise
                    return self._late(trigger, message, elapsed, window)
                return self._missed(trigger, checked or [message], timing=(elapsed, window))
            if responds:
                return passed(measured_seconds=elapsed, target_seconds=window.target_seconds)
            checked.append(message)
            if limit is not None and len(checked) >= limit:
                answer = next(
                    (m for m in later[len(checked) :] if ctx.scan(m).any_hit(self.response_key, values)), None
                )
                return self._missed(trigger, checked, answered_later=answer)
        return self._unanswered(trigger, checked, window, ctx.as_of, resolved)

    # -- outcomes --------------------------------------------------------------------------------

    def _late(self, trigger: _Trigger, message: Message, elapsed: int, window: _Window) -> Outcome:
        return failed(
            f"{message.label} responds to the trigger in {trigger.message.label} "
            f"only after {format_seconds(elapsed)}, over the limit {self.within}",
            measured_seconds=elapsed,
            target_seconds=window.target_seconds,
            due_at=window.due_at,
            message=message,
            evidence=f"{_trigger_evidence(trigger)}; late response: {_quote(message)}",
        )

    def _missed(
        self,
        trigger: _Trigger,
        checked: list[Message],
        *,
        timing: tuple[int, _Window] | None = None,
        answered_later: Message | None = None,
    ) -> Outcome:
        """The staff messages in the window came and none of them responded.

        With `timing` (seconds until the first staff message past the limit, and the window) the
        failure is about time and carries the numbers; without it, about content, and it does not:
        a measured "3s" beside a target "1m" would read as a pass.
        """
        blamed = checked[0]
        if len(checked) == 1:
            lacking = f"{blamed.label} does not respond"
        else:
            listed = ", ".join(f"#{m.index + 1}" for m in checked)
            lacking = f"none of the {len(checked)} staff messages ({listed}) responds"
        text = f"{lacking} to the trigger in {trigger.message.label}: lacks {self._wanted()}"
        numbers: dict[str, Any] = {}
        if timing is not None:
            elapsed, window = timing
            text = f"no response within {self.within}: {text}"
            numbers = dict(measured_seconds=elapsed, target_seconds=window.target_seconds, due_at=window.due_at)
        evidence = f"{_trigger_evidence(trigger)}; staff: {_quote(blamed)}"
        if answered_later is not None:
            evidence += f"; a response came only in message #{answered_later.index + 1}"
        return failed(text, message=blamed, evidence=evidence, **numbers)

    def _unanswered(
        self, trigger: _Trigger, checked: list[Message], window: _Window, as_of: datetime, resolved: bool
    ) -> Outcome:
        """The conversation ends before the trigger's window is used up."""
        start = trigger.message.created_at
        elapsed = self._elapsed(start, as_of)
        numbers = dict(measured_seconds=elapsed, target_seconds=window.target_seconds, due_at=window.due_at)
        staff = f"staff: {_quote(checked[0])}" if checked else "no staff message followed"
        evidence = f"{_trigger_evidence(trigger)}; {staff}"
        blamed = checked[0] if checked else trigger.message
        if checked:
            what = f"{blamed.label} does not respond to the trigger in {trigger.message.label}"
        else:
            what = f"no staff message followed the trigger in {trigger.message.label}"
        if resolved:  # about content, not time: no numbers (see _missed)
            return failed(f"{what}, and the ticket was resolved without a response", message=blamed, evidence=evidence)
        if window.due_at is not None and as_of > window.due_at:
            return failed(f"breached: {what} within {self.within}", message=blamed, evidence=evidence, **numbers)
        left = (
            f"; {format_seconds(max(0, (window.target_seconds or 0) - elapsed))} left"
            if window.due_at is not None
            else ""
        )
        return pending(
            f"awaiting a response to the trigger in {trigger.message.label}{left}", evidence=evidence, **numbers
        )

    def _wanted(self) -> str:
        entries = self.response.entries
        shown = ", ".join(repr(e) for e in entries[:LISTED_PHRASES])
        more = len(entries) - LISTED_PHRASES
        return ("any of " if len(entries) > 1 else "") + shown + (f" (+{more} more)" if more > 0 else "")


def _quote(message: Message) -> str:
    text = " ".join(message.text.split())
    short = text[:QUOTE_CHARS] + ("…" if len(text) > QUOTE_CHARS else "")
    return f"{message.label} {short!r}"


def _trigger_evidence(trigger: _Trigger) -> str:
    return f"trigger: {trigger.message.label} says {trigger.hit.matched!r}"
