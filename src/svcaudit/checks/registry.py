"""The check kinds svcaudit knows, by the name a rule's `check:` gives."""

from __future__ import annotations

from svcaudit.checks.base import Check
from svcaudit.checks.helpdesk_agreement import HelpdeskAgreementCheck
from svcaudit.checks.pause_gaming import PauseGamingCheck
from svcaudit.checks.phrases import PhrasesCheck
from svcaudit.checks.resolution import ResolutionCheck
from svcaudit.checks.response_time import ResponseTimeCheck
from svcaudit.checks.score import ScoreCheck
from svcaudit.checks.trigger_response import TriggerResponseCheck

CHECK_KINDS: dict[str, type[Check]] = {
    kind.KIND: kind
    for kind in (
        ResponseTimeCheck,
        PhrasesCheck,
        TriggerResponseCheck,
        ResolutionCheck,
        ScoreCheck,
        PauseGamingCheck,
        HelpdeskAgreementCheck,
    )
}
