"""Reports are UTF-8 on stdout whatever the locale: a pipe or a file under a legacy code page
(Windows' cp1252 or cp1251 when output is redirected, a latin-1 locale) takes the report's Russian
text and box lines as a file written with `--output` does, never "internal error:
UnicodeEncodeError"."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.paths import REPO

AS_OF = "2026-11-23T12:00:00Z"
SAMPLES = [str(REPO / "samples" / "tickets.csv"), str(REPO / "samples" / "messages.csv")]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "cp1251", "ascii"])
@pytest.mark.parametrize(
    "args, code",
    [
        (["check", *SAMPLES, "--as-of", AS_OF, "--limit", "3"], 1),
        (["check", *SAMPLES, "--as-of", AS_OF, "--format", "json"], 1),
        (["report", *SAMPLES, "--as-of", AS_OF, "--by", "agent", "--format", "markdown"], 0),
    ],
)
def test_a_report_under_a_legacy_code_page_is_utf8(encoding, args, code):
    done = subprocess.run(
        [sys.executable, "-m", "svcaudit", *args],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        timeout=120,
    )
    assert "internal error" not in done.stderr.decode("utf-8", "replace")
    assert done.returncode == code
    text = done.stdout.decode("utf-8")  # raises if it is not UTF-8
    assert any("\u0400" <= character <= "\u04ff" for character in text)  # the samples' Russian
