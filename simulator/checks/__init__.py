"""Every check mockcall runs on an answer, found by stable id."""

from __future__ import annotations

# Imported for their side effect: each module registers its checks. The order is the report's:
# delivery's general checks, then no_profanity (language), then the coaching checks.
# isort: off
from simulator.checks import delivery as delivery
from simulator.checks import contact as contact
from simulator.checks import language as language
from simulator.checks import ownership as ownership
from simulator.checks import coaching as coaching
from simulator.checks import we_count as we_count

# isort: on
from simulator.checks.base import CheckContext, CheckDef, CheckResult, Span, Status
from simulator.checks.registry import REGISTRY

GENERAL_CHECK_IDS: tuple[str, ...] = tuple(c.id for c in REGISTRY.values() if c.general)
"""Checks run on every step unless a scenario turns them off (registered with general=True), in
report order: delivery first (filler_rate, pace, long_pauses, first_word_latency), then
no_profanity, then the coaching checks, as the modules above are imported."""

__all__ = [
    "GENERAL_CHECK_IDS",
    "REGISTRY",
    "CheckContext",
    "CheckDef",
    "CheckResult",
    "Span",
    "Status",
]
