"""The check kinds svcaudit knows, by the name a rule's `check:` gives."""
from __future__ import annotations

from .base import Check
from .helpdesk_agreement import HelpdeskAgreementCheck
from .pause_gaming import PauseGamingCheck
from .phrases import PhrasesCheck
from .resolution import ResolutionCheck
from .response_time import ResponseTimeCheck
from .score import ScoreCheck
from .trigger_response import TriggerResponseCheck

CHECK_KINDS: dict[str, type[Check]] = {
    kind.KIND: kind for kind in (
        ResponseTimeCheck, PhrasesCheck, TriggerResponseCheck, ResolutionCheck, ScoreCheck,
        PauseGamingCheck, HelpdeskAgreementCheck,
    )
}
