"""mockcall: rehearse job-interview calls out loud, with local transcription and a checklist."""

__version__ = "0.1.0"
