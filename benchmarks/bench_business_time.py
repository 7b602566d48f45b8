"""Benchmark: business-time arithmetic costs about the same for an hour as for a year.

Times `business_seconds` over spans of 1 hour, 1 day, 1 month and 1 year, and `add_business_seconds`
for the working time such a span holds (1 h, 9 h, 21 and 247 working days), on a Mon–Fri 09–18
calendar with Russian public holidays, from many different starts; prints microseconds per call.
Caches are warmed first, as they are after the first tickets of an audit.

Then the same questions for a whole column at once (`timecalc/worktable.py`, numpy): `--rows` spans
(default 1M) with starts over the same three years, answered by one `WorkTable`; prints the seconds
a column takes, nanoseconds a row, and how many times faster a row is than a call. Also the cost of
building the table, and `add_working_days` (3bd) per call and per row. Skipped without numpy.

    python benchmarks/bench_business_time.py [--calls N] [--rows N] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from svcaudit.timecalc.business import BusinessCalendar, build_calendar
from svcaudit.timecalc.zoneclock import to_epoch_us

CALENDAR_CONFIG = {
    "timezone": "Europe/Moscow",
    "week": {"mon-fri": ["09:00-18:00"]},
    "holidays": {"country": "RU"},
}
WORKING_DAY_S = 9 * 3600
# (calendar span measured by business_seconds, working time added by add_business_seconds): a due
# time for an hour's target, a day's, a month's (21 working days) and a year's (247 in Russia, 2026).
SPANS = {
    "1 hour": (timedelta(hours=1), 3600),
    "1 day": (timedelta(days=1), WORKING_DAY_S),
    "1 month": (timedelta(days=30), 21 * WORKING_DAY_S),
    "1 year": (timedelta(days=365), 247 * WORKING_DAY_S),
}
FIRST_START = datetime(2025, 1, 1, tzinfo=ZoneInfo("Europe/Moscow"))
START_RANGE_S = 3 * 365 * 86_400  # starts spread over three years
DEFAULT_CALLS = 20_000
DEFAULT_ROWS = 1_000_000
WORKING_DAYS_TARGET = 3
DISTINCT_STARTS = 1_000
REPEATS = 5  # best of several runs, so a busy machine inflates the figures less
SEED = 20260101
US_PER_S = 1e6
NS_PER_S = 1e9


@dataclass(frozen=True)
class Figure:
    span: str
    business_seconds_us: float
    add_business_seconds_us: float


@dataclass(frozen=True)
class ColumnFigure:
    span: str
    business_seconds_s: float  # the whole column
    add_business_seconds_s: float
    business_seconds_ns_per_row: float
    add_business_seconds_ns_per_row: float
    business_seconds_speedup: float  # per-call µs / per-row µs
    add_business_seconds_speedup: float


@dataclass(frozen=True)
class ColumnRun:
    rows: int
    table_build_ms: float
    table_days: int
    figures: list[ColumnFigure]
    working_days: int  # the Nbd target of the add_working_days figures
    working_days_column_s: float
    working_days_ns_per_row: float
    working_days_us_per_call: float


def best_seconds(run: object) -> float:
    timings = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append(time.perf_counter() - began)
    return min(timings)


def best_us_per_call(run: object, calls: int) -> float:
    return best_seconds(run) / calls * US_PER_S


def measure(calendar: BusinessCalendar, span: timedelta, amount: int, calls: int) -> tuple[float, float]:
    rng = random.Random(SEED)
    starts = [FIRST_START + timedelta(seconds=rng.randrange(START_RANGE_S)) for _ in range(DISTINCT_STARTS)]
    pairs = [(starts[k % len(starts)], starts[k % len(starts)] + span) for k in range(calls)]
    due_args = [(start, amount) for start, _ in pairs]
    for (start, end), (_, seconds) in zip(pairs, due_args, strict=True):  # warm the caches
        calendar.business_seconds(start, end)
        calendar.add_business_seconds(start, seconds)

    def run_business_seconds() -> None:
        for start, end in pairs:
            calendar.business_seconds(start, end)

    def run_add_business_seconds() -> None:
        for start, amount in due_args:
            calendar.add_business_seconds(start, amount)

    return best_us_per_call(run_business_seconds, calls), best_us_per_call(run_add_business_seconds, calls)


def measure_columns(calendar: BusinessCalendar, rows: int, per_call: list[Figure]) -> ColumnRun:
    """The questions of `measure` for a column of `rows` spans at once, through one WorkTable."""
    import numpy as np

    from svcaudit.timecalc.worktable import WorkTable

    first = to_epoch_us(FIRST_START)
    starts = first + np.random.default_rng(SEED).integers(0, START_RANGE_S * int(US_PER_S), rows, dtype=np.int64)
    low, high = int(starts.min()), int(starts.max()) + int(SPANS["1 year"][0].total_seconds() * US_PER_S)
    build_s = best_seconds(lambda: WorkTable.build(calendar, low, high))
    table = WorkTable.build(calendar, low, high)
    figures = []
    for figure, (name, (span, amount)) in zip(per_call, SPANS.items(), strict=True):
        ends = starts + int(span.total_seconds() * US_PER_S)
        amounts = np.full(rows, amount, dtype=np.int64)
        counted = best_seconds(lambda ends=ends: table.business_seconds(starts, ends))
        due = best_seconds(lambda amounts=amounts: table.add_business_seconds(starts, amounts))
        counted_ns, due_ns = counted / rows * NS_PER_S, due / rows * NS_PER_S
        figures.append(ColumnFigure(
            name, round(counted, 3), round(due, 3), round(counted_ns, 1), round(due_ns, 1),
            round(figure.business_seconds_us * 1000 / counted_ns),
            round(figure.add_business_seconds_us * 1000 / due_ns),
        ))
    days = np.full(rows, WORKING_DAYS_TARGET, dtype=np.int64)
    working_days_s = best_seconds(lambda: table.add_working_days(starts, days))
    sample = [FIRST_START + timedelta(microseconds=int(start - first)) for start in starts[:DISTINCT_STARTS]]
    working_days_call_us = best_us_per_call(
        lambda: [calendar.add_working_days(start, WORKING_DAYS_TARGET) for start in sample], len(sample)
    )
    return ColumnRun(
        rows=rows,
        table_build_ms=round(build_s * 1000, 1),
        table_days=(high - low) // (86_400 * int(US_PER_S)),
        figures=figures,
        working_days=WORKING_DAYS_TARGET,
        working_days_column_s=round(working_days_s, 3),
        working_days_ns_per_row=round(working_days_s / rows * NS_PER_S, 1),
        working_days_us_per_call=round(working_days_call_us, 2),
    )


def print_columns(run: ColumnRun) -> None:
    print(f"\ncolumns of {run.rows:,} rows through one WorkTable "
          f"(built in {run.table_build_ms} ms for {run.table_days} days)")
    print(f"{'span':<10} {'business_seconds':>26} {'add_business_seconds':>26}")
    print(f"{'':<10} {'s/column ns/row  x call':>26} {'s/column ns/row  x call':>26}")
    for f in run.figures:
        print(f"{f.span:<10} {f.business_seconds_s:>8.3f} {f.business_seconds_ns_per_row:>7.1f} "
              f"{f.business_seconds_speedup:>8}x {f.add_business_seconds_s:>8.3f} "
              f"{f.add_business_seconds_ns_per_row:>7.1f} {f.add_business_seconds_speedup:>8}x")
    print(f"add_working_days {run.working_days}bd: {run.working_days_column_s:.3f} s/column, "
          f"{run.working_days_ns_per_row} ns/row, {run.working_days_us_per_call} µs/call")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=DEFAULT_CALLS, help="calls per span and method")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="rows of the column figures (0: none)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    calendar = build_calendar("office", CALENDAR_CONFIG, "Europe/Moscow")
    figures = []
    print(f"{'span':<10} {'business_seconds':>18} {'add_business_seconds':>22}   (µs per call)")
    for name, (span, amount) in SPANS.items():
        counted, due = measure(calendar, span, amount, args.calls)
        figures.append(Figure(name, round(counted, 2), round(due, 2)))
        print(f"{name:<10} {counted:>18.2f} {due:>22.2f}")
    hour, year = figures[0], figures[-1]
    print(
        f"year/hour cost ratio: business_seconds {year.business_seconds_us / hour.business_seconds_us:.1f}x, "
        f"add_business_seconds {year.add_business_seconds_us / hour.add_business_seconds_us:.1f}x"
    )
    columns = None
    if args.rows:
        try:
            columns = measure_columns(calendar, args.rows, figures)
        except ImportError as missing:
            print(f"column figures skipped: {missing}")
        else:
            print_columns(columns)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "calendar": CALENDAR_CONFIG,
            "calls": args.calls,
            "python": sys.version.split()[0],
            "figures": [asdict(f) for f in figures],
            "columns": asdict(columns) if columns else None,
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
