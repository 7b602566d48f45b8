"""Ticket ids seen in ticket rows, kept small enough for a million-row export: did any repeat?

A message export can be joined to its ticket rows as a stream only when no ticket id repeats; the
intake's pre-pass asks that of every id without keeping one dict entry per ticket: a 64-bit
fingerprint per id in 256 typed arrays (8 bytes a ticket, no object per ticket), asked once at the
end whether any fingerprint repeats. When one does (a repeated id or, very rarely, two ids that
share a fingerprint), the intake takes a way that needs no such proof.

The fingerprint is the string's own `hash` (SipHash): salted per interpreter, so it means the same
only within one process or among processes forked from one. A set's state carries the hash of a
probe, and a set refuses to absorb the state of one salted differently.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

BUCKETS = 256
_TYPECODE = "q"  # a signed 64-bit hash
_PROBE = "svcaudit ticket id"

fingerprint = hash  # see the module's docstring: the same within a forked family of processes


class SaltMismatch(RuntimeError):
    """The state of a set made in a process whose string hashes differ from this one's."""


class TicketIdSet:
    """Fingerprints of the ticket ids seen; answers whether any repeated."""

    def __init__(self) -> None:
        self._buckets = [array(_TYPECODE) for _ in range(BUCKETS)]

    def add(self, ticket_id: str) -> None:
        value = fingerprint(ticket_id)
        self._buckets[value & (BUCKETS - 1)].append(value)

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._buckets)

    def state(self) -> tuple[int, list[bytes]]:
        """The fingerprints as bytes, to be absorbed by another process's set, with the probe's
        hash that says how they were salted."""
        return hash(_PROBE), [bucket.tobytes() for bucket in self._buckets]

    def absorb(self, state: tuple[int, list[bytes]]) -> None:
        probe, buckets = state
        if probe != hash(_PROBE):
            raise SaltMismatch(
                "ticket id fingerprints from a process that hashes strings differently (not forked from this one)"
            )
        for bucket, data in zip(self._buckets, buckets, strict=False):
            bucket.frombytes(data)

    def has_repeats(self) -> bool:
        """Whether two ids share a fingerprint: one bucket at a time, so memory stays small."""
        return any(len(set(bucket)) != len(bucket) for bucket in self._buckets)

    def freeze(self) -> None:
        """Sort the fingerprints, bucket by bucket, so that `in` can answer; add nothing after.

        Each bucket is replaced as soon as its sorted copy is made, so that the set never stands in
        memory twice."""
        buckets = self._buckets
        for index, bucket in enumerate(buckets):
            buckets[index] = array(_TYPECODE, sorted(bucket))

    def __contains__(self, ticket_id: object) -> bool:
        """Whether an id with this one's fingerprint was added (after `freeze`)."""
        if not isinstance(ticket_id, str):
            return False
        value = fingerprint(ticket_id)
        bucket = self._buckets[value & (BUCKETS - 1)]
        position = bisect_left(bucket, value)
        return position < len(bucket) and bucket[position] == value
