"""Instants of a whole column, as `durations.format_instant` writes them and as aware datetimes.

The columnar core words the findings of hundreds of thousands of ticket rows (three instants a
finding); a datetime made and formatted per value costs about 2 µs, so whole seconds are written
here as digits computed for the column at once. A value with a fraction of a second is left to
`format_instant` itself, so every text is the one the reference writes.

numpy is imported here, and this module only where data is read.
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

from svcaudit.timecalc.durations import format_instant
from svcaudit.timecalc.zoneclock import US_PER_SECOND, utc_instant

SECONDS_PER_DAY = 86_400
# An instant in whole seconds, as format_instant writes it, and the line break that ends it here.
_TEMPLATE = b"0000-00-00T00:00:00Z\n"
# Where each part's digits stand in the template, and how many there are.
_DIGITS = (("year", 0, 4), ("month", 5, 2), ("day", 8, 2), ("hour", 11, 2), ("minute", 14, 2), ("second", 17, 2))
_ZERO = ord("0")


def instant_texts(instants: np.ndarray) -> list[str]:
    """`format_instant` of each instant (epoch microseconds, UTC), for the column at once."""
    instants = np.asarray(instants, dtype=np.int64)
    if instants.size == 0:
        return []
    seconds, fraction = np.divmod(instants, US_PER_SECOND)
    days, in_day = np.divmod(seconds, SECONDS_PER_DAY)
    day = days.astype("datetime64[D]")
    month_start = day.astype("datetime64[M]")
    hour, rest = np.divmod(in_day, 3600)
    minute, second = np.divmod(rest, 60)
    parts = {
        "year": day.astype("datetime64[Y]").astype(np.int64) + 1970,
        "month": month_start.astype(np.int64) % 12 + 1,
        "day": (day - month_start).astype(np.int64) + 1,
        "hour": hour,
        "minute": minute,
        "second": second,
    }
    text = np.empty((instants.size, len(_TEMPLATE)), dtype=np.uint8)
    text[:] = np.frombuffer(_TEMPLATE, dtype=np.uint8)
    for name, at, width in _DIGITS:
        value = parts[name]
        for place in range(width):
            text[:, at + width - 1 - place] = _ZERO + (value // 10**place) % 10
    texts = text.tobytes().decode("ascii").split("\n")
    texts.pop()  # after the last line break
    for position in np.flatnonzero(fraction).tolist():
        texts[position] = format_instant(utc_instant(int(instants[position])))
    return texts


def utc_instants(instants: np.ndarray) -> list[datetime]:
    """`zoneclock.utc_instant` of each instant (epoch microseconds): aware datetimes in UTC."""
    naive = np.asarray(instants, dtype=np.int64).astype("datetime64[us]").astype(object)
    return [moment.replace(tzinfo=timezone.utc) for moment in naive]
