"""A take survives SIGKILL and a device that stops mid-take: real-time capture from a FIFO."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from tests.audio.conftest import RATE, PacedFeeder, VirtualCard, noise

CHILD = Path(__file__).with_name("record_child.py")


@pytest.fixture
def paced_card(tmp_path: Path) -> VirtualCard:
    """A card whose microphone is a FIFO fed in real time (used only by subprocesses)."""
    return VirtualCard.create(tmp_path / "paced-card", fifo=True)


@pytest.fixture
def fed(paced_card: VirtualCard) -> Iterator[tuple[PacedFeeder, NDArray[np.int16]]]:
    samples = noise(20.0, seed=7)
    assert paced_card.capture_source is not None
    feeder = PacedFeeder(paced_card.capture_source, samples).start()
    yield feeder, samples
    feeder.close()


def start_child(
    card: VirtualCard, out: Path, time_limit: float, stall: float
) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(out), str(time_limit), str(stall)],
        env=card.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "RECORDING", (
        f"child said {line!r}; stderr: {child.stderr.read() if child.stderr else ''}"
    )
    return child


def locate(recorded: NDArray[np.int16], samples: NDArray[np.int16]) -> int:
    """Where recorded sits in samples: it must be one unbroken stretch of what was fed."""
    probe = recorded[:16]
    starts = [
        int(i)
        for i in np.nonzero(samples == probe[0])[0]
        if np.array_equal(samples[i : i + len(probe)], probe)
    ]
    assert len(starts) == 1, "the take does not start with a stretch of the fed audio"
    start = starts[0]
    np.testing.assert_array_equal(recorded, samples[start : start + len(recorded)])
    return start


def read_take(path: Path) -> NDArray[np.int16]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        frames = wav.getnframes()
        data = wav.readframes(frames)
    assert path.stat().st_size >= 44 + 2 * frames
    return np.frombuffer(data, dtype="<i2")


def test_sigkill_loses_at_most_about_a_second(
    paced_card: VirtualCard, fed: tuple[PacedFeeder, NDArray[np.int16]], tmp_path: Path
) -> None:
    feeder, samples = fed
    out = tmp_path / "take.wav"
    child = start_child(paced_card, out, time_limit=60.0, stall=5.0)
    time.sleep(2.5)
    fed_at_kill = feeder.position
    child.send_signal(signal.SIGKILL)
    child.wait(10)

    recorded = read_take(out)
    start = locate(recorded, samples)
    end = start + len(recorded)
    assert len(recorded) >= 2.0 * RATE
    assert end <= fed_at_kill + PacedFeeder.CHUNK
    assert fed_at_kill - end <= 1.0 * RATE, f"lost {(fed_at_kill - end) / RATE:.2f} s"


def test_device_that_stops_delivering_ends_the_take_and_keeps_it(
    paced_card: VirtualCard, fed: tuple[PacedFeeder, NDArray[np.int16]], tmp_path: Path
) -> None:
    feeder, samples = fed
    out = tmp_path / "take.wav"
    child = start_child(paced_card, out, time_limit=60.0, stall=1.0)
    time.sleep(1.5)
    fed_at_stall = feeder.pause()
    stalled_at = time.monotonic()
    stdout, _ = child.communicate(timeout=15)
    waited = time.monotonic() - stalled_at

    result = json.loads(stdout.strip().splitlines()[-1].removeprefix("RESULT "))
    assert result["ended_by"] == "device_stopped"
    # The stall timeout (1 s) plus the short close guard for a wedged stream (0.5 s).
    assert 0.9 <= waited <= 3.0
    recorded = read_take(out)
    assert len(recorded) == round(result["duration"] * RATE)
    start = locate(recorded, samples)
    # Everything delivered before the device stopped is in the take.
    assert start + len(recorded) == fed_at_stall
