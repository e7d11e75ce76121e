"""Messages workers post to carry results from threads to the handlers that own the UI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message

from audio.devices import DeviceInfo
from audio.transcript import Segment
from audio.tts import VoiceInfo
from simulator.report import SessionReport, StepReport


@dataclass
class TranscriberReady(Message):
    """The speech-to-text model finished loading."""

    transcriber: Any


@dataclass
class SpeechFinished(Message):
    """The interviewer's line for a step has been spoken (or skipped)."""

    step_index: int


@dataclass
class LevelChanged(Message):
    """The microphone's latest peak level, 0..1; only the newest one matters."""

    peak: float

    def can_replace(self, message: Message) -> bool:
        """Coalesce: a newer level makes an unhandled older one pointless."""
        return isinstance(message, LevelChanged)


@dataclass
class SegmentTranscribed(Message):
    """A stretch of the answer was transcribed while recording."""

    segment: Segment


@dataclass
class AnswerGraded(Message):
    """An answer (spoken or typed) was transcribed, checked and saved."""

    report: StepReport


@dataclass
class SessionFinished(Message):
    """The session was closed and its report is final."""

    report: SessionReport


@dataclass
class PlaybackFinished(Message):
    """A take finished playing (or was stopped)."""

    path: Path


@dataclass
class MicTestFinished(Message):
    """The microphone test recorded its few seconds; peak is the loudest level seen."""

    seconds: float


@dataclass
class PreviewFinished(Message):
    """The voice preview finished speaking."""


@dataclass
class DevicesListed(Message):
    """The audio devices found on this machine."""

    devices: list[DeviceInfo]


@dataclass
class VoicesListed(Message):
    """The voices the speech engine offers."""

    voices: list[VoiceInfo]
