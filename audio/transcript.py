"""Plain transcript dataclasses shared by the transcription engines and the checks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

_WORD_RE = re.compile(r"\S+")

SpeechMap = tuple[tuple[float, float], ...]
"""Stretches of the audio that hold speech, as (start, end) seconds, in order, not overlapping."""


@dataclass(frozen=True)
class Word:
    """One recognised word with its time in the answer."""

    text: str
    """The word as written by the recogniser, with any punctuation attached."""
    start: float
    """Seconds from the start of the answer's audio (0.0 when untimed)."""
    end: float
    """Seconds from the start of the answer's audio (0.0 when untimed)."""
    probability: float = 1.0
    """The recogniser's confidence in this word."""


@dataclass(frozen=True)
class Segment:
    """A run of words the recogniser returned together."""

    text: str
    """The segment's text."""
    start: float
    """Seconds from the start of the answer's audio."""
    end: float
    """Seconds from the start of the answer's audio."""
    words: tuple[Word, ...] = ()
    """The segment's words with timings."""


@dataclass(frozen=True)
class Verification:
    """What the audio itself says about the profile's number (see audio/verify.py)."""

    kind: Literal["number"]
    """What was tested: the profile's phone number (names are checked on the text only)."""
    expected: str
    """The profile's candidate as scored, e.g. "six one seven, five double five, oh one four two"."""
    start: float
    """Seconds from the start of the answer where the tested stretch begins."""
    end: float
    """Seconds from the start of the answer where the tested stretch ends."""
    decision: Literal["said", "not_said", "unclear"]
    """said: the audio clearly favours the profile's candidate; not_said: a rival clearly wins."""
    margin: float
    """Log-probability of the profile's candidate minus the best rival's (positive: ahead)."""
    fit: float
    """Mean log-probability per token of the profile candidate's own words."""
    rival: str
    """The best-scoring rival number, as digits."""


@dataclass(frozen=True)
class Transcript:
    """What was said in one answer: text, words, and whether the timings are real."""

    text: str
    """The whole answer as text."""
    words: tuple[Word, ...]
    """Every word in order."""
    timed: bool
    """True when word times come from audio; False for typed answers (timing checks skip)."""
    duration: float | None = None
    """Length of the answer's audio in seconds, None for typed answers."""
    segments: tuple[Segment, ...] = field(default=())
    """The recogniser's segments, empty for typed answers."""
    speech: SpeechMap = field(default=())
    """Where the audio holds speech, measured on the audio itself (tighter than word times,
    which Whisper only estimates); empty for typed answers and transcripts stored before it."""
    verified: tuple[Verification, ...] = field(default=())
    """Checks of the profile's name and number against the audio; empty when none were run."""

    @classmethod
    def from_text(cls, text: str) -> Transcript:
        """Build an untimed transcript from typed or pasted text."""
        words = tuple(Word(m.group(0), 0.0, 0.0) for m in _WORD_RE.finditer(text))
        return cls(text=text.strip(), words=words, timed=False)

    @classmethod
    def from_segments(
        cls, segments: list[Segment], duration: float | None, speech: SpeechMap = ()
    ) -> Transcript:
        """Join timed segments into one transcript."""
        words = tuple(w for s in segments for w in s.words)
        text = " ".join(s.text.strip() for s in segments if s.text.strip())
        return cls(
            text=text,
            words=words,
            timed=True,
            duration=duration,
            segments=tuple(segments),
            speech=speech,
        )

    @property
    def speech_start(self) -> float | None:
        """Time of the first word, None when nothing timed was said."""
        return self.words[0].start if self.timed and self.words else None

    @property
    def speech_end(self) -> float | None:
        """Time the last word ends, None when nothing timed was said."""
        return self.words[-1].end if self.timed and self.words else None


def joined_words(pieces: Iterable[tuple[str, float, float, float]]) -> list[Word]:
    """Words from a recogniser's pieces (text with its leading space, start, end, probability).

    Whisper starts a new "word" at every punctuation token, so "617-555-0142" arrives as " 617",
    "-555", "-0142" and "4,000" as " 4", ",000"; only a piece with a leading space starts a word.
    A piece without one continues the word before it: the text reads as written ("617-555-0142",
    "self-service"), the word spans all its pieces, and its probability is its least sure piece's.
    """
    words: list[Word] = []
    for text, start, end, probability in pieces:
        piece = text.strip()
        if not piece:
            continue
        if words and not text[:1].isspace():
            last = words[-1]
            if any(ch.isalnum() for ch in piece):
                end, probability = max(last.end, end), min(last.probability, probability)
            else:
                # A bare "-" where the decoder stopped is stretched over the speech it skipped:
                # it joins the text, not the timing.
                end, probability = last.end, last.probability
            words[-1] = Word(last.text + piece, last.start, end, probability)
        else:
            words.append(Word(piece, start, end, probability))
    return words


def merged_speech(maps: Sequence[SpeechMap], gap: float = 0.02) -> SpeechMap:
    """Speech maps of consecutive pieces of audio (times already absolute) as one map.

    Regions closer than gap seconds are one region: a piece cut inside speech splits it in two.
    """
    out: list[tuple[float, float]] = []
    for start, end in sorted(r for m in maps for r in m):
        if out and start - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
