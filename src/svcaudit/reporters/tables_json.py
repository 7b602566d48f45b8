"""JSON of `svcaudit report`: `TablesReport.to_dict()`, indented by two spaces, written as a stream.

The groups carry their findings, so a year of a large helpdesk makes hundreds of MB of JSON: each
group is made into a dict and encoded only when its turn comes (`TablesReport.group_dicts`), and
the text is what `json.dumps(report.to_dict(), indent=2)` gives, byte for byte.
"""

from __future__ import annotations

import json
from typing import TextIO

from svcaudit.audit.grouped import TablesReport
from svcaudit.reporters.escaping import json_text
from svcaudit.reporters.protocol import ReportOptions

INDENT = "  "
STREAMED = "groups"


def write(report: TablesReport, stream: TextIO, options: ReportOptions) -> None:
    head = report.to_dict(groups=False)
    keys = list(head)
    stream.write("{\n")
    for position, key in enumerate(keys):
        stream.write(f"{INDENT}{json.dumps(key)}: ")
        if key == STREAMED:
            first = True
            for item in report.group_dicts():
                stream.write("[\n" if first else ",\n")
                stream.write(INDENT * 2 + _indented(item, 2))
                first = False
            stream.write("[]" if first else f"\n{INDENT}]")
        else:
            stream.write(_indented(head[key], 1))
        stream.write(",\n" if position < len(keys) - 1 else "\n")
    stream.write("}\n")


def _indented(value: object, depth: int) -> str:
    """`value` as `json.dumps(indent=2)` writes it `depth` levels down, with no raw control character."""
    text = json_text(json.dumps(value, ensure_ascii=False, indent=2))
    return text.replace("\n", "\n" + INDENT * depth)
