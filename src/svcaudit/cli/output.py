"""Where a command's output goes: stdout or `--output`, with colour and width for a terminal, and
the GitHub job summary. Stdout carries only the report; notes go to stderr."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from svcaudit.cli.guard import say
from svcaudit.cli.options import ColorMode
from svcaudit.errors import UsageError, WorkerError

if TYPE_CHECKING:
    from svcaudit.results.model import AuditResult

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


def emit(text: str, output: Path | None, quiet: bool = False, what: str = "report") -> None:
    """`text` to stdout, or to `output` (said on stderr unless `quiet`)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    if not quiet:
        say(f"{what} written to {output}")


def emit_json(result: AuditResult, output: Path | None, quiet: bool, jobs: int | None = 1) -> None:
    """The JSON report written as a stream (its long lists never become one string), its
    findings encoded by `jobs` processes (None: one per core)."""
    from concurrent.futures.process import BrokenProcessPool

    from svcaudit.audit.workers import default_jobs
    from svcaudit.reporters import json as json_reporter

    workers = default_jobs() if jobs is None else jobs
    try:
        if output is None:
            json_reporter.write(result, sys.stdout, workers)
            sys.stdout.flush()
            return
        try:
            with output.open("w", encoding="utf-8") as stream:
                json_reporter.write(result, stream, workers)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    except BrokenProcessPool:
        raise WorkerError(
            "a worker process encoding the JSON report stopped before it finished "
            "(killed, or out of memory?); run again with --jobs 1"
        ) from None
    if not quiet:
        say(f"report written to {output}")


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
