"""What a report format is: an object that writes a finished result to a stream (`Reporter`), given
the options the command line collected once for every format (`ReportOptions`).

Most formats build their report whole, as one string (`Rendered` adapts such a `render` function);
the JSON report writes its long lists as a stream instead. The CLI sees only `write`; `to_text`
collects what a format writes into one string.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Generic, Protocol, TextIO, TypeVar

from svcaudit.reporters.common import DEFAULT_VIOLATION_LIMIT

ResultT = TypeVar("ResultT")
ResultT_contra = TypeVar("ResultT_contra", contravariant=True)


@dataclass(frozen=True)
class ReportOptions:
    """The options of `svcaudit check`, `merge` and `report` that reach a format; each format reads
    those it has a use for and ignores the rest."""

    limit: int = DEFAULT_VIOLATION_LIMIT  # violations and rejected rows shown (0: all)
    color: bool = False
    width: int | None = None  # the terminal's; None: the format's default
    workspace: str | None = None  # $GITHUB_WORKSPACE, which annotated paths are made relative to
    csv_formulas: bool = False  # --csv-formulas: cells that start with = + - @ left as they are
    jobs: int = 1  # processes that may encode a streamed report's findings
    quiet: bool = False  # --quiet: the text report is only its verdict line


class Reporter(Protocol[ResultT_contra]):
    """One report format."""

    def write(self, result: ResultT_contra, stream: TextIO, options: ReportOptions) -> None: ...


@dataclass(frozen=True)
class Rendered(Generic[ResultT]):
    """A format built whole as one string by `render(result, **options)`, then written."""

    render: Callable[..., str]

    def write(self, result: ResultT, stream: TextIO, options: ReportOptions) -> None:
        stream.write(self.render(result, **asdict(options)))


def to_text(reporter: Reporter[ResultT], result: ResultT, options: ReportOptions | None = None) -> str:
    """What `reporter` writes for `result`, as one string (for a caller that needs it whole)."""
    buffer = io.StringIO()
    reporter.write(result, buffer, options or ReportOptions())
    return buffer.getvalue()
