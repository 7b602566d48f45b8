"""What the columnar core's kernels leave, judged by `--jobs` worker processes (`workers.LeftJudges`):
the same report as one process and as the reference path, findings in the same order.

The workers take the rows a batch leaves (failures to word, rows to score) and hand back tallies
absorbed in batch order; waiver use and quality scores come back with them. A generated export of
a few thousand tickets makes many batches and many findings; the corpus standards bring quality
weights, `when` conditions and business calendars; a waiver file is used and left partly unused.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from svcaudit.audit.run import run_audit
from svcaudit.intake import arrow_csv
from svcaudit.reporters import reporter
from svcaudit.reporters.protocol import to_text
from svcaudit.standard.loader import load_standard
from svcaudit.standard.waivers import load_waivers
from tests.audit.corpus import corpus_standard
from tests.paths import SAMPLES, generated_export

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
WAIVERS = """
waivers:
  - {ticket: "T-10000*", rule: "*", reason: agreed}
  - {ticket: "*", rule: resolved, reason: migration, expires: 2020-01-01}
  - {ticket: "never-*", rule: "*", reason: unused}
"""


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """A generated ticket-row export of 6,000 tickets (four Arrow blocks, some 2,000 findings)."""
    return generated_export(tmp_path_factory.mktemp("generated"), 6000)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """A batch a block: several batches, so the workers' tallies are absorbed in order."""
    monkeypatch.setattr(arrow_csv, "BATCH_ROWS", 500)


def report(standard, path: Path, **options) -> str:
    return to_text(reporter("json"), run_audit(standard, [path], AS_OF, **options))


@pytest.mark.parametrize("name", ["builtin:default", "builtin:it-helpdesk", "all:quality", "all:when", "all"])
def test_workers_give_the_reference_report(name, export):
    standard = load_standard(name) if name.startswith("builtin:") else corpus_standard(name)
    reference = report(standard, export, columnar=False)
    assert report(standard, export, jobs=2) == reference
    assert report(standard, export, jobs=1) == reference


def test_waiver_use_comes_back_from_the_workers(export, tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(WAIVERS, encoding="utf-8")
    standard = load_standard("builtin:default")
    waivers = load_waivers(path, AS_OF, standard.timezone)
    reference = report(standard, export, columnar=False, waivers=load_waivers(path, AS_OF, standard.timezone))
    assert report(standard, export, jobs=2, waivers=waivers) == reference
    assert "unused waiver" in reference and "expired waiver ignored" in reference


def test_the_samples_through_workers(tmp_path):
    standard = load_standard("builtin:default")
    tickets = SAMPLES / "tickets.csv"
    assert report(standard, tickets, jobs=2) == report(standard, tickets, columnar=False)
