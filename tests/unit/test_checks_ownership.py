"""owns_answer on answers to "what did you do, personally, not your team?"."""

from __future__ import annotations

import pytest

from audio.transcript import Segment, Transcript, Word
from simulator.checks import REGISTRY, CheckContext, CheckResult
from simulator.checks.base import NoParams
from simulator.checks.ownership import agents
from simulator.checks.text import tokens
from simulator.profile import Profile

PROMPT = "What did you actually do? You, personally, not your team."


def timed(text: str, start: float = 1.0, per_word: float = 0.4) -> Transcript:
    """TEXT spoken one word every PER_WORD seconds from START."""
    words = [
        Word(f" {w}", start + i * per_word, start + i * per_word + per_word * 0.8)
        for i, w in enumerate(text.split())
    ]
    segment = Segment(text, words[0].start, words[-1].end, tuple(words))
    return Transcript.from_segments([segment], words[-1].end + 1.0)


def run(answer: str | Transcript) -> CheckResult:
    transcript = answer if isinstance(answer, Transcript) else Transcript.from_text(answer)
    ctx = CheckContext(transcript=transcript, profile=Profile(), prompt=PROMPT)
    return REGISTRY["owns_answer"].func(ctx, NoParams())


# Answers a coach would accept: the speaker's own actions lead, the team has its place.
OWNED = [
    # The speaker's part of a team effort, in detail.
    "Sure. The migration had three workstreams, and I owned the data one. I wrote the plan for "
    "moving forty pipelines, I set up the parallel runs, and when the numbers didn't match I "
    "traced it to a timezone bug and fixed it. We went live two weeks early.",
    # A decision named as the speaker's, then what they did about it.
    "It was my call to cut the scope. I told the director we'd ship half the reports first, and I "
    "rebuilt the two slowest ones myself. The team handled testing.",
    # Leading people is still what the speaker did.
    "I led a team of five analysts. I set the priorities every Monday, I reviewed every model "
    "before it went out, and when a forecast slipped I sat down with the analyst and we fixed it "
    "together.",
    # As much "I" as "we": the team is there, but so is the speaker.
    "We had six weeks and a frozen budget. I proposed splitting the launch in two, and I wrote "
    "the migration scripts myself. We shipped the first half on time.",
    # Said the way Whisper writes speech: no commas, "um", a run-on.
    "um so basically I was the one who pushed for the new warehouse I ran the vendor evaluation "
    "and I personally wrote the business case that got it funded",
]

# Answers that hide behind the team, or name nobody at all.
NOT_OWNED = [
    # All "we" and "the team", and the one "I" is an opinion.
    "So last year we migrated the whole reporting stack to the cloud. The team did an amazing "
    "job, we hit every deadline. I was part of the steering group, and we met every week. "
    "Overall I think we delivered something really solid.",
    # One small "I" among the team's achievements.
    "We started by auditing every report we had. We found that a third of them were never opened. "
    "I helped with the testing. Then we rolled out the new dashboards, and our team trained about "
    "two hundred people.",
    # A story with no actor: the work just happened.
    "The project was delivered on time and under budget. It reduced reporting costs by twelve "
    "percent, and the dashboards are still used every day.",
    # "My team" doing everything, the speaker only feeling things about it.
    "Honestly my team was fantastic. My team built the pipeline and the whole group stayed late "
    "for weeks. I was really proud of them, and I think the result speaks for itself.",
]


@pytest.mark.parametrize("answer", OWNED, ids=[f"owned-{i}" for i in range(len(OWNED))])
def test_answers_that_say_what_you_did_pass(answer: str) -> None:
    result = run(answer)
    assert result.status == "pass", result.evidence
    assert "with you acting" in result.evidence


@pytest.mark.parametrize("answer", NOT_OWNED, ids=[f"team-{i}" for i in range(len(NOT_OWNED))])
def test_answers_that_speak_for_the_team_fail(answer: str) -> None:
    result = run(answer)
    assert result.status == "fail", result.evidence
    assert result.tip


def test_the_evidence_quotes_the_we_sentences_with_their_times() -> None:
    result = run(timed(NOT_OWNED[0]))
    assert result.status == "fail"
    assert '"So last year we migrated the whole reporting stack to the cloud" at 0:01' in (
        result.evidence
    )
    assert '"The team did an amazing job" at 0:05' in result.evidence
    # The we-sentences are marked in the transcript as misses.
    assert result.spans and all(s.kind == "miss" for s in result.spans)
    assert 'Say what you did yourself: "I decided' in result.tip


def test_a_story_with_nobody_in_it_says_so() -> None:
    result = run(NOT_OWNED[2])
    assert "nothing says what you did" in result.evidence
    assert "Put yourself in the sentence" in result.tip


def test_i_in_an_opinion_or_a_state_is_not_an_action() -> None:
    said = "I think we did well. I was nervous. I'm proud of it. I was responsible for the budget."
    assert [c.agent for c in agents(tokens(Transcript.from_text(said)))] == [
        "we",
        "none",
        "none",
        "i",
    ]


def test_the_speakers_own_share_named_as_a_noun_counts() -> None:
    said = (
        "My part was the data model. My decision to drop the vendor saved a month. Our team did QA."
    )
    assert [c.agent for c in agents(tokens(Transcript.from_text(said)))] == ["i", "i", "we"]


def test_a_new_subject_after_and_starts_a_new_clause() -> None:
    said = "I wrote the plan, and we executed it over three months."
    found = agents(tokens(Transcript.from_text(said)))
    assert [(c.agent, c.toks[0].norm) for c in found] == [("i", "i"), ("we", "we")]


def test_no_speech_is_skipped_and_the_check_is_advice() -> None:
    assert run("").status == "skipped"
    assert REGISTRY["owns_answer"].severity == "advice"
