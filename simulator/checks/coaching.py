"""Delivery coaching, offline: vocal variety, volume, hedging, repetition, and pace to the end.

The checks people know from Speaker Coach, Yoodli and Orai. vocal_variety and volume read the
pitch and loudness measured on the answer's audio (CheckContext.prosody, audio/prosody.py) and
are skipped for typed answers; hedging and repetition read only the words, so they work on typed
answers too; steady_pace reads the word times. Default bounds come from built audio with known
truth (benchmarks/bench_coaching.py): each sits between the flat/quiet/rushed examples and the
plain ones, so an answer that passes today still passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from audio.prosody import Prosody, semitones
from audio.transcript import Transcript
from simulator.checks.base import CheckContext, CheckResult, Span, Status
from simulator.checks.coaching_phrases import (
    HEDGE_NOT_AFTER,
    HEDGE_NOT_BEFORE,
    HEDGES,
    NUMBER_WORDS,
    STOPWORDS,
)
from simulator.checks.delivery import HESITATIONS, MIN_RATE_MINUTES, TYPED_WPM, speech_seconds
from simulator.checks.registry import register
from simulator.checks.text import Token, fmt_time, quote, span, spoken_word_count, tokens, words_of

MAX_LISTED = 6
"""Most moments quoted one by one in an evidence line."""
MIN_VOICED_SECONDS = 1.5
"""Less voiced speech than this is too little to judge pitch variety on."""
_SENTENCE_END = (".", "?", "!")
_PACE_WINDOW = 10.0
"""Seconds of speech in one point of the pace curve."""
_PACE_HOP = 5.0
"""Seconds between two points of the pace curve."""
_LONG_GAP = 2.5
"""A gap between words longer than this is a pause, left out of speaking time."""


# ----------------------------------------------------------------------------- parameters


class VocalVarietyParams(BaseModel):
    """Parameters of vocal_variety."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_range_semitones: float = Field(default=2.0, gt=0)
    """The narrowest pitch range (10th to 90th percentile of voiced frames) that passes."""


class VolumeParams(BaseModel):
    """Parameters of volume."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_level_dbfs: float = Field(default=-35.0, le=0)
    """The quietest speech level (loud half of the speech frames, dBFS) that passes."""
    max_drop_db: float = Field(default=8.0, gt=0)
    """How much quieter a sentence's end may be than its start before it counts as trailing off."""
    max_trailing_share: float = Field(default=0.34, ge=0, le=1)
    """The share of measured sentences that may trail off and still pass."""


class HedgingParams(BaseModel):
    """Parameters of hedging."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_per_minute: float = Field(default=4.0, ge=0)
    """The most hedges ("I think", "maybe", "sort of") per minute that still passes."""


class RepetitionParams(BaseModel):
    """Parameters of repetition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(default=3, ge=2)
    """A phrase said this many times or more is pointed out."""


class SteadyPaceParams(BaseModel):
    """Parameters of steady_pace."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_speedup: float = Field(default=1.2, gt=1)
    """How much faster (ratio of words per minute) the last third may be than the rest."""
    rushing_wpm: float = Field(default=165.0, gt=0)
    """The last third only counts as rushed from this many words per minute."""
    min_seconds: float = Field(default=15.0, gt=0)
    """Shorter answers are too short to have an end to rush."""


# -------------------------------------------------------------------------------- helpers


def _result(
    check_id: str, status: Status, evidence: str, tip: str = "", spans: Sequence[Span] = ()
) -> CheckResult:
    return CheckResult(check_id, status, evidence, tip, spans=tuple(spans))


def _list(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        shown += f", and {len(items) - MAX_LISTED} more"
    return shown


def _audio_or_skip(ctx: CheckContext, check_id: str, what: str) -> Prosody | CheckResult:
    if not ctx.transcript.timed:
        return _result(check_id, "skipped", f"typed answer: no audio to measure {what}")
    if ctx.prosody is None:
        return _result(check_id, "skipped", f"no audio measurements to judge {what} from")
    return ctx.prosody


def _minutes(ctx: CheckContext, toks: Sequence[Token]) -> tuple[float, str]:
    """Minutes the answer took (estimated for typed text), and how it was measured."""
    if ctx.transcript.timed:
        minutes = speech_seconds(ctx.transcript, toks) / 60
        return minutes, f"in {fmt_time(minutes * 60)} of speech"
    minutes = spoken_word_count(toks) / TYPED_WPM
    return (
        minutes,
        f"in about {fmt_time(minutes * 60)} (typed answer, timed at {TYPED_WPM:g} words/min)",
    )


def _at(tok: Token) -> str:
    return f" at {fmt_time(tok.start)}" if tok.start is not None else ""


def sentences(toks: Sequence[Token]) -> list[list[Token]]:
    """The answer's sentences, split where a word ends with . ? or !."""
    out: list[list[Token]] = [[]]
    for tok in toks:
        out[-1].append(tok)
        if tok.text.rstrip("\"')]").endswith(_SENTENCE_END):
            out.append([])
    return [s for s in out if s]


def _level(rms_db: np.ndarray) -> float:
    """Speech level of a stretch: the mean of its louder half of frames, in dBFS (gaps ignored)."""
    if len(rms_db) == 0:
        return -100.0
    loud = np.sort(rms_db)[len(rms_db) // 2 :]
    # Energy mean, so a few loud syllables count as loud.
    return float(10 * np.log10(np.mean(10 ** (loud / 10))))


# ---------------------------------------------------------------------------- vocal variety


@register("vocal_variety", "Lively voice", params=VocalVarietyParams, general=True)
def vocal_variety(ctx: CheckContext, params: VocalVarietyParams) -> CheckResult:
    """The pitch moves: the 10th-90th percentile range over voiced frames is wide enough."""
    measured = _audio_or_skip(ctx, "vocal_variety", "vocal variety")
    if isinstance(measured, CheckResult):
        return measured
    f0 = np.asarray(measured.f0, dtype=np.float64)
    start, end = ctx.transcript.speech_start, ctx.transcript.speech_end
    if start is not None and end is not None:
        f0 = f0[measured.window(start, end)]
    st = semitones(f0)
    voiced_seconds = len(st) * measured.frame_seconds
    if voiced_seconds < MIN_VOICED_SECONDS:
        return _result(
            "vocal_variety",
            "skipped",
            f"only {voiced_seconds:.1f} s of voiced speech: too little to judge pitch variety",
        )
    low, high = np.percentile(st, [10, 90])
    spread = float(high - low)
    median_hz = float(np.median(f0[f0 > 0]))
    evidence = (
        f"pitch moved over {spread:.1f} semitones (10th–90th percentile of {voiced_seconds:.1f} s "
        f"of voiced speech around {median_hz:.0f} Hz; at least {params.min_range_semitones:g} "
        "expected)"
    )
    if spread >= params.min_range_semitones:
        return _result("vocal_variety", "pass", evidence)
    return _result(
        "vocal_variety",
        "fail",
        evidence,
        "You sound flat: lift your voice on the key word of each sentence and let it fall at the end.",
    )


# ----------------------------------------------------------------------------------- volume


@dataclass(frozen=True)
class SentenceLevel:
    """How loud one sentence starts and ends."""

    toks: tuple[Token, ...]
    """The sentence's words."""
    start_db: float
    """Speech level of the sentence's first 40 %, dBFS."""
    end_db: float
    """Speech level of its last 30 %, dBFS."""

    @property
    def drop(self) -> float:
        """How much quieter the end is than the start, dB."""
        return self.start_db - self.end_db


def _typical_level(rms_db: np.ndarray, floor: float) -> float:
    """The median level of a stretch's sounding frames (those above FLOOR), dBFS."""
    sounding = rms_db[rms_db > floor]
    return float(np.median(sounding)) if len(sounding) else floor


def sentence_levels(transcript: Transcript, prosody: Prosody) -> list[SentenceLevel]:
    """Start and end levels of every sentence long enough to have both (4+ words, 1.2+ s).

    A level is the median of the frames that sound (within 30 dB of the answer's speech level),
    so a fade shows however loud the syllable before it was.
    """
    rms = np.asarray(prosody.rms_db, dtype=np.float64)
    toks = tokens(transcript)
    if not toks or toks[0].start is None or toks[-1].end is None:
        return []
    floor = _level(rms[prosody.window(toks[0].start, toks[-1].end)]) - 30.0
    out: list[SentenceLevel] = []
    for sentence in sentences(toks):
        first, last = sentence[0].start, sentence[-1].end
        if first is None or last is None or len(sentence) < 4 or last - first < 1.2:
            continue
        length = last - first
        start_db = _typical_level(rms[prosody.window(first, first + 0.4 * length)], floor)
        end_db = _typical_level(rms[prosody.window(last - 0.3 * length, last)], floor)
        out.append(SentenceLevel(tuple(sentence), start_db, end_db))
    return out


@register("volume", "Heard clearly to the end", params=VolumeParams, general=True)
def volume(ctx: CheckContext, params: VolumeParams) -> CheckResult:
    """Loud enough overall, and sentences do not trail off at their ends."""
    measured = _audio_or_skip(ctx, "volume", "volume")
    if isinstance(measured, CheckResult):
        return measured
    start, end = ctx.transcript.speech_start, ctx.transcript.speech_end
    if start is None or end is None:
        return _result("volume", "skipped", "no speech to measure the volume of")
    rms = np.asarray(measured.rms_db, dtype=np.float64)
    level = _level(rms[measured.window(start, end)])
    levels = sentence_levels(ctx.transcript, measured)
    trailing = [s for s in levels if s.drop > params.max_drop_db]
    evidence = f"speech level {level:.0f} dBFS (at least {params.min_level_dbfs:g} expected)"
    if levels:
        evidence += (
            f"; {len(trailing)} of {len(levels)} sentence{'s' if len(levels) != 1 else ''} "
            f"trailed off (end over {params.max_drop_db:g} dB quieter than the start)"
        )
    if trailing:
        evidence += ": " + _list([f"{quote(s.toks[-3:])} ({s.drop:.0f} dB down)" for s in trailing])
    spans = [span(s.toks[-3:], "miss") for s in trailing]
    if level < params.min_level_dbfs:
        return _result(
            "volume",
            "fail",
            evidence,
            "Speak up, or move closer to the microphone: aim for the voice you'd use across a table.",
            spans,
        )
    if levels and len(trailing) > params.max_trailing_share * len(levels):
        return _result(
            "volume",
            "fail",
            evidence,
            "Keep your voice up through the last words of each sentence: they carry the point.",
            spans,
        )
    return _result("volume", "pass", evidence, spans=spans)


# ---------------------------------------------------------------------------------- hedging


def find_hedges(toks: Sequence[Token]) -> list[tuple[Token, ...]]:
    """Every hedge in the answer, in order (see coaching_phrases.HEDGES for the list)."""
    out: list[tuple[Token, ...]] = []
    i = 0
    while i < len(toks):
        for phrase in HEDGES:
            n = len(phrase)
            if tuple(t.norm for t in toks[i : i + n]) != phrase:
                continue
            before = toks[i - 1].norm if i > 0 else ""
            after = toks[i + n].norm if i + n < len(toks) else ""
            if before in HEDGE_NOT_AFTER.get(phrase, frozenset()):
                continue
            if after in HEDGE_NOT_BEFORE.get(phrase, frozenset()):
                continue
            out.append(tuple(toks[i : i + n]))
            i += n - 1
            break
        i += 1
    return out


@register("hedging", "Says it with confidence", params=HedgingParams, general=True)
def hedging(ctx: CheckContext, params: HedgingParams) -> CheckResult:
    """Hedges ("I think", "maybe", "sort of", "I guess", "probably") per minute stay under the bound."""
    toks = tokens(ctx.transcript)
    if not toks:
        return _result("hedging", "skipped", "no speech to find hedges in")
    hedges = find_hedges(toks)
    minutes, over = _minutes(ctx, toks)
    rate = len(hedges) / max(minutes, MIN_RATE_MINUTES)
    evidence = (
        f"{len(hedges)} hedge{'s' if len(hedges) != 1 else ''} {over}: {rate:.1f}/min, "
        f"limit {params.max_per_minute:g}/min"
    )
    if hedges:
        evidence += "; " + _list([quote(h) for h in hedges])
    spans = [span(h, "filler") for h in hedges]
    if rate <= params.max_per_minute:
        return _result("hedging", "pass", evidence, spans=spans)
    counts = Counter(" ".join(t.norm for t in h) for h in hedges)
    # The most frequent hedge, the first said among equals (Counter keeps first-seen order).
    top = max(counts, key=lambda said: counts[said])
    first = next(h for h in hedges if " ".join(t.norm for t in h) == top)
    common = " ".join(t.text for t in first).strip(",.;:!?")
    return _result(
        "hedging",
        "fail",
        evidence,
        f'Drop "{common}" and state it plainly: "I led the launch", not "I think I sort of led it".',
        spans,
    )


# ------------------------------------------------------------------------------- repetition


@dataclass(frozen=True)
class Repeat:
    """A phrase said again and again."""

    words: tuple[str, ...]
    """The phrase, normalised."""
    places: tuple[tuple[int, int], ...]
    """Where it was said: (first, last) positions in the token list, in order."""


def _profile_words(ctx: CheckContext) -> frozenset[str]:
    """Words of the profile (name, role, company): saying them again is good practice."""
    profile = ctx.profile
    return frozenset(words_of(f"{profile.name} {profile.role} {profile.company}"))


def find_repeats(
    toks: Sequence[Token], min_count: int, allowed: frozenset[str] = frozenset()
) -> list[Repeat]:
    """Phrases of 2-4 words said MIN_COUNT times or more, longest first, without overlaps.

    A phrase counts when it carries meaning (two words off the stopword list, or one in a phrase
    of three or four words); spoken digits and the profile's own words (ALLOWED) do not count.
    """
    words = [t.norm for t in toks if t.norm not in HESITATIONS]
    positions = [i for i, t in enumerate(toks) if t.norm not in HESITATIONS]
    found: list[Repeat] = []
    taken: set[int] = set()
    for n in (4, 3, 2):
        seen: dict[tuple[str, ...], list[int]] = {}
        for i in range(len(words) - n + 1):
            gram = tuple(words[i : i + n])
            content = [w for w in gram if w not in STOPWORDS]
            if len(content) < (2 if n == 2 else 1):
                continue
            if all(w in NUMBER_WORDS or w.isdigit() or w in allowed for w in content):
                continue
            seen.setdefault(gram, []).append(i)
        for starts in seen.values():
            places: list[tuple[int, int]] = []
            for i in starts:
                span_ = set(range(i, i + n))
                if span_ & taken or (places and i <= places[-1][1]):
                    continue
                places.append((i, i + n - 1))
            if len(places) >= min_count:
                places = _extended(words, places, taken)
                phrase = tuple(words[places[0][0] : places[0][1] + 1])
                found.append(Repeat(phrase, tuple((positions[a], positions[b]) for a, b in places)))
                for a, b in places:
                    taken.update(range(a, b + 1))
    return sorted(found, key=lambda r: (-len(r.places), r.places[0]))


def _extended(
    words: Sequence[str], places: list[tuple[int, int]], taken: set[int]
) -> list[tuple[int, int]]:
    """PLACES grown word by word while every one goes on the same way ("at the end of the day")."""
    while True:
        nxt = [b + 1 for _, b in places]
        if nxt[-1] >= len(words) or any(n in taken for n in nxt):
            return places
        if len({words[n] for n in nxt}) != 1:
            return places
        if any(n >= a2 for n, (a2, _) in zip(nxt, places[1:], strict=False)):
            return places
        places = [(a, b + 1) for a, b in places]


@register("repetition", "No phrase on repeat", params=RepetitionParams, general=True)
def repetition(ctx: CheckContext, params: RepetitionParams) -> CheckResult:
    """No phrase of 2-4 words is said again and again (Speaker Coach's repetitive language)."""
    toks = tokens(ctx.transcript)
    if not toks:
        return _result("repetition", "skipped", "no speech to find repeated phrases in")
    repeats = find_repeats(toks, params.min_count, _profile_words(ctx))
    if not repeats:
        return _result("repetition", "pass", f"no phrase said {params.min_count} times or more")
    described = []
    spans: list[Span] = []
    for rep in repeats:
        starts = [toks[a].start for a, _ in rep.places]
        times = ", ".join(fmt_time(t) for t in starts if t is not None)
        said = " ".join(rep.words)
        described.append(f'"{said}" {len(rep.places)} times' + (f" (at {times})" if times else ""))
        spans.extend(span(toks[a : b + 1], "filler") for a, b in rep.places)
    top = " ".join(repeats[0].words)
    return _result(
        "repetition",
        "fail",
        "; ".join(described[:MAX_LISTED]),
        f'You keep saying "{top}": say it once, then use a different word or a concrete detail.',
        spans,
    )


# ------------------------------------------------------------------------------- pace curve


@dataclass(frozen=True)
class PacePoint:
    """Words per minute in one window of the answer."""

    start: float
    """Seconds from the start of the answer where the window begins."""
    wpm: float
    """Words per minute of speaking time in the window (long pauses left out)."""


def _word_span(toks: Sequence[Token]) -> float:
    """First word's start to last word's end of a window of words, 0 when untimed or empty."""
    if not toks or toks[0].start is None or toks[-1].end is None:
        return 0.0
    return max(0.0, toks[-1].end - toks[0].start)


def _speaking_time(toks: Sequence[Token]) -> float:
    total = _word_span(toks)
    for before, after in zip(toks, toks[1:], strict=False):
        if before.end is not None and after.start is not None:
            gap = after.start - before.end
            if gap > _LONG_GAP:
                total -= gap
    return max(total, 0.0)


def spoken_words(tok: Token) -> int:
    """Words a token stands for: Whisper writes "six one seven, five five five" as "617-555"."""
    digits = sum(ch.isdigit() for ch in tok.norm)
    return digits if digits > 1 else 1


def _wpm(toks: Sequence[Token]) -> float:
    seconds = _speaking_time(toks)
    return sum(spoken_words(t) for t in toks) / (seconds / 60) if seconds > 0 else 0.0


def pace_curve(transcript: Transcript) -> tuple[PacePoint, ...]:
    """Words per minute in 10 s windows every 5 s over the answer; empty when untimed."""
    toks = [t for t in tokens(transcript) if t.start is not None and t.end is not None]
    if not transcript.timed or len(toks) < 2:
        return ()
    first = toks[0].start or 0.0
    last = toks[-1].end or 0.0
    points: list[PacePoint] = []
    at = first
    while True:
        stop = min(at + _PACE_WINDOW, last)
        inside = [t for t in toks if at <= ((t.start or 0.0) + (t.end or 0.0)) / 2 < stop]
        if len(inside) >= 2:
            points.append(PacePoint(at, round(_wpm(inside), 1)))
        if at + _PACE_WINDOW >= last:
            break
        at += _PACE_HOP
    return tuple(points)


@register("steady_pace", "Steady pace to the end", params=SteadyPaceParams, general=True)
def steady_pace(ctx: CheckContext, params: SteadyPaceParams) -> CheckResult:
    """The last third is not rushed: not much faster than the rest, or not fast at all."""
    if not ctx.transcript.timed:
        return _result("steady_pace", "skipped", "typed answer: no timings to measure pace over")
    toks = tokens(ctx.transcript)
    seconds = speech_seconds(ctx.transcript, toks)
    if len(toks) < 10 or seconds < params.min_seconds:
        return _result(
            "steady_pace",
            "skipped",
            f"answer too short ({fmt_time(seconds)}) to compare its end with the rest",
        )
    cut = (toks[0].start or 0.0) + seconds * 2 / 3
    head = [t for t in toks if (t.start or 0.0) < cut]
    tail = [t for t in toks if (t.start or 0.0) >= cut]
    if len(head) < 5 or len(tail) < 5:
        return _result("steady_pace", "skipped", "too few words in a third of the answer to time")
    before, after = _wpm(head), _wpm(tail)
    curve = " → ".join(f"{p.wpm:.0f}" for p in pace_curve(ctx.transcript))
    evidence = (
        f"{before:.0f} words/min until {fmt_time(cut)}, then {after:.0f} words/min to the end"
        f" (from {quote(tail[:3])})"
    )
    if curve:
        evidence += f"; over the answer: {curve}"
    rushed = after >= params.rushing_wpm and after > before * params.max_speedup
    if not rushed:
        return _result("steady_pace", "pass", evidence)
    return _result(
        "steady_pace",
        "fail",
        evidence,
        "You sped up at the end: slow down for your closing line, it is what they remember.",
        [span(tail[:3], "miss")],
    )
