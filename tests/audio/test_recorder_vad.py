"""The silence stop in a noisy room: real espeak-ng speech plus steady -35 dBFS noise, recorded
through real PortAudio on the virtual card. The level threshold (-40 dBFS) never hears silence
there; the Silero voice detector inside faster-whisper hears where the speech ends."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from audio import recorder
from audio.dsp import read_audio, resample, to_int16
from audio.recorder import SAMPLERATE, record
from audio.tts import SystemVoice
from tests.audio.conftest import VirtualCard, noise

ROOM_NOISE = 10 ** (-35 / 20)
"""RMS of the room noise as a fraction of full scale: -35 dBFS, above the -40 dBFS threshold."""


@pytest.fixture(scope="module", autouse=True)
def detector_loaded() -> None:
    """Load the detector first: the virtual microphone is not paced, so a whole take is read
    in less time than the first load takes (live, audio arrives far slower than it loads)."""
    assert recorder._vad_model() is not None


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> NDArray[np.float32]:
    """A spoken voicemail line at 16 kHz, peaking at -6 dBFS."""
    out = tmp_path_factory.mktemp("speech") / "line.wav"
    SystemVoice().synthesize(
        "Hi, this is Jordan Rivera, calling about the data analyst role. Please call me back.",
        out,
    )
    samples, rate = read_audio(out)
    at_16k = resample(samples, rate, SAMPLERATE)
    peaked: NDArray[np.float32] = (at_16k / np.max(np.abs(at_16k)) * 0.5).astype(np.float32)
    return peaked


def in_noisy_room(*parts: NDArray[np.float32] | float) -> NDArray[np.int16]:
    """PARTS (speech, or seconds of quiet) back to back, with -35 dBFS noise all the way."""
    pieces = [
        np.zeros(round(p * SAMPLERATE), np.float32) if isinstance(p, float) else p for p in parts
    ]
    signal = np.concatenate(pieces)
    room = noise(len(signal) / SAMPLERATE, seed=7, level=ROOM_NOISE).astype(np.float32) / 32767
    return to_int16(signal + room[: len(signal)])


def test_speech_then_steady_room_noise_ends_the_take(
    card: VirtualCard, tmp_path: Path, speech: NDArray[np.float32]
) -> None:
    card.feed(in_noisy_room(1.0, speech, 10.0))
    speech_end = 1.0 + len(speech) / SAMPLERATE

    result = record(
        tmp_path / "take.wav", stop=threading.Event(), time_limit=14.0, silence_stop=2.0
    )

    assert result.ended_by == "silence"
    # Ends about silence_stop after the last word, not at the time limit (and the word is kept).
    assert speech_end + 1.5 < result.duration < speech_end + 3.0


def test_a_pause_between_sentences_does_not_end_the_take(
    card: VirtualCard, tmp_path: Path, speech: NDArray[np.float32]
) -> None:
    card.feed(in_noisy_room(0.5, speech, 1.2, speech, 10.0))
    second_end = 0.5 + 2 * len(speech) / SAMPLERATE + 1.2

    result = record(
        tmp_path / "take.wav", stop=threading.Event(), time_limit=20.0, silence_stop=2.0
    )

    assert result.ended_by == "silence"
    assert result.duration > second_end + 1.5


def test_room_noise_before_any_speech_does_not_end_the_take(
    card: VirtualCard, tmp_path: Path
) -> None:
    # Someone slow to start in a noisy room is still waited for, up to the limit.
    card.feed(in_noisy_room(8.0))

    result = record(tmp_path / "take.wav", stop=threading.Event(), time_limit=6.0, silence_stop=2.0)

    assert result.ended_by == "time_limit"


def test_speech_heard_while_the_detector_loads_is_looked_at_once_it_is_ready(
    speech: NDArray[np.float32], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first take of a run starts before the model has loaded; what was said meanwhile counts.
    release = threading.Event()
    real = recorder._vad_model()

    def slow_load() -> object:
        release.wait(10)
        return real

    monkeypatch.setattr(recorder, "_vad_model", slow_load)
    voice = recorder._VoiceActivity()
    audio = (in_noisy_room(0.5, speech, 6.0) / 32767).astype(np.float32)
    blocks = np.array_split(audio, len(audio) // 1024)
    half = len(blocks) * 4 // 5  # past the end of the speech by more than one window
    for block in blocks[:half]:
        voice.feed(block)
    assert not voice.speech_started
    release.set()
    voice._ready.wait(5)
    for block in blocks[half:]:
        voice.feed(block)
    speech_end = 0.5 + len(speech) / SAMPLERATE
    assert voice.speech_started
    assert voice.trailing_silence == pytest.approx(len(audio) / SAMPLERATE - speech_end, abs=0.4)
