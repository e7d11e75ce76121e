"""One shared word list per kind: every check agrees on what a hesitation is."""

from __future__ import annotations

import pytest

from audio.transcript import Transcript
from simulator.checks import REGISTRY, CheckContext
from simulator.checks.lexicon import HESITATIONS
from simulator.profile import Profile

PROFILE = Profile(name="Jordan Rivera", phone="617-555-0142", email="jordan.rivera@example.com")


def run(check_id: str, text: str) -> str:
    check = REGISTRY[check_id]
    ctx = CheckContext(Transcript.from_text(text), PROFILE)
    return check.func(ctx, check.params.model_validate({})).status


@pytest.mark.parametrize("sound", ["uh", "uhh", "um", "umm", "er", "erm", "hmm", "ah"])
def test_a_hesitation_between_first_and_last_name_still_says_the_name(sound: str) -> None:
    assert sound in HESITATIONS
    assert run("says_name", f"Hi, this is Jordan {sound} Rivera, calling about the role.") == "pass"


def test_a_hesitation_inside_a_spoken_email_is_skipped() -> None:
    said = "You can reach me at jordan dot uhh rivera at example dot com."
    assert run("says_email", said) == "pass"


def test_the_filler_count_and_the_name_matcher_share_the_list() -> None:
    from simulator.checks import delivery, names

    assert delivery.HESITATIONS is HESITATIONS
    assert names._FILLERS is HESITATIONS
