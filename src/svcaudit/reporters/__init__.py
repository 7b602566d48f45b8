"""The report formats, by the name `--format` takes: every one a `protocol.Reporter` that writes a
finished result to a stream. `REPORTERS` write an `AuditResult` (`svcaudit check`, `merge`),
`TABLE_REPORTERS` a `TablesReport` (`svcaudit report`).

Each registry names a format's module and object; `reporter` and `table_reporter` import the one
a run asks for, so that the command line can list the formats without loading any of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from svcaudit.audit.grouped import TablesReport
    from svcaudit.reporters.protocol import Reporter
    from svcaudit.results.model import AuditResult

# name -> (module under svcaudit.reporters, the function it renders with; None: the module is the Reporter)
REPORTERS: dict[str, tuple[str, str | None]] = {
    "text": ("text", "render"),
    "markdown": ("markdown", "render"),
    "json": ("json", None),
    "junit": ("junit", "render"),
    "github": ("github", "render"),
}
TABLE_REPORTERS: dict[str, tuple[str, str | None]] = {
    "text": ("tables", "render_text"),
    "markdown": ("tables", "render_markdown"),
    "json": ("tables_json", None),
    "csv": ("tables", "render_csv"),
    "html": ("tables_html", "render_html"),
}


def _load(entry: tuple[str, str | None]) -> Any:
    from svcaudit.reporters.protocol import Rendered

    module_name, function = entry
    module = import_module(f"svcaudit.reporters.{module_name}")
    return module if function is None else Rendered(getattr(module, function))


def reporter(name: str) -> Reporter[AuditResult]:
    """The format `name` of `svcaudit check` and `merge`."""
    return _load(REPORTERS[name])


def table_reporter(name: str) -> Reporter[TablesReport]:
    """The format `name` of `svcaudit report`."""
    return _load(TABLE_REPORTERS[name])


__all__ = ["REPORTERS", "TABLE_REPORTERS", "reporter", "table_reporter"]
