"""`audit_record_batches`: Arrow record batches of ticket rows in, a partial result out."""

from __future__ import annotations

from datetime import datetime, timezone

import pyarrow as pa
import pytest

from svcaudit.audit.batches import audit_record_batches, physical_lines
from svcaudit.audit.partial import merge_partials
from svcaudit.errors import InputError
from svcaudit.standard.loader import load_standard

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
STANDARD = load_standard("builtin:default")
ROWS = {
    "Ticket ID": ["T-1", "T-2", ""],
    "Created At": ["2026-11-02T09:00:00+03:00", "yesterday", ""],
    "Note": ["one line", "two\nlines", None],
}


def batch(columns: dict[str, list], shard: str = "") -> pa.RecordBatch:
    """The columns as a record batch, ticket ids suffixed with `shard` (a repeated id is rejected)."""
    renamed = {
        name: [v + shard if name == "Ticket ID" and v else v for v in values] for name, values in columns.items()
    }
    return pa.RecordBatch.from_pydict(renamed)


def test_rows_are_numbered_from_first_row_and_accounted_to_the_source():
    data = audit_record_batches(STANDARD, [batch(ROWS), batch(ROWS, "b")], AS_OF, source="export.csv", first_row=100)
    (stats,) = data["inputs"]
    assert (stats["path"], stats["rows_read"], stats["rows_rejected"]) == ("export.csv", 4, 2)
    # Each batch: T-1 at its first line, T-2 next, then a blank row; the second batch follows the
    # first's lines (T-2's note holds a line break, so each batch covers four lines).
    assert [(r["path"], r["row"], r["field"]) for r in data["rejected"]] == [
        ("export.csv", 101, "created_at"),
        ("export.csv", 105, "created_at"),
    ]
    assert data["tally"]["tickets"] == 2
    repeated = audit_record_batches(STANDARD, [batch(ROWS), batch(ROWS)], AS_OF, source="export.csv")
    assert [(r["row"], r["field"]) for r in repeated["rejected"]] == [
        (3, "created_at"),
        (6, "ticket_id"),
        (7, "created_at"),
    ]
    assert physical_lines([batch(ROWS), batch(ROWS)]) == 8


def test_partials_merge_into_one_input():
    parts = [
        audit_record_batches(STANDARD, [batch(ROWS)], AS_OF, source="export.csv", first_row=2),
        audit_record_batches(STANDARD, [batch(ROWS, "b")], AS_OF, source="export.csv", first_row=6),
    ]
    result = merge_partials(STANDARD, [(None, part) for part in parts])
    assert [(i.path, i.rows_read, i.rows_rejected) for i in result.inputs] == [("export.csv", 4, 2)]
    assert [r.row for r in result.rejected] == [3, 7]


def test_no_batches_give_an_empty_partial():
    data = audit_record_batches(STANDARD, iter(()), AS_OF, source="empty")
    assert (data["inputs"][0]["rows_read"], data["tally"]["tickets"]) == (0, 0)


@pytest.mark.parametrize(
    "columns, message",
    [
        ({"id": ["T-1"], "created": ["2026-11-02"]}, "no ticket_id column"),
        ({"ticket_id": ["T-1"], "csat": [5]}, "not text"),
        ({"ticket_id": ["T-1"], "author_role": ["agent"]}, "message rows"),
    ],
)
def test_columns_that_cannot_be_read_are_input_errors(columns, message):
    with pytest.raises(InputError, match=message):
        audit_record_batches(STANDARD, [batch(columns)], AS_OF, source="x")
