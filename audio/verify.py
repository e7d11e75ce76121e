"""Checks the profile's phone number against the audio itself, not only the free transcript.

tiny.en's free transcript often mangles a correctly spoken number ("617-505-0142" for "five
double five", "6-1-7-5-5-0-1-4-2" on a telephone line). Here the few seconds of audio where the
transcript has a number are scored, without any prompt, against candidate texts: the profile's
number in the ways people say it ("six one seven", "oh", "double five", "oh one, forty two",
"617-555-0142") versus the numbers a speaker may have said instead (the likeliest one-digit
changes and drops, the number cut short or missing its area code, the transcript's own reading).
CTranslate2's Whisper.align() gives the probability of each token of a given text (teacher
forcing), so every candidate is scored on the same audio.

A verification never accepts what the audio does not favour: the profile's number must beat every
rival by a margin AND fit the audio well in absolute terms ("said"); a rival clearly ahead means
"not_said"; anything between is "unclear", which the check reports as such.

Names are not verified this way: measured on the dev split, tiny.en scores rare surnames too
unevenly (a true "Raghunathan" lost to "first name only" by 10 nats while an invented "Rivera"
won by 5), so the name check stays on the text (see benchmarks/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from audio.transcript import Transcript, Verification, Word

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "Expectations",
    "WhisperScorer",
    "number_competitors",
    "number_renderings",
    "verify",
]

_SAMPLE_RATE = 16000
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_NUMBER_WORDS = frozenset(
    [*_DIGIT_WORDS, "oh", "o", "double", "triple", "ten", "eleven", "twelve", "thirteen"]
    + "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty"
    " seventy eighty ninety hundred thousand fine".split()
)
# Words the decoder writes inside a mangled number ("6-1-7. I'm, I'm, I'm, 0-1-4-2") that do not
# end the stretch: up to this many in a row.
_MAX_GAP_WORDS = 4
# Context words either side of a stretch that are scored with it (and bound the clip).
_CONTEXT_WORDS = 3
# Audio kept beyond the outermost context word, or beyond the stretch when there is none.
_PAD_S = 0.8
_BARE_PAD_S = 1.2
_ALIGN_BATCH = 6
# Constrained re-decode (see WhisperScorer.decode_digits): audio kept either side of the number's
# digit-like words, and how far away a neighbouring digit-like word ("area code 26. Then 555…")
# may be and still be part of the same saying. 1.5 s measured best of 0.3-2.0 on the dev split.
DECODE_PAD_S = 1.5
DECODE_JOIN_S = 2.0
# Words the re-decode may not write, so a spoken digit can only come out as a digit: the number
# words, and the words tiny.en writes for them ("to know" for "oh two oh", "for" for "four").
_SPOKEN_DIGIT_WORDS = _NUMBER_WORDS | frozenset(
    "o oh zero nought double triple dub trip to too tu for fore fo won ate tree".split()
)

# Decision thresholds (tuned on the dev split only; see benchmarks/README.md).
NUMBER_MARGIN = 2.5
"""Log-probability (nats) by which the profile number must beat every competitor."""
NUMBER_MIN_FIT = -1.2
"""Mean log-probability per token the profile number's own tokens must reach."""
NOT_SAID_MARGIN = 2.0
"""A competitor ahead of the profile candidate by this much means it was not said."""
RIVALS_KEPT = 8
"""How many of the likeliest one-digit changes and drops are scored in full."""
DIGIT_BONUS = 1.5
"""Log-probability taken off a rival per digit it lacks: fewer tokens alone must not win."""


@dataclass(frozen=True)
class Expectations:
    """What the profile says the answer should contain, for the transcriber to verify."""

    name: str = ""
    """The profile's full name ("" for none); kept for engines that can verify it."""
    phone_digits: str = ""
    """The number's digits as said at home, trunk prefix included ("02079460958"); "" for none."""
    phone_groups: tuple[int, ...] = ()
    """How the number is grouped when said, e.g. (3, 3, 4)."""


Style = Literal["digits", "zero", "oh", "double-zero", "double-oh", "pairs-oh"]
_STYLES: tuple[Style, ...] = ("zero", "oh", "double-zero", "double-oh", "pairs-oh", "digits")
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _grouped(digits: str, groups: Sequence[int]) -> list[str]:
    """DIGITS split like the profile number ("6175550142", (3,3,4) -> 617 555 0142)."""
    out: list[str] = []
    at = 0
    for size in groups:
        if at >= len(digits):
            break
        out.append(digits[at : at + size])
        at += size
    if at < len(digits):
        out.append(digits[at:])
    return out or [digits]


def _say_pair(pair: str) -> str:
    """Two digits as people say them in "oh one, forty two": "01" oh one, "42" forty two."""
    if len(pair) < 2 or pair[0] == "0":
        return " ".join("oh" if d == "0" else _DIGIT_WORDS[int(d)] for d in pair)
    if pair[0] == "1":
        return _TEENS[int(pair[1])]
    tens = _TENS[int(pair[0])]
    return tens if pair[1] == "0" else f"{tens} {_DIGIT_WORDS[int(pair[1])]}"


def _say_group(group: str, style: Style) -> str:
    zero = "oh" if style.endswith("oh") else "zero"
    names = [zero if d == "0" else _DIGIT_WORDS[int(d)] for d in group]
    if style == "pairs-oh" and len(group) == 4:
        return f"{_say_pair(group[:2])}, {_say_pair(group[2:])}"
    if not style.startswith("double"):
        return " ".join(names)
    said: list[str] = []
    i = 0
    while i < len(group):
        run = 1
        while i + run < len(group) and group[i + run] == group[i]:
            run += 1
        if run == 3 and len(group) == 3:
            said += [names[i], "double", names[i]]  # "five double five", the common way
        elif run >= 2:
            said += ["double", names[i]] + names[i + 2 : i + run]
        else:
            said.append(names[i])
        i += run
    return " ".join(said)


def render(digits: str, groups: Sequence[int], style: Style) -> str:
    """DIGITS as text in STYLE: "617-555-0142" or "six one seven, five double five, oh one…"."""
    parts = _grouped(digits, groups)
    if style == "digits":
        return "-".join(parts)
    return ", ".join(_say_group(p, style) for p in parts)


def number_renderings(digits: str, groups: Sequence[int]) -> dict[Style, str]:
    """The profile number in each spoken style, duplicates dropped."""
    out: dict[Style, str] = {}
    for style in _STYLES:
        text = render(digits, groups, style)
        if text not in out.values():
            out[style] = text
    return out


def number_competitors(digits: str, heard: Sequence[str] = ()) -> list[str]:
    """Numbers a speaker may have said instead of DIGITS, as digit strings.

    Every one-digit change, every one-digit drop, the number cut short by one to four digits,
    the number without its area code, and the numbers the free transcript heard (HEARD).
    """
    found: dict[str, None] = {}
    for i, d in enumerate(digits):
        for other in "0123456789":
            if other != d:
                found[digits[:i] + other + digits[i + 1 :]] = None
        found[digits[:i] + digits[i + 1 :]] = None
    for cut in range(1, 5):
        found[digits[:-cut]] = None
    if len(digits) >= 10:
        found[digits[3:]] = None
    for h in heard:
        if 5 <= len(h) <= len(digits) + 3:
            found[h] = None
    found.pop(digits, None)
    return list(found)


# ------------------------------------------------------------------------ stretches in text


def _norm(word: str) -> str:
    return re.sub(r"[^a-z0-9']", "", word.lower())


def _numberish(word: str) -> bool:
    """True for a word that says digits: "617-555", "six", "double", "oh"."""
    plain = word.strip(" ,.;:!?…-—\"'()").lower()
    if any(ch.isdigit() for ch in plain):
        return True
    return any(part in _NUMBER_WORDS for part in re.split(r"[-\s]", plain) if part)


def _digit_count(word: str) -> int:
    plain = word.lower()
    count = sum(ch.isdigit() for ch in plain)
    count += sum(1 for part in re.split(r"[^a-z]+", plain) if part in _DIGIT_WORDS)
    return count


def number_stretches(
    words: Sequence[Word], min_digits: int = 4, max_digits: int = 0
) -> list[tuple[int, int]]:
    """Word index ranges (first, last inclusive) where the transcript says a number.

    Other words inside a number ("6-1-7. I'm, I'm, 0-1-4-2") do not end it while fewer than
    MAX_DIGITS (0: any number of) digits have been heard, so a number said twice ("…0142.
    Again, that's 617…") is two stretches.
    """
    stretches: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not _numberish(words[i].text):
            i += 1
            continue
        first = last = i
        count = _digit_count(words[i].text)
        j = i + 1
        gap = 0
        while j < len(words) and gap <= _MAX_GAP_WORDS:
            if _numberish(words[j].text):
                if gap and max_digits and count >= max_digits:
                    break
                last, gap = j, 0
                count += _digit_count(words[j].text)
            else:
                gap += 1
            j += 1
        if count >= min_digits:
            stretches.append((first, last))
        i = last + 1
    return stretches


def _heard_digits(words: Sequence[Word]) -> str:
    out: list[str] = []
    for w in words:
        for part in re.findall(r"\d+|[a-z]+", w.text.lower()):
            if part.isdigit():
                out.append(part)
            elif part in _DIGIT_WORDS:
                out.append(str(_DIGIT_WORDS.index(part)))
            elif part == "oh":
                out.append("0")
    return "".join(out)


# ------------------------------------------------------------------------------ the scorer


class WhisperScorer:
    """Scores candidate texts on a stretch of audio with a loaded CTranslate2 Whisper model."""

    def __init__(self, whisper_model: Any) -> None:
        """Wrap a faster_whisper.WhisperModel (its CTranslate2 model, features and tokenizer)."""
        self._model = whisper_model.model
        self._features = whisper_model.feature_extractor
        tokenizer = whisper_model.hf_tokenizer
        self._tokenizer = tokenizer
        self._start = [
            tokenizer.token_to_id("<|startoftranscript|>"),
            tokenizer.token_to_id("<|notimestamps|>"),
        ]
        self._decode_start = list(self._start)
        if getattr(self._model, "is_multilingual", False):
            self._decode_start[1:1] = [
                tokenizer.token_to_id("<|en|>"),
                tokenizer.token_to_id("<|transcribe|>"),
            ]
        self._number_words: list[int] | None = None

    def tokens(self, text: str) -> list[int]:
        """The text's token ids, as Whisper writes it after the start of a transcript."""
        ids: list[int] = self._tokenizer.encode(" " + text.strip(), add_special_tokens=False).ids
        return ids

    def encode(self, clip: NDArray[np.float32]) -> Encoded:
        """The encoder's output for a clip (at most 30 s), to score several texts against."""
        import ctranslate2

        features = self._features(clip)
        frames = min(features.shape[-1] - features.shape[-1] % 2, 3000)
        # Whisper's window is 3000 frames (30 s); CTranslate2 encodes a shorter clip as it is,
        # which is what keeps scoring a few seconds of audio cheap.
        features = np.ascontiguousarray(features[None, :, :frames], dtype=np.float32)
        encoded = self._model.encode(ctranslate2.StorageView.from_array(features), to_cpu=True)
        return Encoded(np.asarray(encoded), frames)

    def _batch(self, encoded: Encoded, size: int) -> Any:
        import ctranslate2

        return ctranslate2.StorageView.from_array(
            np.ascontiguousarray(np.repeat(encoded.states, size, axis=0))
        )

    def score(
        self, encoded: Encoded, texts: Sequence[str], prompt: str = ""
    ) -> list[NDArray[np.float64]]:
        """Per-token log-probabilities of each text given the clip (and PROMPT as earlier text)."""
        if not texts:
            return []
        token_lists = [self.tokens(t) for t in texts]
        start = self._start
        if prompt:
            previous = self._tokenizer.token_to_id("<|startofprev|>")
            start = [previous, *self.tokens(prompt), *self._start]
        out: list[NDArray[np.float64]] = []
        # A few texts at a time: the aligner keeps every head's attention for the whole batch,
        # and one batch of two dozen texts added about 70 MB to a run's peak memory.
        for at in range(0, len(token_lists), _ALIGN_BATCH):
            batch = token_lists[at : at + _ALIGN_BATCH]
            results = self._model.align(
                self._batch(encoded, len(batch)), start, batch, [encoded.frames] * len(batch)
            )
            out += [
                np.log(np.asarray(r.text_token_probs, dtype=np.float64) + 1e-12) for r in results
            ]
        return out

    def next_token_logprobs(
        self, encoded: Encoded, prefixes: Sequence[Sequence[int]]
    ) -> NDArray[np.float32]:
        """For each token prefix, the log-probabilities of every next token (no prompt)."""
        results = self._model.generate(
            self._batch(encoded, len(prefixes)),
            [self._start + list(p) for p in prefixes],
            beam_size=1,
            # CTranslate2 counts the prefix in this limit in its own way; 2 gives one step.
            max_length=2,
            return_logits_vocab=True,
            suppress_blank=False,
            suppress_tokens=[],
        )
        rows = [np.asarray(r.logits[0][0], dtype=np.float32) for r in results]
        logits = np.stack(rows)
        return logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)

    def number_word_tokens(self) -> list[int]:
        """Every text token id that writes a spoken digit as a word (" five", "Oh", " double")."""
        if self._number_words is None:
            end = self._tokenizer.token_to_id("<|endoftext|>")
            texts = (self._tokenizer.decode([i]) for i in range(end))
            self._number_words = number_word_token_ids(texts)
        return self._number_words

    def decode_digits(self, clip: NDArray[np.float32]) -> str:
        """The digits the decoder writes for CLIP when it may not write a number as words.

        With the number words suppressed, "oh" can only come out as 0 and "double five" as 55.
        Only the number words are taken away, not every other word: measured on the dev split, a
        decoder allowed nothing but digits ends at the first word it cannot write ("again",
        "area code") and accepted 0 of 42 missed numbers; this way it accepted 5.
        """
        encoded = self.encode(clip)
        results = self._model.generate(
            self._batch(encoded, 1),
            [self._decode_start],
            beam_size=5,
            max_length=64,
            suppress_tokens=self.number_word_tokens(),
        )
        ids = results[0].sequences_ids[0]
        text: str = self._tokenizer.decode(ids)
        return "".join(ch for ch in text if ch.isdigit())

    def token_id(self, word: str) -> int | None:
        """The id of a word said after a space (" five"), None when it is not one token."""
        ids = self.tokens(word)
        return ids[0] if len(ids) == 1 else None


@dataclass(frozen=True)
class Encoded:
    """A clip as the encoder saw it."""

    states: NDArray[np.float32]
    """The encoder's output, shape (1, frames // 2, width)."""
    frames: int
    """Mel frames of the clip."""


def number_word_token_ids(texts: Iterable[str]) -> list[int]:
    """Indexes of the token TEXTS that write a spoken digit as a word, in any case or spacing."""
    out: list[int] = []
    for i, text in enumerate(texts):
        letters = re.sub(r"[^a-z]", "", text.lower())
        if letters in _SPOKEN_DIGIT_WORDS:
            out.append(i)
    return out


# ------------------------------------------------------------------------------ verifying


@dataclass(frozen=True)
class _Window:
    """A stretch of the transcript to score, with its context words and audio clip."""

    before: str
    after: str
    first: int
    last: int
    clip_start: float
    clip_end: float


def _window(words: Sequence[Word], first: int, last: int, duration: float) -> _Window:
    lo = max(0, first - _CONTEXT_WORDS)
    hi = min(len(words) - 1, last + _CONTEXT_WORDS)
    start = words[lo].start - _PAD_S if lo < first else words[first].start - _BARE_PAD_S
    end = words[hi].end + _PAD_S if hi > last else words[last].end + _BARE_PAD_S
    before = " ".join(w.text for w in words[lo:first])
    after = " ".join(w.text for w in words[last + 1 : hi + 1])
    return _Window(before, after, first, last, max(0.0, start), min(duration, end))


def _texts(window: _Window, middles: Sequence[str]) -> list[str]:
    return [" ".join(p for p in (window.before, m, window.after) if p) for m in middles]


def _span_of(before: str, middle: str, scorer: WhisperScorer) -> tuple[int, int]:
    """Token positions of MIDDLE inside the text BEFORE + MIDDLE (+ anything after)."""
    lo = len(scorer.tokens(before)) if before else 0
    hi = len(scorer.tokens(f"{before} {middle}".strip()))
    return lo, hi


def _digit_word(digit: str, style: Style) -> str:
    return "oh" if digit == "0" and style.endswith("oh") else _DIGIT_WORDS[int(digit)]


def _likely_rivals(
    scorer: WhisperScorer,
    encoded: Encoded,
    before: str,
    digits: str,
    groups: Sequence[int],
    style: Style,
) -> list[str]:
    """The one-digit changes and drops the audio makes most likely, from one decoder pass.

    Teacher-forcing the profile number digit by digit gives, at each digit, the probability of
    every other digit word there: the strongest changes are scored in full afterwards.
    """
    plain: Style = "oh" if style.endswith("oh") else "zero"
    prefixes: list[list[int]] = []
    for i in range(len(digits)):
        said = render(digits[:i], groups, plain) if i else ""
        boundary = i > 0 and i in _boundaries(groups)
        text = " ".join(p for p in (before, said + ("," if boundary else "")) if p)
        prefixes.append(scorer.tokens(text) if text else [])
    logprobs = scorer.next_token_logprobs(encoded, prefixes)
    ranked: list[tuple[float, str]] = []
    for i, digit in enumerate(digits):
        here = scorer.token_id(_digit_word(digit, plain))
        if here is None:
            continue
        for other in "0123456789":
            there = scorer.token_id(_digit_word(other, plain))
            if other == digit or there is None:
                continue
            gain = float(logprobs[i, there] - logprobs[i, here])
            if other == (digits[i + 1] if i + 1 < len(digits) else ""):
                ranked.append((gain, digits[:i] + digits[i + 1 :]))
            ranked.append((gain, digits[:i] + other + digits[i + 1 :]))
    ranked.sort(reverse=True)
    return list(dict.fromkeys(r for _, r in ranked[:RIVALS_KEPT]))


def _boundaries(groups: Sequence[int]) -> set[int]:
    out: set[int] = set()
    at = 0
    for size in groups:
        at += size
        out.add(at)
    return out


def verify_number(
    scorer: WhisperScorer,
    samples: NDArray[np.float32],
    words: Sequence[Word],
    expect: Expectations,
) -> list[Verification]:
    """One verification per stretch of the transcript that says a number."""
    digits, groups = expect.phone_digits, expect.phone_groups or (len(expect.phone_digits),)
    out: list[Verification] = []
    duration = len(samples) / _SAMPLE_RATE
    renderings = number_renderings(digits, groups)
    styles = list(renderings)
    for first, last in number_stretches(words, max_digits=len(digits)):
        decoded = _decoded_verification(scorer, samples, words, first, last, expect)
        if decoded is not None:
            out.append(decoded)
            break
        window = _window(words, first, last, duration)
        clip = samples[int(window.clip_start * _SAMPLE_RATE) : int(window.clip_end * _SAMPLE_RATE)]
        encoded = scorer.encode(clip)
        scores = scorer.score(encoded, _texts(window, [renderings[s] for s in styles]))
        totals = [float(s.sum()) for s in scores]
        best = int(np.argmax(totals))
        style = styles[best]
        lo, hi = _span_of(window.before, renderings[style], scorer)
        fit = float(scores[best][lo:hi].mean()) if hi > lo else -99.0
        heard = _heard_digits(words[first : last + 1])
        rivals = list(
            dict.fromkeys(
                _likely_rivals(scorer, encoded, window.before, digits, groups, style)
                + _structural_rivals(digits, heard)
            )
        )
        rivals = [r for r in rivals if r != digits]
        rival_texts = [render(r, groups, style) for r in rivals]
        rival_scores = [
            float(s.sum()) + DIGIT_BONUS * min(0, len(r) - len(digits))
            for r, s in zip(rivals, scorer.score(encoded, _texts(window, rival_texts)), strict=True)
        ]
        top = int(np.argmax(rival_scores))
        margin = totals[best] - rival_scores[top]
        if margin >= NUMBER_MARGIN and fit >= NUMBER_MIN_FIT:
            decision: Literal["said", "not_said", "unclear"] = "said"
        elif margin <= -NOT_SAID_MARGIN:
            decision = "not_said"
        else:
            decision = "unclear"
        out.append(
            Verification(
                kind="number",
                expected=renderings[style],
                start=round(words[first].start, 3),
                end=round(words[last].end, 3),
                decision=decision,
                margin=round(margin, 3),
                fit=round(fit, 3),
                rival=rivals[top],
            )
        )
        if decision == "said":
            # One saying the audio confirms settles the check; the rest need not be scored.
            break
    return out


def _decode_span(words: Sequence[Word], first: int, last: int) -> tuple[float, float]:
    """Start and end of the saying around words FIRST..LAST, with digit-like neighbours joined."""
    start, end = words[first].start, words[last].end
    for w in reversed(words[:first]):
        if w.end < start - DECODE_JOIN_S:
            break
        if _numberish(w.text):
            start = w.start
    for w in words[last + 1 :]:
        if w.start > end + DECODE_JOIN_S:
            break
        if _numberish(w.text):
            end = w.end
    return start, end


def _decoded_verification(
    scorer: WhisperScorer,
    samples: NDArray[np.float32],
    words: Sequence[Word],
    first: int,
    last: int,
    expect: Expectations,
) -> Verification | None:
    """ "said" when a re-decode of the stretch that cannot write number words writes the number.

    Only positive evidence is taken from it: a re-decode that writes another or a shorter number
    says nothing the scoring below does not weigh, so it leaves the decision to that scoring.
    """
    start, end = _decode_span(words, first, last)
    lo = max(0, int((start - DECODE_PAD_S) * _SAMPLE_RATE))
    hi = min(len(samples), int((end + DECODE_PAD_S) * _SAMPLE_RATE))
    if hi - lo > 30 * _SAMPLE_RATE:
        return None
    written = scorer.decode_digits(samples[lo:hi])
    if expect.phone_digits not in written:
        return None
    return Verification(
        kind="number",
        expected=expect.phone_digits,
        start=round(words[first].start, 3),
        end=round(words[last].end, 3),
        decision="said",
        # No rival was scored: the re-decode wrote the profile's number itself.
        margin=0.0,
        fit=0.0,
        rival="",
    )


def _structural_rivals(digits: str, heard: str) -> list[str]:
    """The number cut short by one to four digits, without its area code, and as heard."""
    found = [digits[:-cut] for cut in range(1, 5)]
    if len(digits) >= 10:
        found.append(digits[3:])
    if 5 <= len(heard) <= len(digits) + 3 and heard != digits:
        found.append(heard)
    return found


def verify(
    scorer: WhisperScorer,
    samples: NDArray[np.float32],
    transcript: Transcript,
    expect: Expectations,
) -> Transcript:
    """The transcript with verifications of the expected number attached."""
    found: list[Verification] = []
    if expect.phone_digits and transcript.words:
        found += verify_number(scorer, samples, transcript.words, expect)
    if not found:
        return transcript
    from dataclasses import replace

    return replace(transcript, verified=(*transcript.verified, *found))
