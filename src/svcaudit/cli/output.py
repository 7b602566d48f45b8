"""Where a command's output goes: stdout or `--output`, with colour and width for a terminal, and
the GitHub job summary. Stdout carries only the report; notes go to stderr."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from svcaudit.cli.guard import reader_gone, say
from svcaudit.cli.options import ColorMode
from svcaudit.errors import UsageError, WorkerError

if TYPE_CHECKING:
    from svcaudit.reporters.protocol import Reporter, ReportOptions
    from svcaudit.results.model import AuditResult

R = TypeVar("R")  # the result a reporter writes

GITHUB_ACTIONS = "GITHUB_ACTIONS"
GITHUB_STEP_SUMMARY = "GITHUB_STEP_SUMMARY"
GITHUB_WORKSPACE = "GITHUB_WORKSPACE"


def on_github() -> bool:
    return bool(os.environ.get(GITHUB_ACTIONS))


def workspace() -> str | None:
    """The checkout GitHub Actions runs in: annotations name files relative to it."""
    return os.environ.get(GITHUB_WORKSPACE)


def use_color(mode: ColorMode, output: Path | None) -> bool:
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def width(output: Path | None) -> int | None:
    """The terminal's width when the report goes to one; else the renderer's default."""
    if output is None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


@contextmanager
def _on_stdout() -> Iterator[TextIO]:
    """Stdout to write a command's output to, flushed after; a reader that stops reading (`| head`)
    gets what it read, and the command goes on to its exit code (`guard.reader_gone`)."""
    try:
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone()


def emit(text: str, output: Path | None, quiet: bool = False, what: str = "report") -> None:
    """`text` to stdout, or to `output` (said on stderr unless `quiet`)."""
    if output is None:
        with _on_stdout() as stream:
            stream.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    if not quiet:
        say(f"{what} written to {output}")


def write_report(
    reporter: Reporter[R], result: R, options: ReportOptions, output: Path | None, quiet: bool = False
) -> None:
    """The report written by its format to stdout or to `output`, as the format streams it. A reader
    of stdout that stops reading (`| head`) gets what it read; the run keeps its exit code."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        if output is None:
            with _on_stdout() as stream:
                reporter.write(result, stream, options)
            return
        try:
            with output.open("w", encoding="utf-8") as stream:
                reporter.write(result, stream, options)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    except BrokenProcessPool:  # only the JSON formats hand work to processes (options.jobs)
        raise WorkerError(
            "a worker process encoding the JSON report stopped before it finished "
            "(killed, or out of memory?); run again with --jobs 1"
        ) from None
    if not quiet:
        say(f"report written to {output}")


def report_options(
    color: ColorMode,
    output: Path | None,
    limit: int,
    *,
    quiet: bool = False,
    jobs: int | None = 1,
    csv_formulas: bool = False,
) -> ReportOptions:
    """What every format is given, read off the command line and the environment once; `jobs`
    None is one process per core."""
    from svcaudit.reporters.protocol import ReportOptions

    if jobs is None:
        from svcaudit.audit.workers import default_jobs

        jobs = default_jobs()
    return ReportOptions(
        limit=limit,
        color=use_color(color, output),
        width=width(output),
        workspace=workspace(),
        csv_formulas=csv_formulas,
        jobs=jobs,
        quiet=quiet,
    )


def append_step_summary(result: AuditResult) -> None:
    """On GitHub Actions, the Markdown report goes to the job's summary page too."""
    summary = os.environ.get(GITHUB_STEP_SUMMARY)
    if not summary:
        return
    from svcaudit.reporters import markdown

    try:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(markdown.render(result) + "\n")
    except OSError as exc:
        say(f"cannot write {GITHUB_STEP_SUMMARY} ({summary}): {exc.strerror}")
