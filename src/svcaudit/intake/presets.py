"""Presets: the column and value mappings of the exports people actually have.

A preset is what a standard's `input:` section would otherwise spell out: which export column (or
dotted path into JSON) holds each canonical field, how the export's values read as canonical ones,
where an API's envelope keeps the rows (`records`), where a nested transcript keeps its messages
(`messages`), and which field-history table gives the status events (`history`). `input.columns` and
`input.values` in a standard override a preset's entries one by one. `detect_preset` recognises a
preset by its `signature`, the columns an export of that tool always has, for `svcaudit init --from
EXPORT` and for `check` without a standard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from svcaudit import reasons
from svcaudit.intake.columns import loose_key
from svcaudit.intake.tables import HistoryLayout, Join, TableShape, TableSpec, merged

# Priority names of the common helpdesks, read as svcaudit's urgent / high / normal / low.
PRIORITY_WORDS = {
    "urgent": "urgent",
    "critical": "urgent",
    "highest": "urgent",
    "blocker": "urgent",
    "p1": "urgent",
    "high": "high",
    "major": "high",
    "p2": "high",
    "normal": "normal",
    "medium": "normal",
    "p3": "normal",
    "low": "low",
    "lowest": "low",
    "minor": "low",
    "trivial": "low",
    "p4": "low",
    "p5": "low",
}


# Intercom's conversation part types: a comment (or a close/open with a message) is what the
# customer sees; a note is internal, and workflow parts (assignments, snoozes) are no reply either.
INTERCOM_PART_TYPES = {
    "comment": "true",
    "close": "true",
    "open": "true",
    "quick_reply": "true",
    "note": "false",
    "note_and_reopen": "false",
    "assignment": "false",
    "away_mode_assignment": "false",
    "default_assignment": "false",
    "snoozed": "false",
    "unsnoozed": "false",
    "timer_unsnooze": "false",
    "participant_added": "false",
    "participant_removed": "false",
    "conversation_rating_changed": "false",
    "conversation_attribute_updated_by_admin": "false",
    "language_detection_details": "false",
}


@dataclass(frozen=True)
class MessagesLayout:
    """A nested transcript as `input.messages` declares it: where the messages are, and where a
    message keeps its parts.

    `path` names the list of messages inside each conversation object (dotted); inside a message,
    `role`, `text`, `time`, `author` and `public` are keys or list indexes (ABCD writes a message
    as ["agent", "Hi!"], so role is `0` and text `1`). Without `time`, the conversation has an
    order but no clock: response-time rules are not applicable to it.
    """

    path: str
    role: str
    text: str
    time: str | None = None
    author: str | None = None
    public: str | None = None

    @classmethod
    def from_mapping(cls, spec: Mapping[str, str]) -> MessagesLayout:
        """The layout as `input.messages` writes it (schema-valid: path, role and text given)."""
        optional = {name: None if spec.get(name) is None else str(spec[name]) for name in ("time", "author", "public")}
        return cls(str(spec["path"]), str(spec["role"]), str(spec["text"]), **optional)

    def parts(self) -> dict[str, str]:
        """canonical message field -> path inside a message, for the parts that are declared."""
        found = {
            "author_role": self.role,
            "text": self.text,
            "created_at": self.time,
            "author": self.author,
            "public": self.public,
        }
        return {name: path for name, path in found.items() if path is not None}


@dataclass(frozen=True)
class NestedLayout:
    """A nested transcript resolved for reading: the conversation's id and ticket fields (paths
    from `input.columns`) and its messages (`MessagesLayout`)."""

    ticket_id: str
    messages: MessagesLayout
    fields: Mapping[str, str] = field(default_factory=dict)  # canonical ticket field -> path

    @property
    def timed(self) -> bool:
        return self.messages.time is not None


# `input.history: rows`: each ticket row is one update of an event log (ServiceNow's audit of a
# table, a daily snapshot): its status at its `updated_at` is a status event.
HISTORY_FROM_ROWS = "rows"


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    shape: str  # tickets, messages, nested, tables (several) or any
    columns: Mapping[str, str] = field(default_factory=dict)  # canonical field -> export column
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    signature: frozenset[str] = frozenset()  # export columns that identify the tool's export
    # (id column, parent column): without a conversation column, messages are threaded into
    # conversations by following each message's parent to the root (Twitter's in_response_to).
    thread: tuple[str, str] | None = None
    records: str | None = None  # the rows' array in a JSON envelope (`input.records`)
    messages: MessagesLayout | None = None  # a nested transcript (`input.messages`)
    history: HistoryLayout | None = None  # a field-history table read beside the tickets
    notes: str = ""
    # A warehouse sync's related tables (`input.tables`): a preset of several tables.
    tables: tuple[TableSpec, ...] = ()

    @property
    def signatures(self) -> tuple[frozenset[str], ...]:
        """The column sets that identify a file of this preset: its export, its history table."""
        return tuple(s for s in (self.signature, self.history.columns if self.history else None) if s)


def _freeze(values: dict[str, dict[str, str]]) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({k: MappingProxyType(v) for k, v in values.items()})


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("generic", "svcaudit's canonical columns", "any"),
        Preset(
            "zendesk",
            "Zendesk Support ticket export (CSV)",
            "tickets",
            columns={
                "ticket_id": "Id",
                "created_at": "Created at",
                "resolved_at": "Solved at",
                "status": "Status",
                "priority": "Priority",
                "channel": "Via",
                "agent": "Assignee",
                "team": "Group",
                "customer_name": "Requester",
                "reopens": "Reopens",
                "csat": "Satisfaction Score",
                "zendesk_first_reply_minutes": "First reply time in minutes",
                "zendesk_first_reply_business_minutes": "First reply time in minutes within business hours",
                "zendesk_full_resolution_minutes": "Full resolution time in minutes",
                "zendesk_full_resolution_business_minutes": "Full resolution time in minutes within business hours",
                "zendesk_requester_wait_minutes": "Requester wait time in minutes",
            },
            values=_freeze(
                {
                    "priority": dict(PRIORITY_WORDS),
                    # Zendesk's satisfaction is good/bad: read as the ends of the 1-5 scale.
                    "csat": {
                        "good": "5",
                        "good with comment": "5",
                        "bad": "1",
                        "bad with comment": "1",
                        "offered": "",
                        "unoffered": "",
                    },
                    "channel": {"web form": "web", "web widget": "chat", "mail": "email", "api": "api"},
                }
            ),
            signature=frozenset({"Id", "Created at", "Status", "Requester", "Assignee"}),
            notes="Zendesk's own metric columns are kept as zendesk_* fields, so a helpdesk_agreement "
            "rule can compare them with svcaudit's recomputation.",
        ),
        Preset(
            "freshdesk",
            "Freshdesk ticket export (CSV)",
            "tickets",
            columns={
                "ticket_id": "Ticket ID",
                "created_at": "Created time",
                "first_reply_at": "Initial response time",
                "resolved_at": "Resolved time",
                "status": "Status",
                "priority": "Priority",
                "channel": "Source",
                "agent": "Agent",
                "team": "Group",
                "customer_name": "Full name",
                "freshdesk_first_response_hours": "First response time (in hrs)",
                "freshdesk_resolution_hours": "Resolution time (in hrs)",
            },
            values=_freeze(
                {
                    "priority": dict(PRIORITY_WORDS),
                    "status": {"waiting on customer": "pending", "waiting on third party": "on-hold"},
                    "channel": {"portal": "web", "feedback widget": "web", "outbound email": "email"},
                }
            ),
            signature=frozenset({"Ticket ID", "Created time", "Resolved time", "Agent", "Source"}),
        ),
        Preset(
            "jira",
            "Jira Service Management issue export (CSV)",
            "tickets",
            columns={
                "ticket_id": "Issue key",
                "created_at": "Created",
                "resolved_at": "Resolved",
                "status": "Status",
                "priority": "Priority",
                "agent": "Assignee",
                "team": "Team",
                "customer_name": "Reporter",
                "channel": "Customer Request Type",
                "csat": "Satisfaction rating",
            },
            values=_freeze(
                {
                    "priority": dict(PRIORITY_WORDS),
                    "status": {
                        "done": "resolved",
                        "resolved": "resolved",
                        "closed": "closed",
                        "waiting for customer": "pending",
                        "pending": "pending",
                        "waiting for support": "open",
                        "in progress": "open",
                        "to do": "open",
                    },
                }
            ),
            signature=frozenset({"Issue key", "Issue id", "Summary", "Created", "Reporter"}),
        ),
        Preset(
            "intercom",
            "Intercom conversation parts / chat transcripts (CSV, JSON Lines)",
            "messages",
            columns={
                "ticket_id": "Conversation ID",
                "created_at": "Created at",
                "author_role": "Author type",
                "author": "Author name",
                "text": "Body",
                "status": "State",
                "public": "Part type",
            },
            values=_freeze(
                {
                    "author_role": {
                        "user": "customer",
                        "lead": "customer",
                        "contact": "customer",
                        "visitor": "customer",
                        "admin": "agent",
                        "teammate": "agent",
                        "bot": "bot",
                        "operator": "bot",
                        "fin": "bot",
                    },
                    "public": INTERCOM_PART_TYPES,
                }
            ),
            signature=frozenset({"Conversation ID", "Author type", "Body"}),
        ),
        Preset(
            "twcs",
            "Customer Support on Twitter (twcs): tweets threaded into conversations",
            "messages",
            columns={
                "ticket_id": "main_tweet_id",
                "created_at": "created_at",
                "author_role": "inbound",
                "author": "author_id",
                "text": "text",
            },
            values=_freeze({"author_role": {"true": "customer", "false": "agent"}}),
            signature=frozenset({"tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id"}),
            thread=("tweet_id", "in_response_to_tweet_id"),
            notes="A conversation is main_tweet_id; in the original dataset, which has no such column, "
            "it is the root of the in_response_to_tweet_id chain. Brand tweets (inbound False) are "
            "the agent side.",
        ),
        Preset(
            "abcd",
            "ABCD (Action-Based Conversations Dataset): nested JSON chats",
            "nested",
            columns={
                "ticket_id": "convo_id",
                "customer_name": "scenario.personal.customer_name",
                "channel": "scenario.flow",
            },
            messages=MessagesLayout(path="original", role="0", text="1"),
            values=_freeze({"author_role": {"action": "system"}}),
            signature=frozenset({"convo_id", "scenario", "original"}),
            notes="Messages are [speaker, text] pairs without timestamps: phrase rules apply, "
            "response-time rules are not applicable.",
        ),
        Preset(
            "zendesk-api",
            "Zendesk Tickets API (JSON) and the ticket_field_history table",
            "tickets",
            records="tickets",
            columns={
                "ticket_id": "id",
                "created_at": "created_at",
                "updated_at": "updated_at",
                "status": "status",
                "priority": "priority",
                "channel": "via.channel",
                "agent": "assignee_id",
                "team": "group_id",
                "customer_name": "requester_id",
                "csat": "satisfaction_rating.score",
            },
            values=_freeze(
                {
                    "priority": dict(PRIORITY_WORDS),
                    "csat": {"good": "5", "bad": "1", "offered": "", "unoffered": ""},
                    "status": {"hold": "on-hold"},
                }
            ),
            history=HistoryLayout(ticket="ticket_id", field="field_name", value="value", time="updated"),
            signature=frozenset({"id", "via.channel", "requester_id", "submitter_id", "assignee_id", "group_id"}),
            notes='Reads GET /api/v2/tickets answers ({"tickets": [...], "next_page": ...}) and the '
            "same columns synced to a warehouse (via_channel for via.channel); a "
            "ticket_field_history table (ticket_id, field_name, value, updated) given beside them "
            "gives the status events, so resolution, pauses and reopens come from the history.",
        ),
        Preset(
            "freshdesk-api",
            "Freshdesk API v2 tickets (JSON, include=stats,requester)",
            "tickets",
            columns={
                "ticket_id": "id",
                "created_at": "created_at",
                "updated_at": "updated_at",
                "first_reply_at": "stats.first_responded_at",
                "resolved_at": "stats.resolved_at",
                "status": "status",
                "priority": "priority",
                "channel": "source",
                "agent": "responder_id",
                "team": "group_id",
                "customer_name": "requester.name",
            },
            # The API writes its choices as numbers (Freshdesk's documented defaults).
            values=_freeze(
                {
                    "status": {
                        "2": "open",
                        "3": "pending",
                        "4": "resolved",
                        "5": "closed",
                        "6": "pending",
                        "7": "on-hold",
                    },
                    "priority": {"1": "low", "2": "normal", "3": "high", "4": "urgent"},
                    "channel": {"1": "email", "2": "web", "3": "phone", "7": "chat", "9": "web", "10": "email"},
                }
            ),
            signature=frozenset({"id", "requester_id", "responder_id", "fr_due_by", "due_by", "source"}),
            notes="Freshdesk answers GET /api/v2/tickets with a bare array; ?include=stats adds "
            "stats.first_responded_at and stats.resolved_at, ?include=requester the requester's "
            "name. Statuses 6 and 7 are the common custom ones (waiting on customer, on third "
            "party): map yours with input.values.status.",
        ),
        Preset(
            "jira-history",
            "Jira issue and issue_field_history tables (warehouse sync)",
            "tickets",
            columns={
                "ticket_id": "id",
                "created_at": "created",
                "resolved_at": "resolved",
                "updated_at": "updated",
                "status": "status",
                "priority": "priority",
                "agent": "assignee",
                "customer_name": "reporter",
            },
            values=_freeze(
                {
                    # Jira's own priority ids (1 Highest … 5 Lowest) and the statuses of its built-in
                    # workflow; statuses a site adds have ids of 10000 and above.
                    "priority": {**PRIORITY_WORDS, "1": "urgent", "2": "high", "3": "normal", "4": "low", "5": "low"},
                    "status": {"1": "open", "3": "open", "4": "open", "5": "resolved", "6": "closed"},
                }
            ),
            history=HistoryLayout(ticket="issue_id", field="field_id", value="value", time="time"),
            signature=frozenset({"id", "key", "created", "issue_type", "reporter", "project"}),
            notes="issue_field_history (field_id, issue_id, time, value) gives the status events. Jira "
            "keeps statuses as ids: those of its built-in workflow (1, 3, 4 open, 5 resolved, "
            "6 closed) are read; map the others with input.values.status (the status table's "
            "id -> name).",
        ),
    )
}


def _table(name: str, shape: TableShape, **entries: Any) -> TableSpec:
    """A table of a warehouse preset; `values` frozen, `joins` given as (on, table, fields)."""
    entries["values"] = _freeze(entries.get("values", {}))
    entries["joins"] = tuple(
        Join(on, table, MappingProxyType(fields)) for on, table, fields in entries.get("joins", ())
    )
    for key in ("columns", "fields"):
        entries[key] = MappingProxyType(entries.get(key, {}))
    entries["signature"] = frozenset(entries.get("signature", ()))
    return TableSpec(name, shape, **entries)


_ZENDESK_API = PRESETS["zendesk-api"]
_JIRA_HISTORY = PRESETS["jira-history"]
_INTERCOM = PRESETS["intercom"]
# Jira's status names as svcaudit reads them (the `status` table turns ids into these names).
JIRA_STATUS_NAMES = dict(PRESETS["jira"].values["status"])
WAREHOUSE_PRESETS = (
    Preset(
        "zendesk-warehouse",
        "Zendesk tables synced to a warehouse (ticket, ticket_comment, user, ticket_field_history)",
        "tables",
        signature=frozenset({"id", "via_channel", "requester_id", "submitter_id", "assignee_id", "group_id"}),
        tables=(
            _table(
                "ticket",
                TableShape.TICKETS,
                columns={**_ZENDESK_API.columns, "channel": "via_channel", "csat": "satisfaction_rating_score"},
                values={k: dict(v) for k, v in _ZENDESK_API.values.items()},
                joins=(("agent", "user", {"agent": "name"}), ("customer_name", "user", {"customer_name": "name"})),
                signature={"id", "via_channel", "requester_id", "submitter_id", "assignee_id", "group_id"},
            ),
            _table(
                "ticket_comment",
                TableShape.MESSAGES,
                columns={
                    "ticket_id": "ticket_id",
                    "created_at": "created",
                    "text": "body",
                    "public": "public",
                    "author": "user_id",
                },
                joins=(("author", "user", {"author_role": "role", "author": "name"}),),
                signature={"ticket_id", "user_id", "created", "body", "public"},
            ),
            _table(
                "user",
                TableShape.LOOKUP,
                fields={"role": "role", "name": "name"},
                values={"role": {"end-user": "customer", "agent": "agent", "admin": "agent"}},
                signature={"id", "name", "role", "email"},
            ),
            _table("ticket_field_history", TableShape.HISTORY, history=_ZENDESK_API.history),
        ),
        notes="A comment's author is a user id: the user table gives its role (end-user is the "
        "customer, agent and admin are agents) and name, so first reply is measured from "
        "the comments; the assignee and requester ids read as names the same way. The "
        "field history gives the status events.",
    ),
    Preset(
        "jira-warehouse",
        "Jira tables synced to a warehouse (issue, issue_field_history, status, priority)",
        "tables",
        signature=_JIRA_HISTORY.signature,
        tables=(
            # The reporter is an account id, not a name: read as the requester, whose comments
            # are the customer's (Jira Service Management), never as the customer's name.
            _table(
                "issue",
                TableShape.TICKETS,
                columns={
                    **{f: c for f, c in _JIRA_HISTORY.columns.items() if f != "customer_name"},
                    "requester_id": "reporter",
                },
                values={"status": JIRA_STATUS_NAMES, "priority": dict(PRIORITY_WORDS)},
                joins=(("status", "status", {"status": "name"}), ("priority", "priority", {"priority": "name"})),
                signature=_JIRA_HISTORY.signature,
            ),
            _table(
                "issue_field_history",
                TableShape.HISTORY,
                history=_JIRA_HISTORY.history,
                joins=(("status", "status", {"status": "name"}),),
            ),
            _table(
                "comment",
                TableShape.MESSAGES,
                columns={
                    "ticket_id": "issue_id",
                    "created_at": "created",
                    "text": "body",
                    "public": "is_public",
                    "author": "author_id",
                },
                requester_is_customer=True,
                signature={"issue_id", "author_id", "body", "created", "is_public"},
            ),
            _table(
                "status", TableShape.LOOKUP, fields={"name": "name"}, signature={"id", "name", "status_category_id"}
            ),
            _table("priority", TableShape.LOOKUP, fields={"name": "name"}, signature={"id", "name", "description"}),
        ),
        notes="Statuses and priorities are ids: the status and priority tables turn them into "
        "names (a site's own statuses included), read as svcaudit's statuses and "
        "priorities; an id neither table has is a rejected field. A comment by the "
        "issue's reporter is the customer's, any other public comment an agent's reply.",
    ),
    Preset(
        "intercom-warehouse",
        "Intercom tables synced to a warehouse (conversation_history, conversation_part_history, admin)",
        "tables",
        signature=frozenset({"id", "updated_at", "created_at", "state", "assignee_id", "source_author_type"}),
        tables=(
            _table(
                "conversation_history",
                TableShape.TICKETS,
                history="rows",
                columns={
                    "ticket_id": "id",
                    "created_at": "created_at",
                    "updated_at": "updated_at",
                    "status": "state",
                    "agent": "assignee_id",
                    "priority": "priority",
                },
                values={"status": {"snoozed": "pending"}, "priority": {"priority": "high", "not_priority": "normal"}},
                joins=(("agent", "admin", {"agent": "name"}),),
                signature={"id", "updated_at", "created_at", "state", "assignee_id", "source_author_type"},
            ),
            _table(
                "conversation_part_history",
                TableShape.MESSAGES,
                columns={
                    "ticket_id": "conversation_id",
                    "created_at": "created_at",
                    "author_role": "author_type",
                    "text": "body",
                    "public": "part_type",
                },
                values={k: dict(v) for k, v in _INTERCOM.values.items()},
                signature={"conversation_id", "author_type", "part_type", "body", "created_at"},
            ),
            _table("admin", TableShape.LOOKUP, fields={"name": "name"}, signature={"id", "name", "email", "job_title"}),
        ),
        notes="conversation_history keeps one row per update of a conversation: each row's state "
        "is a status event and the latest row the conversation (history: rows); the parts "
        "are its messages; the admin table turns the assignee id into a name.",
    ),
)
PRESETS.update((p.name, p) for p in WAREHOUSE_PRESETS)


def get_preset(name: str) -> Preset | None:
    return PRESETS.get(name)


def describe_preset(preset: Preset) -> list[str]:
    """What `svcaudit presets` shows of a preset: the tables and columns it reads, and how its
    files are recognised. The first line is `name<TAB>title (shape)`; the others are indented."""
    lines = [f"{preset.name}\t{preset.title} ({preset.shape})"]
    if preset.records:
        lines.append(f"    JSON rows: the array {preset.records!r} of an API answer (else the document's own)")
    if preset.columns:
        lines.append("    columns: " + ", ".join(f"{name} <- {column}" for name, column in preset.columns.items()))
    elif not preset.tables:
        lines.append("    columns: svcaudit's canonical names (ticket_id, created_at, author_role, text, ...)")
    if preset.messages:
        parts = ", ".join(
            f"{key} {path}"
            for key, path in (
                ("role", preset.messages.role),
                ("text", preset.messages.text),
                ("time", preset.messages.time),
                ("author", preset.messages.author),
            )
            if path is not None
        )
        lines.append(f"    messages: the list {preset.messages.path!r} of each conversation ({parts})")
    if preset.thread:
        lines.append(f"    threads: {preset.thread[0]} replying to {preset.thread[1]}")
    for table in preset.tables:
        lines.append(f"    table {table.name} ({table.shape.value}): " + _table_reads(table))
    if preset.history:
        history = preset.history
        lines.append(
            f"    history table: {history.ticket}, {history.field}, {history.value}, {history.time} "
            f"(rows whose {history.field} is {history.status_value!r} are status events)"
        )
    for field_name, value_table in preset.values.items():
        shown = ", ".join(
            f"{raw} -> {canonical or '(empty)'}" for raw, canonical in value_table.items() if raw != canonical
        )
        if shown and field_name != "priority":
            lines.append(f"    values of {field_name}: {shown}")
    if preset.signatures and not preset.tables:
        lines.append("    recognised by: " + "; ".join(", ".join(sorted(s)) for s in preset.signatures))
    if preset.notes:
        lines.append("    " + preset.notes)
    return lines


def _table_reads(table: TableSpec) -> str:
    """What one table of a warehouse preset reads, and what it joins, in one line."""
    if table.shape is TableShape.LOOKUP:
        said = f"{table.key} -> " + ", ".join(table.fields.values())
    elif table.history is not None and not isinstance(table.history, str):
        history = table.history
        said = f"{history.ticket}, {history.field}, {history.value}, {history.time}"
    else:
        said = ", ".join(f"{name} <- {column}" for name, column in table.columns.items())
        if table.history is not None:
            said += "; one row per update (history: rows)"
    for join in table.joins:
        said += f"; {join.key} joins {join.table} for " + ", ".join(
            f"{target} <- {kept}" for target, kept in join.fields.items()
        )
    return said


# A preset is chosen when the export has at least this share of its signature columns.
MATCH_SHARE = 0.75


@dataclass(frozen=True)
class PresetMatch:
    """How well an export's columns match a preset's signature, and which of them it lacks."""

    preset: Preset
    columns_matched: int
    missing: tuple[str, ...]  # signature columns not in the export, spelled as the preset does
    signature: frozenset[str] | None = None  # the one matched (a history table's); None: the export's

    @property
    def columns_expected(self) -> int:
        return len(self.preset.signature if self.signature is None else self.signature)

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
        lacking = (
            f"; rules and figures that need {', '.join(fields)} will not be measured"
            if fields
            else "; svcaudit does not read it, so every figure is still measured"
        )
        return f"missing {', '.join(named)}{lacking}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.preset.name,
            "columns_matched": self.columns_matched,
            "columns_expected": self.columns_expected,
            "missing_columns": list(self.missing),
        }


def preset_summary(name: str, matched: int, expected: int) -> str:
    """How every format names the preset an input was read with."""
    return f"read as preset {name}: {matched} of {expected} columns"


def detect_preset(columns: Iterable[str], is_json: bool = True) -> PresetMatch | None:
    """The preset whose signature the columns match best (at least MATCH_SHARE of it), if any.

    An API preset (one that reads its rows from a JSON envelope, `records`) describes JSON: a CSV
    table with the same column names (a warehouse sync) is not read with its mapping, which
    assumes the API's values, unless `is_json`.

    Names are compared by `columns.loose_key`: a UI export's `Conversation ID` is the warehouse
    table's `conversation_id`. On a tie the larger signature matched wins (more
    evidence), then the order of PRESETS.
    """
    present = {loose_key(c) for c in columns}
    best: PresetMatch | None = None
    for preset in PRESETS.values():
        if preset.tables:
            continue  # several tables: a folder's files are matched table by table (`tables`)
        for signature in preset.signatures:
            if preset.records and signature is preset.signature and not is_json:
                continue
            ordered = sorted(signature)
            missing = tuple(c for c in ordered if loose_key(c) not in present)
            match = PresetMatch(
                preset, len(ordered) - len(missing), missing, None if signature is preset.signature else signature
            )
            if match.share < MATCH_SHARE:
                continue
            if best is None or (match.share, match.columns_matched) > (best.share, best.columns_matched):
                best = match
    return best


def table_with_preset(table: TableSpec) -> TableSpec:
    """The table with its preset's entries beneath its own: a single-table preset's columns,
    values, history and records, or, for a preset of several tables, its table of this name."""
    preset = get_preset(table.preset) if table.preset else None
    if preset is None:
        return table
    base = next((t for t in preset.tables if t.name == table.name), None)
    if base is None:
        base = TableSpec(
            table.name,
            table.shape,
            columns=preset.columns,
            values=preset.values,
            history=preset.history,
            records=preset.records,
            signature=preset.signature,
        )
    return merged(base, table)


def effective_tables(preset_tables: Sequence[TableSpec], declared: Sequence[TableSpec]) -> tuple[TableSpec, ...]:
    """The tables of an audit: the input preset's, each overridden by the declared table of its
    name, then the declared tables it lacks; each with its own preset filled in."""
    by_name = {t.name: t for t in preset_tables}
    for table in declared:
        held = by_name.get(table.name)
        by_name[table.name] = table if held is None else merged(held, table)
    return tuple(table_with_preset(t) for t in by_name.values())


def partly_matched(path: object, match: PresetMatch) -> str:
    """The warning for an export that has only some of its preset's columns."""
    return reasons.PRESET_PARTLY.text(
        path=path,
        count=match.columns_matched,
        expected=match.columns_expected,
        preset=match.preset.name,
        missing=match.unmeasured(),
    )
