"""The zone clock: offset changes found to the second, and wall-clock questions answered across them."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from svcaudit.timecalc.zoneclock import DAY_US, US_PER_SECOND, ZoneClock, epoch_day, to_epoch_us

HOUR_US = 3600 * US_PER_SECOND


def utc_us(text: str) -> int:
    return to_epoch_us(datetime.fromisoformat(text).replace(tzinfo=timezone.utc))


def wall_us(text: str) -> int:
    """A wall-clock reading on the epoch-microsecond scale."""
    return utc_us(text)


TRANSITIONS = [
    # (zone, year, [(UTC instant, offset before h, offset after h)])
    ("America/New_York", 2026, [("2026-03-08T07:00", -5, -4), ("2026-11-01T06:00", -4, -5)]),
    ("Europe/Berlin", 2026, [("2026-03-29T01:00", 1, 2), ("2026-10-25T01:00", 2, 1)]),
    ("America/Santiago", 2026, [("2026-04-05T03:00", -3, -4), ("2026-09-06T04:00", -4, -3)]),
    ("Australia/Lord_Howe", 2026, [("2026-04-04T15:00", 11, 10.5), ("2026-10-03T15:30", 10.5, 11)]),
    ("Europe/Moscow", 2026, []),
    ("Europe/Moscow", 2014, [("2014-10-25T22:00", 4, 3)]),
]


@pytest.mark.parametrize(("zone", "year", "expected"), TRANSITIONS)
def test_transitions_are_found_to_the_second(zone: str, year: int, expected: list[tuple[str, float, float]]) -> None:
    clock = ZoneClock(ZoneInfo(zone))
    found = clock.transitions(utc_us(f"{year}-01-01T00:00"), utc_us(f"{year + 1}-01-01T00:00"))
    assert found == [(utc_us(at), int(before * HOUR_US), int(after * HOUR_US)) for at, before, after in expected]


WALL_QUESTIONS = [
    # (zone, wall time, first instant showing it or later)
    ("America/New_York", "2026-03-08T01:59", "2026-03-08T06:59"),
    ("America/New_York", "2026-03-08T02:30", "2026-03-08T07:00"),  # skipped: the jump
    ("America/New_York", "2026-03-08T03:00", "2026-03-08T07:00"),
    ("America/New_York", "2026-11-01T01:30", "2026-11-01T05:30"),  # repeated: first occurrence
    ("America/Santiago", "2026-09-06T00:00", "2026-09-06T04:00"),  # a midnight that never happens
    ("Europe/Moscow", "2026-06-01T00:00", "2026-05-31T21:00"),
]


@pytest.mark.parametrize(("zone", "wall", "instant"), WALL_QUESTIONS)
def test_first_instant_showing_a_wall_time(zone: str, wall: str, instant: str) -> None:
    assert ZoneClock(ZoneInfo(zone)).first_at_or_after(wall_us(wall)) == utc_us(instant)


def test_a_repeated_wall_interval_has_two_pieces() -> None:
    clock = ZoneClock(ZoneInfo("America/New_York"))
    periods = clock.periods(utc_us("2026-10-31T00:00"), utc_us("2026-11-03T00:00"))
    pieces = clock.preimage(wall_us("2026-11-01T00:00"), wall_us("2026-11-01T01:30"), periods)
    assert pieces == [
        (utc_us("2026-11-01T04:00"), utc_us("2026-11-01T05:30")),  # 00:00-01:30 EDT
        (utc_us("2026-11-01T06:00"), utc_us("2026-11-01T06:30")),  # 01:00-01:30 EST
    ]


def test_a_skipped_wall_interval_is_shorter() -> None:
    clock = ZoneClock(ZoneInfo("America/New_York"))
    periods = clock.periods(utc_us("2026-03-07T00:00"), utc_us("2026-03-10T00:00"))
    pieces = clock.preimage(wall_us("2026-03-08T00:00"), wall_us("2026-03-09T00:00"), periods)
    assert pieces == [(utc_us("2026-03-08T05:00"), utc_us("2026-03-09T04:00"))]
    assert pieces[0][1] - pieces[0][0] == 23 * HOUR_US


def test_periods_join_across_new_year() -> None:
    clock = ZoneClock(ZoneInfo("Europe/Moscow"))
    low, high = utc_us("2025-12-30T00:00"), utc_us("2026-01-03T00:00")
    assert clock.periods(low, high) == [(low, high, 3 * HOUR_US)]
    assert clock.wall(low) == low + 3 * HOUR_US
    assert epoch_day(datetime(2026, 1, 1).date()) * DAY_US == utc_us("2026-01-01T00:00")
