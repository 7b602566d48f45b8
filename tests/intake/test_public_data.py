"""The public data in ../shared/data read through the presets (skipped when the data is absent)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from svcaudit.audit.engine import make_intake
from svcaudit.audit.run import Audit
from svcaudit.standard.loader import parse_standard
from tests.paths import SHARED_DATA

TWCS = SHARED_DATA / "twcs_kecht_amazon_apple_spotify_355.csv"
AS_OF = datetime(2026, 1, 1, tzinfo=timezone.utc)
FIRST_REPLY = """\
svcaudit: 1
input: {preset: twcs}
rules:
  - {id: first-reply, check: response_time, metric: first_reply, target: 1h}
"""

# Computed by hand from the file: the conversation's first tweet, then the first brand tweet.
# main_tweet_id -> seconds (None: the thread opens with a brand tweet, its customer tweet is missing)
HAND_COMPUTED = {
    "19137": 29780,  # 2017-10-29 06:16:40 -> 14:33:00 (five tweets, four from customers first)
    "21049": 880,  # 2017-11-02 20:26:49 -> 20:41:29
    "21490": 1846,  # 2017-11-01 07:18:39 -> 07:49:25
    "21552": 452,  # 2017-11-02 06:26:23 -> 06:33:55
    "179669": 857,  # 2017-10-04 12:28:48 -> 12:43:05
    "163541": None,  # AmazonHelp answers customer tweet 163541, which is not in the file
}

pytestmark = pytest.mark.skipif(not TWCS.exists(), reason="../shared/data is absent")


@pytest.fixture(scope="module")
def twcs_outcomes():
    standard = parse_standard(FIRST_REPLY, "twcs.yaml")
    intake = make_intake(standard, [TWCS])
    outcomes = {}

    def keep(verdicts):
        outcomes[verdicts.ticket.ticket_id] = verdicts.outcomes[0]

    audit = Audit(standard, AS_OF, observers=[keep])
    audit.feed(intake.tickets())
    return outcomes, intake


def test_every_conversation_is_read(twcs_outcomes):
    outcomes, intake = twcs_outcomes
    assert len(outcomes) == 175
    assert intake.inputs[0].rows_read == 355 and intake.inputs[0].rows_rejected == 0


@pytest.mark.parametrize("conversation, seconds", HAND_COMPUTED.items())
def test_first_brand_reply_to_the_second(twcs_outcomes, conversation, seconds):
    outcome = twcs_outcomes[0][conversation]
    if seconds is None:
        assert outcome.status.value == "not_applicable"
        assert "request is not in the export" in outcome.reason
    else:
        assert outcome.measured_seconds == seconds
        assert outcome.status.value == ("passed" if seconds <= 3600 else "failed")
