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

    @property
    def passed(self) -> bool:
        """True when no required check failed."""
        return not any(r.counts_as_failure for r in self.results)

    def to_json(self) -> dict[str, Any]:
        """The step in the CLI's JSON report shape."""
        return {
            "index": self.index,
            "transcript": self.transcript.text,
            "checks": [_check_json(r) for r in self.results],
        }


def _check_json(result: CheckResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": result.id,
        "status": result.status,
        "evidence": result.evidence,
        "tip": result.tip,
    }
    if result.unsettled_at is not None:
        # The audio did not settle the check: the moment to listen back to, in seconds.
        out["unsettled_at"] = result.unsettled_at
    return out


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

    @property
    def complete(self) -> bool:
        """True when every step of the scenario was answered."""
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
    for step in report.steps:
        lines.append("")
        lines.append(f"Step {step.index + 1}: {step.prompt}")
        said = step.transcript.text or "(no speech detected)"
        lines.append(f"  You said: {said}")
        for r in step.results:
            label = r.label or r.id
            opt = " (optional)" if r.optional else ""
            mark = "?" if r.unsettled_at is not None else _MARK[r.status]
            lines.append(f"  {mark} {label} [{r.id}]{opt}")
            if r.evidence:
                lines.append(f"      heard: {r.evidence}")
            if r.tip and r.status != "pass":
                lines.append(f"      tip:   {r.tip}")
    return "\n".join(lines)
