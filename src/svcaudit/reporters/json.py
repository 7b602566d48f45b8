"""JSON: `AuditResult.to_dict()`, the contract other programs read (schema/report-v1.json).

Written as a stream: the long lists (violations, rejected rows, waived findings) go out one item
a line, read a batch at a time from the result's finding logs, so a report of a million findings
never exists in memory, neither as one string nor as a list of objects. Encoding the findings is
most of the work for a large report (about 10 µs a finding: 360,000 for a million tickets), so
with `jobs` > 1 the batches on disk are encoded by worker processes while this one writes.
"""
from __future__ import annotations

import io
import json
import json.encoder
from collections.abc import Callable, Collection, Iterator
from itertools import islice
from typing import Any, TextIO

from ..findings import FindingLog
from ..results import AuditResult, Violation, violation_as_row, violation_dict

STREAMED = ("violations", "rejected", "waived")
INDENT = "  "
ITEM_SEPARATOR = ",\n" + INDENT * 2
# Below this many findings on disk, starting worker processes costs more than it saves.
PARALLEL_MIN_FINDINGS = 20_000
LIST_BATCH = 5_000  # findings encoded at a time from a plain list (a merged partial's)
# `json.dumps(item, ensure_ascii=False)` builds an encoder per call; a million findings share one.
_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False)
_PROBE = {"text": "«ё» \"q\"\n", "n": 1, "x": 0.1, "none": None, "yes": True, "list": [1, "a"]}


def _item_encoder() -> Callable[[Any], str]:
    """How one item is encoded, as `_ITEM_ENCODER.encode` would. Its `encode` builds the C
    encoder anew for every call, a third of the cost of a small object; this builds it once, and
    keeps `encode` where there is no C encoder or it does not answer as `encode` does."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is not None:
        try:
            iterencode = make(None, _ITEM_ENCODER.default, json.encoder.encode_basestring, None,
                              ": ", ", ", False, False, True)
            if "".join(iterencode(_PROBE, 0)) == _ITEM_ENCODER.encode(_PROBE):
                return lambda item: "".join(iterencode(item, 0))
        except (TypeError, ValueError):
            pass
    return _ITEM_ENCODER.encode


encode_item = _item_encoder()


def write(result: AuditResult, stream: TextIO, jobs: int = 1) -> None:
    head = result.to_dict(lists=False)
    keys = list(head)
    stream.write("{\n")
    for position, key in enumerate(keys):
        stream.write(f"{INDENT}{json.dumps(key)}: ")
        if key in STREAMED:
            stream.write("[")
            first = True
            for chunk in _encoded_items(result, key, jobs):
                stream.write(("\n" + INDENT * 2 if first else ITEM_SEPARATOR) + chunk)
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


def encode_findings(rows: list[tuple]) -> str:
    """A batch of findings, as rows (`violation_as_row`), as the report lists them: one item a
    line, no separator around."""
    encode = encode_item
    return ITEM_SEPARATOR.join([encode(violation_dict(row)) for row in rows])


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
