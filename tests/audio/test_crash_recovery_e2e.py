"""A `mockcall run` killed mid-answer keeps its take: the next start lists it as recovered."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np

from audio.dsp import read_audio, resample
from audio.tts import SystemVoice
from tests.audio.conftest import PacedFeeder, VirtualCard, zeros

PROFILE = '[profile]\nname = "Jordan Rivera"\nphone = "(617) 555-0142"\nrole = "Data Analyst"\n'
ANSWER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst position. You can reach me at "
    "six one seven, five five five, zero one four two."
)


def wav_seconds(path: Path) -> float:
    """Seconds of audio in the WAV so far; 0 while the recorder has not written its header yet."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / wav.getframerate()
    except (EOFError, wave.Error):
        return 0.0


def test_killed_run_leaves_a_valid_take_listed_after_restart(tmp_path: Path) -> None:
    card = VirtualCard.create(tmp_path / "paced-card", fifo=True)
    spoken = SystemVoice().synthesize(ANSWER, tmp_path / "answer.wav", voice="en-us", rate=160)
    samples, rate = read_audio(spoken)
    speech = resample(samples, rate, 16000) if rate != 16000 else samples
    pcm = np.round(np.clip(speech, -1, 1) * 32767).astype("<i2")
    assert card.capture_source is not None
    feeder = PacedFeeder(card.capture_source, np.concatenate([pcm, zeros(30.0)])).start()
    home = tmp_path / "home"
    env = card.env() | {"MOCKCALL_HOME": str(home)}
    profile = tmp_path / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "simulator", "run", "voicemail-screening", "--no-voice",
         "--profile", str(profile)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        recordings = home / "data" / "recordings"
        deadline = time.monotonic() + 60
        take: Path | None = None
        while time.monotonic() < deadline:
            found = sorted(recordings.glob("session-*/*.wav")) if recordings.exists() else []
            if found and wav_seconds(found[0]) >= 4.0:
                take = found[0]
                break
            assert child.poll() is None, child.communicate()[1].decode()
            time.sleep(0.1)
        assert take is not None, "the take never reached 4 s on disk"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        fed_seconds = feeder.position / 16000
    finally:
        feeder.close()

    # The file on disk is a valid WAV holding what was said, short of at most about a second.
    kept = wav_seconds(take)
    assert kept >= fed_seconds - 1.5, (kept, fed_seconds)
    kept_audio, kept_rate = read_audio(take)
    assert kept_rate == 16000 and np.abs(kept_audio).max() > 0.05

    # The next start keeps it and lists it.
    history = subprocess.run(
        [sys.executable, "-m", "simulator", "history", "--json"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert history.returncode == 0, history.stderr
    sessions = json.loads(history.stdout)["sessions"]
    assert len(sessions) == 1 and sessions[0]["takes"] == 1
    exported = subprocess.run(
        [sys.executable, "-m", "simulator", "export", "last", "--format", "json"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    takes = json.loads(exported.stdout)["takes"]
    assert takes[0]["status"] == "recovered"
    assert Path(takes[0]["audio"]) == take and take.exists()
    assert takes[0]["duration"] >= kept - 0.1
