"""Delivery checks: answer length, filler words, pace, long pauses, and a prompt start."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from audio.transcript import SpeechMap, Transcript
from simulator.checks.base import CheckContext, CheckResult, Span, Status
from simulator.checks.lexicon import HESITATIONS as HESITATIONS
from simulator.checks.registry import register
from simulator.checks.text import Token, fmt_time, quote, span, spoken_word_count, tokens

TYPED_WPM = 150.0
"""Speaking rate assumed to turn a typed answer's spoken-word count into minutes."""
MIN_WORDS = 5
"""Fewer words than this is not an answer (within_time) and too little to time (pace)."""
PACE_PAUSE_SECONDS = 2.5
"""Gaps longer than this are silence, not speech, when measuring pace."""
MIN_RATE_MINUTES = 0.5
"""Filler rates are computed over at least this much speech, so one "um" in a 10 s answer passes."""
MAX_LISTED = 8
"""Most fillers or pauses quoted one by one in the evidence line."""

# Words after which "you know" is a real verb phrase ("do you know", "as you know", "if you know").
_YOU_KNOW_NOT_AFTER = frozenset(
    (
        "do did don't didn't if as would will could should might may let you'd because "
        "what how never to that whether can cannot can't when who once since unless until"
    ).split()
)
# Words after which "you know" is followed by its own clause rather than an object.
_CLAUSE_STARTS = frozenset(
    (
        "i we he she they it it's i'm i've i'd we're we've they're there there's so and "
        "but like um uh just my our"
    ).split()
)
# Words after which "like" is a verb or a comparison ("I'd like to", "I like", "looks like").
_LIKE_NOT_AFTER = frozenset(
    (
        "would i you we they he she i'd we'd you'd they'd he'd she'd feel feels felt look "
        "looks looked sound sounds sounded seem seems seemed something anything nothing "
        "just more much less be is was were are it's that's things stuff people exactly "
        "don't didn't really also not would've i'll we'll what"
    ).split()
)
_SENTENCE_END = (".", "?", "!", ";", "…")


@dataclass(frozen=True)
class Filler:
    """One filler heard in the answer."""

    toks: tuple[Token, ...]
    """The filler's words (two for "you know", "I mean")."""

    @property
    def said(self) -> str:
        """The filler as normalised words, e.g. "you know"."""
        return " ".join(t.norm for t in self.toks)


class WithinTimeParams(BaseModel):
    """Parameters of within_time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_seconds: float | None = Field(default=None, gt=0)
    """The longest the speech may last; None uses the step's time limit."""
    min_seconds: float = Field(default=3.0, ge=0)
    """Shorter speech than this is not an answer."""


class FillerRateParams(BaseModel):
    """Parameters of filler_rate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_per_minute: float = Field(default=4.0, ge=0)
    """The most filler words per minute of speech that still passes."""


class PaceParams(BaseModel):
    """Parameters of pace."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_wpm: float = Field(default=110.0, gt=0)
    """Slowest comfortable rate, words per minute."""
    max_wpm: float = Field(default=170.0, gt=0)
    """Fastest comfortable rate, words per minute."""

    @model_validator(mode="after")
    def _ordered(self) -> PaceParams:
        if self.min_wpm >= self.max_wpm:
            raise ValueError("min_wpm must be below max_wpm")
        return self


class LongPausesParams(BaseModel):
    """Parameters of long_pauses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_seconds: float = Field(default=2.5, gt=0)
    """The longest silence between two words that still passes."""


class FirstWordLatencyParams(BaseModel):
    """Parameters of first_word_latency."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_seconds: float = Field(default=3.0, gt=0)
    """The latest the first word may start, counted from the beep or the end of the question."""


def _result(
    check_id: str, status: Status, evidence: str, tip: str = "", spans: Sequence[Span] = ()
) -> CheckResult:
    return CheckResult(check_id, status, evidence, tip, spans=tuple(spans))


def _skip_untimed(check_id: str, what: str) -> CheckResult:
    return _result(check_id, "skipped", f"typed answer: no timings to measure {what}")


def _secs(seconds: float) -> str:
    """Short durations with one decimal: 2.54 -> "2.5 s"."""
    return f"{seconds:.1f} s"


def _duration_pair(spoken: float, limit: float) -> tuple[str, str]:
    """m:ss forms of two durations, with decimals when m:ss would hide the difference."""
    a, b = fmt_time(spoken), fmt_time(limit)
    if a == b and spoken != limit:
        return f"{a} ({spoken:.1f} s)", f"{b} ({limit:g} s)"
    return a, b


@dataclass(frozen=True)
class Pause:
    """A silence inside the answer, between two of its words."""

    before: Token
    """The last word before the silence."""
    after: Token
    """The first word after it."""
    start: float
    """When the silence starts, seconds from the start of the answer."""
    seconds: float
    """How long it lasts."""


def _speech_regions(transcript: Transcript, toks: Sequence[Token]) -> SpeechMap:
    """The stretches of the transcript's speech map that belong to the answer, or ().

    A region belongs when a word lies in it, or when it is long enough to be speech
    (_MIN_SPEECH_S) even if Whisper wrote no word for it (it sometimes drops a whole phrase):
    a click or a cough is shorter. () when the transcript has no map (typed, or stored before
    maps existed) or no word meets it; the checks then use word times.
    """
    timed = [t for t in toks if t.start is not None and t.end is not None]
    if not transcript.speech or not timed:
        return ()
    regions = transcript.speech
    with_words = {_region_of(regions, t.start or 0.0, t.end or 0.0) for t in timed}
    with_words.discard(None)
    if not with_words:
        return ()
    return tuple(
        r for i, r in enumerate(regions) if i in with_words or r[1] - r[0] >= _MIN_SPEECH_S
    )


def _region_of(regions: SpeechMap, start: float, end: float) -> int | None:
    """Index of the speech region that holds a word timed start..end (Whisper's loose times).

    The region overlapping the word the most, or failing any overlap the nearest one within
    _WORD_SLACK_S; None when no region is near (the map missed this speech).
    """
    best: tuple[float, int] | None = None
    for i, (a, b) in enumerate(regions):
        overlap = min(b, end) - max(a, start)
        if best is None or overlap > best[0]:
            best = (overlap, i)
    if best is None or best[0] < -_WORD_SLACK_S:
        return None
    return best[1]


_WORD_SLACK_S = 0.5
"""Whisper's word times may be this far outside the speech they stand for."""
_MIN_SPEECH_S = 0.3
"""A speech region at least this long is part of the answer even without a word in it."""


def speech_bounds(transcript: Transcript, toks: Sequence[Token]) -> tuple[float, float] | None:
    """When the answer's speech starts and ends: from the speech map, else the word times."""
    regions = _speech_regions(transcript, toks)
    if regions:
        return regions[0][0], regions[-1][1]
    if not toks or toks[0].start is None or toks[-1].end is None:
        return None
    return toks[0].start, toks[-1].end


def speech_seconds(transcript: Transcript, toks: Sequence[Token]) -> float:
    """First sound to last sound of the answer's words, 0 when untimed or empty."""
    bounds = speech_bounds(transcript, toks)
    return max(0.0, bounds[1] - bounds[0]) if bounds else 0.0


def pauses(transcript: Transcript, toks: Sequence[Token]) -> list[Pause]:
    """Silences between the answer's first and last words, in order.

    With a speech map, every gap between its speech regions is a pause, measured on the audio
    and placed after the last word that starts before the gap's middle. Without one, the gaps
    between consecutive word times (which Whisper stretches, so pauses read short).
    """
    regions = _speech_regions(transcript, toks)
    if not regions:
        out: list[Pause] = []
        for before, after in zip(toks, toks[1:], strict=False):
            if before.end is None or after.start is None:
                continue
            out.append(Pause(before, after, before.end, max(0.0, after.start - before.end)))
        return out
    found: list[Pause] = []
    timed = [t for t in toks if t.start is not None and t.end is not None]
    for (_, end), (start, _) in zip(regions, regions[1:], strict=False):
        # By time, not by index: after a second decode the words are not always in time order.
        middle = (end + start) / 2
        before = max(
            (t for t in timed if (t.end or 0.0) <= middle),
            key=lambda t: t.end or 0.0,
            default=timed[0],
        )
        after = min(
            (t for t in timed if (t.start or 0.0) >= middle),
            key=lambda t: t.start or 0.0,
            default=timed[-1],
        )
        found.append(Pause(before, after, end, round(start - end, 3)))
    return found


@register(
    "within_time",
    "Within the time limit",
    params=WithinTimeParams,
    severity="advice",
    short="time limit",
)
def within_time(ctx: CheckContext, params: WithinTimeParams) -> CheckResult:
    """The answer's speech lasts no longer than the limit and is not absurdly short."""
    toks = tokens(ctx.transcript)
    limit = params.max_seconds if params.max_seconds is not None else ctx.time_limit
    if not toks:
        # From audio, an empty transcript means no speech was heard (babble, hum and noise give
        # none either), not that the transcriber failed.
        nothing = "no speech heard" if ctx.transcript.timed else "nothing was said"
        return _result("within_time", "fail", nothing, "Give an answer, even a short one.")
    if len(toks) < MIN_WORDS:
        return _result(
            "within_time",
            "fail",
            f"only {len(toks)} word{'s' if len(toks) != 1 else ''}: {quote(toks)}",
            "That is too short to be an answer: say at least a full sentence or two.",
        )
    if not ctx.transcript.timed:
        estimate = fmt_time(spoken_word_count(toks) / TYPED_WPM * 60)
        return _result(
            "within_time",
            "skipped",
            f"typed answer: no timings (about {estimate} read aloud at {TYPED_WPM:g} words/min)",
        )
    spoken = speech_seconds(ctx.transcript, toks)
    if limit is not None and spoken > limit:
        said, allowed = _duration_pair(spoken, limit)
        return _result(
            "within_time",
            "fail",
            f"spoke for {said} of {allowed}",
            "Cut to your main point and one example; stop once you have said it.",
        )
    if spoken < params.min_seconds:
        return _result(
            "within_time",
            "fail",
            f"spoke for only {_secs(spoken)} ({len(toks)} words; at least "
            f"{_secs(params.min_seconds)} expected)",
            "Too short to land: give your point and one concrete detail or example.",
        )
    if limit is None:
        return _result("within_time", "pass", f"spoke for {fmt_time(spoken)} (no limit set)")
    return _result("within_time", "pass", f"spoke for {fmt_time(spoken)} of {fmt_time(limit)}")


def _ends_sentence(tok: Token) -> bool:
    return tok.text.rstrip("\"')]").endswith(_SENTENCE_END)


def _ends_clause(tok: Token) -> bool:
    return _ends_sentence(tok) or tok.text.rstrip("\"')]").endswith((",", ":", "-", "—"))


def find_fillers(toks: Sequence[Token]) -> list[Filler]:
    """Every filler in the answer, in order.

    Counted: hesitation sounds (um, uh, er, erm, ah, hmm…) — "ER" in capitals is a hospital, not
    a filler; "you know" used as an aside ("and, you know, we…"), not as a verb ("do you know",
    "as you know", "you know the drill"); "like" set off by a comma or next to another filler
    ("it took, like, three weeks"), never after a subject or modal ("I'd like to", "we like") or
    in comparisons ("looks like"); "I mean," with its comma. Not counted: the hedges "sort of" and
    "kind of" (they often carry meaning: "what kind of role"), and "basically", "actually",
    "literally", which are too often meant to count without crying wolf.
    """
    out: list[Filler] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < n else None
        norm = tok.norm
        if norm in HESITATIONS and not (norm == "er" and tok.text.strip(",.?!").isupper()):
            out.append(Filler((tok,)))
        elif norm == "you" and nxt is not None and nxt.norm == "know":
            length = _you_know_length(toks, i)
            if length:
                out.append(Filler(tuple(toks[i : i + length])))
                i += length
                continue
        elif norm == "like" and _is_filler_like(prev, tok, nxt):
            out.append(Filler((tok,)))
        elif (
            norm == "i"
            and nxt is not None
            and nxt.norm == "mean"
            and _ends_clause(nxt)
            and (prev is None or prev.norm not in {"what", "do", "did", "don't", "didn't"})
        ):
            out.append(Filler((tok, nxt)))
            i += 2
            continue
        i += 1
    return out


def _you_know_length(toks: Sequence[Token], i: int) -> int:
    """Words in the filler "you know" at i: 2, 5 for "you know what I mean", 0 if not a filler."""
    prev = toks[i - 1] if i > 0 else None
    know = toks[i + 1]
    after = toks[i + 2] if i + 2 < len(toks) else None
    if prev is not None and not _ends_clause(prev) and prev.norm in _YOU_KNOW_NOT_AFTER:
        return 0
    tail = [t.norm for t in toks[i + 2 : i + 5]]
    if tail == ["what", "i", "mean"]:
        return 5
    if _ends_clause(know) or after is None:
        return 2
    if prev is not None and _ends_clause(prev):
        return 2
    if after.norm in _CLAUSE_STARTS:
        return 2
    return 0


def _is_filler_like(prev: Token | None, tok: Token, nxt: Token | None) -> bool:
    if prev is not None and not _ends_clause(prev) and prev.norm in _LIKE_NOT_AFTER:
        return False
    if prev is not None and prev.norm in HESITATIONS:
        return True
    if nxt is not None and nxt.norm in HESITATIONS:
        return True
    if tok.text.rstrip("\"')]").endswith(","):
        return True
    if prev is not None and prev.text.endswith(",") and nxt is not None:
        # ", like three weeks" / ", like the whole team": an approximator or aside, not a verb.
        return nxt.norm[:1].isdigit() or nxt.norm in {
            "a",
            "an",
            "the",
            "two",
            "three",
            "four",
            "five",
            "ten",
            "half",
            "maybe",
            "really",
            "so",
            "just",
            "totally",
            "super",
            "every",
            "all",
            "some",
        }
    return False


def _list(items: Sequence[str], limit: int = MAX_LISTED) -> str:
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f", and {len(items) - limit} more"
    return shown


WHISPER_NOTE = 'Whisper often drops "um" and "uh", so the real count may be higher'
"""Added to filler_rate evidence when an audio transcript shows no hesitation sounds."""


@register("filler_rate", "Few filler words", params=FillerRateParams, general=True, short="fillers")
def filler_rate(ctx: CheckContext, params: FillerRateParams) -> CheckResult:
    """Filler words per minute of speech stay within the bound."""
    toks = tokens(ctx.transcript)
    if not toks:
        return _result("filler_rate", "skipped", "no speech to count fillers in")
    fillers = find_fillers(toks)
    if ctx.transcript.timed:
        minutes = speech_seconds(ctx.transcript, toks) / 60
        over = f"in {fmt_time(minutes * 60)} of speech"
    else:
        minutes = spoken_word_count(toks) / TYPED_WPM
        over = f"in about {fmt_time(minutes * 60)} (typed answer, timed at {TYPED_WPM:g} words/min)"
    rate = len(fillers) / max(minutes, MIN_RATE_MINUTES)
    count = f"{len(fillers)} filler{'s' if len(fillers) != 1 else ''}"
    evidence = f"{count} {over}: {rate:.1f}/min, limit {params.max_per_minute:g}/min"
    if fillers:
        evidence += "; " + _list([quote(f.toks) for f in fillers])
    hesitations = sum(1 for f in fillers if f.toks[0].norm in HESITATIONS)
    if ctx.transcript.timed and hesitations == 0:
        evidence += f" ({WHISPER_NOTE})"
    spans = [span(f.toks, "filler") for f in fillers]
    if rate <= params.max_per_minute:
        return _result("filler_rate", "pass", evidence, spans=spans)
    common = sorted({f.said for f in fillers}, key=lambda s: -sum(f.said == s for f in fillers))
    named = " and ".join(f'"{s}"' for s in common[:2])
    return _result(
        "filler_rate",
        "fail",
        evidence,
        f"Replace {named} with a short, silent pause: silence sounds more confident than filler.",
        spans,
    )


def _speaking_seconds(transcript: Transcript, toks: Sequence[Token]) -> tuple[float, float]:
    """Speech time with long pauses left out, and the pause time that was left out."""
    total = speech_seconds(transcript, toks)
    left_out = sum(p.seconds for p in pauses(transcript, toks) if p.seconds > PACE_PAUSE_SECONDS)
    return max(0.0, total - left_out), left_out


@register("pace", "Comfortable pace", params=PaceParams, general=True, short="pace")
def pace(ctx: CheckContext, params: PaceParams) -> CheckResult:
    """Spoken words per minute on speech time (long pauses left out) within the range.

    Words are counted as said: "617-555-0142" is ten words, "4,000" two (see spoken_words).
    """
    if not ctx.transcript.timed:
        return _skip_untimed("pace", "pace")
    toks = tokens(ctx.transcript)
    if len(toks) < MIN_WORDS:
        return _result("pace", "skipped", f"too few words to measure pace ({len(toks)})")
    seconds, left_out = _speaking_seconds(ctx.transcript, toks)
    if seconds <= 0:
        return _result("pace", "skipped", "the words have no duration to measure pace over")
    said = spoken_word_count(toks)
    wpm = said / (seconds / 60)
    evidence = (
        f"{wpm:.0f} words/min ({said} words spoken in {fmt_time(seconds)} of speech; "
        f"target {params.min_wpm:g}–{params.max_wpm:g})"
    )
    if left_out:
        evidence += f"; {_secs(left_out)} of long pauses left out"
    if wpm > params.max_wpm:
        return _result(
            "pace",
            "fail",
            evidence,
            "Slow down: finish each point, breathe, then start the next.",
        )
    if wpm < params.min_wpm:
        return _result(
            "pace",
            "fail",
            evidence,
            "Pick up the pace: know your next point before you start the sentence.",
        )
    return _result("pace", "pass", evidence)


@register(
    "long_pauses", "No long pauses", params=LongPausesParams, general=True, short="long pauses"
)
def long_pauses(ctx: CheckContext, params: LongPausesParams) -> CheckResult:
    """No silence between two words of the answer is longer than the bound."""
    if not ctx.transcript.timed:
        return _skip_untimed("long_pauses", "pauses")
    toks = tokens(ctx.transcript)
    if not toks:
        return _result("long_pauses", "skipped", "no speech to find pauses in")
    found = pauses(ctx.transcript, toks)
    if not found:
        if len(toks) == 1:
            return _result("long_pauses", "pass", "only one word: no pauses inside the answer")
        return _result("long_pauses", "pass", "no pauses: the speech never stopped")
    long = [p for p in found if p.seconds > params.max_seconds]
    if not long:
        longest = max(p.seconds for p in found)
        return _result(
            "long_pauses",
            "pass",
            f"longest pause {_secs(longest)} (limit {_secs(params.max_seconds)})",
        )
    listed = [
        f'{_secs(p.seconds)} at {fmt_time(p.start)} (after "{p.before.text.strip(",.?!")}")'
        for p in long
    ]
    return _result(
        "long_pauses",
        "fail",
        f"{len(long)} pause{'s' if len(long) != 1 else ''} over {_secs(params.max_seconds)}: "
        + _list(listed),
        'Bridge a pause out loud ("Let me think about that for a second") instead of going silent.',
        [_pause_span(p) for p in long],
    )


def _pause_span(pause: Pause) -> Span:
    first, last = sorted((pause.before.index, pause.after.index))
    return Span(first, last, "pause")


@register(
    "first_word_latency",
    "Started promptly",
    params=FirstWordLatencyParams,
    general=True,
    short="prompt start",
)
def first_word_latency(ctx: CheckContext, params: FirstWordLatencyParams) -> CheckResult:
    """The first word starts within the bound, counted from the beep or the end of the question."""
    if not ctx.transcript.timed:
        return _skip_untimed("first_word_latency", "how soon the answer started")
    toks = tokens(ctx.transcript)
    if not toks or toks[0].start is None:
        return _result("first_word_latency", "skipped", "no speech heard")
    first = toks[0]
    bounds = speech_bounds(ctx.transcript, toks)
    # The speech map's onset, not Whisper's word start, which can be 0.4 s early.
    start = bounds[0] if bounds else (first.start or 0.0)
    word = first.text.strip(",.?!")
    evidence = f'first word "{word}" at {_secs(start)} (limit {_secs(params.max_seconds)})'
    if start <= params.max_seconds:
        return _result("first_word_latency", "pass", evidence, spans=[span([first])])
    return _result(
        "first_word_latency",
        "fail",
        evidence,
        'Have your first sentence ready before the beep, or buy time aloud ("Good question…").',
        [span([first], "miss")],
    )
