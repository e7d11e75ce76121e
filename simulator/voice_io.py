"""Adapters from the session's voice protocols to the real audio stack (pyttsx3/piper, PortAudio)."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.scenario import Persona
from simulator.session import LevelCallback, Recording
from simulator.settings import Settings

SAY_PREFIX = "mockcall-say-"
"""Start of the temporary folders prompts are rendered in (then the PID and a random part)."""


def _device(value: str) -> int | str | None:
    if not value:
        return None
    return int(value) if value.isdigit() else value


def check_devices(settings: Settings, *, microphone: bool, speaker: bool) -> None:
    """Raise the audio layer's one-line error when a needed device is missing."""
    from audio.devices import resolve_input, resolve_output

    if microphone:
        resolve_input(_device(settings.input_device))
    if speaker:
        resolve_output(_device(settings.output_device))


class SystemPromptVoice:
    """Speaks prompts with the configured voice, band-limited for phone personas, then plays them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def render(self, text: str, persona: Persona, *, voicemail: bool, out: Path) -> Path:
        """Render the prompt (and the beep for a voicemail greeting) to a WAV file."""
        from audio.tts import render_prompt

        neural = self.settings.voice_kind == "neural"
        # A persona names a system voice ("en-us+f3"); the neural voice uses its own unless set.
        voice = self.settings.voice or (None if neural else persona.voice)
        return render_prompt(
            text,
            out,
            voice=voice,
            rate=self.settings.rate or persona.rate,
            phone_line=persona.phone_line,
            beep_after=voicemail,
            kind="neural" if neural else "system",
        )

    def speak(self, text: str, persona: Persona, *, voicemail: bool, stop: threading.Event) -> None:
        """Say TEXT through the output device; return when done or when STOP is set."""
        from audio.playback import play_file

        # The PID in the name lets the next start remove what a killed run left behind.
        with tempfile.TemporaryDirectory(prefix=f"{SAY_PREFIX}{os.getpid()}-") as folder:
            wav = self.render(text, persona, voicemail=voicemail, out=Path(folder) / "prompt.wav")
            if not stop.is_set():
                play_file(wav, device=_device(self.settings.output_device), stop=stop)

    def prepare(self, text: str, persona: Persona) -> PreparedLine:
        """Render a line to play later without delay (the interviewer cutting in)."""
        return prepare_line(self, text, persona)


class PreparedLine:
    """A line rendered ahead of time, so it can start the moment it is needed (a cut-in)."""

    def __init__(self, wav: Path, folder: tempfile.TemporaryDirectory[str], device: str) -> None:
        self.wav = wav
        """The rendered line."""
        self._folder = folder
        self._device = device

    def play(self, stop: threading.Event) -> None:
        """Play it (concurrently with any recording); return when done or when STOP is set."""
        from audio.playback import play_file

        try:
            play_file(self.wav, device=_device(self._device), stop=stop)
        finally:
            self._folder.cleanup()


def prepare_line(voice: SystemPromptVoice, text: str, persona: Persona) -> PreparedLine:
    """Render TEXT in the persona's voice now, to play later."""
    folder = tempfile.TemporaryDirectory(prefix="mockcall-cut-in-")
    wav = voice.render(text, persona, voicemail=False, out=Path(folder.name) / "line.wav")
    return PreparedLine(wav, folder, voice.settings.output_device)


class MicrophoneRecorder:
    """Records answers from the configured input device, stopping on silence or the time limit."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def record(
        self,
        out: Path,
        *,
        time_limit: float,
        stop: threading.Event,
        on_level: LevelCallback | None = None,
        on_audio: Callable[[Any], None] | None = None,
    ) -> Recording:
        """Record one take into OUT."""
        from audio.recorder import record

        def linear(dbfs: float) -> None:
            # The recorder measures peak dBFS; the session's LevelCallback speaks a 0..1 peak.
            if on_level is not None:
                on_level(min(10 ** (dbfs / 20), 1.0))

        result = record(
            out,
            device=_device(self.settings.input_device),
            stop=stop,
            time_limit=time_limit,
            silence_stop=self.settings.silence_stop or None,
            on_audio=on_audio,
            on_level=linear if on_level is not None else None,
        )
        return Recording(result.path, result.duration, result.overflows, result.ended_by)
