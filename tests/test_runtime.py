"""The CLI process and every worker run with the audit's memory settings (`svcaudit.runtime`)."""

from __future__ import annotations

import gc
import importlib
import os
import signal
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from svcaudit import runtime
from svcaudit.audit import workers
from svcaudit.runtime import ALLOCATOR_OPTIONS, COLLECTOR_THRESHOLDS

DEFAULT_PACE = (700, 10, 10)
# The module, not the Typer app the `svcaudit.cli` package names `app` too.
cli_app = importlib.import_module("svcaudit.cli.app")


@pytest.fixture
def python_defaults(monkeypatch):
    """Python's default collector pace, no allocator option and the import system as it was while
    the test runs; restored after (the Dask tests in this process import pandas)."""
    before = gc.get_threshold()
    gc.set_threshold(*DEFAULT_PACE)
    for name in ALLOCATOR_OPTIONS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)
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


def test_an_unused_module_cannot_be_imported_once_prepared(python_defaults, monkeypatch) -> None:
    monkeypatch.setattr(runtime, "UNUSED_MODULES", frozenset({"svcaudit_unused_probe"}))
    runtime.prepare_process()
    runtime.prepare_process()  # once is enough: the finder is not added twice
    assert sum(isinstance(finder, runtime._Absent) for finder in sys.meta_path) == 1
    with pytest.raises(ModuleNotFoundError, match="not used by an audit"):
        importlib.import_module("svcaudit_unused_probe.part")
    assert importlib.import_module("json")  # others import as always


def test_pyarrow_does_not_import_pandas_in_a_prepared_process() -> None:
    """pyarrow imports pandas, when installed, at its first array conversion; an audit's process
    does without (and pyarrow's conversions work as without pandas installed)."""
    code = (
        "import sys\n"
        "from svcaudit.runtime import prepare_process\n"
        "prepare_process()\n"
        "import pyarrow as pa, pyarrow.compute as pc\n"
        "assert pc.equal(pa.array(['a', 'b']), 'a').to_pylist() == [True, False]\n"
        "assert pa.scalar(0).as_py() == 0\n"
        "print('pandas' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
