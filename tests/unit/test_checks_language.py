"""Language checks: phrase families, the tricky negatives, and agreement with a labelled set."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from audio.transcript import Segment, Transcript, Word
from simulator.checks import REGISTRY, CheckContext, CheckResult
from simulator.checks.language import Doc, expand, key_stem, rx
from simulator.checks.text import tokens
from simulator.profile import Profile

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "eval_language.yaml"


def timed(text: str, start: float = 1.0, per_word: float = 0.4) -> Transcript:
    """TEXT as a timed transcript, one word every PER_WORD seconds from START."""
    words = tuple(
        Word(w, round(start + i * per_word, 3), round(start + i * per_word + 0.3, 3))
        for i, w in enumerate(text.split())
    )
    return Transcript.from_segments([Segment(text, start, words[-1].end, words)], words[-1].end)


def run(check_id: str, text: str | Transcript, prompt: str = "", **params: Any) -> CheckResult:
    transcript = Transcript.from_text(text) if isinstance(text, str) else text
    check = REGISTRY[check_id]
    ctx = CheckContext(transcript, Profile(), prompt=prompt)
    return check.func(ctx, check.params.model_validate(params))


def status(check_id: str, text: str, **params: Any) -> str:
    return run(check_id, text, **params).status


def test_language_checks_are_registered() -> None:
    labels = {
        "no_profanity": "No profanity",
        "recovery_line": "Recovery line used",
        "declines_personal_question": "Personal question declined",
        "takes_responsibility": "Takes responsibility",
        "keywords": "Key terms covered",
        "star_structure": "STAR story: situation, action, result",
        "names_lesson": "Concrete lesson named",
    }
    for check_id, label in labels.items():
        assert REGISTRY[check_id].label == label
    assert REGISTRY["no_profanity"].general
    assert not any(REGISTRY[c].general for c in labels if c != "no_profanity")


# The phrase matcher -----------------------------------------------------------------------------


def test_contractions_are_spelled_out() -> None:
    assert expand("i'm") == "i am"
    assert expand("didn't") == "did not"
    assert expand("won't") == "will not"
    assert expand("should've") == "should have"
    assert expand("that's") == "that is"
    assert expand("recruiter's") == "recruiter's"  # possessive, not "is"
    assert expand("let's") == "let us"
    assert expand("dont") == "do not"


def test_phrases_do_not_cross_sentences_and_map_back_to_words() -> None:
    transcript = timed("It was my fault. Start again? No, let me start again.")
    doc = Doc(tokens(transcript))
    assert doc.text == "it was my fault . start again . no let me start again ."
    assert doc.find(rx("fault start")) == []
    (hit,) = doc.find(rx("let me start again"))
    assert [t.text for t in hit.toks] == ["let", "me", "start", "again."]
    assert hit.toks[0].index == 7
    assert hit.toks[0].start == pytest.approx(1.0 + 7 * 0.4)


def test_abbreviations_do_not_end_sentences() -> None:
    doc = Doc(tokens(Transcript.from_text("I met Dr. Patel in the U.S. office.")))
    assert doc.text == "i met dr patel in the u.s office ."


# no_profanity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "That was total bullshit.",
        "I was so fucking nervous.",
        "The client got pissed off.",
        "What the hell happened there?",
        "Hell no, I wouldn't do that again.",
        "Damn, good question.",
        "It was a crappy week.",
        "He was an asshole to everyone.",
        "This is f***ing ridiculous, she said.",
        "It was a total clusterf***.",
        "My boss was kind of a dick.",
        "The project was a shit-show.",
        "It was one hell of a week.",
        "Honestly the handover was half-assed.",
    ],
)
def test_swear_words_fail(text: str) -> None:
    assert status("no_profanity", text) == "fail"


@pytest.mark.parametrize(
    "text",
    [
        "I took a class on data analytics and passed the assessment.",
        "I grew up in Scunthorpe and worked in Middlesex.",
        "We designed a cocktail menu and a shitake risotto.",
        "Hello, I'm calling about the assistant role.",
        "I assume you've read Dickens. I reported to Dick Thompson.",
        "I have a real passion for grassroots work with Hancock and Associates.",
        "We had to scrap the shell scripts.",
        "I used *bold* markers in the doc.",
        "Oh my God, yes, screw it, we shipped.",
    ],
)
def test_words_that_contain_swear_words_pass(text: str) -> None:
    assert status("no_profanity", text) == "pass"


def test_profanity_evidence_has_times_and_miss_spans() -> None:
    transcript = timed("Honestly the last place was a shitshow from day one")
    result = run("no_profanity", transcript)
    assert result.status == "fail"
    assert result.evidence == '1 swear word: "shitshow" at 0:03'
    (marked,) = result.spans
    assert (marked.first_word, marked.last_word, marked.kind) == (6, 6, "miss")
    assert result.tip


# recovery_line ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sorry. Can we start again?",
        "Could we start over?",
        "I think we got off on the wrong foot.",
        "Let me try that again.",
        "Could I take another run at that?",
        "Let me rephrase.",
        "I'd like to start over, if that's okay.",
        "Can I have a do-over?",
        "Let me back up.",
        "I don't think I answered that well.",
        "Sorry, that came out wrong.",
        "Let me try again.",
        "Allow me to restart.",
        "Scratch that, it was 2021.",
        "Can we hit reset?",
        "I'd like another shot at the conflict question.",
        "Let me take a breath and try that again.",
        "Let me put it another way.",
    ],
)
def test_recovery_lines_pass(text: str) -> None:
    assert status("recovery_line", text) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "We started again on the project after the client changed the scope.",
        "I had to start over at a new school when I was 15.",
        "The project got off on the right foot.",
        "My manager and I got off on the wrong foot when I joined.",
        "Let me start by saying I admire your mission.",
        "Let me start from the beginning. I grew up in Ohio.",
        "We had to restart the servers twice.",
        "I'm sorry you feel that way, but I stand by my answer.",
    ],
)
def test_stories_and_non_repairs_fail_recovery(text: str) -> None:
    result = run("recovery_line", text)
    assert result.status == "fail"
    assert result.evidence == "no reset or repair line heard"
    assert "wrong foot" in result.tip


def test_recovery_evidence_quotes_the_line_with_its_time() -> None:
    result = run("recovery_line", timed("Okay. Sorry, can we start again? I rambled."))
    assert result.status == "pass"
    assert result.evidence == 'recovery line: "can we start again" at 0:01'
    assert result.spans[0].first_word == 2


# declines_personal_question ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'd prefer to keep my personal life separate; what I can tell you is I'm fully committed "
        "to this role.",
        "I don't think that's relevant to my ability to do the job.",
        "I'd rather focus on my qualifications.",
        "Whether I have kids isn't something I discuss at work.",
        "I'm not married to a nine-to-five, and I keep my personal life out of interviews.",
        "I'm able to perform the essential functions of the role.",
    ],
)
def test_declining_passes(text: str) -> None:
    assert status("declines_personal_question", text) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "Yes, I'm married.",
        "We're planning to have kids next year.",
        "I'm 52.",
        "I'm Catholic.",
        "No, I'm single.",
        "I'm not married, but I'd rather focus on the role.",
        "Yes, but I'd prefer to keep my personal life separate.",
        "No. Next question?",
        "My husband works nights, but I'd rather not get into it.",
        "I have type 2 diabetes, but it won't affect my work.",
        "I was born in Lagos.",
    ],
)
def test_disclosing_fails_even_with_a_redirect(text: str) -> None:
    result = run("declines_personal_question", text)
    assert result.status == "fail"
    assert result.evidence.startswith("disclosed:")
    assert all(s.kind == "miss" for s in result.spans)


def test_neither_declining_nor_redirecting_fails() -> None:
    result = run("declines_personal_question", "Uh, well... sure. I mean, yeah. Sure.")
    assert result.status == "fail"
    assert result.evidence == "neither declined nor redirected the question"


def test_one_hundred_percent_is_not_an_age() -> None:
    text = "I'm 100% committed to this role and I'd rather keep the focus there."
    assert status("declines_personal_question", text) == "pass"


# takes_responsibility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I was late, that's on me.",
        "I take full responsibility.",
        "I should have prepared better.",
        "My mistake, I mixed up the time zones.",
        "I own that.",
        "I dropped the ball on the presentation.",
        "The technical round ran long and I struggled with the statistics part.",
        "The interviewer was curt, but I should have kept my answers tighter.",
        "Nobody told me about the whiteboard, but I should have asked.",
        "I'm not going to blame the traffic. I should've left earlier.",
        "It's nobody's fault but mine.",
    ],
)
def test_owning_it_or_stating_facts_passes(text: str) -> None:
    assert status("takes_responsibility", text) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "The interviewer was rude.",
        "It was the recruiter's fault.",
        "Traffic made me late and it wasn't my fault.",
        "They didn't tell me it was technical.",
        "I take responsibility for being late, but it wasn't my fault.",
        "Sure, it's all my fault, obviously.",
        "I should have been told it was a panel.",
        "I was late, there was nothing I could do about it.",
        "I think it went fine.",
    ],
)
def test_blaming_or_saying_nothing_fails(text: str) -> None:
    assert status("takes_responsibility", text) == "fail"


def test_blame_evidence_names_the_blame() -> None:
    result = run("takes_responsibility", "Honestly it was the recruiter's fault.")
    assert result.evidence == 'blame: "the recruiter\'s fault"'
    assert result.spans[0].kind == "miss"


# keywords ---------------------------------------------------------------------------------------


def test_key_stems_make_inflections_and_derivations_meet() -> None:
    assert key_stem("management") == key_stem("managed") == key_stem("managing")
    assert key_stem("leadership") == key_stem("led") == key_stem("leader")
    assert key_stem("negotiation") == key_stem("negotiated")
    assert key_stem("dashboards") == key_stem("dashboard")
    assert key_stem("statistics") == key_stem("statistical")
    assert key_stem("mission") != key_stem("missed")
    assert key_stem("customers") == key_stem("customer")


def test_keywords_all_any_and_min_count() -> None:
    text = "I write SQL daily and build dashboards for stakeholders."
    terms = ["SQL", "dashboard", "stakeholder management"]
    all_terms = run("keywords", text, terms=terms)
    assert all_terms.status == "fail"
    assert all_terms.evidence == (
        '2 of 3 terms (need 3); found "SQL", "dashboards"; missing "stakeholder management"'
    )
    assert '"stakeholder management"' in all_terms.tip
    assert status("keywords", text, terms=terms, mode="any") == "pass"
    assert status("keywords", text, terms=terms, min_count=2) == "pass"
    assert status("keywords", text, terms=terms, mode="any", min_count=3) == "fail"


def test_multi_word_terms_match_in_order_or_close_together() -> None:
    assert status("keywords", "I did project management.", terms=["project management"]) == "pass"
    assert status("keywords", "I managed projects.", terms=["project management"]) == "pass"
    assert status("keywords", "I set up CI-CD.", terms=["CI/CD"]) == "pass"
    assert (
        status("keywords", "I learned a lot about machines.", terms=["machine learning"]) == "fail"
    )
    assert (
        status("keywords", "I managed the budget. Projects came later.", terms=["project manager"])
        == "fail"
    )


def test_symbol_terms_compare_what_was_written() -> None:
    assert status("keywords", "I write C++ for embedded devices.", terms=["C++"]) == "pass"
    assert status("keywords", "I write C and Python.", terms=["C++"]) == "fail"


def test_keyword_spans_point_at_the_terms() -> None:
    result = run("keywords", timed("We ran payroll and scheduling"), terms=["payroll", "schedule"])
    assert result.status == "pass"
    assert [(s.first_word, s.last_word) for s in result.spans] == [(2, 2), (4, 4)]
    assert '"payroll" at 0:01' in result.evidence


def test_keyword_params_are_validated() -> None:
    params = REGISTRY["keywords"].params
    bad_params: list[dict[str, Any]] = [
        {"terms": []},
        {"terms": ["  "]},
        {"terms": ["a"], "min_count": 2},
        {"terms": ["a"], "mode": "most"},
        {"terms": ["a"], "extra": 1},
    ]
    for bad in bad_params:
        with pytest.raises(ValidationError):
            params.model_validate(bad)


# star_structure ---------------------------------------------------------------------------------


def test_full_star_story_passes_and_names_each_part() -> None:
    text = (
        "At my last job we had a problem with late shipments. I decided to reorganize the "
        "warehouse. As a result, late shipments dropped by 40%."
    )
    result = run("star_structure", text)
    assert result.status == "pass"
    assert result.evidence == (
        'situation: "At my last job"; action: "I decided"; result: "As a result"'
    )


def test_missing_parts_fail_with_a_tip_for_the_first_missing_one() -> None:
    no_result = run(
        "star_structure",
        "When I was at Acme the team kept missing deadlines. I set up a shared board.",
    )
    assert no_result.status == "fail"
    assert no_result.evidence.endswith("result: none heard")
    assert "result" in no_result.tip
    no_situation = run("star_structure", "I built a dashboard and it cut reporting time by 30%.")
    assert no_situation.status == "fail"
    assert "situation: none heard" in no_situation.evidence
    assert "situation" in no_situation.tip
    assert status("star_structure", "I'm a great problem solver and I love challenges.") == "fail"


# names_lesson -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Next time I will prepare two examples for each competency.",
        "From now on I'll research the team.",
        "Going forward I'm going to practise my answers out loud.",
        "I've booked a mock interview with a friend for Thursday.",
        "Prep a one-minute version of my intro.",
    ],
)
def test_concrete_lessons_pass(text: str) -> None:
    assert status("names_lesson", text) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "I'll do better.",
        "I learned a lot.",
        "I'll try harder.",
        "Next time I'll be more prepared.",
        "I need to work on my confidence.",
        "I'm going to prepare better for interviews in the future.",
        "Practice makes perfect.",
    ],
)
def test_vague_lessons_fail(text: str) -> None:
    result = run("names_lesson", text)
    assert result.status == "fail"
    assert "Next time I'll write out" in result.tip


def test_vague_lesson_is_quoted_as_too_vague() -> None:
    result = run("names_lesson", timed("Honestly next time I'll do better."))
    assert result.evidence == 'too vague: "next time I\'ll do better" at 0:01'
    assert result.spans[0].kind == "miss"


# Agreement with careful human labels ------------------------------------------------------------


def test_language_checks_agree_with_the_labelled_evaluation_set() -> None:
    entries = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))
    assert len(entries) >= 60
    assert len({e["id"] for e in entries}) == len(entries)
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[str] = []
    for entry in entries:
        expected = {"no_profanity": "pass", **entry["expect"]}
        # Whisper's transcripts are timed; typed answers are not: both must judge alike.
        for transcript in (Transcript.from_text(entry["text"]), timed(entry["text"])):
            for check_id, want in expected.items():
                params = entry.get("params", {}).get(check_id, {})
                got = run(check_id, transcript, prompt=entry["prompt"], **params)
                total[check_id] += 1
                if got.status == want:
                    agree[check_id] += 1
                else:
                    misses.append(f"{entry['id']} {check_id}: want {want}, got {got.evidence}")
    summary = ", ".join(f"{c} {agree[c]}/{total[c]}" for c in sorted(total))
    assert not misses, summary + "\n" + "\n".join(misses)
    for check_id in REGISTRY:
        if check_id in ("keywords", "recovery_line", "declines_personal_question"):
            assert total[check_id] >= 40, check_id


# Families generalised after the third held-out set, with the near misses they must not catch.


@pytest.mark.parametrize(
    ("check_id", "text", "want"),
    [
        (
            "star_structure",
            "Last year our team had a backlog. I reviewed the orders, and the "
            "backlog went from 400 to 20.",
            "pass",
        ),
        (
            "star_structure",
            "Last year our team had a backlog. I went from the office to the "
            "warehouse every day and I reviewed the orders.",
            "fail",
        ),
        (
            "star_structure",
            "My manager wanted a TikTok campaign. I pulled our customer data. "
            "Facebook converted three times better, and she thanked me.",
            "pass",
        ),
        (
            "star_structure",
            "When I was at my last job our manager wanted three times more "
            "reports. I wrote a script.",
            "fail",
        ),
        (
            "star_structure",
            "When I started, onboarding had no structure. I wrote a program. "
            "It is now the standard for the region.",
            "pass",
        ),
        ("names_lesson", "I'd get better at answering behavioural questions.", "fail"),
        (
            "names_lesson",
            "I'd be more prepared and just better at answering the questions.",
            "fail",
        ),
        (
            "names_lesson",
            "I'd practise answering behavioural questions out loud with a timer.",
            "pass",
        ),
        ("declines_personal_question", "No, it's just me, so I can travel whenever.", "fail"),
        ("declines_personal_question", "I live on my own, so travel is fine.", "fail"),
        (
            "declines_personal_question",
            "It's just me who runs payroll, but I'd rather keep my personal life private.",
            "pass",
        ),
    ],
)
def test_third_holdout_families(check_id: str, text: str, want: str) -> None:
    prompt = "If you had that interview again, what's one thing you'd do differently?"
    assert run(check_id, text, prompt=prompt).status == want
