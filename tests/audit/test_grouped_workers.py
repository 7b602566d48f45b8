"""`svcaudit report` of message exports judged by worker processes (`workers.judge_groups_in_parallel`):
each worker places the tickets of its batch in their groups and hands back a tally a group, which
this process absorbs into the group's tally batch by batch. The tables are byte-identical to one
process's, in every format, whatever the batches cut: findings, times behind the medians and
percentiles, KPIs, quality scores (agents and teams in the order they first appear), counts of
tickets in and out of the period.

Batches are made tiny (`BATCH_TICKETS`) so that a group's tickets fall in many batches and a batch
holds many groups. Hypothesis draws message exports as tests/audit/test_message_exports.py does,
any `--by` and any period; the helpdesks' real message exports and the samples go through by week
and agent, by team and rule, and by channel and priority.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import svcaudit.audit.run as run_module
from svcaudit.audit import workers
from svcaudit.audit.grouped import GROUP_FIELDS, GroupedTally, build_report, parse_by, resolve_period
from svcaudit.errors import SvcauditError
from svcaudit.reporters import table_reporter
from svcaudit.reporters.protocol import to_text
from svcaudit.standard.loader import load_standard
from svcaudit.standard.model import Standard
from tests.audit.corpus import corpus_standard
from tests.audit.test_columnar_exports import AS_OF_AFTER, EXPORTS, UTC
from tests.audit.test_grouped_columns import periods
from tests.audit.test_message_exports import REAL_EXAMPLES, drawn_inputs, example_id
from tests.paths import REPO

TINY_BATCH = 3
FORMATS = ("json", "csv", "markdown", "text")
Period = tuple[str | None, datetime | None, datetime | None]


@pytest.fixture(autouse=True)
def tiny_batches(monkeypatch):
    monkeypatch.setattr(workers, "BATCH_TICKETS", TINY_BATCH)


def tables(
    standard: Standard, paths: list[Path], as_of: datetime, by: str, period: Period, jobs: int, fmt: str = "json"
) -> str:
    """The tables in `fmt`, or the error the run ends with."""
    label, since, until = period
    try:
        chosen, before = resolve_period(ZoneInfo(standard.timezone), label, since, until, ("since", "until"))
        report = build_report(standard, paths, as_of, parse_by(by), chosen, before, jobs=jobs)
    except SvcauditError as exc:
        return f"{type(exc).__name__}: {exc}"
    return to_text(table_reporter(fmt), report)


@EXPORTS
@given(data=st.data())
def test_drawn_message_exports_make_the_same_tables_with_workers(data, tmp_path_factory):
    standard, anchor, messages, tickets = data.draw(drawn_inputs())
    folder = tmp_path_factory.mktemp("export")
    suffix, content = messages
    paths = [folder / f"messages{suffix}"]
    paths[0].write_bytes(content)
    if tickets is not None:
        paths.append(folder / "tickets.csv")
        paths[1].write_bytes(tickets)
    fields = data.draw(st.lists(st.sampled_from(GROUP_FIELDS), unique=True, min_size=1, max_size=3), label="by")
    by = ",".join(fields)
    period = data.draw(periods(standard.timezone, anchor), label="period")
    as_of = anchor + data.draw(st.sampled_from(AS_OF_AFTER), label="as_of")
    expected = tables(standard, paths, as_of, by, period, jobs=1)
    assert tables(standard, paths, as_of, by, period, jobs=2) == expected


@pytest.mark.parametrize("by", ["week,agent", "team,rule", "channel,priority"])
@pytest.mark.parametrize("standard_path, paths", REAL_EXAMPLES, ids=example_id)
def test_real_message_exports_make_the_same_tables_with_workers(standard_path, paths, by):
    standard = load_standard(str(standard_path))
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    expected = tables(standard, paths, as_of, by, (None, None, None), jobs=1)
    assert '"tickets": 0,' not in expected
    assert tables(standard, paths, as_of, by, (None, None, None), jobs=2) == expected


SAMPLES = [REPO / "samples" / "tickets.csv", REPO / "samples" / "messages.csv"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "name, by, period",
    [
        ("all:quality", "week,agent", "2026-11"),  # quality scores by agent, the month before compared
        ("all", "day,team", None),
        ("all:when", "priority,rule", "2026-W47"),  # no time field: each group's previous week
    ],
)
def test_sample_conversations_make_the_same_tables_with_workers(name, by, period, fmt):
    standard = corpus_standard(name, "reject", None)
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    expected = tables(standard, SAMPLES, as_of, by, (period, None, None), jobs=1, fmt=fmt)
    assert tables(standard, SAMPLES, as_of, by, (period, None, None), jobs=2, fmt=fmt) == expected


def test_worker_groups_are_absorbed_batch_by_batch(monkeypatch):
    """The workers judge the tickets, this process none; it absorbs a tally for each group a batch
    touched, so that a group is made of the parts of several batches."""
    judged_here: list[object] = []
    real_judge = run_module.judge_ticket
    monkeypatch.setattr(run_module, "judge_ticket", lambda *args: judged_here.append(args) or real_judge(*args))
    parts: list[int] = []
    real_absorb = GroupedTally.absorb

    def absorb(self, counts, states):
        parts.append(len(states))
        return real_absorb(self, counts, states)

    monkeypatch.setattr(GroupedTally, "absorb", absorb)
    standard = load_standard("builtin:default")
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    text = tables(standard, SAMPLES, as_of, "week,agent", (None, None, None), jobs=2)
    groups = text.count('"key": {')
    assert groups > 1
    assert judged_here == []
    assert len(parts) > 1 and sum(parts) > groups
    monkeypatch.setattr(GroupedTally, "absorb", real_absorb)
    assert tables(standard, SAMPLES, as_of, "week,agent", (None, None, None), jobs=1) == text
    assert judged_here  # one process judges here


def test_spawned_workers_make_the_same_tables(monkeypatch):
    """Where processes cannot be forked, spawned workers load the standard by its source and place
    the tickets with the keys each task carries."""
    standard = load_standard("builtin:default")
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    expected = tables(standard, SAMPLES, as_of, "week,agent", ("2026-W47", None, None), jobs=1)
    assert '"key": {' in expected
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    assert tables(standard, SAMPLES, as_of, "week,agent", ("2026-W47", None, None), jobs=2) == expected
