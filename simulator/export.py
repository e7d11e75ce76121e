"""Saved sessions as Markdown, JSON and terminal text, and word diffs between retakes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from audio.transcript import Transcript
from simulator.checks.base import CheckResult
from simulator.checks.text import fmt_time, normalize_word
from simulator.report import StepReport, headline, severity_tag
from simulator.store import SessionDetail, SessionSummary, TakeRecord, TakeStats, take_stats

DiffOp = Literal["equal", "delete", "insert"]

_MARK = {"pass": "✔", "fail": "✘", "skipped": "–"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_TAKE_STATUS = {
    "recording": "still recording (or interrupted)",
    "recovered": "recovered after an interruption: audio kept, not transcribed yet",
    "abandoned": "abandoned",
}


@dataclass(frozen=True)
class TakeComparison:
    """Two takes of the same step side by side: their numbers and a word diff."""

    a: TakeStats
    """Numbers for the first (usually earlier) take."""
    b: TakeStats
    """Numbers for the second take."""
    diff: tuple[tuple[DiffOp, tuple[str, ...]], ...]
    """diff_takes(a, b): what stayed, what was dropped from a, what b added."""


# -- JSON ----------------------------------------------------------------------------------------


def session_json(detail: SessionDetail) -> dict[str, Any]:
    """The session in the CLI's JSON report shape, plus session, timing and every take.

    "steps" holds each step's latest complete take (the answers the verdict rests on) exactly as
    `mockcall run --json` reports them; "takes" holds every take, retakes and recoveries included.
    """
    summary = detail.summary
    steps = []
    for take in detail.final_takes():
        assert take.transcript is not None  # final takes are complete
        step = StepReport(
            take.step_index, take.prompt, take.transcript, take.results, take.audio_path, take.id
        ).to_json()
        step["take"] = take.id
        step["attempt"] = take.attempt
        steps.append(step)
    return {
        "scenario": summary.scenario_id,
        "passed": bool(summary.passed),
        "complete": _answered_every_step(summary.scenario_id, len(steps)),
        "steps": steps,
        "session": summary.id,
        "title": summary.title,
        "kind": summary.kind,
        "status": summary.status,
        "started_at": summary.started_at.isoformat(),
        "finished_at": summary.finished_at.isoformat() if summary.finished_at else None,
        "engine": summary.engine,
        "model": summary.model,
        "takes": [_take_json(t) for t in detail.takes],
    }


def _answered_every_step(scenario_id: str, answered: int) -> bool | None:
    """True when every step of the scenario has an answer, as `run --json` reports it.

    None when the scenario is no longer installed, so its number of steps is unknown.
    """
    from simulator.errors import UserError
    from simulator.scenario import find_scenario

    try:
        return answered >= len(find_scenario(scenario_id).steps)
    except UserError:
        return None


def _take_json(take: TakeRecord) -> dict[str, Any]:
    transcript = take.transcript
    return {
        "id": take.id,
        "index": take.step_index,
        "attempt": take.attempt,
        "status": take.status,
        "created_at": take.created_at.isoformat(),
        "duration": take.duration,
        "audio": str(take.audio_path) if take.audio_path else None,
        "prompt": take.prompt,
        "transcript": transcript.text if transcript else None,
        "timed": transcript.timed if transcript else None,
        "words": [
            {"text": w.text, "start": w.start, "end": w.end, "probability": w.probability}
            for w in transcript.words
        ]
        if transcript
        else [],
        "checks": [_check_json(r) for r in take.results],
        "passed": take.passed,
        "overflows": take.overflows,
        "ended_by": take.ended_by,
    }


def _check_json(result: CheckResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "status": result.status,
        "severity": result.severity,
        "evidence": result.evidence,
        "tip": result.tip,
        "label": result.label,
        "optional": result.optional,
    }


def history_json(sessions: Sequence[SessionSummary]) -> list[dict[str, Any]]:
    """The history list for `mockcall history --json`."""
    return [
        {
            "session": s.id,
            "scenario": s.scenario_id,
            "title": s.title,
            "kind": s.kind,
            "started_at": s.started_at.isoformat(),
            "finished_at": s.finished_at.isoformat() if s.finished_at else None,
            "status": s.status,
            "passed": s.passed,
            "takes": s.take_count,
            "pass_rate": s.pass_rate,
            "engine": s.engine,
            "model": s.model,
        }
        for s in sessions
    ]


# -- Markdown ------------------------------------------------------------------------------------


def session_markdown(detail: SessionDetail) -> str:
    """The session as a Markdown document: every step's prompt, takes, transcripts and checklist."""
    summary = detail.summary
    lines = [
        f"# {_md(summary.title)} — {_verdict(summary)}",
        "",
        f"- **Scenario:** `{summary.scenario_id}` ({_md(summary.kind)})",
        f"- **Session:** {summary.id}, started {_when(summary.started_at)}, {_status(summary)}",
    ]
    if summary.engine or summary.model:
        engine = " ".join(filter(None, [summary.engine, summary.model]))
        lines.append(f"- **Transcribed with:** {_md(engine)}")
    if summary.pass_rate is not None:
        lines.append(f"- **Checks passed:** {summary.pass_rate:.0%}")
    final = [r for take in detail.final_takes() for r in take.results]
    if final:
        top = headline(final, summary.kind)
        lines += [f"- **{_md(top.must_line)}**", f"- {_md(top.advice_line)}"]
    if not detail.takes:
        lines += ["", "_No answers were recorded in this session._"]
    for step_index in detail.step_indices():
        takes = detail.takes_for_step(step_index)
        lines += ["", f"## Step {step_index + 1}", "", f"**Asked:** {_md(takes[-1].prompt)}"]
        for take in takes:
            lines += ["", f"### {_take_heading(take, len(takes))}", ""]
            if take.transcript is None:
                lines.append(f"_{_TAKE_STATUS.get(take.status, take.status)}_")
                if take.audio_path is not None:
                    lines.append(f"\nAudio: `{take.audio_path}`")
                continue
            said = take.transcript.text or "(no speech detected)"
            lines += [f"> {_md(said)}", ""]
            for r in take.results:
                opt = f" _{severity_tag(r).strip()}_" if severity_tag(r) else ""
                line = f"- {_MARK[r.status]} **{_md(r.label or r.id)}** (`{r.id}`){opt}"
                if r.evidence:
                    line += f" — heard: {_md(r.evidence)}"
                lines.append(line)
                if r.tip and r.status != "pass":
                    lines.append(f"  - _Tip:_ {_md(r.tip)}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    # Transcripts are the user's words: keep them literal, never Markdown.
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


# -- terminal text -------------------------------------------------------------------------------


def render_session_text(detail: SessionDetail) -> str:
    """A readable session for `mockcall show`: every step, take, transcript and check."""
    summary = detail.summary
    lines = [
        f"{summary.title} ({summary.scenario_id}) — {_verdict(summary).upper()}"
        f"   [session {summary.id}]",
        f"Started {_when(summary.started_at)} · {_status(summary)}"
        + (f" · {summary.engine} {summary.model}".rstrip() if summary.engine else ""),
    ]
    final = [r for take in detail.final_takes() for r in take.results]
    if final:
        top = headline(final, summary.kind)
        lines += [top.must_line, top.advice_line]
    if not detail.takes:
        lines += ["", "No answers were recorded in this session."]
    for step_index in detail.step_indices():
        takes = detail.takes_for_step(step_index)
        lines += ["", f"Step {step_index + 1}: {takes[-1].prompt}"]
        for take in takes:
            lines.append(f"  {_take_heading(take, len(takes))}")
            if take.transcript is None:
                lines.append(f"    {_TAKE_STATUS.get(take.status, take.status)}")
                if take.audio_path is not None:
                    lines.append(f"    audio: {take.audio_path}")
                continue
            lines.append(f"    You said: {take.transcript.text or '(no speech detected)'}")
            for r in take.results:
                lines.append(f"    {_MARK[r.status]} {r.label or r.id} [{r.id}]{severity_tag(r)}")
                if r.evidence:
                    lines.append(f"        heard: {r.evidence}")
                if r.tip and r.status != "pass":
                    lines.append(f"        tip:   {r.tip}")
    return "\n".join(lines)


def render_history_table(sessions: Sequence[SessionSummary]) -> str:
    """The history list for `mockcall history`: one row per session, newest first as given."""
    if not sessions:
        return (
            "No sessions yet: practise with `mockcall run SCENARIO`, or open the app: `mockcall`."
        )
    header = ("ID", "Started", "Scenario", "Status", "Result", "Takes", "Checks")
    rows = [
        (
            str(s.id),
            _when(s.started_at),
            _clip(s.title, 32),
            s.status.replace("_", " "),
            {True: "✔ passed", False: "✘ needs work", None: "–"}[s.passed],
            str(s.take_count),
            f"{s.pass_rate:.0%}" if s.pass_rate is not None else "–",
        )
        for s in sessions
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {0, 5, 6}  # numbers line up on the right

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([fmt(header), *(fmt(r) for r in rows)])


# -- comparing retakes ---------------------------------------------------------------------------


def diff_takes(
    a: TakeRecord | Transcript, b: TakeRecord | Transcript
) -> list[tuple[DiffOp, tuple[str, ...]]]:
    """A word diff from take A to take B: ("equal", words of B), ("delete", A's), ("insert", B's).

    Words are compared by their normalised form, so case and punctuation ("Rivera," vs
    "rivera") are not changes; bare punctuation is left out. A replaced run comes out as a
    delete followed by an insert.
    """
    words_a, words_b = _diff_words(a), _diff_words(b)
    matcher = difflib.SequenceMatcher(
        None, [n for n, _ in words_a], [n for n, _ in words_b], autojunk=False
    )
    out: list[tuple[DiffOp, tuple[str, ...]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", tuple(w for _, w in words_b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("delete", tuple(w for _, w in words_a[i1:i2])))
        if j2 > j1:
            out.append(("insert", tuple(w for _, w in words_b[j1:j2])))
    return out


def _diff_words(take: TakeRecord | Transcript) -> list[tuple[str, str]]:
    transcript = take.transcript if isinstance(take, TakeRecord) else take
    if transcript is None:
        return []
    pairs = [(normalize_word(w.text), w.text.strip()) for w in transcript.words]
    return [(norm, text) for norm, text in pairs if norm]


def compare_takes(a: TakeRecord, b: TakeRecord) -> TakeComparison:
    """Both takes' numbers and the word diff between them."""
    return TakeComparison(take_stats(a), take_stats(b), tuple(diff_takes(a, b)))


def render_diff_inline(diff: Sequence[tuple[DiffOp, tuple[str, ...]]]) -> str:
    """A diff as one line of text: dropped words in [-…-], added words in {+…+}."""
    parts: list[str] = []
    for op, words in diff:
        text = " ".join(words)
        parts.append({"equal": text, "delete": f"[-{text}-]", "insert": f"{{+{text}+}}"}[op])
    return " ".join(parts)


def render_comparison(a: TakeRecord, b: TakeRecord) -> str:
    """Two takes of a step compared for the terminal: a table of numbers, then the word diff."""
    comparison = compare_takes(a, b)
    sa, sb = comparison.a, comparison.b
    head_a, head_b = f"take {a.attempt}", f"take {b.attempt}"
    rows = [
        ("duration", _secs(sa.duration), _secs(sb.duration)),
        ("pace (wpm)", _num(sa.wpm), _num(sb.wpm)),
        ("fillers", str(sa.fillers), str(sb.fillers)),
        ("fillers/min", _num(sa.filler_per_min, 1), _num(sb.filler_per_min, 1)),
        ("checks passed", _checks(sa), _checks(sb)),
    ]
    label_w = max(len(r[0]) for r in rows)
    col_a = max(len(head_a), *(len(r[1]) for r in rows))
    col_b = max(len(head_b), *(len(r[2]) for r in rows))
    lines = [
        f"Step {b.step_index + 1}: take {a.attempt} vs take {b.attempt}",
        f"  {'':<{label_w}}  {head_a:>{col_a}}  {head_b:>{col_b}}",
    ]
    lines += [f"  {lab:<{label_w}}  {x:>{col_a}}  {y:>{col_b}}" for lab, x, y in rows]
    changes = render_diff_inline(comparison.diff)
    lines += ["", f"  Words: {changes}" if changes else "  Words: (neither take has a transcript)"]
    return "\n".join(lines)


# -- small formatting helpers --------------------------------------------------------------------


def _verdict(summary: SessionSummary) -> str:
    if summary.passed is True:
        return "passed"
    if summary.passed is False:
        return "needs work"
    return "unfinished"


def _status(summary: SessionSummary) -> str:
    return summary.status.replace("_", " ")


def _when(moment: datetime) -> str:
    # Stored in UTC; people read their own clock.
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _take_heading(take: TakeRecord, count: int) -> str:
    parts = [f"Take {take.attempt} of {count}" if count > 1 else "Take 1"]
    details = []
    if take.duration is not None:
        details.append(_secs(take.duration))
    if take.transcript is not None:
        stats = take_stats(take)
        if stats.wpm is not None:
            details.append(f"{stats.wpm:.0f} wpm")
        if stats.speech_seconds is not None:
            details.append(f"{stats.fillers} filler{'s' if stats.fillers != 1 else ''}")
        details.append("passed" if take.passed else "needs work")
    elif take.status != "complete":
        details.append(take.status)
    if details:
        parts.append(f"({', '.join(details)})")
    return " ".join(parts)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _secs(seconds: float | None) -> str:
    return fmt_time(seconds) if seconds is not None else "–"


def _num(value: float | None, places: int = 0) -> str:
    return f"{value:.{places}f}" if value is not None else "–"


def _checks(stats: TakeStats) -> str:
    counted = stats.checks_passed + stats.checks_failed
    return f"{stats.checks_passed}/{counted}" if counted else "–"
