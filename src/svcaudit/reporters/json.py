"""JSON: `AuditResult.to_dict()`, the contract other programs read (schema/report-v1.json).

Written as a stream: the long lists (violations, rejected rows, waived findings) go out one item
a line, read one by one from the result's finding logs, so a report of a million findings never
exists in memory, neither as one string nor as a list of objects.
"""
from __future__ import annotations

import io
import json
from typing import TextIO

from ..results import AuditResult

STREAMED = ("violations", "rejected", "waived")
INDENT = "  "
# `json.dumps(item, ensure_ascii=False)` builds an encoder per call; a million findings share one.
_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False)


def write(result: AuditResult, stream: TextIO) -> None:
    head = result.to_dict(lists=False)
    keys = list(head)
    stream.write("{\n")
    for position, key in enumerate(keys):
        stream.write(f"{INDENT}{json.dumps(key)}: ")
        if key in STREAMED:
            stream.write("[")
            first = True
            encode = _ITEM_ENCODER.encode
            for item in result.findings(key):
                stream.write(("\n" if first else ",\n") + INDENT * 2 + encode(item))
                first = False
            stream.write("]" if first else f"\n{INDENT}]")
        else:
            text = json.dumps(head[key], ensure_ascii=False, indent=2)
            stream.write(text.replace("\n", "\n" + INDENT))
        stream.write(",\n" if position < len(keys) - 1 else "\n")
    stream.write("}\n")


def render(result: AuditResult, **_: object) -> str:
    buffer = io.StringIO()
    write(result, buffer)
    return buffer.getvalue()
