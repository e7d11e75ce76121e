"""Shared text helpers for checks: normalised words, timed tokens, stems and evidence quotes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from audio.transcript import Transcript
from simulator.checks.base import Span

# Curly quotes and dashes that recognisers and keyboards emit, mapped to their plain forms so a
# word like "that’s" normalises the same as "that's".
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-"})
# Letters (any script after folding), digits, and apostrophes/hyphens/dots inside a word are kept.
_EDGE_RE = re.compile(r"^[^0-9a-z]+|[^0-9a-z]+$")
_INNER_RE = re.compile(r"[^0-9a-z'\-.@+]")
# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "ı": "i"})


@dataclass(frozen=True)
class Token:
    """One transcript word, normalised, with its position and (when timed) its time."""

    text: str
    """The word as the recogniser wrote it, surrounding whitespace removed."""
    norm: str
    """The normalised form (see normalize_word): folded, edge punctuation stripped."""
    index: int
    """Index of the word in Transcript.words (use it for Span)."""
    start: float | None
    """Seconds from the start of the answer, None for an untimed (typed) transcript."""
    end: float | None
    """Seconds from the start of the answer, None for an untimed (typed) transcript."""


def fold(text: str) -> str:
    """Lowercase and strip accents: "José Núñez" -> "jose nunez" (other characters are kept)."""
    lowered = text.translate(_PLAIN).casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_word(word: str) -> str:
    """A word's comparable form: folded, edge punctuation stripped, inner ' - . @ + kept.

    "Rivera," -> "rivera"; "That’s" -> "that's"; "(617)" -> "617"; "Núñez." -> "nunez";
    "…" -> "" (a word made only of punctuation normalises to the empty string).
    """
    folded = fold(word.strip())
    return _INNER_RE.sub("", _EDGE_RE.sub("", folded))


def words_of(text: str) -> list[str]:
    """Normalised words of a plain string (empty ones dropped), e.g. for phrase lists."""
    return [n for n in (normalize_word(w) for w in text.split()) if n]


def tokens(transcript: Transcript) -> list[Token]:
    """The transcript's words as Tokens, skipping words that normalise to "" (bare punctuation).

    Token.index always refers to Transcript.words, so spans stay correct after the skip.
    """
    out: list[Token] = []
    for index, word in enumerate(transcript.words):
        norm = normalize_word(word.text)
        if not norm:
            continue
        start = word.start if transcript.timed else None
        end = word.end if transcript.timed else None
        out.append(Token(word.text.strip(), norm, index, start, end))
    return out


def find_sequence(toks: Sequence[Token], phrase: Sequence[str]) -> list[tuple[int, int]]:
    """Every place PHRASE (normalised words) occurs in TOKS, as (first, last) positions in TOKS."""
    n = len(phrase)
    if n == 0:
        return []
    return [
        (i, i + n - 1)
        for i in range(len(toks) - n + 1)
        if all(toks[i + k].norm == phrase[k] for k in range(n))
    ]


def fmt_time(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss past an hour): 3.4 -> "0:03", 75 -> "1:15"."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def quote(toks: Iterable[Token]) -> str:
    """The words as heard, quoted, with the first one's time when timed: '"Jo Rivera" at 0:03'."""
    chosen = list(toks)
    if not chosen:
        return '""'
    said = " ".join(t.text for t in chosen)
    # Trim sentence punctuation at the edges of the quote only; inner punctuation is what was heard.
    said = said.strip(' \t\n,.;:!?"“”')
    start = chosen[0].start
    if start is None:
        return f'"{said}"'
    return f'"{said}" at {fmt_time(start)}'


def span(toks: Sequence[Token], kind: str = "evidence") -> Span:
    """A Span covering the given tokens (in transcript order)."""
    if kind not in ("evidence", "filler", "pause", "miss"):
        raise ValueError(f"unknown span kind {kind!r}")
    return Span(toks[0].index, toks[-1].index, kind)  # type: ignore[arg-type]


def stem(word: str) -> str:
    """A light English stem for matching keywords: plurals, -ing, -ed and a final e go.

    "analysts" -> "analyst", "engineering" -> "engineer", "managed"/"managing"/"manage" -> "manag",
    "companies" -> "company". Not a full Porter stemmer: it only has to make inflections meet.
    """
    w = normalize_word(word).replace("'", "")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith(("ches", "shes", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            # "planning" -> "plann" -> "plan"; ll/ss/zz stay, being part of roots like "spell".
            if len(w) >= 2 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w
