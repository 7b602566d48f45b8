#!/usr/bin/env python3
"""Machine instructions a ticket row costs, counted by valgrind's callgrind: the profiler's
figure that does not drift.

    python benchmarks/instructions.py [--tickets 100000] [--rows 7000] [--standard builtin:default]

Wall times on a shared virtual machine drift by a third from hour to hour, which hides a change
worth 5 %. Instruction counts do not: the same code on the same rows gives the same count to a
few parts in a million, whatever else the machine is doing. This script takes the first `--rows`
rows of a generated `tickets.csv` (benchmarks/generate.py), and counts, each in its own
interpreter under callgrind, with and without those rows (the difference is the rows' share, free
of imports and start-up):

* the bare parse, ``for row in csv.reader(f): pass``;
* svcaudit's audit of the rows in one process (`rowaudit.audit_input`: reading, typing, the row
  lane, findings) and the JSON encoding of its findings, as a worker does them.

It prints instructions a row for both and their ratio. Instructions are not seconds (the
interpreter's work has a lower IPC than the csv module's C loop, by about 15 % here), but a
change that saves instructions saves time. Needs valgrind (Debian: `apt-get install valgrind`);
runs take about half a minute each for 7,000 rows.
"""
from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = "2026-11-23T12:00:00+00:00"

BARE_PARSE = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        pass
"""

AUDIT = """
import sys
from datetime import datetime
from svcaudit.audit.run import Audit
from svcaudit.audit.engine import make_intake
from svcaudit.intake.ids import TicketIdSet
from svcaudit.reporters.json import encode_findings
from svcaudit.audit.rowaudit import audit_input
from svcaudit.standard.loader import load_standard

standard = load_standard(sys.argv[2])
as_of = datetime.fromisoformat(sys.argv[3])
intake = make_intake(standard, [sys.argv[1]])
audit = Audit(standard, as_of)
audit_input(audit.tally, intake, 0, as_of, TicketIdSet())
for _ in audit.tally.violations.map_batches(encode_findings, 1, rows=True):
    pass
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def counted(script: str, *args: str) -> int:
    """Instructions the interpreter executes running `script` with `args`."""
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out",
             sys.executable, "-c", script, *args],
            capture_output=True, text=True, check=True)
    found = _REFS.search(result.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no instruction count:\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def first_rows(source: Path, rows: int, target: Path) -> int:
    """The header and the first `rows` rows of a CSV file (rows may span lines); how many."""
    with source.open(newline="", encoding="utf-8") as read, \
            target.open("w", newline="", encoding="utf-8") as write:
        reader, writer = csv.reader(read), csv.writer(write, lineterminator="\n")
        writer.writerow(next(reader))
        taken = 0
        for row in reader:
            if taken == rows:
                break
            writer.writerow(row)
            taken += 1
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000,
                        help="which generated size to sample (default 100000)")
    parser.add_argument("--rows", type=int, default=7000, help="rows to count (default 7000)")
    parser.add_argument("--standard", default="builtin:default")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    source = HERE / "data" / str(args.tickets) / "tickets.csv"
    if not source.exists():
        raise SystemExit(f"{source} is missing: run benchmarks/generate.py --tickets {args.tickets}")
    with tempfile.TemporaryDirectory() as folder:
        sample, empty = Path(folder) / "rows.csv", Path(folder) / "none.csv"
        rows = first_rows(source, args.rows, sample)
        first_rows(source, 0, empty)
        bare = counted(BARE_PARSE, str(sample)) - counted(BARE_PARSE, str(empty))
        audit = (counted(AUDIT, str(sample), args.standard, AS_OF)
                 - counted(AUDIT, str(empty), args.standard, AS_OF))
    print(f"{rows:,} rows of {source.relative_to(ROOT)}, standard {args.standard}")
    print(f"bare csv.reader parse: {bare / rows:>9,.0f} instructions a row")
    print(f"svcaudit audit + JSON: {audit / rows:>9,.0f} instructions a row "
          f"({audit / bare:.2f}x the bare parse)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
