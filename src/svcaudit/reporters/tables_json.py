"""JSON of `svcaudit report`: `TablesReport.to_dict()`, indented by two spaces, written as a stream.

The groups carry their findings, so a year of a large helpdesk makes hundreds of MB of JSON: each
group is made into a dict and encoded only when its turn comes (`TablesReport.group_dicts`), its
findings a batch at a time from the group's findings log, a key at a time (`json.encode_findings`),
and the text is what `json.dumps(report.to_dict(), indent=2)` gives, byte for byte.
"""

from __future__ import annotations

from functools import partial
from typing import Any, TextIO

from svcaudit.audit.grouped import TablesReport
from svcaudit.reporters.json import INDENT, encode_findings, indented, write_object
from svcaudit.reporters.protocol import ReportOptions
from svcaudit.results.findings import FindingLog

GROUP_DEPTH = 2  # a group is an item of the report's `groups`
FINDING_DEPTH = GROUP_DEPTH + 2  # a finding is an item of its group's `violations`
# How a group's item ends when its findings are left out (`group_dicts(violations=False)`).
_EMPTY_TAIL = "[]\n" + INDENT * GROUP_DEPTH + "}"


def write(report: TablesReport, stream: TextIO, options: ReportOptions) -> None:
    groups = (
        _group_text(group, row.stats.violations)
        for group, row in zip(report.group_dicts(violations=False), report.rows, strict=True)
    )
    write_object(stream, report.to_dict(groups=False), {"groups": groups})


def _group_text(group: dict[str, Any], findings: FindingLog) -> str:
    """A group's item with its findings, encoded a batch at a time, in place of the empty
    `violations` it ends with."""
    text = indented(group, GROUP_DEPTH)
    if not findings:
        return text
    assert text.endswith(_EMPTY_TAIL), "`violations` is the last key of a group"
    chunks = findings.map_batches(partial(encode_findings, depth=FINDING_DEPTH), rows=True)
    items = (",\n" + INDENT * FINDING_DEPTH).join(chunk for chunk in chunks if chunk)
    inside = INDENT * FINDING_DEPTH
    return f"{text[: -len(_EMPTY_TAIL)]}[\n{inside}{items}\n{INDENT * (GROUP_DEPTH + 1)}]\n{INDENT * GROUP_DEPTH}}}"
