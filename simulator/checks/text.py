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


# How a written token is said, for counting spoken words (pace and every per-minute figure).
_NUMBER_WORDS = frozenset(
    """zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion first second third fourth fifth sixth seventh eighth
    ninth""".split()
)
# Digit groups joined by separators, or parentheses: a phone number, said digit by digit.
_PHONE_LIKE_RE = re.compile(r"^[-(]?\d+(?:[-.\s/()]+\d+)*[-)]?$")
_DIGIT_GROUP_RE = re.compile(r"^[-(]?\d+[-)]?$")
_CARDINAL_RE = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL_RE = re.compile(r"^(\d[\d,]*)\.(\d+)$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_PIECES_RE = re.compile(r"\d+|[^\W\d_]+")
# Written symbols that are said as a word of their own.
_SAID_SYMBOLS = {"$": 1, "£": 1, "€": 1, "%": 1, "&": 1, "+": 1, "#": 1, "@": 1}
_SCALES = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def _cardinal_words(n: int) -> int:
    """Words in a number said as a cardinal: 4000 -> 2 ("four thousand"), 142 -> 4."""
    if n == 0:
        return 1
    count = 0
    for scale, _name in _SCALES:
        if n >= scale:
            count += _cardinal_words(n // scale) + 1
            n %= scale
    if n >= 100:
        count += 2  # "five hundred"
        n %= 100
    if n:
        count += 1 if n < 20 or n % 10 == 0 else 2  # "twelve", "forty", "forty two"
    return count


def _number_words(digits: str) -> int:
    """Words it takes to say a digit string on its own: as a year, a cardinal, or digit by digit."""
    if len(digits) >= 5 or (len(digits) > 1 and digits.startswith("0")):
        return len(digits)  # a long code or a leading zero is read digit by digit
    value = int(digits)
    if len(digits) == 4 and 1100 <= value <= 2099 and value % 100 and not 2000 <= value < 2010:
        return 2 if value % 100 >= 10 else 3  # "nineteen ninety", "nineteen oh five"
    return _cardinal_words(value)


def spoken_words(text: str) -> int:
    """How many words it takes to say a written token: "617-555-0142" is 10, "4,000" is 2.

    Speaking rates count what is said, and Whisper writes what is said as digits and symbols:
    a phone-like group of digits ("617-555-0142", "(617)", "5-5-0-1-4-2") is said digit by digit;
    a plain number as a cardinal ("4,000" = "four thousand", "142" = "one hundred forty two"),
    a year as two words; "1.5" as "one point five"; "$", "%", "&" add "dollars", "percent",
    "and"; letters spelled out ("R-I-V-E-R-A") are one word each; an email or web address is its
    parts plus each "dot" and "at". Any other word is one word, hyphenated or not.
    """
    word = fold(text.strip()).strip("\"'“”‘’[]{},;:!?…").rstrip(".")
    if not any(ch.isalnum() for ch in word):
        return 0
    symbols = sum(n for ch, n in _SAID_SYMBOLS.items() if ch in word and not word.isalpha())
    if "@" in word or re.search(r"[^\W\d_]\.[^\W\d_]", word):
        parts = [p for p in re.split(r"[@.]", word) if p]
        if all(len(p) == 1 for p in parts):
            return len(parts)  # "U.S." is said letter by letter
        return sum(spoken_words(p) for p in parts) + len(parts) - 1
    core = word.strip("$£€%&+#").removeprefix("(").removesuffix(")")
    if core.count("(") != core.count(")"):
        core = core.strip("()")
    if not core:
        return symbols
    if not any(ch.isdigit() for ch in core):
        parts = [p for p in re.split(r"[-/]", core) if p]
        if len(parts) > 1 and (
            all(len(p) == 1 for p in parts) or all(p in _NUMBER_WORDS for p in parts)
        ):
            return len(parts) + symbols  # "R-I-V-E-R-A", "twenty-one"
        return 1 + symbols
    if _CARDINAL_RE.match(core):
        if "," in core:  # "4,000", "1,250,000": written with commas, said as a cardinal
            return _cardinal_words(int(core.replace(",", ""))) + symbols
        return _number_words(core) + symbols
    decimal = _DECIMAL_RE.match(core)
    if decimal:
        whole = _number_words(decimal.group(1).replace(",", ""))
        return whole + 1 + len(decimal.group(2)) + symbols  # "one point five"
    clock = _TIME_RE.match(core)
    if clock:
        minutes = int(clock.group(2))
        return _cardinal_words(int(clock.group(1))) + (_cardinal_words(minutes) if minutes else 0)
    ordinal = _ORDINAL_RE.match(core)
    if ordinal:
        return _cardinal_words(int(ordinal.group(1))) + symbols
    if _PHONE_LIKE_RE.match(core):
        return sum(ch.isdigit() for ch in core) + symbols
    # Letters and digits mixed ("B2B", "COVID-19", "3pm"): each run said on its own.
    pieces = _PIECES_RE.findall(core)
    return sum(_number_words(p) if p.isdigit() else 1 for p in pieces) + symbols


def spoken_word_count(toks: Sequence[Token]) -> int:
    """Words said in the tokens, counting numbers and symbols as spoken (see spoken_words).

    Digit groups written one after another ("617 555 0142") are one number said digit by digit,
    not three cardinals ("six hundred seventeen…").
    """
    groups = [bool(_DIGIT_GROUP_RE.match(t.text.strip(",.;:!?"))) for t in toks]
    count = 0
    for i, tok in enumerate(toks):
        in_run = groups[i] and ((i > 0 and groups[i - 1]) or (i + 1 < len(toks) and groups[i + 1]))
        count += sum(ch.isdigit() for ch in tok.text) if in_run else spoken_words(tok.text)
    return count
