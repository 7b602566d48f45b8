"""What `init --from` knows of exports' words: the column names that usually mean a canonical field,
and the values each field takes, so that a column is mapped only when its values fit.

Names are compared as `header_key` spells them (`Created At` -> `created_at`). A value is compared
case-folded and trimmed. A value set that fits a field partly is mapped with its known values and
its unknown ones listed; one that does not fit at all is shown and left unmapped, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta, timezone

from svcaudit.intake.fields import PUBLIC_WORDS, ROLE_SYNONYMS, SCORE_SCALES
from svcaudit.intake.nulls import STATUS_WORDS
from svcaudit.intake.presets import INTERCOM_PART_TYPES, PRESETS, PRIORITY_WORDS
from svcaudit.intake.timestamps import TimestampError, TimestampParser

# Keys that name the parent a row belongs to: beside a row's own id, the parent is the ticket.
# `key` and `number` are Jira's and ServiceNow's names, read as keys only when their values look so.
PARENT_KEYS = (
    "ticket_id",
    "conversation_id",
    "issue_id",
    "issue_key",
    "case_id",
    "case_number",
    "incident_id",
    "incident_number",
    "request_id",
    "chat_id",
    "thread_id",
    "id_обращения",
    "номер_обращения",
    "number",
    "key",
)
# Keys a ticket table names its own tickets by (a UI export's `Ticket ID` is `ticket_id` above).
TICKET_KEYS = ("id", "ticket_number", "ticket", "conversation", "case", "issue", "номер")
KEY_PATTERNS = {"key": re.compile(r"^[A-Z][A-Z0-9_]*-\d+$"), "number": re.compile(r"^\S{1,40}$")}
KEY_FILLED_SHARE = 0.95  # a ticket key is filled in (almost) every row

# Columns of an event log that stamp the event, not the ticket's creation.
EVENT_TIME_NAMES = (
    "updated_at",
    "sys_updated_on",
    "sys_updated_at",
    "updated",
    "last_updated",
    "last_updated_at",
    "modified_at",
    "last_modified",
    "updated_time",
    "event_time",
    "time",
    "timestamp",
    "datetime",
    "date",
)

TICKET_NAMES: dict[str, tuple[str, ...]] = {
    "created_at": (
        "created_at",
        "created",
        "created_time",
        "creation_date",
        "created_date",
        "date_created",
        "opened_at",
        "opened",
        "open_date",
        "submitted_at",
        "дата_создания",
        "создан",
    ),
    "first_reply_at": (
        "first_reply_at",
        "first_response_at",
        "first_responded_at",
        "first_reply",
        "first_response",
        "initial_response_time",
        "first_reply_time",
    ),
    "resolved_at": (
        "resolved_at",
        "solved_at",
        "resolved",
        "solved",
        "closed_at",
        "resolution_date",
        "resolved_time",
        "closed_date",
        "date_closed",
        "closed",
        "дата_решения",
    ),
    "status": ("status", "state", "incident_state", "ticket_status", "current_status", "статус"),
    "priority": ("priority", "ticket_priority", "приоритет"),
    "channel": ("channel", "via_channel", "via", "source", "contact_type", "origin", "канал"),
    "agent": (
        "agent",
        "assignee",
        "assignee_name",
        "assigned_to",
        "agent_name",
        "owner",
        "operator",
        "agent_assigned",
        "assignee_id",
        "оператор",
    ),
    "team": (
        "team",
        "group",
        "group_name",
        "assignment_group",
        "team_assigned",
        "department",
        "queue",
        "group_id",
        "группа",
    ),
    "customer_name": (
        "customer_name",
        "customer",
        "requester",
        "requester_name",
        "full_name",
        "contact_name",
        "client",
        "caller",
        "name",
        "from",
        "клиент",
    ),
    "reopens": ("reopens", "reopen_count", "reopened_count", "reopened"),
    "csat": ("csat", "satisfaction", "satisfaction_score", "satisfaction_rating", "csat_score", "rating", "оценка"),
    "nps": ("nps", "nps_score"),
    "ces": ("ces", "effort", "effort_score"),
}
# Generic time names that are a ticket table's creation (in an event log they stamp the event).
TICKET_TIME_NAMES = ("date", "timestamp", "time", "datetime", "дата")

MESSAGE_NAMES: dict[str, tuple[str, ...]] = {
    "created_at": (
        "created_at",
        "created",
        "sent_at",
        "sent",
        "created_time",
        "posted_at",
        "time",
        "timestamp",
        "datetime",
        "date",
        "дата",
        "время",
    ),
    "author_role": (
        "author_role",
        "role",
        "author_type",
        "sender_type",
        "from_type",
        "user_type",
        "sender_role",
        "speaker",
        "direction",
        "inbound",
        "is_inbound",
        "sender",
        "from",
        "роль",
        "отправитель",
    ),
    "text": (
        "text",
        "body",
        "message",
        "content",
        "comment",
        "comment_body",
        "message_text",
        "plain_body",
        "текст",
        "сообщение",
    ),
    "status": ("status", "state", "статус"),
    "public": (
        "public",
        "is_public",
        "visibility",
        "private",
        "is_private",
        "internal",
        "is_internal",
        "part_type",
        "message_type",
    ),
    "author": ("author", "author_name", "sender_name", "user_name", "author_id", "user_id", "sender", "from", "автор"),
}
# Names of a public/internal flag whose true means internal (read as canonical `private`).
PRIVATE_NAMES = frozenset({"private", "is_private", "internal", "is_internal"})

# Status words helpdesks write, read as svcaudit's: the canonical ones as they are.
STATUS_SYNONYMS: dict[str, str] = {
    **{word: word for word in STATUS_WORDS},
    "on hold": "on-hold",
    "in progress": "open",
    "active": "open",
    "assigned": "open",
    "work in progress": "open",
    "to do": "open",
    "waiting for support": "open",
    "awaiting user info": "pending",
    "awaiting customer": "pending",
    "waiting on customer": "pending",
    "waiting for customer": "pending",
    "waiting on third party": "on-hold",
    "done": "resolved",
    "открыт": "open",
    "в работе": "open",
    "закрыт": "closed",
    "решен": "solved",
    "решён": "solved",
}
# Role words: svcaudit's own, and those of the presets' helpdesks (Intercom's admin, user, lead).
ROLE_WORDS: dict[str, str] = {
    **{word: role.value for word, role in ROLE_SYNONYMS.items()},
    **{
        word: role
        for preset in PRESETS.values()
        for word, role in preset.values.get("author_role", {}).items()
        if word not in ("true", "false")
    },
    "end_user": "customer",
    "end-user": "customer",
    "contact": "customer",
    "admin": "agent",
    "teammate": "agent",
    "inbound": "customer",
    "outbound": "agent",
}
# An `inbound` flag: true is the customer writing in (Twitter's inbound, a direction column).
INBOUND_WORDS = {"true": "customer", "1": "customer", "yes": "customer", "false": "agent", "0": "agent", "no": "agent"}
INBOUND_NAMES = frozenset({"inbound", "is_inbound"})
PART_TYPE = "part_type"
# Priority names beyond the presets' (ServiceNow's 3 - Moderate and 5 - Planning).
PRIORITY_EXTRA = {"moderate": "normal", "planning": "low"}
# `1 - Critical` (ServiceNow), `P2`, `High`: a priority word after an optional rank.
_RANKED = re.compile(r"^\s*\d+\s*[-–.:)]\s*")
CSAT_WORDS = dict(PRESETS["zendesk"].values["csat"])

TIME_SHARE = 0.8  # share of a column's values that must read as timestamps
NAME_SHARE = 0.8  # share of a name column's values that must hold a letter
EPOCH_DIGITS = 9  # a bare number is a timestamp only when it is epoch-sized
_LETTER = re.compile(r"[^\W\d_]")
_PROBE_ZONE = timezone(timedelta(hours=5))  # reads a naive time differently from UTC


@dataclass
class Fit:
    """Whether a column's values fit a field: the value table to read them, the values left over."""

    fits: bool
    values: dict[str, str] = field(default_factory=dict)  # export value -> canonical value
    unknown: list[str] = field(default_factory=list)  # values the field does not know
    why: str = ""  # when it does not fit: in words, for stderr and the YAML comment


def _table(values: Iterable[str], words: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The value table (the values spelled otherwise than their canonical word) and the values
    the words do not know."""
    table: dict[str, str] = {}
    unknown: list[str] = []
    for value in values:
        folded = value.strip().casefold()
        word = words.get(folded)
        if word is None:
            unknown.append(value)
        elif folded != word:
            table[value] = word
    return table, unknown


def fit_role(column: str, values: list[str]) -> Fit:
    """author_role: every value a role word, and at least two roles (a conversation has two sides)."""
    words = INBOUND_WORDS if column in INBOUND_NAMES else ROLE_WORDS
    table, unknown = _table(values, words)
    roles = {words[v.strip().casefold()] for v in values if v.strip().casefold() in words}
    if unknown:
        return Fit(False, unknown=unknown, why="not all values are roles (customer, agent, bot, system)")
    if len(roles) < 2:
        return Fit(
            False,
            why=f"one role only ({', '.join(sorted(roles)) or 'none'}): a "
            "conversation has a customer side and an agent side",
        )
    if column in INBOUND_NAMES:  # true/false are not role words: the table says what they mean
        table = {v: words[v.strip().casefold()] for v in values}
    return Fit(True, table)


def fit_status(values: list[str]) -> Fit:
    table, unknown = _table(values, STATUS_SYNONYMS)
    if len(unknown) == len(values):
        return Fit(False, unknown=unknown, why="no value is a status svcaudit knows")
    return Fit(True, table, unknown)


def priority_word(value: str) -> str | None:
    """The canonical priority of `High`, `P2`, `1 - Critical`; None when unknown."""
    text = value.strip().casefold()
    words = {**PRIORITY_WORDS, **PRIORITY_EXTRA}
    return words.get(text) or words.get(_RANKED.sub("", text))


def fit_priority(values: list[str]) -> Fit:
    table: dict[str, str] = {}
    unknown: list[str] = []
    for value in values:
        word = priority_word(value)
        if word is None:
            unknown.append(value)
        elif value.strip().casefold() != word:
            table[value] = word
    if len(unknown) == len(values):
        return Fit(False, unknown=unknown, why="no value is a priority (urgent, high, normal, low)")
    return Fit(True, table, unknown)


def fit_public(column: str, values: list[str]) -> Fit:
    """A public/internal flag: every value one of the words svcaudit reads as one. Intercom's
    `part_type` names the kind of part: read as the preset reads it (a note or a workflow part is
    no reply)."""
    unknown = [v for v in values if v.strip().casefold() not in PUBLIC_WORDS]
    if column == PART_TYPE and values and all(v.strip().casefold() in INTERCOM_PART_TYPES for v in values):
        return Fit(True, {v: INTERCOM_PART_TYPES[v.strip().casefold()] for v in unknown})
    if unknown:
        return Fit(
            False,
            unknown=unknown,
            why="not all values are public/internal flags; internal "
            "notes count as replies until input.values maps them",
        )
    return Fit(True)


def fit_score(metric: str, values: list[str]) -> Fit:
    low, high = SCORE_SCALES[metric]
    words = CSAT_WORDS if metric == "csat" else {}
    table: dict[str, str] = {}
    unknown: list[str] = []
    for value in values:
        folded = value.strip().casefold()
        if folded in words:
            if words[folded]:
                table[value] = words[folded]
            continue
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            unknown.append(value)
            continue
        if not low <= number <= high:
            unknown.append(value)
    if unknown:
        return Fit(False, unknown=unknown, why=f"not all values are {metric} answers ({low:g}-{high:g})")
    return Fit(True, table)


def fit_whole_numbers(values: list[str]) -> Fit:
    unknown = [v for v in values if not v.strip().isdigit()]
    if unknown:
        return Fit(False, unknown=unknown, why="not all values are whole numbers")
    return Fit(True)


def fit_name(values: list[str]) -> Fit:
    """A person's name holds letters; a column of ids is not a name `{customer_name}` can use."""
    named = sum(1 for v in values if _LETTER.search(v))
    if not values or named / len(values) < NAME_SHARE:
        return Fit(False, unknown=values, why="the values are ids or numbers, not names")
    return Fit(True)


class TimeReader:
    """Which values read as timestamps (in either day/month order), and whether they carry an
    offset."""

    def __init__(self) -> None:
        self._month_first = TimestampParser(timezone.utc)
        self._day_first = TimestampParser(timezone.utc, day_first=True)
        self._probe = TimestampParser(_PROBE_ZONE)

    def reads(self, value: str) -> bool:
        text = value.strip()
        if text.isdigit() and len(text) < EPOCH_DIGITS:
            return False
        for parser in (self._month_first, self._day_first):
            try:
                parser.parse(text)
            except TimestampError:
                continue
            return True
        return False

    def has_offset(self, value: str) -> bool:
        """Whether the value names its instant (an offset, `Z`, epoch seconds), not a wall time."""
        try:
            return self._month_first.parse(value) == self._probe.parse(value)
        except TimestampError:
            return False

    def fit(self, values: list[str]) -> Fit:
        read = sum(1 for v in values if self.reads(v))
        if not values or read / len(values) < TIME_SHARE:
            bad = [v for v in values if not self.reads(v)]
            return Fit(False, unknown=bad, why="the values are not timestamps")
        return Fit(True)
