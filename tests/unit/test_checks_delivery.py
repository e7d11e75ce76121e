"""Delivery checks on timed transcripts built from word lists, and their typed-answer behaviour."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from audio.transcript import Segment, Transcript, Word
from simulator.checks import REGISTRY, CheckContext, CheckResult
from simulator.checks.delivery import WHISPER_NOTE, find_fillers
from simulator.checks.text import spoken_word_count, spoken_words, tokens
from simulator.profile import Profile


def speak(
    text: str,
    *,
    start: float = 0.5,
    wpm: float = 150.0,
    pauses: dict[int, float] | None = None,
) -> Transcript:
    """A timed transcript of TEXT at a steady rate; PAUSES adds silence before word N."""
    per_word = 60.0 / wpm
    words: list[Word] = []
    at = start
    for i, raw in enumerate(text.split()):
        at += (pauses or {}).get(i, 0.0)
        words.append(Word(raw, round(at, 3), round(at + per_word * 0.8, 3)))
        at += per_word
    end = words[-1].end + 0.5 if words else start
    segment = Segment(text, words[0].start if words else 0.0, end, tuple(words))
    return Transcript.from_segments([segment], duration=end + 0.5)


def run(
    check_id: str, transcript: Transcript, time_limit: float | None = None, **params: Any
) -> CheckResult:
    check = REGISTRY[check_id]
    ctx = CheckContext(transcript, Profile(), time_limit=time_limit)
    return check.func(ctx, check.params.model_validate(params))


def words(n: int) -> str:
    """N distinct one-word tokens without digits ("word12" would be said as two words)."""
    return " ".join("word" + "".join(chr(ord("a") + int(d)) for d in str(i)) for i in range(n))


def test_delivery_checks_are_registered_with_labels_and_general_flags() -> None:
    assert REGISTRY["within_time"].label == "Within the time limit"
    assert not REGISTRY["within_time"].general
    for check_id, label in [
        ("filler_rate", "Few filler words"),
        ("pace", "Comfortable pace"),
        ("long_pauses", "No long pauses"),
        ("first_word_latency", "Started promptly"),
    ]:
        assert REGISTRY[check_id].label == label
        assert REGISTRY[check_id].general


# within_time ------------------------------------------------------------------------------------


def test_within_time_passes_under_the_step_limit() -> None:
    result = run("within_time", speak(words(100), wpm=150), time_limit=45)  # ~40 s of speech
    assert result.status == "pass"
    assert result.evidence == "spoke for 0:39 of 0:45"


def test_within_time_fails_over_the_limit_with_both_durations() -> None:
    result = run("within_time", speak(words(130), wpm=150), time_limit=45)  # ~52 s
    assert result.status == "fail"
    assert result.evidence == "spoke for 0:51 of 0:45"
    assert result.tip


def test_within_time_param_overrides_the_step_limit() -> None:
    transcript = speak(words(100), wpm=150)
    assert run("within_time", transcript, time_limit=45, max_seconds=30).status == "fail"
    assert run("within_time", transcript, time_limit=20, max_seconds=60).status == "pass"


def test_within_time_shows_decimals_when_minutes_and_seconds_would_hide_the_overrun() -> None:
    # 45.4 s and 45 s both print as 0:45.
    transcript = Transcript.from_segments(
        [
            Segment(
                "a b c d e f",
                0.0,
                45.4,
                tuple(Word(w, i * 9.0, i * 9.0 + 0.4) for i, w in enumerate("a b c d e f".split())),
            )
        ],
        duration=46.0,
    )
    result = run("within_time", transcript, time_limit=45)
    assert result.status == "fail"
    assert result.evidence == "spoke for 0:45 (45.4 s) of 0:45 (45 s)"


def test_within_time_fails_absurdly_short_answers() -> None:
    few = run("within_time", speak("Hi it's Jordan", wpm=150), time_limit=45)
    assert few.status == "fail"
    assert few.evidence.startswith("only 3 words")
    quick = run("within_time", speak(words(6), wpm=400), time_limit=45)  # under 1 s
    assert quick.status == "fail"
    assert quick.evidence == "spoke for only 0.9 s (6 words; at least 3.0 s expected)"
    assert run("within_time", speak(words(30)), time_limit=45, min_seconds=20).status == "fail"


def test_within_time_with_no_limit_passes_and_says_so() -> None:
    result = run("within_time", speak(words(40)))
    assert result.status == "pass"
    assert "(no limit set)" in result.evidence


def test_within_time_on_a_typed_answer_skips_unless_text_alone_decides() -> None:
    typed = run("within_time", Transcript.from_text(words(150)), time_limit=45)
    assert typed.status == "skipped"
    assert "1:00" in typed.evidence  # 150 words at 150 words/min
    assert run("within_time", Transcript.from_text("Yes."), time_limit=45).status == "fail"
    empty = run("within_time", Transcript.from_text(""), time_limit=45)
    assert (empty.status, empty.evidence) == ("fail", "nothing was said")


# filler_rate ------------------------------------------------------------------------------------


def fillers_in(text: str) -> list[str]:
    return [f.said for f in find_fillers(tokens(Transcript.from_text(text)))]


def test_hesitation_sounds_count_everywhere() -> None:
    assert fillers_in("Um, I think, uh, the answer is erm complicated. Hmm.") == [
        "um",
        "uh",
        "erm",
        "hmm",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I would like to lead the team.", []),
        ("I'd like to talk about Python.", []),
        ("I like working with people.", []),
        ("It looks like a good fit.", []),
        ("We used tools like Python and SQL.", []),
        ("It took, like, three weeks.", ["like"]),
        ("It was, like, the whole team.", ["like"]),
        ("Like, I don't know.", ["like"]),
        ("And then um like we shipped it.", ["um", "like"]),
        ("I was, you know, nervous.", ["you know"]),
        ("And you know we had no budget.", ["you know"]),
        ("Do you know the answer?", []),
        ("As you know, the role is new.", []),
        ("I think you know the drill.", []),
        ("It was hard, you know what I mean?", ["you know what i mean"]),
        ("I mean, it went fine.", ["i mean"]),
        ("That's not what I mean at all.", []),
        ("It was sort of a mess and kind of late.", []),
        ("I basically actually literally ran it.", []),
        ("I worked in the ER for two years.", []),
    ],
)
def test_filler_words_in_context(text: str, expected: list[str]) -> None:
    assert fillers_in(text) == expected


def test_filler_rate_lists_fillers_with_times_and_marks_spans() -> None:
    text = "Um so I led the uh migration and you know, it um went well " + words(40)
    transcript = speak(text, start=0.0, wpm=120)
    result = run("filler_rate", transcript, max_per_minute=4)
    # 4 fillers in about 26 s: rate uses at least 30 s of speech, so 8/min.
    assert result.status == "fail"
    assert '"Um" at 0:00' in result.evidence
    assert '"you know" at 0:04' in result.evidence
    assert "8.0/min" in result.evidence
    assert [s.kind for s in result.spans] == ["filler"] * 4
    you_know = result.spans[2]
    assert [w.text for w in transcript.words[you_know.first_word : you_know.last_word + 1]] == [
        "you",
        "know,",
    ]
    assert '"uh"' in result.tip or '"um"' in result.tip.lower()
    assert WHISPER_NOTE not in result.evidence


def test_filler_rate_passes_under_the_bound() -> None:
    transcript = speak("Uh " + words(150), wpm=150)  # 1 filler in about a minute
    result = run("filler_rate", transcript)
    assert result.status == "pass"
    assert result.evidence.startswith("1 filler in 1:00 of speech: 1.0/min, limit 4/min")


def test_filler_rate_warns_that_whisper_drops_um_and_uh() -> None:
    result = run("filler_rate", speak(words(60)))
    assert result.status == "pass"
    assert result.evidence.startswith("0 fillers")
    assert WHISPER_NOTE in result.evidence
    with_like = run("filler_rate", speak("It took, like, ages " + words(60)))
    assert WHISPER_NOTE in with_like.evidence


def test_filler_rate_on_typed_text_estimates_minutes_and_says_so() -> None:
    text = "Um, uh, erm, hmm, um, " + words(70)  # 75 words: half a minute at 150 wpm
    result = run("filler_rate", Transcript.from_text(text))
    assert result.status == "fail"
    assert "typed answer, timed at 150 words/min" in result.evidence
    assert "10.0/min" in result.evidence
    assert WHISPER_NOTE not in result.evidence
    assert run("filler_rate", Transcript.from_text("")).status == "skipped"


# pace -------------------------------------------------------------------------------------------


def test_pace_in_range_passes() -> None:
    result = run("pace", speak(words(60), wpm=140))
    assert result.status == "pass"
    assert result.evidence.startswith("14")  # about 140 words/min (word ends trim a little time)


def test_pace_too_fast_and_too_slow_fail_with_tips() -> None:
    fast = run("pace", speak(words(60), wpm=220))
    assert fast.status == "fail" and "Slow down" in fast.tip
    slow = run("pace", speak(words(60), wpm=80))
    assert slow.status == "fail" and "pace" in slow.tip


def test_pace_leaves_long_pauses_out_of_speech_time() -> None:
    # 40 words at 150 wpm take 16 s; 14 s of silence would drag the whole-span rate to ~80.
    result = run("pace", speak(words(40), wpm=150, pauses={10: 8.0, 25: 6.0}))
    assert result.status == "pass"
    assert "14.2 s of long pauses left out" in result.evidence
    assert 145 <= int(result.evidence.split()[0]) <= 160
    # Pauses up to 2.5 s are part of speaking, so they slow the measured pace.
    short_pauses = run("pace", speak(words(40), wpm=150, pauses={i: 2.0 for i in range(5, 40, 5)}))
    assert "left out" not in short_pauses.evidence
    assert int(short_pauses.evidence.split()[0]) < 110
    assert short_pauses.status == "fail"


def test_pace_param_override_and_validation() -> None:
    assert run("pace", speak(words(60), wpm=180), max_wpm=200).status == "pass"
    with pytest.raises(ValidationError):
        REGISTRY["pace"].params.model_validate({"min_wpm": 180, "max_wpm": 120})
    with pytest.raises(ValidationError):
        REGISTRY["pace"].params.model_validate({"max_wpn": 120})


def test_pace_skips_typed_answers_and_tiny_answers() -> None:
    assert run("pace", Transcript.from_text(words(60))).status == "skipped"
    tiny = run("pace", speak("Yes I can"))
    assert tiny.status == "skipped" and "too few words" in tiny.evidence


# long_pauses ------------------------------------------------------------------------------------


def test_long_pause_is_listed_with_its_time_and_span() -> None:
    transcript = speak("I led the team and then we shipped it on time", pauses={5: 3.5})
    result = run("long_pauses", transcript)
    assert result.status == "fail"
    assert result.evidence.startswith("1 pause over 2.5 s:")
    assert 'after "then"' not in result.evidence
    assert 'after "and"' in result.evidence
    assert "3.6 s at 0:02" in result.evidence
    (pause,) = result.spans
    assert (pause.kind, pause.first_word, pause.last_word) == ("pause", 4, 5)


def test_short_pauses_pass_and_bound_is_a_parameter() -> None:
    transcript = speak("I led the team and then we shipped it on time", pauses={5: 2.0})
    result = run("long_pauses", transcript)
    assert result.status == "pass"
    assert result.evidence == "longest pause 2.1 s (limit 2.5 s)"
    assert run("long_pauses", transcript, max_seconds=1.5).status == "fail"


def test_long_pauses_skips_typed_and_silent_answers() -> None:
    assert run("long_pauses", Transcript.from_text("a b c")).status == "skipped"
    assert run("long_pauses", speak("")).status == "skipped"
    assert run("long_pauses", speak("Hello")).status == "pass"


# first_word_latency -----------------------------------------------------------------------------


def test_prompt_start_passes_and_late_start_fails() -> None:
    prompt = run("first_word_latency", speak("Hi this is Jordan", start=1.2))
    assert prompt.status == "pass"
    assert prompt.evidence == 'first word "Hi" at 1.2 s (limit 3.0 s)'
    late = run("first_word_latency", speak("Hi this is Jordan", start=4.4))
    assert late.status == "fail"
    assert late.spans[0].kind == "miss"
    assert run("first_word_latency", speak("Hi", start=4.4), max_seconds=5).status == "pass"


def test_first_word_latency_skips_without_timings_or_speech() -> None:
    assert run("first_word_latency", Transcript.from_text("Hi")).status == "skipped"
    silent = run("first_word_latency", speak(""))
    assert (silent.status, silent.evidence) == ("skipped", "no speech heard")


# spoken words and the speech map ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("617-555-0142", 10),  # "six one seven five five five zero one four two"
        ("(617)", 3),
        ("555-0142.", 7),
        ("5-5-0-1-4-2", 6),
        ("6175550142", 10),
        ("4,000", 2),  # "four thousand"
        ("1,250,000", 6),  # "one million two hundred fifty thousand"
        ("142", 4),  # "one hundred forty two"
        ("2019", 2),  # "twenty nineteen"
        ("1.5", 3),  # "one point five"
        ("$40,000", 3),  # "forty thousand dollars"
        ("40%", 2),
        ("R-I-V-E-R-A", 6),
        ("self-service", 1),
        ("Rivera,", 1),
        ("jordan.rivera@example.com", 7),  # "jordan dot rivera at example dot com"
        ("...", 0),
    ],
)
def test_spoken_words_counts_what_is_said(written: str, said: int) -> None:
    assert spoken_words(written) == said


def test_digit_groups_written_apart_are_one_number_said_digit_by_digit() -> None:
    toks = tokens(Transcript.from_text("call 617 555 0142 or 2 friends"))
    assert spoken_word_count(toks) == 1 + 10 + 1 + 1 + 1


def test_a_number_said_slowly_is_ten_words_of_pace() -> None:
    # "six one seven, five five five, zero one four two" takes about 4 s at 145 words/min; as
    # three written tokens it read as 101 words/min and failed.
    text = "Hi this is Jordan Rivera you can reach me at"
    words_ = [Word(w, 0.5 + i * 0.4, 0.5 + i * 0.4 + 0.35) for i, w in enumerate(text.split())]
    at = words_[-1].end + 0.1
    for number in ("617-", "555-", "0142."):
        words_.append(Word(number, round(at, 3), round(at + 1.2, 3)))
        at += 1.35
    transcript = Transcript.from_segments(
        [Segment(text, words_[0].start, words_[-1].end, tuple(words_))], duration=at + 0.5
    )
    result = run("pace", transcript)
    assert result.status == "pass", result.evidence
    assert "20 words spoken" in result.evidence


def _with_speech(transcript: Transcript, speech: tuple[tuple[float, float], ...]) -> Transcript:
    return Transcript(
        transcript.text, transcript.words, True, transcript.duration, transcript.segments, speech
    )


def test_pauses_and_latency_come_from_the_speech_map_not_the_word_times() -> None:
    # Whisper stretched the words: the first starts 0.4 s before the speech and the gap between
    # "and" and "then" reads 2.2 s. The audio says: speech from 3.2 s, a 2.6 s pause at 5.0 s.
    said = "I led the team and then we shipped it on time"
    loose = speak(said, start=2.8, wpm=150, pauses={5: 1.8})
    and_end, then_start = loose.words[4].end, loose.words[5].start
    speech = ((3.2, and_end - 0.3), (and_end - 0.3 + 2.6, loose.words[-1].end))
    assert then_start - and_end < 2.5 < 2.6  # the word times alone would pass this pause
    mapped = _with_speech(loose, speech)
    pause = run("long_pauses", mapped)
    assert pause.status == "fail" and "2.6 s" in pause.evidence and 'after "and"' in pause.evidence
    (span,) = pause.spans
    assert (span.first_word, span.last_word) == (4, 5)
    assert run("long_pauses", loose).status == "pass"  # what the word times alone gave
    late = run("first_word_latency", mapped)
    assert late.status == "fail" and "at 3.2 s" in late.evidence
    assert run("first_word_latency", loose).status == "pass"


def test_speech_away_from_the_words_is_not_the_answer() -> None:
    # A cough at 0.3 s and a door at the end are in the speech map but no word is near them.
    transcript = speak("I led the team and then we shipped it on time", start=2.0)
    last_end = transcript.words[-1].end
    speech = ((0.3, 0.5), (2.0, last_end), (last_end + 3.0, last_end + 3.2))
    mapped = _with_speech(transcript, speech)
    assert "at 2.0 s" in run("first_word_latency", mapped).evidence
    assert run("long_pauses", mapped).status == "pass"
