"""The stored table of combining marks (text/unicode_marks.py) is what the Unicode database says."""

from __future__ import annotations

import unicodedata

from svcaudit.text.normalize import derive_mark_runs, mark_runs


def test_the_marks_normalize_uses_are_the_unicode_databases() -> None:
    # Under the stored table's Unicode version this compares the table; under another, the
    # derivation normalize falls back to.
    derived = derive_mark_runs()
    assert list(mark_runs()) == derived, (
        f"regenerate MARK_RUNS in text/unicode_marks.py for Unicode {unicodedata.unidata_version}: {derived}"
    )
