"""The Spark example's tasks (benchmarks/spark_audit.py), run as `mapInArrow` runs them but without
Spark: the export read into Arrow record batches of text columns (as Spark's CSV reader gives them),
cut into partitions of consecutive rows, each task called with its partition's batches and index.
Merged in file order, the partials give the report `svcaudit check` gives the whole file."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from svcaudit.intake.readers import ExportFile
from tests.audit.slices import (
    AS_OF_MOMENT,
    CRAFTED_ROWS,
    HEADER,
    REJECTED,
    STANDARD,
    check_report,
    json_report,
    load_example,
)
from tests.paths import SAMPLES, generated_export


@pytest.fixture(scope="module")
def example():
    return load_example("spark_audit")


def read_as_spark(path) -> pa.Table:
    """Every row of the file after its header, every column a string, "" for an empty cell."""
    names = pacsv.read_csv(path, parse_options=pacsv.ParseOptions(newlines_in_values=True)).column_names
    return pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )


def spark_report(example, path, partitions: int) -> dict:
    """What `audit_with_spark` does, each `mapInArrow` run partition by partition in this process."""
    table = read_as_spark(path)
    size = -(-table.num_rows // partitions)
    parts = {index: table.slice(index * size, size).to_batches(max_chunksize=7) for index in range(partitions)}

    def map_in_arrow(make_task) -> list[dict]:
        rows = []
        for index, batches in parts.items():
            task = make_task(lambda index=index: index)
            rows += [row for batch in task(iter(batches)) for row in batch.to_pylist()]
        return rows

    lines = {row["partition"]: row["lines"] for row in map_in_arrow(example.partition_lines)}
    starts = example.first_rows(lines)
    source = str(path)  # as `check` names it
    encoding = ExportFile(path).encoding  # as `check` names it
    audited = map_in_arrow(lambda pid: example.partition_audit(STANDARD, AS_OF_MOMENT, source, encoding, starts, pid))
    return json_report(example.merged(STANDARD, [(row["partition"], row["partial"]) for row in audited]))


@pytest.mark.parametrize("partitions", [1, 4])
def test_samples_in_partitions(example, partitions):
    assert spark_report(example, SAMPLES / "tickets.csv", partitions) == check_report(SAMPLES / "tickets.csv")


def test_generated_export_with_line_breaks_in_values(example, tmp_path):
    export = generated_export(tmp_path, 1500)
    expected = check_report(export)
    assert expected["summary"]["tickets"] == 1500
    assert spark_report(example, export, 3) == expected


@pytest.mark.parametrize("partitions", [2, 5])
def test_rejections_and_lines_land_as_in_a_file_run(example, tmp_path, partitions):
    export = tmp_path / "crafted.csv"
    export.write_text(HEADER + "\n".join(CRAFTED_ROWS) + "\n", encoding="utf-8")
    expected = check_report(export)
    assert [(r["row"], r["field"]) for r in expected["rejected"]] == REJECTED
    assert spark_report(example, export, partitions) == expected
