"""System-voice synthesis when the engine writes another format than WAV: NSSS (macOS) writes AIFF
whatever the file is called; SAPI5 (Windows) may write WAVE_FORMAT_EXTENSIBLE.

Those platforms cannot run here, so a stand-in `pyttsx3` package on the worker's path writes the
file the real driver produces (a real AIFF / WAVEX file, made by libsndfile), the way it produces
it: asynchronously, after runAndWait has returned, in pieces, then the finished-utterance event.
Everything else is the real path: the worker process, the completeness wait, the prompt renderer.
"""

from __future__ import annotations

import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audio.dsp import read_audio
from audio.tts import SystemVoice, _speech_frames, render_prompt

FAKE_DRIVER = '''
"""Stand-in for pyttsx3 with a driver that writes {fmt} files the way {platform} does."""
import io
import threading
import time

import numpy as np
import soundfile as sf

_TONE = (0.4 * np.sin(2 * np.pi * 220 * np.arange(22050 * 2) / 22050)).astype("float32")


class _Voice:
    id = "fake"
    name = "Fake {platform} voice"
    languages = ["en-US"]


class _Engine:
    def __init__(self):
        self._callbacks = []
        self._job = None

    def getProperty(self, name):
        return [_Voice()] if name == "voices" else None

    def setProperty(self, name, value):
        pass

    def connect(self, topic, callback):
        self._callbacks.append(callback)

    def save_to_file(self, text, filename):
        self._job = filename

    def runAndWait(self):
        filename = self._job
        buffer = io.BytesIO()
        sf.write(buffer, _TONE, 22050, format="{fmt}", subtype="PCM_16")
        data = buffer.getvalue()

        def write():
            with open(filename, "wb") as out:
                for start in range(0, len(data), 8192):
                    out.write(data[start : start + 8192])
                    out.flush()
                    time.sleep(0.01)
            for callback in self._callbacks:
                callback(name=None, completed=True)

        # Like NSSS's startSpeakingString:toURL:, the file is written after this returns.
        threading.Thread(target=write).start()


def init():
    return _Engine()
'''


@pytest.fixture(params=[("AIFF", "macOS NSSS"), ("WAVEX", "Windows SAPI5")], ids=["aiff", "wavex"])
def engine_format(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Put a pyttsx3 stand-in writing FORMAT first on the synthesis worker's path."""
    fmt, platform = request.param
    package = tmp_path / "fake_engine" / "pyttsx3"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        textwrap.dedent(FAKE_DRIVER).format(fmt=fmt, platform=platform)
    )
    monkeypatch.setenv("PYTHONPATH", str(package.parent))
    return str(fmt)


def test_engine_file_in_another_format_is_accepted_and_becomes_plain_wav(
    engine_format: str, tmp_path: Path
) -> None:
    out = SystemVoice().synthesize("Thanks for calling.", tmp_path / "prompt.wav", timeout=20)
    # A plain PCM WAV that Python's own wave module (and every player) opens.
    with wave.open(str(out), "rb") as wav:
        assert wav.getframerate() == 22050
        assert wav.getnframes() == 22050 * 2
    samples, _ = read_audio(out)
    assert 0.35 < float(np.max(np.abs(samples))) < 0.45


def test_prompt_renders_from_an_engine_writing_another_format(
    engine_format: str, tmp_path: Path
) -> None:
    out = render_prompt("Please leave a message.", tmp_path / "greeting.wav", timeout=20)
    samples, rate = read_audio(out)
    assert rate == 22050
    assert len(samples) / rate == pytest.approx(2.0, abs=0.01)


@pytest.mark.parametrize("fmt", ["WAV", "WAVEX", "AIFF"])
def test_speech_frames_reads_every_engine_format(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "speech.wav"  # NSSS keeps the .wav name it was given
    sf.write(str(path), np.zeros(1234, dtype=np.float32), 16000, format=fmt, subtype="PCM_16")
    assert _speech_frames(path) == 1234
    path.write_bytes(b"RIFF")
    assert _speech_frames(path) == -1
    assert _speech_frames(tmp_path / "missing.wav") == -1
