"""The one small interface every check kind implements, and the outcomes it returns.

A check is built once per rule from the rule's options (raising `CheckConfigError` with the path of a
bad option), then asked about each ticket in scope. Checks never print and never compute file
positions: they return an `Outcome`, and the engine's finding factory stamps the location.
Aggregate checks (scores over all tickets) keep a mergeable state instead of per-ticket verdicts.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from svcaudit import reasons
from svcaudit.intake.model import Message, Ticket

if TYPE_CHECKING:
    from svcaudit.checks.columns import ColumnVerdicts, TicketColumns
    from svcaudit.checks.timeline import Timeline
    from svcaudit.standard.model import Rule
    from svcaudit.text import PhraseBank
    from svcaudit.timecalc.calendar import Calendar


class Status(str, enum.Enum):
    """The verdict of one rule on one ticket (or, for aggregate rules, on the whole audit)."""

    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"  # not decided yet at --as-of: still inside its target
    NOT_APPLICABLE = "not_applicable"


class Outcome(NamedTuple):
    """What a check found. `reason` explains every status but passed; the rest is evidence.

    A named tuple rather than a frozen dataclass: as immutable, and made in a third of the time
    (0.6 µs, not 1.8), which counts where a third of a million-row export's tickets fail.
    """

    status: Status
    reason: str = ""
    measured_seconds: int | None = None
    target_seconds: int | None = None
    due_at: datetime | None = None
    evidence: str | None = None
    message: Message | None = None  # the message that shows the finding, if one does
    field: str | None = None  # the input field the finding is about
    measured_value: float | None = None  # for non-time measures (scores)
    target_value: float | None = None


@dataclass(frozen=True)
class FailedColumns:
    """The findings of the rows a column kernel failed, in row order, a field at a time: each
    list holds a value per row (None: no row has one), `field` is every row's. Worded as
    `evaluate` words each: the audit makes them finding rows without an Outcome per row."""

    reasons: list[str]
    measured_seconds: list[int] | None = None
    target_seconds: list[int] | None = None
    due_at: Sequence[int] | None = None  # epoch microseconds (UTC): a numpy array
    evidence: list[str] | None = None
    field: str | None = None
    measured_value: Sequence[float | None] | None = None
    target_value: Sequence[float | None] | None = None

    def __len__(self) -> int:
        return len(self.reasons)


# A pass without evidence: one object for them all, as most verdicts are such passes.
PASSED = Outcome(Status.PASSED)


def passed(**evidence: Any) -> Outcome:
    return Outcome(Status.PASSED, **evidence) if evidence else PASSED


def failed(reason: str, **evidence: Any) -> Outcome:
    return Outcome(Status.FAILED, reason, **evidence)


def pending(reason: str, **evidence: Any) -> Outcome:
    return Outcome(Status.PENDING, reason, **evidence)


def not_applicable(reason: str) -> Outcome:
    """A rule that cannot judge this ticket; `reason` reads 'needs …' when data is missing."""
    return Outcome(Status.NOT_APPLICABLE, reason)


def rejected_field(ticket: Ticket, name: str) -> Outcome | None:
    """Not applicable when the ticket row's `name` was rejected (a reply stamped before creation):
    the rule needing it cannot judge the ticket, and says why, rather than measure without it."""
    if name in ticket.rejected_fields and not ticket.messages:
        return not_applicable(reasons.FIELD_REJECTED.text(field=name))
    return None


CREATED_AFTER_AS_OF = not_applicable(reasons.CREATED_AFTER_AS_OF.text())


# A rule judged a batch of ticket rows at a time (see `Check.column_kernel`).
ColumnKernel = Callable[["TicketColumns", "ColumnVerdicts"], None]


class CheckConfigError(ValueError):
    """A rule option a check cannot use; `path` is relative to the rule's mapping in the YAML."""

    def __init__(self, message: str, path: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class CheckEnv:
    """What a check may use when it is built: the standard's calendars and the shared phrase bank."""

    calendars: Mapping[str, Calendar]
    phrase_bank: PhraseBank
    timezone: str


NOISE_KINDS = ("quoted", "signature", "urls", "mentions")


class TicketContext:
    """Per-ticket facts computed at most once and shared by every rule (timeline, phrase scans)."""

    __slots__ = ("ticket", "as_of", "_bank", "_strip", "_scans", "_timelines")

    def __init__(self, ticket: Ticket, as_of: datetime, bank: PhraseBank, strip: frozenset[str] = frozenset()) -> None:
        self.ticket = ticket
        self.as_of = as_of
        self._bank = bank
        self._strip = strip  # kinds of noise removed before matching (the standard's text.strip)
        self._scans: dict[int, Any] = {}
        self._timelines: dict[bool, Timeline] = {}

    def timeline(self, bots_are_agents: bool = False) -> Timeline:
        """The ticket's conversation timeline; bots count as agents only when a rule says so."""
        found = self._timelines.get(bots_are_agents)
        if found is None:
            from svcaudit.checks.timeline import Timeline

            found = self._timelines[bots_are_agents] = Timeline(self.ticket, bots_are_agents)
        return found

    def scan(self, message: Message) -> Any:
        """One pass of all the standard's phrases over a message, cached for every rule."""
        found = self._scans.get(message.index)
        if found is None:
            text = message.text
            if self._strip:
                from svcaudit.text import strip_noise

                text = strip_noise(text, **{kind: kind in self._strip for kind in NOISE_KINDS})
            found = self._scans[message.index] = self._bank.scan(text)
        return found


class Check(ABC):
    """One check kind. The class docstring is its user documentation (`svcaudit rules`)."""

    KIND: ClassVar[str]
    SUMMARY: ClassVar[str]
    OPTIONS: ClassVar[dict[str, dict[str, Any]]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    # Example rules (each a rule's options, without `id` and `check`): shown by `svcaudit rules`
    # and, built into standards, the corpus on which tests hold the columnar core to the reference
    # loop, so a new kind is covered once it documents an example. Every kind gives at least one.
    EXAMPLES: ClassVar[tuple[dict[str, Any], ...]] = ()
    # Whether `evaluate` reads `ticket.fields`, the columns beyond the typed ones. A check that does
    # not may be given a ticket row typed without them; one that says nothing reads them all.
    READS_FIELDS: ClassVar[bool] = True

    # Whether the verdict turns on who wrote each message (an agent's reply, a customer's
    # request): a conversation whose messages have no author_role is not applicable to it.
    READS_ROLES: ClassVar[bool] = False

    def __init__(self, rule: Rule, env: CheckEnv) -> None:
        self.rule = rule

    @property
    def reads_roles(self) -> bool:
        return self.READS_ROLES

    @abstractmethod
    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        """The verdict on one ticket in the rule's scope."""

    def column_kernel(self, as_of: datetime) -> ColumnKernel | None:
        """The rule's verdicts on a batch of ticket rows (`checks.columns`), settled into the
        `ColumnVerdicts` it is given (rows a rule's `when` settled are closed already), or None when
        the check has no kernel: then `evaluate` judges every row. A kernel settles what it can
        settle exactly (passes, pending rows, not-applicable with its reason, and failures it
        can word with `column_failures`) and defers every other row to `evaluate`."""
        return None

    def column_failures(self, numbers: dict[str, Any], as_of: datetime) -> FailedColumns:
        """The findings of the rows this check's kernel failed (`ColumnVerdicts.fail`), in row
        order, from the numbers the kernel gave: each field of the Outcome `evaluate` gives that
        row, as a column."""
        raise NotImplementedError(f"{type(self).__name__}'s kernel fails no row")


def constant_kernel(outcome: Outcome) -> ColumnKernel:
    """A kernel for a check that cannot judge any ticket row: the same not-applicable for all."""

    def kernel(cols: TicketColumns, verdicts: ColumnVerdicts) -> None:
        verdicts.not_applicable(verdicts.open, outcome.reason)

    return kernel


# The verdict of a conversation rule on a ticket without messages (and of any rule that needs them).
NEEDS_MESSAGE_ROWS = not_applicable(reasons.NEEDS_MESSAGE_ROWS.text())
# The verdict of a rule that reads roles on a conversation whose export has no author_role column.
NEEDS_AUTHOR_ROLE = not_applicable(reasons.NEEDS_AUTHOR_ROLE.text())


class ConversationCheck(Check):
    """A check that reads the conversation: a ticket row alone gives it nothing to search."""

    READS_ROLES = True

    def column_kernel(self, as_of: datetime) -> ColumnKernel | None:
        return constant_kernel(NEEDS_MESSAGE_ROWS)


class AggregateCheck(Check):
    """A check judged once over all audited tickets, from a state that shards can merge."""

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:  # pragma: no cover
        raise TypeError("aggregate checks observe tickets; they do not judge them one by one")

    @abstractmethod
    def new_state(self) -> Any:
        """An empty accumulator (JSON-serialisable, so partial results can be merged)."""

    @abstractmethod
    def observe(self, state: Any, ticket: Ticket) -> Any:
        """Fold one ticket into the state; returns the state."""

    @abstractmethod
    def merge(self, left: Any, right: Any) -> Any:
        """Combine two states of disjoint sets of tickets."""

    @abstractmethod
    def finish(self, state: Any) -> Outcome:
        """The rule's one verdict over everything observed."""
