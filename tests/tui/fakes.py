"""Stand-ins for the voice, the microphone and the speech model, for driving the app in tests."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from audio.transcript import Segment, Transcript, Word
from simulator.scenario import Persona
from simulator.session import Recording

RATE = 16000
"""Sample rate of the canned answer."""


def write_canned_answer(path: Path, seconds: float = 3.0) -> Path:
    """A quiet tone standing in for a spoken answer (short enough to be one transcription)."""
    t = np.arange(int(seconds * RATE)) / RATE
    samples = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    sf.write(path, samples, RATE, subtype="PCM_16")
    return path


class InstantVoice:
    """A PromptVoice that returns at once and remembers what it was asked to say."""

    def __init__(self) -> None:
        self.spoken: list[tuple[str, bool]] = []

    def speak(self, text: str, persona: Persona, *, voicemail: bool, stop: threading.Event) -> None:
        """Note the line instead of saying it."""
        self.spoken.append((text, voicemail))


class CannedRecorder:
    """An AnswerRecorder that 'records' a canned WAV: copies it and feeds it block by block."""

    def __init__(self, wav: Path, *, wait_for_stop: bool = False) -> None:
        self.wav = wav
        self.wait_for_stop = wait_for_stop
        """When True, record() keeps 'recording' until the stop event is set (like a person)."""
        self.takes = 0

    def record(
        self,
        out: Path,
        *,
        time_limit: float,
        stop: threading.Event,
        on_level: Callable[[float], None] | None = None,
        on_audio: Callable[[Any], None] | None = None,
    ) -> Recording:
        """Copy the canned answer to OUT, reporting levels and audio as a recorder would."""
        self.takes += 1
        shutil.copyfile(self.wav, out)
        samples, rate = sf.read(self.wav, dtype="float32")
        block = rate // 10
        for start in range(0, len(samples), block):
            chunk = samples[start : start + block]
            if on_level is not None:
                on_level(float(np.max(np.abs(chunk))))
            if on_audio is not None:
                on_audio(chunk.reshape(-1, 1))
        if self.wait_for_stop:
            stop.wait(10)
        return Recording(out, len(samples) / rate, 0, "stop")


class FixedTranscriber:
    """An AnswerTranscriber that hears the same words, 0.3 s apart, whatever the audio."""

    engine = "fake-whisper"
    model_name = "fixed"

    def __init__(self, text: str) -> None:
        self.text = text
        self.loaded = False
        self.calls = 0

    def load(self) -> None:
        """Pretend to load weights (the app calls this in its background worker)."""
        self.loaded = True

    def transcribe(self, audio: Any, *, prompt: str | None = None) -> Transcript:
        """The fixed words, timed from 0.2 s."""
        self.calls += 1
        words = tuple(
            Word(f" {w}", round(0.2 + 0.3 * i, 3), round(0.45 + 0.3 * i, 3))
            for i, w in enumerate(self.text.split())
        )
        segment = Segment(self.text, words[0].start, words[-1].end, words) if words else None
        return Transcript.from_segments([segment] if segment else [], 3.0)
