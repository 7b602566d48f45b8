"""The reference reader's rows in the core's batches (`intake.row_batches`): what a JSON value's
cell text is, which rows are typed from their values, and which rows share a batch."""

from __future__ import annotations

import pytest

from svcaudit.intake.model import RowRef
from svcaudit.intake.row_batches import JSON_BATCH_ROWS, mapping_row_batches


def batches(rows, mapped=frozenset()):
    return list(mapping_row_batches("t.jsonl", ((RowRef("t.jsonl", n + 1), row) for n, row in enumerate(rows)), mapped))


@pytest.mark.parametrize(
    "value, text, raw",
    [
        ("  Ann ", "  Ann ", False),  # texts as written: the typing trims them
        (None, "", False),
        (5, "5", False),
        (5.0, "5", False),  # as the reference reads a whole float
        (4.5, "4.5", False),
        (True, "True", False),  # a flag or a list: its Python text, as the reference keeps it
        (["a", "b"], "['a', 'b']", False),
    ],
)
def test_a_value_is_the_text_the_reference_reads(value, text, raw):
    (batch,) = batches([{"ticket_id": "T1", "agent": value}])
    assert batch.cells.cells[batch.names.index("agent")].to_pylist() == [text]
    assert (0 in batch.raw_values) is raw


@pytest.mark.parametrize(
    "name, value, mapped, raw",
    [
        ("created_at", "2026-11-02T09:00:00Z", frozenset(), False),
        ("created_at", 1793000000, frozenset(), True),  # epoch seconds: read from the number
        ("created_at", True, frozenset(), True),
        ("priority", 4, frozenset({"priority"}), False),  # looked up as "4" either way
        ("priority", 4.0, frozenset({"priority"}), True),  # looked up as "4.0", its text is "4"
        ("priority", 4.0, frozenset(), False),
    ],
)
def test_rows_whose_text_does_not_stand_for_a_value_are_typed_from_it(name, value, mapped, raw):
    row = {"ticket_id": "T1", name: value}
    (batch,) = batches([row], mapped)
    assert (0 in batch.raw_values) is raw
    assert batch.raw_values == ({0: row} if raw else {})


def test_rows_share_a_batch_while_they_hold_the_same_ticket_fields():
    rows = [
        {"ticket_id": "T1", "created_at": "x", "via.channel": "email"},
        {"ticket_id": "T2", "created_at": "x"},  # another key left out: same batch
        {"ticket_id": "T3", "created_at": "x", "via.source.from.address": "a@b.c"},
        {"ticket_id": "T4"},  # no created_at: a batch of its own
        {"ticket_id": "T5", "created_at": "x"},
    ]
    found = batches(rows)
    assert [batch.cells.rows.tolist() for batch in found] == [[1, 2, 3], [4], [5]]
    first = found[0]
    assert first.names == ["ticket_id", "created_at", "via.channel", "via.source.from.address"]
    assert first.cells.cells[2].to_pylist() == ["email", "", ""]  # a key a row lacks: an empty cell


def test_a_batch_holds_at_most_json_batch_rows():
    rows = [{"ticket_id": f"T{n}"} for n in range(JSON_BATCH_ROWS + 1)]
    assert [len(batch.cells) for batch in batches(rows)] == [JSON_BATCH_ROWS, 1]
