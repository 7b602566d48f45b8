"""The ticket-id fingerprints of the fast ticket-row paths: repeats found, states handed over."""

from __future__ import annotations

import multiprocessing

import pytest

from svcaudit.intake.ids import SaltMismatch, TicketIdSet


def _state_of(ids: list[str]):
    found = TicketIdSet()
    for ticket_id in ids:
        found.add(ticket_id)
    return found.state()


def test_a_repeated_id_is_found_across_states_and_distinct_ids_are_not():
    ids = [f"T-{n}" for n in range(5000)] + ["ё-1", "\udcff-surrogate"]
    mine = TicketIdSet()
    for ticket_id in ids:
        mine.add(ticket_id)
    assert not mine.has_repeats()
    mine.absorb(_state_of(["T-4999"]))
    assert mine.has_repeats()
    assert len(mine) == len(ids) + 1


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_forked_worker_s_state_is_absorbed_and_its_repeats_are_seen():
    with multiprocessing.get_context("fork").Pool(1) as pool:
        state = pool.apply(_state_of, (["A-1", "A-2"],))
    mine = TicketIdSet()
    mine.add("A-2")
    mine.absorb(state)
    assert mine.has_repeats()
    mine.freeze()
    assert "A-1" in mine and "A-3" not in mine


def test_a_state_hashed_with_another_salt_is_refused():
    probe, buckets = _state_of(["A-1"])
    with pytest.raises(SaltMismatch):
        TicketIdSet().absorb((probe + 1, buckets))
