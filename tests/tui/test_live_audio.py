"""The interviewer reacting live, in the app on real parts: a paced virtual microphone, espeak,
PortAudio playback over the recording, and faster-whisper.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from audio.dsp import read_audio, resample
from audio.transcribe import make_transcriber
from audio.tts import SystemVoice
from simulator import locations
from simulator.profile import Profile
from simulator.scenario import find_scenario
from simulator.settings import Settings
from simulator.store import Store
from simulator.tui.app import MockcallApp, make_app
from simulator.tui.screens.practice import PracticeScreen
from simulator.voice_io import MicrophoneRecorder, SystemPromptVoice
from tests.audio.conftest import (
    PacedFeeder,
    VirtualCard,
    activate,
    card,
    virtual_card,
    zeros,
)
from tests.tui.helpers import results_ready, until, visible

__all__ = ["card", "virtual_card"]  # fixtures from the audio tests' virtual sound card

ME = Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst", company="Northwind")
RAMBLE = (
    "So last year we had this big project, and we were moving the whole reporting stack, and "
    "we spent months on it, and then we brought in the new vendor and we rolled it out to every "
    "team, and our managers were really happy with what we did, and we kept going like that."
)
VOICEMAIL = (
    "Hi, this is Jordan Rivera calling about the Data Analyst position. You can reach me at "
    "six one seven, five five five, zero one four two. Again, that's Jordan Rivera, six one "
    "seven, five five five, zero one four two. Thank you."
)


def _speech(text: str, folder: Path) -> np.ndarray:
    wav = SystemVoice().synthesize(text, folder / "answer.wav", voice="en-us", rate=165)
    samples, rate = read_audio(wav)
    speech = resample(samples, rate, 16000) if rate != 16000 else samples
    return np.round(np.clip(speech, -1, 1) * 32767).astype("<i2")


@pytest.fixture
def paced_card(virtual_card: VirtualCard, tmp_path: Path) -> Iterator[VirtualCard]:
    """A card whose microphone is a FIFO filled in real time (its feeder is started per test)."""
    fifo_card = VirtualCard.create(tmp_path / "paced-mic", fifo=True)
    yield fifo_card
    activate(virtual_card)


def _app(settings: Settings, store: Store) -> MockcallApp:
    return make_app(
        settings=settings,
        profile=ME,
        store=store,
        voice=SystemPromptVoice(settings),
        recorder=MicrophoneRecorder(settings),
        transcriber_factory=lambda: make_transcriber("faster-whisper", None, locations.cache_dir()),
    )


async def test_a_rambling_answer_is_cut_off_over_the_live_recording(
    paced_card: VirtualCard, tmp_path: Path
) -> None:
    speech = _speech(RAMBLE, tmp_path)
    # The rambling goes on well past the cut-in, so the microphone is still recording then.
    assert paced_card.capture_source is not None
    feeder = PacedFeeder(
        paced_card.capture_source, np.concatenate([zeros(0.3), speech, speech, zeros(60)])
    )
    feeder.start()
    activate(paced_card)
    settings = Settings(silence_stop=3.0, tour_seen=True)
    store = Store()
    app = _app(settings, store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.model_status == "ready", timeout=60)
            app.push_screen(PracticeScreen(find_scenario("combative-interviewer")))
            await until(pilot, lambda: getattr(app.screen, "phase", "") == "waiting")
            await pilot.press("space")  # skip being kept waiting: answer now
            await until(pilot, lambda: visible(app, "cuts in"), timeout=60)
            assert visible(app, "That's the team again")
            await until(pilot, lambda: results_ready(app), timeout=60)
            assert visible(app, "cut off at")
    finally:
        feeder.close()
    session = store.get_session(store.resolve_session("last"))
    take = session.takes[0]
    assert take.ended_by == "cut_in" and take.duration is not None
    # What the speaker played is the cut-in, and the take went on recording through it.
    played = paced_card.played()
    heard = make_transcriber("faster-whisper", None, locations.cache_dir()).transcribe(
        (played / 32767).astype(np.float32)
    )
    words = set(heard.text.lower().replace(",", " ").replace(".", " ").split())
    cut_in_words = {"stop", "there", "team", "again", "asked", "what", "you", "did"}
    assert len(words & cut_in_words) >= 5, heard.text
    cut_in_seconds = len(played) / 16000
    said = take.transcript.text.lower() if take.transcript else ""
    assert said.count("we") >= 5, said
    assert take.duration > len(speech) / 16000 * 0.3 + cut_in_seconds * 0.8


async def test_the_live_checklist_ticks_name_and_number_while_recording(
    paced_card: VirtualCard, tmp_path: Path
) -> None:
    speech = _speech(VOICEMAIL, tmp_path)
    assert paced_card.capture_source is not None
    feeder = PacedFeeder(paced_card.capture_source, np.concatenate([zeros(0.3), speech, zeros(60)]))
    feeder.start()
    activate(paced_card)
    settings = Settings(silence_stop=3.0, tour_seen=True)
    app = _app(settings, Store())
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.model_status == "ready", timeout=60)
            app.push_screen(PracticeScreen(find_scenario("voicemail-screening")))
            await until(pilot, lambda: getattr(app.screen, "phase", "") != "", timeout=10)
            await pilot.press("space")  # skip the greeting
            await until(pilot, lambda: getattr(app.screen, "phase", "") == "recording", timeout=20)
            await until(pilot, lambda: visible(app, "· Callback number said"), timeout=5)
            # Ticked while the answer is still being recorded, before any result.
            await until(pilot, lambda: visible(app, "✔ Full name said"), timeout=30)
            assert getattr(app.screen, "phase", "") == "recording"
            await until(pilot, lambda: visible(app, "✔ Callback number said"), timeout=40)
            await until(pilot, lambda: results_ready(app), timeout=60)
    finally:
        feeder.close()


async def test_a_silent_microphone_gets_i_cant_hear_you_naming_the_fix(card: VirtualCard) -> None:
    card.feed(zeros(90))
    settings = Settings(silence_stop=3.0, tour_seen=True)
    app = _app(settings, Store())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.model_status == "ready", timeout=60)
        app.push_screen(PracticeScreen(find_scenario("voicemail-screening")))
        await until(pilot, lambda: getattr(app.screen, "phase", "") != "", timeout=10)
        await pilot.press("space")
        await until(
            pilot,
            lambda: any("I can't hear you" in str(n.message) for n in app._notifications),
            timeout=30,
        )
        (note,) = [n.message for n in app._notifications if "I can't hear you" in str(n.message)]
        assert "microphone" in note and ("level" in note or "Settings" in note)
