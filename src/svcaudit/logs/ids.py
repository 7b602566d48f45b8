"""Ticket ids seen in ticket rows, kept small enough for a million-row export: did any repeat?

A repeated ticket id is rejected by its position (the later row; see `Intake`), which needs the
first row's position for every id: one dict entry per ticket. The fast ticket-row paths do not
keep that. They keep a 64-bit fingerprint per id in 256 typed arrays (8 bytes a ticket, no object
per ticket), which shards in other processes can hand over as bytes, and ask once at the end
whether any fingerprint repeats. When one does (a repeated id or, very rarely, two ids that share
a fingerprint), the caller audits again on the exact path.
"""
from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left

BUCKETS = 256
_TYPECODE = "q"


def fingerprint(ticket_id: str) -> int:
    """The same number for the same id in every process (unlike `hash`, which is salted)."""
    raw = ticket_id.encode("utf-8", "surrogatepass")
    return (zlib.adler32(raw) << 31) ^ zlib.crc32(raw)


class TicketIdSet:
    """Fingerprints of the ticket ids seen; answers whether any repeated."""

    def __init__(self) -> None:
        self._buckets = [array(_TYPECODE) for _ in range(BUCKETS)]

    def add(self, ticket_id: str) -> None:
        value = fingerprint(ticket_id)
        self._buckets[value & (BUCKETS - 1)].append(value)

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._buckets)

    def state(self) -> list[bytes]:
        """The fingerprints as bytes, to be absorbed by another process's set."""
        return [bucket.tobytes() for bucket in self._buckets]

    def absorb(self, state: list[bytes]) -> None:
        for bucket, data in zip(self._buckets, state):
            bucket.frombytes(data)

    def has_repeats(self) -> bool:
        """Whether two ids share a fingerprint: one bucket at a time, so memory stays small."""
        return any(len(set(bucket)) != len(bucket) for bucket in self._buckets)

    def freeze(self) -> None:
        """Sort the fingerprints, bucket by bucket, so that `in` can answer; add nothing after."""
        self._buckets = [array(_TYPECODE, sorted(bucket)) for bucket in self._buckets]

    def __contains__(self, ticket_id: object) -> bool:
        """Whether an id with this one's fingerprint was added (after `freeze`)."""
        if not isinstance(ticket_id, str):
            return False
        value = fingerprint(ticket_id)
        bucket = self._buckets[value & (BUCKETS - 1)]
        position = bisect_left(bucket, value)
        return position < len(bucket) and bucket[position] == value
