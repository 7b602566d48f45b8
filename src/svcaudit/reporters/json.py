"""JSON: `AuditResult.to_dict()` as is; the contract other programs read (schema/report-v1.json)."""
from __future__ import annotations

import json

from ..results import AuditResult


def render(result: AuditResult, **_: object) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
