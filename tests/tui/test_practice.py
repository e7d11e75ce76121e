"""Practising: typed answers, spoken answers through the fakes, waiting for the model, retakes."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import TextArea

from audio.transcript import Segment
from simulator.report import StepReport
from simulator.scenario import find_scenario
from simulator.tui.app import MockcallApp
from simulator.tui.messages import AnswerGraded, LevelChanged, SegmentTranscribed, SpeechFinished
from simulator.tui.screens.practice import PracticeScreen
from simulator.tui.widgets.checklist import Checklist
from simulator.tui.widgets.level_meter import LevelMeter
from tests.tui.conftest import SPOKEN_ANSWER
from tests.tui.fakes import CannedRecorder, FixedTranscriber, InstantVoice
from tests.tui.helpers import results_ready, until, visible

NO_NUMBER = (
    "Hi, this is Jordan Rivera calling about the Senior Data Analyst role. "
    "I would love to talk about the position. Thanks so much, bye."
)
"""A voicemail that forgets the callback number."""


def unique(messages: list[Message]) -> list[Message]:
    """Each message once: the hook sees a message again at every node it bubbles through."""
    seen: set[int] = set()
    return [m for m in messages if not (id(m) in seen or seen.add(id(m)))]  # type: ignore[func-returns-value]


def graded(messages: list[Message]) -> list[StepReport]:
    """The reports the app received, in order."""
    return [m.report for m in unique(messages) if isinstance(m, AnswerGraded)]


async def type_answer(pilot: Pilot[None], text: str) -> None:
    """Type the first word key by key, then the rest at once (pressing every key is slow)."""
    first, _, rest = text.partition(" ")
    await pilot.press(*first, "space")
    pilot.app.screen.query_one(TextArea).insert(rest)


async def test_typed_voicemail_without_number_fails_says_phone_and_shows_tip(
    build_app: Callable[..., MockcallApp],
) -> None:
    messages: list[Message] = []
    app = build_app()
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await app.workers.wait_for_complete()
        # The library opens on the first scenario, the voicemail screening line.
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.scenario.id == "voicemail-screening" and practice.typed
        await type_answer(pilot, NO_NUMBER)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: results_ready(app))

        (report,) = graded(messages)
        outcome = {r.id: r for r in report.results}
        assert outcome["says_phone"].status == "fail"
        assert outcome["says_name"].status == "pass"
        # A failure is listed before the passes, with its tip, and is on screen.
        checklist = app.screen.query_one(Checklist)
        assert checklist.results[0].status == "fail"
        tip = outcome["says_phone"].tip
        assert tip and visible(app, tip)
        # Typed answers never speak or record.
        assert not any(isinstance(m, SpeechFinished | LevelChanged) for m in messages)
        assert practice.query_one(TextArea).text == NO_NUMBER


async def test_spoken_voicemail_plays_greeting_records_and_checks(
    build_app: Callable[..., MockcallApp],
) -> None:
    messages: list[Message] = []
    voice = InstantVoice()
    app = build_app(voice=voice)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await until(pilot, lambda: results_ready(app))

        # The greeting was spoken as a voicemail (so with the beep), then the answer recorded.
        assert len(voice.spoken) == 1 and voice.spoken[0][1] is True
        kinds = [
            type(m)
            for m in unique(messages)
            if isinstance(m, SpeechFinished | LevelChanged | AnswerGraded)
        ]
        assert kinds[0] is SpeechFinished and kinds[-1] is AnswerGraded
        assert LevelChanged in kinds
        (report,) = graded(messages)
        assert report.transcript.text == SPOKEN_ANSWER
        assert report.audio_path is not None and report.audio_path.exists()
        assert {r.id: r.status for r in report.results}["says_phone"] == "pass"


async def test_recording_waits_for_the_model_then_starts(
    build_app: Callable[..., MockcallApp], canned_wav: Any
) -> None:
    release = threading.Event()

    def slow_model() -> FixedTranscriber:
        release.wait(10)
        return FixedTranscriber(SPOKEN_ANSWER)

    recorder = CannedRecorder(canned_wav)
    app = build_app(recorder=recorder, transcriber_factory=slow_model)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        await until(pilot, lambda: practice.phase == "loading")
        assert any("Loading the speech model" in n.message for n in app._notifications)
        assert recorder.takes == 0
        release.set()
        await until(pilot, lambda: results_ready(app))
        assert recorder.takes == 1


async def test_recording_shows_live_transcript_and_space_stops_it(
    build_app: Callable[..., MockcallApp], canned_wav: Any
) -> None:
    recorder = CannedRecorder(canned_wav, wait_for_stop=True)
    app = build_app(recorder=recorder)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "phase", "") == "recording")
        practice = app.screen
        assert visible(app, "● Recording")
        # The meter moved with the canned answer's levels.
        await until(pilot, lambda: practice.query_one(LevelMeter).level > 0.2)
        # Segments arriving mid-answer appear as they come.
        practice.post_message(SegmentTranscribed(Segment(" Hi, this is Jordan", 0.2, 1.1)))
        practice.post_message(SegmentTranscribed(Segment(" calling back.", 1.3, 2.0)))
        await until(pilot, lambda: visible(app, "Hi, this is Jordan calling back."))
        await pilot.press("space")
        await until(pilot, lambda: results_ready(app))


async def test_retake_mid_answer_and_escape_keep_every_take(
    build_app: Callable[..., MockcallApp], canned_wav: Any
) -> None:
    recorder = CannedRecorder(canned_wav, wait_for_stop=True)
    app = build_app(recorder=recorder)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "phase", "") == "recording")
        # r mid-answer starts the step over: the prompt again, then a new recording.
        await pilot.press("r")
        await until(pilot, lambda: recorder.takes == 2)
        await until(pilot, lambda: getattr(app.screen, "phase", "") == "recording")
        await pilot.press("space")
        await until(pilot, lambda: results_ready(app))
        await pilot.press("r")
        await until(pilot, lambda: recorder.takes == 3)
        await until(pilot, lambda: getattr(app.screen, "phase", "") == "recording")
        # Esc while recording asks first; the take left is kept but never graded.
        await pilot.press("escape")
        await until(pilot, lambda: visible(app, "Leave this take?"))
        assert getattr(app.screen, "phase", "") == "leaving"
        await pilot.press("y")
        await until(pilot, lambda: len(app.screen_stack) == 1)
        await app.workers.wait_for_complete()
    # The two retaken ones were graded; the one left is kept without a grade.
    await until_saved(app, takes=2)
    (session,) = app.store.list_sessions()
    assert session.status == "finished"
    left = app.store.takes_for_step(session.id, 0)[-1]
    assert (left.status, left.ended_by, left.results) == ("abandoned", "left", ())


async def until_saved(app: MockcallApp, takes: int) -> None:
    """Wait for set-aside takes, which finish saving in their own threads, to be in the history."""
    deadline = time.monotonic() + 10
    while sum(s.take_count for s in app.store.list_sessions()) < takes:
        assert time.monotonic() < deadline, "takes were not saved"
        await asyncio.sleep(0.02)


async def test_recorder_failure_is_a_notice_and_typing_still_works(
    build_app: Callable[..., MockcallApp],
) -> None:
    class NoMicrophone:
        def record(self, out: Any, **kwargs: Any) -> Any:
            raise OSError("no input device found")

    app = build_app(recorder=NoMicrophone())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "phase", "") == "ready")
        messages = [n.message for n in app._notifications]
        assert any("Couldn't record your answer" in m and "no input device" in m for m in messages)
        await pilot.press("t")
        practice = app.screen
        assert isinstance(practice, PracticeScreen) and practice.phase == "typing"
        await type_answer(pilot, "My name is Jordan Rivera.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: results_ready(app))


async def test_an_unanswered_step_is_counted_as_unanswered(
    build_app: Callable[..., MockcallApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(PracticeScreen(find_scenario("phone-screen"), typed=True))
        await until(pilot, lambda: getattr(app.screen, "phase", "") == "typing")
        await pilot.press(*"I am Jordan Rivera, a data analyst.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: results_ready(app))
        await pilot.press("f")  # finish after step 1 of 3
        await until(
            pilot,
            lambda: any("Session saved" in m for m in [n.message for n in app._notifications]),
        )
        (saved,) = [m for m in [n.message for n in app._notifications] if "Session saved" in m]
        assert saved == "Session saved: needs work (answered 1 of 3 steps)."
