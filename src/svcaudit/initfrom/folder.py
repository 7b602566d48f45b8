"""`init --from DIR`: a folder of synced tables read as one audit, its `tables:` block proposed.

Each data file of the folder is matched to a table (`intake.tables.match_table`: by its name, else by
its columns) of every preset of several tables; the preset that takes the most files, a ticket table
among them, is proposed, and its tables are written out in full (files, columns, lookups and the
joins between them) so that the block can be read and edited. A folder no such preset fits gets a
table per file, each proposed from its values as `init --from EXPORT` proposes one export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from svcaudit.errors import InputError, Location
from svcaudit.initfrom.profile import export_columns
from svcaudit.initfrom.propose import EVENTS, MESSAGES, Proposal, propose
from svcaudit.initfrom.writer import builtin_parts, quoted, timezone_line
from svcaudit.intake.presets import PRESETS, Preset, table_with_preset
from svcaudit.intake.tables import HistoryLayout, TableMatchError, TableShape, TableSpec, data_files, match_table

TABLE_SHAPES = {
    TableShape.TICKETS: "tickets",
    TableShape.MESSAGES: "messages",
    TableShape.HISTORY: "history",
    TableShape.LOOKUP: "lookup",
}


@dataclass
class FolderProposal:
    """What `init --from DIR` found: the preset (or none), each file's table, the files left out."""

    folder: Path
    preset: Preset | None
    tables: list[TableSpec]
    files: dict[str, list[Path]]  # table name -> its files
    left_out: list[tuple[Path, str]] = field(default_factory=list)  # file, why
    timing: Proposal | None = None  # the ticket table's own proposal: its time zone and dates
    per_file: dict[str, Proposal] = field(default_factory=dict)  # without a preset

    @property
    def paths(self) -> list[Path]:
        return [path for paths in self.files.values() for path in paths]


def propose_folder(folder: Path) -> FolderProposal:
    files = data_files(folder)
    if not files:
        raise InputError("holds no CSV or JSON file to read", Location(str(folder)))
    columns = {path: export_columns(path) for path in files}
    best: FolderProposal | None = None
    for preset in PRESETS.values():
        if not preset.tables:
            continue
        tables = [table_with_preset(t) for t in preset.tables]
        found = FolderProposal(folder, preset, tables, {})
        for path in files:
            try:
                match = match_table(str(path), columns[path], tables)
            except TableMatchError as exc:
                found.left_out.append((path, str(exc)))
                continue
            found.files.setdefault(match.table.name, []).append(path)
        has_tickets = any(t.shape is TableShape.TICKETS and t.name in found.files for t in tables)
        if has_tickets and (best is None or len(found.paths) > len(best.paths)):
            best = found
    if best is None:
        best = _per_file(folder, files)
    else:
        best.tables = [t for t in best.tables if t.name in best.files]
        tickets = next(t for t in best.tables if t.shape is TableShape.TICKETS)
        best.timing = propose(best.files[tickets.name][0])
    return best


def _per_file(folder: Path, files: list[Path]) -> FolderProposal:
    """No preset fits: a table per file, named after it, read as its values say."""
    found = FolderProposal(folder, None, [], {})
    for path in files:
        proposal = propose(path)
        name = path.name.split(".")[0]
        shape = TableShape.MESSAGES if proposal.shape == MESSAGES else TableShape.TICKETS
        found.tables.append(
            TableSpec(
                name,
                shape,
                files=(path.name,),
                columns=proposal.columns,
                values=proposal.values,
                history="rows" if proposal.shape == EVENTS else None,
            )
        )
        found.files[name] = [path]
        found.per_file[name] = proposal
        if found.timing is None and shape is TableShape.TICKETS:
            found.timing = proposal
    if found.timing is None:
        found.timing = found.per_file[found.tables[0].name]
    return found


def _table_lines(table: TableSpec, files: list[Path], preset: Preset | None) -> list[str]:
    lines = [f"    - name: {table.name}", f"      shape: {TABLE_SHAPES[table.shape]}"]
    names = [p.name for p in files]
    lines.append(
        f"      files: {quoted(names[0])}"
        if len(names) == 1
        else f"      files: [{', '.join(quoted(n) for n in names)}]"
    )
    if preset is None and table.values:
        lines.append("      values:")
        for name, mapped in table.values.items():
            lines.append(
                f"        {name}: {{" + ", ".join(f"{quoted(k)}: {quoted(v)}" for k, v in mapped.items()) + "}"
            )
    if table.shape is TableShape.LOOKUP:
        lines.append(f"      key: {quoted(table.key)}")
        lines.append("      fields: {" + ", ".join(f"{k}: {quoted(v)}" for k, v in table.fields.items()) + "}")
    elif table.shape is TableShape.HISTORY:
        history = table.history
        if isinstance(history, HistoryLayout):  # a preset's history table names its columns
            lines.append(
                f"      history: {{ticket: {quoted(history.ticket)}, field: {quoted(history.field)}, "
                f"value: {quoted(history.value)}, time: {quoted(history.time)}}}"
            )
    else:
        if table.history == "rows":
            lines.append(
                "      history: rows                    # one row per update: each row's "
                "status is an event, the latest row the ticket"
            )
        if table.columns:
            lines.append("      columns: {" + ", ".join(f"{k}: {quoted(v)}" for k, v in table.columns.items()) + "}")
    if table.joins:
        lines.append("      joins:")
        for join in table.joins:
            fields = ", ".join(f"{k}: {v}" for k, v in join.fields.items())
            lines.append(f"        - {{key: {join.key}, table: {join.table}, fields: {{{fields}}}}}")
    return lines


def folder_standard(folder: Path, builtin: str = "default") -> tuple[str, FolderProposal]:
    """The text of a svcaudit.yaml for the folder's tables, and the proposal behind it."""
    proposal = propose_folder(folder)
    timing = proposal.timing
    assert timing is not None, "propose_folder proposes the timing of a folder's tickets"
    head, zone, rest = builtin_parts(builtin)
    lines = [f"# Written by `svcaudit init --from {folder}` from builtin:{builtin}."]
    if proposal.preset is not None:
        lines.append(
            f"# The folder holds {proposal.preset.title} (preset {proposal.preset.name}); "
            f"the preset's values read each table's statuses, priorities and roles."
        )
    lines.append(f"# Audit it with `svcaudit check {folder} --standard <this file>`.")
    for path, why in proposal.left_out:
        lines.append(f"# Left out: {path.name}: {why}")
    lines.append(yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=100).rstrip("\n"))
    lines.append(timezone_line(timing, zone))
    lines.append("input:")
    if proposal.preset is not None:
        lines.append(f"  preset: {proposal.preset.name}")
    if timing.date_order:
        lines.append(f"  date_order: {timing.date_order}")
    lines.append("  tables:")
    for table in proposal.tables:
        lines.extend(_table_lines(table, proposal.files[table.name], proposal.preset))
    lines.append(yaml.safe_dump(rest, allow_unicode=True, sort_keys=False, width=100).rstrip("\n"))
    return "\n".join(lines) + "\n", proposal


def folder_notes(proposal: FolderProposal) -> list[str]:
    """What stderr says: which file is which table, the joins, what was left out."""
    said = []
    if proposal.preset is not None:
        said.append(f"{proposal.folder} looks like {proposal.preset.title}: input.preset {proposal.preset.name}")
    else:
        said.append(
            f"{proposal.folder}: no preset of several tables fits; a table per file, "
            f"read from its values (no joins proposed)"
        )
    for table in proposal.tables:
        files = ", ".join(p.name for p in proposal.files[table.name])
        joins = "".join(f"; joins {j.table} by {j.key} for {', '.join(j.fields)}" for j in table.joins)
        said.append(f"  table {table.name} ({TABLE_SHAPES[table.shape]}): {files}{joins}")
    for path, why in proposal.left_out:
        said.append(f"left out {path.name}: {why}")
    timing = proposal.timing
    if timing is not None and timing.naive_time is not None:
        said.append(
            f"timestamps carry no UTC offset (e.g. {timing.naive_time!r}): the time zone "
            f"is written as a TODO to confirm"
        )
    return said
