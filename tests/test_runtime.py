"""The CLI process and every worker run with the audit's memory settings (`svcaudit.runtime`)."""

from __future__ import annotations

import gc
import importlib
import os
from datetime import datetime, timezone

import pytest

from svcaudit.audit import workers
from svcaudit.runtime import ALLOCATOR_OPTIONS, COLLECTOR_THRESHOLDS

DEFAULT_PACE = (700, 10, 10)
# The module, not the Typer app the `svcaudit.cli` package names `app` too.
cli_app = importlib.import_module("svcaudit.cli.app")


@pytest.fixture
def python_defaults(monkeypatch):
    """Python's default collector pace and no allocator option while the test runs; restored after."""
    before = gc.get_threshold()
    gc.set_threshold(*DEFAULT_PACE)
    for name in ALLOCATOR_OPTIONS:
        monkeypatch.delenv(name, raising=False)
    yield
    gc.set_threshold(*before)


def test_the_cli_entry_point_prepares_the_process_before_any_command(python_defaults, monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(
        cli_app, "app", lambda: seen.append((gc.get_threshold(), {n: os.environ.get(n) for n in ALLOCATOR_OPTIONS}))
    )
    cli_app.main()
    assert seen == [(COLLECTOR_THRESHOLDS, ALLOCATOR_OPTIONS)]


def test_an_allocator_option_the_user_set_is_kept(python_defaults, monkeypatch) -> None:
    monkeypatch.setenv("MIMALLOC_PURGE_DELAY", "250")
    monkeypatch.setattr(cli_app, "app", lambda: None)
    cli_app.main()
    assert os.environ["MIMALLOC_PURGE_DELAY"] == "250"
    assert os.environ["MIMALLOC_ARENA_EAGER_COMMIT"] == ALLOCATOR_OPTIONS["MIMALLOC_ARENA_EAGER_COMMIT"]


def test_a_spawned_worker_prepares_itself_as_it_loads_the_standard(python_defaults, monkeypatch) -> None:
    monkeypatch.setattr(workers, "_WORKER", {})
    workers._load("builtin:default", "generic", datetime(2026, 11, 23, tzinfo=timezone.utc), None)
    assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    assert workers._WORKER["plan"].standard.name == "Default service standard"
