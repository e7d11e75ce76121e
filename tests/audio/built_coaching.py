"""Answers built with known delivery for the coaching checks: pitch range, loudness, trailing off
and pace are set when the audio is made, so the truth is known.

Each sentence is spoken by espeak-ng on its own (its SSML `<prosody range>` makes the pitch flat
or lively; `-s` sets the rate), and the sentences are joined with short silences. Loudness is
set afterwards: the whole answer scaled to a level, or each sentence's last 40 % faded down.
Used by tests/audio/test_coaching_audio.py and benchmarks/bench_coaching.py.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import soundfile
from numpy.typing import NDArray

from audio.dsp import resample
from audio.transcript import Segment, Transcript, Word

RATE = 16000
"""Sample rate of the built answers."""
GAP = 0.45
"""Silence between two sentences, seconds."""
LEAD_IN = 0.5
"""Silence before the first sentence, seconds."""

VOICEMAIL = (
    "Hi, this is Jordan Rivera, calling about the senior data analyst role.",
    "I led the reporting team at my last company for three years.",
    "We rebuilt the weekly dashboards and cut the reporting time in half.",
    "I would love to tell you more about how I work with stakeholders.",
    "You can reach me at six one seven, five five five, zero one four two.",
    "Again, this is Jordan Rivera. Thanks, and have a great day.",
)
"""A plain voicemail answer, about 25 s in espeak-ng's default rate."""


@dataclass(frozen=True)
class Built:
    """An answer with known delivery."""

    samples: NDArray[np.float32]
    """16 kHz mono float32 audio."""
    sentences: tuple[str, ...]
    """What was said, one sentence each."""
    spans: tuple[tuple[float, float], ...]
    """Where each sentence's sound starts and ends, seconds."""

    def transcript(self) -> Transcript:
        """The words with times spread evenly over each sentence's sound (the known truth)."""
        words: list[Word] = []
        for text, (start, end) in zip(self.sentences, self.spans, strict=True):
            parts = text.split()
            step = (end - start) / len(parts)
            words.extend(
                Word(w, start + k * step, start + (k + 0.8) * step) for k, w in enumerate(parts)
            )
        segment = Segment(" ".join(self.sentences), words[0].start, words[-1].end, tuple(words))
        return Transcript.from_segments([segment], duration=len(self.samples) / RATE)


PIPER = "piper"
"""The voice name that selects the bundled piper neural voice (no SSML pitch range there)."""


@cache
def speak(
    text: str, voice: str = "en-us", rate: int = 160, pitch_range: str = ""
) -> NDArray[np.float32]:
    """One sentence from espeak-ng (or piper) at 16 kHz, trimmed to its sound, at -3 dBFS peak."""
    if voice == PIPER:
        return _level(_piper(text, rate))
    said = (
        f'<speak><prosody range="{pitch_range}">{text}</prosody></speak>' if pitch_range else text
    )
    command = ["espeak-ng", "-v", voice, "-s", str(rate), "--stdout"]
    if pitch_range:
        command.append("-m")
    wav = subprocess.run([*command, said], capture_output=True, check=True).stdout
    samples, samplerate = soundfile.read(io.BytesIO(wav), dtype="float32")
    return _level(resample(samples, samplerate, RATE))


def _piper(text: str, rate: int) -> NDArray[np.float32]:
    import tempfile
    from pathlib import Path

    from audio.dsp import read_audio
    from audio.tts import PiperVoice

    with tempfile.TemporaryDirectory() as folder:
        out = PiperVoice().synthesize(text, Path(folder) / "s.wav", rate=rate)
        samples, samplerate = read_audio(out)
    return resample(samples, samplerate, RATE)


def _level(at_16k: NDArray[np.float32]) -> NDArray[np.float32]:
    """Trimmed to its sound and peaking at -3 dBFS."""
    loud = np.flatnonzero(np.abs(at_16k) > 0.01 * np.max(np.abs(at_16k)))
    trimmed = at_16k[loud[0] : loud[-1] + 1]
    levelled: NDArray[np.float32] = (trimmed / np.max(np.abs(trimmed)) * 10 ** (-3 / 20)).astype(
        np.float32
    )
    return levelled


def build(
    sentences: Sequence[str] = VOICEMAIL,
    *,
    voice: str = "en-us",
    rates: Sequence[int] | int = 160,
    pitch_range: str = "",
    peak_dbfs: float = -3.0,
    fade_db: float = 0.0,
) -> Built:
    """Speak SENTENCES one by one and join them.

    RATES: one espeak-ng rate (words/min) for all, or one per sentence. PITCH_RANGE: SSML range
    (x-low … x-high) or "" for the voice's own. PEAK_DBFS: the answer's peak level. FADE_DB: each
    sentence's last 40 % fades down by this much (trailing off).
    """
    per_rate = [rates] * len(sentences) if isinstance(rates, int) else list(rates)
    pieces = [np.zeros(round(LEAD_IN * RATE), np.float32)]
    spans: list[tuple[float, float]] = []
    at = LEAD_IN
    for text, rate in zip(sentences, per_rate, strict=True):
        sound = speak(text, voice, rate, pitch_range).copy()
        if fade_db:
            tail = round(len(sound) * 0.4)
            sound[-tail:] *= np.logspace(0, -fade_db / 20, tail).astype(np.float32)
        spans.append((at, at + len(sound) / RATE))
        pieces += [sound, np.zeros(round(GAP * RATE), np.float32)]
        at += len(sound) / RATE + GAP
    pieces.append(np.zeros(RATE // 2, np.float32))
    samples = np.concatenate(pieces)
    samples *= np.float32(10 ** ((peak_dbfs + 3) / 20))
    return Built(samples, tuple(sentences), tuple(spans))
