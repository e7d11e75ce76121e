"""A graded session: per-step transcripts and check results, as JSON and as readable text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio.transcript import Transcript
from simulator.checks import REGISTRY
from simulator.checks.base import CheckResult, Status

_MARK = {"pass": "✔", "fail": "✘", "skipped": "–"}

MUST_HEADINGS: dict[str, str] = {"voicemail": "Returnable"}
"""What the must-haves add up to, by scenario kind ("Must-haves" for the rest)."""


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
        """True when no must check failed (advice and optional misses never fail a step)."""
        return not any(r.counts_as_failure for r in self.results)

    def to_json(self) -> dict[str, Any]:
        """The step in the CLI's JSON report shape."""
        return {
            "index": self.index,
            "step_id": self.step_id,
            "interrupted_at": self.interrupted_at,
            "transcript": self.transcript.text,
            "checks": [_check_json(r) for r in self.results],
        }


def _check_json(result: CheckResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": result.id,
        "status": result.status,
        "severity": result.severity,
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
    scenario_kind: str = ""
    """The scenario's kind (voicemail, interview, …), which names the headline."""
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
        """True when every step was answered and every must check passed."""
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


def short_name(check_id: str) -> str:
    """The check's name in the headline ("number", "pace"), as it registered."""
    check = REGISTRY.get(check_id)
    return check.short if check is not None else check_id.replace("_", " ")


def _decides(result: CheckResult) -> bool:
    return result.severity == "must" and not result.optional


def _overall(statuses: Iterable[Status]) -> Status:
    found = set(statuses)
    if "fail" in found:
        return "fail"
    return "pass" if "pass" in found else "skipped"


def _advice_phrase(result: CheckResult) -> str:
    # Fillers and pauses are counted by their marks: "2 long pauses" says more than "long pauses".
    name = short_name(result.id)
    marked = {(s.first_word, s.last_word) for s in result.spans if s.kind in ("filler", "pause")}
    if not marked:
        return name
    if len(marked) == 1 and name.endswith("s"):
        name = name[:-1]
    return f"{len(marked)} {name}"


@dataclass(frozen=True)
class Headline:
    """The top of a results page: what decides the drill, then what is advice."""

    heading: str
    """What the must-haves add up to: "Returnable" for a voicemail, else "Must-haves"."""
    musts: tuple[tuple[str, Status], ...]
    """Each must check's short name and overall status, in report order."""
    advice: tuple[str, ...]
    """A short phrase per failed advice (or optional) check: "pace", "2 long pauses"."""

    @property
    def must_line(self) -> str:
        """`Returnable: name ✔ number ✘ role ✔`."""
        if not self.musts:
            return f"{self.heading}: none in this drill (every check is advice)"
        return f"{self.heading}: " + " ".join(f"{n} {_MARK[s]}" for n, s in self.musts)

    @property
    def advice_line(self) -> str:
        """`Advice: pace, 2 long pauses`."""
        return f"Advice: {', '.join(self.advice)}" if self.advice else "Advice: nothing to work on"


def headline(results: Iterable[CheckResult], kind: str = "") -> Headline:
    """The headline of RESULTS; a check run on several steps counts as failed if any failed."""
    results = list(results)
    by_id: dict[str, list[Status]] = {}
    for r in results:
        if _decides(r):
            by_id.setdefault(r.id, []).append(r.status)
    advice: list[str] = []
    for r in results:
        if r.status == "fail" and not _decides(r) and _advice_phrase(r) not in advice:
            advice.append(_advice_phrase(r))
    return Headline(
        MUST_HEADINGS.get(kind, "Must-haves"),
        tuple((short_name(i), _overall(s)) for i, s in by_id.items()),
        tuple(advice),
    )


def severity_tag(result: CheckResult) -> str:
    """ " (optional)" or " (advice)" after a check's name, "" for a must."""
    if result.optional:
        return " (optional)"
    return " (advice)" if result.severity == "advice" else ""


def render_text(report: SessionReport) -> str:
    """A readable report for the terminal: verdict and headline first, then every step."""
    verdict = "PASSED" if report.passed else "NEEDS WORK"
    if not report.complete:
        verdict += f" (answered {len(report.steps)} of {report.total_steps} steps)"
    lines = [f"{report.scenario_title} ({report.scenario_id}) — {verdict}"]
    if report.session_id is not None:
        lines[0] += f"   [session {report.session_id}]"
    top = headline((r for s in report.steps for r in s.results), report.scenario_kind)
    lines += [top.must_line, top.advice_line]
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
            mark = "?" if r.unsettled_at is not None else _MARK[r.status]
            lines.append(f"  {mark} {label} [{r.id}]{severity_tag(r)}")
            if r.evidence:
                lines.append(f"      heard: {r.evidence}")
            if r.tip and r.status != "pass":
                lines.append(f"      tip:   {r.tip}")
    return "\n".join(lines)
