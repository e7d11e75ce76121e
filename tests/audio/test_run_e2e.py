"""`mockcall run voicemail-screening` end to end: real voices, real PortAudio, real Whisper, real SQLite.

Whisper's int8 output differs between CPUs, so no test here rests on one borderline transcript:
the exact-verdict tests speak with the piper neural voice (clear speech that tiny.en hears the
same way under int8, int8_float32 and float32, 1 or 2 threads), and the espeak-ng voices are
judged as a set with a stated tolerance (see test_espeak_voices_as_a_set).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from audio.dsp import read_audio, resample
from audio.transcribe import FasterWhisperTranscriber
from audio.tts import PiperVoice, SystemVoice
from simulator.profile import Profile
from simulator.scenario import find_scenario
from simulator.session import Practice
from simulator.store import Store
from tests.audio.conftest import VirtualCard, zeros

PROFILE = """[profile]
name = "Jordan Rivera"
phone = "(617) 555-0142"
role = "Data Analyst"
company = "Northwind"
"""

ANSWERS = {
    "full": (
        "Hi, this is Jordan Rivera calling about the Data Analyst position. You can reach me at "
        "six one seven, five five five, zero one four two. Again, that's Jordan Rivera, six one "
        "seven, five five five, zero one four two. Thank you."
    ),
    "no_number": (
        "Hi, this is Jordan Rivera calling about the Data Analyst position. I would love to talk "
        "about the role. Please give me a call back when you can. Thank you."
    ),
    "no_name": (
        "Hi, I'm calling about the Data Analyst position. You can reach me at six one seven, five "
        "five five, zero one four two. Again, six one seven, five five five, zero one four two."
    ),
}
EXPECTED = {
    "full": ("pass", "pass"),
    "no_number": ("pass", "fail"),
    "no_name": ("fail", "pass"),
}
PIPER = "piper"
"""The bundled piper voice: the clear speaker for exact verdicts."""
ESPEAK_VOICES = ("en-us", "en-gb+f3", "en+m7", "en-us+f2", "en-gb-x-rp", "en+f4")
"""espeak-ng voices, judged as a set: en-gb+f3 saying the number is heard as "5-5-0-1-4-2" by
int8 on AMD EPYC, but not by float32; a test of that one transcript is a coin toss."""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every answer in the piper voice and every espeak-ng voice (real piper, pyttsx3/espeak-ng)."""
    folder = tmp_path_factory.mktemp("answers")
    system, neural = SystemVoice(), PiperVoice()
    made: dict[tuple[str, str], Path] = {}
    for key, text in ANSWERS.items():
        made[(PIPER, key)] = neural.synthesize(text, folder / f"piper-{key}.wav")
        for voice_id in ESPEAK_VOICES:
            out = folder / f"{voice_id.replace('+', '_')}-{key}.wav"
            made[(voice_id, key)] = system.synthesize(text, out, voice=voice_id, rate=160)
    return made


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def run(card: VirtualCard, *args: str, unshare: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simulator", *args]
    if unshare:
        command = ["unshare", "-n", *command]
    return subprocess.run(command, capture_output=True, text=True, env=card.env(), timeout=300)


def statuses(report: dict[str, object], step: int = 0) -> dict[str, str]:
    steps = report["steps"]
    assert isinstance(steps, list)
    return {c["id"]: c["status"] for c in steps[step]["checks"]}


@pytest.mark.parametrize("key", sorted(ANSWERS))
def test_answer_files_get_the_right_contact_checks(
    card: VirtualCard, answers: dict[tuple[str, str], Path], profile: Path, key: str
) -> None:
    result = run(
        card,
        "run",
        "voicemail-screening",
        "--answer",
        str(answers[(PIPER, key)]),
        "--profile",
        str(profile),
        "--no-voice",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    got = statuses(report)
    assert (got["says_name"], got["says_phone"]) == EXPECTED[key], report["steps"][0]["transcript"]
    assert got["pace"] in {"pass", "fail"}  # timed audio: the timing checks really run


def test_espeak_voices_as_a_set(answers: dict[tuple[str, str], Path]) -> None:
    """Six espeak-ng voices x three answers, graded as `run` grades them (same Practice path).

    Never a false pass: a message without a number never passes says_phone, one without the
    name never passes says_name (the profile prompt must not put them in). Of the 12 name and
    12 number sayings, at least 10 of each are heard: measured 11-12 under int8, int8_float32
    and float32 with 1 or 2 threads on AMD EPYC, so one more miss on another CPU still passes.
    """
    scenario = find_scenario("voicemail-screening")
    profile = Profile(
        name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst", company="Northwind"
    )
    transcriber = FasterWhisperTranscriber()
    store = Store()
    heard = {"says_name": 0, "says_phone": 0}
    false_passes: list[str] = []
    misses: list[str] = []
    for voice_id in ESPEAK_VOICES:
        for key, expected in EXPECTED.items():
            practice = Practice(scenario, profile, store, transcriber=transcriber)
            report = practice.answer_file(0, answers[(voice_id, key)])
            got = {r.id: r.status for r in report.results}
            for check_id, want in zip(("says_name", "says_phone"), expected, strict=True):
                if want == "pass" and got[check_id] == "pass":
                    heard[check_id] += 1
                elif want == "pass":
                    misses.append(f"{voice_id} {key} {check_id}: {report.transcript.text}")
                if want == "fail" and got[check_id] == "pass":
                    false_passes.append(f"{voice_id} {key} {check_id}: {report.transcript.text}")
    assert false_passes == []
    assert heard["says_name"] >= 10 and heard["says_phone"] >= 10, (heard, misses)


def test_the_greeting_is_spoken_and_the_take_kept(
    card: VirtualCard, answers: dict[tuple[str, str], Path], profile: Path
) -> None:
    result = run(
        card,
        "run",
        "voicemail-screening",
        "--answer",
        str(answers[("en-us", "full")]),
        "--profile",
        str(profile),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    played = card.played().astype(np.float64)
    assert len(played) > 16000 * 5, "the greeting should last several seconds"
    assert np.sqrt(np.mean(played**2)) > 300, "the greeting should not be silent"
    # The voicemail beep ends the greeting: the last half second is dominated by ~1 kHz.
    tail = played[-8000:]
    spectrum = np.abs(np.fft.rfft(tail))
    peak_hz = np.argmax(spectrum) * 16000 / len(tail)
    assert 900 < peak_hz < 1100
    history = json.loads(run(card, "history", "--json").stdout)["sessions"]
    assert history[0]["scenario"] == "voicemail-screening"
    exported = json.loads(run(card, "export", "last", "--format", "json").stdout)
    take = exported["takes"][0]
    assert Path(take["audio"]).is_file()


@pytest.fixture
def microphone(card: VirtualCard, answers: dict[tuple[str, str], Path]) -> Iterator[VirtualCard]:
    """The virtual microphone delivering the spoken 'no number' answer, then silence."""
    samples, rate = read_audio(answers[(PIPER, "no_number")])
    speech = resample(samples, rate, 16000) if rate != 16000 else samples
    pcm = np.round(np.clip(speech, -1, 1) * 32767).astype("<i2")
    card.feed(np.concatenate([zeros(0.5), pcm, zeros(12.0)]))
    yield card


def test_microphone_answer_is_recorded_transcribed_and_checked(
    microphone: VirtualCard, profile: Path
) -> None:
    result = run(
        microphone, "run", "voicemail-screening", "--profile", str(profile), "--no-voice", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    got = statuses(report)
    assert got["says_name"] == "pass" and got["says_phone"] == "fail"
    assert "Jordan Rivera" in report["steps"][0]["transcript"]


def test_everything_works_with_the_network_cut_off(
    card: VirtualCard, answers: dict[tuple[str, str], Path], profile: Path
) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    assert probe.returncode == 0, f"unshare -n is needed for this test: {probe.stderr.strip()}"
    result = run(
        card,
        "run",
        "voicemail-screening",
        "--answer",
        str(answers[(PIPER, "full")]),
        "--profile",
        str(profile),
        "--json",
        unshare=True,
    )
    assert result.returncode == 0, result.stderr
    got = statuses(json.loads(result.stdout))
    assert got["says_name"] == "pass" and got["says_phone"] == "pass"
    assert len(card.played()) > 16000, "the greeting still plays offline"


def test_unreadable_answer_file_is_one_line(
    card: VirtualCard, tmp_path: Path, profile: Path
) -> None:
    bad = tmp_path / "corrupt.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    result = run(
        card,
        "run",
        "voicemail-screening",
        "--answer",
        str(bad),
        "--profile",
        str(profile),
        "--no-voice",
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "corrupt.wav" in result.stderr


def test_no_microphone_is_one_line_before_anything_is_saved(
    micless_card: VirtualCard, profile: Path
) -> None:
    result = run(micless_card, "run", "voicemail-screening", "--profile", str(profile))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "no microphone found" in lines[0] and "--answer FILE" in lines[0]
    sink = micless_card.playback_sink
    assert not sink.exists() or sink.stat().st_size == 0, "nothing is spoken without a microphone"
    history = run(micless_card, "history", "--json")
    assert json.loads(history.stdout)["sessions"] == []
