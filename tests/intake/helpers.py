"""Shared by the logs tests: the bad-input fixtures, an intake in their standard's zone, and the CLI on them."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from svcaudit.cli import app
from svcaudit.intake.columns import ColumnMapping
from svcaudit.intake.fields import RowParser
from svcaudit.intake.intake import Intake
from svcaudit.intake.timestamps import TimestampParser

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad-input"
STANDARD = FIXTURES / "standard.yaml"
AS_OF = "2026-03-10T00:00:00Z"
ZONE = "Europe/Berlin"  # the fixtures' standard's zone


def check(*args: object) -> object:
    return CliRunner().invoke(app, ["check", *map(str, args)])


def audit_json(*paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, dict | None, str]:
    """Exit code, JSON report (None when there is none: an input error) and stderr of
    `svcaudit check` on the paths."""
    result = check(*paths, "--standard", STANDARD, "--as-of", AS_OF, "--format", "json", *extra)
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr, result.stderr
    report = json.loads(result.stdout) if result.stdout.strip() else None
    return result.exit_code, report, result.stderr


def make_intake(*paths: Path, encoding: str | None = None, day_first: bool = False, columnar: bool = True) -> Intake:
    mapping = ColumnMapping()
    parser = RowParser(TimestampParser(ZoneInfo(ZONE), day_first), mapping)
    return Intake(list(paths), parser, mapping, encoding, columnar=columnar)
