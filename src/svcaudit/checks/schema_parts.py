"""JSON Schema fragments that several check kinds share in their OPTIONS."""

from __future__ import annotations

DURATION = {"$ref": "#/$defs/duration"}
PERCENT = {"$ref": "#/$defs/percent"}
STATUS_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
BOTS_ARE_AGENTS = {
    "type": "boolean",
    "description": "count bot messages as staff replies (default false: bots are not agents)",
}
# Phrase lists: plain phrases and {regex: …} entries (phrases, trigger_response).
PHRASE_LIST = {
    "type": "array",
    "minItems": 1,
    "items": {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "required": ["regex"],
                "additionalProperties": False,
                "properties": {"regex": {"type": "string", "minLength": 1}},
            },
        ]
    },
}
