"""Errors the voice path raises; each one's str() is a single line meant for the user."""

from __future__ import annotations


class AudioError(Exception):
    """Base class: something about audio devices, files or speech went wrong."""

    def __init__(self, message: str) -> None:
        # The CLI prints str(exc) as one line, so any newline from a library message is folded.
        super().__init__(" ".join(message.split()))


class NoInputDevice(AudioError):
    """No usable microphone: none present, the one asked for is missing, or it cannot be opened."""


class NoOutputDevice(AudioError):
    """No usable speaker: none present, the one asked for is missing, or it cannot be opened."""


class AudioFileError(AudioError):
    """An audio file is missing, empty, corrupt or in a format nothing here can decode."""


class SpeechError(AudioError):
    """Text-to-speech failed, timed out, or the voice asked for is not available."""
