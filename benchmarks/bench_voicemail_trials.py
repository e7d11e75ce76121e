"""Spoken voicemails in several voices, with and without name and number: are they judged right?

Run: .venv/bin/python benchmarks/bench_voicemail_trials.py

Each trial synthesizes a voicemail (espeak-ng voices through pyttsx3, plus the piper neural voice
when the neural-voice extra is installed), transcribes it with the default engine primed with the
profile, and runs says_name and says_phone. A trial is right when both checks give the expected
status. Target from the voice-path issue: at least 22 of 24 right.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MOCKCALL_HOME", tempfile.mkdtemp(prefix="mockcall-bench-"))

from audio.dsp import read_audio, resample  # noqa: E402
from audio.transcribe import build_prompt, make_transcriber  # noqa: E402
from audio.tts import PiperVoice, SystemVoice, bundled_piper_voices  # noqa: E402
from simulator import locations  # noqa: E402
from simulator.checks import REGISTRY, CheckContext  # noqa: E402
from simulator.checks.base import NoParams  # noqa: E402
from simulator.profile import Profile  # noqa: E402

PROFILES = [
    Profile(
        name="Maria Delgado", phone="(312) 555-0187", role="Project Coordinator", company="Acme"
    ),
    Profile(name="Samuel Okafor", phone="415-555-0123", role="Software Engineer", company="Globex"),
]
ESPEAK_VOICES = ["en-us", "en-gb", "en-us+f2", "en+m7", "en-gb+f4"]


def message(profile: Profile, with_name: bool, with_number: bool) -> str:
    spoken = " ".join(
        {"0": "zero"}.get(
            d,
            ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][
                int(d)
            ],
        )
        for d in profile.phone_digits()
    )
    grouped = spoken.split()
    number = f"{' '.join(grouped[:3])}, {' '.join(grouped[3:6])}, {' '.join(grouped[6:])}"
    opener = f"Hello, my name is {profile.name}." if with_name else "Hello there."
    body = f" I'm calling about the {profile.role} opening I applied for last week."
    contact = (
        f" You can reach me at {number}. Once more, that's {number}."
        if with_number
        else " I'd really like to talk about the role, so please call me back when you can."
    )
    return opener + body + contact + " Thank you, and have a great day."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", nargs="+", default=ESPEAK_VOICES, help="espeak voice specs")
    parser.add_argument("--rate", type=int, default=165, help="words per minute")
    parser.add_argument("--no-piper", action="store_true", help="leave out the neural voice")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mockcall-trials-"))
    transcriber = make_transcriber("faster-whisper", None, locations.cache_dir())
    speakers: list[tuple[str, object, str | None]] = [(v, SystemVoice(), v) for v in args.voices]
    if bundled_piper_voices() and not args.no_piper:
        speakers.append(("piper", PiperVoice(), None))
    variants = [(True, True), (True, False), (False, True), (False, False)]
    right = total = 0
    print(f"{'voice':<16} {'name?':<6} {'number?':<8} {'says_name':<10} {'says_phone':<10} ok")
    trial = 0
    for label, speaker, voice in speakers:
        for with_name, with_number in variants:
            profile = PROFILES[trial % len(PROFILES)]
            trial += 1
            text = message(profile, with_name, with_number)
            wav = speaker.synthesize(text, folder / f"t{trial}.wav", voice=voice, rate=args.rate)  # type: ignore[attr-defined]
            samples, rate = read_audio(wav)
            samples = resample(samples, rate, 16000) if rate != 16000 else samples
            transcript = transcriber.transcribe(
                samples, prompt=build_prompt(profile.name, profile.role, profile.company)
            )
            ctx = CheckContext(transcript=transcript, profile=profile)
            name = REGISTRY["says_name"].func(ctx, NoParams()).status
            phone = REGISTRY["says_phone"].func(ctx, NoParams()).status
            ok = name == ("pass" if with_name else "fail") and phone == (
                "pass" if with_number else "fail"
            )
            right += ok
            total += 1
            print(
                f"{label:<16} {with_name!s:<6} {with_number!s:<8} {name:<10} {phone:<10} "
                f"{'yes' if ok else 'NO  <- ' + transcript.text}"
            )
    print(f"\n{right} of {total} trials right (target: at least 22 of 24)")


if __name__ == "__main__":
    main()
