"""How a conversation moves: when the interviewer cuts in, and which step comes next.

Both are pure functions of the answer, so the same answers always take the same path, and an
answer from a file is judged on its own timeline exactly as a live one is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from audio.transcript import Segment, Transcript, Word
from simulator.checks import REGISTRY, CheckContext, CheckResult
from simulator.profile import Profile
from simulator.scenario import CheckSpec, CutIn, Scenario, Step

STILL_TALKING_S = 3.0
"""Past the aim, a word heard this recently means the answer is still going."""
_SENTENCE_ENDS = (".", "?", "!")


def answer_aim(step: Step) -> float:
    """The longest answer the step's time check accepts: its max_seconds, else the step's limit."""
    for spec in step.checks:
        if spec.id == "within_time" and spec.params.get("max_seconds"):
            return float(spec.params["max_seconds"])
    return step.time_limit


@dataclass(frozen=True)
class CutInDecision:
    """The interviewer interrupts: when, and why."""

    at: float
    """Seconds into the answer at which the trigger fired."""
    reason: str
    """Which trigger: after_seconds, past_aim, rambling_words or on_check."""


def prefix_transcript(words: Sequence[Word], count: int) -> Transcript:
    """The first COUNT words as a timed transcript, as it stood when the last of them was said."""
    kept = tuple(words[:count])
    end = kept[-1].end if kept else 0.0
    segment = Segment(" ".join(w.text for w in kept), kept[0].start if kept else 0.0, end, kept)
    return Transcript.from_segments([segment] if kept else [], end)


def _check_fails(
    spec: CheckSpec, words: Sequence[Word], count: int, profile: Profile, step: Step
) -> bool:
    check = REGISTRY[spec.id]
    ctx = CheckContext(prefix_transcript(words, count), profile, step.time_limit, step.prompt)
    result: CheckResult = check.func(ctx, check.params.model_validate(spec.params))
    return result.status == "fail"


def _first_failing_prefix(
    spec: CheckSpec, words: Sequence[Word], profile: Profile, step: Step
) -> int | None:
    """The fewest words on which the check fails; a check that fails stays failed as words come."""
    if not words or not _check_fails(spec, words, len(words), profile, step):
        return None
    low, high = 1, len(words)
    while low < high:
        middle = (low + high) // 2
        if _check_fails(spec, words, middle, profile, step):
            high = middle
        else:
            low = middle + 1
    return low


def cut_in_time(
    step: Step, words: Sequence[Word], heard_until: float, profile: Profile
) -> CutInDecision | None:
    """The earliest moment the step's cut-in fires on what was heard up to HEARD_UNTIL seconds.

    Live, WORDS are what has been transcribed so far; for an answer file, the whole transcript.
    """
    cut_in = step.cut_in
    if cut_in is None:
        return None
    found: list[CutInDecision] = []
    if cut_in.after_seconds is not None and heard_until >= cut_in.after_seconds:
        found.append(CutInDecision(cut_in.after_seconds, "after_seconds"))
    aim = answer_aim(step)
    if cut_in.past_aim and heard_until >= aim:
        if any(w.end >= aim - STILL_TALKING_S for w in words):
            found.append(CutInDecision(aim, "past_aim"))
    if cut_in.rambling_words is not None:
        run = 0
        for word in words:
            run += 1
            if run >= cut_in.rambling_words:
                found.append(CutInDecision(word.end, "rambling_words"))
                break
            if word.text.rstrip("\"')").endswith(_SENTENCE_ENDS):
                run = 0
    if cut_in.on_check is not None:
        count = _first_failing_prefix(cut_in.on_check, words, profile, step)
        if count is not None:
            found.append(CutInDecision(words[count - 1].end, "on_check"))
    fired = [d for d in found if d.at <= heard_until]
    return min(fired, key=lambda d: d.at) if fired else None


def cut_off(transcript: Transcript, at: float) -> Transcript:
    """The transcript as it stood when the interviewer cut in AT seconds: later words are gone."""
    segments: list[Segment] = []
    for segment in transcript.segments:
        words = tuple(w for w in segment.words if w.start < at)
        if words:
            segments.append(
                Segment(
                    " ".join(w.text.strip() for w in words), segment.start, words[-1].end, words
                )
            )
    return Transcript.from_segments(segments, at)


def next_step(
    scenario: Scenario,
    index: int,
    results: Sequence[CheckResult],
    *,
    interrupted: bool,
) -> int | None:
    """The step that follows step INDEX given its answer's results (None: the session ends)."""
    step = scenario.steps[index]
    following = index + 1 if index + 1 < len(scenario.steps) else None
    branch = step.next
    if branch is None:
        return following
    if branch.goto is not None:
        return _index(scenario, branch.goto)
    if interrupted and branch.on_interrupted is not None:
        return _index(scenario, branch.on_interrupted)
    if branch.check is None:
        return following
    failed = any(r.id == branch.check and r.status == "fail" for r in results)
    target = branch.on_fail if failed else branch.on_pass
    return following if target is None else _index(scenario, target)


def _index(scenario: Scenario, target: str) -> int | None:
    return None if target == "end" else scenario.step_index(target)


MAX_VISITS = 3
"""A step asked more often than this in one session ends it: a loop must not run forever."""


__all__ = [
    "MAX_VISITS",
    "CutIn",
    "CutInDecision",
    "answer_aim",
    "cut_in_time",
    "cut_off",
    "next_step",
    "prefix_transcript",
]
