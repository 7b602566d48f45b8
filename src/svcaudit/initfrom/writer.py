"""The svcaudit.yaml `init --from` writes, and what it says on stderr about it.

The rules come from a built-in standard; the `input:` section is written for the export, each
entry with a comment that shows two of the export's values, and every guess it would not make (an
unknown value set, a time zone the export does not name, a date order no value proves) as a TODO.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from svcaudit.initfrom.propose import (
    EVENTS,
    MESSAGES,
    NESTED,
    SAMPLE_CHARS,
    UNMAPPED_SUFFIX,
    Mapping,
    Proposal,
    propose,
)
from svcaudit.intake.presets import partly_matched
from svcaudit.standard.loader import builtin_text

COMMENT_COLUMN = 40  # where an entry's comment starts, for a readable column of comments
SHOWN_VALUES = 5  # values listed in a note or comment before "and N more"
SHAPES = {
    "tickets": "ticket rows (one row per ticket)",
    MESSAGES: "message rows (one row per message)",
    EVENTS: "events (one row per update of a ticket)",
    NESTED: "nested conversations",
}


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's), cut when long."""
    return json.dumps(value, ensure_ascii=False)


def _values_list(values: list[str], limit: int = SHOWN_VALUES) -> str:
    shown = ", ".join(quoted(v if len(v) <= SAMPLE_CHARS else v[:SAMPLE_CHARS] + "…") for v in values[:limit])
    more = len(values) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _line(text: str, comment: str | None) -> str:
    if not comment:
        return text
    return f"{text.ljust(COMMENT_COLUMN)} # {comment}"


def _samples(mapping: Mapping) -> str:
    return "e.g. " + _values_list(mapping.samples) if mapping.samples else "no value in the rows read"


def _unknown(mapping: Mapping) -> str:
    """What becomes of values a field does not know."""
    fate = "rows holding them are rejected" if mapping.field in ("author_role", "public") else "read as written"
    return f"not known: {fate}; map them in input.values.{mapping.field}"


def timezone_line(proposal: Proposal, zone: str) -> str:
    if proposal.naive_time is not None:
        return _line(
            f"timezone: {zone}",
            f"TODO confirm: the export's timestamps carry no UTC offset (e.g. "
            f"{quoted(proposal.naive_time)}); they are read in this zone: set the zone "
            f"the helpdesk wrote them in (e.g. Europe/Berlin)",
        )
    if proposal.offset_time is not None:
        return _line(
            f"timezone: {zone}",
            f"the export's timestamps carry their offset (e.g. "
            f"{quoted(proposal.offset_time)}); this zone is for calendars and --as-of",
        )
    return f"timezone: {zone}"


def input_lines(proposal: Proposal) -> list[str]:
    """The `input:` section, each entry with its comment."""
    lines = ["input:"]
    if proposal.preset is not None:
        lines.append(_line(f"  preset: {proposal.preset.name}", proposal.preset.title))
        for mapping in proposal.mappings.values():
            if mapping.field in proposal.preset.columns or mapping.field.startswith("history."):
                lines.append(f"  #   {mapping.field} <- {quoted(mapping.column)}: {_samples(mapping)}")
    columns = proposal.columns
    if columns:
        lines.append("  columns:")
        by_field = {m.field: m for m in proposal.mappings.values()}
        unfit = {u.column: u for u in proposal.unfit}
        for name, column in columns.items():
            mapped = by_field.get(name)
            if mapped is not None:
                comment = _samples(mapped)
            else:
                reason = unfit.get(column)
                taken = name.removesuffix(UNMAPPED_SUFFIX)
                comment = (
                    f"left unmapped: {reason.why}: {_values_list(reason.values)}"
                    if reason
                    else f"left unmapped: {by_field[taken].column!r} is read as {taken}"
                    if taken in by_field
                    else f"left unmapped: not {taken} in this table"
                )
            lines.append(_line(f"    {name}: {quoted(column)}", comment))
    if proposal.values:
        lines.append("  values:")
        for name, table in proposal.values.items():
            lines.append(f"    {name}:")
            for export_value, canonical in table.items():
                lines.append(f"      {quoted(export_value)}: {quoted(canonical)}")
    for mapping in proposal.mappings.values():
        if mapping.unknown:
            lines.append(f"  # TODO {mapping.field}: {_values_list(mapping.unknown)} {_unknown(mapping)}")
    if proposal.date_order:
        lines.append(_line(f"  date_order: {proposal.date_order}", proposal.date_order_why))
    for note in proposal.date_notes:
        lines.append(f"  # TODO date_order: {' '.join(note.split())}")
    if proposal.nulls:
        markers = ", ".join(quoted(m) for m in proposal.nulls)
        where = sorted({c for columns_seen in proposal.nulls.values() for c in columns_seen})
        lines.append(_line(f"  nulls: [{markers}]", "seen in " + ", ".join(where)))
    if proposal.duplicates:
        updated = next((m for m in proposal.mappings.values() if m.field == "updated_at"), None)
        by = f"by {updated.column}" if updated else "by file order (no update time found)"
        lines.append(
            _line(
                f"  duplicates: {proposal.duplicates}",
                f"{proposal.rows_per_key:.1f} rows a ticket: each ticket's latest row, {by}",
            )
        )
    return lines if len(lines) > 1 else []


def header_lines(proposal: Proposal, path: Path, builtin: str) -> list[str]:
    lines = [
        f"# Written by `svcaudit init --from {path}` from builtin:{builtin}.",
        f"# The export holds {SHAPES.get(proposal.shape, proposal.shape)}"
        + (f", keyed by {proposal.key}." if proposal.key else "."),
    ]
    if proposal.preset is not None:
        lines.append(f"# The export looks like: {proposal.preset.title} (preset {proposal.preset.name}).")
        if proposal.match is not None and proposal.match.missing:
            lines.append(
                f"# Its columns: {proposal.match.columns_matched} of "
                f"{proposal.match.columns_expected}; {proposal.match.unmeasured()}."
            )
    if proposal.unmapped_fields:
        lines.append(
            "# Not found in the export (rules that need them are reported not applicable): "
            + ", ".join(proposal.unmapped_fields)
        )
    if proposal.unused_columns:
        lines.append("# Other columns (usable in `where:`): " + ", ".join(proposal.unused_columns[:30]))
    return lines


def builtin_parts(builtin: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A built-in standard cut where `init` writes its own parts: the head (format and name),
    its time zone, and the rest (rules and all) after the written `input:`."""
    base = yaml.safe_load(builtin_text(builtin))
    zone = str(base.get("timezone", "UTC"))
    head = {"svcaudit": 1, "name": base.get("name", "Service standard")}
    rest = {k: v for k, v in base.items() if k not in ("svcaudit", "name", "timezone", "input")}
    return head, zone, rest


def starter_standard(path: Path, builtin: str = "default") -> tuple[str, Proposal]:
    """The text of a svcaudit.yaml for this export, and the proposal behind it."""
    proposal = propose(path)
    head, zone, rest = builtin_parts(builtin)
    lines = [
        *header_lines(proposal, path, builtin),
        yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=100).rstrip("\n"),
        timezone_line(proposal, zone),
        *input_lines(proposal),
        yaml.safe_dump(rest, allow_unicode=True, sort_keys=False, width=100).rstrip("\n"),
    ]
    return "\n".join(lines) + "\n", proposal


def notes(proposal: Proposal, path: Path) -> list[str]:
    """What stderr says about the proposal: what was mapped, what was not and why, what to confirm."""
    said: list[str] = []
    if proposal.preset is not None:
        said.append(f"{path} looks like {proposal.preset.title}: input.preset {proposal.preset.name}")
        match = proposal.match
        if match is not None and match.missing:
            said.append(f"warning: {partly_matched(path, match)}")
        extra = [f"{field} <- {column!r}" for field, column in proposal.columns.items()]
        if extra:
            said.append("also mapped: " + ", ".join(extra))
    else:
        mapped = ", ".join(f"{m.field} <- {m.column!r}" for m in proposal.mappings.values())
        said.append(
            f"{path}: {SHAPES.get(proposal.shape, proposal.shape)}; columns mapped: {mapped or 'canonical names'}"
        )
    for unfit in proposal.unfit:
        said.append(
            f"left unmapped: column {unfit.column!r} as {unfit.field}: {unfit.why}: {_values_list(unfit.values)}"
        )
    for mapping in proposal.mappings.values():
        if mapping.unknown:
            said.append(f"{mapping.field} ({mapping.column!r}): {_values_list(mapping.unknown)} {_unknown(mapping)}")
    if proposal.duplicates:
        updated = next((m.column for m in proposal.mappings.values() if m.field == "updated_at"), None)
        said.append(
            f"{proposal.key} repeats ({proposal.rows_per_key:.1f} rows a ticket): read as "
            f"an event log, each ticket's latest row (input.duplicates last"
            + (f", by {updated})" if updated else ", by file order)")
        )
    if proposal.date_order:
        said.append(f"input.date_order {proposal.date_order}: {proposal.date_order_why}")
    said.extend(f"date order: {' '.join(n.split())}" for n in proposal.date_notes)
    if proposal.nulls:
        said.append(
            "null markers seen: "
            + ", ".join(f"{m!r} (in {', '.join(c)})" for m, c in proposal.nulls.items())
            + ": input.nulls"
        )
    if proposal.naive_time is not None:
        said.append(
            f"timestamps carry no UTC offset (e.g. {proposal.naive_time!r}): the time zone "
            f"is written as a TODO to confirm"
        )
    if proposal.unmapped_fields:
        said.append(
            "could not map: "
            + ", ".join(proposal.unmapped_fields)
            + " (rules needing them will be not applicable; map them in input.columns)"
        )
    return said
