"""JSON: `AuditResult.to_dict()`, the contract other programs read (schema/report-v1.json).

Written as a stream: the long lists (violations, rejected rows, waived findings) go out one item
a line, read a batch at a time from the result's finding logs, so a report of a million findings
never exists in memory, neither as one string nor as a list of objects. Encoding the findings is
most of the work for a large report (about 3 µs a finding: 360,000 for a million tickets), so
with `jobs` > 1 the batches on disk are encoded by worker processes while this one writes.
"""

from __future__ import annotations

import io
import json
import json.encoder
from collections.abc import Callable, Collection, Iterator
from itertools import islice
from typing import Any, TextIO

from svcaudit.reporters.escaping import json_text
from svcaudit.results.findings import FindingLog
from svcaudit.results.model import AuditResult, Violation, violation_as_row
from svcaudit.timecalc.durations import format_instant

STREAMED = ("violations", "rejected", "waived")
INDENT = "  "
ITEM_SEPARATOR = ",\n" + INDENT * 2
# Below this many findings on disk, starting worker processes costs more than it saves.
PARALLEL_MIN_FINDINGS = 20_000
LIST_BATCH = 5_000  # findings encoded at a time from a plain list (a merged partial's)
# `json.dumps(item, ensure_ascii=False)` builds an encoder per call; a million findings share one.
_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False)
_PROBE = {"text": '«ё» "q"\n', "n": 1, "x": 0.1, "none": None, "yes": True, "list": [1, "a"]}


def _item_encoder() -> Callable[[Any], str]:
    """How one item is encoded, as `_ITEM_ENCODER.encode` would. Its `encode` builds the C
    encoder anew for every call, a third of the cost of a small object; this builds it once, and
    keeps `encode` where there is no C encoder or it does not answer as `encode` does."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is not None:
        try:
            iterencode = make(
                None, _ITEM_ENCODER.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True
            )
            if "".join(iterencode(_PROBE, 0)) == _ITEM_ENCODER.encode(_PROBE):
                return lambda item: "".join(iterencode(item, 0))
        except (TypeError, ValueError):
            pass
    return _ITEM_ENCODER.encode


encode_item = _item_encoder()
# What `encode_item` writes for a string with ensure_ascii=False (C where there is one).
_string = json.encoder.encode_basestring


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
                stream.write(("\n" + INDENT * 2 if first else ITEM_SEPARATOR) + json_text(chunk))
                first = False
            stream.write("]" if first else f"\n{INDENT}]")
        else:
            text = json_text(json.dumps(head[key], ensure_ascii=False, indent=2))
            stream.write(text.replace("\n", "\n" + INDENT))
        stream.write(",\n" if position < len(keys) - 1 else "\n")
    stream.write("}\n")


def render(result: AuditResult, **_: object) -> str:
    buffer = io.StringIO()
    write(result, buffer)
    return buffer.getvalue()


def _value(value: Any) -> str:
    """One JSON value as `encode_item` writes it; text and whole numbers without the encoder."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return encode_item(value)  # floats (NaN, exponents), booleans, anything else


def encode_findings(rows: list[tuple]) -> str:
    """A batch of findings, as rows (`violation_as_row`), as the report lists them: one item a
    line, no separator around.

    Each item is the text `encode_item(violation_dict(row))` gives (a test holds them equal),
    written from the row into one template: building the dict and walking it in the encoder
    was 4.9 µs a finding, this is 2.7, and a million tickets make 360,000 findings.
    """
    value, string = _value, _string
    items: list[str] = []
    append = items.append
    for (
        rule,
        ticket_id,
        severity,
        message,
        path,
        row_number,
        field_name,
        measured,
        target,
        due_at,
        evidence,
        message_index,
        measured_value,
        target_value,
        waiver,
        agent,
        team,
        channel,
        priority,
    ) in rows:
        if type(measured) is int and type(target) is int:  # noqa: E721 - not bool, not float
            times = f'{measured}, "target_seconds": {target}, "overrun_seconds": {measured - target}'
        else:
            overrun = measured - target if measured is not None and target is not None else None
            times = f'{value(measured)}, "target_seconds": {value(target)}, "overrun_seconds": {value(overrun)}'
        append(
            f'{{"rule": {string(rule) if type(rule) is str else value(rule)}, '
            f'"ticket_id": {string(ticket_id) if type(ticket_id) is str else value(ticket_id)}, '
            f'"severity": {string(severity) if type(severity) is str else value(severity)}, '
            f'"message": {string(message) if type(message) is str else value(message)}, '
            f'"measured_seconds": {times}, '
            f'"due_at": {"null" if due_at is None else string(format_instant(due_at))}, '
            f'"evidence": {string(evidence) if type(evidence) is str else value(evidence)}, '
            f'"path": {string(path) if type(path) is str else value(path)}, '
            f'"row": {row_number if type(row_number) is int else value(row_number)}, '
            f'"field": {value(field_name)}, "message_index": {value(message_index)}, '
            f'"measured_value": {value(measured_value)}, '
            f'"target_value": {value(target_value)}, '
            f'"agent": {string(agent) if type(agent) is str else value(agent)}, '
            f'"team": {string(team) if type(team) is str else value(team)}, '
            f'"channel": {string(channel) if type(channel) is str else value(channel)}, '
            f'"priority": {string(priority) if type(priority) is str else value(priority)}'
            + ("}" if waiver is None else f', "waiver": {value(waiver)}}}')
        )
    return ITEM_SEPARATOR.join(items)


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
