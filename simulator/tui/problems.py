"""Turns a failed background job into one line for a notice."""

from __future__ import annotations

from typing import Any

from textual.worker import Worker

from audio.errors import AudioError
from simulator.errors import UserError


def describe_error(error: BaseException | None) -> str:
    """A user-facing line for an exception: ours are written for users, others get their type."""
    if error is None:
        return "unknown error"
    if isinstance(error, UserError | AudioError):
        return str(error)
    text = str(error).strip() or "no details"
    return f"{type(error).__name__}: {text}"


def problem_text(worker: Worker[Any]) -> str:
    """`Couldn't record your answer: PortAudioError: …` for a worker that ended in error."""
    what = worker.description or worker.name or "finish a background job"
    return f"Couldn't {what}: {describe_error(worker.error)}"
