"""JSON: `AuditResult.to_dict()`, the contract other programs read (schema/report-v1.json).

Written as a stream: the long lists (violations, rejected rows, waived findings) go out one item
a line, read a batch at a time from the result's finding logs, so a report of a million findings
never exists in memory, neither as one string nor as a list of objects. Each finding is its
`Violation.to_dict` item (built from the stored row, `violation_dict`) through one `json` encoder.
Encoding the findings is most of the work for a large report (about 9 µs a finding: 360,000 for a
million tickets), so with `jobs` > 1 the batches on disk are encoded by worker processes while
this one writes.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from itertools import islice
from typing import TextIO

from svcaudit.reporters.escaping import json_text
from svcaudit.reporters.protocol import ReportOptions
from svcaudit.results.findings import FindingLog
from svcaudit.results.model import AuditResult, Violation, violation_as_row, violation_dict

STREAMED = ("violations", "rejected", "waived")
INDENT = "  "
ITEM_SEPARATOR = ",\n" + INDENT * 2
# Below this many findings on disk, starting worker processes costs more than it saves.
PARALLEL_MIN_FINDINGS = 20_000
LIST_BATCH = 5_000  # findings encoded at a time from a plain list (a merged partial's)
# One encoder for every item: `json.dumps` would build one per call. An item holds no container
# that could hold itself, so the check for cycles is left out.
_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)
encode_item = _ITEM_ENCODER.encode


def write(result: AuditResult, stream: TextIO, options: ReportOptions) -> None:
    """The report, its findings encoded by `options.jobs` processes."""
    head = result.to_dict(lists=False)
    keys = list(head)
    stream.write("{\n")
    for position, key in enumerate(keys):
        stream.write(f"{INDENT}{json.dumps(key)}: ")
        if key in STREAMED:
            stream.write("[")
            first = True
            for chunk in _encoded_items(result, key, options.jobs):
                stream.write(("\n" + INDENT * 2 if first else ITEM_SEPARATOR) + json_text(chunk))
                first = False
            stream.write("]" if first else f"\n{INDENT}]")
        else:
            text = json_text(json.dumps(head[key], ensure_ascii=False, indent=2))
            stream.write(text.replace("\n", "\n" + INDENT))
        stream.write(",\n" if position < len(keys) - 1 else "\n")
    stream.write("}\n")


def encode_findings(rows: list[tuple]) -> str:
    """A batch of findings, given as rows (`violation_as_row`), as the report lists them: each
    finding's JSON item (`violation_dict`) one a line, no separator around."""
    return ITEM_SEPARATOR.join([encode_item(violation_dict(row)) for row in rows])


def _encoded_items(result: AuditResult, key: str, jobs: int) -> Iterator[str]:
    """The items of one long list as non-empty chunks of encoded lines, in order."""
    if key == "rejected":
        encode = encode_item
        for item in result.findings(key):
            yield encode(item)
        return
    findings: Collection[Violation] = getattr(result, key)
    if isinstance(findings, FindingLog):
        parallel = jobs if findings.spilled >= PARALLEL_MIN_FINDINGS else 1
        chunks = findings.map_batches(encode_findings, parallel, rows=True)
    else:
        source = map(violation_as_row, findings)
        chunks = (encode_findings(batch) for batch in iter(lambda: list(islice(source, LIST_BATCH)), []))
    for chunk in chunks:
        if chunk:
            yield chunk
