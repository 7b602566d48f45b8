"""The reasons catalogue: every not-applicable reason, rejection and warning svcaudit writes, typed.

A `Reason` has a stable `type` (`needs-message-rows`, `field-not-a-timestamp`), a kind, a message
template with named parameters and a one-line doc. The code that makes such a text asks its entry
for it (`Reason.text`), so each text is worded once, here; results keep the plain texts (hot paths
and partial results hold strings), and `classify` tells a text's entry from the text alone: the JSON
report carries the type beside each text, and reports group reasons by type.
A leaf module: it imports nothing of svcaudit, so every stage may use it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# What a parameter matches when its reason does not say: names that hold a count, a field name or
# a quoted value match only those, so that two templates never read the same text.
_PARAMETER = re.compile(r"\{(\w+)\}")
_ANY = r".+?"
_COUNT = r"[\d,]+"
_NAME = r"[^\s]+"
_QUOTED = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
PARAMETER_PATTERNS = {
    "count": _COUNT,
    "read": _COUNT,
    "line": _COUNT,
    "first": _COUNT,
    "last": _COUNT,
    "row": _COUNT,
    "width": _COUNT,
    "year": _COUNT,
    "length": _COUNT,
    "field": _NAME,
    "column": _NAME,
    "key": _QUOTED,
    "ticket_id": _QUOTED,
    "value": _QUOTED,
    "fields": r"[\w.]+(?:, [\w.]+)*",
}


class Kind(str, enum.Enum):
    """What a reason explains: a rule that cannot judge a ticket, an input row or field left out,
    or something every format warns of."""

    NOT_APPLICABLE = "not-applicable"
    REJECTION = "rejection"
    WARNING = "warning"


@dataclass(frozen=True, eq=False)  # one object per entry: equal and hashed by identity
class Reason:
    """One entry of the catalogue. `template` is a `str.format` text whose `{name}` parameters the
    caller fills with text already shown as it should read (quoted, cut, counted)."""

    type: str
    kind: Kind
    template: str
    doc: str
    patterns: dict[str, str] = field(default_factory=dict)  # a parameter's regex, where its name's is not right
    # The template's longest stretch of literal text: a text without it is not this reason, which
    # a substring test tells far sooner than the regex.
    anchor: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "anchor", max(_PARAMETER.split(self.template)[::2], key=len))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The template as a regex, compiled when first asked for: most commands never read a
        reason back, and compiling the whole catalogue would be a tenth of `validate`'s start."""
        return _compile(self.template, self.patterns)

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_PARAMETER.findall(self.template)))

    def text(self, **params: Any) -> str:
        """The reason worded with its parameters: `NO_TARGET.text(priority="P1")`."""
        return self.template.format(**params) if params else self.template

    @property
    def summary(self) -> str:
        """The template without its parameters: what a group of these reasons is called when the
        texts of the group differ."""
        bare = _SPACES.sub(" ", _PARAMETER.sub(" ", self.template)).strip(" :,;()")
        return bare or self.doc

    def matches(self, text: str) -> bool:
        return self.anchor in text and self.pattern.fullmatch(text) is not None


_SPACES = re.compile(r"\s+")


def _compile(template: str, patterns: dict[str, str]) -> re.Pattern[str]:
    """The template as a regex: its literal text escaped, each parameter a named group (a second
    use of a parameter must repeat the first)."""
    parts, seen, position = [], set(), 0
    for found in _PARAMETER.finditer(template):
        parts.append(re.escape(template[position : found.start()]))
        name = found.group(1)
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>{patterns.get(name) or PARAMETER_PATTERNS.get(name, _ANY)})")
        position = found.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


CATALOGUE: list[Reason] = []
REJECTIONS_TABLE_HEADER = "| type | reason | when |\n|---|---|---|"


def _entry(type_: str, kind: Kind, template: str, doc: str, **patterns: str) -> Reason:
    reason = Reason(type_, kind, template, doc, patterns)
    CATALOGUE.append(reason)
    return reason


NA, REJECTION, WARNING = Kind.NOT_APPLICABLE, Kind.REJECTION, Kind.WARNING

# -- not applicable: a rule that cannot judge a ticket ---------------------------------------------

NEEDS_MESSAGE_ROWS = _entry(
    "needs-message-rows", NA, "needs message rows", "the rule reads the conversation, and the export has none"
)
NEEDS_AUTHOR_ROLE = _entry(
    "needs-author-role",
    NA,
    "needs author_role (the messages do not say who wrote them)",
    "the rule turns on who wrote each message, and the export has no author_role column",
)
NEEDS_FIELDS = _entry("needs-field", NA, "needs {fields}", "a field the rule needs is empty or not in the export")
NEEDS_STATUS_EVENTS = _entry(
    "needs-status-events", NA, "needs status events", "the rule reads the ticket's status changes"
)
NEEDS_STATUS = _entry(
    "needs-status",
    NA,
    "needs status events, a status column or resolved_at",
    "whether the ticket is resolved is not in the export",
)
NEEDS_REOPENS = _entry(
    "needs-reopens",
    NA,
    "needs status events or a reopens column",
    "whether the ticket was reopened is not in the export",
)
NEEDS_FIRST_REPLY = _entry(
    "needs-first-reply", NA, "needs message rows or first_reply_at", "when the first reply came is not in the export"
)
NEEDS_TIMESTAMPS = _entry(
    "needs-timestamps", NA, "needs timestamps (the transcript has none)", "the conversation's messages have no times"
)
NEEDS_RESOLUTION_TIME = _entry(
    "needs-resolution-time",
    NA,
    "resolved, but not when: needs resolved_at or status events",
    "the ticket is resolved, but the export does not say when",
)
NEEDS_ANSWERS = _entry(
    "needs-answers",
    NA,
    "needs at least {minimum} {metric} answers, got {answers}",
    "a score rule's min_responses is not reached",
    minimum=_COUNT,
    metric=r"\w+",
    answers=_COUNT,
)
FIELD_REJECTED = _entry(
    "field-rejected",
    NA,
    "{field} rejected: stamped before created_at (see rejected)",
    "the field the rule needs was rejected (stamped before the ticket's creation)",
)
CREATED_AFTER_AS_OF = _entry(
    "created-after-as-of", NA, "created after --as-of", "the ticket did not exist yet at --as-of"
)
NOT_IN_SCOPE = _entry(
    "not-in-scope", NA, "not in scope ({field})", "the ticket's field does not meet the rule's `where`"
)
FIRST_REPLY_WITHIN = _entry(
    "condition-first-reply-within",
    NA,
    "condition not met: first reply within {limit}",
    "the rule's `when: first_reply_over` is not met",
)
REOPENED_UNMET = _entry(
    "condition-reopened",
    NA,
    "condition not met: {state}",
    "the rule's `when: reopened` is not met",
    state="(?:never )?reopened",
)
RESOLVED_UNMET = _entry(
    "condition-resolved",
    NA,
    "condition not met: {state}",
    "the rule's `when: resolved` is not met",
    state="(?:not )?resolved",
)
NO_TARGET = _entry(
    "no-target-for-priority",
    NA,
    "no target for priority {priority}",
    "the rule has no target for the ticket's priority",
)
NO_TRIGGER_MESSAGE = _entry("no-trigger-message", NA, "no trigger message", "no message holds the rule's trigger")
NO_MESSAGE_BY = _entry(
    "no-message-by-role", NA, "no {who} message", "the conversation has no message the rule reads", who=r"\w+"
)
SPAN_NOT_ENDED = _entry(
    "span-not-ended", NA, "not measurable yet: the span has not ended", "the measured span is still open at --as-of"
)
RESOLVED_WITHOUT_REPLY = _entry(
    "resolved-without-reply", NA, "resolved without a staff reply", "the ticket was closed before anyone replied"
)
REQUEST_NOT_IN_EXPORT = _entry(
    "request-not-in-export",
    NA,
    "the customer's request is not in the export",
    "the conversation starts with a staff message",
)
NO_FOLLOW_UP = _entry(
    "no-customer-follow-up",
    NA,
    "no customer message after a staff reply",
    "no customer message waits for a next reply",
)
NEVER_WAITED = _entry(
    "never-waited",
    NA,
    "the customer never waited on the support side",
    "no span of the ticket was the support side's turn",
)
# A helpdesk's own figure (`helpdesk_agreement`) that svcaudit cannot read as a duration.
FIGURE_EMPTY = _entry("figure-empty", NA, "{field} {value} is empty, not a duration", "the helpdesk's figure is blank")
FIGURE_NEGATIVE = _entry(
    "figure-negative",
    NA,
    "{field} {value} is negative; a duration is never below zero",
    "the helpdesk's figure is below zero",
)
FIGURE_AMBIGUOUS = _entry(
    "figure-ambiguous",
    NA,
    "{field} {value} is ambiguous: a thousands separator or a decimal comma? Write 1234 or 1.234",
    "the helpdesk's figure reads two ways",
)
FIGURE_NOT_A_DURATION = _entry(
    "figure-not-a-duration",
    NA,
    "{field} {value} is not a duration such as {forms}",
    "the helpdesk's figure is no duration",
)
FIGURE_NOT_A_NUMBER = _entry(
    "figure-not-a-number", NA, "{field} {value} is not a number", "the helpdesk's figure is no number"
)

# -- rejections: an input row, or one field of it, that cannot be read ----------------------------

ROW_WIDTH = _entry(
    "row-width",
    REJECTION,
    "row has {count} fields, the header has {width}",
    "a CSV row with more or fewer fields than the header",
)
ROW_WIDTH_QUOTE = _entry(
    "row-width-unbalanced-quote",
    REJECTION,
    "row has {count} fields, the header has {width} (the row runs over lines {first}-{last}: an unbalanced quote?)",
    "a CSV row of the wrong width that spans several lines",
)
UNCLOSED_QUOTE = _entry(
    "unclosed-quote",
    REJECTION,
    "a quote opened on line {first} is never closed: lines {first}-{last} (the end of the file) could not be read "
    "as rows",
    "a quote that runs to the end of the file",
)
MALFORMED_QUOTING = _entry(
    "malformed-quoting", REJECTION, "malformed quoting ({detail})", "a quote in the middle of a CSV value"
)
NOT_AN_OBJECT = _entry(
    "row-not-an-object",
    REJECTION,
    "{where} must be an object, not {found}",
    "a JSON array item or JSON Lines row that is not an object",
    where="an array item|a JSON Lines row",
)
INVALID_JSON_ROW = _entry("invalid-json-row", REJECTION, "invalid JSON: {detail}", "a JSON Lines row that is not JSON")
NUL_BYTE = _entry(
    "nul-byte", REJECTION, "contains a NUL byte (\\x00); the export is damaged or not text", "a NUL byte in a value"
)
UNDECODABLE_BYTES = _entry(
    "undecodable-bytes",
    REJECTION,
    "holds bytes that are not valid {encoding} ({bytes}); pass --encoding with the file's encoding",
    "bytes the file's encoding cannot decode",
    encoding=r"\S+",
    bytes=r"[0-9a-f]{2}(?: [0-9a-f]{2})*",
)
SURROGATE_ESCAPE = _entry(
    "lone-surrogate-escape",
    REJECTION,
    "holds a \\u escape of a lone surrogate, which is not text",
    "a JSON `\\u` escape of half a character",
)
LONE_SURROGATE = _entry(
    "lone-surrogate", REJECTION, "holds an invalid Unicode character (a lone surrogate)", "half a character in a value"
)
KEY_NOT_TEXT = _entry("key-not-text", REJECTION, "a key {problem}", "a JSON key holding bytes that are not text")
KEYS_CLASH = _entry(
    "keys-clash",
    REJECTION,
    "keys {first} and {second} would both be read as {field}; {remedy}",
    "two keys of a JSON row read as one field",
    first=_QUOTED,
    second=_QUOTED,
)
FIELD_EMPTY = _entry(
    "field-empty", REJECTION, "{field} is empty", "a field every row needs is blank (ticket_id, author_role)"
)
MESSAGE_NO_TIME = _entry(
    "message-no-created-at", REJECTION, "the message has no created_at", "a message without a time"
)
NOT_A_TIMESTAMP = _entry(
    "field-not-a-timestamp",
    REJECTION,
    "{value} is not a timestamp",
    "a value no timestamp form reads",
    value=_ANY,  # a JSON true or [] is shown as it is, unquoted
)
TIMESTAMP_TOO_LONG = _entry(
    "timestamp-too-long",
    REJECTION,
    "{value} is not a timestamp ({length} characters)",
    "a value too long to be a timestamp",
)
TIMESTAMP_EMPTY = _entry("timestamp-empty", REJECTION, "empty timestamp", "a blank timestamp where one is required")
TIMESTAMP_INVALID = _entry(
    "timestamp-invalid",
    REJECTION,
    "{value}: {detail}",
    "a timestamp whose date or time cannot exist (month 13)",
    detail=r"(?:year|month|day|hour|minute|second)\b.*",  # how `datetime` says what is out of range
)
TIMESTAMP_INCOMPLETE = _entry(
    "timestamp-incomplete",
    REJECTION,
    "{value} is not a complete timestamp (it needs a year, month and day)",
    "a time or a month without a full date",
)
TIMESTAMP_YEAR = _entry(
    "timestamp-year-out-of-range",
    REJECTION,
    "{value} is in the year {year}, outside {earliest}-{latest} (a placeholder or a typo?)",
    "a year no helpdesk export holds",
    earliest=_COUNT,
    latest=_COUNT,
)
EPOCH_OUT_OF_RANGE = _entry(
    "epoch-out-of-range", REJECTION, "{value} is out of range for an epoch timestamp", "an epoch number too large"
)
ZONE_NAME = _entry(
    "zone-name",
    REJECTION,
    "time zone name {value} is not understood; write an offset such as +03:00",
    "a zone abbreviation (EST, MSK) that names no one offset",
)
DATE_ORDER_UNDECIDED = _entry(
    "date-order-undecided",
    REJECTION,
    "{value}: the day/month order of this column was not decided; set input.date_order",
    "a slash date in a column whose order was never decided",
)
STAMPED_BEFORE_CREATION = _entry(
    "stamped-before-creation",
    REJECTION,
    "{field} {stamp} is before created_at {created_at}",
    "a reply or resolution time before the ticket's creation (the field is rejected, the row kept)",
)
MESSAGE_BEFORE_TICKET = _entry(
    "message-before-ticket",
    REJECTION,
    "message stamped {stamp}, before its ticket was created ({created_at})",
    "a message older than its ticket",
)
NOT_A_FLAG = _entry(
    "not-a-public-flag",
    REJECTION,
    "{value} is not a {field} flag (true/false, yes/no, 1/0, public/internal); map export values with "
    "input.values.{field}",
    "a public/private flag svcaudit does not know",
)
UNKNOWN_ROLE = _entry(
    "unknown-author-role",
    REJECTION,
    "{value} is not one of customer, agent, bot, system (map export values with input.values.author_role)",
    "an author_role svcaudit does not know",
)
NOT_A_WHOLE_NUMBER = _entry(
    "not-a-whole-number", REJECTION, "{value} is not a whole number", "reopens that is no number"
)
NEGATIVE_WHOLE_NUMBER = _entry(
    "not-a-count", REJECTION, "{value} is not a whole number >= 0", "reopens below zero or with a fraction"
)
NOT_A_NUMBER = _entry("not-a-number", REJECTION, "{value} is not a number", "a score that is no number")
OUTSIDE_SCALE = _entry(
    "outside-scale",
    REJECTION,
    "{value} is outside the {field} scale {scale}",
    "a score off its scale (csat 1-5)",
    value=_ANY,
)
DUPLICATE_TICKET = _entry(
    "duplicate-ticket-id",
    REJECTION,
    "duplicate ticket_id {ticket_id} (first at {place}); set input.duplicates to first or last to fold repeated rows",
    "a ticket id seen before, under input.duplicates: reject",
)
TICKET_ROW_REJECTED = _entry(
    "ticket-row-rejected", REJECTION, "its ticket row ({place}) was rejected", "a message whose ticket row was rejected"
)
HISTORY_UNKNOWN_TICKET = _entry(
    "history-unknown-ticket",
    REJECTION,
    "history row for unknown ticket: no ticket row has the id {ticket_id}",
    "a history row of a ticket no ticket row has",
)
HISTORY_NO_TIME = _entry(
    "history-no-time", REJECTION, "{field} is empty: the change has no time", "a history row without a time"
)
HISTORY_NO_VALUE = _entry("history-no-value", REJECTION, "the status change has no value", "a status change to nothing")
NO_UPDATE_TIME = _entry(
    "no-update-time",
    REJECTION,
    "no updated_at: this update's status cannot be placed in the ticket's history (input.history: rows)",
    "an event-log row without updated_at (the field is rejected, the row kept)",
)
CONVERSATION_NO_ID = _entry("conversation-no-id", REJECTION, "the conversation has no id", "a transcript without an id")
CONVERSATION_NO_MESSAGES = _entry(
    "conversation-no-messages",
    REJECTION,
    "the conversation has no list of messages",
    "a transcript without its messages",
)
LOOKUP_KEY_REPEATS = _entry(
    "lookup-key-repeats",
    REJECTION,
    "key {key} repeats in lookup table {table} (first at row {place}); the first row is used",
    "a lookup table's key twice (the later row is rejected)",
    table=r"\S+",
)
LOOKUP_MISS = _entry(
    "lookup-miss",
    REJECTION,
    "{named} {key} matches no row of lookup table {table} ({paths}); {fields} left empty",
    "a key with no row in its lookup table (the field is rejected, the row kept)",
    named=r"\S+(?: \(column \S+\))?",
    table=r"\S+",
)

# -- warnings: what every format carries about the input and the audit ------------------------------

ROWS_REJECTED = _entry(
    "rows-rejected",
    WARNING,
    "{count} of {read} input rows were rejected and not audited; see `rejected`",
    "rows left out of the audit",
)
FIELDS_REJECTED = _entry(
    "fields-rejected",
    WARNING,
    "{fields} rejected in rows still audited (the rules needing them are not applicable); see `rejected`",
    "fields left out of rows that were audited",
    fields=r"[\d,]+ fields?",
)
ROWS_FOLDED = _entry(
    "rows-folded",
    WARNING,
    "{path}: {count} rows folded into {tickets} tickets (input.duplicates keeps one row per ticket)",
    "repeated ticket rows folded into one ticket",
    tickets=_COUNT,
)
INTERNAL_NOTES = _entry(
    "internal-notes",
    WARNING,
    "{notes}, not counted as replies",
    "internal notes were read",
    notes=r"[\d,]+ internal notes?",
)
AFTER_AS_OF = _entry(
    "data-after-as-of",
    WARNING,
    "{what}: is --as-of right, and are the dates read in the right order?",
    "tickets created or messages stamped after --as-of",
)
EXPIRED_WAIVER = _entry("expired-waiver", WARNING, "expired waiver ignored: {waiver}", "a waiver past its expiry date")
UNUSED_WAIVER = _entry("unused-waiver", WARNING, "unused waiver: {waiver}", "a waiver no failure matched")
NOTHING_JUDGED = _entry(
    "rule-judged-nothing",
    WARNING,
    "rule {rule} judged no ticket: {results}",
    "a rule without evidence while others judged",
    rule=r"\S+",
)
EMPTY_FILE = _entry("empty-file", WARNING, "{path}: the file is empty; it holds no rows", "an input without rows")
STRAY_BYTES = _entry(
    "stray-bytes",
    WARNING,
    "{path}: read as UTF-8: {evidence}, so the rows holding such bytes are rejected; if the file is in another "
    "encoding, pass --encoding",
    "a UTF-8 file with a few bytes that are not UTF-8",
)
MIXED_ENCODINGS = _entry(
    "mixed-encodings",
    WARNING,
    "{path}: read as {encoding}: {evidence}: the file mixes encodings, and those lines read garbled; pass --encoding "
    "utf-8 to read them and reject the others",
    "a legacy-encoded file with UTF-8 lines among its lines",
    encoding=r"\S+",
)
COLUMN_RENAMED = _entry(
    "column-renamed",
    WARNING,
    "{path}: column {column} repeats the name {name} of column {first}; it is read as {renamed}",
    "a repeated header name of a column svcaudit does not read",
    first=_COUNT,
)
NAMES_CLASH_SETTLED = _entry(
    "columns-read-as-one",
    WARNING,
    "{path}: columns {kept} and {other} would both be read as {field}; {other} is read as {renamed}",
    "two columns read as one field: the one input.columns names is read, the other renamed",
    path=r"[^:]+",
)
ABSENT_PATH = _entry(
    "absent-path",
    WARNING,
    "{path}: no row has {dotted} ({declared_by}); the field is empty in every row: is the path spelt as the export "
    "spells it?",
    "a declared dotted path that no row has",
    dotted=_QUOTED,
    declared_by=r"[\w.]+",
)
DATES_EITHER_WAY = _entry(
    "date-order-assumed",
    WARNING,
    "{path}: column {column} ({field}): {count} dates such as {value} (row {row}) read either way and no value tells "
    "the order; read month first: set input.date_order to day-first or month-first to confirm",
    "a date column whose values never tell day from month",
    column=_QUOTED,
)
PRESET_PARTLY = _entry(
    "preset-partly-matched",
    WARNING,
    "{path} has {count} of the {expected} columns of preset {preset}: {missing}",
    "an export that lacks some of its preset's columns",
    expected=_COUNT,
    preset=r"\S+",
)
LOOKUP_WITHOUT_FILE = _entry(
    "lookup-without-file",
    WARNING,
    "table {table} joins lookup table {lookup}, which was given no file: {fields} are not looked up ({column} is read "
    "as it is)",
    "a lookup table given no file",
    table=_QUOTED,
    lookup=_QUOTED,
)
NO_TICKET_IN_PERIOD = _entry(
    "empty-period", WARNING, "no ticket was created in the period {period}", "a period of a report without tickets"
)

PENDING = _entry(
    "pending",
    NA,
    "pending at --as-of",
    "results not decided yet at --as-of, listed with the reasons when nothing was judged",
)

UNKNOWN = Reason("unknown", Kind.WARNING, "{text}", "a text no catalogue entry words")

BY_TYPE: dict[str, Reason] = {}
for _reason in CATALOGUE:
    if _reason.type in BY_TYPE:
        raise ImportError(f"reason type {_reason.type!r} is in the catalogue twice")
    BY_TYPE[_reason.type] = _reason
# Texts without parameters are found by a look-up; they win over a template that also reads them.
_FIXED = {r.template: r for r in CATALOGUE if not r.parameters}
_TEMPLATED = [r for r in CATALOGUE if r.parameters]
_CLASSIFIED: dict[str, Reason] = {}
CLASSIFIED_TEXTS = 100_000  # distinct texts remembered; a hostile export may word a million


def classify(text: str) -> Reason:
    """The catalogue entry that words `text`, or `UNKNOWN`: fixed texts first, then templates in
    catalogue order. One regex pass per distinct text, cached."""
    found = _CLASSIFIED.get(text)
    if found is None:
        found = _FIXED.get(text) or next((r for r in _TEMPLATED if r.matches(text)), UNKNOWN)
        if len(_CLASSIFIED) >= CLASSIFIED_TEXTS:
            _CLASSIFIED.clear()
        _CLASSIFIED[text] = found
    return found


def candidates(text: str) -> list[Reason]:
    """Every entry that could word `text` (a fixed text shadows the templates): a catalogue whose
    texts read one way gives exactly one."""
    fixed = _FIXED.get(text)
    return [fixed] if fixed is not None else [r for r in _TEMPLATED if r.matches(text)]


def markdown_table(kind: Kind) -> str:
    """The catalogue's entries of one kind as a Markdown table (the README's list of rejections)."""
    rows = [f"| `{r.type}` | `{r.template}` | {_cell(r.doc)} |" for r in CATALOGUE if r.kind is kind]
    return "\n".join([REJECTIONS_TABLE_HEADER, *rows])


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def counted(count: int, noun: str) -> str:
    """'1 field', '3 fields': a count with its noun, as the warnings word them."""
    return f"{count} {noun}{'s' if count != 1 else ''}"
