"""Inputs that can be read only once, copied to a temporary file the first time they are opened.

svcaudit reads an input more than once: a sample to detect its encoding and format, a pre-scan of
its bytes and line breaks, the rows, and the rows again when Arrow's reading cannot be trusted. A
pipe (`svcaudit check <(zcat tickets.csv.gz)`), a FIFO or standard input (`-`) gives its bytes only
the first time; read again, it would seem empty, and the audit would find no ticket where the
export holds thousands. Such an input is copied, as it comes, to a file in the temporary directory
once per process (`readable`), and read from there; reports still name it as it was given.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

from svcaudit.errors import spilling

STDIN = "-"  # the path that names standard input
COPY_CHUNK = 1 << 20
_SPOOLED: dict[str, Path] = {}  # input as given -> its copy


def readable(path: str | Path) -> Path:
    """Where `path` can be read as often as needed: the file itself, or the copy of a pipe, FIFO,
    device or standard input, made the first time it is asked for. A path that does not exist is
    returned as it is (the reader says so)."""
    given = str(path)
    spooled = _SPOOLED.get(given)
    if spooled is not None:
        return spooled
    if given != STDIN:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return Path(path)
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            return Path(path)
    with spilling(f"a copy of {given}, which can be read only once"):
        handle, copy = tempfile.mkstemp(prefix="svcaudit-input-")
        atexit.register(_remove, copy)
        with os.fdopen(handle, "wb") as target:
            if given == STDIN:
                shutil.copyfileobj(sys.stdin.buffer, target, COPY_CHUNK)
            else:
                with open(path, "rb") as source:
                    shutil.copyfileobj(source, target, COPY_CHUNK)
    _SPOOLED[given] = Path(copy)
    return _SPOOLED[given]


def _remove(copy: str) -> None:
    with suppress(OSError):
        os.unlink(copy)
