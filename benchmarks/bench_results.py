"""Time from the end of a spoken answer to the results screen, incremental vs transcribe-after-stop.

Run: .venv/bin/python benchmarks/bench_results.py [--durations 15 60 120]

The real app (make_app) runs headless with the real faster-whisper tiny.en engine and the real
grading and SQLite store. A recorder stand-in feeds espeak speech at the real rate (100 ms blocks,
wall-clock paced), exactly as the microphone recorder calls on_audio. "incremental" lets the
session transcribe while the answer is recorded; "after stop" withholds the blocks so everything is
transcribed once the answer ends (what an app without streaming would do).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MOCKCALL_HOME", tempfile.mkdtemp(prefix="mockcall-bench-"))

from audio.dsp import read_audio, resample, write_wav  # noqa: E402
from audio.tts import SystemVoice  # noqa: E402
from simulator.session import Recording  # noqa: E402

TEXT = (
    "In my last role I was the analyst on a team of five, and our weekly reporting took two full "
    "days to assemble by hand. I proposed automating it, so I rebuilt the pipeline in Python and "
    "SQL, scheduled it, and added checks that flag missing data before anyone sees the numbers. "
    "As a result the report now takes about an hour, and we caught three data problems in the "
    "first month that would have gone to the leadership team. "
)


def speech(seconds: float, folder: Path) -> np.ndarray:
    """SECONDS of espeak speech at 16 kHz (the paragraph repeated as needed, cut to length)."""
    wav = SystemVoice().synthesize(TEXT * 3, folder / "speech.wav", voice="en-us", rate=160)
    samples, rate = read_audio(wav)
    samples = resample(samples, rate, 16000) if rate != 16000 else samples
    need = int(seconds * 16000)
    reps = int(np.ceil(need / len(samples)))
    return np.tile(samples, reps)[:need].astype(np.float32)


class PacedRecorder:
    """Plays SAMPLES into the session at the real rate, as the microphone recorder would."""

    def __init__(self, samples: np.ndarray, incremental: bool) -> None:
        self.samples = samples
        self.incremental = incremental
        self.ended_at = 0.0

    def record(
        self,
        out: Path,
        *,
        time_limit: float,
        stop: threading.Event,
        on_level: Callable[[float], None] | None = None,
        on_audio: Callable[[Any], None] | None = None,
    ) -> Recording:
        write_wav(out, self.samples, 16000)
        block = 1600
        started = time.monotonic()
        for i, first in enumerate(range(0, len(self.samples), block)):
            chunk = self.samples[first : first + block]
            if on_level is not None:
                on_level(float(np.max(np.abs(chunk))))
            if self.incremental and on_audio is not None:
                on_audio(chunk)
            delay = started + (i + 1) * 0.1 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        if not self.incremental and on_audio is not None:
            on_audio(self.samples)  # the whole answer arrives at once, after it ended
        self.ended_at = time.monotonic()
        return Recording(out, len(self.samples) / 16000, 0, "stop")


async def one_run(samples: np.ndarray, incremental: bool) -> float:
    from audio.transcribe import make_transcriber
    from simulator import locations
    from simulator.profile import Profile
    from simulator.settings import Settings
    from simulator.store import Store
    from simulator.tui.app import make_app
    from simulator.tui.screens.results import ResultsScreen
    from tests.tui.fakes import InstantVoice

    recorder = PacedRecorder(samples, incremental)
    profile = Profile("Jordan Rivera", "(617) 555-0142", "", "Data Analyst", "Northwind")
    app = make_app(
        Settings(),
        profile,
        Store(),
        InstantVoice(),
        recorder,
        lambda: make_transcriber("faster-whisper", None, locations.cache_dir()),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")  # the stand-in recorder ignores the step's time limit
        while not isinstance(app.screen, ResultsScreen):
            await asyncio.sleep(0.005)
        return time.monotonic() - recorder.ended_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--durations", type=float, nargs="+", default=[15, 60, 120])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mockcall-bench-audio-"))
    rows = []
    for seconds in args.durations:
        samples = speech(seconds, folder)
        inc = asyncio.run(one_run(samples, incremental=True))
        after = asyncio.run(one_run(samples, incremental=False))
        rows.append((seconds, inc, after))
    print(
        f"{'answer':>8} | {'incremental':>12} | {'after stop':>10} | speed-up   (2 cores: {os.cpu_count()})"
    )
    print(f"{'-' * 8}-+-{'-' * 12}-+-{'-' * 10}-+---------")
    for seconds, inc, after in rows:
        print(f"{seconds:>6.0f} s | {inc:>10.2f} s | {after:>8.2f} s | {after / inc:>5.1f}x")
    print("time from the end of the answer to the results screen (target: <= 1.5 s for 60 s)")


if __name__ == "__main__":
    main()
