"""JSON: `AuditResult.to_dict()`, the contract other programs read (schema/report-v1.json).

Written as a stream: the long lists (violations, rejected rows, waived findings) go out one item
a line, read a batch at a time from the result's finding logs, so a report of a million findings
never exists in memory, neither as one string nor as a list of objects. Each finding is its
`Violation.to_dict` item (built from the stored rows, `violation_items`), encoded a key at a time.
Encoding the findings is most of the work for a large report (about 9 µs a finding: 360,000 for a
million tickets), so with `jobs` > 1 the batches on disk are encoded by worker processes while
this one writes.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import islice
from json.encoder import encode_basestring as encode_text  # a str as the encoder writes it without ensure_ascii
from typing import Any, TextIO

from svcaudit.reporters.escaping import has_json_raw, json_text
from svcaudit.reporters.protocol import ReportOptions
from svcaudit.results.findings import FindingLog
from svcaudit.results.model import AuditResult, Violation, item_keys, violation_as_row, violation_items

STREAMED = ("violations", "rejected", "waived")
INDENT = "  "
ITEM_SEPARATOR = ",\n" + INDENT * 2
# Below this many findings on disk, starting worker processes costs more than it saves.
PARALLEL_MIN_FINDINGS = 20_000
LIST_BATCH = 2_000  # findings encoded at a time from a plain list (a merged partial's)
# One encoder for every item: `json.dumps` would build one per call. An item holds no container
# that could hold itself, so the check for cycles is left out.
_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)
encode_item = _ITEM_ENCODER.encode


def write(result: AuditResult, stream: TextIO, options: ReportOptions) -> None:
    """The report, its findings encoded by `options.jobs` processes."""
    lists = {key: _encoded_items(result, key, options.jobs) for key in STREAMED}
    write_object(stream, result.to_dict(lists=False), lists)


def write_object(stream: TextIO, head: dict[str, Any], streamed: Mapping[str, Iterable[str | bytes]]) -> None:
    """`head` as `json.dumps(head, indent=2)` writes it, except that each list named in `streamed`
    is written from the texts of its items, a chunk at a time as they come (a chunk is one item or
    several, indented for their place two levels down and joined by ITEM_SEPARATOR)."""
    keys = list(head)
    stream.write("{\n")
    for position, key in enumerate(keys):
        stream.write(f"{INDENT}{json.dumps(key)}: ")
        if key in streamed:
            first = True
            for chunk in streamed[key]:
                stream.write("[\n" + INDENT * 2 if first else ITEM_SEPARATOR)
                _write_chunk(stream, chunk)
                first = False
            stream.write("[]" if first else f"\n{INDENT}]")
        else:
            stream.write(indented(head[key], 1))
        stream.write(",\n" if position < len(keys) - 1 else "\n")
    stream.write("}\n")


def _write_chunk(stream: TextIO, chunk: str | bytes) -> None:
    """A chunk of items, given as text or as UTF-8 (`encode_finding_chunk`): the bytes go to a
    UTF-8 stream's buffer as they are (after what the stream holds), where no line break needs
    translating."""
    if isinstance(chunk, str):
        stream.write(chunk)
        return
    raw = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None)
    if raw is not None and encoding and os.linesep == "\n" and codecs.lookup(encoding).name == "utf-8":
        stream.flush()
        raw.write(chunk)
    else:
        stream.write(chunk.decode("utf-8"))


def indented(value: Any, depth: int) -> str:
    """`value` as `json.dumps(indent=2)` writes it `depth` levels down, with no raw control character."""
    return json_text(json.dumps(value, ensure_ascii=False, indent=2)).replace("\n", "\n" + INDENT * depth)


def encode_findings(rows: list[tuple], depth: int | None = None) -> str:
    """A batch of findings, given as rows (`violation_as_row`), as a report lists them, no
    separator around: each finding's JSON item (`violation_items`) one a line (the check report),
    or with `depth` as `json.dumps(indent=2)` writes items `depth` levels down (the tables); with
    no raw control character (`json_text`).

    Encoded a key at a time: a value is encoded as `encode_item` encodes it inside the item
    (`_encoded`; every value of an item is a number, a text or null, written alike either way),
    then each item is its values put into the template of its keys, which `json.dumps` of the
    item would give."""
    separator = ITEM_SEPARATOR if depth is None else ",\n" + INDENT * depth
    try:
        keys, columns = violation_items(rows)
    except ValueError:  # waived and unwaived findings: items of two shapes, each of its own
        return separator.join([encode_findings([row], depth) for row in rows])
    template = _item_template(keys, depth)
    return separator.join([template % values for values in zip(*map(_encoded, columns), strict=True)])


def encode_finding_chunk(chunk: Any, depth: int | None = None) -> bytes:
    """`encode_findings` of a chunk of findings kept as columns (`results.finding_columns`),
    encoded a column at a time (`json_columns`), as UTF-8."""
    from svcaudit.reporters.json_columns import items_text

    separator = ITEM_SEPARATOR if depth is None else ",\n" + INDENT * depth
    return items_text(chunk, _item_template(item_keys(waived=False), depth), separator)


@lru_cache(maxsize=8)
def _item_template(keys: tuple[str, ...], depth: int | None) -> str:
    """`%`-template of a JSON item with these keys, a `%s` for each value: on one line, or as
    `json.dumps(indent=2)` writes it `depth` levels down."""
    pairs = [encode_item(key).replace("%", "%%") + ": %s" for key in keys]
    if depth is None:
        return "{" + ", ".join(pairs) + "}"
    inside = "\n" + INDENT * (depth + 1)
    return "{" + inside + ("," + inside).join(pairs) + "\n" + INDENT * depth + "}"


def _encoded(values: Sequence[Any]) -> list[str]:
    """Each value of a column as `encode_item` encodes it, escaped by `json_text`: a column of one
    type (and None) at C speed, a column of mixed types value by value."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if not kinds:
        return ["null"] * len(values)
    if len(kinds) > 1:
        return _escaped(["null" if value is None else encode_item(value) for value in values])
    (kind,) = kinds
    encode = encode_text if kind is str else int.__repr__ if kind is int else encode_item
    if None in values:
        return _escaped(["null" if value is None else encode(value) for value in values])
    return _escaped(list(map(encode, values)))


def _escaped(encoded: list[str]) -> list[str]:
    """Encoded values with no raw control character (`json_text`), checked for the column at once."""
    return list(map(json_text, encoded)) if has_json_raw("".join(encoded)) else encoded


def _encoded_items(result: AuditResult, key: str, jobs: int) -> Iterator[str | bytes]:
    """The items of one long list as non-empty chunks of encoded lines, escaped, in order."""
    if key == "rejected":
        for item in result.findings(key):
            yield json_text(encode_item(item))
        return
    findings: Collection[Violation] = getattr(result, key)
    chunks: Iterable[str | bytes]
    if isinstance(findings, FindingLog):
        parallel = jobs if findings.spilled >= PARALLEL_MIN_FINDINGS else 1
        chunks = findings.map_batches(encode_findings, parallel, rows=True, columns=encode_finding_chunk)
    else:
        source = map(violation_as_row, findings)
        chunks = (encode_findings(batch) for batch in iter(lambda: list(islice(source, LIST_BATCH)), []))
    for chunk in chunks:
        if chunk:
            yield chunk
