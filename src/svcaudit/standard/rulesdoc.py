"""`svcaudit rules`: each check kind documented from its own module, so the text cannot drift.

The module docstring of a check is its user documentation (options, meaning, a passing and a
failing example); the option list below it is generated from the check's JSON Schema fragment.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

from svcaudit.checks.base import Check
from svcaudit.standard.schema import RULE_COMMON


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(_type(part) for part in schema[key])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if kind == "object":
        return "mapping"
    return kind if isinstance(kind, str) else " or ".join(kind)


def describe(check: type[Check]) -> str:
    module = sys.modules[check.__module__]
    lines = [f"{check.KIND}: {check.SUMMARY}", "=" * (len(check.KIND) + len(check.SUMMARY) + 2), ""]
    lines.append(inspect.cleandoc(module.__doc__ or ""))
    lines += ["", "Option schema:"]
    for name, schema in check.OPTIONS.items():
        required = " (required)" if name in check.REQUIRED else ""
        lines.append(f"  {name}: {_type(schema)}{required}")
    lines.append("  … and the keys every rule takes: " + ", ".join(RULE_COMMON))
    return "\n".join(lines)
