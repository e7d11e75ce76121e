"""Saved sessions as Markdown, JSON and terminal text, and word diffs between retakes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from audio.transcript import Transcript
from simulator.checks.base import CheckResult
from simulator.checks.text import fmt_time, normalize_word
from simulator.errors import UserError
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


LONG_PAUSE_SECONDS = 2.5
"""A silence between two words this long or longer counts as a pause (long_pauses' default)."""


@dataclass(frozen=True)
class CheckChange:
    """A check whose outcome differs between two takes."""

    id: str
    """The check id."""
    label: str
    """Its human title."""
    before: str | None
    """pass, fail or skipped on the first take; None when it did not run there."""
    after: str | None
    """The same on the second take."""


@dataclass(frozen=True)
class TakeComparison:
    """Two takes of the same step side by side: their numbers and a word diff."""

    a: TakeStats
    """Numbers for the first (usually earlier) take."""
    b: TakeStats
    """Numbers for the second take."""
    diff: tuple[tuple[DiffOp, tuple[str, ...]], ...]
    """diff_takes(a, b): what stayed, what was dropped from a, what b added."""
    changed: tuple[CheckChange, ...] = ()
    """The checks whose outcome changed from a to b, in b's report order."""
    pauses_a: tuple[float, ...] = ()
    """Seconds of each long pause inside take a's answer."""
    pauses_b: tuple[float, ...] = ()
    """The same for take b."""


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
            "mode": s.mode or None,
            "pass_rate": s.pass_rate,
            "engine": s.engine,
            "model": s.model,
        }
        for s in sessions
    ]


# -- Markdown ------------------------------------------------------------------------------------


def session_markdown(detail: SessionDetail, audio_links: dict[int, str] | None = None) -> str:
    """The session as a Markdown document: every step's prompt, takes, transcripts and checklist.

    Each step says which take counted for the verdict (its latest complete one); AUDIO_LINKS
    maps take ids to where their audio was copied, linked from each take's heading.
    """
    summary = detail.summary
    counted = {t.id for t in detail.final_takes()}
    links = audio_links or {}
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
            mark = " — counted for the verdict" if take.id in counted and len(takes) > 1 else ""
            lines += ["", f"### {_take_heading(take, len(takes))}{mark}", ""]
            if take.id in links:
                lines += [f"Audio: [{_md(links[take.id])}]({_link(links[take.id])})", ""]
            if take.transcript is None:
                lines.append(f"_{_TAKE_STATUS.get(take.status, take.status)}_")
                if take.audio_path is not None and take.id not in links:
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


def _link(target: str) -> str:
    # A relative file path as a Markdown link target: spaces and parentheses would end it.
    from urllib.parse import quote

    return quote(target, safe="/._-")


def _md(text: str) -> str:
    # Transcripts are the user's words: keep them literal, never Markdown.
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def audio_copies(detail: SessionDetail, report: Path) -> dict[int, tuple[Path, str]]:
    """For each take with audio: its file, and where a copy goes relative to REPORT's folder.

    Copies go into `<report stem>-audio/stepNN-takeNN.wav`, so the report links stay valid
    when the folder is moved or shared.
    """
    folder = f"{report.stem}-audio"
    return {
        t.id: (t.audio_path, f"{folder}/step{t.step_index + 1:02d}-take{t.attempt:02d}.wav")
        for t in detail.takes
        if t.audio_path is not None and t.audio_path.is_file()
    }


def write_export(
    detail: SessionDetail, target: Path, fmt: Literal["md", "json"], *, include_audio: bool
) -> list[Path]:
    """Write DETAIL to TARGET as Markdown or JSON (private to the user), with its audio beside.

    Returns every file written, the report first.
    """
    import json
    import os
    import shutil

    audio = audio_copies(detail, target) if include_audio else {}
    links = {take_id: rel for take_id, (_, rel) in audio.items()}
    if fmt == "md":
        text = session_markdown(detail, links)
    else:
        data = session_json(detail)
        if links:
            data["audio_files"] = {str(take_id): rel for take_id, rel in links.items()}
        text = json.dumps({"schema_version": 1, **data}, indent=2, ensure_ascii=False) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Transcripts are personal: created private, like the history they come from.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    written = [target]
    for source, relative in audio.values():
        copy = target.parent / relative
        copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(source, copy)
        copy.chmod(0o600)
        written.append(copy)
    return written


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
    header = ("ID", "Started", "Scenario", "How", "Status", "Result", "Takes", "Checks")
    rows = [
        (
            str(s.id),
            _when(s.started_at),
            _clip(s.title, 32),
            s.mode or "–",
            s.status.replace("_", " "),
            {True: "✔ passed", False: "✘ needs work", None: "–"}[s.passed],
            str(s.take_count),
            f"{s.pass_rate:.0%}" if s.pass_rate is not None else "–",
        )
        for s in sessions
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {0, 6, 7}  # numbers line up on the right

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([fmt(header), *(fmt(r) for r in rows)])


def describe_session(detail: SessionDetail) -> str:
    """`session 5 (Voicemail screening line, 2025-03-03 14:00, spoken, 2 takes, 2 audio files)`."""
    summary = detail.summary
    audio = sum(1 for t in detail.takes if t.audio_path is not None and t.audio_path.exists())
    parts = [summary.title, _when(summary.started_at)]
    if summary.mode:
        parts.append(summary.mode)
    parts.append(f"{len(detail.takes)} take{'s' if len(detail.takes) != 1 else ''}")
    if audio:
        parts.append(f"{audio} audio file{'s' if audio != 1 else ''}")
    return f"session {summary.id} ({', '.join(parts)})"


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
    """Both takes' numbers, the checks that changed, their pauses and the word diff."""
    return TakeComparison(
        take_stats(a),
        take_stats(b),
        tuple(diff_takes(a, b)),
        changed_checks(a, b),
        long_pauses(a),
        long_pauses(b),
    )


def changed_checks(a: TakeRecord, b: TakeRecord) -> tuple[CheckChange, ...]:
    """The checks whose status differs between A and B (run on one only counts as a change)."""
    before = {r.id: r for r in a.results}
    after = {r.id: r for r in b.results}
    order = list(after) + [i for i in before if i not in after]
    changes: list[CheckChange] = []
    for check_id in order:
        old, new = before.get(check_id), after.get(check_id)
        if old is not None and new is not None and old.status == new.status:
            continue
        either = new if new is not None else old
        label = either.label if either is not None else ""
        changes.append(
            CheckChange(
                check_id,
                label or check_id,
                old.status if old else None,
                new.status if new else None,
            )
        )
    return tuple(changes)


def long_pauses(take: TakeRecord, threshold: float = LONG_PAUSE_SECONDS) -> tuple[float, ...]:
    """The silences of THRESHOLD seconds or more between words of a timed take."""
    transcript = take.transcript
    if transcript is None or not transcript.timed:
        return ()
    words = [w for w in transcript.words if normalize_word(w.text)]
    gaps = (b.start - a.end for a, b in zip(words, words[1:], strict=False))
    return tuple(round(g, 2) for g in gaps if g >= threshold)


def evidence_time(transcript: Transcript | None, result: CheckResult) -> float | None:
    """The moment a result's evidence starts in the answer, in seconds; None when untimed.

    The first span the result points at (its evidence, a miss, a filler or a pause) gives the
    word; typed answers have no times.
    """
    if transcript is None or not transcript.timed or not result.spans:
        return None
    first = min(s.first_word for s in result.spans)
    if not 0 <= first < len(transcript.words):
        return None
    return max(0.0, transcript.words[first].start)


def duration_text(stats: TakeStats) -> str:
    """The one duration shown everywhere: speech time, with the recording's length beside.

    `0:15 speech of 0:22`, or `0:22 recorded` when no word was timed, or `typed`.
    """
    speech, recorded = stats.speech_seconds, stats.duration
    if speech is not None and recorded is not None:
        return f"{fmt_time(speech)} speech of {fmt_time(recorded)}"
    if speech is not None:
        return f"{fmt_time(speech)} speech"
    if recorded is not None:
        return f"{fmt_time(recorded)} recorded"
    return "typed"


def pauses_text(pauses: Sequence[float]) -> str:
    """`none`, or `2 (longest 3.4 s)`."""
    if not pauses:
        return "none"
    return f"{len(pauses)} (longest {max(pauses):.1f} s)"


def final_take(detail: SessionDetail, step_index: int) -> TakeRecord | None:
    """The take of STEP_INDEX that counted in DETAIL: its latest complete one."""
    return next((t for t in detail.final_takes() if t.step_index == step_index), None)


def takes_to_compare(
    first: SessionDetail, second: SessionDetail, step: int | None
) -> list[tuple[TakeRecord, TakeRecord]]:
    """The pairs `mockcall compare` shows: the final take of each step in each session.

    STEP is 0-based; None means every step both sessions answered. The same session twice
    compares each step's retake with the take before it. UserError when nothing matches.
    """
    if first.summary.scenario_id != second.summary.scenario_id:
        raise UserError(
            f"session {first.id} is {first.summary.scenario_id} and session {second.id} is "
            f"{second.summary.scenario_id}: only takes of the same scenario can be compared"
        )
    if first.id == second.id:
        return _retake_pairs(first, step)
    steps_a = {t.step_index for t in first.final_takes()}
    steps_b = {t.step_index for t in second.final_takes()}
    wanted = sorted(steps_a & steps_b) if step is None else [step]
    pairs: list[tuple[TakeRecord, TakeRecord]] = []
    for index in wanted:
        a, b = final_take(first, index), final_take(second, index)
        if a is None or b is None:
            missing = first.id if a is None else second.id
            raise UserError(f"session {missing} has no finished answer to step {index + 1}")
        pairs.append((a, b))
    if not pairs:
        raise UserError(f"sessions {first.id} and {second.id} have no answered step in common")
    return pairs


def _retake_pairs(detail: SessionDetail, step: int | None) -> list[tuple[TakeRecord, TakeRecord]]:
    pairs: list[tuple[TakeRecord, TakeRecord]] = []
    for final in detail.final_takes():
        if step is not None and final.step_index != step:
            continue
        earlier = [
            t
            for t in detail.takes_for_step(final.step_index)
            if t.status == "complete" and t.attempt < final.attempt
        ]
        if earlier:
            pairs.append((earlier[-1], final))
    if not pairs:
        where = (
            f"step {step + 1} of session {detail.id}"
            if step is not None
            else f"session {detail.id}"
        )
        raise UserError(
            f"{where} has no retake to compare; give two sessions to compare across them"
        )
    return pairs


def comparison_json(a: TakeRecord, b: TakeRecord) -> dict[str, Any]:
    """One compared step for `mockcall compare --json`."""
    comparison = compare_takes(a, b)

    def side(take: TakeRecord, stats: TakeStats, pauses: tuple[float, ...]) -> dict[str, Any]:
        return {
            "session": take.session_id,
            "take": take.id,
            "attempt": take.attempt,
            "created_at": take.created_at.isoformat(),
            "speech_seconds": stats.speech_seconds,
            "recording_seconds": stats.duration,
            "words": stats.words,
            "wpm": stats.wpm,
            "fillers": stats.fillers,
            "fillers_per_min": stats.filler_per_min,
            "long_pauses": list(pauses),
            "checks_passed": stats.checks_passed,
            "checks_failed": stats.checks_failed,
            "checks": [_check_json(r) for r in take.results],
            "transcript": take.transcript.text if take.transcript else None,
        }

    return {
        "step": b.step_index + 1,
        "a": side(a, comparison.a, comparison.pauses_a),
        "b": side(b, comparison.b, comparison.pauses_b),
        "checks_changed": [
            {"id": c.id, "label": c.label, "before": c.before, "after": c.after}
            for c in comparison.changed
        ],
        "diff": [{"op": op, "words": list(words)} for op, words in comparison.diff],
    }


def render_diff_inline(diff: Sequence[tuple[DiffOp, tuple[str, ...]]]) -> str:
    """A diff as one line of text: dropped words in [-…-], added words in {+…+}."""
    parts: list[str] = []
    for op, words in diff:
        text = " ".join(words)
        parts.append({"equal": text, "delete": f"[-{text}-]", "insert": f"{{+{text}+}}"}[op])
    return " ".join(parts)


def render_comparison(a: TakeRecord, b: TakeRecord) -> str:
    """Two takes of a step compared for the terminal: numbers, checks that changed, word diff."""
    comparison = compare_takes(a, b)
    sa, sb = comparison.a, comparison.b
    head_a, head_b = _side_name(a, b), _side_name(b, a)
    rows = [
        ("duration", duration_text(sa), duration_text(sb)),
        ("pace (wpm)", _num(sa.wpm), _num(sb.wpm)),
        ("fillers", str(sa.fillers), str(sb.fillers)),
        ("fillers/min", _num(sa.filler_per_min, 1), _num(sb.filler_per_min, 1)),
        ("long pauses", pauses_text(comparison.pauses_a), pauses_text(comparison.pauses_b)),
        ("checks passed", _checks(sa), _checks(sb)),
    ]
    label_w = max(len(r[0]) for r in rows)
    col_a = max(len(head_a), *(len(r[1]) for r in rows))
    col_b = max(len(head_b), *(len(r[2]) for r in rows))
    lines = [
        f"Step {b.step_index + 1}: {head_a} vs {head_b}",
        f"  {'':<{label_w}}  {head_a:>{col_a}}  {head_b:>{col_b}}",
    ]
    lines += [f"  {lab:<{label_w}}  {x:>{col_a}}  {y:>{col_b}}" for lab, x, y in rows]
    lines += ["", "  Checks that changed:" if comparison.changed else "  No check changed."]
    for change in comparison.changed:
        before = _MARK.get(change.before or "", "·")
        after = _MARK.get(change.after or "", "·")
        lines.append(f"    {before} → {after}  {change.label} [{change.id}]")
    changes = render_diff_inline(comparison.diff)
    lines += ["", f"  Words: {changes}" if changes else "  Words: (neither take has a transcript)"]
    return "\n".join(lines)


def _side_name(take: TakeRecord, other: TakeRecord) -> str:
    """`take 2` within one session; `#5 take 2 (03-04)` when the sessions differ."""
    if take.session_id == other.session_id:
        return f"take {take.attempt}"
    day = take.created_at.astimezone().strftime("%m-%d")
    return f"#{take.session_id} take {take.attempt} ({day})"


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
    if take.transcript is not None:
        stats = take_stats(take)
        details.append(duration_text(stats))
        if stats.wpm is not None:
            details.append(f"{stats.wpm:.0f} wpm")
        if stats.speech_seconds is not None:
            details.append(f"{stats.fillers} filler{'s' if stats.fillers != 1 else ''}")
        details.append("passed" if take.passed else "needs work")
    else:
        if take.duration is not None:
            details.append(f"{_secs(take.duration)} recorded")
        if take.status != "complete":
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
