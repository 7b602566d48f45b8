"""JSON of `svcaudit report`: `TablesReport.to_dict()`, indented by two spaces, written as a stream.

The groups carry their findings, so a year of a large helpdesk makes hundreds of MB of JSON: each
group is made into a dict and encoded only when its turn comes (`TablesReport.group_dicts`), and
the text is what `json.dumps(report.to_dict(), indent=2)` gives, byte for byte.
"""

from __future__ import annotations

from typing import TextIO

from svcaudit.audit.grouped import TablesReport
from svcaudit.reporters.json import indented, write_object
from svcaudit.reporters.protocol import ReportOptions


def write(report: TablesReport, stream: TextIO, options: ReportOptions) -> None:
    groups = (indented(group, 2) for group in report.group_dicts())
    write_object(stream, report.to_dict(groups=False), {"groups": groups})
