"""Delivery coaching: the pitch tracker on signals of known pitch, and the coaching checks on
answers with known wording, pitch, loudness and pace (built in code; the espeak-ng versions with
real Whisper are in tests/audio/test_coaching_audio.py)."""

from __future__ import annotations

import numpy as np
import pytest

from audio.prosody import Prosody, measure, semitones
from audio.transcript import Segment, Transcript, Word
from simulator.checks import GENERAL_CHECK_IDS, REGISTRY
from simulator.checks.base import CheckContext, CheckResult
from simulator.checks.coaching import find_hedges, pace_curve
from simulator.checks.text import tokens
from simulator.profile import Profile

RATE = 16000
JORDAN = Profile(name="Jordan Rivera", phone="617-555-0142", role="Senior Data Analyst")
COACHING = ("vocal_variety", "volume", "hedging", "repetition", "steady_pace")


def voice(f0: np.ndarray, level: float = 0.3) -> np.ndarray:
    """A buzz (seven harmonics) following the pitch contour F0 (Hz per sample)."""
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    wave = sum(np.sin(k * phase) / k for k in range(1, 8))
    buzz: np.ndarray = (level * wave / np.max(np.abs(wave))).astype(np.float32)
    return buzz


def timed(text: str, wpm: float | list[float] = 150.0, start: float = 0.5) -> Transcript:
    """TEXT with one word after another at WPM (one rate, or one per word)."""
    words: list[Word] = []
    t = start
    rates = [wpm] * len(text.split()) if isinstance(wpm, float) else wpm
    for w, rate in zip(text.split(), rates, strict=True):
        step = 60 / rate
        words.append(Word(w, t, t + step * 0.85))
        t += step
    return Transcript.from_segments([Segment(text, start, t, tuple(words))], duration=t + 0.5)


def run(check_id: str, transcript: Transcript, prosody: Prosody | None = None) -> CheckResult:
    check = REGISTRY[check_id]
    return check.func(CheckContext(transcript, JORDAN, prosody=prosody), check.params())


# --------------------------------------------------------------------------- pitch tracker


@pytest.mark.parametrize("hz", [70.0, 110.0, 180.0, 260.0, 380.0])
def test_yin_finds_a_steady_pitch(hz: float) -> None:
    track = np.asarray(measure(voice(np.full(RATE, hz)), RATE).f0)
    voiced = track[track > 0]
    assert len(voiced) > 0.9 * len(track)
    assert np.median(voiced) == pytest.approx(hz, rel=0.01)


def test_yin_follows_a_glide_and_the_range_is_measured_in_semitones() -> None:
    # 100 Hz up to 200 Hz: one octave, 12 semitones end to end.
    contour = np.geomspace(100, 200, 2 * RATE)
    track = np.asarray(measure(voice(contour), RATE).f0)
    voiced = track[track > 0]
    assert voiced[5] == pytest.approx(100, rel=0.03)
    assert voiced[-5] == pytest.approx(200, rel=0.03)
    st = semitones(track)
    assert np.percentile(st, 90) - np.percentile(st, 10) == pytest.approx(12 * 0.8, abs=0.5)


def test_silence_and_noise_have_no_pitch() -> None:
    quiet = np.zeros(RATE, dtype=np.float32)
    noise = np.random.default_rng(0).normal(0, 0.1, RATE).astype(np.float32)
    sound = np.concatenate([voice(np.full(RATE, 150.0)), quiet, noise])
    track = np.asarray(measure(sound, RATE).f0)
    assert (track[:90] > 0).mean() > 0.9
    assert (track[110:190] > 0).sum() == 0
    assert (track[210:290] > 0).mean() < 0.1


def test_loudness_envelope_is_in_dbfs() -> None:
    loud = voice(np.full(RATE, 150.0), level=0.5)
    rms = np.asarray(measure(np.concatenate([loud, loud * 0.01]), RATE).rms_db)
    expected = 20 * np.log10(np.sqrt(np.mean(loud**2)))
    assert np.median(rms[10:90]) == pytest.approx(expected, abs=1.0)
    assert np.median(rms[110:190]) == pytest.approx(expected - 40, abs=1.0)


# ------------------------------------------------------------------------------ the checks

SENTENCES = (
    "Hi, this is Jordan Rivera, calling about the analyst role.",
    "I led the reporting team for three years.",
    "We rebuilt the dashboards and cut the reporting time in half.",
    "I would love to talk more about it.",
)


def spoken(
    contours: list[np.ndarray], fade_db: float = 0.0, level: float = 0.3
) -> tuple[Transcript, Prosody]:
    """One sentence per contour (2 s each, 0.5 s apart), words spread over each sentence."""
    pieces, words = [np.zeros(RATE // 2, np.float32)], []
    at = 0.5
    for text, contour in zip(SENTENCES, contours, strict=False):
        sound = voice(contour, level)
        if fade_db:
            tail = len(sound) * 2 // 5
            sound[-tail:] *= np.logspace(0, -fade_db / 20, tail).astype(np.float32)
        parts = text.split()
        step = 2.0 / len(parts)
        words += [Word(w, at + k * step, at + (k + 0.8) * step) for k, w in enumerate(parts)]
        pieces += [sound, np.zeros(RATE // 2, np.float32)]
        at += 2.5
    samples = np.concatenate(pieces)
    transcript = Transcript.from_segments(
        [Segment(" ".join(SENTENCES), 0.5, at, tuple(words))], duration=len(samples) / RATE
    )
    return transcript, measure(samples, RATE)


def falling(top: float) -> np.ndarray:
    """A sentence's pitch falling from TOP to 100 Hz over 2 s."""
    return np.geomspace(top, 100, 2 * RATE)


def test_vocal_variety_fails_flat_and_passes_lively_delivery() -> None:
    flat = run("vocal_variety", *spoken([np.full(2 * RATE, 120.0)] * 4))
    lively = run("vocal_variety", *spoken([falling(180), falling(150), falling(200), falling(140)]))
    assert flat.status == "fail"
    assert "0.0 semitones" in flat.evidence and flat.tip
    assert lively.status == "pass"


def test_volume_fails_quiet_speech_and_sentences_that_trail_off() -> None:
    contours = [falling(160)] * 4
    assert run("volume", *spoken(contours)).status == "pass"
    quiet = run("volume", *spoken(contours, level=0.005))
    assert quiet.status == "fail" and "Speak up" in quiet.tip
    trailing = run("volume", *spoken(contours, fade_db=20))
    assert trailing.status == "fail"
    assert "4 of 4 sentences trailed off" in trailing.evidence
    assert '"in half" at 0:' in trailing.evidence or "in half" in trailing.evidence


def test_audio_checks_skip_typed_answers_and_missing_measurements() -> None:
    typed = Transcript.from_text(" ".join(SENTENCES))
    for check_id in ("vocal_variety", "volume", "steady_pace"):
        assert run(check_id, typed).status == "skipped"
    assert run("vocal_variety", timed(" ".join(SENTENCES))).status == "skipped"


def test_hedges_are_found_with_times_and_noun_phrases_are_not() -> None:
    text = (
        "I think I sort of led the project, and maybe we could talk. What kind of role is it? "
        "I think about data quality a lot, and I guess it probably went well."
    )
    said = [" ".join(t.norm for t in h) for h in find_hedges(tokens(Transcript.from_text(text)))]
    assert said == ["i think", "sort of", "maybe", "i guess", "probably"]
    result = run("hedging", timed(text))
    assert result.status == "fail"
    assert '"I think" at 0:00' in result.evidence and "5 hedges" in result.evidence


def test_hedging_on_typed_text_uses_the_typed_rate_and_plain_answers_pass() -> None:
    typed = run(
        "hedging", Transcript.from_text("Maybe I think I guess it sort of worked, probably.")
    )
    assert typed.status == "fail" and "typed answer" in typed.evidence
    assert run("hedging", Transcript.from_text(" ".join(SENTENCES))).status == "pass"


def test_repetition_names_the_phrase_and_its_times() -> None:
    text = (
        "At the end of the day we shipped. At the end of the day the data team was happy, "
        "and at the end of the day that is what matters to the data team."
    )
    result = run("repetition", timed(text))
    assert result.status == "fail"
    assert '"at the end of the day" 3 times (at 0:00, 0:0' in result.evidence
    assert "data team" not in result.evidence  # said twice: not again and again
    assert run("repetition", Transcript.from_text(text)).status == "fail"


def test_repetition_allows_the_name_number_and_common_words() -> None:
    text = (
        "Hi, this is Jordan Rivera. Jordan Rivera again, about the senior data analyst role, the "
        "senior data analyst role. My number is six one seven, five five five, zero one four two. "
        "Again: six one seven, five five five, zero one four two. Thanks, Jordan Rivera. "
        "And it was, and it was, and it was so."
    )
    assert run("repetition", timed(text)).status == "pass"


def test_steady_pace_flags_rushing_at_the_end_only() -> None:
    words = " ".join(["word"] * 60)
    even = timed(words, 150.0)
    rushed = timed(words, [140.0] * 40 + [220.0] * 20)
    slowing = timed(words, [160.0] * 40 + [120.0] * 20)
    assert run("steady_pace", even).status == "pass"
    result = run("steady_pace", rushed)
    assert result.status == "fail"
    assert "141 words/min until 0:15, then 202 words/min" in result.evidence
    assert run("steady_pace", slowing).status == "pass"
    assert run("steady_pace", timed("too short to rush at all here", 150.0)).status == "skipped"


def test_pace_curve_rises_where_the_answer_speeds_up() -> None:
    curve = pace_curve(timed(" ".join(["word"] * 80), [120.0] * 40 + [200.0] * 40))
    assert len(curve) >= 4
    assert curve[0].wpm == pytest.approx(120, rel=0.05)
    assert curve[-1].wpm == pytest.approx(200, rel=0.05)
    assert pace_curve(Transcript.from_text("typed words only")) == ()


def test_coaching_checks_are_general_and_scenarios_can_turn_them_off() -> None:
    for check_id in COACHING:
        assert check_id in GENERAL_CHECK_IDS and REGISTRY[check_id].general


def test_a_scenario_turns_coaching_checks_off_or_sets_their_bounds() -> None:
    from simulator.grading import grade_step
    from simulator.scenario import parse_scenario

    scenario = parse_scenario(
        """
id: coaching-off
title: Coaching off
kind: phone-screen
description: Delivery coaching partly off.
general_checks:
  vocal_variety: false
  hedging: {max_per_minute: 0}
steps:
  - prompt: Tell me about yourself.
    time_limit: 60
    checks: []
"""
    )
    transcript, prosody = spoken([np.full(2 * RATE, 120.0)] * 4)
    results = {r.id: r for r in grade_step(scenario, 0, transcript, JORDAN, prosody=prosody)}
    assert "vocal_variety" not in results
    assert {"volume", "hedging", "repetition", "steady_pace"} <= set(results)
    assert results["hedging"].status == "pass"  # no hedge at all meets even a bound of 0
    assert "limit 0/min" in results["hedging"].evidence
