"""Repeated ticket ids over many batches: the columnar core, a batch per Arrow record batch, rejects
or folds the same rows, with the same reasons, as the reference intake reading the rows as a CSV.

The ids repeat within and across batches, some with white space the ASCII trim keeps (a row the
reference types, whose id is then the trimmed one), some not ASCII, some empty; bad timestamps
reject a row before its id is screened, and can leave a batch with no row to screen.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import datetime, timezone

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcaudit.audit.batches import audit_record_batches
from svcaudit.audit.partial import merge_partials
from svcaudit.audit.run import run_audit
from svcaudit.results.model import AuditResult
from svcaudit.standard.loader import load_standard

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
DEFAULT = load_standard("builtin:default")
IDS = ("T-1", "T-2", "T-10", " T-1", "T-1\u00a0", "\u3000T-2", "Ü-7", "Ü-7 ", "票-3", "", "n/a")
CREATED = ("2026-11-02T09:00:00+03:00", "2026-11-03 10:30", "soon")
ROWS = st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(CREATED)), max_size=40)
HEADER = ("ticket_id", "created_at")


def accounted(result: AuditResult) -> tuple[list, list, int]:
    rejected = [(r.row, r.field, r.error) for r in result.rejected]
    inputs = [(i.rows_read, i.rows_rejected, i.rows_folded) for i in result.inputs]
    return rejected, inputs, result.tickets


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, cuts=st.lists(st.integers(0, 40), max_size=8), duplicates=st.sampled_from(("reject", "first")))
def test_repeats_over_batches_are_screened_as_the_reference_does(tmp_path, rows, cuts, duplicates):
    standard = dataclasses.replace(DEFAULT, input=dataclasses.replace(DEFAULT.input, duplicates=duplicates))
    path = tmp_path / "tickets.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    reference = run_audit(standard, [path], AS_OF, columnar=False)
    bounds = [0, *sorted(min(cut, len(rows)) for cut in cuts), len(rows)]
    batches = [
        pa.RecordBatch.from_pydict({name: [row[k] for row in rows[start:end]] for k, name in enumerate(HEADER)})
        for start, end in zip(bounds, bounds[1:], strict=False)
    ]
    partial = audit_record_batches(standard, batches, AS_OF, source=str(path))
    assert accounted(merge_partials(standard, [(None, partial)])) == accounted(reference)
