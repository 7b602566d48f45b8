"""Load a standard: find it, read it safely, validate it, and build the frozen model with its checks.

Order of trust: YAML syntax, then the format version, then the JSON Schema, then meaning (time zones,
calendars, durations, duplicate ids, each check's own options). Every failure is a StandardError at
file:line:column. Building the checks here means `svcaudit validate` catches everything `check` would.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from svcaudit.checks.base import CheckConfigError, CheckEnv
from svcaudit.checks.registry import CHECK_KINDS
from svcaudit.errors import Location, StandardError, closest
from svcaudit.intake.nulls import DEFAULT_NULLS, STATUS_WORDS, NullMarkers
from svcaudit.intake.presets import (
    HISTORY_FROM_ROWS,
    PRESETS,
    HistoryLayout,
    MessagesLayout,
    effective_tables,
    get_preset,
)
from svcaudit.intake.tables import TableSpec, spec_problems
from svcaudit.shares import parse_share
from svcaudit.standard.model import Conditions, InputSpec, Rule, Severity, Standard
from svcaudit.standard.schema import RULE_COMMON, validate_document
from svcaudit.standard.yamlsource import YamlDocument, load_yaml
from svcaudit.text import PhraseBank, PhraseError
from svcaudit.timecalc.calendar import ALWAYS_OPEN, ALWAYS_OPEN_NAME, CalendarConfigError, build_calendar
from svcaudit.timecalc.durations import DurationError, parse_duration

FORMAT_VERSION = 1
DISCOVERY_NAME = "svcaudit.yaml"
BUILTIN_PREFIX = "builtin:"
DEFAULT_BUILTIN = "default"
DEFAULT_TIMEZONE = "UTC"
RULE_KEYS = frozenset(RULE_COMMON)  # the keys every rule takes; the rest are its check's options


def builtin_names() -> list[str]:
    folder = resources.files("svcaudit").joinpath("builtin")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    if name not in builtin_names():
        raise StandardError(
            f"no built-in standard {name!r} (built-in: {', '.join(builtin_names())})",
            Location(BUILTIN_PREFIX + name),
            closest(name, builtin_names()),
        )
    return resources.files("svcaudit").joinpath(f"builtin/{name}.yaml").read_text("utf-8")


def discover(explicit: str | None, start: Path | None = None) -> str:
    """Which standard an audit uses: --standard, else the nearest svcaudit.yaml upwards, else builtin."""
    if explicit:
        return explicit
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        found = candidate / DISCOVERY_NAME
        if found.is_file():
            return str(found)
    return BUILTIN_PREFIX + DEFAULT_BUILTIN


def load_standard(spec: str) -> Standard:
    """A ready standard from a path or `builtin:NAME`."""
    if spec.startswith(BUILTIN_PREFIX):
        return parse_standard(builtin_text(spec[len(BUILTIN_PREFIX) :]), spec)
    path = Path(spec)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StandardError("no such standard file", Location(spec)) from None
    except IsADirectoryError:
        raise StandardError("is a directory, not a standard file", Location(spec)) from None
    except UnicodeDecodeError:
        raise StandardError("a standard must be UTF-8 text", Location(spec)) from None
    except OSError as exc:
        raise StandardError(f"cannot read: {exc.strerror}", Location(spec)) from None
    return parse_standard(text, spec)


def parse_standard(text: str, source: str) -> Standard:
    document = load_yaml(text, source)
    data = document.data
    if not isinstance(data, dict):
        raise StandardError("a standard is a mapping of keys (svcaudit, name, rules, …)", document.locate(()))
    _check_version(document)
    validate_document(document)
    standard = _Builder(document).build()
    # Partial results of shards may only be merged when they were judged by the same text.
    return replace(standard, fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _check_version(document: YamlDocument) -> None:
    data = document.data
    if "svcaudit" not in data:
        raise StandardError(
            "missing the format version: add `svcaudit: 1` as the first line", Location(document.path, 1, 1)
        )
    if data["svcaudit"] != FORMAT_VERSION or isinstance(data["svcaudit"], bool):
        raise StandardError(
            f"unsupported format version {data['svcaudit']!r}; this svcaudit reads `svcaudit: 1`",
            document.locate(("svcaudit",)),
        )


class _Builder:
    """Meaning-level validation and model building over a schema-valid document."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data

    def fail(
        self, message: str, path: tuple[Any, ...], *, key: bool = False, suggestion: str | None = None
    ) -> StandardError:
        return StandardError(message, self.document.locate(path, key=key), suggestion)

    def build(self) -> Standard:
        timezone = self.data.get("timezone", DEFAULT_TIMEZONE)
        self._zone(timezone, ("timezone",))
        threshold = self._share("pass_threshold", ("pass_threshold",), default=1.0)
        calendars = self._calendars(timezone)
        bank = PhraseBank()
        env = CheckEnv(calendars=MappingProxyType(calendars), phrase_bank=bank, timezone=timezone)
        rules = self._rules()
        checks = []
        for rule in rules:
            try:
                checks.append(CHECK_KINDS[rule.check](rule, env))
            except CheckConfigError as exc:
                raise self.fail(exc.message, rule.path + tuple(exc.path)) from None
        try:
            bank.prepare()
        except PhraseError as exc:
            raise self.fail(exc.message, ("rules",), key=True) from None
        source = self.document.path
        name = self.data.get("name") or Path(source.removeprefix(BUILTIN_PREFIX)).stem
        return Standard(
            name=name,
            source=source,
            timezone=timezone,
            pass_threshold=threshold,
            input=self._input(),
            calendars=MappingProxyType(calendars),
            rules=tuple(rules),
            checks=tuple(checks),
            phrase_bank=bank,
            description=self.data.get("description"),
            text_strip=frozenset(self.data.get("text", {}).get("strip", ())),
            quality="quality" in self.data or any("weight" in r or "critical" in r for r in self.data["rules"]),
            quality_min=self._share("min", ("quality", "min"), None, self.data.get("quality", {})),
        )

    def _zone(self, name: str, path: tuple[Any, ...]) -> ZoneInfo:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(f"unknown time zone {name!r}; use an IANA name such as Europe/Moscow", path) from None

    @overload
    def _share(self, key: str, path: tuple[Any, ...], default: float, data: dict[str, Any] | None = None) -> float: ...

    @overload
    def _share(
        self, key: str, path: tuple[Any, ...], default: None, data: dict[str, Any] | None = None
    ) -> float | None: ...

    def _share(
        self, key: str, path: tuple[Any, ...], default: float | None, data: dict[str, Any] | None = None
    ) -> float | None:
        data = self.data if data is None else data
        if key not in data:
            return default
        try:
            return parse_share(data[key])
        except ValueError as exc:
            raise self.fail(str(exc), path) from None

    def _calendars(self, timezone: str) -> dict[str, Any]:
        calendars: dict[str, Any] = {ALWAYS_OPEN_NAME: ALWAYS_OPEN}
        for name, config in self.data.get("calendars", {}).items():
            if name == ALWAYS_OPEN_NAME:
                raise self.fail('"24/7" is built in and cannot be redefined', ("calendars", name), key=True)
            try:
                calendars[name] = build_calendar(name, config, timezone)
            except CalendarConfigError as exc:
                raise self.fail(exc.message, ("calendars", name, *exc.path)) from None
        return calendars

    def _input(self) -> InputSpec:
        spec = self.data.get("input", {})
        values = {
            field: MappingProxyType({str(k): str(v) for k, v in table.items()})
            for field, table in spec.get("values", {}).items()
        }
        preset = spec.get("preset", "generic")
        preset_found = get_preset(preset)
        if preset_found is None:
            raise self.fail(
                f"unknown input preset {preset!r} (presets: {', '.join(PRESETS)})",
                ("input", "preset"),
                suggestion=closest(preset, PRESETS),
            )
        nulls = spec.get("nulls")
        markers = NullMarkers(nulls)
        status_words = set(STATUS_WORDS)
        if values:
            # Here, not at the top: the field parsers (and dateutil's, under them) load only for a
            # standard that maps values, so `svcaudit validate` of one that does not skips them.
            from svcaudit.intake.fields import is_nullable

            for field_name, table in values.items():
                if is_nullable(field_name):  # a marker is read as empty only in these fields
                    for raw, canonical in table.items():
                        status_words.update((raw, canonical))
        collisions = markers.collisions(status_words)
        if collisions:
            fix = (
                "remove it from input.nulls"
                if nulls is not None
                else f"it is a default marker: set input.nulls to the markers the export uses, "
                f"without it (default: {', '.join(DEFAULT_NULLS)})"
            )
            raise self.fail(
                f"null marker {collisions[0]!r} is also a status or mapped value; reading it as "
                f"empty would erase real values: {fix}",
                ("input", "nulls") if nulls is not None else ("input",),
            )
        history = spec.get("history")
        tables = self._tables(spec, preset_found.tables)
        event_log = history == HISTORY_FROM_ROWS or any(t.history == HISTORY_FROM_ROWS for t in tables)
        duplicates = spec.get("duplicates", "last" if event_log else "reject")
        if event_log and duplicates != "last":
            raise self.fail(
                f"input.history: rows reads every row of a ticket as one update and keeps the "
                f"latest as the ticket; it needs input.duplicates: last, not {duplicates!r}",
                ("input", "duplicates"),
            )
        return InputSpec(
            preset=preset,
            columns=MappingProxyType(dict(spec.get("columns", {}))),
            values=MappingProxyType(values),
            date_order=spec.get("date_order"),
            nulls=None if nulls is None else tuple(nulls),
            duplicates=duplicates,
            records=spec.get("records"),
            messages=MessagesLayout.from_mapping(spec["messages"]) if "messages" in spec else None,
            history=(HistoryLayout.from_mapping(history) if isinstance(history, dict) else history),
            tables=tables,
        )

    def _tables(self, spec: dict[str, Any], preset_tables: tuple[TableSpec, ...]) -> tuple[TableSpec, ...]:
        """`input.tables` over the input preset's tables, each table's own preset beneath it;
        a join to a table that is not a lookup, or to a field it does not keep, fails here."""
        declared = [TableSpec.from_mapping(t) for t in spec.get("tables", ())]
        for index, table in enumerate(declared):
            if table.preset is not None and get_preset(table.preset) is None:
                raise self.fail(
                    f"unknown input preset {table.preset!r}",
                    ("input", "tables", index, "preset"),
                    suggestion=closest(table.preset, PRESETS),
                )
        if not declared and not preset_tables:
            return ()
        tables = effective_tables(preset_tables, declared)
        names = [t.name for t in declared]
        for (index, *rest), message in spec_problems(tables):
            name = tables[index].name
            path = ("input", "tables", names.index(name), *rest) if name in names else ("input", "preset")
            raise self.fail(message, path)
        return tables

    def _rules(self) -> list[Rule]:
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(self.data["rules"]):
            path = ("rules", index)
            rule_id = raw["id"]
            if rule_id in seen:
                first_line = self.document.locate(("rules", seen[rule_id], "id")).line
                raise self.fail(f"duplicate rule id {rule_id!r} (first at line {first_line})", path + ("id",))
            seen[rule_id] = index
            where = {
                str(field): frozenset(str(v).casefold() for v in (value if isinstance(value, list) else [value]))
                for field, value in raw.get("where", {}).items()
            }
            rules.append(
                Rule(
                    id=rule_id,
                    check=raw["check"],
                    title=raw.get("title", rule_id),
                    severity=Severity(raw.get("severity", "error")),
                    options=MappingProxyType({k: v for k, v in raw.items() if k not in RULE_KEYS}),
                    where=MappingProxyType(where),
                    when=self._conditions(raw.get("when", {}), path + ("when",)),
                    min_compliance=self._share("min_compliance", path + ("min_compliance",), None, raw),
                    description=raw.get("description"),
                    location=self.document.locate(path),
                    path=path,
                    dimension=raw.get("dimension"),
                    tags=tuple(raw.get("tags", ())),
                    weight=float(raw.get("weight", 1)),
                    critical=bool(raw.get("critical", False)),
                    min_judged=raw.get("min_judged"),
                )
            )
        return rules

    def _conditions(self, raw: dict[str, Any], path: tuple[Any, ...]) -> Conditions:
        first_reply_over = None
        if "first_reply_over" in raw:
            try:
                first_reply_over = parse_duration(raw["first_reply_over"])
            except DurationError as exc:
                raise self.fail(str(exc), path + ("first_reply_over",)) from None
        return Conditions(first_reply_over=first_reply_over, reopened=raw.get("reopened"), resolved=raw.get("resolved"))
