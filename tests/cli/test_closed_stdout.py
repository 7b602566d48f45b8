"""A reader that stops reading stdout (`svcaudit check … | head`) is not an error of svcaudit's: the
output stops there, nothing is said on stderr, and the run keeps its exit code (the verdict of
`check`, 0 for a listing); never "internal error: BrokenPipeError … a bug".

The commands run in a process of their own, their stdout a pipe whose reader reads a few bytes and
closes it; on Linux the pipe is made one page large, so that a listing of a few dozen KB cannot fit
in it before the reader goes.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.paths import REPO

AS_OF = "2026-11-23T12:00:00Z"
SAMPLES = [str(REPO / "samples" / "tickets.csv"), str(REPO / "samples" / "messages.csv")]
F_SETPIPE_SZ = 1031  # fcntl's, on Linux
PAGE = 4096


def cut_short(*args: str) -> tuple[int, str]:
    """Exit code and stderr of `svcaudit args` whose reader stops after a few bytes."""
    read_end, write_end = os.pipe()
    if sys.platform.startswith("linux"):
        import fcntl

        fcntl.fcntl(write_end, F_SETPIPE_SZ, PAGE)
    process = subprocess.Popen(
        [sys.executable, "-m", "svcaudit", *args], stdout=write_end, stderr=subprocess.PIPE, cwd=REPO
    )
    os.close(write_end)
    assert os.read(read_end, 16)  # the rest stays unread in the full pipe, the writer waiting
    os.close(read_end)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr.decode()


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "junit"])
def test_a_report_cut_short_keeps_the_verdict(fmt):
    code, stderr = cut_short("check", *SAMPLES, "--as-of", AS_OF, "--format", fmt, "--limit", "0")
    assert "internal error" not in stderr and "Broken pipe" not in stderr
    assert code == 1  # the samples do not meet the default standard


def test_tables_cut_short_end_quietly():
    code, stderr = cut_short("report", *SAMPLES, "--as-of", AS_OF, "--by", "day,agent", "--format", "csv")
    assert (code, stderr) == (0, "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a one-page pipe needs Linux")
def test_a_listing_cut_short_ends_quietly():
    code, stderr = cut_short("presets")  # a line at a time, about 10 KB
    assert (code, stderr) == (0, "")
