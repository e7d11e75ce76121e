"""Messages workers post to carry results from threads to the handlers that own the UI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from audio.devices import DeviceInfo
from audio.transcript import Segment
from audio.tts import VoiceInfo
from simulator.report import StepReport
from simulator.session import AnswerTranscriber


@dataclass
class TranscriberReady(Message):
    """The speech-to-text model finished loading."""

    transcriber: AnswerTranscriber
    """The loaded model, ready to transcribe."""


@dataclass
class SpeechFinished(Message):
    """The interviewer's line for a step has been spoken."""

    step_index: int
    """The step whose prompt was spoken."""


@dataclass
class LevelChanged(Message):
    """The microphone's latest peak level; only the newest one matters."""

    peak: float
    """Peak amplitude of the latest block, 0..1."""

    def can_replace(self, message: Message) -> bool:
        """Coalesce: a newer level makes an unhandled older one pointless."""
        return isinstance(message, LevelChanged)


@dataclass
class SegmentTranscribed(Message):
    """A stretch of the answer was transcribed while recording."""

    segment: Segment
    """The words heard, timed from the start of the answer."""


@dataclass
class AnswerGraded(Message):
    """An answer (spoken or typed) was transcribed, checked and saved."""

    report: StepReport
    """The take's transcript and check results."""


@dataclass
class PlaybackFinished(Message):
    """A take finished playing (or was stopped)."""

    path: Path
    """The file that was played."""


@dataclass
class MicTestFinished(Message):
    """The microphone test finished recording."""

    seconds: float
    """How much audio was recorded."""
    peak: float
    """The loudest block's peak, 0..1 (LevelChanged messages coalesce, so they cannot tell)."""


@dataclass
class PreviewFinished(Message):
    """The voice preview finished speaking."""


@dataclass
class DevicesListed(Message):
    """The audio devices found on this machine."""

    devices: list[DeviceInfo]
    """Every device PortAudio reports, in index order."""


@dataclass
class VoicesListed(Message):
    """The voices the speech engine offers."""

    voices: list[VoiceInfo]
    """The engine's voices (and variants)."""
