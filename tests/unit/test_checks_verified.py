"""says_phone with the transcriber's audio verifications: rescued, unsettled, overruled."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from audio.transcript import Segment, Transcript, Verification, Word
from simulator.checks import REGISTRY, CheckContext
from simulator.checks.base import CheckResult, NoParams
from simulator.profile import Profile
from simulator.report import StepReport

PROFILE = Profile(name="Jordan Rivera", phone="(617) 555-0142")


def timed(text: str) -> Transcript:
    words = tuple(Word(w, 1.0 + i * 0.5, 1.4 + i * 0.5) for i, w in enumerate(text.split()))
    return Transcript.from_segments([Segment(text, words[0].start, words[-1].end, words)], 20.0)


def verified(
    text: str, decision: Literal["said", "not_said", "unclear"], rival: str = "6175050142"
) -> Transcript:
    transcript = timed(text)
    number = [w for w in transcript.words if any(ch.isdigit() for ch in w.text)]
    check = Verification(
        "number", "617-555-0142", number[0].start, number[-1].end, decision, 3.0, -0.5, rival
    )
    return replace(transcript, verified=(check,))


def says_phone(transcript: Transcript) -> CheckResult:
    ctx = CheckContext(transcript=transcript, profile=PROFILE)
    return REGISTRY["says_phone"].func(ctx, NoParams())


MANGLED = "You can reach me at 617-505-0142. Thank you."


def test_a_mangled_reading_the_audio_confirms_passes() -> None:
    assert says_phone(timed(MANGLED)).status == "fail"
    result = says_phone(verified(MANGLED, "said"))
    assert result.status == "pass"
    assert "checked against the audio" in result.evidence and "617-505-0142" in result.evidence


def test_when_the_audio_does_not_settle_it_the_check_says_so_and_never_passes() -> None:
    result = says_phone(verified(MANGLED, "unclear"))
    assert result.status == "skipped" and result.unsettled_at is not None
    assert "Couldn't make out the number at 0:0" in result.evidence
    assert result.counts_as_failure  # the drill is not passed on a number nobody could hear
    step = StepReport(0, "", verified(MANGLED, "unclear"), (result,))
    assert not step.passed
    assert step.to_json()["checks"][0]["unsettled_at"] == result.unsettled_at


def test_a_clear_rival_keeps_the_text_verdict() -> None:
    assert says_phone(verified(MANGLED, "not_said")).status == "fail"


def test_a_reading_of_the_number_the_audio_clearly_contradicts_is_not_a_pass() -> None:
    said = "You can reach me at 617-555-0142. Thank you."
    assert says_phone(timed(said)).status == "pass"
    result = says_phone(verified(said, "not_said", rival="6175550143"))
    assert result.status == "skipped" and result.unsettled_at is not None
    assert "617 555 0143" in result.evidence


def test_a_shorter_rival_never_overrules_a_reading_of_every_digit() -> None:
    said = "You can reach me at 617-555-0142. Thank you."
    assert says_phone(verified(said, "not_said", rival="617555")).status == "pass"
