"""Messages workers post to carry results from threads to the handlers that own the UI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from audio.devices import DeviceInfo
from audio.live import Caption
from audio.transcript import Segment
from audio.tts import VoiceInfo
from simulator.report import StepReport
from simulator.session import AnswerTranscriber, Cue


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
class CaptionUpdated(Message):
    """The live caption changed: final words, then provisional ones; only the newest matters."""

    caption: Caption
    """What to show of the answer so far."""
    ticks: tuple[tuple[str, bool], ...] = ()
    """The step's must-haves (label, said yet) on the caption, for the live checklist."""

    def can_replace(self, message: Message) -> bool:
        """Coalesce: a newer caption holds everything an older one did."""
        return isinstance(message, CaptionUpdated)


@dataclass
class CueHeard(Message):
    """The interviewer reacted during the answer: a cut-in, or "I can't hear you"."""

    cue: Cue
    """What they said, and when."""


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
