"""The whole practice loop in the app on real parts: real voices, virtual ALSA card, faster-whisper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from audio.dsp import read_audio, resample
from audio.transcribe import make_transcriber
from audio.tts import PiperVoice
from simulator import locations
from simulator.profile import Profile
from simulator.settings import Settings
from simulator.store import Store
from simulator.tui.app import make_app
from simulator.voice_io import MicrophoneRecorder, SystemPromptVoice
from tests.audio.conftest import VirtualCard, card, virtual_card, zeros
from tests.tui.helpers import results_ready, until, visible

__all__ = ["card", "virtual_card"]  # fixtures from the audio tests' virtual sound card

ANSWER_WITHOUT_NUMBER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst position. I would love to talk "
    "about the role. Please give me a call back when you can. Thank you."
)


@pytest.fixture
def microphone(card: VirtualCard, tmp_path: Path) -> Iterator[VirtualCard]:
    """The virtual microphone saying a voicemail without a number, then staying silent.

    The piper voice, whose clear speech tiny.en hears the same way on any CPU: the test asserts
    the transcript says "Jordan Rivera", which must not hang on one borderline transcript.
    """
    wav = PiperVoice().synthesize(ANSWER_WITHOUT_NUMBER, tmp_path / "answer.wav")
    samples, rate = read_audio(wav)
    speech = resample(samples, rate, 16000) if rate != 16000 else samples
    pcm = np.round(np.clip(speech, -1, 1) * 32767).astype("<i2")
    card.feed(np.concatenate([zeros(0.5), pcm, zeros(15.0)]))
    yield card


async def test_spoken_voicemail_without_a_number_fails_says_phone(
    microphone: VirtualCard,
) -> None:
    settings = Settings(silence_stop=3.0, tour_seen=True)
    profile = Profile(
        name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst", company="Northwind"
    )
    store = Store()
    app = make_app(
        settings=settings,
        profile=profile,
        store=store,
        voice=SystemPromptVoice(settings),
        recorder=MicrophoneRecorder(settings),
        transcriber_factory=lambda: make_transcriber("faster-whisper", None, locations.cache_dir()),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: visible(app, "Voicemail screening line"), timeout=20)
        await pilot.press("enter")  # practise the highlighted (first) scenario
        await until(pilot, lambda: results_ready(app), timeout=120)
        await until(pilot, lambda: visible(app, "Callback number said"), timeout=10)
        assert visible(app, "No phone number was heard")
        assert visible(app, "Say your callback number slowly")  # the check's tip
        assert visible(app, "Jordan Rivera")  # the transcript, from real speech
    # The greeting was really played through the virtual speaker, and the take kept on disk.
    played = microphone.played()
    assert len(played) > 16000 * 5
    session = store.get_session(store.resolve_session("last"))
    take = session.takes[0]
    assert take.audio_path is not None and take.audio_path.is_file()
    statuses = {r.id: r.status for r in take.results}
    assert statuses["says_phone"] == "fail" and statuses["says_name"] == "pass"


async def test_microphone_test_hears_the_real_microphone(microphone: VirtualCard) -> None:
    # audio.recorder reports levels in dBFS; drawn as 0..1 they read as silence, so the meter
    # sat at 0% and the microphone test said "Nothing heard" on a working microphone.
    from simulator.tui.screens.settings import SettingsScreen

    app = make_app(
        settings=Settings(tour_seen=True),
        profile=Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst"),
        store=Store(),
        transcriber_factory=lambda: make_transcriber("faster-whisper", None, locations.cache_dir()),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: visible(app, "Voicemail screening line"), timeout=20)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: visible(app, "(loudest"), timeout=20)
        assert visible(app, "Good level") or visible(app, "Clipping"), "speech was not heard"
        assert not visible(app, "Nothing heard")
