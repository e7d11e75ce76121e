"""Every check mockcall runs on an answer, found by stable id."""

from __future__ import annotations

from simulator.checks import contact, delivery, language  # noqa: F401  (they register themselves)
from simulator.checks.base import CheckContext, CheckDef, CheckResult, Span, Status
from simulator.checks.registry import REGISTRY

GENERAL_CHECK_IDS: tuple[str, ...] = (
    "filler_rate",
    "pace",
    "long_pauses",
    "first_word_latency",
    "no_profanity",
)
"""Checks run on every step unless a scenario turns them off, in report order."""

__all__ = [
    "GENERAL_CHECK_IDS",
    "REGISTRY",
    "CheckContext",
    "CheckDef",
    "CheckResult",
    "Span",
    "Status",
]
