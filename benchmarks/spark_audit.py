"""Audit a ticket-row CSV export as a Spark job: Spark's `mapInArrow` hands each task its partition as
Arrow record batches, which `svcaudit.audit.batches.audit_record_batches` audits into the partial
result `svcaudit check --partial` writes; `merge_partials` on the driver makes the report.

    spark = SparkSession.builder.getOrCreate()
    frame = spark.read.csv("tickets.csv", header=True, multiLine=True, escape='"',
                           inferSchema=False, nullValue=None, emptyValue="")  # every column a string
    result = audit_with_spark(frame, "builtin:default", AS_OF, source="tickets.csv")

Row numbers, as in the Dask example (`dask_audit.py`): a partition must know the physical line of
its first row in the file. The frame's partitions hold consecutive rows of the file, in order (as
Spark reads one file). A first `mapInArrow` counts the lines each partition's rows cover
(`partition_lines`, keyed by the partition's index); the driver sums them into every partition's
first line, from line 2 after the header; a second `mapInArrow` audits each partition from its
first line (`partition_audit`). The two task functions take the partition's index from a callable,
`TaskContext.get().partitionId()` on Spark, so that they run, and are tested
(tests/audit/test_spark_tasks.py), without Spark.

Spark's CSV reader skips blank lines, which the line count then cannot see: in a file with blank
lines, the rows after one are numbered that many lines early (remove them first, or use the Dask
example, which keeps them as rows of empty cells). pyspark is not a dependency of svcaudit; this
file imports it only in `audit_with_spark`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from svcaudit.audit.batches import FIRST_DATA_LINE, audit_record_batches, physical_lines
from svcaudit.audit.partial import merge_partials
from svcaudit.results.model import AuditResult
from svcaudit.standard.loader import load_standard

LINES_SCHEMA = "partition long, lines long"
PARTIAL_SCHEMA = "partition long, partial string"

ArrowTask = Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]


def partition_lines(partition_id: Callable[[], int]) -> ArrowTask:
    """A `mapInArrow` task: the partition's index and the physical lines its rows cover."""

    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        yield pa.RecordBatch.from_pydict({"partition": [partition_id()], "lines": [physical_lines(batches)]})

    return task


def first_rows(lines: dict[int, int]) -> dict[int, int]:
    """Each partition's first physical line, from the lines every partition covers (by index)."""
    order = sorted(lines)
    starts = FIRST_DATA_LINE + np.concatenate(([0], np.cumsum([lines[k] for k in order])[:-1])).astype(int)
    return {partition: int(start) for partition, start in zip(order, starts, strict=True)}


def partition_audit(
    spec: str,
    as_of: datetime,
    source: str,
    encoding: str,
    starts: dict[int, int],
    partition_id: Callable[[], int],
) -> ArrowTask:
    """A `mapInArrow` task: the partition's index and its partial result as JSON, its rows
    numbered from the partition's first line (`starts`, from `first_rows`)."""

    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        partition = partition_id()
        partial = audit_record_batches(
            load_standard(spec),
            batches,
            as_of,
            source=source,
            first_row=starts[partition],
            source_format="csv",
            source_encoding=encoding,
        )
        yield pa.RecordBatch.from_pydict({"partition": [partition], "partial": [json.dumps(partial)]})

    return task


def merged(spec: str, rows: list[tuple[int, str]]) -> AuditResult:
    """The report from the partitions' (index, partial JSON), merged in file order."""
    ordered = sorted(rows)
    partials: list[tuple[Any, dict[str, Any]]] = [(f"part-{k}", json.loads(text)) for k, text in ordered]
    return merge_partials(load_standard(spec), partials)


def audit_with_spark(frame: Any, spec: str, as_of: datetime, *, source: str, encoding: str = "utf-8") -> AuditResult:
    """The report of a Spark frame of the export's rows (every column a string, in file order)."""
    from pyspark import TaskContext  # only here: pyspark is not a dependency

    def partition_id() -> int:
        context = TaskContext.get()
        assert context is not None
        return context.partitionId()

    counted = frame.mapInArrow(partition_lines(partition_id), LINES_SCHEMA).collect()
    starts = first_rows({row.partition: row.lines for row in counted})
    audited = frame.mapInArrow(partition_audit(spec, as_of, source, encoding, starts, partition_id), PARTIAL_SCHEMA)
    return merged(spec, [(row.partition, row.partial) for row in audited.collect()])
