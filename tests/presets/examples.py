"""Running a worked example (a standard and its files, each in a folder) through the CLI: the
helpers the API and warehouse example tests share. An example is a tuple (standard, *files)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from svcaudit.cli import app


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def example_args(folder: Path, example: tuple[str, ...]) -> tuple[list[Path], Path]:
    """The example's files and its standard, in `folder`."""
    standard, *files = example
    return [folder / f for f in files], folder / standard


def check_json(folder: Path, example: tuple[str, ...], as_of: str) -> dict:
    """The JSON report of `check` on the example; its standard is not met (exit 1)."""
    files, standard = example_args(folder, example)
    result = invoke("check", *files, "-s", standard, "--as-of", as_of, "-f", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def explained_rule(folder: Path, example: tuple[str, ...], ticket: str, rule: str, as_of: str) -> dict:
    """One rule's verdict on one ticket, from `explain -f json` (exit 0)."""
    files, standard = example_args(folder, example)
    result = invoke("explain", ticket, *files, "-s", standard, "--as-of", as_of, "-f", "json")
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in json.loads(result.stdout)["rules"]}[rule]
