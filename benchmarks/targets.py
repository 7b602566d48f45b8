"""The performance targets of issue #20, each a function of run.py's results, judged met or not.

run.py prints them after its table and writes them into results.json as ``targets``. A target whose
size or workload the run did not measure (the default sizes stop at 100k tickets; ``--skip-messages``;
DuckDB missing) is reported as not measured, with what to run instead, never as met.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

BIG = 1_000_000
SMALL = 100_000  # memory must stay flat from here to BIG
MEMORY_LIMIT_MB = 150.0
FLAT = 0.20  # "flat": the peak at BIG within ±20 % of the peak at SMALL


class NotMeasured(Exception):
    """The figure needs a size or a workload this run left out; the message says how to get it."""


def require(results: dict, keys: tuple[str, ...], sizes: tuple[int, ...]) -> None:
    """NotMeasured, saying what to run, when the run left out one of the workloads or sizes."""
    reasons = []
    for key in keys:
        if all(key not in s["workloads"] for s in results["sizes"]):  # left out at every size
            if key != "duckdb_tickets":
                reasons.append("run without --skip-messages")
            elif results["versions"].get("duckdb") is None:
                reasons.append("DuckDB cannot be imported: pip install duckdb")
            else:
                reasons.append("run without --skip-duckdb")
    run = {s["tickets"] for s in results["sizes"]}
    missing = [str(n) for n in sizes if n not in run]
    if missing:
        reasons.append(f"run with --sizes ...,{','.join(missing)}")
    if reasons:
        raise NotMeasured("; ".join(dict.fromkeys(reasons)))


def workload(results: dict, key: str, tickets: int) -> dict:
    """The figures of a workload the run measured (see `require`), or NotMeasured when it failed."""
    size = next(s for s in results["sizes"] if s["tickets"] == tickets)
    result = size["workloads"][key]
    if result.get("seconds") is None:
        raise NotMeasured(f"{result['workload']} failed at {tickets:,} tickets")
    return result


def time_ratio(key: str, base: str) -> Callable[[dict], float]:
    """Wall time of workload ``key`` divided by that of ``base``, at BIG."""
    def figure(results: dict) -> float:
        require(results, (key, base), (BIG,))
        return workload(results, key, BIG)["seconds"] / workload(results, base, BIG)["seconds"]
    return figure


def peak_mb(key: str) -> Callable[[dict], float]:
    """Peak memory of workload ``key`` at BIG."""
    def figure(results: dict) -> float:
        require(results, (key,), (BIG,))
        return float(workload(results, key, BIG)["peak_rss_mb"])
    return figure


def peak_growth(key: str) -> Callable[[dict], float]:
    """Peak memory of workload ``key`` at BIG divided by its peak at SMALL."""
    def figure(results: dict) -> float:
        require(results, (key,), (SMALL, BIG))
        return workload(results, key, BIG)["peak_rss_mb"] / workload(results, key, SMALL)["peak_rss_mb"]
    return figure


def show(value: float, unit: str) -> str:
    """A figure as printed: ratios to two decimals, megabytes to one."""
    return f"{value:.2f}{unit}" if unit == "×" else f"{value:.1f} {unit}"


@dataclass(frozen=True)
class Target:
    """A figure and the range it must fall in: at most ``high`` (below it when ``strict``), at least ``low``."""

    text: str
    figure: Callable[[dict], float]
    high: float
    low: float = 0.0
    strict: bool = False
    unit: str = "×"

    def limit(self) -> str:
        if self.low:
            return f"{self.low:.2f}–{show(self.high, self.unit)}"
        return f"{'<' if self.strict else '≤'} {show(self.high, self.unit)}"

    def met(self, value: float) -> bool:
        return self.low <= value and (value < self.high if self.strict else value <= self.high)


BUSINESS = "svcaudit_tickets_business_hours"
DEFAULT = "svcaudit_tickets_default"
MESSAGES = "svcaudit_messages_default"
CHECKS = {BUSINESS: "ticket rows, business-hours", DEFAULT: "ticket rows, default",
          MESSAGES: "tickets + messages, default"}

TARGETS = (
    Target("1M ticket rows, business-hours: wall time ÷ bare parse",
           time_ratio(BUSINESS, "bare_parse_tickets"), 1.0),
    Target("1M ticket rows, business-hours: wall time ÷ DuckDB query",
           time_ratio(BUSINESS, "duckdb_tickets"), 1.0),
    Target("1M ticket rows, default: wall time ÷ bare parse",
           time_ratio(DEFAULT, "bare_parse_tickets"), 1.0),
    Target("1M ticket rows, default: wall time ÷ DuckDB query",
           time_ratio(DEFAULT, "duckdb_tickets"), 1.0),
    Target("1M tickets + messages, default: wall time ÷ bare parse",
           time_ratio(MESSAGES, "bare_parse_messages"), 3.0),
    *(Target(f"1M {name}: peak memory", peak_mb(key), MEMORY_LIMIT_MB, strict=True, unit="MB")
      for key, name in CHECKS.items()),
    *(Target(f"{name}: peak memory at 1M ÷ at 100k", peak_growth(key), 1 + FLAT, low=1 - FLAT)
      for key, name in CHECKS.items()),
)


def evaluate(results: dict) -> list[dict]:
    """Every target as {target, figure, limit, met, unit}; not measured: figure and met are None, and
    ``not_measured`` says what to run. Figures are rounded to two decimals before they are judged,
    so that the printed figure and its verdict agree."""
    judged = []
    for target in TARGETS:
        entry: dict = {"target": target.text, "figure": None, "limit": target.limit(), "met": None,
                       "unit": target.unit}
        try:
            entry["figure"] = round(target.figure(results), 2)
        except NotMeasured as missing:
            entry["not_measured"] = str(missing)
        else:
            entry["met"] = target.met(entry["figure"])
        judged.append(entry)
    return judged


def print_targets(judged: list[dict]) -> None:
    """The Targets section of the printout: each figure beside its limit, and met or NOT MET."""
    met = sum(1 for t in judged if t["met"])
    measured = sum(1 for t in judged if t["met"] is not None)
    print(f"\nTargets (issue #20): {met} met, {measured - met} not met, {len(judged) - measured} not measured")
    width = max(len(t["target"]) for t in judged)
    for t in judged:
        if t["met"] is None:
            print(f"  {t['target']:<{width}}  {'':>10}  {t['limit']:>12}  not measured ({t['not_measured']})")
            continue
        figure = show(t["figure"], t["unit"])
        print(f"  {t['target']:<{width}}  {figure:>10}  {t['limit']:>12}  {'met' if t['met'] else 'NOT MET'}")
