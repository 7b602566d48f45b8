"""Exit codes, the one part of the CLI that CI scripts branch on.

| code | meaning                                                                    |
|------|----------------------------------------------------------------------------|
| 0    | the standard is met: overall compliance >= pass_threshold, every rule >= its min_compliance |
| 1    | the standard is not met                                                     |
| 2    | usage error, unreadable input or standard, too many rejected rows, internal error |
"""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    MET = 0
    NOT_MET = 1
    ERROR = 2


def exit_code_for(standard_met: bool) -> ExitCode:
    """The verdict of a finished audit as a process exit code."""
    return ExitCode.MET if standard_met else ExitCode.NOT_MET
