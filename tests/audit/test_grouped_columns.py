"""`svcaudit report` on both paths: the columnar core's groups (`GroupedTally.split`,
`audit.group_columns`) give the byte-identical JSON tables the reference rule loop gives
(`GroupedTally.__call__`), reading included.

Hypothesis draws ticket-row exports as tests/audit/test_columnar_exports.py does (any columns,
delimiters, quoted line breaks, null markers, bad values, repeated ids, ragged rows; JSON and JSON
Lines with keys missing, numbers, nulls and flags), a standard of
the corpus, any `--by` and any period (an ISO week, month or day around the tickets, an open or
closed window, or none), so that groups split batches by week and DST change, by agent and by
period, and rows outside the period are judged by neither path. Every CSV ticket-row fixture goes
through both paths with the built-in default standard, by week and agent, with worker processes too.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.audit.grouped import GROUP_FIELDS, build_report, parse_by, resolve_period
from svcaudit.audit.run import run_audit
from svcaudit.errors import SvcauditError
from svcaudit.intake import arrow_csv
from svcaudit.intake.arrow_csv import BatchShape
from svcaudit.intake.readers import ColumnarUnfit
from svcaudit.reporters import reporter, table_reporter
from svcaudit.reporters.protocol import to_text
from svcaudit.results.periods import day_key
from svcaudit.standard.loader import load_standard
from svcaudit.standard.model import Standard
from tests.audit.corpus import CORPUS, corpus_standard
from tests.audit.test_columnar_exports import (
    ANCHORS,
    AS_OF_AFTER,
    COLUMNS,
    EXAMPLES,
    EXPORTS,
    FIXTURES,
    IDS,
    cells,
    drawn_export,
    quoted,
    stamp_texts,
)
from tests.paths import REPO

UTC = timezone.utc
# Small drawn exports rarely put a ticket near a local midnight: four times the examples.
DATED = settings(EXPORTS, max_examples=4 * EXAMPLES)


def tables(
    standard: Standard,
    path: Path,
    as_of: datetime,
    by: str,
    period: tuple[str | None, datetime | None, datetime | None],
    columnar: bool,
    jobs: int = 1,
) -> str:
    """The JSON tables, or the error a run ends with (both paths must end alike)."""
    label, since, until = period
    try:
        chosen, before = resolve_period(ZoneInfo(standard.timezone), label, since, until, ("since", "until"))
        report = build_report(standard, [path], as_of, parse_by(by), chosen, before, jobs=jobs, columnar=columnar)
    except SvcauditError as exc:
        return f"{type(exc).__name__}: {exc}"
    return to_text(table_reporter("json"), report)


@st.composite
def periods(draw, zone: str, anchor: datetime) -> tuple[str | None, datetime | None, datetime | None]:
    """No period, the week, month or day of a day around the anchor, or a window (either end open)."""
    kind = draw(st.sampled_from(("none", "week", "month", "day", "window")))
    day = (anchor + timedelta(days=draw(st.integers(-8, 8)))).astimezone(ZoneInfo(zone)).date()
    if kind == "none":
        return None, None, None
    if kind != "window":
        return day_key(day, kind), None, None
    start = anchor + timedelta(hours=draw(st.integers(-30, 60)))
    ends = draw(st.sampled_from(("both", "since", "until")))
    return (
        None,
        start if ends != "until" else None,
        start + timedelta(hours=draw(st.integers(1, 200))) if ends != "since" else None,
    )


@st.composite
def dated_exports(draw, zone: str, anchor: datetime) -> bytes:
    """A ticket-row CSV whose rows mostly have a creation time (so that they fall in days, weeks
    and periods), in many forms, spread over the days around `anchor`, with other columns drawn."""
    others = draw(st.lists(st.sampled_from([c for c in COLUMNS if c != "created_at"]), unique=True, max_size=6))
    header = draw(st.permutations(["ticket_id", "created_at", *others]))
    lines = [",".join(header)]
    for number in range(draw(st.integers(1, 40))):
        row = []
        for name in header:
            if name == "ticket_id":
                row.append(draw(st.sampled_from((*IDS, f"N{number}"))))
            elif name == "created_at" and draw(st.integers(0, 9)):
                row.append(draw(stamp_texts(zone, anchor)))
            else:
                row.append(draw(cells(name, zone, anchor)))
        lines.append(",".join(quoted(cell, ",", False) for cell in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


@DATED
@given(data=st.data())
def test_dated_exports_make_the_same_tables_on_both_paths(data, tmp_path_factory):
    """Many rows with creation times: groups by day, week and month in the standard's zone,
    periods and windows cutting the rows."""
    name = data.draw(st.sampled_from(sorted(CORPUS)), label="standard")
    standard = corpus_standard(name, "first", None)
    path = tmp_path_factory.mktemp("export") / "tickets.csv"
    anchor = data.draw(st.sampled_from(ANCHORS), label="anchor")
    path.write_bytes(data.draw(dated_exports(standard.timezone, anchor), label="export"))
    unit = data.draw(st.sampled_from(("day", "week", "month", "agent")), label="unit")
    fields = data.draw(st.lists(st.sampled_from(GROUP_FIELDS), unique=True, max_size=2), label="more")
    by = ",".join([unit, *(f for f in fields if f != unit and not (unit != "agent" and f in ("day", "week", "month")))])
    period = data.draw(periods(standard.timezone, anchor), label="period")
    as_of = anchor + data.draw(st.sampled_from(AS_OF_AFTER), label="as_of")
    expected = tables(standard, path, as_of, by, period, columnar=False)
    assert tables(standard, path, as_of, by, period, columnar=True) == expected


@EXPORTS
@given(data=st.data(), json=st.booleans())
def test_drawn_exports_make_the_same_tables_on_both_paths(data, json, tmp_path_factory):
    standard, anchor, path = drawn_export(data, tmp_path_factory, as_json=json)
    fields = data.draw(st.lists(st.sampled_from(GROUP_FIELDS), unique=True, min_size=1, max_size=3), label="by")
    by = ",".join(fields)
    period = data.draw(periods(standard.timezone, anchor), label="period")
    as_of = anchor + data.draw(st.sampled_from(AS_OF_AFTER), label="as_of")
    expected = tables(standard, path, as_of, by, period, columnar=False)
    assert tables(standard, path, as_of, by, period, columnar=True) == expected


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO)))
def test_fixture_exports_make_the_same_tables_on_both_paths(path):
    standard = load_standard("builtin:default")
    as_of = datetime(2026, 12, 1, tzinfo=UTC)
    expected = tables(standard, path, as_of, "week,agent", (None, None, None), columnar=False)
    assert tables(standard, path, as_of, "week,agent", (None, None, None), columnar=True) == expected


SAMPLE_CASES = [
    ("all", "day,agent", None),  # Moscow: evening tickets in UTC fall on the next local day
    ("all:quality", "week,rule", "2026-11"),  # Tokyo, with quality scores
    ("all:when", "priority,team", "2026-W46"),  # no time field: the week before is each group's previous
]


@pytest.mark.parametrize("name, by, period", SAMPLE_CASES)
def test_sample_tables_are_the_same_with_worker_processes(name, by, period):
    """The samples by local day, week and period: findings worded in worker processes go back to
    the tallies of their groups, their times included."""
    standard = corpus_standard(name, "reject", None)
    path = REPO / "samples" / "tickets.csv"
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    expected = tables(standard, path, as_of, by, (period, None, None), columnar=False)
    assert '"previous": {' in expected or period is None or "W46" not in period
    assert tables(standard, path, as_of, by, (period, None, None), columnar=True, jobs=2) == expected


def test_a_window_open_at_its_start_groups_by_week_west_of_utc():
    """`--until` alone: the window starts at the first instant there is, which no zone west of UTC
    can show; the weeks are grouped all the same, alike on both paths."""
    standard = corpus_standard("all:when", "reject", None)  # America/New_York
    assert standard.timezone == "America/New_York"
    path = REPO / "samples" / "tickets.csv"
    as_of = datetime(2026, 11, 23, 12, tzinfo=UTC)
    window = (None, None, datetime(2026, 11, 16, tzinfo=UTC))
    expected = tables(standard, path, as_of, "week", window, columnar=False)
    assert '"week": "2026-W45"' in expected
    assert tables(standard, path, as_of, "week", window, columnar=True) == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_rows_arrow_gave_that_cannot_stand_make_the_run_again(monkeypatch, jobs):
    """Ticket rows on the core whose Arrow reading turns out not to stand after a batch was judged
    (its line count did not add up): the run is made again on the reference path, and the tables
    and the check report count every ticket once."""
    standard = load_standard("builtin:default")
    path = REPO / "samples" / "tickets.csv"
    as_of = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    expected = tables(standard, path, as_of, "week,agent", (None, None, None), columnar=False)
    check_expected = to_text(reporter("json"), run_audit(standard, [path], as_of, columnar=False))
    real = arrow_csv.read_cell_batches

    def miscounted(export, shape):
        yield from real(export, BatchShape(8, shape.block_bytes))  # small batches: one is judged first
        raise ColumnarUnfit("rows cover fewer lines than the file has", rows_trusted=False)

    monkeypatch.setattr(arrow_csv, "read_cell_batches", miscounted)
    assert tables(standard, path, as_of, "week,agent", (None, None, None), columnar=True, jobs=jobs) == expected
    assert to_text(reporter("json"), run_audit(standard, [path], as_of, jobs=jobs)) == check_expected
