"""`svcaudit init --from EXPORT`: a starter standard that reads a given export without further edits.

It looks at the export's header (or first objects), picks the preset whose signature columns it
has, or else proposes a column mapping from names that usually mean a canonical field, and says
what it could not map. The rules are those of a built-in standard; only `input:` is written for
the export, so the result is valid and runs as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path

import yaml

from .errors import InputError, Location
from .logs.columns import MESSAGE_MARKERS, TICKET_FIELDS, header_key, loose_key
from .logs.presets import Preset, PresetMatch, detect_preset
from .logs.readers import ExportFile
from .standard.loader import builtin_text

SNIFF_ROWS = 50  # rows looked at to recognise timestamps and roles by their values
SNIFF_SHARE = 0.8  # share of a column's values that must look like timestamps or roles
EPOCH_DIGITS = 9  # a bare number counts as a timestamp only when it is epoch-sized
# Column names (as compared: case-folded, separators as underscores) that usually mean a field.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket_id", "id", "ticket", "case_id", "case_number", "conversation_id",
                  "conversation", "chat_id", "thread_id", "issue_key", "request_id", "номер", "id_обращения"),
    "created_at": ("created_at", "created", "created_time", "creation_date", "date", "timestamp",
                   "time", "sent_at", "datetime", "дата", "время", "дата_создания"),
    "author_role": ("author_role", "role", "author_type", "sender_type", "from_type", "speaker",
                    "direction", "inbound", "роль", "отправитель"),
    "text": ("text", "message", "body", "content", "comment", "текст", "сообщение"),
    "author": ("author", "author_name", "agent_name", "user_name", "автор"),
    "first_reply_at": ("first_reply_at", "first_response_at", "first_response_time", "first_reply"),
    "resolved_at": ("resolved_at", "solved_at", "resolved", "closed_at", "resolution_date"),
    "status": ("status", "state", "статус"),
    "priority": ("priority", "приоритет"),
    "channel": ("channel", "source", "via", "канал"),
    "agent": ("agent", "assignee", "owner", "operator", "оператор"),
    "team": ("team", "group", "queue", "группа"),
    "customer_name": ("customer_name", "customer", "requester", "name", "full_name", "client", "клиент"),
    "reopens": ("reopens", "reopen_count"),
    "csat": ("csat", "satisfaction", "satisfaction_score", "rating", "оценка"),
    "nps": ("nps",),
    "ces": ("ces", "effort"),
}


@dataclass
class Proposal:
    """What `init --from` found: a preset, or a mapping, and what it could not map."""

    preset: Preset | None
    columns: dict[str, str] = field(default_factory=dict)
    unmapped_fields: list[str] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    shape: str = "tickets"
    match: PresetMatch | None = None  # how the export matched the preset's signature

    def input_section(self) -> dict[str, object]:
        if self.preset is not None:
            return {"preset": self.preset.name}
        return {"columns": self.columns} if self.columns else {}


def export_columns(path: Path, encoding: str | None = None) -> list[str]:
    """The export's column names; for JSON, the first row's keys, both as they are (a nested
    conversation's `scenario`) and flat (`stats.first_responded_at`, see `logs.paths`)."""
    export = ExportFile(path, encoding)
    if export.format == "json":
        export.flatten = False
        top = export.peek_columns()
        export.flatten = True
        flat = export.peek_columns()
        return list(dict.fromkeys([*top, *flat]))
    return export.peek_columns()


def propose(path: Path) -> Proposal:
    columns = export_columns(path)
    match = detect_preset(columns)
    if match is not None:
        preset = match.preset
        mapped = {loose_key(c) for c in preset.columns.values()}
        return Proposal(preset, unused_columns=[c for c in columns if loose_key(c) not in mapped],
                        shape=preset.shape, match=match)
    by_key = {header_key(c): c for c in columns}
    mapping: dict[str, str] = {}
    for canonical, names in SYNONYMS.items():
        for name in names:
            column = by_key.get(name)
            if column is not None and column not in mapping.values():
                mapping[canonical] = column
                break
    _sniff_values(path, columns, mapping)
    shape = "messages" if set(mapping) & MESSAGE_MARKERS else "tickets"
    wanted = ("ticket_id", "created_at", "author_role", "text") if shape == "messages" else TICKET_FIELDS
    unmapped = [f for f in wanted if f not in mapping]
    if "ticket_id" not in mapping:
        raise InputError("cannot tell which column identifies a ticket or conversation; "
                         "columns: " + ", ".join(columns[:30]), Location(str(path), 1))
    explicit = {k: v for k, v in mapping.items() if header_key(v) != k}
    return Proposal(None, explicit, unmapped, [c for c in columns if c not in mapping.values()], shape)


def _sniff_values(path: Path, columns: list[str], mapping: dict[str, str]) -> None:
    """Fill created_at and author_role from what the first rows hold, when no name gave them away."""
    from .logs.fields import ROLE_SYNONYMS
    from .logs.readers import Record
    from .logs.timestamps import TimestampError, TimestampParser

    free = [c for c in columns if c not in mapping.values()]
    if not free or ("created_at" in mapping and "author_role" in mapping):
        return
    samples: dict[str, list[str]] = {c: [] for c in free}
    for count, record in enumerate(ExportFile(path).records()):
        if count >= SNIFF_ROWS:
            break
        if isinstance(record, Record):
            for column in free:
                value = record.values.get(column)
                if value not in (None, ""):
                    samples[column].append(str(value))
    parser = TimestampParser(timezone.utc)

    def share(values: list[str], test) -> float:
        return sum(1 for v in values if test(v)) / len(values) if values else 0.0

    def is_time(value: str) -> bool:
        try:
            parser.parse(value)
        except TimestampError:
            return False
        return not value.strip().isdigit() or len(value.strip()) >= EPOCH_DIGITS

    for column in free:
        values = samples[column]
        if "author_role" not in mapping and share(values, lambda v: v.casefold() in ROLE_SYNONYMS) >= SNIFF_SHARE:
            mapping["author_role"] = column
        elif "created_at" not in mapping and share(values, is_time) >= SNIFF_SHARE:
            mapping["created_at"] = column


def starter_standard(path: Path, builtin: str = "default") -> tuple[str, Proposal]:
    """The text of a svcaudit.yaml for this export, and the proposal behind it."""
    proposal = propose(path)
    base = yaml.safe_load(builtin_text(builtin))
    section = proposal.input_section()
    lines = [f"# Written by `svcaudit init --from {path}` from builtin:{builtin}."]
    if proposal.preset is not None:
        lines.append(f"# The export looks like: {proposal.preset.title} (preset {proposal.preset.name}).")
        if proposal.match is not None and proposal.match.missing:
            lines.append(f"# Its columns: {proposal.match.columns_matched} of "
                         f"{proposal.match.columns_expected}; {proposal.match.unmeasured()}.")
    if proposal.unmapped_fields:
        lines.append("# Not found in the export (rules that need them are reported not applicable): "
                     + ", ".join(proposal.unmapped_fields))
    if proposal.unused_columns:
        lines.append("# Other columns (usable in `where:`): " + ", ".join(proposal.unused_columns[:30]))
    document = {"svcaudit": 1, "name": base.get("name", "Service standard"), **(
        {"input": section} if section else {}),
        **{k: v for k, v in base.items() if k not in ("svcaudit", "name", "input")}}
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(lines) + "\n" + body, proposal
