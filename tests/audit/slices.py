"""What the tests of an export audited in slices (the Dask and Spark examples) share: the standard,
the as-of moment, a crafted export whose rows are rejected at known lines, and the reports to
compare (`svcaudit check`'s of the whole file, and a merged result's)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import datetime, timezone
from io import StringIO
from types import ModuleType

from svcaudit.reporters import reporter
from svcaudit.reporters.protocol import ReportOptions
from tests.paths import REPO

STANDARD = "builtin:default"
AS_OF = "2026-11-23T12:00:00Z"
AS_OF_MOMENT = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
HEADER = "ticket_id,created_at,first_reply_at,resolved_at,status,priority,channel,agent,csat,note\n"
# Rows the reader and the typing reject, a reply stamped before creation (a field rejected, the
# row kept), a blank line and a row of empty cells (dropped, their lines counted), a value with
# line breaks (the rows after it sit lines further on), and slash dates whose order the values
# prove.
CRAFTED_ROWS = [
    "A-1,2026-11-02T09:00:00+03:00,2026-11-02T09:05:00+03:00,2026-11-02T10:00:00+03:00,solved,high,email,Ann,5,ok",
    "A-2,not a date,,,open,low,chat,Bob,,",
    "A-3,2026-11-03T09:00:00+03:00,2026-11-03T08:00:00+03:00,,open,urgent,phone,Ann,4,reply before creation",
    "",
    ",,,,,,,,,",
    'A-4,2026-11-04T09:00:00+03:00,,,new,normal,email,Cid,,"two\nlines"',
    "A-5,25/11/2026 09:00,,,new,low,web,Bob,,after as-of",
    "A-6,13/11/2026 09:00,13/11/2026 15:00,14/11/2026 09:00,solved,low,web,Bob,4,",
    "A-7,2026-11-05T09:00:00+03:00,2026-11-05T12:00:00+03:00,,pending,high,email,Cid,x,bad csat",
]

REJECTED = [(3, "created_at"), (4, "first_reply_at"), (11, "csat")]


def check_report(path) -> dict:
    """`svcaudit check --format json` of the whole file, in one process."""
    result = subprocess.run(
        [sys.executable, "-m", "svcaudit", "check", str(path), "-s", STANDARD, "--as-of", AS_OF, "-f", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def json_report(result) -> dict:
    stream = StringIO()
    reporter("json").write(result, stream, ReportOptions())
    return json.loads(stream.getvalue())


def load_example(name: str) -> ModuleType:
    """An example of benchmarks/ (`dask_audit`, `spark_audit`) loaded as a module from its file."""
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
