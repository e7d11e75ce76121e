"""Plain transcript dataclasses shared by the transcription engines and the checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORD_RE = re.compile(r"\S+")


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

    @classmethod
    def from_text(cls, text: str) -> Transcript:
        """Build an untimed transcript from typed or pasted text."""
        words = tuple(Word(m.group(0), 0.0, 0.0) for m in _WORD_RE.finditer(text))
        return cls(text=text.strip(), words=words, timed=False)

    @classmethod
    def from_segments(cls, segments: list[Segment], duration: float | None) -> Transcript:
        """Join timed segments into one transcript."""
        words = tuple(w for s in segments for w in s.words)
        text = " ".join(s.text.strip() for s in segments if s.text.strip())
        return cls(text=text, words=words, timed=True, duration=duration, segments=tuple(segments))

    @property
    def speech_start(self) -> float | None:
        """Time of the first word, None when nothing timed was said."""
        return self.words[0].start if self.timed and self.words else None

    @property
    def speech_end(self) -> float | None:
        """Time the last word ends, None when nothing timed was said."""
        return self.words[-1].end if self.timed and self.words else None
