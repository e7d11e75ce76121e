"""Every check mockcall runs on an answer, found by stable id."""

from __future__ import annotations

# Imported for their side effect: each module registers its checks.
from simulator.checks import contact as contact
from simulator.checks import delivery as delivery
from simulator.checks import language as language
from simulator.checks import we_count as we_count
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
