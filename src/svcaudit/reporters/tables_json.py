"""JSON of `svcaudit report`: `TablesReport.to_dict()`, indented by two spaces, written as a stream.

The groups carry their findings, so a year of a large helpdesk makes hundreds of MB of JSON: each
group is made into a dict and encoded only when its turn comes (`TablesReport.group_dict`), its
findings a batch at a time from the group's findings log, a key at a time (`json.encode_findings`),
and the text is what `json.dumps(report.to_dict(), indent=2)` gives, byte for byte. With `--jobs`,
forked workers encode the groups of a large report a few tasks ahead while this process writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any, TextIO

from svcaudit.audit.grouped import GroupRow, TablesReport
from svcaudit.reporters.json import (
    INDENT,
    ITEM_SEPARATOR,
    PARALLEL_MIN_FINDINGS,
    encode_findings,
    indented,
    write_object,
)
from svcaudit.reporters.protocol import ReportOptions
from svcaudit.results.findings import FindingLog
from svcaudit.runtime import can_fork, fork_map

GROUP_DEPTH = 2  # a group is an item of the report's `groups`
FINDING_DEPTH = GROUP_DEPTH + 2  # a finding is an item of its group's `violations`
# How a group's item ends when its findings are left out (`group_dict(row, violations=False)`).
_EMPTY_TAIL = "[]\n" + INDENT * GROUP_DEPTH + "}"


# Findings of the groups a worker encodes at a time: groups are small, so a task takes several.
FINDINGS_PER_TASK = 4_000
# The report whose groups forked workers encode (`fork_map`: they see it as it was at the fork).
_FORKED: list[TablesReport] = []


def write(report: TablesReport, stream: TextIO, options: ReportOptions) -> None:
    """The report, its groups encoded by `options.jobs` processes when they hold many findings."""
    findings = sum(len(row.stats.violations) for row in report.rows)
    if options.jobs > 1 and findings >= PARALLEL_MIN_FINDINGS and can_fork():
        groups: Iterable[str] = _encoded_by_workers(report, options.jobs)
    else:
        groups = map(_group_item, report.rows)
    write_object(stream, report.to_dict(groups=False), {"groups": groups})


def _encoded_by_workers(report: TablesReport, jobs: int) -> Iterator[str]:
    """The groups' items, a task's groups joined as `write_object` joins items, encoded by forked
    workers while this process writes."""
    _FORKED[:] = [report]
    try:
        yield from fork_map(_encoded_groups, _tasks(report), jobs)
    finally:
        _FORKED.clear()


def _tasks(report: TablesReport) -> Iterator[range]:
    """Consecutive groups holding about FINDINGS_PER_TASK findings together (a group at least)."""
    first, held = 0, 0
    for index, row in enumerate(report.rows):
        held += len(row.stats.violations)
        if held >= FINDINGS_PER_TASK:
            yield range(first, index + 1)
            first, held = index + 1, 0
    if first < len(report.rows):
        yield range(first, len(report.rows))


def _encoded_groups(groups: range) -> str:
    rows = _FORKED[0].rows
    return ITEM_SEPARATOR.join(_group_item(rows[index]) for index in groups)


def _group_item(row: GroupRow) -> str:
    return _group_text(TablesReport.group_dict(row, violations=False), row.stats.violations)


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
