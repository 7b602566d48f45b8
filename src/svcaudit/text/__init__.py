"""The text layer: normalisation, word forms and phrase matching for the ``phrases`` check.

Checks use ``PhraseSet`` (one compiled phrase list), ``PhraseBank`` (all sets, scanned in one
pass per message), the resulting ``Hit`` objects (offsets into the original text) and
``snippet`` to quote evidence.  ``normalize`` and ``strip_noise`` are usable on their own.
"""

from __future__ import annotations

from svcaudit.text.normalize import normalize, strip_noise
from svcaudit.text.phrases import (
    MAX_SCAN_CHARS,
    Hit,
    MissingValue,
    PhraseBank,
    PhraseError,
    PhraseSet,
    Scan,
    snippet,
)

__all__ = [
    "MAX_SCAN_CHARS",
    "Hit",
    "MissingValue",
    "PhraseBank",
    "PhraseError",
    "PhraseSet",
    "Scan",
    "normalize",
    "snippet",
    "strip_noise",
]
