"""A graded session: per-step transcripts and check results, as JSON and as readable text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio.transcript import Transcript
from simulator.checks.base import CheckResult

_MARK = {"pass": "✔", "fail": "✘", "skipped": "–"}


@dataclass(frozen=True)
class StepReport:
    """One answered step: what was asked, what was heard, how it did."""

    index: int
    """0-based step index in the scenario."""
    prompt: str
    """What the interviewer said."""
    transcript: Transcript
    """The answer."""
    results: tuple[CheckResult, ...]
    """The checks' results, step checks first, then the general ones."""
    audio_path: Path | None = None
    """The take's WAV file, None for typed answers."""
    take_id: int | None = None
    """The take's id in the history store, once saved."""
    step_id: str = ""
    """The step's id in the scenario (`step-N` for a step without one)."""
    interrupted_at: float | None = None
    """Seconds into the answer at which the interviewer cut in, None when they let you finish."""
    left: bool = False
    """True for a take the user left while recording: kept, but never graded."""

    @property
    def passed(self) -> bool:
        """True when no required check failed."""
        return not any(r.counts_as_failure for r in self.results)

    def to_json(self) -> dict[str, Any]:
        """The step in the CLI's JSON report shape."""
        return {
            "index": self.index,
            "step_id": self.step_id,
            "interrupted_at": self.interrupted_at,
            "transcript": self.transcript.text,
            "checks": [
                {"id": r.id, "status": r.status, "evidence": r.evidence, "tip": r.tip}
                for r in self.results
            ],
        }


@dataclass(frozen=True)
class SessionReport:
    """A whole session's outcome."""

    scenario_id: str
    """The scenario's id."""
    scenario_title: str
    """The scenario's title."""
    steps: tuple[StepReport, ...]
    """Every answered step, in order."""
    session_id: int | None = None
    """The session's id in the history store, once saved."""
    total_steps: int = 0
    """How many steps the scenario has (0: as many as were answered)."""
    reached_end: bool | None = None
    """True when the conversation ran to its end (None: judge by the number of steps)."""
    path: tuple[str, ...] = ()
    """The step ids in the order the conversation took them."""

    @property
    def complete(self) -> bool:
        """True when the conversation ran to its end (every step, for a scenario without branches)."""
        if self.reached_end is not None:
            return self.reached_end
        return len(self.steps) >= self.total_steps

    @property
    def passed(self) -> bool:
        """True when every step was answered and passed."""
        return self.complete and all(s.passed for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        """The report in PRODUCT.md's JSON shape (plus the session id when saved)."""
        out: dict[str, Any] = {
            "scenario": self.scenario_id,
            "passed": self.passed,
            "complete": self.complete,
            "steps": [s.to_json() for s in self.steps],
            "path": list(self.path or (s.step_id for s in self.steps)),
        }
        if self.session_id is not None:
            out["session"] = self.session_id
        return out


def render_text(report: SessionReport) -> str:
    """A readable report for the terminal."""
    verdict = "PASSED" if report.passed else "NEEDS WORK"
    if not report.complete:
        verdict += f" (answered {len(report.steps)} of {report.total_steps} steps)"
    lines = [f"{report.scenario_title} ({report.scenario_id}) — {verdict}"]
    if report.session_id is not None:
        lines[0] += f"   [session {report.session_id}]"
    if report.path:
        lines.append(f"Path: {' → '.join(report.path)}")
    for step in report.steps:
        lines.append("")
        lines.append(f"Step {step.index + 1}: {step.prompt}")
        if step.interrupted_at is not None:
            lines.append(f"  Cut off at {step.interrupted_at:.1f} s")
        said = step.transcript.text or "(no speech detected)"
        lines.append(f"  You said: {said}")
        for r in step.results:
            label = r.label or r.id
            opt = " (optional)" if r.optional else ""
            lines.append(f"  {_MARK[r.status]} {label} [{r.id}]{opt}")
            if r.evidence:
                lines.append(f"      heard: {r.evidence}")
            if r.tip and r.status != "pass":
                lines.append(f"      tip:   {r.tip}")
    return "\n".join(lines)
