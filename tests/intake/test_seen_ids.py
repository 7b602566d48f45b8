"""`SeenIds`: repeated ticket ids across batches, found as the reference intake's dict finds them,
whatever the hashes collide on."""

from __future__ import annotations

from collections.abc import Callable
from unittest import mock

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcaudit.intake import seen_ids
from svcaudit.intake.seen_ids import Repeat, SeenIds, SortedRuns, SpilledIds, id_hashes, row_ids

PATHS = ("a.csv", "b.csv")
# Few letters, so that ids repeat often; non-ASCII ones of two, three and four UTF-8 bytes.
IDS = st.text(alphabet="T-1é票🙂 ", max_size=3)
BATCHES = st.lists(st.lists(IDS, max_size=12), max_size=12)


def screened(batches: list[list[str]]) -> list[list[Repeat]]:
    """The repeats of each batch as the reference intake finds them: a dict of the ids kept."""
    first: dict[str, tuple[str, int]] = {}
    found = []
    for path, rows, ids in laid_out(batches):
        repeats = []
        for position, ticket_id in enumerate(ids):
            if ticket_id in first:
                repeats.append(Repeat(position, ticket_id, *first[ticket_id]))
            else:
                first[ticket_id] = (path, int(rows[position]))
        found.append(repeats)
    return found


def laid_out(batches: list[list[str]]) -> list[tuple[str, np.ndarray, list[str]]]:
    """Each batch with a path and its rows: the files alternate, rows number on with gaps."""
    row = 2
    out = []
    for number, ids in enumerate(batches):
        rows = np.arange(row, row + 2 * len(ids), 2, dtype=np.int64)
        row += 2 * len(ids) + 1
        out.append((PATHS[number % 2], rows, ids))
    return out


def seen_in(batches: list[list[str]]) -> list[list[Repeat]]:
    seen = SeenIds()
    return [seen.add(path, rows, pa.array(ids, type=pa.string())) for path, rows, ids in laid_out(batches)]


def colliding(ids: pa.Array) -> np.ndarray:
    """Every id hashed alike."""
    return np.zeros(len(ids), dtype=np.uint64)


def by_length(ids: pa.Array) -> np.ndarray:
    """Ids of a length hashed alike."""
    return np.asarray(pc.binary_length(ids).fill_null(0), dtype=np.uint64)


@settings(max_examples=300, deadline=None)
@given(BATCHES)
def test_repeats_are_those_the_reference_finds(batches):
    assert seen_in(batches) == screened(batches)


@pytest.mark.parametrize("hashing", [colliding, by_length])
@settings(max_examples=100, deadline=None)
@given(batches=BATCHES)
def test_a_collision_of_hashes_never_makes_a_repeat(hashing: Callable[[pa.Array], np.ndarray], batches):
    with mock.patch.object(seen_ids, "id_hashes", hashing):
        assert seen_in(batches) == screened(batches)


def test_many_batches_keep_few_sorted_runs():
    rng = np.random.default_rng(7)
    batches = [[f"T-{n}" for n in rng.integers(0, 20_000, size=int(rng.integers(0, 300)))] for _ in range(200)]
    batches[50] = []
    seen = SeenIds()
    found = [seen.add(path, rows, pa.array(ids, type=pa.string())) for path, rows, ids in laid_out(batches)]
    assert found == screened(batches)
    runs = seen._runs
    assert len(runs.hashes) <= 2 * np.log2(len(batches))
    for hashes, numbers in zip(runs.hashes, runs.numbers, strict=True):
        assert (hashes[1:] >= hashes[:-1]).all()
        assert numbers.size == hashes.size
    assert sum(run.size for run in runs.hashes) == len({i for ids in batches for i in ids})


@settings(max_examples=100, deadline=None)
@given(batches=BATCHES, largest=st.integers(1, 40))
def test_runs_stop_growing_at_their_largest_and_find_the_same_repeats(batches, largest):
    with mock.patch.object(seen_ids, "MAX_RUN_HASHES", largest):
        seen = SeenIds()
        found = [seen.add(path, rows, pa.array(ids, type=pa.string())) for path, rows, ids in laid_out(batches)]
    assert found == screened(batches)
    batch_sizes = [len(ids) for ids in batches]
    for run in seen._runs.hashes:
        assert run.size <= max(largest, *batch_sizes, 0)  # a batch larger than the limit is one run


def test_a_repeat_names_where_the_first_was_read():
    seen = SeenIds()
    assert seen.add("a.csv", np.array([2, 3]), pa.array(["T-1", "Ü-2"])) == []
    assert seen.add("b.csv", np.array([7, 9, 11]), pa.array(["T-3", "Ü-2", "T-3"])) == [
        Repeat(1, "Ü-2", "a.csv", 3),
        Repeat(2, "T-3", "b.csv", 7),
    ]


def test_an_id_takes_its_hash_in_memory_and_the_rest_on_disk():
    seen = SeenIds()
    for start in range(0, 100_000, 16_384):
        ids = pa.array([f"TICKET-{n:012d}" for n in range(start, min(start + 16_384, 100_000))])
        assert seen.add("a.csv", np.arange(len(ids)), ids) == []
    # a hash (8 bytes), a sequence number (4) and the filter's bits (2); a dict of the ids takes
    # about 150 bytes an id, the ids held as Arrow strings with their rows took 31
    assert seen.nbytes < 15 * 100_000
    seen.close()


def test_spilled_ids_read_back_as_written():
    spilled = SpilledIds()
    first = pa.array(["x", "T-1", "", None, "票-22", "🙂" * 40], type=pa.string()).slice(1)
    spilled.append("a.csv", np.array([2, 3, 5, 8, 13]), first)
    second = pa.array(["T-1", "Ü"], type=pa.large_string())
    spilled.append("b.csv", np.array([7, 2**40]), second)  # a row past 4 bytes
    spilled.append("c.csv", np.array([], dtype=np.int64), pa.array([], type=pa.string()))
    assert len(spilled) == 7
    assert [spilled.read(n) for n in range(7)] == [
        ("T-1", "a.csv", 2),
        ("", "a.csv", 3),
        (None, "a.csv", 5),
        ("票-22", "a.csv", 8),
        ("🙂" * 40, "a.csv", 13),
        ("T-1", "b.csv", 7),
        ("Ü", "b.csv", 2**40),
    ]
    file = spilled._file
    assert file is not None and not file.closed
    spilled.close()
    assert file.closed


def test_a_null_id_repeats_as_the_reference_reads_it():
    seen = SeenIds()
    assert seen.add("a.csv", np.array([2, 3]), pa.array([None, ""], type=pa.string())) == []
    assert seen.add("a.csv", np.array([4, 5]), pa.array(["", None], type=pa.string())) == [
        Repeat(0, "", "a.csv", 3),
        Repeat(1, None, "a.csv", 2),  # type: ignore[arg-type]
    ]


def test_equal_ids_hash_alike_however_the_array_is_laid_out():
    ids = ["T-1", "", "票-22", None, "T-1", "🙂" * 40]
    plain = id_hashes(pa.array(ids, type=pa.string()))
    assert plain[0] == plain[4]
    assert id_hashes(pa.array(ids, type=pa.large_string())).tolist() == plain.tolist()
    sliced = pa.array(["x", "yy", *ids], type=pa.string()).slice(2)
    assert id_hashes(sliced).tolist() == plain.tolist()
    assert id_hashes(pa.array([], type=pa.string())).size == 0
    with pytest.raises(TypeError, match="Arrow strings"):
        id_hashes(pa.array([1, 2]))


def polynomial(ticket_id: str | None) -> int:
    """The hash `id_hashes` gives, written out."""
    data = (ticket_id or "").encode()
    weighed, power = 0, 1
    for byte in data:
        weighed += (byte + 1) * power
        power = power * int(seen_ids.BASE) % 2**64
    return (weighed + len(data) * int(seen_ids.LENGTH)) % 2**64


def test_ids_hash_as_the_polynomial_says_across_slabs():
    long = "票" * (seen_ids.SLAB_BYTES // 2)  # longer than a slab by itself
    ids = [f"T-{n}" for n in range(12_000)] + ["", long, "x", None, long + "!", "🙂"] + [f"Ü{n}" for n in range(9_000)]
    assert id_hashes(pa.array(ids)).tolist() == [polynomial(i) for i in ids]


def test_distinct_ids_of_an_export_hash_apart():
    ids = [f"T-{n}" for n in range(200_000)] + [f"INC{n:07d}" for n in range(100_000)] + ["T-1 ", " T-1", "t-1"]
    assert np.unique(id_hashes(pa.array(ids))).size == len(ids)


def test_row_ids_take_the_coded_values_and_the_ids_typed_apart():
    codes = np.array([0, 1, 0, 2, 1])
    values = ["T-1", "T-2", None]
    positions = np.array([0, 1, 3, 4])
    assert row_ids(codes, values, positions, {}).to_pylist() == ["T-1", "T-2", None, "T-2"]
    # Row 3 was typed apart; row 2 too but it is not asked for.
    typed = {3: "T-9", 2: "T-8"}
    assert row_ids(codes, values, positions, typed).to_pylist() == ["T-1", "T-2", "T-9", "T-2"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 50), max_size=20), max_size=20), st.lists(st.integers(0, 60), max_size=30))
def test_sorted_runs_hold_what_was_added(added, asked):
    runs = SortedRuns()
    numbered = []
    for values in added:
        hashes = np.sort(np.array(values, dtype=np.uint64))
        numbers = np.arange(len(numbered), len(numbered) + hashes.size, dtype=np.int64)
        runs.add(hashes, numbers)
        numbered.extend(zip(hashes.tolist(), numbers.tolist(), strict=True))
    for run in runs.hashes:
        assert (run[1:] >= run[:-1]).all()  # every run stays sorted as runs are merged
    ask = np.sort(np.array(asked, dtype=np.uint64))
    held = {h for h, _ in numbered}
    assert runs.contains(ask).tolist() == [a in held for a in ask.tolist()]
    for value in set(asked):
        assert runs.numbers_of(np.uint64(value)) == [n for h, n in numbered if h == value]


def test_sorted_runs_find_every_hash_held_as_the_filter_widens():
    rng = np.random.default_rng(3)
    runs = SortedRuns()
    added = []
    for _ in range(100):
        hashes = np.sort(rng.integers(0, 2**64, size=int(rng.integers(0, 2000)), dtype=np.uint64))
        runs.add(hashes, np.zeros(hashes.size, dtype=np.int64))
        added.append(hashes)
        held = np.concatenate(added)
        ask = np.sort(
            np.concatenate((rng.choice(held, size=min(held.size, 500)), rng.integers(0, 2**64, 500, dtype=np.uint64)))
        )
        assert runs.contains(ask).tolist() == np.isin(ask, held).tolist()


def test_sequence_numbers_past_four_bytes_are_kept_whole():
    runs = SortedRuns()
    runs.add(np.array([5, 9], dtype=np.uint64), np.array([1, 2], dtype=np.int64))
    runs.add(np.array([5, 7], dtype=np.uint64), np.array([2**32, 2**40], dtype=np.int64))
    assert runs.numbers_of(np.uint64(5)) == [1, 2**32]
    assert runs.numbers_of(np.uint64(7)) == [2**40]
    assert runs.numbers[0].dtype == np.int64  # merged with the narrow run, widened


def test_a_row_past_four_bytes_is_named_whole():
    seen = SeenIds()
    seen.add("a.csv", np.array([2**33, 7], dtype=np.int64), pa.array(["T-1", "T-2"]))
    seen.add("b.csv", np.array([3], dtype=np.int64), pa.array(["T-9"]))
    (repeat,) = seen.add("c.csv", np.array([4, 5], dtype=np.int64), pa.array(["T-1", "T-3"]))
    assert (repeat.position, repeat.first_path, repeat.first_row) == (0, "a.csv", 2**33)
    (repeat,) = seen.add("c.csv", np.array([6], dtype=np.int64), pa.array(["T-9"]))
    assert (repeat.first_path, repeat.first_row) == ("b.csv", 3)
