"""Errors are values with a place: a file, a line and a column, and where possible a suggestion.

Nothing below the CLI exits the process; the CLI turns these into one message and exit code 2.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file. Line and column are 1-based; either may be unknown."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class SvcauditError(Exception):
    """Base of every error svcaudit reports to the user (exit code 2)."""


class StandardError(SvcauditError):
    """A standard that cannot be used: YAML syntax, schema, semantics. Carries its location."""

    def __init__(self, message: str, location: Location, suggestion: str | None = None) -> None:
        self.message = message
        self.location = location
        self.suggestion = suggestion
        self.others: list[StandardError] = []  # further problems found in the same pass
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.suggestion:
            text += f" (did you mean {self.suggestion!r}?)"
        return text


class InputError(SvcauditError):
    """An input file that cannot be read at all (missing, empty of a header, wrong shape)."""

    def __init__(self, message: str, location: Location) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}")

    def __reduce__(self):
        # Raised in a worker process (one judging tickets or encoding findings), it crosses back whole.
        return type(self), (self.message, self.location)


class WorkerError(SvcauditError):
    """A worker process of `--jobs` stopped without a result (killed, out of memory)."""


class TempSpaceError(SvcauditError):
    """The temporary directory cannot take what an audit puts there (full, or not writable): the
    user's to fix, not a bug in svcaudit."""


@contextmanager
def spilling(
    what: str, directory: str | None = None, errors: tuple[type[Exception], ...] = (OSError,)
) -> Iterator[None]:
    """Temporary files written for `what` (in `directory`, else the system's temporary directory):
    an error of `errors` there becomes a TempSpaceError that names the directory and the fix."""
    try:
        yield
    except errors as exc:
        place = directory or tempfile.gettempdir()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TempSpaceError(
            f"cannot write temporary files in {place} ({what}): {reason}; "
            "free space there, or set TMPDIR to a directory with room"
        ) from exc


class UsageError(SvcauditError):
    """A command line that does not make sense (bad option value, unknown format)."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The valid name a typo most likely meant, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
