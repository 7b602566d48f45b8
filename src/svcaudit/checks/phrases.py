"""phrases: what the conversation must say, and what it must never say.

Options:
  in: first_agent_message | last_agent_message | every_agent_message | any_agent_message
      (default) | transcript | the same four for customer and bot messages
      (first_customer_message, …, any_bot_message)
  require_any: [...]   at least one of these phrases
  require_all: [...]   every one of these phrases
  forbid: [...]        none of these phrases
  language: auto | ru | en   the language of the phrases' word forms (auto: from each phrase's script)
  bots_are_agents: false     whether bot messages count as agent messages

A phrase is plain text or `{regex: "..."}`. Text and phrases are normalised alike (NFKC, case folded,
ё read as е, white space collapsed); plain phrases match whole words, in their inflected forms where a
stemmer exists ("спасибо за ваше обращение" matches "Спасибо за ваши обращения!"). Placeholders such as
`{customer_name}` are filled from the ticket's fields; a ticket without that field is not applicable.
With `every_…` each selected message is judged; with `any_…` and `transcript` the selected messages
together. A failure names the message (number, author, time) and, for `forbid`, the matched words.

Passes:  {in: first_agent_message, require_any: ["здравствуйте"]} on "Здравствуйте, Анна! …"
Fails:   {in: every_agent_message, forbid: ["not my problem"]} on "Sorry, that's not my problem."
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from svcaudit import reasons
from svcaudit.checks.base import (
    NEEDS_MESSAGE_ROWS,
    PASSED,
    CheckConfigError,
    CheckEnv,
    ConversationCheck,
    Outcome,
    TicketContext,
    failed,
    not_applicable,
)
from svcaudit.checks.schema_parts import BOTS_ARE_AGENTS, PHRASE_LIST
from svcaudit.intake.model import Message, Role, Ticket
from svcaudit.text import MissingValue, PhraseError, PhraseSet, snippet

POSITIONS = (
    "first_agent_message",
    "last_agent_message",
    "every_agent_message",
    "any_agent_message",
    "transcript",
    "first_customer_message",
    "last_customer_message",
    "every_customer_message",
    "any_customer_message",
    "first_bot_message",
    "last_bot_message",
    "every_bot_message",
    "any_bot_message",
)
MODES = ("require_any", "require_all", "forbid")
EVIDENCE_WIDTH = 40
MISSING_EVIDENCE_CHARS = 80
LISTED_PHRASES = 3  # a failure names the first few phrases; the rule lists them all
NO_VALUES: Mapping[str, object] = MappingProxyType({})  # the values of a rule without placeholders


class PhrasesCheck(ConversationCheck):
    KIND = "phrases"
    SUMMARY = "greetings, names, apologies and closings required; rude phrases forbidden"
    EXAMPLES = (
        {"in": "first_agent_message", "require_any": ["здравствуйте"]},
        {"in": "every_agent_message", "forbid": ["not my problem", {"regex": "\\bidiot\\w*"}]},
        {"in": "any_agent_message", "require_all": ["{customer_name}", "thank you"], "language": "en"},
    )
    OPTIONS = {
        "in": {"enum": list(POSITIONS)},
        "require_any": PHRASE_LIST,
        "require_all": PHRASE_LIST,
        "forbid": PHRASE_LIST,
        "language": {"enum": ["auto", "ru", "en"]},
        "bots_are_agents": BOTS_ARE_AGENTS,
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        options = rule.options
        present = [mode for mode in MODES if mode in options]
        if len(present) != 1:
            raise CheckConfigError("give exactly one of require_any, require_all or forbid", ())
        self.mode: str = present[0]
        self.position: str = options.get("in", "any_agent_message")
        language = options.get("language", "auto")
        try:
            self.phrases = PhraseSet(options[self.mode], language=None if language == "auto" else language)
        except PhraseError as exc:
            raise CheckConfigError(exc.message, (self.mode, exc.entry_index)) from None
        try:
            self.bank_key = env.phrase_bank.add(self.phrases)
        except PhraseError as exc:
            raise CheckConfigError(exc.message, (self.mode, exc.entry_index)) from None
        self.bots_are_agents: bool = options.get("bots_are_agents", False)
        self.placeholders = self.phrases.placeholders
        self._authors = self._roles_read()
        # Agents' messages (and bots' with bots_are_agents) with text: the timeline's staff messages.
        self._reads_staff = self.position.endswith("_agent_message")
        # Which of the selected messages the rule reads: the first, the last or all of them.
        self._which = self.position.partition("_")[0] if self.position != "transcript" else "all"
        self._no_message = not_applicable(reasons.NO_MESSAGE_BY.text(who=self._who))
        # Pass or fail as soon as it is known whether anything was found (`Scan.any_hit`).
        self._decided_by_any_hit = self.mode == "forbid" or (
            self.mode == "require_any" and not self.position.startswith("every_")
        )

    @property
    def reads_roles(self) -> bool:
        """The transcript is every message's text, whoever wrote it."""
        return self.position != "transcript"

    @property
    def _who(self) -> str:
        if self.position == "transcript":
            return "text"
        for who in ("customer", "bot"):
            if who in self.position:
                return who
        return "agent"

    def _roles_read(self) -> tuple[Role, ...]:
        """The roles whose messages the rule reads (the transcript: all of them)."""
        if self.position == "transcript":
            return tuple(Role)
        if "customer" in self.position:
            return (Role.CUSTOMER,)
        if "bot" in self.position:
            return (Role.BOT,)
        return (Role.AGENT, Role.BOT) if self.bots_are_agents else (Role.AGENT,)

    def _selected(self, ticket: Ticket, ctx: TicketContext) -> list[Message]:
        """The messages the rule reads, in conversation order."""
        position = self.position
        if position == "transcript":
            return [m for m in ticket.messages if m.text]
        if self._reads_staff:
            chosen = ctx.timeline(self.bots_are_agents).staff_messages
        else:
            # a tuple, not a set: looking a role up in a set calls Enum.__hash__, Python code
            authors = self._authors
            chosen = [m for m in ticket.messages if m.role in authors and m.text.strip()]
        which = self._which
        if which == "first":
            return chosen[:1]
        if which == "last":
            return chosen[-1:]
        return chosen

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        if not ticket.messages:
            return NEEDS_MESSAGE_ROWS
        values: Mapping[str, object]
        if self.placeholders:
            values = {name: ticket.value(name) for name in self.placeholders}
            missing = self.phrases.missing(values)
            if missing and (self.mode == "require_all" or self.phrases.all_need(missing)):
                return not_applicable(reasons.NEEDS_FIELDS.text(fields=", ".join(sorted(missing))))
        else:
            values = NO_VALUES
        messages = self._selected(ticket, ctx)
        if not messages:
            return self._no_message
        key = self.bank_key
        scan = ctx.scan
        try:
            if self._decided_by_any_hit:
                # The verdict turns on whether anything was found (messages are scanned until
                # it is); only a failure of a forbid rule needs the hits themselves, for its
                # evidence.
                found = False
                for message in messages:
                    if scan(message).any_hit(key, values):
                        found = True
                        break
                if found == (self.mode == "require_any"):  # require_any passes on a hit, forbid on none
                    return PASSED
            scans = [scan(m) for m in messages]
            hits = [(m, found_scan.hits(key, values)) for m, found_scan in zip(messages, scans, strict=True)]
        except MissingValue as exc:
            return not_applicable(str(exc))
        if self.mode == "forbid":
            return self._forbid(hits, scans)
        if self._which == "every":
            for message, found_hits in hits:
                outcome = self._required(found_hits, [(message, found_hits)], message, values)
                if outcome is not None:
                    return outcome
            return PASSED
        union = [hit for _, found_hits in hits for hit in found_hits]
        outcome = self._required(union, hits, messages[0], values)
        return outcome if outcome is not None else PASSED

    def _forbid(self, hits, scans) -> Outcome:
        for (message, found), scan in zip(hits, scans, strict=False):
            if found:
                hit = found[0]
                return failed(
                    f"{message.label} says forbidden {hit.entry!r}",
                    evidence=snippet(scan.text, hit.start, hit.end, EVIDENCE_WIDTH),
                    message=message,
                )
        return PASSED

    def _required(self, found, scope, blamed: Message, values) -> Outcome | None:
        """None when the found hits satisfy the rule; else the failure for `blamed`."""
        entries = self.phrases.entries
        if self.mode == "require_any" and found:
            return None
        if self.mode == "require_all":
            hit_entries = {h.entry_index for h in found}
            lacking = [e for i, e in enumerate(entries) if i not in hit_entries]
            if not lacking:
                return None
            wanted = "all of " + _listing(lacking, values)
        else:
            wanted = ("any of " if len(entries) > 1 else "") + _listing(entries, values)
        if len(scope) == 1:
            reason = f"{blamed.label} lacks {wanted}"
        else:
            reason = f"none of the {len(scope)} {self._who} messages has {wanted}"
        text = " ".join(blamed.text.split())
        evidence = text[:MISSING_EVIDENCE_CHARS] + ("…" if len(text) > MISSING_EVIDENCE_CHARS else "")
        return failed(reason, evidence=evidence, message=blamed)


def _listing(entries, values) -> str:
    """A short, readable list of phrases, placeholders shown with this ticket's value."""
    shown = []
    for entry in entries[:LISTED_PHRASES]:
        for name, value in values.items():
            entry = entry.replace("{" + name + "}", f"{{{name}}}={value}" if value else "{" + name + "}")
        shown.append(repr(entry))
    more = len(entries) - LISTED_PHRASES
    return ", ".join(shown) + (f" (+{more} more)" if more > 0 else "")
