"""The language checks on answer shapes the old phrase lists missed (issue 8's typical misses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio.transcript import Transcript
from simulator.checks import REGISTRY, CheckContext
from simulator.checks.language import key_stem
from simulator.profile import Profile


def status(check_id: str, text: str, **params: object) -> str:
    check = REGISTRY[check_id]
    ctx = CheckContext(Transcript.from_text(text), Profile())
    return check.func(ctx, check.params.model_validate(params)).status


# keywords: Snowball plus irregular pasts ----------------------------------------------------


@pytest.mark.parametrize(
    "said,term",
    [
        ("I wrote the onboarding guide.", "writing"),
        ("I made the release checklist.", "make"),
        ("I spoke at two conferences.", "public speaking"),
        ("I led the migration.", "leadership"),
        ("I built the reporting pipeline.", "build"),
    ],
)
def test_irregular_pasts_meet_their_verb(said: str, term: str) -> None:
    words = term.split()
    assert status("keywords", said, terms=[words[-1]]) == "pass"


@pytest.mark.parametrize(
    "a,b", [("policy", "police"), ("general", "generate"), ("mission", "missed")]
)
def test_unrelated_words_stay_apart(a: str, b: str) -> None:
    assert key_stem(a) != key_stem(b)
    assert status("keywords", f"I worked on {a} questions.", terms=[b]) == "fail"


# recovery_line -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Okay, do-over. I led the billing migration.",
        "Hmm, let me restructure that.",
        "Would it be okay if I started again with a different one?",
    ],
)
def test_more_reset_lines_count(text: str) -> None:
    assert status("recovery_line", text) == "pass"


def test_asking_to_hear_the_question_again_is_not_a_repair() -> None:
    assert status("recovery_line", "Sorry, can you repeat the question?") == "fail"


# no_profanity -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["The handover was half-assed.", "It was one hell of a week."])
def test_mild_swears_fail(text: str) -> None:
    assert status("no_profanity", text) == "fail"


# declines_personal_question -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Can you tell me why you asked?",
        "I have full flexibility to travel between sites as the role requires.",
    ],
)
def test_redirects_without_an_explicit_refusal_decline(text: str) -> None:
    assert status("declines_personal_question", text) == "pass"


# takes_responsibility -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I was late because your office sent me the wrong building number.",
        "Sorry, but the traffic was insane this morning.",
        "I was late because of the traffic.",
    ],
)
def test_excuses_do_not_take_responsibility(text: str) -> None:
    assert status("takes_responsibility", text) == "fail"


def test_an_outside_cause_then_owned_passes() -> None:
    text = "The train was late, but I should have left earlier."
    assert status("takes_responsibility", text) == "pass"


# star_structure -----------------------------------------------------------------------------


def test_a_result_without_a_marker_word_counts_after_the_action() -> None:
    text = (
        "At my last job a new hire kept showing up late. I sat down with him and we agreed on a "
        "check-in at eight. He started on time, and he asked for me by name the next time."
    )
    assert status("star_structure", text) == "pass"


def test_a_story_that_stops_at_the_action_still_fails() -> None:
    text = "At my last job a new hire kept showing up late. I sat down with him to talk about it."
    assert status("star_structure", text) == "fail"


# Probes: one answer per line, "check | expected | answer", written from PRODUCT.md's Checks table
# to cover phrasings the labelled sets do not (a regression table, not a measure).
PROBES = [
    tuple(line.split(" | ", 2))
    for line in (Path(__file__).parents[1] / "data" / "language_probes.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize("check_id,want,text", PROBES, ids=[f"{p[0]}:{p[2][:40]}" for p in PROBES])
def test_probe(check_id: str, want: str, text: str) -> None:
    assert status(check_id, text) == want
