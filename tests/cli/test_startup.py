"""Start-up: `svcaudit --help` and `svcaudit validate` load only what they use.

Each case runs the command in a fresh interpreter and reads `sys.modules` after it: the audit
engine, the intake readers, the reporters and the data-path libraries (pyarrow, numpy) must not be
among them, nor, for a standard that maps no values, the export field parsers. Time itself is
measured by the benchmark (benchmarks/README.md, "Start-up"), not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import svcaudit
from svcaudit.cli.options import DEFAULT_LIMIT
from svcaudit.reporters.common import DEFAULT_VIOLATION_LIMIT
from tests.paths import REPO

# Runs the CLI with the given arguments, then prints the loaded modules as the last line of stdout.
PROBE = """
import json, sys
sys.argv = ["svcaudit", *json.loads(sys.argv[1])]
from svcaudit.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

DATA_PATH = ["pyarrow", "numpy", "svcaudit.audit", "svcaudit.intake.readers", "svcaudit.intake.intake"]
# The formats' registry (`svcaudit.reporters` itself) names the formats for --format without loading one.
RENDERING = ["svcaudit.reporters.common", "svcaudit.reporters.protocol", "svcaudit.results.model", "svcaudit.initfrom"]
STANDARD = ["svcaudit.standard.loader", "svcaudit.checks", "svcaudit.text", "jsonschema", "yaml"]
# The export field parsers and dateutil under them: a standard without `input.values` needs neither.
FIELD_PARSERS = ["svcaudit.intake.fields", "svcaudit.intake.timestamps", "dateutil"]
# Time zones are made where a command reads a standard; listing the commands makes none. (A
# command's own --help loads them with pydantic, which typer imports to coerce that command's
# options, its help flag among them.)
ZONES = ["zoneinfo"]

CASES = [
    # (arguments, what stdout says, modules that must not be loaded, nor any module below them)
    (["--help"], "Usage:", DATA_PATH + RENDERING + STANDARD + ZONES),
    (["check", "--help"], "Usage:", DATA_PATH + RENDERING + STANDARD),
    (["validate", "standards/default.yaml"], "valid standard", DATA_PATH + RENDERING + FIELD_PARSERS),
]


@pytest.mark.parametrize("args, says, unwanted", CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_a_command_loads_only_what_it_uses(args: list[str], says: str, unwanted: list[str]) -> None:
    # the svcaudit these tests import, whether installed or from a checkout's src/
    source = str(Path(svcaudit.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    *output, last = run.stdout.splitlines()
    probe = json.loads(last)
    assert probe["code"] in (0, None), run.stderr
    assert says in "\n".join(output)
    loaded = [m for m in probe["modules"] if any(m == name or m.startswith(name + ".") for name in unwanted)]
    assert not loaded, f"svcaudit {' '.join(args)} loaded {loaded}"


def test_the_cli_limit_is_the_renderers_default() -> None:
    assert DEFAULT_LIMIT == DEFAULT_VIOLATION_LIMIT
