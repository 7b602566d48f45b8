"""Benchmark: business-time arithmetic costs about the same for an hour as for a year.

Times `business_seconds` over spans of 1 hour, 1 day, 1 month and 1 year, and `add_business_seconds`
for the working time such a span holds (1 h, 9 h, 21 and 247 working days), on a Mon–Fri 09–18
calendar with Russian public holidays, from many different starts; prints microseconds per call.
Caches are warmed first, as they are after the first tickets of an audit.

    python benchmarks/bench_business_time.py [--calls N] [--json PATH]
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
DISTINCT_STARTS = 1_000
REPEATS = 5  # best of several runs, so a busy machine inflates the figures less
SEED = 20260101
US_PER_S = 1e6


@dataclass(frozen=True)
class Figure:
    span: str
    business_seconds_us: float
    add_business_seconds_us: float


def best_us_per_call(run: object, calls: int) -> float:
    timings = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append(time.perf_counter() - began)
    return min(timings) / calls * US_PER_S


def measure(calendar: BusinessCalendar, span: timedelta, amount: int, calls: int) -> tuple[float, float]:
    rng = random.Random(SEED)
    starts = [FIRST_START + timedelta(seconds=rng.randrange(START_RANGE_S)) for _ in range(DISTINCT_STARTS)]
    pairs = [(starts[k % len(starts)], starts[k % len(starts)] + span) for k in range(calls)]
    due_args = [(start, amount) for start, _ in pairs]
    for (start, end), (_, seconds) in zip(pairs, due_args):  # warm the caches
        calendar.business_seconds(start, end)
        calendar.add_business_seconds(start, seconds)

    def run_business_seconds() -> None:
        for start, end in pairs:
            calendar.business_seconds(start, end)

    def run_add_business_seconds() -> None:
        for start, amount in due_args:
            calendar.add_business_seconds(start, amount)

    return best_us_per_call(run_business_seconds, calls), best_us_per_call(run_add_business_seconds, calls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=DEFAULT_CALLS, help="calls per span and method")
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
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "calendar": CALENDAR_CONFIG,
            "calls": args.calls,
            "python": sys.version.split()[0],
            "figures": [asdict(f) for f in figures],
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
