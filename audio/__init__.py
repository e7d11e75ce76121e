"""Voice I/O for mockcall: text-to-speech, playback, recording, transcription and bundled models."""

import os as _os

# onnxruntime (Silero voice detection, the neural voice) otherwise keeps a device id and an
# event queue under ~/.cache/Microsoft/DeveloperTools/, outside mockcall's folders. The variable
# is read when onnxruntime starts, so it is set before anything here can import it;
# disable_telemetry_events() comes too late (the files are written at import).
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

OWNER = "mockcall"
"""Marks this `audio` package as mockcall's own (another distribution may ship one too)."""
