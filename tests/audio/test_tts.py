"""Real text-to-speech: pyttsx3 + espeak-ng (in worker processes), the neural voice, prompts."""

from __future__ import annotations

import importlib.util
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from audio.dsp import read_audio
from audio.errors import SpeechError
from audio.tts import SystemVoice, VoiceInfo, make_voice, match_voice, render_prompt

SENTENCES = [
    "Thanks for taking the time to speak with me today.",
    "Before we start, could you walk me through your most recent role?",
    "I noticed a gap of about six months on your resume.",
    "What were you doing during that time, and what did you learn from it?",
    "Tell me about a project that did not go the way you planned.",
    "How did you explain the delay to your stakeholders?",
    "Our team ships every two weeks, sometimes under a lot of pressure.",
    "Describe how you keep quality high when the schedule slips.",
]
LONG_TEXT = " ".join(SENTENCES * 4)
"""About 90 seconds of speech: long enough that pyttsx3's runAndWait returns before the file."""


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def samples(path: Path) -> NDArray[np.float32]:
    return read_audio(path)[0]


def band_energy(x: NDArray[np.float32], rate: int, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())


@pytest.mark.parametrize("voice", ["en-us", "English (Received Pronunciation)+f3"])
def test_long_text_is_synthesized_to_the_end(voice: str, tmp_path: Path) -> None:
    engine = SystemVoice()
    whole = engine.synthesize(LONG_TEXT, tmp_path / "whole.wav", voice=voice)
    shorter_text = LONG_TEXT.removesuffix(SENTENCES[-1]).strip()
    shorter = engine.synthesize(shorter_text, tmp_path / "shorter.wav", voice=voice)

    assert duration(whole) > 60
    # The last sentence is in the file: the file is its length longer than without it.
    assert 1.5 < duration(whole) - duration(shorter) < 6.0
    tail = samples(whole)[-int(4 * 22050) :]
    assert np.sqrt(np.mean(tail**2)) > 0.01
    assert not list(tmp_path.glob(".*"))


def test_different_voices_sound_different(tmp_path: Path) -> None:
    engine = SystemVoice()
    us = samples(engine.synthesize(SENTENCES[0], tmp_path / "us.wav", voice="en-us"))
    female = samples(engine.synthesize(SENTENCES[0], tmp_path / "f3.wav", voice="en-us+f3"))
    scottish = samples(engine.synthesize(SENTENCES[0], tmp_path / "sc.wav", voice="scotland"))

    assert not np.array_equal(us[: len(female)], female[: len(us)])
    assert not np.array_equal(us[: len(scottish)], scottish[: len(us)])


def test_a_slow_synthesis_times_out_instead_of_hanging(tmp_path: Path) -> None:
    # Thousands of sentences take pyttsx3 minutes (it grows its buffer quadratically).
    huge = " ".join(SENTENCES * 300)
    started = time.monotonic()

    with pytest.raises(SpeechError) as caught:
        SystemVoice().synthesize(huge, tmp_path / "huge.wav", timeout=1.5)

    assert time.monotonic() - started < 4.0
    assert str(caught.value) == "speech synthesis took longer than 1.5 s and was stopped"
    assert list(tmp_path.iterdir()) == []


def test_synthesis_prints_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # espeak and pyttsx3 print ("Audio saved to ..."); none of it may reach the terminal.
    SystemVoice().synthesize("Hello, and welcome.", tmp_path / "hello.wav", voice="en-us")

    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_parallel_synthesis_from_threads(tmp_path: Path) -> None:
    engine = SystemVoice()
    results: dict[int, float] = {}

    def speak(i: int) -> None:
        results[i] = duration(engine.synthesize(SENTENCES[i], tmp_path / f"{i}.wav"))

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(results) == [0, 1, 2]
    assert all(d > 1.0 for d in results.values())


def test_voice_list_and_matching() -> None:
    voices = SystemVoice().voices()
    ids = {v.id for v in voices}

    assert {"gmw/en-us", "gmw/en", "+f3", "+klatt"} <= ids
    assert VoiceInfo("gmw/en-us", "English (America)", ("en-us",)) in voices
    assert match_voice("en-us", voices) == "gmw/en-us"
    assert match_voice("English", voices) == "gmw/en"
    assert match_voice("america", voices) == "gmw/en-us"
    assert match_voice("f3", voices) == "gmw/en-us+f3"
    assert match_voice("en-gb-x-rp+m3", voices) == "gmw/en-gb-x-rp+m3"


def test_unknown_voice_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(SpeechError) as caught:
        SystemVoice().synthesize("Hello.", tmp_path / "x.wav", voice="klingon-imperial")

    message = str(caught.value)
    assert message.startswith("no system voice matches 'klingon-imperial' (voices include: ")
    assert "English (America)" in message and "\n" not in message


def test_phone_line_prompt_with_voicemail_beep(tmp_path: Path) -> None:
    text = "You have reached the hiring line. Please leave your name and number after the tone."
    plain, rate = read_audio(render_prompt(text, tmp_path / "plain.wav", voice="en-us"))
    phone, phone_rate = read_audio(
        render_prompt(text, tmp_path / "phone.wav", voice="en-us", phone_line=True, beep_after=True)
    )

    assert phone_rate == rate
    # The greeting, a pause, a 0.4 s beep at 1 kHz, and a short tail.
    assert len(phone) / rate == pytest.approx(len(plain) / rate + 0.35 + 0.4 + 0.05, abs=0.01)
    beep = phone[-int(0.45 * rate) : -int(0.05 * rate)]
    peak_hz = np.fft.rfftfreq(len(beep), 1 / rate)[np.argmax(np.abs(np.fft.rfft(beep)))]
    assert abs(peak_hz - 1000) < 5
    greeting = phone[: len(plain)]
    # Speech above 3.4 kHz and below 300 Hz is gone on the phone line but present in the plain one.
    for low, high in ((0, 250), (4000, rate / 2)):
        plain_share = band_energy(plain, rate, low, high) / band_energy(plain, rate, 0, rate / 2)
        phone_share = band_energy(greeting, rate, low, high) / band_energy(
            greeting, rate, 0, rate / 2
        )
        assert plain_share > 0.005
        assert phone_share < plain_share / 100


def test_neural_voice_speaks_or_says_how_to_install(tmp_path: Path) -> None:
    if importlib.util.find_spec("piper") is None:
        with pytest.raises(SpeechError, match=r"pip install 'mockcall\[neural-voice\]'"):
            make_voice("neural")
        return
    voice = make_voice("neural")
    assert [v.id for v in voice.voices()] == ["en_US-joe-medium"]

    out = render_prompt(SENTENCES[1], tmp_path / "neural.wav", kind="neural", rate=200)

    x, rate = read_audio(out)
    assert rate == 22050
    assert 2.0 < len(x) / rate < 8.0
    assert np.sqrt(np.mean(x**2)) > 0.05
