"""Exit codes, the one part of the CLI that CI scripts branch on.

| code | meaning                                                                          |
|------|----------------------------------------------------------------------------------|
| 0    | PASSED: the standard is met on evidence: some rule judged a ticket, overall        |
|      | compliance >= pass_threshold, every rule >= its min_compliance and min_judged      |
| 1    | FAILED: the standard is not met                                                  |
| 2    | NOT JUDGED: no rule judged any ticket, no ticket at all, or more rows rejected     |
|      | than --max-rejected; or a usage error, unreadable input or standard, internal error |

The verdict is the result model's (`AuditResult.verdict`); this maps it, and nothing else decides it.
`--exit-zero` turns 1 into 0, never 2.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from svcaudit.results.model import Verdict


class ExitCode(enum.IntEnum):
    MET = 0
    NOT_MET = 1
    ERROR = 2


def exit_code_for(verdict: Verdict, exit_zero: bool = False) -> ExitCode:
    """The verdict of a finished audit as a process exit code; `exit_zero` (`--exit-zero`) passes a
    failed standard, never an audit that judged nothing."""
    # Imported here so `ExitCode` alone (the CLI's error guard, `--help`) does not load the result model.
    from svcaudit.results.model import Verdict

    by_verdict = {Verdict.PASSED: ExitCode.MET, Verdict.FAILED: ExitCode.NOT_MET, Verdict.NOT_JUDGED: ExitCode.ERROR}
    code = by_verdict[verdict]
    return ExitCode.MET if exit_zero and code is ExitCode.NOT_MET else code
