"""The standard's JSON Schema: the shipped base file plus each check kind's own options.

Composing it from the check modules keeps one source of truth: adding a check kind adds its options
to the schema, to `svcaudit schema standard` and to `svcaudit rules` at once. Validation errors are
turned into `StandardError`s that point at the offending line and suggest the closest valid key.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

from svcaudit.checks.registry import CHECK_KINDS
from svcaudit.errors import StandardError, closest
from svcaudit.intake.presets import PRESETS
from svcaudit.standard.yamlsource import YamlDocument
from svcaudit.timecalc.durations import DurationError, parse_duration

RULE_COMMON: dict[str, Any] = {
    "id": {
        "type": "string",
        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        "description": "unique, kebab-case; shown in every report",
    },
    "title": {"type": "string"},
    "description": {"type": "string"},
    "check": {"enum": sorted(CHECK_KINDS)},
    "severity": {
        "enum": ["error", "warning"],
        "description": "error counts against compliance (default); warning is reported only",
    },
    "where": {"$ref": "#/$defs/where"},
    "when": {"$ref": "#/$defs/when"},
    "min_compliance": {"$ref": "#/$defs/percent"},
    "min_judged": {
        "type": "integer",
        "minimum": 0,
        "description": "the fewest tickets the rule must judge (pass or fail); fewer fails "
        "the run, whatever the rule's severity",
    },
    "dimension": {
        "type": "string",
        "minLength": 1,
        "description": "the quality dimension the rule measures (e.g. SERVQUAL: tangibles, "
        "reliability, responsiveness, assurance, empathy; or 5R: respond, "
        "recognise, relieve, resolve, remove); reports show compliance per dimension",
    },
    "tags": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "uniqueItems": True,
        "description": "free labels, shown in reports and JSON",
    },
    "weight": {
        "type": "number",
        "minimum": 0,
        "description": "weight in the per-ticket quality score (default 1; 0 leaves the rule out)",
    },
    "critical": {"type": "boolean", "description": "a failure makes the ticket's quality score 0 (default false)"},
}


@lru_cache(maxsize=1)
def standard_schema() -> dict[str, Any]:
    """The full standard schema (draft 2020-12)."""
    text = resources.files("svcaudit").joinpath("schema/standard-v1.json").read_text("utf-8")
    schema = json.loads(text)
    defs = schema["$defs"]
    # The presets are listed once, in intake.presets; the schema names them from there.
    defs["input"]["properties"]["preset"]["enum"] = list(PRESETS)
    defs["table"]["properties"]["preset"]["enum"] = list(PRESETS)
    branches = []
    for kind, check in sorted(CHECK_KINDS.items()):
        name = f"rule_{kind}"
        defs[name] = {
            "type": "object",
            "description": (check.__doc__ or check.SUMMARY).strip().split("\n")[0],
            "required": ["id", "check", *check.REQUIRED],
            "additionalProperties": False,
            "properties": {**copy.deepcopy(RULE_COMMON), **copy.deepcopy(check.OPTIONS)},
        }
        branches.append(
            {
                "if": {"properties": {"check": {"const": kind}}, "required": ["check"]},
                "then": {"$ref": f"#/$defs/{name}"},
            }
        )
    defs["rule"] = {
        "type": "object",
        "required": ["id", "check"],
        "properties": {"id": RULE_COMMON["id"], "check": RULE_COMMON["check"]},
        "allOf": branches,
    }
    return schema


def validate_document(document: YamlDocument) -> None:
    """Raise StandardError for the first schema violation, in file order."""
    validator = jsonschema.Draft202012Validator(standard_schema())
    errors = list(validator.iter_errors(document.data))
    if not errors:
        return
    problems = [_translate(error, document) for error in _leaves(errors)]
    problems.sort(key=lambda p: (p.location.line or 0, p.location.column or 0))
    first = problems[0]
    first.others = problems[1:]
    raise first


def _leaves(errors: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    """The specific errors: descend into oneOf/anyOf branches to the best-matching one."""
    found = []
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            found.append(jsonschema.exceptions.best_match(error.context))
        else:
            found.append(error)
    return found


def _translate(error: jsonschema.ValidationError, document: YamlDocument) -> StandardError:
    path = tuple(error.absolute_path)
    where = document.locate(path)
    instance, schema = error.instance, error.schema
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        extras = [key for key in instance if key not in allowed]
        key = extras[0]
        suggestion = closest(key, allowed)
        message = f"unknown key {key!r}"
        if not suggestion and allowed:
            message += " (valid keys: " + ", ".join(allowed) + ")"
        return StandardError(message, document.locate(path + (key,), key=True), suggestion)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return StandardError(f"missing required key {missing!r}", where)
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        return StandardError(
            f"{instance!r} is not one of: " + ", ".join(options),
            where,
            closest(str(instance), options),
        )
    if error.validator == "const" and path == ("svcaudit",):
        return StandardError(f"unsupported format version {instance!r}; this svcaudit reads `svcaudit: 1`", where)
    if schema.get("title") == "duration" or (error.validator == "pattern" and "bd" in str(error.validator_value)):
        try:
            parse_duration(instance)
        except DurationError as exc:
            return StandardError(str(exc), where)
    if schema.get("title") == "percentage" or error.validator in ("oneOf",):
        return StandardError(f"{instance!r}: write a percentage like 95% or a share like 0.95", where)
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return StandardError(f"expected {expected}, got {_kind(instance)} {instance!r}"[:200], where)
    if error.validator == "pattern" and path and path[-1] == "id":
        return StandardError(f"rule id {instance!r} must be kebab-case (e.g. first-reply)", where)
    return StandardError(error.message[:300], where)


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)
