#!/usr/bin/env python3
"""Benchmark svcaudit against what a data analyst would write instead: a bare csv.reader loop and DuckDB.

    python benchmarks/run.py [--sizes 10000,100000] [--repeat N] [--shuffled] [--timeout S]

For each size (tickets), generates the data with benchmarks/generate.py if missing, then times in
one run, each workload as its own process:

* bare parse: ``for row in csv.reader(f): pass`` over the same file(s), the floor any Python tool
  reading the export has to pay;
* DuckDB: one SQL query with the 24/7 ticket-row checks of the default standard (first reply within
  the priority's target, resolution within 5 days, no reopening, CSAT share) over tickets.csv;
  skipped when ``import duckdb`` fails;
* svcaudit ``check`` of the ticket rows with the built-in default standard, and with
  benchmarks/standards/business-hours.yaml (office hours, RU holidays, targets per priority);
* svcaudit ``check`` of tickets.csv + messages.csv (the message-row export) with the default
  standard, and the bare parse of those two files (``--shuffled``: also with the message rows in
  random order).

Wall time is the best of N runs (N = 3 below 1M tickets, 1 from 1M; ``--repeat``), interpreter
start-up included. Peak memory is the peak resident set size of the workload process (the maximum
over its runs), from GNU ``/usr/bin/time -f %M`` when present, else from ``os.wait4`` (see
MEMORY_METHOD). A phrase-matching micro-benchmark (in-process) compares
``PhraseBank.scan`` (all phrases of all rules of the default standard in one pass per message) with
``PhraseSet.search`` per rule per message. Prints a table, then the targets of issue #20
(benchmarks/targets.py) each beside its figure, met or not, and writes benchmarks/out/results.json
(and appends to benchmarks/out/history.jsonl).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/generate.py)
import targets  # noqa: E402  (benchmarks/targets.py)

AS_OF = generate.AS_OF
DEFAULT_SIZES = (10_000, 100_000)
BIG = 1_000_000
BUSINESS_HOURS = HERE / "standards" / "business-hours.yaml"
OUT = HERE / "out"
MB = 1024 * 1024
# ru_maxrss is in KiB on Linux and in bytes on macOS
MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024

BARE_PARSE = """
import csv, sys
for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            pass
"""

# The calendar-hour (24/7) ticket-row checks of the built-in default standard, as an analyst would
# write them in SQL. Verdicts follow svcaudit's rules (README, "response_time" and "resolution"):
# an unanswered/unresolved ticket is failed once its elapsed time is over the target, else
# pending; a ticket resolved without a reply is not applicable for first reply.
DUCKDB_SQL = """
WITH t AS (
    SELECT created_at AS c, first_reply_at AS f, resolved_at AS r, reopens, csat,
           lower(status) IN ('solved', 'resolved', 'closed') AS done,
           CASE lower(priority) WHEN 'urgent' THEN 3600 WHEN 'high' THEN 14400 ELSE 86400 END AS target,
           epoch(TIMESTAMPTZ '{as_of}') AS now
    FROM read_csv('{path}', header = true, auto_detect = true,
                  types = {{'created_at': 'TIMESTAMPTZ', 'first_reply_at': 'TIMESTAMPTZ',
                           'resolved_at': 'TIMESTAMPTZ', 'status': 'VARCHAR',
                           'priority': 'VARCHAR', 'reopens': 'INTEGER', 'csat': 'INTEGER'}})
), v AS (
    SELECT
        CASE WHEN f IS NOT NULL THEN (CASE WHEN epoch(f) - epoch(c) <= target THEN 'passed' ELSE 'failed' END)
             WHEN done THEN 'not_applicable'
             WHEN now - epoch(c) > target THEN 'failed' ELSE 'pending' END AS first_reply,
        CASE WHEN r IS NOT NULL THEN (CASE WHEN epoch(r) - epoch(c) <= 432000 THEN 'passed' ELSE 'failed' END)
             WHEN done THEN 'not_applicable'
             WHEN now - epoch(c) > 432000 THEN 'failed' ELSE 'pending' END AS resolution_time,
        CASE WHEN reopens IS NULL THEN 'not_applicable'
             WHEN reopens > 0 THEN 'failed'
             WHEN done THEN 'passed' ELSE 'pending' END AS resolved,
        csat
    FROM t
)
SELECT 'first-reply' AS rule, first_reply AS verdict, count(*) AS n FROM v GROUP BY ALL
UNION ALL SELECT 'resolution-time', resolution_time, count(*) FROM v GROUP BY ALL
UNION ALL SELECT 'resolved', resolved, count(*) FROM v GROUP BY ALL
UNION ALL SELECT 'csat', 'answers', count(csat) FROM v
UNION ALL SELECT 'csat', 'satisfied', count_if(csat >= 4) FROM v
"""
DUCKDB_RULES = ("first-reply", "resolution-time", "resolved")
CSAT_MIN = 0.80  # the default standard's csat rule
VERDICTS = ("passed", "failed", "pending", "not_applicable")


def duckdb_worker(path: str) -> int:
    """``run.py --duckdb-worker FILE``: run the query, print the verdict counts as JSON."""
    import duckdb
    rows = duckdb.sql(DUCKDB_SQL.format(path=path.replace("'", "''"), as_of=AS_OF)).fetchall()
    counts: dict[str, dict[str, int]] = {}
    for rule, verdict, n in rows:
        counts.setdefault(rule, {})[verdict] = int(n)
    answers = counts.get("csat", {}).get("answers", 0)
    share = counts["csat"]["satisfied"] / answers if answers else None
    counts["csat"]["verdict"] = ("not_applicable" if share is None
                                 else "passed" if share >= CSAT_MIN else "failed")
    json.dump(counts, sys.stdout)
    return 0


def duckdb_version() -> str | None:
    try:
        import duckdb
    except ImportError:
        return None
    return duckdb.__version__


# --- running and measuring one process -------------------------------------------------------

class Run:
    def __init__(self, seconds: float, peak_bytes: int, returncode: int, stdout: str, stderr: str,
                 timed_out: bool) -> None:
        self.seconds = seconds
        self.peak_bytes = peak_bytes
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out


GNU_TIME = "/usr/bin/time"


def gnu_time_works() -> bool:
    """Whether /usr/bin/time is GNU time (takes -f and -o)."""
    if not os.path.exists(GNU_TIME):
        return False
    with tempfile.NamedTemporaryFile("r") as report:
        done = subprocess.run([GNU_TIME, "-f", "%M", "-o", report.name, sys.executable, "-c", "pass"],
                              capture_output=True, check=False)
        text = report.read().strip()
    return done.returncode == 0 and text.splitlines()[-1].isdigit() if text else False


USE_GNU_TIME = gnu_time_works()
# A child's ru_maxrss starts at the RSS of the process it was forked from (Linux carries the
# pre-exec high-water mark across exec), so reading it with os.wait4 from this Python process
# would put a floor of this process's own RSS under every figure. GNU time is a tiny process:
# it forks the workload itself and reports the workload's peak alone.
MEMORY_METHOD = (
    "peak resident set size of each workload process (max over its runs), from GNU time's "
    "%M: /usr/bin/time -f %M wraps every command" if USE_GNU_TIME else
    "peak resident set size (ru_maxrss) of each workload process from os.wait4 (max over its "
    "runs); /usr/bin/time is missing, so each figure includes, as a floor, the RSS of the "
    "benchmark process that started it"
)


def child_environment() -> tuple[dict[str, str], str]:
    """The environment of the workloads, and how Python byte code is cached in it.

    With PYTHONDONTWRITEBYTECODE set (as in some sandboxes and CI images) every svcaudit start
    compiles all of svcaudit and its dependencies from source again, which no installed copy does;
    the workloads then run without it and cache byte code under benchmarks/out/pycache instead, so
    nothing is written next to the sources.
    """
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None and "PYTHONPYCACHEPREFIX" not in env:
        env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
        return env, "PYTHONDONTWRITEBYTECODE was set: byte code cached in benchmarks/out/pycache"
    return env, "the default (__pycache__ next to the sources)"


CHILD_ENV, BYTECODE_CACHE = child_environment()


def run_process(command: list[str], timeout: float | None = None) -> Run:
    """Run ``command``; wall time and the peak RSS of this command alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as report:
        if USE_GNU_TIME:
            command = [GNU_TIME, "-f", "%M", "-o", report.name] + command
        began = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                   cwd=ROOT, env=CHILD_ENV, start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)  # the workload and GNU time with it
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if timer:
                timer.cancel()
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss * MAXRSS_UNIT
        if USE_GNU_TIME:
            lines = report.read().split()
            peak = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else 0
        out.seek(0)
        err.seek(0)
        return Run(seconds, peak, process.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), timed_out.is_set())


def svcaudit_command() -> list[str]:
    script = Path(sys.executable).parent / "svcaudit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "svcaudit"]


def measure(name: str, command: list[str], repeat: int, tickets: int, ok_codes=(0,),
            timeout: float | None = None, verbose: bool = True) -> dict:
    runs = []
    for k in range(repeat):
        run = run_process(command, timeout)
        runs.append(run)
        if verbose:
            state = "timed out" if run.timed_out else f"rc {run.returncode}"
            print(f"    {name}: run {k + 1}/{repeat} {run.seconds:.2f} s, "
                  f"{run.peak_bytes / MB:.0f} MB, {state}", file=sys.stderr, flush=True)
        if run.timed_out or run.returncode not in ok_codes:
            break
    good = [r for r in runs if not r.timed_out and r.returncode in ok_codes]
    result = {
        "workload": name,
        "command": [_display(part) for part in command],
        "runs_s": [round(r.seconds, 3) for r in runs],
        "seconds": round(min(r.seconds for r in good), 3) if good else None,
        "peak_rss_mb": round(max(r.peak_bytes for r in runs) / MB, 1),
        "returncode": runs[-1].returncode,
        "tickets_per_s": round(tickets / min(r.seconds for r in good)) if good else None,
    }
    if not good:
        last = runs[-1]
        result["error"] = "timed out" if last.timed_out else (last.stderr.strip()[-2000:] or
                                                               f"exit code {last.returncode}")
    result["_stdout"] = good[0].stdout if good else ""
    return result


def _display(part: str) -> str:
    try:
        return str(Path(part).relative_to(ROOT)) if part.startswith(str(ROOT)) else part
    except ValueError:
        return part


# --- checks that the DuckDB query is equivalent ----------------------------------------------

def svcaudit_counts(tickets_csv: Path) -> dict[str, dict[str, int]]:
    """Per-rule verdict counts of svcaudit (default standard) on the ticket rows, from its JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "report.json"
        command = svcaudit_command() + ["check", str(tickets_csv), "--standard", "builtin:default",
                                        "--as-of", AS_OF, "--format", "json", "--output",
                                        str(report_path)]
        done = subprocess.run(command, cwd=ROOT, env=CHILD_ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
        if not report_path.exists():
            raise SystemExit(f"svcaudit wrote no report (exit {done.returncode}): {done.stderr.strip()}")
        report = json.loads(report_path.read_text(encoding="utf-8"))
    counts = {}
    for rule in report["rules"]:
        counts[rule["id"]] = {verdict: rule[verdict] for verdict in VERDICTS}
    return counts


def compare_with_duckdb(svcaudit: dict, duck: dict) -> dict:
    agreement = {}
    for rule in DUCKDB_RULES:
        mine = {v: svcaudit.get(rule, {}).get(v, 0) for v in VERDICTS}
        theirs = {v: duck.get(rule, {}).get(v, 0) for v in VERDICTS}
        agreement[rule] = {"same": mine == theirs, "svcaudit": mine, "duckdb": theirs}
    csat = svcaudit.get("csat", {})
    mine = next((v for v in VERDICTS if csat.get(v)), None)
    agreement["csat"] = {"same": mine == duck["csat"]["verdict"], "svcaudit": mine,
                         "duckdb": duck["csat"]["verdict"],
                         "duckdb_share": round(duck["csat"]["satisfied"] / duck["csat"]["answers"], 4)
                         if duck["csat"]["answers"] else None}
    return agreement


# --- the phrase-matching micro-benchmark --------------------------------------------------------

def phrase_benchmark(data_folder: Path, messages: int, repeat: int) -> dict:
    """One-pass PhraseBank.scan of every set vs PhraseSet.search per rule, over real messages."""
    from svcaudit.standard.loader import load_standard
    from svcaudit.text import MissingValue

    names = {}
    with (data_folder / "tickets.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[row["ticket_id"]] = row["customer_name"]
    texts: list[tuple[str, dict[str, str]]] = []
    with (data_folder / "messages.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["text"]:
                texts.append((row["text"], {"customer_name": names.get(row["ticket_id"], "")}))
                if len(texts) >= messages:
                    break

    bank = load_standard("builtin:default").phrase_bank
    keys = list(range(len(bank)))
    sets = [bank.phrase_set(key) for key in keys]

    def one_pass() -> int:
        found = 0
        for text, values in texts:
            scan = bank.scan(text)
            for key in keys:
                try:
                    found += len(scan.hits(key, values))
                except MissingValue:
                    pass
        return found

    def per_rule() -> int:
        found = 0
        for phrase_set in sets:
            for text, values in texts:
                try:
                    found += len(phrase_set.search(text, values))
                except MissingValue:
                    pass
        return found

    figures = {}
    hits = {}
    for name, run in (("one_pass_bank_scan", one_pass), ("per_rule_phraseset_search", per_rule)):
        hits[name] = run()  # warm-up: fills each bank's token cache, as after the first tickets
        best = min(_timed(run) for _ in range(repeat))
        figures[name] = {"seconds": round(best, 4),
                         "us_per_message": round(best / len(texts) * 1e6, 1)}
    return {
        "messages": len(texts),
        "phrase_sets": len(sets),
        "entries": sum(len(s) for s in sets),
        "repeat": repeat,
        **figures,
        "speedup": round(figures["per_rule_phraseset_search"]["seconds"]
                         / figures["one_pass_bank_scan"]["seconds"], 2),
        "same_hits": hits["one_pass_bank_scan"] == hits["per_rule_phraseset_search"],
        "hits": hits["one_pass_bank_scan"],
    }


def _timed(run) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


# --- the run -----------------------------------------------------------------------------------

def machine() -> dict:
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
    }
    try:
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            info["memory_total_mb"] = round(int(f.readline().split()[1]) / 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
        info["cpu_model"] = model
    except OSError:
        pass
    return info


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version
    try:
        svcaudit_version = version("svcaudit")
    except PackageNotFoundError:
        svcaudit_version = None
    info = {"svcaudit": svcaudit_version, "duckdb": duckdb_version()}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT,
                                    capture_output=True, text=True, check=True).stdout.strip())
        info["git_commit"] = commit
        info["src_modified"] = dirty
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def count_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def bench_size(tickets: int, args: argparse.Namespace, have_duckdb: bool) -> dict:
    folder = generate.data_dir(args.data, tickets)
    if not generate.is_current(folder, tickets, args.seed, args.shuffled):
        print(f"generating {tickets:,} tickets into {folder} …", file=sys.stderr, flush=True)
        generate.generate(tickets, args.seed, args.data, args.shuffled)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tickets_csv = folder / "tickets.csv"
    messages_csv = folder / "messages.csv"
    repeat = args.repeat or (1 if tickets >= BIG else 3)
    svcaudit = svcaudit_command()
    check = ["--as-of", AS_OF, "--format", "json", "--output", os.devnull]
    ok = (0, 1)  # 1: the standard is not met, a normal verdict
    print(f"{tickets:,} tickets (best of {repeat}):", file=sys.stderr, flush=True)

    workloads = {}
    # Every workload reads the files from the page cache: the first one timed would otherwise
    # pay for the disk alone (on the 1M files, nearly doubling the bare parse).
    for path in (tickets_csv,) if args.skip_messages else (tickets_csv, messages_csv):
        warm_page_cache(path)

    def add(key: str, name: str, command: list[str], ok_codes=(0,)) -> dict:
        result = measure(name, command, repeat, tickets, ok_codes, args.timeout)
        workloads[key] = result
        return result

    add("bare_parse_tickets", "bare csv.reader parse: tickets.csv",
        [sys.executable, "-c", BARE_PARSE, str(tickets_csv)])
    duck = None
    if have_duckdb and not args.skip_duckdb:
        duck = add("duckdb_tickets", "DuckDB query, 24/7 checks: tickets.csv",
                   [sys.executable, str(Path(__file__).resolve()), "--duckdb-worker", str(tickets_csv)])
    add("svcaudit_tickets_default", "svcaudit check default: tickets.csv",
        svcaudit + ["check", str(tickets_csv), "--standard", "builtin:default"] + check, ok)
    add("svcaudit_tickets_business_hours", "svcaudit check business-hours: tickets.csv",
        svcaudit + ["check", str(tickets_csv), "--standard", str(BUSINESS_HOURS)] + check, ok)
    add("svcaudit_report_week_agent", "svcaudit report --by week,agent: tickets.csv",
        svcaudit + ["report", str(tickets_csv), "--standard", "builtin:default", "--by", "week,agent"] + check)
    if not args.skip_messages:
        add("bare_parse_messages", "bare csv.reader parse: tickets.csv + messages.csv",
            [sys.executable, "-c", BARE_PARSE, str(tickets_csv), str(messages_csv)])
        add("svcaudit_messages_default", "svcaudit check default: tickets.csv + messages.csv",
            svcaudit + ["check", str(tickets_csv), str(messages_csv), "--standard", "builtin:default"]
            + check, ok)
        if args.shuffled:
            shuffled_csv = folder / "messages-shuffled.csv"
            add("svcaudit_messages_shuffled_default",
                "svcaudit check default: tickets.csv + messages-shuffled.csv",
                svcaudit + ["check", str(tickets_csv), str(shuffled_csv), "--standard",
                            "builtin:default"] + check, ok)

    # ratios: svcaudit / bare parse of the same files, svcaudit (ticket rows) / DuckDB
    def ratio(a: dict, b: dict | None) -> float | None:
        if b is None or a.get("seconds") is None or not b.get("seconds"):
            return None
        return round(a["seconds"] / b["seconds"], 2)

    duck_ok = duck if duck and duck.get("seconds") else None
    for key, result in workloads.items():
        if key.startswith(("svcaudit_tickets", "svcaudit_report")) or key == "duckdb_tickets":
            result["x_bare_parse"] = ratio(result, workloads["bare_parse_tickets"])
        elif key.startswith("svcaudit_messages"):
            result["x_bare_parse"] = ratio(result, workloads.get("bare_parse_messages"))
        if key.startswith("svcaudit_tickets"):
            result["x_duckdb"] = ratio(result, duck_ok)

    size = {
        "tickets": tickets,
        "messages": manifest["messages"],
        "files": {key: {"path": str((folder / f["name"]).relative_to(ROOT))
                        if folder.is_relative_to(ROOT) else str(folder / f["name"]),
                        "mb": round(f["bytes"] / 1e6, 1)}
                  for key, f in manifest["files"].items()},
        "bytes_per_ticket_row": round(manifest["files"]["tickets"]["bytes"] / tickets),
        "repeat": repeat,
        "workloads": workloads,
    }
    if duck_ok:
        duck_counts = json.loads(duck_ok["_stdout"])
        size["duckdb_counts"] = duck_counts
        if tickets <= args.verify_up_to:
            agreement = compare_with_duckdb(svcaudit_counts(tickets_csv), duck_counts)
            size["duckdb_agreement"] = agreement
            if not all(a["same"] for a in agreement.values()):
                print(f"  WARNING: DuckDB and svcaudit disagree: {json.dumps(agreement)}",
                      file=sys.stderr)
    for result in workloads.values():
        result.pop("_stdout", None)
    return size


def bench_startup(args: argparse.Namespace, have_duckdb: bool) -> dict:
    """Warm the byte-code caches, then time svcaudit's fixed cost: a check of one ticket row."""
    OUT.mkdir(parents=True, exist_ok=True)
    one = OUT / "one-ticket.csv"
    row, _ = generate.Generator(args.seed).ticket("T-1", 86400, generate.random.Random(1))
    with one.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([generate.TICKET_HEADER, row])
    command = svcaudit_command() + ["check", str(one), "--standard", "builtin:default",
                                    "--as-of", AS_OF, "--format", "json", "--output", os.devnull]
    print("warming up and timing start-up:", file=sys.stderr, flush=True)
    run_process(command, args.timeout)  # compiles and caches byte code where it is not yet
    if have_duckdb:
        run_process([sys.executable, "-c", "import duckdb"], args.timeout)
    result = measure("svcaudit check default: 1 ticket row (start-up)", command,
                     args.repeat or 3, 1, (0, 1), args.timeout)
    python = measure("python -c pass (interpreter start-up)", [sys.executable, "-c", "pass"],
                     3, 1, (0,), args.timeout)
    for figure in (result, python):
        figure.pop("_stdout", None)
        figure.pop("tickets_per_s", None)
    return {"svcaudit_one_ticket": result, "python": python}


def print_table(sizes: list[dict]) -> None:
    width = max(len(r["workload"]) for size in sizes for r in size["workloads"].values())
    header = (f"{'workload':<{width}} {'wall s':>8} {'peak MB':>8} {'tickets/s':>11} "
              f"{'× bare parse':>12} {'× DuckDB':>9}")
    for size in sizes:
        files = ", ".join(f"{Path(f['path']).name} {f['mb']:.0f} MB" for f in size["files"].values())
        print(f"\n{size['tickets']:,} tickets, {size['messages']:,} message rows ({files}); "
              f"best of {size['repeat']}")
        print(header)
        print("-" * len(header))
        for result in size["workloads"].values():
            seconds = f"{result['seconds']:.2f}" if result["seconds"] is not None else "—"
            rate = f"{result['tickets_per_s']:,}" if result["tickets_per_s"] else "—"
            bare = f"{result['x_bare_parse']:.1f}×" if result.get("x_bare_parse") else ""
            duck = f"{result['x_duckdb']:.1f}×" if result.get("x_duckdb") else ""
            line = (f"{result['workload']:<{width}} {seconds:>8} {result['peak_rss_mb']:>8.0f} "
                    f"{rate:>11} {bare:>12} {duck:>9}")
            if result.get("error"):
                line += f"   ERROR: {result['error'].splitlines()[-1][:80]}"
            print(line)
        agreement = size.get("duckdb_agreement")
        if agreement:
            same = all(a["same"] for a in agreement.values())
            print(f"DuckDB verdict counts {'match' if same else 'DO NOT match'} svcaudit's "
                  f"(first-reply, resolution-time, resolved, csat)")


def warm_page_cache(path: Path, block: int = 8 * 1024 * 1024) -> None:
    """Read a file once, so that the operating system keeps it in memory for the timed runs."""
    if path.exists():
        with open(path, "rb") as handle:
            while handle.read(block):
                pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="comma-separated ticket counts (default 10000,100000)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs per workload, best counts (default 3, 1 from 1M tickets)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--data", type=Path, default=generate.DEFAULT_OUT,
                        help="generated data folder (default benchmarks/data)")
    parser.add_argument("--json", type=Path, default=OUT / "results.json",
                        help="results file (default benchmarks/out/results.json)")
    parser.add_argument("--shuffled", action="store_true",
                        help="also audit the message rows written in random order")
    parser.add_argument("--skip-messages", action="store_true", help="ticket rows only")
    parser.add_argument("--skip-duckdb", action="store_true", help="leave DuckDB out")
    parser.add_argument("--no-phrases", action="store_true",
                        help="leave out the phrase-matching micro-benchmark")
    parser.add_argument("--phrase-messages", type=int, default=10_000,
                        help="messages for the phrase micro-benchmark (default 10000)")
    parser.add_argument("--verify-up-to", type=int, default=100_000,
                        help="check DuckDB's verdict counts against svcaudit's JSON report for "
                             "sizes up to this many tickets (default 100000)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="kill a single run after this many seconds")
    parser.add_argument("--duckdb-worker", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.duckdb_worker:
        return duckdb_worker(args.duckdb_worker)
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes ticket counts such as 10000,100000")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes takes positive ticket counts")

    have_duckdb = duckdb_version() is not None
    if not have_duckdb and not args.skip_duckdb:
        print("duckdb cannot be imported: its column is skipped (pip install duckdb)",
              file=sys.stderr)
    began = time.perf_counter()
    results = {
        "benchmark": "benchmarks/run.py",
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "as_of": AS_OF,
        "memory_method": MEMORY_METHOD,
        "bytecode_cache": BYTECODE_CACHE,
        "timing_method": "wall time of the whole process (interpreter start-up included), "
                         "best of the runs",
        "standards": {"default": "builtin:default",
                      "business_hours": str(BUSINESS_HOURS.relative_to(ROOT))},
        "sizes": [],
    }
    results["startup"] = bench_startup(args, have_duckdb)
    for tickets in sizes:
        results["sizes"].append(bench_size(tickets, args, have_duckdb))

    results["targets"] = targets.evaluate(results)

    if not args.no_phrases:
        folder = generate.data_dir(args.data, sizes[0])
        print("phrase matching micro-benchmark …", file=sys.stderr, flush=True)
        results["phrase_matching"] = phrase_benchmark(folder, args.phrase_messages, repeat=3)
    results["total_seconds"] = round(time.perf_counter() - began, 1)
    try:
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass

    m = results["machine"]
    print(f"\nsvcaudit benchmark — {m['platform']}, {m['cpu_count']} CPUs"
          f"{', ' + m['cpu_model'] if m.get('cpu_model') else ''}, Python {m['python']}, "
          f"DuckDB {results['versions']['duckdb'] or 'not installed'}")
    print(f"peak MB: {MEMORY_METHOD}")
    print_table(results["sizes"])
    targets.print_targets(results["targets"])
    startup = results["startup"]["svcaudit_one_ticket"]
    if startup.get("seconds") is not None:
        print(f"\nsvcaudit fixed cost (check of 1 ticket row: imports, standard): "
              f"{startup['seconds']:.2f} s, {startup['peak_rss_mb']:.0f} MB; "
              f"python -c pass: {results['startup']['python']['seconds']:.2f} s")
    phrases = results.get("phrase_matching")
    if phrases:
        one, each = phrases["one_pass_bank_scan"], phrases["per_rule_phraseset_search"]
        print(f"\nPhrase matching, {phrases['messages']:,} messages × {phrases['phrase_sets']} "
              f"phrase sets ({phrases['entries']} entries) of the default standard:")
        print(f"  PhraseBank.scan, one pass per message:   {one['seconds']:.3f} s "
              f"({one['us_per_message']:.0f} µs/message)")
        print(f"  PhraseSet.search per rule per message:   {each['seconds']:.3f} s "
              f"({each['us_per_message']:.0f} µs/message)")
        print(f"  one pass is {phrases['speedup']:.1f}× faster; same hits: {phrases['same_hits']}")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with (args.json.parent / "history.jsonl").open("a", encoding="utf-8") as history:
        history.write(json.dumps(results, ensure_ascii=False) + "\n")
    print(f"\nresults: {_display(str(args.json.resolve()))} (total {results['total_seconds']} s)")
    failed = [r for s in results["sizes"] for r in s["workloads"].values() if r.get("error")]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
