"""Where test data lives: the repository, its samples, and the public data beside the checkout."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED_DATA = REPO.parent / "shared" / "data"


def generated_export(folder: Path, tickets: int) -> Path:
    """A ticket-row export written by benchmarks/generate.py into `folder`: its tickets.csv."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--tickets", str(tickets), "--out", str(folder)],
        check=True,
        capture_output=True,
    )
    return folder / str(tickets) / "tickets.csv"
