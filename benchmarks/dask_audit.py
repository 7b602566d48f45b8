#!/usr/bin/env python3
"""Audit a ticket-row CSV export as a Dask job: one partial result per partition, merged into the report.

    python benchmarks/dask_audit.py samples/tickets.csv --as-of 2026-11-23T12:00:00Z \\
        [--standard builtin:default] [--blocksize 64KB | --partitions 4] [--partials DIR] [--output report.json]

Each partition of `dask.dataframe.read_csv(..., dtype=str, keep_default_na=False)` is handed to
`svcaudit.audit.batches.audit_record_batches` as Arrow record batches, which returns the partial
result `svcaudit check --partial` writes for a file; `merge_partials` (or `svcaudit merge DIR/*.json`)
adds them up into the report `svcaudit check` gives the whole file.

Row numbers: a partition must know the physical line of its first row in the file, so that rejected
rows and findings point at the right line. The partitions are read once and kept (`persist`); each
counts the lines its rows cover (`physical_lines`: a row is one line plus the line breaks quoted
values hold), and a cumulative sum gives every partition's first line, from line 2 after the header.

`--blocksize` splits the file by bytes, which Dask can only do when no quoted value holds a line
break (Dask cuts blocks at any newline). For an export whose values hold line breaks, read it whole
and split it in memory with `--partitions N` (`repartition`); the rows, and the report, are the same.

Needs dask[dataframe] (a test extra of svcaudit, not one of its dependencies).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa

from svcaudit.audit.batches import FIRST_DATA_LINE, audit_record_batches, physical_lines
from svcaudit.audit.partial import merge_partials
from svcaudit.intake.readers import ExportFile
from svcaudit.reporters import reporter
from svcaudit.reporters.escaping import json_text
from svcaudit.reporters.protocol import ReportOptions
from svcaudit.results.model import AuditResult
from svcaudit.standard.loader import load_standard
from svcaudit.standard.model import Standard

DEFAULT_STANDARD = "builtin:default"
DEFAULT_BLOCKSIZE = "64MB"


@lru_cache(maxsize=4)
def standard_of(spec: str) -> Standard:
    """The standard, loaded once per worker process: tasks carry its name, not the parsed object."""
    return load_standard(spec)


def as_batches(partition: pd.DataFrame) -> list[pa.RecordBatch]:
    """A partition as Arrow record batches: columns by their header names, every cell text."""
    return pa.Table.from_pandas(partition, preserve_index=False).to_batches()


def partition_lines(partition: pd.DataFrame) -> int:
    return physical_lines(as_batches(partition))


def audit_partition(
    partition: pd.DataFrame, spec: str, as_of: datetime, source: str, encoding: str, first_row: int
) -> dict[str, Any]:
    """One partition's partial result, its rows numbered from `first_row`."""
    return audit_record_batches(
        standard_of(spec),
        as_batches(partition),
        as_of,
        source=source,
        first_row=first_row,
        source_format="csv",
        source_encoding=encoding,
    )


def read_export(path: str, encoding: str, blocksize: str | int | None, partitions: int | None) -> dd.DataFrame:
    """The export as a Dask frame of text cells, as a CSV reader gives them: nothing typed, an empty
    cell "", a blank line a row of empty cells (the audit drops it and counts its line)."""
    frame = dd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        encoding=encoding,
        blocksize=None if partitions else blocksize,
    )
    return frame.repartition(npartitions=partitions) if partitions else frame


def dask_partials(
    spec: str,
    path: str,
    as_of: datetime,
    *,
    blocksize: str | int | None = DEFAULT_BLOCKSIZE,
    partitions: int | None = None,
    scheduler: str = "threads",
) -> list[dict[str, Any]]:
    """The partial result of every partition of the export at `path`, in partition order.

    Every partial names its input `path` and the encoding svcaudit detects in the file, as
    `svcaudit check` names them, so that the merged report lists one input whose counts are the
    partitions' sums."""
    encoding = ExportFile(path).encoding
    frame = read_export(path, encoding, blocksize, partitions).persist(scheduler=scheduler)
    parts = frame.to_delayed()
    lines = dask.compute(*[dask.delayed(partition_lines)(part) for part in parts], scheduler=scheduler)
    first_rows = FIRST_DATA_LINE + np.concatenate(([0], np.cumsum(lines)[:-1])).astype(int)
    tasks = [
        dask.delayed(audit_partition)(part, spec, as_of, path, encoding, int(first_row))
        for part, first_row in zip(parts, first_rows, strict=True)
    ]
    return list(dask.compute(*tasks, scheduler=scheduler))


def write_partials(partials: list[dict[str, Any]], folder: Path) -> list[Path]:
    """Each partial as `svcaudit check --partial` writes one, for `svcaudit merge`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, data in enumerate(partials):
        target = folder / f"part-{index:05d}.json"
        target.write_text(json_text(json.dumps(data, ensure_ascii=False)) + "\n", encoding="utf-8")
        written.append(target)
    return written


def audit_with_dask(
    spec: str,
    path: str,
    as_of: datetime,
    *,
    blocksize: str | int | None = DEFAULT_BLOCKSIZE,
    partitions: int | None = None,
    partials_dir: Path | None = None,
    scheduler: str = "threads",
) -> AuditResult:
    """The report of the export, from its partitions' partial results (written to `partials_dir`)."""
    partials = dask_partials(spec, path, as_of, blocksize=blocksize, partitions=partitions, scheduler=scheduler)
    names = (
        write_partials(partials, partials_dir) if partials_dir else [Path(f"part-{i}") for i in range(len(partials))]
    )
    return merge_partials(standard_of(spec), list(zip(names, partials, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", help="a ticket-row CSV export")
    parser.add_argument("--as-of", required=True, help="ISO 8601 'now', e.g. 2026-11-23T12:00:00Z")
    parser.add_argument("--standard", default=DEFAULT_STANDARD)
    parser.add_argument("--blocksize", default=DEFAULT_BLOCKSIZE, help="bytes per partition (e.g. 64MB)")
    parser.add_argument("--partitions", type=int, help="read whole, then split into N partitions in memory")
    parser.add_argument("--partials", type=Path, help="write each partition's partial result here")
    parser.add_argument("--scheduler", default="threads", choices=("threads", "processes", "sync"))
    parser.add_argument("--output", type=Path, help="write the JSON report here instead of stdout")
    args = parser.parse_args(argv)
    as_of = datetime.fromisoformat(args.as_of.replace("Z", "+00:00"))
    result = audit_with_dask(
        args.standard,
        args.export,
        as_of,
        blocksize=args.blocksize,
        partitions=args.partitions,
        partials_dir=args.partials,
        scheduler=args.scheduler,
    )
    json_report = reporter("json")
    if args.output is None:
        json_report.write(result, sys.stdout, ReportOptions())
    else:
        with args.output.open("w", encoding="utf-8") as stream:
            json_report.write(result, stream, ReportOptions())
    return 0


if __name__ == "__main__":
    sys.exit(main())
