"""What `init --from` proposes for an export: the table's shape, the ticket key, each field's
column (only where the values fit), and how to read the values (date order, null markers, time
zone, repeated rows).

The shape is decided from the data. A key that names a parent (`ticket_id`, `conversation_id`,
`issue_id`, Jira's `key`, ServiceNow's `number`) is the ticket, beside a row's own `id`; rows that
repeat a key hold messages when they carry text or roles, and events (the ticket's state at each
update) otherwise, which are read as the latest row of each ticket (`duplicates: last`, by the
update time). A column whose name suggests a field but whose values do not fit it is shown and left
unmapped; a column whose own name is a canonical field is then read under another name, so that
an unmapped field makes rules not applicable and never rejects rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from svcaudit.errors import InputError, Location
from svcaudit.initfrom.profile import (
    ExportProfile,
    export_columns,
    is_json_export,
    profile_export,
    sample_records,
)
from svcaudit.initfrom.vocab import (
    EVENT_TIME_NAMES,
    KEY_FILLED_SHARE,
    KEY_PATTERNS,
    MESSAGE_NAMES,
    PARENT_KEYS,
    PRIVATE_NAMES,
    ROLE_WORDS,
    STATUS_SYNONYMS,
    TICKET_KEYS,
    TICKET_NAMES,
    TICKET_TIME_NAMES,
    Fit,
    TimeReader,
    fit_name,
    fit_priority,
    fit_public,
    fit_role,
    fit_score,
    fit_status,
    fit_whole_numbers,
    priority_word,
)
from svcaudit.intake.columns import (
    MESSAGE_FIELDS,
    MESSAGE_MARKERS,
    TICKET_FIELDS,
    TIMESTAMP_FIELDS,
    ColumnMapping,
    header_key,
    loose_key,
)
from svcaudit.intake.dateorder import decide, gather
from svcaudit.intake.fields import PUBLIC_WORDS, is_nullable
from svcaudit.intake.presets import Preset, PresetMatch, detect_preset

TICKETS, MESSAGES, EVENTS, NESTED = "tickets", "messages", "events", "nested"
MESSAGE_WANTED = ("ticket_id", "created_at", "author_role", "text")
ROLE_SNIFF_DISTINCT = 12  # a column sniffed for roles by its values has at most this many
UNMAPPED_SUFFIX = "_unmapped"  # a canonically named column left unmapped is read under this name
SAMPLE_CHARS = 40  # of a free-text sample value


@dataclass
class Mapping:
    """One field read from one column, with two of its values and the value table proposed."""

    field: str
    column: str
    samples: list[str]
    # `dataclasses.field` by its module: this class's own `field` attribute hides the bare name.
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    unknown: list[str] = dataclasses.field(default_factory=list)  # kept as written; listed as a TODO


@dataclass
class Unfit:
    """A column whose name suggests a field but whose values do not fit it: shown, not mapped."""

    field: str
    column: str
    values: list[str]
    why: str


@dataclass
class Proposal:
    """What `init --from` found, for the YAML it writes and the notes on stderr."""

    path: Path
    preset: Preset | None = None
    match: PresetMatch | None = None
    shape: str = TICKETS
    key: str | None = None
    mappings: dict[str, Mapping] = field(default_factory=dict)
    unfit: list[Unfit] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # export column -> name read under
    unmapped_fields: list[str] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    date_order: str | None = None
    date_order_why: str | None = None
    date_notes: list[str] = field(default_factory=list)  # undecided or contradictory columns
    nulls: dict[str, list[str]] = field(default_factory=dict)  # marker -> columns it was seen in
    naive_time: str | None = None  # a timestamp without an offset, when the export writes them
    offset_time: str | None = None  # a timestamp with its offset, when all carry one
    duplicates: str | None = None
    rows_per_key: float = 1.0
    rows: int = 0

    @property
    def columns(self) -> dict[str, str]:
        """input.columns: every mapped field, and the columns read under another name."""
        mapped = {
            m.field: m.column
            for m in self.mappings.values()
            if (self.preset is None or m.field not in self.preset.columns) and not m.field.startswith(HISTORY_PREFIX)
        }
        return {**mapped, **{name: column for column, name in self.renamed.items()}}

    @property
    def values(self) -> dict[str, dict[str, str]]:
        return {m.field: m.values for m in self.mappings.values() if m.values}

    def input_section(self) -> dict[str, Any]:
        """The standard's `input:` as data (the YAML writer adds a comment to each entry)."""
        section: dict[str, Any] = {}
        if self.preset is not None:
            section["preset"] = self.preset.name
        if self.columns:
            section["columns"] = self.columns
        if self.values:
            section["values"] = self.values
        if self.date_order:
            section["date_order"] = self.date_order
        if self.nulls:
            section["nulls"] = list(self.nulls)
        if self.duplicates:
            section["duplicates"] = self.duplicates
        return section


def propose(path: Path) -> Proposal:
    columns = export_columns(path)
    match = detect_preset(columns, is_json=is_json_export(path))
    if match is not None and match.preset.messages is not None:
        return Proposal(path, match.preset, match, NESTED, match.preset.columns.get("ticket_id"))
    profile = profile_export(path, columns)
    if match is not None:
        proposal = _from_preset(profile, match)
    else:
        proposal = _from_values(profile)
    proposal.rows = profile.rows
    _reading(profile, proposal)
    return proposal


# -- a preset's export --------------------------------------------------------------------------


def _from_preset(profile: ExportProfile, match: PresetMatch) -> Proposal:
    """The preset's columns as found, with values the preset's tables do not know shown."""
    preset = match.preset
    proposal = Proposal(profile.path, preset, match, preset.shape)
    by_loose = {loose_key(c): c for c in profile.columns}
    for name, spelled in preset.columns.items():
        column = by_loose.get(loose_key(spelled))
        if column is None:
            continue
        values = profile[column].values
        known = {str(k).casefold() for k in preset.values.get(name, {})}
        unknown = [v for v in values if v.strip().casefold() not in known and not _canonical_word(name, v)]
        proposal.mappings[name] = Mapping(
            name, column, profile[column].samples(), unknown=unknown if name in VALUE_FIELDS else []
        )
    if preset.history is not None and match.signature is not None:  # the preset's history table
        history = preset.history
        for part in ("ticket", "field", "value", "time"):
            column = by_loose.get(loose_key(getattr(history, part)))
            if column is not None:
                proposal.mappings[HISTORY_PREFIX + part] = Mapping(
                    HISTORY_PREFIX + part, column, profile[column].samples()
                )
    key = proposal.mappings.get("ticket_id") or proposal.mappings.get(HISTORY_PREFIX + "ticket")
    proposal.key = key.column if key else None
    by_key = {header_key(c): c for c in profile.columns}
    if preset.shape == MESSAGES and "public" not in preset.columns:
        found = _fitting_column(profile, by_key, "public", MESSAGE_NAMES["public"], _mapped_columns(proposal), proposal)
        if found is not None:
            proposal.mappings[found.field] = found
    if preset.shape == TICKETS and match.signature is None and key is not None and profile[key.column].repeats:
        _as_event_log(profile, proposal, by_key)
    proposal.unused_columns = [c for c in profile.columns if c not in _mapped_columns(proposal)]
    return proposal


VALUE_FIELDS = frozenset({"author_role", "status", "priority", "public"})
HISTORY_PREFIX = "history."  # a preset's history table's parts, shown with their samples


def _canonical_word(name: str, value: str) -> bool:
    """Whether svcaudit reads the value as it is (a role, status or priority word)."""
    folded = value.strip().casefold()
    if name == "author_role":
        return folded in ROLE_WORDS
    if name == "status":
        return folded in STATUS_SYNONYMS
    if name == "priority":
        return priority_word(value) is not None
    if name == "public":
        return folded in PUBLIC_WORDS
    return True


# -- an export no preset knows ------------------------------------------------------------------


def _from_values(profile: ExportProfile) -> Proposal:
    by_key = {header_key(c): c for c in profile.columns}
    key = _ticket_key(profile, by_key)
    if key is None:
        raise InputError(
            "cannot tell which column identifies a ticket or conversation; columns: " + ", ".join(profile.columns[:30]),
            Location(str(profile.path), 1),
        )
    proposal = Proposal(profile.path, key=key)
    proposal.mappings["ticket_id"] = Mapping("ticket_id", key, profile[key].samples())
    used = {key}
    text = _first_named(profile, by_key, MESSAGE_NAMES["text"], used)
    role = _role_column(profile, by_key, used | ({text} if text else set()), proposal)
    own_id = next(
        (
            by_key[n]
            for n in ("id", "message_id", "comment_id", "part_id", "event_id")
            if n in by_key and by_key[n] != key and profile[by_key[n]].unique
        ),
        None,
    )
    repeats = profile[key].repeats
    if (text or role) and (repeats or own_id is not None or role):
        proposal.shape = MESSAGES
        if text:
            proposal.mappings["text"] = Mapping("text", text, _short(profile, text))
            used.add(text)
        if role:
            proposal.mappings["author_role"] = role
            used.add(role.column)
        names = MESSAGE_NAMES
    else:
        proposal.shape = EVENTS if repeats else TICKETS
        names = dict(TICKET_NAMES)
        if not repeats:
            names["created_at"] = (*names["created_at"], *TICKET_TIME_NAMES)
    for name, candidates in names.items():
        if name in proposal.mappings or name in ("author_role", "text"):
            continue  # those two are decided with the shape, above
        found = _fitting_column(profile, by_key, name, candidates, used, proposal)
        if found is not None:
            proposal.mappings[found.field] = found
            used.add(found.column)
    if "created_at" not in proposal.mappings and proposal.shape != EVENTS:
        _sniff_created_at(profile, used, proposal)
    if proposal.shape == EVENTS:
        _as_event_log(profile, proposal, by_key)
    _rename_unmapped(profile, proposal)
    wanted = MESSAGE_WANTED if proposal.shape == MESSAGES else TICKET_FIELDS
    proposal.unmapped_fields = [f for f in wanted if f not in proposal.mappings]
    proposal.unused_columns = [c for c in profile.columns if c not in _mapped_columns(proposal)]
    return proposal


def _ticket_key(profile: ExportProfile, by_key: dict[str, str]) -> str | None:
    """The column that names the ticket: a parent key where there is one, else the table's id."""
    for name in (*PARENT_KEYS, *TICKET_KEYS):
        column = by_key.get(name)
        if column is None:
            continue
        item = profile[column]
        if profile.rows and item.filled < KEY_FILLED_SHARE * profile.rows or item.long_values:
            continue
        pattern = KEY_PATTERNS.get(name)
        if pattern is not None and not all(pattern.match(v) for v in item.values):
            continue
        return column
    return None


def _first_named(profile: ExportProfile, by_key: dict[str, str], names: tuple[str, ...], used: set[str]) -> str | None:
    for name in names:
        column = by_key.get(name)
        if column is not None and column not in used and profile[column].filled:
            return column
    return None


def _short(profile: ExportProfile, column: str) -> list[str]:
    """Two sample values of a free-text column, cut for a comment."""
    return [v if len(v) <= SAMPLE_CHARS else v[:SAMPLE_CHARS] + "…" for v in profile[column].samples()]


def _role_column(profile: ExportProfile, by_key: dict[str, str], used: set[str], proposal: Proposal) -> Mapping | None:
    """author_role: a column named so whose values are roles, or any short column whose values
    are all role words of two roles or more. A named column that does not fit is shown."""
    for name in MESSAGE_NAMES["author_role"]:
        column = by_key.get(name)
        if column is None or column in used:
            continue
        values = profile[column].values
        fit = fit_role(name, values)
        if fit.fits:
            return Mapping("author_role", column, profile[column].samples(), fit.values)
        if name in ("author_role", "role", "author_type", "sender_type", "user_type"):
            proposal.unfit.append(Unfit("author_role", column, values, fit.why))
    for column in profile.columns:
        item = profile[column]
        if column in used or not item.filled or len(item.counts) > ROLE_SNIFF_DISTINCT:
            continue
        fit = fit_role(header_key(column), item.values)
        if fit.fits:
            return Mapping("author_role", column, item.samples(), fit.values)
    return None


def _fit(name: str, candidate: str, values: list[str], times: TimeReader) -> Fit:
    """Whether the values of a column (named `candidate`, as compared) fit the field."""
    if name in TIMESTAMP_FIELDS:
        return times.fit(values)
    if name == "status":
        return fit_status(values)
    if name == "priority":
        return fit_priority(values)
    if name == "public":
        return fit_public(candidate, values)
    if name in ("csat", "nps", "ces"):
        return fit_score(name, values)
    if name == "reopens":
        return fit_whole_numbers(values)
    if name == "customer_name":
        return fit_name(values)
    return Fit(True)


_TIMES = TimeReader()


def _fitting_column(
    profile: ExportProfile,
    by_key: dict[str, str],
    name: str,
    candidates: tuple[str, ...],
    used: set[str],
    proposal: Proposal,
) -> Mapping | None:
    """The first column named like the field whose values fit it; the others shown."""
    unfit: list[Unfit] = []
    for candidate in candidates:
        column = by_key.get(candidate)
        if column is None or column in used:
            continue
        item = profile[column]
        if not item.filled:
            continue
        fit = _fit(name, candidate, item.values, _TIMES)
        if fit.fits:
            field_name = "private" if name == "public" and candidate in PRIVATE_NAMES else name
            samples = _short(profile, column) if name == "text" else item.samples()
            return Mapping(field_name, column, samples, fit.values, fit.unknown)
        unfit.append(Unfit(name, column, item.values, fit.why))
    proposal.unfit.extend(unfit)
    return None


def _sniff_created_at(profile: ExportProfile, used: set[str], proposal: Proposal) -> None:
    """created_at from values, when no name gave it away: the first column of timestamps."""
    for column in profile.columns:
        item = profile[column]
        if column in used or not item.filled or item.long_values:
            continue
        if _TIMES.fit(item.values).fits:
            proposal.mappings["created_at"] = Mapping("created_at", column, item.samples())
            used.add(column)
            return


def _as_event_log(profile: ExportProfile, proposal: Proposal, by_key: dict[str, str]) -> None:
    """Rows that repeat a ticket: its latest state, by the column stamping each update."""
    assert proposal.key is not None, "rows repeat the ticket key: there is one"
    key = profile[proposal.key]
    proposal.shape = EVENTS
    proposal.duplicates = "last"
    proposal.rows_per_key = key.filled / max(1, len(key.counts))
    used = _mapped_columns(proposal)
    for name in EVENT_TIME_NAMES:
        column = by_key.get(name)
        if column is None or column in used or not profile[column].filled:
            continue
        if _TIMES.fit(profile[column].values).fits:
            proposal.mappings["updated_at"] = Mapping("updated_at", column, profile[column].samples())
            return


def _rename_unmapped(profile: ExportProfile, proposal: Proposal) -> None:
    """A column whose own name is a field svcaudit reads, but that is not mapped (its values do
    not fit, or another column was chosen), is read under another name: it is left unmapped."""
    if proposal.shape == MESSAGES:
        reads = set(MESSAGE_FIELDS)
    else:  # a ticket table's column named `text` or `author_role` would make it a message file
        reads = set(TICKET_FIELDS) | MESSAGE_MARKERS | ({"updated_at"} if proposal.shape == EVENTS else set())
    mapped = _mapped_columns(proposal)
    names = ColumnMapping({m.field: m.column for m in proposal.mappings.values()}).canonical_names(profile.columns)
    taken = set(names.values())
    for column, canonical in names.items():
        if column in mapped or canonical not in reads:
            continue
        name = canonical + UNMAPPED_SUFFIX
        while name in taken:
            name += "_"
        taken.add(name)
        proposal.renamed[column] = name


def _mapped_columns(proposal: Proposal) -> set[str]:
    return {m.column for m in proposal.mappings.values()}


# -- how the values read -----------------------------------------------------------------------


def _reading(profile: ExportProfile, proposal: Proposal) -> None:
    """Date order from the evidence, null markers seen, and whether timestamps carry offsets."""
    stamps = {m.field: m.column for m in proposal.mappings.values() if m.field in TIMESTAMP_FIELDS}
    for mapping in proposal.mappings.values():
        if not is_nullable(mapping.field):
            continue
        for marker in profile[mapping.column].nulls:
            proposal.nulls.setdefault(marker, []).append(mapping.column)
    for column in stamps.values():
        for value in profile[column].values:
            if not _TIMES.reads(value):
                continue
            if not _TIMES.has_offset(value):
                proposal.naive_time = proposal.naive_time or value
            elif proposal.offset_time is None:
                proposal.offset_time = value
    if proposal.naive_time is not None:
        proposal.offset_time = None
    if stamps:
        _date_order(profile, proposal, stamps)


def _date_rows(profile: ExportProfile, stamps: dict[str, str]) -> Iterator[tuple[int, dict]]:
    for record in sample_records(profile.path):
        yield record.row, {name: (column, record.values.get(column)) for name, column in stamps.items()}


def _date_order(profile: ExportProfile, proposal: Proposal, stamps: dict[str, str]) -> None:
    """`intake.dateorder` on the sampled rows: a proven order is proposed with its evidence."""
    path = str(profile.path)
    try:
        orders = decide(path, gather(_date_rows(profile, stamps)), None)
    except InputError as exc:
        proposal.date_notes.append(str(exc))
        return
    proven = {c.order for c in orders.columns if "proven" in c.how or "as the file's" in c.how}
    if len(proven) == 1:
        proposal.date_order = proven.pop()
        proposal.date_order_why = "; ".join(f"{c.field}: {c.how}" for c in orders.columns if "proven" in c.how)
    proposal.date_notes.extend(orders.warnings)
