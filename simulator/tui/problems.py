"""Turns a failed background job into one line for a notice, worded for the app."""

from __future__ import annotations

import re
from typing import Any

from textual.worker import Worker

from audio.errors import AudioError
from simulator.errors import UserError

APP_WAYS_OUT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bpick one of those or\b"), "pick one of those in settings → Audio, or"),
    (re.compile(r"\banswer from a file with --answer FILE\b"), "type your answer (t in practice)"),
    (
        re.compile(r"\buse --no-voice to read the prompts instead\b"),
        "read the interviewer's lines on screen instead",
    ),
    (
        re.compile(r"\b(Add|Fix) it with: mockcall profile --\w+.*$"),
        r"\1 it in your profile (p in the library).",
    ),
)
"""The core's errors and tips name CLI flags (`--answer FILE`, `--no-voice`, `mockcall profile
--phone`); in the app the way out is a key or a screen. Each pattern and its app wording."""


def in_app(text: str) -> str:
    """TEXT with each command-line way out replaced by the app's own."""
    for pattern, replacement in APP_WAYS_OUT:
        text = pattern.sub(replacement, text)
    return text


def describe_error(error: BaseException | None) -> str:
    """A user-facing line for an exception: ours are written for users, others get their type."""
    if error is None:
        return "unknown error"
    if isinstance(error, UserError | AudioError):
        return in_app(str(error))
    text = str(error).strip() or "no details"
    return f"{type(error).__name__}: {text}"


def problem_text(worker: Worker[Any]) -> str:
    """`Couldn't record your answer: PortAudioError: …` for a worker that ended in error."""
    what = worker.description or worker.name or "finish a background job"
    return f"Couldn't {what}: {describe_error(worker.error)}"
