"""The audit cases the machine-format reporters are tested on (fixtures/audit_cases.yaml)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import yaml

from svcaudit.audit.run import run_audit
from svcaudit.results.model import AuditResult
from svcaudit.standard.loader import parse_standard

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
CASES = yaml.safe_load((FIXTURES / "audit_cases.yaml").read_text(encoding="utf-8"))


def audit(case: dict, folder: Path) -> AuditResult:
    """Write the case's files into `folder` and audit them through the real pipeline."""
    paths = []
    for name, text in case["files"].items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return run_audit(parse_standard(case["standard"], "standard.yaml"), paths, AS_OF)
