"""Progress over tries: how each must-have check went in a scenario's last few sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.checks import GENERAL_CHECK_IDS
from simulator.checks.base import CheckResult
from simulator.store import PracticeTry

TRIES_SHOWN = 5
"""How many of the latest tries the must-have table looks back over."""


@dataclass(frozen=True)
class CheckTrack:
    """One must-have check across the latest tries of a scenario."""

    check_id: str
    """The stable check id."""
    label: str
    """Its human title."""
    marks: tuple[str | None, ...]
    """Per try, oldest first: pass, fail, skipped, or None when the check did not run."""

    @property
    def passed(self) -> int:
        """Tries in which it passed."""
        return sum(m == "pass" for m in self.marks)

    @property
    def judged(self) -> int:
        """Tries in which it passed or failed (skipped and absent tries left out)."""
        return sum(m in ("pass", "fail") for m in self.marks)

    def sentence(self) -> str:
        """`4 of your last 5 tries`."""
        tries = len(self.marks)
        last = f"your last {tries} tries" if tries != 1 else "your one try"
        return f"{self.passed} of {last}"


def is_must_have(result: CheckResult) -> bool:
    """True for the checks that decide the drill: the scenario's own, required ones.

    Optional checks never are; otherwise the result's severity says so ("must" or "advice"),
    or, for results saved without one, the general delivery checks (fillers, pace…) are advice.
    """
    if result.optional:
        return False
    severity = getattr(result, "severity", None)
    if severity is not None:
        return bool(severity == "must")
    return result.id not in GENERAL_CHECK_IDS


def must_have_tracks(tries: Sequence[PracticeTry]) -> list[CheckTrack]:
    """Each must-have check seen in TRIES with its outcome in every try, in first-seen order.

    A try with several steps counts a check as failed when it failed on any step, passed
    when it passed on one and failed on none.
    """
    labels: dict[str, str] = {}
    per_try: list[dict[str, str]] = []
    for attempt in tries:
        outcome: dict[str, str] = {}
        for take in attempt.takes:
            for result in take.results:
                if not is_must_have(result):
                    continue
                labels.setdefault(result.id, result.label or result.id)
                outcome[result.id] = _combine(outcome.get(result.id), result.status)
        per_try.append(outcome)
    return [
        CheckTrack(check_id, label, tuple(o.get(check_id) for o in per_try))
        for check_id, label in labels.items()
    ]


def _combine(seen: str | None, status: str) -> str:
    rank = {"fail": 0, "pass": 1, "skipped": 2}
    return status if seen is None or rank[status] < rank[seen] else seen
