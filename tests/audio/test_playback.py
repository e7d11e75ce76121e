"""Playing prompts through real sounddevice/PortAudio into the virtual card's speaker."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from audio.dsp import from_int16, read_audio, to_int16, write_wav
from audio.errors import NoOutputDevice
from audio.playback import play_file, play_samples
from audio.tts import render_prompt
from tests.audio.conftest import PacedDrain, VirtualCard, tone


def test_playing_a_prompt_puts_that_speech_on_the_speaker(
    card: VirtualCard, tmp_path: Path
) -> None:
    prompt = render_prompt(
        "Thanks for calling. Tell me about yourself, and why you want this role.",
        tmp_path / "prompt.wav",
        voice="en-us",
    )
    samples, rate = read_audio(prompt)

    assert play_file(prompt) is True

    played, played_rate = card.played_exact()
    assert played_rate == rate
    expected = to_int16(samples)
    # PortAudio adds a little silence around the stream; the speech itself arrives unchanged.
    offset = int(np.flatnonzero(played)[0] - np.flatnonzero(expected)[0])
    assert 0 <= offset < 0.2 * rate
    np.testing.assert_array_equal(played[offset : offset + len(expected)], expected)
    assert not played[:offset].any() and not played[offset + len(expected) :].any()
    assert len(expected) / rate > 2.5
    assert np.sqrt(np.mean(from_int16(expected) ** 2)) > 0.05


def test_stop_cuts_playback_short(paced_speaker: PacedDrain, tmp_path: Path) -> None:
    clip = write_wav(tmp_path / "long.wav", from_int16(tone(440, 3.0)), 16000)
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()

    finished = play_file(clip, stop=stop)

    elapsed = time.monotonic() - started
    assert finished is False
    assert 0.4 <= elapsed <= 1.0
    assert paced_speaker.frames < 1.0 * 16000


def test_playback_without_stop_takes_the_clip_length(paced_speaker: PacedDrain) -> None:
    started = time.monotonic()

    assert play_samples(from_int16(tone(440, 1.0)), 16000) is True

    # The speaker consumes in real time (its buffer holds ~0.13 s), so this is no instant copy.
    assert time.monotonic() - started >= 0.8


def test_unknown_speaker_names_the_ones_there(card: VirtualCard, tmp_path: Path) -> None:
    clip = write_wav(tmp_path / "beep.wav", from_int16(tone(1000, 0.2)), 16000)

    with pytest.raises(NoOutputDevice) as caught:
        play_file(clip, device="hdmi")

    message = str(caught.value)
    assert "\n" not in message
    assert "'hdmi' not found" in message and "vspeaker" in message and "vmic" not in message
