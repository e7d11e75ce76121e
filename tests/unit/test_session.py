"""The practice session core on typed answers: takes saved as they happen, retakes, completeness."""

from __future__ import annotations

from simulator.profile import Profile
from simulator.scenario import find_scenario
from simulator.session import Practice
from simulator.store import Store

ME = Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst", company="Northwind")
GOOD_VOICEMAIL = (
    "Hi, this is Jordan Rivera calling about the Data Analyst role at Northwind. You can reach me "
    "at 617-555-0142. Again, Jordan Rivera, 617-555-0142. Thanks so much, talk soon."
)


def test_a_typed_take_is_graded_and_saved_before_the_session_ends() -> None:
    store = Store()
    practice = Practice(find_scenario("voicemail-screening"), ME, store)
    report = practice.answer_text(0, "Hi, it's Jordan, call me back about the job.")
    assert not report.passed
    assert {r.id for r in report.results if r.status == "fail"} >= {"says_phone", "says_name"}
    assert practice.session_id is not None
    saved = store.get_session(practice.session_id)  # saved before finish()
    assert [t.transcript.text for t in saved.takes if t.transcript] == [report.transcript.text]


def test_a_retake_replaces_the_step_in_the_report_and_both_are_kept() -> None:
    store = Store()
    practice = Practice(find_scenario("voicemail-screening"), ME, store)
    practice.answer_text(0, "Hi, it's Jordan, call me back about the job.")
    practice.answer_text(0, GOOD_VOICEMAIL)
    report = practice.finish()
    assert report.passed and report.complete
    assert report.steps[0].transcript.text == GOOD_VOICEMAIL
    assert practice.session_id is not None
    takes = store.takes_for_step(practice.session_id, 0)
    assert [t.attempt for t in takes] == [1, 2]
    assert store.get_session(practice.session_id).summary.passed


def test_unanswered_steps_make_the_session_incomplete_not_passed() -> None:
    store = Store()
    scenario = find_scenario("inappropriate-question")
    assert len(scenario.steps) > 1
    practice = Practice(scenario, ME, store)
    first = practice.answer_text(
        0, "I've spent four years as a data analyst, mostly building reporting for operations."
    )
    report = practice.finish()
    assert not report.complete
    assert not report.passed, "a session with unanswered steps must not count as passed"
    assert report.to_json()["complete"] is False
    assert first.index == 0
    assert practice.session_id is not None
    assert not store.get_session(practice.session_id).summary.passed


def test_prompts_are_filled_from_the_profile() -> None:
    practice = Practice(find_scenario("voicemail-screening"), ME, Store())
    assert "Northwind" in practice.prompt_text(0)
    assert "{company}" not in practice.prompt_text(0)
