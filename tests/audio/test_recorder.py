"""Recording through real sounddevice/PortAudio on the virtual card: content and every ending."""

from __future__ import annotations

import threading
import wave
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from audio.dsp import from_int16, resample, to_int16
from audio.errors import NoInputDevice
from audio.recorder import SAMPLERATE, record
from tests.audio.conftest import VirtualCard, noise, tone, zeros


def wav_samples(path: Path) -> NDArray[np.int16]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, SAMPLERATE)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def test_recording_returns_the_microphone_samples_exactly(
    card: VirtualCard, tmp_path: Path
) -> None:
    source = noise(3.0, seed=1)
    card.feed(source)
    blocks: list[NDArray[np.float32]] = []
    levels: list[float] = []

    result = record(
        tmp_path / "take.wav",
        stop=threading.Event(),
        time_limit=2.0,
        on_audio=blocks.append,
        on_level=levels.append,
    )

    assert result.ended_by == "time_limit"
    assert result.duration == 2.0
    assert result.device == "default"
    recorded = wav_samples(result.path)
    np.testing.assert_array_equal(recorded, source[:32000])
    # on_audio saw exactly what was written, as float32 at 16 kHz.
    streamed = np.concatenate(blocks)
    assert streamed.dtype == np.float32
    np.testing.assert_array_equal(np.round(streamed * 32768).astype(np.int16), source[:32000])
    # Noise at 0.3 full-scale RMS peaks around 0 dBFS; the meter gets ~20 values a second.
    assert 30 <= len(levels) <= 45
    assert all(-12.0 < level <= 0.0 for level in levels)


def test_a_48k_microphone_is_resampled_to_16k(card_48k: VirtualCard, tmp_path: Path) -> None:
    source = tone(440, 2.0, rate=48000) + tone(1200, 2.0, level=0.2, rate=48000)
    card_48k.feed(np.concatenate([source, np.zeros(48000, dtype=np.int16)]))

    result = record(tmp_path / "take.wav", stop=threading.Event(), time_limit=1.5, samplerate=48000)

    recorded = wav_samples(result.path)
    assert len(recorded) == 24000
    # The streaming resampler gives what resample_poly gives on the whole signal.
    expected = to_int16(resample(from_int16(source), 48000, SAMPLERATE))[:24000]
    assert np.abs(recorded.astype(np.int32) - expected).max() <= 1


def test_silence_after_speech_ends_the_take(card: VirtualCard, tmp_path: Path) -> None:
    # Leading silence must not end it: only silence after speech counts.
    card.feed(np.concatenate([zeros(1.5), tone(300, 1.0), zeros(4.0)]))

    result = record(tmp_path / "take.wav", stop=threading.Event(), time_limit=6.0, silence_stop=1.2)

    assert result.ended_by == "silence"
    assert result.duration == pytest.approx(1.5 + 1.0 + 1.2, abs=0.1)
    recorded = wav_samples(result.path)
    assert np.abs(recorded[int(1.6 * SAMPLERATE) : int(2.4 * SAMPLERATE)]).max() > 10000


def test_quiet_room_noise_is_not_speech(card: VirtualCard, tmp_path: Path) -> None:
    card.feed(noise(3.0, level=0.002))

    result = record(tmp_path / "take.wav", stop=threading.Event(), time_limit=2.0, silence_stop=0.5)

    assert result.ended_by == "time_limit"


def test_stop_event_ends_the_take_promptly(card: VirtualCard, tmp_path: Path) -> None:
    card.feed(noise(5.0, seed=2))
    stop = threading.Event()
    seen = 0

    def on_audio(block: NDArray[np.float32]) -> None:
        nonlocal seen
        seen += len(block)
        if seen >= SAMPLERATE:
            stop.set()

    result = record(tmp_path / "take.wav", stop=stop, time_limit=4.0, on_audio=on_audio)

    assert result.ended_by == "stop"
    # Nothing after the block during which stop was set.
    assert 1.0 <= result.duration <= 1.0 + 0.07
    assert len(wav_samples(result.path)) == round(result.duration * SAMPLERATE)


def test_take_file_is_private_to_the_user(card: VirtualCard, tmp_path: Path) -> None:
    card.feed(noise(1.0))

    result = record(tmp_path / "sub" / "take.wav", stop=threading.Event(), time_limit=0.5)

    assert result.path.stat().st_mode & 0o777 == 0o600


def test_unknown_microphone_names_the_ones_there(card: VirtualCard, tmp_path: Path) -> None:
    with pytest.raises(NoInputDevice) as caught:
        record(tmp_path / "take.wav", stop=threading.Event(), time_limit=1.0, device="usb mic")

    message = str(caught.value)
    assert "\n" not in message
    assert "'usb mic' not found" in message
    assert "vmic" in message and "vspeaker" not in message
    assert "--answer FILE" in message


def test_no_microphone_raises_one_line(micless_card: VirtualCard, tmp_path: Path) -> None:
    with pytest.raises(NoInputDevice) as caught:
        record(tmp_path / "take.wav", stop=threading.Event(), time_limit=1.0)

    message = str(caught.value)
    assert message == (
        "no microphone found (devices: vspeaker, default); "
        "connect one or answer from a file with --answer FILE"
    )
    assert not (tmp_path / "take.wav").exists()
