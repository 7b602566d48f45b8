"""Presets: the column and value mappings of the exports people actually have.

A preset is what a standard's `input:` section would otherwise spell out: which export column holds
each canonical field, how the export's values read as canonical ones, and, for nested JSON
transcripts, where the messages are. `input.columns` and `input.values` in a standard override a
preset's entries one by one. `detect_preset` recognises a preset by its `signature`, the columns an
export of that tool always has, for `svcaudit init --from EXPORT` and for `check` without a standard.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .columns import loose_key

# Priority names of the common helpdesks, read as svcaudit's urgent / high / normal / low.
PRIORITY_WORDS = {
    "urgent": "urgent", "critical": "urgent", "highest": "urgent", "blocker": "urgent", "p1": "urgent",
    "high": "high", "major": "high", "p2": "high",
    "normal": "normal", "medium": "normal", "p3": "normal",
    "low": "low", "lowest": "low", "minor": "low", "trivial": "low", "p4": "low", "p5": "low",
}


# Intercom's conversation part types: a comment (or a close/open with a message) is what the
# customer sees; a note is internal, and workflow parts (assignments, snoozes) are no reply either.
INTERCOM_PART_TYPES = {
    "comment": "true", "close": "true", "open": "true", "quick_reply": "true",
    "note": "false", "note_and_reopen": "false", "assignment": "false",
    "away_mode_assignment": "false", "default_assignment": "false", "snoozed": "false",
    "unsnoozed": "false", "timer_unsnooze": "false", "participant_added": "false",
    "participant_removed": "false", "conversation_rating_changed": "false",
    "conversation_attribute_updated_by_admin": "false", "language_detection_details": "false",
}


@dataclass(frozen=True)
class NestedLayout:
    """Where the parts of a nested transcript are: dotted paths inside each conversation object.

    `messages` names the list of messages; inside a message, `role`, `text` and `time` are keys or
    list indexes (ABCD writes a message as ["agent", "Hi!"]). `fields` maps canonical ticket fields
    to paths (`customer_name: scenario.personal.customer_name`). Without `time`, the conversation
    has an order but no clock: response-time rules are not applicable to it.
    """

    ticket_id: str
    messages: str
    role: str
    text: str
    time: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    shape: str  # tickets, messages or nested
    columns: Mapping[str, str] = field(default_factory=dict)  # canonical field -> export column
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    signature: frozenset[str] = frozenset()  # export columns that identify the tool's export
    nested: NestedLayout | None = None
    # (id column, parent column): without a conversation column, messages are threaded into
    # conversations by following each message's parent to the root (Twitter's in_response_to).
    thread: tuple[str, str] | None = None
    notes: str = ""


def _freeze(values: dict[str, dict[str, str]]) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({k: MappingProxyType(v) for k, v in values.items()})


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("generic", "svcaudit's canonical columns", "any"),
    Preset(
        "zendesk", "Zendesk Support ticket export (CSV)", "tickets",
        columns={
            "ticket_id": "Id", "created_at": "Created at", "resolved_at": "Solved at",
            "status": "Status", "priority": "Priority", "channel": "Via", "agent": "Assignee",
            "team": "Group", "customer_name": "Requester", "reopens": "Reopens",
            "csat": "Satisfaction Score",
            "zendesk_first_reply_minutes": "First reply time in minutes",
            "zendesk_first_reply_business_minutes": "First reply time in minutes within business hours",
            "zendesk_full_resolution_minutes": "Full resolution time in minutes",
            "zendesk_full_resolution_business_minutes": "Full resolution time in minutes within business hours",
            "zendesk_requester_wait_minutes": "Requester wait time in minutes",
        },
        values=_freeze({
            "priority": dict(PRIORITY_WORDS),
            # Zendesk's satisfaction is good/bad: read as the ends of the 1-5 scale.
            "csat": {"good": "5", "good with comment": "5", "bad": "1", "bad with comment": "1",
                     "offered": "", "unoffered": ""},
            "channel": {"web form": "web", "web widget": "chat", "mail": "email", "api": "api"},
        }),
        signature=frozenset({"Id", "Created at", "Status", "Requester", "Assignee"}),
        notes="Zendesk's own metric columns are kept as zendesk_* fields, so a helpdesk_agreement "
              "rule can compare them with svcaudit's recomputation.",
    ),
    Preset(
        "freshdesk", "Freshdesk ticket export (CSV)", "tickets",
        columns={
            "ticket_id": "Ticket ID", "created_at": "Created time", "first_reply_at": "Initial response time",
            "resolved_at": "Resolved time", "status": "Status", "priority": "Priority",
            "channel": "Source", "agent": "Agent", "team": "Group", "customer_name": "Full name",
            "freshdesk_first_response_hours": "First response time (in hrs)",
            "freshdesk_resolution_hours": "Resolution time (in hrs)",
        },
        values=_freeze({
            "priority": dict(PRIORITY_WORDS),
            "status": {"waiting on customer": "pending", "waiting on third party": "on-hold"},
            "channel": {"portal": "web", "feedback widget": "web", "outbound email": "email"},
        }),
        signature=frozenset({"Ticket ID", "Created time", "Resolved time", "Agent", "Source"}),
    ),
    Preset(
        "jira", "Jira Service Management issue export (CSV)", "tickets",
        columns={
            "ticket_id": "Issue key", "created_at": "Created", "resolved_at": "Resolved",
            "status": "Status", "priority": "Priority", "agent": "Assignee", "team": "Team",
            "customer_name": "Reporter", "channel": "Customer Request Type",
            "csat": "Satisfaction rating",
        },
        values=_freeze({
            "priority": dict(PRIORITY_WORDS),
            "status": {"done": "resolved", "resolved": "resolved", "closed": "closed",
                       "waiting for customer": "pending", "pending": "pending",
                       "waiting for support": "open", "in progress": "open", "to do": "open"},
        }),
        signature=frozenset({"Issue key", "Issue id", "Summary", "Created", "Reporter"}),
    ),
    Preset(
        "intercom", "Intercom conversation parts / chat transcripts (CSV, JSON Lines)", "messages",
        columns={"ticket_id": "Conversation ID", "created_at": "Created at", "author_role": "Author type",
                 "author": "Author name", "text": "Body", "status": "State", "public": "Part type"},
        values=_freeze({"author_role": {"user": "customer", "lead": "customer", "contact": "customer",
                                        "visitor": "customer", "admin": "agent", "teammate": "agent",
                                        "bot": "bot", "operator": "bot", "fin": "bot"},
                        "public": INTERCOM_PART_TYPES}),
        signature=frozenset({"Conversation ID", "Author type", "Body"}),
    ),
    Preset(
        "twcs", "Customer Support on Twitter (twcs): tweets threaded into conversations", "messages",
        columns={"ticket_id": "main_tweet_id", "created_at": "created_at", "author_role": "inbound",
                 "author": "author_id", "text": "text"},
        values=_freeze({"author_role": {"true": "customer", "false": "agent"}}),
        signature=frozenset({"tweet_id", "author_id", "inbound", "created_at", "text",
                             "in_response_to_tweet_id"}),
        thread=("tweet_id", "in_response_to_tweet_id"),
        notes="A conversation is main_tweet_id; in the original dataset, which has no such column, "
              "it is the root of the in_response_to_tweet_id chain. Brand tweets (inbound False) are "
              "the agent side.",
    ),
    Preset(
        "abcd", "ABCD (Action-Based Conversations Dataset): nested JSON chats", "nested",
        nested=NestedLayout(ticket_id="convo_id", messages="original", role="0", text="1",
                            fields=MappingProxyType({"customer_name": "scenario.personal.customer_name",
                                                     "channel": "scenario.flow"})),
        values=_freeze({"author_role": {"action": "system"}}),
        signature=frozenset({"convo_id", "scenario", "original"}),
        notes="Messages are [speaker, text] pairs without timestamps: phrase rules apply, "
              "response-time rules are not applicable.",
    ),
)}


def get_preset(name: str) -> Preset | None:
    return PRESETS.get(name)


# A preset is chosen when the export has at least this share of its signature columns.
MATCH_SHARE = 0.75

@dataclass(frozen=True)
class PresetMatch:
    """How well an export's columns match a preset's signature, and which of them it lacks."""

    preset: Preset
    columns_matched: int
    missing: tuple[str, ...]  # signature columns not in the export, spelled as the preset does

    @property
    def columns_expected(self) -> int:
        return len(self.preset.signature)

    @property
    def share(self) -> float:
        return self.columns_matched / self.columns_expected

    def summary(self) -> str:
        """One line, as the reports show it: `read as preset freshdesk: 5 of 5 columns`."""
        return preset_summary(self.preset.name, self.columns_matched, self.columns_expected)

    def unmeasured(self) -> str | None:
        """What the missing signature columns take away, in words; None when nothing is missing."""
        if not self.missing:
            return None
        by_column = {column: canonical for canonical, column in self.preset.columns.items()}
        named = []
        for column in self.missing:
            canonical = by_column.get(column)
            named.append(f"{column!r} ({canonical})" if canonical else f"{column!r} (not read)")
        fields = [by_column[c] for c in self.missing if c in by_column]
        lacking = (f"; rules and figures that need {', '.join(fields)} will not be measured" if fields
                   else "; svcaudit does not read it, so every figure is still measured")
        return f"missing {', '.join(named)}{lacking}"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.preset.name, "columns_matched": self.columns_matched,
                "columns_expected": self.columns_expected, "missing_columns": list(self.missing)}


def preset_summary(name: str, matched: int, expected: int) -> str:
    """How every format names the preset an input was read with."""
    return f"read as preset {name}: {matched} of {expected} columns"


def detect_preset(columns: Iterable[str]) -> PresetMatch | None:
    """The preset whose signature the columns match best (at least MATCH_SHARE of it), if any.

    Names are compared by `columns.loose_key`: a UI export's `Conversation ID` is the warehouse
    table's `conversation_id`. On a tie the larger signature matched wins (more
    evidence), then the order of PRESETS.
    """
    present = {loose_key(c) for c in columns}
    best: PresetMatch | None = None
    for preset in PRESETS.values():
        if not preset.signature:
            continue
        ordered = sorted(preset.signature)
        missing = tuple(c for c in ordered if loose_key(c) not in present)
        match = PresetMatch(preset, len(ordered) - len(missing), missing)
        if match.share < MATCH_SHARE:
            continue
        if best is None or (match.share, match.columns_matched) > (best.share, best.columns_matched):
            best = match
    return best
