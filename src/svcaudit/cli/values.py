"""Option text made into values: the standard for the inputs, `--as-of`, `--since`/`--until`,
`--max-rejected`, `--jobs`, the input list. A bad value is a `UsageError` naming its option."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from svcaudit.cli.guard import say
from svcaudit.errors import UsageError

# zoneinfo is imported where a zone is made: `svcaudit --help` loads this module and needs none.
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from svcaudit.initfrom.autopreset import Detection
    from svcaudit.results.model import RejectedLimit
    from svcaudit.standard.model import Standard


def standard_for_inputs(
    option: str | None, files: list[Path], encoding: str | None, quiet: bool = False
) -> tuple[Standard, Detection | None]:
    """The standard to audit `files` with; without one given, the default reading them with their
    detected preset, which stderr names (and warns about missing columns of)."""
    from svcaudit.initfrom.autopreset import standard_for

    loaded, detection = standard_for(option, files, encoding)
    if detection is not None and not quiet:
        for note in detection.notes(loaded):
            say(note)
        for warning in detection.warnings():
            say(f"warning: {warning}")
    return loaded, detection


def as_of(text: str | None, standard: Standard) -> datetime:
    """`--as-of`: a timestamp (without an offset, in the standard's zone); default: now."""
    if text is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    from zoneinfo import ZoneInfo

    return _timestamp(text, ZoneInfo(standard.timezone), "--as-of")


def bound(text: str | None, standard: Standard, option: str, end_of_day: bool) -> datetime | None:
    """--since/--until: a date (local midnight; --until: the end of that day) or a timestamp."""
    if text is None:
        return None
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(standard.timezone)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return _timestamp(text, zone, option)
    day = day + timedelta(days=1) if end_of_day else day
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _timestamp(text: str, zone: ZoneInfo, option: str) -> datetime:
    from svcaudit.intake.timestamps import TimestampError, TimestampParser

    try:
        return TimestampParser(zone).parse(text)
    except TimestampError as exc:
        raise UsageError(f"{option}: {exc}") from None


def max_rejected(text: str | None) -> RejectedLimit | None:
    """`--max-rejected`: the limit from "25" or "0.5%"."""
    if text is None:
        return None
    from svcaudit.results.model import RejectedLimit

    value = text.strip()
    try:
        if value.endswith("%"):
            share = float(value[:-1]) / 100
            if not 0 <= share <= 1:
                raise ValueError
            return RejectedLimit(share, True)
        count = int(value)
        if count < 0:
            raise ValueError
        return RejectedLimit(float(count), False)
    except ValueError:
        raise UsageError(f"--max-rejected {text!r}: give a count (25) or a share of rows read (0.5%)") from None


def jobs(value: int | None) -> int | None:
    """`--jobs`; None: decided by the inputs (workers pay off where they type and judge ticket rows)."""
    if value is None:
        return None
    if value < 0:
        raise UsageError("--jobs takes 0 (one per core) or a positive number")
    if value == 0:
        from svcaudit.audit.workers import default_jobs

        return default_jobs()
    return value


def distinct(files: list[Path]) -> None:
    """The inputs, each given once (the same file twice would count its tickets twice)."""
    seen: set[Path] = set()
    for path in files:
        resolved = path.resolve()
        if resolved in seen:
            raise UsageError(f"{path} is given twice")
        seen.add(resolved)
