"""The Dask example (benchmarks/dask_audit.py): an export audited as partitions, each by
`audit_record_batches`, and merged, gives the report `svcaudit check` gives the whole file."""

from __future__ import annotations

import pytest

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

pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def example():
    return load_example("dask_audit")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generated_export(tmp_path_factory.mktemp("generated"), 3000)


def dask_report(example, path, tmp_path, **split) -> tuple[dict, int]:
    """The example's merged report, and how many partitions it was made of."""
    partials_dir = tmp_path / "partials"
    result = example.audit_with_dask(
        STANDARD, str(path), AS_OF_MOMENT, partials_dir=partials_dir, scheduler="sync", **split
    )
    return json_report(result), len(list(partials_dir.glob("*.json")))


def test_samples_by_byte_blocks(example, tmp_path):
    report, partitions = dask_report(example, SAMPLES / "tickets.csv", tmp_path, blocksize=8000)
    assert partitions >= 4
    assert report == check_report(SAMPLES / "tickets.csv")


def test_generated_export_in_partitions(example, generated, tmp_path):
    # Its values hold line breaks, which Dask's byte blocks cannot split: read whole, split in memory.
    report, partitions = dask_report(example, generated, tmp_path, partitions=4)
    assert partitions == 4
    expected = check_report(generated)
    assert expected["summary"]["tickets"] == 3000
    assert report == expected


@pytest.mark.parametrize("partitions", [1, 3, 6])
def test_rejections_and_lines_land_as_in_a_file_run(example, tmp_path, partitions):
    export = tmp_path / "crafted.csv"
    export.write_text(HEADER + "\n".join(CRAFTED_ROWS) + "\n", encoding="utf-8")
    report, _ = dask_report(example, export, tmp_path, partitions=partitions)
    expected = check_report(export)
    assert [(r["row"], r["field"]) for r in expected["rejected"]] == REJECTED
    assert report == expected
