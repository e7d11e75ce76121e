"""Voice I/O for mockcall: text-to-speech, playback, recording, transcription and bundled models."""

OWNER = "mockcall"
"""Marks this `audio` package as mockcall's own (another distribution may ship one too)."""
