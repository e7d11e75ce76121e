"""`mockcall run voicemail-screening` end to end: real voices, real PortAudio, real Whisper, real SQLite."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from audio.dsp import read_audio, resample
from audio.tts import SystemVoice
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
VOICES = ("en-us", "en-gb+f3")


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every answer spoken in every voice, synthesized with the real pyttsx3/espeak-ng."""
    folder = tmp_path_factory.mktemp("answers")
    voice = SystemVoice()
    made: dict[tuple[str, str], Path] = {}
    for voice_id in VOICES:
        for key, text in ANSWERS.items():
            out = folder / f"{voice_id.replace('+', '_')}-{key}.wav"
            made[(voice_id, key)] = voice.synthesize(text, out, voice=voice_id, rate=160)
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


@pytest.mark.parametrize("voice_id", VOICES)
@pytest.mark.parametrize("key", sorted(ANSWERS))
def test_answer_files_get_the_right_contact_checks(
    card: VirtualCard, answers: dict[tuple[str, str], Path], profile: Path, voice_id: str, key: str
) -> None:
    result = run(
        card,
        "run",
        "voicemail-screening",
        "--answer",
        str(answers[(voice_id, key)]),
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
    samples, rate = read_audio(answers[("en-us", "no_number")])
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
        str(answers[("en-gb+f3", "full")]),
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
