"""The columnar core against the reference rule loop: the same ticket rows leave the same Tally.

`ColumnAudit` must leave a Tally exactly as `tally.add(judge_ticket(...))` row by row does: rule counts
and not-applicable reasons, violations in order with every field, waived findings, KPIs, quality,
aggregate states and waiver use; and so again after `finish`. Tickets are ticket rows without messages,
typed by the standard's RowParser or built as `Ticket`s, whose timestamps and as-of straddle the
rules' due times by a second or a microsecond. Every builtin, the business-hours benchmark standard
and the corpus generated from every check kind's example rules (tests/audit/corpus.py) run the same
properties; the small standards below serve the fixed cases.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.audit.columnar import ColumnAudit, Subjects, failure_rows, unsupported
from svcaudit.audit.conditions import conditions_unmet
from svcaudit.audit.engine import Tally, judge_ticket, make_row_parser, violation_row
from svcaudit.audit.plan import AuditPlan
from svcaudit.checks.base import Outcome, Status, TicketContext
from svcaudit.checks.columns import DEFER, FAIL, NOT_APPLICABLE, PASS, PENDING
from svcaudit.checks.response_time import ResponseTimeCheck
from svcaudit.intake.columns import TICKET_FIELDS
from svcaudit.intake.fields import FieldError
from svcaudit.intake.model import TYPED_FIELDS, RowRef, Ticket
from svcaudit.standard.loader import load_standard, parse_standard
from svcaudit.standard.model import Standard
from svcaudit.standard.waivers import Waivers, load_waivers
from svcaudit.timecalc.calendar import ALWAYS_OPEN
from svcaudit.timecalc.clock import Clock
from tests.audit.corpus import CORPUS, corpus_standard
from tests.audit.typed_rows import RowsAsColumns, judge_tickets_by_columns
from tests.paths import REPO

UTC = timezone.utc
TICKETS_PATH = "tickets.csv"
BUSINESS_HOURS = REPO / "benchmarks" / "standards" / "business-hours.yaml"

HEADER = "svcaudit: 1\nname: {name}\ntimezone: {zone}\n"
# Standards for the fixed cases below; the properties run on the generated corpus (tests/audit/corpus.py).
INLINE = {
    "conditions": """
rules:
  - {id: late-apology, check: phrases, when: {first_reply_over: 4h}, in: first_agent_message,
     require_any: [sorry]}
  - {id: late-resolution, check: response_time, metric: resolution, target: 1d,
     when: {first_reply_over: 4h}}
  - {id: slow-by-days, check: resolution, when: {first_reply_over: 1d}}
  - {id: open-reply, check: response_time, metric: first_reply, target: 1h, when: {resolved: false}}
  - {id: resolved-reply, check: response_time, metric: first_reply, target: 4h,
     when: {resolved: true}}
  - {id: reopened-limit, check: resolution, max_reopens: 1, when: {reopened: true}}
  - {id: never-reopened, check: resolution, when: {reopened: false}}
  - {id: all-three, check: response_time, metric: first_reply, target: 30m,
     when: {first_reply_over: 5m, reopened: false, resolved: true}}
  - {id: next-when-resolved, check: response_time, metric: next_reply, target: 1h,
     when: {resolved: true}}
  - {id: csat, check: score, metric: csat, min: 80%}
""",
    "targets-without-default": """
rules:
  - {id: no-default, check: response_time, metric: first_reply, targets: {urgent: 1h, high: 4h}}
  - {id: resolution-no-default, check: response_time, metric: resolution,
     targets: {Urgent: 2h, LOW: 3d}}
  - {id: working-days-on-24-7, check: response_time, metric: resolution,
     targets: {normal: 2bd, default: 1bd}}
  - {id: one-second, check: response_time, metric: first_reply, target: 1s}
""",
    "resolution": """
rules:
  - {id: ends-resolved, check: resolution, resolved_statuses: [done, Closed]}
  - {id: default-statuses, check: resolution}
  - {id: first-resolution, check: response_time, metric: resolution, target: 1d,
     resolution: first}
  - {id: first-resolution-done, check: response_time, metric: resolution, target: 4h,
     resolution: first, resolved_statuses: [done]}
  - {id: reply-done, check: response_time, metric: first_reply, target: 1h,
     resolved_statuses: [done]}
  - {id: reopens-limit, check: resolution, max_reopens: 2, resolved_statuses: [solved]}
""",
    "waived": """
rules:
  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}
  - {id: resolved, check: resolution, max_reopens: 0}
  - {id: resolution, check: response_time, metric: resolution, target: 1d}
  - {id: csat, check: score, metric: csat, min: 90%}
""",
}
BUILTINS = ("default", "retail-ru", "it-helpdesk", "chatbot", "5r")
# Standards with a `where` scope (retail-ru's, say) go to the reference path whole (`unsupported`).
STANDARD_NAMES = (*(f"builtin:{name}" for name in BUILTINS), "business-hours", *CORPUS)
# Every standard runs with and without these; they match rules of any standard by pattern.
WAIVERS = """
waivers:
  - {ticket: "T1*", rule: first-reply, reason: agreed delay}
  - {ticket: "*", rule: resolved, reason: old data, expires: 2020-01-01}
  - {ticket: T2, rule: "*", reason: VIP customer}
  - {ticket: "*", rule: csat, reason: survey broken}
  - {ticket: "T3?", rule: "res*", reason: migrated}
  - {ticket: "*", rule: "*reply*", reason: never matched twice, expires: 2026-06-30}
  - {ticket: "T1?", rule: "response-time-*", reason: corpus rules}
  - {ticket: "*", rule: score-1, reason: corpus survey}
"""


@cache
def load(name: str) -> Standard:
    if name.startswith("builtin:"):
        return load_standard(name)
    if name == "business-hours":
        return load_standard(str(BUSINESS_HOURS))
    if name in CORPUS:
        return corpus_standard(name)
    return parse_standard(HEADER.format(name=name, zone="Europe/Moscow") + INLINE[name], f"{name}.yaml")


@pytest.fixture(scope="module")
def waiver_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("waivers") / "waivers.yaml"
    path.write_text(WAIVERS, encoding="utf-8")
    return path


# -- the two paths -------------------------------------------------------------------------------


def general_tally(standard: Standard, tickets: list[Ticket], as_of: datetime, waivers: Waivers | None) -> Tally:
    tally = Tally(AuditPlan.of(standard), waivers=waivers)
    for ticket in tickets:
        tally.add(judge_ticket(AuditPlan.of(standard), ticket, as_of))
    return tally


def columnar_tally(standard: Standard, tickets: list[Ticket], as_of: datetime, waivers: Waivers | None) -> Tally:
    plan = AuditPlan.of(standard)
    problem = unsupported(plan)
    if problem is not None:
        pytest.skip(f"the columnar core does not take this standard ({problem})")
    tally = Tally(plan, waivers=waivers)
    judge_tickets_by_columns(tally, tickets, as_of)
    return tally


def everything(tally: Tally) -> dict[str, Any]:
    """All a report reads from a tally: its state, the findings as objects, results and KPIs."""
    standard = tally.standard
    return {
        "state": tally.state(),
        "violations": list(tally.violations),
        "waived": list(tally.waived),
        "results": [(r.to_dict(), r.value, dict(r.reasons)) for r in tally.results],
        "metrics": tally.metrics.to_dict(),
        "quality": None if tally.quality is None else tally.quality.to_dict(standard.quality_min),
        "waivers": None if tally.waivers is None else tally.waivers.report(tally.waiver_use),
    }


def assert_same_tallies(columnar: Tally, general: Tally) -> None:
    assert columnar.state() == general.state()
    assert columnar.violations == general.violations
    assert columnar.waived == general.waived
    columnar.finish()
    general.finish()
    assert everything(columnar) == everything(general)


# -- ticket rows ---------------------------------------------------------------------------------

ANCHORS = (
    datetime(2026, 11, 2, 9, 0, tzinfo=UTC),  # a Monday morning
    datetime(2026, 11, 6, 16, 30, tzinfo=UTC),  # a Friday afternoon: targets run over the weekend
    datetime(2026, 4, 30, 14, 0, tzinfo=UTC),  # before the Russian May holidays
    datetime(2026, 12, 23, 15, 0, tzinfo=UTC),  # before the Berlin service desk's holidays
    datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # the night before Europe's spring DST change
    datetime(2026, 10, 24, 22, 45, tzinfo=UTC),  # the night before the autumn change
)
TARGET_SECONDS = (1, 5, 300, 1800, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 259200, 432000)
NUDGES = (
    timedelta(0),
    timedelta(seconds=-1),
    timedelta(seconds=1),
    timedelta(microseconds=1),
    timedelta(microseconds=-1),
    timedelta(seconds=1, microseconds=-1),
    timedelta(microseconds=500000),
)
IDS = ("T1", "T2", "T10", "T31", "T3", "t1", "A-7", "T2 ")
PRIORITIES = ("urgent", "high", "normal", "low", "High", "p1", "critical", "weird")
STATUSES = ("solved", "resolved", "closed", "open", "pending", "on-hold", "done", "Solved", "new", "Готово")
CHANNELS = ("email", "chat", "phone", "Email", "web", "mail")
LANGUAGES = ("ru", "en", "RU", "de")
AGENTS = ("Ann", "Bo", "Анна")
TEAMS = ("A", "B")
OPTIONAL_COLUMNS = (
    *TICKET_FIELDS[2:],  # every canonical field after ticket_id and created_at
    "language",
    "zendesk_first_reply_minutes",
    "resolution_hours",
    "wait_time",
)
# Headers as exports have them: everything, or without the reply or resolution columns, or thin.
COLUMN_SETS = (
    OPTIONAL_COLUMNS,
    tuple(c for c in OPTIONAL_COLUMNS if c != "first_reply_at"),
    tuple(c for c in OPTIONAL_COLUMNS if c != "resolved_at"),
    tuple(c for c in OPTIONAL_COLUMNS if c not in ("first_reply_at", "resolved_at")),
    tuple(c for c in OPTIONAL_COLUMNS if c not in ("status", "reopens")),
    ("first_reply_at", "priority"),
    ("resolved_at", "status", "reopens"),
    (),
)


def due_times(standard: Standard, start: datetime) -> list[datetime]:
    """When each target of the standard's timed rules falls due for a ticket created at `start`."""
    dues = [start + timedelta(seconds=seconds) for seconds in TARGET_SECONDS]
    for check in standard.checks:
        measure = getattr(check, "measure", check)  # helpdesk_agreement wraps a response_time
        if isinstance(measure, ResponseTimeCheck):
            for target in measure.targets.values():
                dues.append(measure.deadline(Clock(measure.calendar), start, target)[1])
    return dues


@st.composite
def moments_after(draw, standard: Standard, start: datetime) -> datetime:
    """An instant after `start`: a due time of the standard nudged by a second or a microsecond,
    or anywhere in the next two weeks."""
    if draw(st.booleans()):
        base = draw(st.sampled_from(due_times(standard, start)))
        return max(start, base + draw(st.sampled_from(NUDGES)))
    return start + timedelta(
        seconds=draw(st.integers(0, 14 * 86400)), microseconds=draw(st.sampled_from((0, 0, 1, 999999)))
    )


@dataclass
class Row:
    """One ticket row: its header (beyond ticket_id and created_at) and its values (None: blank)."""

    columns: tuple[str, ...]
    values: dict[str, Any]

    def cell(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.isoformat().replace("+00:00", "Z")
        return str(value)

    @property
    def names(self) -> list[str]:
        return ["ticket_id", "created_at", *self.columns]

    @property
    def cells(self) -> list[str]:
        return [self.cell(name) for name in self.names]

    def ticket(self, row: int) -> Ticket:
        """The row built directly as a Ticket, as typing it would (bar case-folding)."""
        values = {name: self.values.get(name) for name in self.names}
        typed = {name: value for name, value in values.items() if name != "ticket_id" and name in TICKET_ATTRIBUTES}
        return Ticket(
            ticket_id=values["ticket_id"],
            ref=RowRef(TICKETS_PATH, row),
            has_ticket_row=True,
            fields={name: self.cell(name) for name in self.names if self.cell(name)},
            columns=frozenset(self.names),
            **typed,
        )


TICKET_ATTRIBUTES = TYPED_FIELDS


@st.composite
def rows(draw, standard: Standard, anchor: datetime) -> Row:
    columns = draw(st.sampled_from(COLUMN_SETS) | st.just(OPTIONAL_COLUMNS))
    # A blank cell or (three times in four) a value.
    maybe = lambda strategy: draw(st.one_of(st.none(), strategy, strategy, strategy))  # noqa: E731
    created = anchor + timedelta(
        seconds=draw(st.sampled_from((0, 0, 1, 3600, 86400)) | st.integers(0, 3 * 86400)),
        microseconds=draw(st.sampled_from((0, 0, 250000))),
    )
    first_reply = maybe(moments_after(standard, created))
    resolved = maybe(moments_after(standard, first_reply or created))
    measured = (first_reply - created).total_seconds() / 60 if first_reply else None
    values = {
        "ticket_id": draw(st.sampled_from(IDS)),
        "created_at": None if draw(st.integers(0, 9)) == 0 else created,
        "first_reply_at": first_reply,
        "resolved_at": resolved,
        "status": maybe(st.sampled_from(STATUSES)),
        "priority": maybe(st.sampled_from(PRIORITIES)),
        "channel": maybe(st.sampled_from(CHANNELS)),
        "language": maybe(st.sampled_from(LANGUAGES)),
        "agent": maybe(st.sampled_from(AGENTS)),
        "team": maybe(st.sampled_from(TEAMS)),
        "customer_name": maybe(st.sampled_from(("Bob", "Маша"))),
        "reopens": maybe(st.sampled_from((0, 1, 3))),
        "csat": maybe(st.sampled_from((1.0, 3.0, 4.0, 4.5, 5.0))),
        "nps": maybe(st.sampled_from((0.0, 6.0, 7.0, 9.0, 10.0))),
        "ces": maybe(st.sampled_from((1.0, 2.5, 7.0))),
        "zendesk_first_reply_minutes": maybe(
            st.sampled_from(("x", "4,5", *(() if measured is None else (f"{measured:.0f}", f"{measured + 2:.0f}"))))
        ),
        "resolution_hours": maybe(st.sampled_from(("1", "24", "0.5"))),
        "wait_time": maybe(st.sampled_from(("0:45", "2:05:11", "7200", "-5", "PT2H"))),
    }
    return Row(
        columns,
        {name: value for name, value in values.items() if name in ("ticket_id", "created_at") or name in columns},
    )


@st.composite
def audits(draw, standard: Standard) -> tuple[list[Row], datetime]:
    """Rows around one anchor, and an as-of before, at or after their due times."""
    anchor = draw(st.sampled_from(ANCHORS))
    batch = draw(st.lists(rows(standard, anchor), min_size=1, max_size=8))
    as_of = draw(
        moments_after(standard, anchor) | st.sampled_from((anchor - timedelta(hours=1), anchor + timedelta(days=60)))
    )
    return batch, as_of


def typed(standard: Standard, batch: list[Row]) -> list[Ticket]:
    """The rows typed by the standard's RowParser; a row it rejects is left out (as intake does)."""
    parser = make_row_parser(standard)
    tickets = []
    for number, row in enumerate(batch, start=2):
        try:
            tickets.append(parser.ticket(RowRef(TICKETS_PATH, number), dict(zip(row.names, row.cells, strict=True))))
        except FieldError:
            continue
    return tickets


def read_row(call) -> Ticket | tuple[str, str]:
    """A typed ticket, or (field, message) of the row's rejection."""
    try:
        return call()
    except FieldError as exc:
        return (exc.field, exc.message)


def waivers_for(use: bool, path: Path, standard: Standard, as_of: datetime) -> Waivers | None:
    return load_waivers(path, as_of, standard.timezone) if use else None


# Every standard and variant gets its own run; the suite keeps each short.
# SVCAUDIT_EQUIVALENCE_EXAMPLES=2000 digs deeper (tests/audit/test_columnar*.py).
EXAMPLES = int(os.environ.get("SVCAUDIT_EQUIVALENCE_EXAMPLES", "25"))
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


# -- the properties ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", STANDARD_NAMES)
@PROPERTY
@given(data=st.data())
def test_typed_rows_tally_as_judge_ticket_tallies_them(name, data, waiver_file):
    standard = load(name)
    batch, as_of = data.draw(audits(standard))
    tickets = typed(standard, batch)
    use_waivers = data.draw(st.booleans(), label="waivers")
    assert_same_tallies(
        columnar_tally(standard, tickets, as_of, waivers_for(use_waivers, waiver_file, standard, as_of)),
        general_tally(standard, tickets, as_of, waivers_for(use_waivers, waiver_file, standard, as_of)),
    )


@pytest.mark.parametrize("name", STANDARD_NAMES)
@PROPERTY
@given(data=st.data())
def test_built_tickets_tally_as_judge_ticket_tallies_them(name, data, waiver_file):
    # Built directly, values keep their case ("High", "Solved"): both paths must read them alike.
    standard = load(name)
    batch, as_of = data.draw(audits(standard))
    tickets = [row.ticket(number) for number, row in enumerate(batch, start=2)]
    use_waivers = data.draw(st.booleans(), label="waivers")
    assert_same_tallies(
        columnar_tally(standard, tickets, as_of, waivers_for(use_waivers, waiver_file, standard, as_of)),
        general_tally(standard, tickets, as_of, waivers_for(use_waivers, waiver_file, standard, as_of)),
    )


@pytest.mark.parametrize("name", STANDARD_NAMES)
@PROPERTY
@given(data=st.data())
def test_every_kernel_settles_rows_as_evaluate_and_conditions_unmet(name, data):
    """Rule by rule, where the tallies above only see sums: what a column kernel settles is
    `evaluate`'s verdict (a pass, a pending row, a not-applicable with its very reason), and the
    column conditions are `conditions_unmet`."""
    standard = load(name)
    batch, as_of = data.draw(audits(standard))
    tickets = [t for t in typed(standard, batch) if not t.rejected_fields]
    tickets = [t for t in tickets if t.columns == tickets[0].columns] if tickets else []
    if not tickets or unsupported(AuditPlan.of(standard)):
        return
    tally = Tally(AuditPlan.of(standard))
    audit = ColumnAudit(tally, as_of)
    cols = RowsAsColumns(tickets, tickets[0].columns)
    codes = {Status.PASSED: PASS, Status.NOT_APPLICABLE: NOT_APPLICABLE, Status.PENDING: PENDING, Status.FAILED: FAIL}
    for column_step in audit.steps:
        if column_step.step.aggregate:
            continue
        rule = column_step.step.rule
        verdicts = audit._judge(column_step, cols)
        for position, ticket in enumerate(tickets):
            if ticket.created_at is not None and ticket.created_at > as_of:
                continue
            if any(s is not None and s > as_of for s in (ticket.first_reply_at, ticket.resolved_at)):
                continue
            code = int(verdicts.codes[position])
            if code == DEFER:
                continue  # deferred to evaluate
            check = column_step.step.check
            ctx = TicketContext(ticket, as_of, standard.phrase_bank, standard.text_strip)
            unmet = conditions_unmet(rule.when, ctx) if rule.when else None
            full = Outcome(Status.NOT_APPLICABLE, unmet) if unmet else check.evaluate(ticket, ctx)
            assert code == codes.get(full.status), (rule.id, ticket, full)
            if code == NOT_APPLICABLE:
                assert verdicts.texts[verdicts.reasons[position]] == full.reason, (rule.id, ticket)
            if code == FAIL:  # the finding, worded from the kernel's numbers, is evaluate's
                row = np.array([position])
                lines = np.array([ticket.ref.row for ticket in tickets])
                worded = failure_rows(
                    rule,
                    Subjects.of(ticket.ref.path, lines, cols, row),
                    check.column_failures(verdicts.failure_numbers(row), as_of),
                )
                assert worded == [violation_row(rule, ticket, full)], (rule.id, ticket)


# -- fixed cases ---------------------------------------------------------------------------------

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # a Monday


def row_of(**values: Any) -> Row:
    """A row with created_at at NOON and the columns given (None: present but blank)."""
    values.setdefault("ticket_id", "T1")
    values.setdefault("created_at", NOON)
    columns = tuple(name for name in values if name not in ("ticket_id", "created_at"))
    return Row(columns, values)


def at(hours: float = 0, seconds: float = 0) -> datetime:
    return NOON + timedelta(hours=hours, seconds=seconds)


# (standard, rows, as-of): boundaries and shapes named, each held to the general path
CASES = [
    pytest.param(
        "builtin:default", [row_of(first_reply_at=at(24), priority="normal")], at(48), id="reply-exactly-at-target"
    ),
    pytest.param(
        "builtin:default", [row_of(first_reply_at=at(24, 1), priority="normal")], at(48), id="reply-a-second-late"
    ),
    pytest.param(
        "builtin:default",
        [row_of(first_reply_at=at(24, 0.999999))],
        at(48),
        id="reply-under-a-second-late-counts-whole-seconds",
    ),
    pytest.param("builtin:default", [row_of(first_reply_at=None, priority="urgent")], at(0.5), id="unanswered-pending"),
    pytest.param(
        "builtin:default", [row_of(first_reply_at=None, priority="urgent")], at(1, 1), id="unanswered-breached"
    ),
    pytest.param(
        "builtin:default", [row_of(first_reply_at=None, status="solved")], at(48), id="resolved-without-reply"
    ),
    pytest.param("builtin:default", [row_of(status="open", reopens=2, csat=2)], at(1), id="no-reply-column-reopened"),
    pytest.param("builtin:default", [row_of(created_at=None, first_reply_at=at(1))], at(1), id="no-created-at"),
    pytest.param(
        "targets-without-default",
        [row_of(first_reply_at=at(2), priority="normal"), row_of(first_reply_at=at(2), priority="high")],
        at(9),
        id="priority-without-target",
    ),
    pytest.param(
        "conditions",
        [
            row_of(first_reply_at=at(4), status="solved", reopens=0),
            row_of(first_reply_at=at(4, 1), status="open", reopens=1),
            row_of(first_reply_at=None, resolved_at=at(30)),
        ],
        at(5),
        id="first-reply-over-at-its-edge",
    ),
    pytest.param(
        "resolution",
        [row_of(status="Done", resolved_at=at(4)), row_of(status=None, resolved_at=at(30), reopens=3)],
        at(48),
        id="resolved-statuses-and-resolved-at",
    ),
    pytest.param(
        "business-hours",
        [row_of(first_reply_at=at(9), priority="urgent"), row_of(resolved_at=at(72), priority="high")],
        at(100),
        id="office-hours",
    ),
    pytest.param(
        "waived",
        [
            row_of(ticket_id="T10", first_reply_at=at(2), reopens=1, csat=1),
            row_of(ticket_id="T2", resolved_at=at(30), status="open"),
        ],
        at(48),
        id="waivers",
    ),
]


@pytest.mark.parametrize("name, batch, as_of", CASES)
@pytest.mark.parametrize("use_waivers", [False, True])
def test_fixed_rows_tally_alike(name, batch, as_of, use_waivers, waiver_file):
    standard = load(name)
    tickets = typed(standard, batch)
    assert len(tickets) == len(batch)
    assert_same_tallies(
        columnar_tally(standard, tickets, as_of, waivers_for(use_waivers, waiver_file, standard, as_of)),
        general_tally(standard, tickets, as_of, waivers_for(use_waivers, waiver_file, standard, as_of)),
    )


def test_no_rows_count_nothing():
    standard = load("builtin:default")
    assert_same_tallies(columnar_tally(standard, [], at(), None), general_tally(standard, [], at(), None))


def test_the_24_7_shortcut_and_the_calendar_agree_on_working_days():
    # `2bd` on 24/7 is two calendar days: the lane's one-comparison pass must use the same length.
    check = next(c for c in load("targets-without-default").checks if c.rule.id == "working-days-on-24-7")
    assert check.calendar is ALWAYS_OPEN
    seconds, due = check.deadline(Clock(ALWAYS_OPEN), NOON, check.targets["normal"])
    assert (seconds, due) == (2 * 86400, NOON + timedelta(days=2))
