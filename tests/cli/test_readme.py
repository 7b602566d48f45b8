"""Every `$ svcaudit …` command shown in the README runs as printed, with the exit code it shows."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from tests.paths import REPO, SHARED_DATA

COMMAND = re.compile(r"^\$ (svcaudit .+?)(?:\s+#\s*exit (\d))?\s*$")


def readme_commands() -> list[tuple[str, int]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        match = COMMAND.match(line)
        if match:
            found.append((match.group(1), int(match.group(2) or 0)))
    return found


def test_readme_shows_commands():
    assert len(readme_commands()) >= 6


@pytest.mark.parametrize("command, expected", readme_commands())
def test_readme_command_runs(command, expected, tmp_path):
    if "../shared/data/" in command and not SHARED_DATA.exists():
        pytest.skip("../shared/data is absent")
    args = shlex.split(command)
    # Reports the README writes with --output go to a temporary folder, not into the checkout.
    args = [str(tmp_path / a) if i and args[i - 1] in ("--output", "-o") else a for i, a in enumerate(args)]
    result = subprocess.run(
        [sys.executable, "-m", "svcaudit", *args[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == expected, result.stderr
    assert "Traceback" not in result.stderr
    if "--output" not in args and "--partial" not in args:
        assert result.stdout.strip()
