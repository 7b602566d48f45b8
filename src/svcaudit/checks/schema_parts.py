"""JSON Schema fragments that several check kinds share in their OPTIONS."""
from __future__ import annotations

DURATION = {"$ref": "#/$defs/duration"}
PERCENT = {"$ref": "#/$defs/percent"}
STATUS_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
BOTS_ARE_AGENTS = {
    "type": "boolean",
    "description": "count bot messages as staff replies (default false: bots are not agents)",
}
