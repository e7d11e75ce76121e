"""`mockcall play --at`: a saved take replayed from an evidence moment, on the virtual card."""

from __future__ import annotations

import subprocess
import sys
import wave

import numpy as np
import pytest

from audio.transcript import Transcript
from simulator.store import Store
from tests.audio.conftest import RATE, VirtualCard, noise

pytestmark = pytest.mark.audio


def test_play_at_starts_the_speaker_at_that_moment(card: VirtualCard) -> None:
    take_audio = noise(4.0, seed=7)  # every stretch of noise is unique: where it starts shows
    with Store() as store:
        session = store.start_session("voicemail-screening", "Voicemail", "voicemail")
        path = store.recording_path(session, 0)
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes(take_audio.tobytes())
        take = store.begin_take(session, 0, "Leave a message.", path)
        store.complete_take(take, Transcript.from_text("hi"), (), duration=4.0)
        store.finish_session(session, True)

    result = subprocess.run(
        [sys.executable, "-m", "simulator", "play", str(session), "--step", "1", "--at", "2.5"],
        capture_output=True,
        text=True,
        env=card.env(),
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "from 2.5 s of 4.0 s" in result.stderr
    played, rate = card.played_exact()
    assert rate == RATE
    expected = take_audio[int(2.5 * RATE) :]
    # PortAudio adds a little silence before the stream; then the take from 2.5 s, to its end.
    offset = int(np.flatnonzero(played)[0])
    assert offset < 0.2 * RATE
    np.testing.assert_array_equal(played[offset : offset + len(expected)], expected)
    assert not played[offset + len(expected) :].any()


def test_play_a_typed_take_is_one_line(card: VirtualCard) -> None:
    with Store() as store:
        session = store.start_session("voicemail-screening", "Voicemail", "voicemail")
        take = store.begin_take(session, 0, "Leave a message.", None)
        store.complete_take(take, Transcript.from_text("typed answer"), (), duration=None)
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "play", str(session), "--at", "1"],
        capture_output=True,
        text=True,
        env=card.env(),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "mockcall: step 1, take 1 was typed: it has no audio"
