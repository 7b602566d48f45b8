"""Several tables, one audit: the `input.tables` spec and which table each input file is.

A warehouse sync keeps a helpdesk's data as related tables (tickets, comments, users, a field
history, id -> name tables). Each `TableSpec` says what one table's rows are (`TableShape`), how its
columns and values read, and which lookup tables its rows join (`Join`). `match_table` decides the
table of one file: by its name against the tables' `files` patterns, or its name being a table's
(`user.csv`), or else by its columns against each table's signature (the columns the table maps). Lookups and the join
itself are in `lookups`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any

from svcaudit.intake.columns import loose_key


class TableShape(str, enum.Enum):
    """What one row of a table is."""

    TICKETS = "tickets"
    MESSAGES = "messages"
    HISTORY = "history"  # a field-history table: its status rows are status events
    LOOKUP = "lookup"  # id -> a few fields (users, agents, statuses, priorities)


# Other names the spec accepts for a shape: what the tables are called in helpdesk talk.
SHAPE_ALIASES = {"status_events": TableShape.HISTORY, "users": TableShape.LOOKUP, "agents": TableShape.LOOKUP}
SHAPE_NAMES = tuple(s.value for s in TableShape) + tuple(SHAPE_ALIASES)
# The fields a lookup keeps when the spec names none, by the shape it was declared as.
LOOKUP_DEFAULT_FIELDS = {
    "users": {"role": "role", "name": "name"},
    "agents": {"name": "name", "team": "team"},
    "lookup": {"name": "name"},
}
DEFAULT_KEY = "id"
# A file is taken for a table by its columns when it has at least this share of the signature.
SIGNATURE_SHARE = 0.75


@dataclass(frozen=True)
class Join:
    """A row's field (`key`) looked up in a lookup table: each entry of `fields` sets the row's
    field (its key) to the lookup's field (its value). `{key: author, table: user, fields:
    {author_role: role, author: name}}` turns a comment's user id into its author's role and name.
    (Not `on`: YAML reads a bare `on` as true.)"""

    key: str
    table: str
    fields: Mapping[str, str]

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> Join:
        return cls(
            str(spec["key"]), str(spec["table"]), MappingProxyType({str(k): str(v) for k, v in spec["fields"].items()})
        )


@dataclass(frozen=True)
class HistoryLayout:
    """A long-format field history (`input.history`): one row per change of one field of one
    ticket, as Zendesk's `ticket_field_history` (ticket_id, field_name, value, updated) or Jira's
    `issue_field_history` (issue_id, field_id, value, time) keep it. Rows whose field is
    `status_value` are the ticket's status events; rows of other fields give the latest values of
    a ticket known only from its history."""

    field: str
    value: str
    time: str
    ticket: str = "ticket_id"
    status_value: str = "status"

    @classmethod
    def from_mapping(cls, spec: Mapping[str, str]) -> HistoryLayout:
        return cls(**{name: spec[name] for name in HISTORY_KEYS if name in spec})

    @property
    def columns(self) -> frozenset[str]:
        """The columns that make a file this history table."""
        return frozenset({self.ticket, self.field, self.value, self.time})


HISTORY_KEYS = ("ticket", "field", "value", "time", "status_value")


@dataclass(frozen=True)
class TableSpec:
    """One table of `input.tables`, as declared (`presets.table_with_preset` adds its preset's entries)."""

    name: str
    shape: TableShape
    files: tuple[str, ...] = ()  # glob patterns on the file name (case-insensitive)
    preset: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    history: HistoryLayout | str | None = None  # a history table's layout, or "rows"
    records: str | None = None
    key: str = DEFAULT_KEY  # a lookup's key column
    fields: Mapping[str, str] = field(default_factory=dict)  # a lookup's kept fields -> columns
    joins: tuple[Join, ...] = ()
    signature: frozenset[str] = frozenset()  # columns that tell a file of this table
    # A messages table whose authors are ids without roles (Jira's comments): the ticket's
    # requester (`requester_id`) is the customer, any other author an agent.
    requester_is_customer: bool = False
    given: frozenset[str] = frozenset()  # the keys the standard wrote (the rest are defaults)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> TableSpec:
        """A table as `input.tables` writes it (schema-valid)."""
        declared = str(spec.get("shape", "tickets"))
        shape = SHAPE_ALIASES.get(declared) or TableShape(declared)
        files = spec.get("files", ())
        history = spec.get("history")
        fields = spec.get("fields")
        if fields is None and shape is TableShape.LOOKUP:
            fields = LOOKUP_DEFAULT_FIELDS.get(declared, LOOKUP_DEFAULT_FIELDS["lookup"])
        return cls(
            name=str(spec["name"]),
            shape=shape,
            files=(files,) if isinstance(files, str) else tuple(files),
            preset=spec.get("preset"),
            columns=MappingProxyType({str(k): str(v) for k, v in spec.get("columns", {}).items()}),
            values=_values(spec.get("values", {})),
            history=HistoryLayout.from_mapping(history) if isinstance(history, Mapping) else history,
            records=spec.get("records"),
            key=str(spec.get("key", DEFAULT_KEY)),
            fields=MappingProxyType({str(k): str(v) for k, v in (fields or {}).items()}),
            joins=tuple(Join.from_mapping(j) for j in spec.get("joins", ())),
            signature=frozenset(str(c) for c in spec.get("signature", ())),
            requester_is_customer=bool(spec.get("requester_is_customer", False)),
            given=frozenset(spec),
        )

    @property
    def columns_read(self) -> frozenset[str]:
        """The columns this table reads: what tells one of its files when no pattern does."""
        if self.signature:
            return self.signature
        if self.shape is TableShape.LOOKUP:
            return frozenset({self.key, *self.fields.values()})
        found = set(self.columns.values())
        history = self.history
        if history is not None and not isinstance(history, str):
            found |= history.columns
        return frozenset(found)


def _values(raw: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({str(f): MappingProxyType({str(k): str(v) for k, v in t.items()}) for f, t in raw.items()})


def merged(base: TableSpec, override: TableSpec) -> TableSpec:
    """`override`'s entries over `base`'s, column by column and value by value."""
    values = {f: dict(t) for f, t in base.values.items()}
    for name, table in override.values.items():
        values.setdefault(name, {}).update(table)
    shape = override.shape if "shape" in override.given or not override.given else base.shape
    return replace(
        base,
        shape=shape,
        files=override.files or base.files,
        preset=override.preset or base.preset,
        columns=MappingProxyType({**base.columns, **override.columns}),
        values=_values(values),
        history=override.history if override.history is not None else base.history,
        records=override.records or base.records,
        key=override.key if override.key != DEFAULT_KEY else base.key,
        fields=MappingProxyType({**base.fields, **override.fields}),
        joins=override.joins or base.joins,
        signature=override.signature or base.signature,
        requester_is_customer=(
            override.requester_is_customer if "requester_is_customer" in override.given else base.requester_is_customer
        ),
    )


def spec_problems(tables: Sequence[TableSpec]) -> list[tuple[tuple[Any, ...], str]]:
    """What makes a list of tables unusable, each as (path inside the list, message)."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    by_name: dict[str, int] = {}
    for index, table in enumerate(tables):
        if table.name in by_name:
            problems.append(((index, "name"), f"two tables are named {table.name!r}"))
        by_name.setdefault(table.name, index)
    for index, table in enumerate(tables):
        if table.shape is TableShape.HISTORY and (table.history is None or isinstance(table.history, str)):
            problems.append(
                (
                    (index, "history"),
                    f"table {table.name!r} is a history: declare its "
                    f"columns with history: {{ticket, field, value, time}}",
                )
            )
        for number, join in enumerate(table.joins):
            target = by_name.get(join.table)
            where = (index, "joins", number)
            if target is None:
                problems.append(
                    (
                        where + ("table",),
                        f"table {table.name!r} joins {join.table!r}, "
                        f"which is not among the tables ({', '.join(by_name)})",
                    )
                )
                continue
            lookup = tables[target]
            if lookup.shape is not TableShape.LOOKUP:
                problems.append(
                    (
                        where + ("table",),
                        f"table {join.table!r} is {lookup.shape.value}, "
                        f"not a lookup: only a lookup table can be joined",
                    )
                )
                continue
            for kept in join.fields.values():
                if kept not in lookup.fields:
                    problems.append(
                        (
                            where + ("fields",),
                            f"lookup table {join.table!r} keeps no "
                            f"field {kept!r} (its fields: {', '.join(lookup.fields)})",
                        )
                    )
    return problems


@dataclass(frozen=True)
class TableMatch:
    """Which table a file is, and how that was decided (for the report's warnings)."""

    table: TableSpec
    how: str


class TableMatchError(ValueError):
    """A file that is no table, or two at once: the message says which and why."""


def match_table(path: str, columns: Iterable[str], tables: Sequence[TableSpec]) -> TableMatch:
    """The table a file belongs to: the one pattern that names it, else the table it is named
    after (`status.csv`), else the table whose signature its columns match best (a tie goes to
    the table whose name the file's name holds: `jira_status_data.csv`)."""
    name = PurePath(path).name.casefold()
    named = [t for t in tables if any(fnmatchcase(name, p.casefold()) for p in t.files)]
    if len(named) > 1:
        raise TableMatchError(
            "matches the file patterns of several tables: "
            + ", ".join(f"{t.name} ({' '.join(t.files)})" for t in named)
            + "; make the patterns exclusive (e.g. ticket.* and ticket_comment.*)"
        )
    if named:
        return TableMatch(named[0], f"by pattern {' '.join(named[0].files)}")
    stem = loose_key(PurePath(path).name.split(".")[0])
    same_name = [t for t in tables if loose_key(t.name) == stem]
    if len(same_name) == 1:
        return TableMatch(same_name[0], "by its file name")
    present = {loose_key(c) for c in columns}
    scored = []
    for table in tables:
        wanted = {loose_key(c) for c in table.columns_read}
        if not wanted:
            continue
        share = len(wanted & present) / len(wanted)
        scored.append((share, loose_key(table.name) in stem, len(wanted & present), table))
    scored.sort(key=lambda s: s[:3], reverse=True)
    if not scored or scored[0][0] < SIGNATURE_SHARE:
        best = f"; closest: {scored[0][3].name} ({round(scored[0][0] * 100)}% of its columns)" if scored else ""
        raise TableMatchError(
            f"matches no table of input.tables by its name or columns{best}; give the table a "
            f"files: pattern that names this file"
        )
    share, by_name, count, table = scored[0]
    if len(scored) > 1 and scored[1][:3] == (share, by_name, count):
        raise TableMatchError(
            f"has the columns of tables {table.name} and {scored[1][3].name} alike; give them files: patterns"
        )
    return TableMatch(table, f"by its columns ({count} of {len(table.columns_read)})")


# The files of a folder that are read as tables (compressed or not); others (a standard, notes)
# are left alone.
DATA_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".ndjson")


def data_files(folder: Path) -> list[Path]:
    """A folder's data files, by name."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.lower().removesuffix(".gz").endswith(DATA_SUFFIXES)
    )


def expand_folders(paths: Sequence[str | Path]) -> list[str | Path]:
    """The paths given, a folder standing for its data files (a synced warehouse's tables)."""
    expanded: list[str | Path] = []
    for path in paths:
        folder = Path(path)
        expanded.extend(data_files(folder) if folder.is_dir() else [path])
    return expanded
