"""The shapes every check shares: its context, its result, and the registry entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from audio.prosody import Prosody
from audio.transcript import Transcript
from simulator.profile import Profile

Status = Literal["pass", "fail", "skipped"]
Severity = Literal["must", "advice"]
"""must: a miss fails the drill (a voicemail without a number); advice: delivery feedback only."""
SEVERITIES: tuple[Severity, ...] = ("must", "advice")


class NoParams(BaseModel):
    """Parameters of a check that takes none."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Span:
    """A stretch of the transcript a result points at, for highlighting in the UI."""

    first_word: int
    """Index of the first word in Transcript.words."""
    last_word: int
    """Index of the last word (inclusive)."""
    kind: Literal["evidence", "filler", "pause", "miss"] = "evidence"
    """How the UI should mark it."""


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at for one answer."""

    transcript: Transcript
    """The answer."""
    profile: Profile
    """The user's profile (name, phone, role…)."""
    time_limit: float | None = None
    """The step's answer time limit in seconds."""
    prompt: str = ""
    """What the interviewer said before this answer."""
    scenario_kind: str = ""
    """The scenario's kind (voicemail, phone-screen, …)."""
    prosody: Prosody | None = None
    """Pitch and loudness measured on the answer's audio; None for typed answers (audio checks
    are skipped)."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one answer."""

    id: str
    """The stable check id, e.g. "says_phone"."""
    status: Status
    """pass, fail or skipped."""
    evidence: str
    """The words heard (with times when known) that decided the result, or what was missing."""
    tip: str
    """One line on what to do next time ("" when there is nothing to add)."""
    label: str = ""
    """A short human title, e.g. "Callback number said"."""
    optional: bool = False
    """True when the scenario marks the check optional: a fail does not fail the session."""
    spans: tuple[Span, ...] = ()
    """Parts of the transcript to highlight."""
    severity: Severity = "must"
    """must (decides the drill) or advice (never fails the session); set by grading."""
    unsettled_at: float | None = None
    """Set when the audio did not settle the check: the moment (seconds) to listen back to.

    Such a result is "skipped" (it claims neither a pass nor a miss) but a must left unsettled
    still keeps the session from passing, since it was not shown to be met.
    """

    @property
    def counts_as_failure(self) -> bool:
        """True when this result should fail the session: a must that failed or was left unsettled."""
        missed = self.status == "fail" or self.unsettled_at is not None
        return missed and self.severity == "must" and not self.optional


CheckFunc = Callable[[CheckContext, Any], CheckResult]


@dataclass(frozen=True)
class CheckDef:
    """A registered check: its id, label, parameter model, function, severity and needs."""

    id: str
    """The stable check id."""
    label: str
    """A short human title."""
    func: CheckFunc
    """Runs the check; receives the validated params model instance."""
    params: type[BaseModel] = NoParams
    """Pydantic model for the check's parameters (extra fields forbidden)."""
    general: bool = False
    """True for the general checks that run on every step unless turned off."""
    severity: Severity = "must"
    """Whether a miss decides the drill (must) or is delivery advice, unless a scenario says."""
    needs: frozenset[str] = frozenset()
    """The profile fields the check compares the answer against (e.g. {"phone"})."""
    short: str = ""
    """A word or two for the results headline ("number", "pace")."""
