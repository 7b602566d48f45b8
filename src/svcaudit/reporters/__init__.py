"""The report formats, by the name `--format` takes: every one a `protocol.Reporter` that writes a
finished result to a stream. `REPORTERS` write an `AuditResult` (`svcaudit check`, `merge`),
`TABLE_REPORTERS` a `TablesReport` (`svcaudit report`)."""

from __future__ import annotations

from svcaudit.audit.grouped import TablesReport
from svcaudit.reporters import github, junit, markdown, tables, tables_html, text
from svcaudit.reporters import json as json_reporter
from svcaudit.reporters.protocol import Rendered, Reporter, ReportOptions, to_text
from svcaudit.results.model import AuditResult

REPORTERS: dict[str, Reporter[AuditResult]] = {
    "text": Rendered(text.render),
    "markdown": Rendered(markdown.render),
    "json": json_reporter,
    "junit": Rendered(junit.render),
    "github": Rendered(github.render),
}
TABLE_REPORTERS: dict[str, Reporter[TablesReport]] = {
    "text": Rendered(tables.render_text),
    "markdown": Rendered(tables.render_markdown),
    "json": Rendered(tables.render_json),
    "csv": Rendered(tables.render_csv),
    "html": Rendered(tables_html.render_html),
}

__all__ = ["REPORTERS", "TABLE_REPORTERS", "ReportOptions", "Reporter", "to_text"]
