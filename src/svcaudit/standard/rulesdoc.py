"""`svcaudit rules`: each check kind documented from its own module, so the text cannot drift.

The module docstring of a check is its user documentation (options, meaning, a passing and a
failing example); the option list below it is generated from the check's JSON Schema fragment, and
the example rules from its `EXAMPLES` (which the tests also build into standards and validate).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from typing import Any

from svcaudit.checks.base import Check
from svcaudit.standard.schema import RULE_COMMON

# A string YAML reads back as that very string when written bare: no indicator first, no ": " or
# " #" inside, and not a word or number YAML would read as something else.
_PLAIN = re.compile(r"[^\W\d][\w .%/-]*|\d+(bd|[smhd%])")
_NOT_STRINGS = re.compile(r"(?i)(true|false|yes|no|on|off|null|~|y|n)")


def flow(value: Any) -> str:
    """`value` as YAML flow text, as a standard's rule would be written: `{metric: csat, min: 80%}`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(key)}: {flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    if isinstance(value, str) and _PLAIN.fullmatch(value) and not _NOT_STRINGS.fullmatch(value):
        return value.strip() if value == value.strip() else json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def example_rules(check: type[Check]) -> list[dict[str, Any]]:
    """The kind's examples as whole rules, with numbered ids (`response-time-1`, …)."""
    return [
        {"id": f"{check.KIND.replace('_', '-')}-{number}", "check": check.KIND, **options}
        for number, options in enumerate(check.EXAMPLES, start=1)
    ]


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
    lines += ["", "Example rules:", *(f"  - {flow(rule)}" for rule in example_rules(check))]
    return "\n".join(lines)
