"""The Dask example (benchmarks/dask_audit.py): an export audited as partitions, each by
`audit_record_batches`, and merged, gives the report `svcaudit check` gives the whole file."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import datetime, timezone
from io import StringIO

import pytest

from svcaudit.reporters import reporter
from svcaudit.reporters.protocol import ReportOptions
from tests.paths import REPO, SAMPLES, generated_export

pytest.importorskip("dask.dataframe")

STANDARD = "builtin:default"
AS_OF = "2026-11-23T12:00:00Z"
AS_OF_MOMENT = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
HEADER = "ticket_id,created_at,first_reply_at,resolved_at,status,priority,channel,agent,csat,note\n"
# Rows the reader and the typing reject, a reply stamped before creation (a field rejected, the
# row kept), a blank line and a row of empty cells (dropped, their lines counted), a value with
# line breaks (the rows after it sit lines further on), and slash dates whose order the values
# prove.
CRAFTED_ROWS = [
    "A-1,2026-11-02T09:00:00+03:00,2026-11-02T09:05:00+03:00,2026-11-02T10:00:00+03:00,solved,high,email,Ann,5,ok",
    "A-2,not a date,,,open,low,chat,Bob,,",
    "A-3,2026-11-03T09:00:00+03:00,2026-11-03T08:00:00+03:00,,open,urgent,phone,Ann,4,reply before creation",
    "",
    ",,,,,,,,,",
    'A-4,2026-11-04T09:00:00+03:00,,,new,normal,email,Cid,,"two\nlines"',
    "A-5,25/11/2026 09:00,,,new,low,web,Bob,,after as-of",
    "A-6,13/11/2026 09:00,13/11/2026 15:00,14/11/2026 09:00,solved,low,web,Bob,4,",
    "A-7,2026-11-05T09:00:00+03:00,2026-11-05T12:00:00+03:00,,pending,high,email,Cid,x,bad csat",
]

REJECTED = [(3, "created_at"), (4, "first_reply_at"), (11, "csat")]


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("dask_audit", REPO / "benchmarks" / "dask_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generated_export(tmp_path_factory.mktemp("generated"), 3000)


def check_report(path) -> dict:
    """`svcaudit check --format json` of the whole file, in one process."""
    result = subprocess.run(
        [sys.executable, "-m", "svcaudit", "check", str(path), "-s", STANDARD, "--as-of", AS_OF, "-f", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def json_report(result) -> dict:
    stream = StringIO()
    reporter("json").write(result, stream, ReportOptions())
    return json.loads(stream.getvalue())


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
