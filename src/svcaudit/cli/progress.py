"""A progress line on stderr while an audit reads long inputs: only on a terminal, never in CI or
with --quiet, so logs and captured stderr stay free of it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from svcaudit.cli.output import on_github

if TYPE_CHECKING:
    from rich.progress import Progress

PROGRESS_EVERY = 500  # tickets between refreshes


class progress:
    """`with progress(quiet) as advance:` gives the callback an audit reports its ticket count to,
    or None when no progress is shown."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty() and not os.environ.get("CI") and not on_github()
        self._progress: Progress | None = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(
            SpinnerColumn(),
            TextColumn("auditing: {task.completed} tickets"),
            TimeElapsedColumn(),
            transient=True,
            console=Console(stderr=True),
        )
        self._progress = bar
        bar.start()
        task = bar.add_task("audit", total=None)
        shown = 0

        def advance(count: int) -> None:
            # Called per ticket in one process, per few thousand from workers: refresh sparingly.
            nonlocal shown
            if abs(count - shown) >= PROGRESS_EVERY:
                shown = count
                bar.update(task, completed=count)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
