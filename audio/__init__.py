"""Voice I/O for mockcall: text-to-speech, playback, recording, transcription and bundled models."""
