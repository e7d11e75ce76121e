"""Delivery coaching on built audio with known truth: what each check measures and decides.

Run from the repository root:  nice .venv/bin/python benchmarks/bench_coaching.py   (about 3 min)

Every answer is the same six-sentence voicemail (tests/audio/built_coaching.py), built with one
known fault or none, in several voices, transcribed by the bundled Whisper tiny.en, measured
(audio/prosody.py) and checked with the default bounds. The bounds were chosen on the en-us
voice only; the other voices show how far that carries.
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from audio.prosody import measure, semitones  # noqa: E402
from audio.transcribe import FasterWhisperTranscriber, build_prompt  # noqa: E402
from simulator.checks import REGISTRY  # noqa: E402
from simulator.checks.base import CheckContext  # noqa: E402
from simulator.checks.coaching import sentence_levels  # noqa: E402
from simulator.profile import Profile  # noqa: E402
from tests.audio.built_coaching import PIPER, build  # noqa: E402

PROFILE = Profile(name="Jordan Rivera", phone="617-555-0142", role="Senior Data Analyst")
CHECKS = ("vocal_variety", "volume", "steady_pace", "hedging", "repetition")
# case: (build options, the check that must fail or None)
CASES: dict[str, tuple[dict[str, object], str | None]] = {
    "plain": ({}, None),
    "pitch range low": ({"pitch_range": "low"}, None),
    "lively (x-high)": ({"pitch_range": "x-high"}, None),
    "flat (x-low)": ({"pitch_range": "x-low"}, "vocal_variety"),
    "peak -18 dBFS": ({"peak_dbfs": -18.0}, None),
    "quiet, peak -30": ({"peak_dbfs": -30.0}, "volume"),
    "fade 6 dB": ({"fade_db": 6.0}, None),
    "trailing, fade 12": ({"fade_db": 12.0}, "volume"),
    "trailing, fade 18": ({"fade_db": 18.0}, "volume"),
    "end 150->190": ({"rates": [150, 150, 150, 150, 190, 190]}, None),
    "rushed 150->230": ({"rates": [150, 150, 150, 150, 230, 230]}, "steady_pace"),
    "rushed 150->260": ({"rates": [150, 150, 150, 150, 260, 260]}, "steady_pace"),
}
VOICES = ("en-us", "en-gb", "en-us+m3", "en-us+f3", PIPER)
ESPEAK_ONLY = ("pitch_range",)


def main() -> None:
    try:
        import piper  # noqa: F401

        voices: tuple[str, ...] = VOICES
    except ImportError:
        voices = VOICES[:-1]
    transcriber = FasterWhisperTranscriber()
    transcriber.load()
    prompt = build_prompt(PROFILE.name, PROFILE.role)
    print(f"Python {platform.python_version()}, {platform.machine()}; voices: {', '.join(voices)}")
    header = (
        "| voice | case | pitch range (st) | level (dBFS) | trailing | end/rest wpm | "
        + " | ".join(CHECKS)
        + " |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    right = wrong = 0
    measure_seconds = audio_seconds = 0.0
    for voice in voices:
        for case, (options, failing) in CASES.items():
            if voice == PIPER and any(k in options for k in ESPEAK_ONLY):
                continue
            built = build(voice=voice, **options)  # type: ignore[arg-type]
            transcript = transcriber.transcribe(built.samples, prompt=prompt)
            started = time.perf_counter()
            prosody = measure(built.samples, 16000)
            measure_seconds += time.perf_counter() - started
            audio_seconds += len(built.samples) / 16000
            ctx = CheckContext(transcript, PROFILE, prosody=prosody)
            results = {c: REGISTRY[c].func(ctx, REGISTRY[c].params()) for c in CHECKS}
            st = semitones(np.asarray(prosody.f0))
            spread = np.percentile(st, 90) - np.percentile(st, 10) if len(st) else 0.0
            levels = sentence_levels(transcript, prosody)
            trailing = sum(s.drop > 8.0 for s in levels)
            level = results["volume"].evidence.split(" dBFS")[0].removeprefix("speech level ")
            pace = results["steady_pace"].evidence
            ratio = "–"
            if "words/min until" in pace:
                head = float(pace.split(" words/min until")[0])
                tail = float(pace.split("then ")[1].split(" words/min")[0])
                ratio = f"{tail / head:.2f}"
            cells = []
            for check_id in CHECKS:
                expected = "fail" if check_id == failing else "pass"
                got = results[check_id].status
                ok = got == expected
                right += ok
                wrong += not ok
                cells.append(got if ok else f"**{got}** (want {expected})")
            print(
                f"| {voice} | {case} | {spread:.1f} | {level} | {trailing}/{len(levels)} | "
                f"{ratio} | " + " | ".join(cells) + " |"
            )
    print(f"\ndecisions as built: {right} of {right + wrong}")
    print(
        f"prosody measured in {1000 * measure_seconds / audio_seconds:.1f} ms per second of audio"
    )


if __name__ == "__main__":
    main()
