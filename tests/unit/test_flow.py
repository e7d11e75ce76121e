"""Cut-ins and branches: the YAML schema, the validator's field paths, and deterministic paths."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from audio.transcript import Transcript, Word
from simulator.flow import cut_in_time, next_step
from simulator.profile import Profile
from simulator.scenario import ScenarioError, builtin_files, find_scenario, parse_scenario
from simulator.session import Cue, Practice, Recording
from simulator.settings import Settings
from simulator.store import Store

ME = Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst", company="Northwind")

HEAD = """\
id: flow
title: Flow
kind: interview
description: Branches.
steps:
"""


def _problems(steps: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(HEAD + steps, "s.yaml")
    return [f"{p.field}: {p.message}" for p in info.value.problems]


def test_an_unknown_target_is_named_at_its_field_path() -> None:
    problems = _problems(
        """\
  - id: ask
    prompt: Are you married?
    time_limit: 60
    checks: [declines_personal_question]
    next: {check: declines_personal_question, on_pass: done, on_fail: presss}
  - id: press
    prompt: So, yes?
    time_limit: 60
  - id: done
    prompt: Thanks.
    time_limit: 60
"""
    )
    assert problems == ["steps[0].next.on_fail: unknown step 'presss' (did you mean 'press'?)"]


def test_an_unreachable_step_is_rejected() -> None:
    problems = _problems(
        """\
  - id: ask
    prompt: Hello?
    time_limit: 60
    next: end
  - id: never
    prompt: Nobody asks this.
    time_limit: 60
"""
    )
    assert problems == ["steps[1]: unreachable: no step's next leads to 'never'"]


def test_a_loop_without_an_exit_is_rejected_and_one_with_an_exit_is_not() -> None:
    endless = _problems(
        """\
  - id: a
    prompt: One.
    time_limit: 60
  - id: b
    prompt: Two.
    time_limit: 60
    next: a
"""
    )
    assert "steps[0].next: loops forever: no path from this step reaches the end" in endless
    parse_scenario(
        HEAD
        + """\
  - id: number
    prompt: What's the best number?
    time_limit: 30
    checks: [says_phone]
    next: {check: says_phone, on_fail: number, on_pass: end}
"""
    )


def test_a_branch_needs_a_check_of_its_step_and_a_cut_in_needs_a_trigger() -> None:
    no_trigger = _problems("  - {prompt: Hello., time_limit: 60, cut_in: {say: Stop there.}}\n")
    assert any(p.startswith("steps[0].cut_in: needs a trigger") for p in no_trigger), no_trigger
    problems = _problems(
        "  - {prompt: Hello., time_limit: 60, next: {check: says_phone, on_fail: end}}\n"
    )
    assert problems == ["steps[0].next.check: 'says_phone' is not one of this step's checks"]


def test_every_builtin_scenario_still_validates_and_old_files_run_in_order() -> None:
    assert len(builtin_files()) >= 8
    for path in builtin_files():
        find_scenario(str(path))
    linear = parse_scenario(
        HEAD + "  - {prompt: One., time_limit: 60}\n  - {prompt: Two., time_limit: 60}\n"
    )
    assert [linear.step_id(i) for i in range(2)] == ["step-1", "step-2"]
    assert next_step(linear, 0, (), interrupted=False) == 1
    assert next_step(linear, 1, (), interrupted=False) is None


def _run(scenario_id: str, answers: list[str]) -> tuple[tuple[str, ...], bool]:
    practice = Practice(find_scenario(scenario_id), ME, Store())
    index: int | None = 0
    for text in answers:
        assert index is not None, "the conversation ended before the answers did"
        practice.answer_text(index, text)
        index = practice.advance()
    report = practice.finish()
    return report.path, report.complete


WORK = "I'm rebuilding the weekly sales reporting pipeline at my current job, mostly in SQL."
DISCLOSE = "Yes, I'm married and we have two kids, and we are planning another one soon."
DECLINE = "I'd rather keep my family life separate from work, but travel is not a problem."


def test_disclosing_is_pressed_and_declining_moves_on_the_same_way_every_time() -> None:
    pressed = _run("inappropriate-question", [WORK, DISCLOSE, DECLINE, DECLINE])
    assert pressed == (("warm-up", "family", "press", "age"), True)
    moved_on = _run("inappropriate-question", [WORK, DECLINE, DECLINE])
    assert moved_on == (("warm-up", "family", "age"), True)
    assert _run("inappropriate-question", [WORK, DISCLOSE, DECLINE, DECLINE]) == pressed


def test_the_reset_line_warms_the_wrong_foot_interviewer() -> None:
    scenario = find_scenario("wrong-foot-restart")
    curt = scenario.step_index("curt")
    reset = "You're right, I rambled. Let me try that again, the short version."
    for answer, expected in ((reset, "warmer"), ("Well, as I was saying, retail.", "colder")):
        practice = Practice(scenario, ME, Store())
        practice.answer_text(curt, answer)
        following = practice.advance()
        assert following is not None and scenario.step_id(following) == expected


def test_a_recruiter_call_without_a_number_gets_asked_for_one() -> None:
    no_number = "Hi Sam, it's Jordan Rivera, about the Data Analyst role."
    with_number = "Hi Sam, it's Jordan Rivera, about the Data Analyst role. I'm on 617-555-0142."
    asked, _ = _run("recruiter-debrief", [no_number, "It's 617-555-0142."])
    assert asked == ("hello", "ask-number")
    straight, _ = _run("recruiter-debrief", [with_number])
    assert straight == ("hello",)
    assert not _run("recruiter-debrief", [with_number])[1]  # two steps still to come


def _words(text: str, per_word: float = 0.4) -> list[Word]:
    return [Word(w, i * per_word, i * per_word + 0.3) for i, w in enumerate(text.split())]


def test_the_combative_interviewer_cuts_in_at_the_fifth_we() -> None:
    step = find_scenario("combative-interviewer").steps[0]
    words = _words("So we built it. Then we shipped it. And we measured it. We grew. Our team won.")
    decision = cut_in_time(step, words, words[-1].end, ME)
    assert decision is not None and decision.reason == "on_check"
    assert decision.at == words[14].end  # "Our", the fifth we-word
    crisp = _words("I chose the vendor. I cut costs by a third. I would do it again.")
    assert cut_in_time(step, crisp, crisp[-1].end, ME) is None


def test_rambling_and_running_past_the_aim_each_cut_in() -> None:
    step = find_scenario("wrong-foot-restart").steps[0]
    ramble = _words(" ".join(["and then"] * 50))  # 100 words, no full stop
    decision = cut_in_time(step, ramble, ramble[-1].end, ME)
    assert decision is not None and decision.reason == "rambling_words"
    assert decision.at == ramble[89].end
    sentences = _words("I did this. " * 80, per_word=0.5)  # full stops, but 120 s long
    past = cut_in_time(step, sentences, sentences[-1].end, ME)
    assert past is not None and (past.reason, past.at) == ("past_aim", 90.0)
    # Live, nothing fires before it has been heard.
    assert cut_in_time(step, sentences[:100], 50.0, ME) is None


class _DeadMicrophone:
    """A recorder whose device opens but delivers nothing, until stopped."""

    def record(
        self, out: Path, *, time_limit: float, stop: threading.Event, **_: object
    ) -> Recording:
        stop.wait(6.0)
        return Recording(Path(str(out)), 0.0, 0, "device_stopped")


class _Silent:
    engine = "fake"
    model_name = "fake"

    def transcribe(self, audio: object, *, prompt: str | None = None) -> Transcript:
        return Transcript.from_segments([], 0.0)


def test_a_dead_input_is_told_within_five_seconds_what_to_fix() -> None:

    cues: list[tuple[float, Cue]] = []
    started = time.monotonic()
    stop = threading.Event()

    def heard(cue: Cue) -> None:
        cues.append((time.monotonic() - started, cue))
        stop.set()

    practice = Practice(
        find_scenario("long-anecdote"),
        ME,
        Store(),
        settings=Settings(input_device="USB mic"),
        transcriber=_Silent(),
        recorder=_DeadMicrophone(),
    )
    practice.record_answer(0, stop, on_cue=heard)
    ((_, cue),) = cues
    assert cue.kind == "no_input" and "USB mic" in cue.text and "Settings" in cue.text


def test_the_readme_example_of_cut_ins_and_branches_validates() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Cut-ins and branches", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = parse_scenario(HEAD.replace("steps:\n", "") + example, "README.md")
    assert [scenario.step_id(i) for i in range(3)] == ["background", "crisp", "curt"]
    assert scenario.steps[0].cut_in is not None and scenario.steps[0].next is not None
