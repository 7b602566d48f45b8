"""The frozen model of a loaded standard: what the engine runs, with no YAML left in it.

Rules keep their check-specific options as a read-only mapping; each check kind reads its own options
when it is built, so this module does not need to know about any check kind.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from svcaudit.errors import Location
from svcaudit.intake.presets import HistoryLayout, MessagesLayout
from svcaudit.intake.tables import TableSpec
from svcaudit.timecalc.durations import Duration

if TYPE_CHECKING:
    from svcaudit.checks.base import Check
    from svcaudit.text import PhraseBank
    from svcaudit.timecalc.calendar import Calendar


class Severity(str, enum.Enum):
    """`error` counts against compliance; `warning` is reported only."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Conditions:
    """`when`: the rule applies only to tickets that meet every condition given."""

    first_reply_over: Duration | None = None
    reopened: bool | None = None
    resolved: bool | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.first_reply_over, self.reopened, self.resolved))


@dataclass(frozen=True)
class Rule:
    """One rule of the standard, as written, with its place in the file."""

    id: str
    check: str
    title: str
    severity: Severity
    options: Mapping[str, Any]
    where: Mapping[str, frozenset[str]]
    when: Conditions
    min_compliance: float | None
    description: str | None
    location: Location
    path: tuple[Any, ...]  # of the rule's mapping inside the YAML document
    dimension: str | None = None  # the quality dimension it measures (SERVQUAL, 5R, …)
    tags: tuple[str, ...] = ()
    weight: float = 1.0  # in the per-ticket quality score
    critical: bool = False  # a failure zeroes the ticket's quality score
    min_judged: int | None = None  # fewer tickets judged than this fails the gate

    @property
    def counts(self) -> bool:
        return self.severity is Severity.ERROR

    def in_scope(self, fields: Mapping[str, str]) -> str | None:
        """None when a ticket's fields meet `where`; else the first field that excludes it."""
        for name, allowed in self.where.items():
            value = fields.get(name)
            if value is None or value.casefold() not in allowed:
                return name
        return None


@dataclass(frozen=True)
class InputSpec:
    """How to read an export: column and value mappings, how to read ambiguous dates, and the
    JSON and history shapes (`records`, `messages`, `history`); None where the preset decides."""

    preset: str = "generic"
    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_order: str | None = None  # "day-first" | "month-first"; None: decided per column
    nulls: tuple[str, ...] | None = None  # None: the default null markers
    duplicates: str = "reject"  # "reject" | "first" | "last"
    records: str | None = None  # dotted path of the rows' array in a JSON document
    messages: MessagesLayout | None = None  # a nested transcript inside each JSON row
    history: HistoryLayout | str | None = None  # a field-history table, or "rows" (an event log)
    # `input.tables` (with the input preset's own tables beneath): several related tables read
    # as one audit; empty for one mapping serving every file.
    tables: tuple[TableSpec, ...] = ()

    @property
    def day_first(self) -> bool:
        return self.date_order == "day-first"


@dataclass(frozen=True)
class Standard:
    """A validated standard ready to run: rules with their built checks, calendars, phrase bank."""

    name: str
    source: str
    timezone: str
    pass_threshold: float
    input: InputSpec
    calendars: Mapping[str, Calendar]
    rules: tuple[Rule, ...]
    checks: tuple[Check, ...]
    phrase_bank: PhraseBank
    description: str | None = None
    text_strip: frozenset[str] = frozenset()  # noise removed from messages before matching
    quality: bool = False  # the standard asks for per-ticket quality scores
    quality_min: float | None = None
    fingerprint: str = ""  # sha256 of the standard's text
