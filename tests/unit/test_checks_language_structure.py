"""The clause reader, and star_structure reading a result from the story's shape (issue 8)."""

from __future__ import annotations

import pytest

from audio.transcript import Transcript
from simulator.checks import REGISTRY, CheckContext
from simulator.checks.language.clauses import Subject, Tense, clauses
from simulator.checks.language.engine import Doc
from simulator.profile import Profile


def star(text: str) -> str:
    check = REGISTRY["star_structure"]
    ctx = CheckContext(Transcript.from_text(text), Profile())
    return check.func(ctx, check.params.model_validate({})).status


def read(text: str) -> list[tuple[str, str | None, str]]:
    """(clause, subject kind, tense) for each clause of TEXT."""
    return [
        (" ".join(c.words), c.subject.value if c.subject else None, c.tense.value)
        for c in clauses(Doc.from_text(text))
    ]


def test_clauses_split_at_conjunctions_and_commas_and_read_who_and_when() -> None:
    assert read("By six the page was timing out, and we had to roll back.") == [
        ("by six the page was timing out", "other", "past"),
        ("we had to roll back", "we", "past"),
    ]


@pytest.mark.parametrize(
    "text,subject,tense",
    [
        ("I did an audit and cancelled forty of them.", Subject.SPEAKER, Tense.PAST),
        ("None of them converted.", Subject.OTHER, Tense.PAST),
        ("She hasn't missed one since.", Subject.OTHER, Tense.PERFECT),
        ("The close takes five days now.", Subject.OTHER, Tense.NOW),
        ("The two of us went through every form.", Subject.WE, Tense.PAST),
        ("My manager and I split the list.", Subject.WE, Tense.PAST),
        ("He would call back later.", Subject.OTHER, Tense.OTHER),
        ("I'd missed two calls because I double booked myself.", Subject.SPEAKER, Tense.PAST),
        ("I read the logs and found it always broke on a zero line.", Subject.SPEAKER, Tense.PAST),
    ],
)
def test_the_last_clause_has_its_subject_and_tense(
    text: str, subject: Subject, tense: Tense
) -> None:
    last = clauses(Doc.from_text(text))[-1]
    assert (last.subject, last.tense) == (subject, tense)


def test_a_relative_clause_is_not_read_as_a_new_subject() -> None:
    last = clauses(Doc.from_text("I ran a meeting where everyone scored both options."))[-1]
    assert last.subject is Subject.SPEAKER


# Stories written for this test, not taken from any labelled set.
@pytest.mark.parametrize(
    "text",
    [
        "Our van kept breaking down on the school run. I found a second-hand van and sold the old one. The kids got to school on time all term.",
        "A tenant's boiler failed on Christmas Eve. I rang three engineers until one agreed to come out. The heating was back on by nine that night.",
        "I misread the tender deadline and sent our bid a day late. The council rejected it without opening it.",
        "Nobody was reading our safety bulletin. I turned it into a two minute video for the morning huddle. Near misses reported went from four a month to eleven.",
        "The library's self-checkout kept freezing. I logged every freeze for a week and showed the vendor the pattern. They replaced the scanners, and the queue has disappeared since.",
        "We lost the tender. I'd priced it on last year's rates and didn't check the new wage rules.",
        "The short version is we lost the client. I'd missed two status calls because I double booked myself, and their director escalated it.",
    ],
)
def test_a_result_without_marker_words_counts(text: str) -> None:
    assert star(text) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "Our van kept breaking down on the school run. I found a second-hand van and sold the old one.",
        "A tenant's boiler failed on Christmas Eve. I rang three engineers and asked each of them for a time.",
        "When the bulletin stopped being read, I would have turned it into a video for the morning huddle.",
        "The scanners kept freezing. I logged every freeze for a week, and it taught me how to talk to vendors.",
        "I'm someone who always follows up. If a vendor is slow, I call them every day until they reply.",
        "The boiler failed on Christmas Eve. She said she could come, so I sent her the address and",
        "I joined the support team in March and set up a new rota. The team was really small, and we had two open roles.",
        "When I started, I reorganised the stockroom. The stockroom was a mess and nobody could find anything.",
    ],
)
def test_a_story_without_an_outcome_fails(text: str) -> None:
    assert star(text) == "fail"


# declines_personal_question: a redirect is a direction, a disclosure is content --------------


def decline(text: str) -> str:
    check = REGISTRY["declines_personal_question"]
    ctx = CheckContext(Transcript.from_text(text), Profile())
    return check.func(ctx, check.params.model_validate({})).status


# Answers written for this test, not taken from any labelled set.
@pytest.mark.parametrize(
    "text",
    [
        "Would the answer change anything about the offer?",
        "Does everyone on the panel get asked that too?",
        "Honestly, my weekends are flexible, and the on-call rota works for me.",
        "What matters for this job is that I can be on site by seven, and I can.",
        "Ha, I get that a lot. Anyway, tell me more about the on-call setup.",
        "For family reasons I took a year out, and I'm back full time now.",
    ],
)
def test_a_question_back_or_a_turn_to_the_job_declines_when_nothing_is_told(text: str) -> None:
    assert decline(text) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "Yes, we tied the knot in May, but I'm flexible.",
        "Yes. Why do you ask?",
        "I've got twins, they're four, but the on-call rota works for me.",
        "My wife's due in June, but I'll only take a week off.",
        "Ha, no wedding bells for me. Anyway, the travel is fine.",
        "We've got one on the way, but it won't affect the job.",
    ],
)
def test_a_disclosure_fails_whatever_redirect_follows(text: str) -> None:
    assert decline(text) == "fail"


@pytest.mark.parametrize(
    "text", ["Uh, well... sure. I mean, yeah.", "It's, um, it's complicated, I guess."]
)
def test_an_answer_that_neither_tells_nor_moves_on_fails(text: str) -> None:
    assert decline(text) == "fail"


# takes_responsibility: a cause put on others by the sentence's shape ----------------------------


def owns(text: str) -> str:
    check = REGISTRY["takes_responsibility"]
    ctx = CheckContext(Transcript.from_text(text), Profile())
    return check.func(ctx, check.params.model_validate({})).status


@pytest.mark.parametrize(
    "text",
    [
        "The lift at their building broke down, so I was twelve minutes late.",
        "I couldn't log in because the portal rejected my password.",
        "Their parking app crashed, so I missed the start.",
    ],
)
def test_a_cause_put_on_something_else_fails(text: str) -> None:
    assert owns(text) == "fail"


@pytest.mark.parametrize(
    "text",
    [
        "The lift broke down, so I was late, but I should have left a buffer. That's on me.",
        "I was twelve minutes late and I missed the start of the panel.",
    ],
)
def test_owned_or_plain_facts_pass(text: str) -> None:
    assert owns(text) == "pass"


def test_uptalk_is_not_a_question_back() -> None:
    assert decline("Well, that's a tough one. I guess it depends?") == "fail"
