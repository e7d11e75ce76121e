"""Finds where a name is said in a transcript, tolerant of ASR spellings and spelling-out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import jellyfish
from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler, Levenshtein

from simulator.checks.lexicon import HESITATIONS
from simulator.checks.text import Token, fold

_LETTERS_RE = re.compile(r"[^a-z]")
# A parenthesised word right after a name part is the reading the user gave for it:
# "田中 (Tanaka) Hiroshi" -> the surname is said "Tanaka" (kanji transliterate as Chinese).
_READING_RE = re.compile(r"(\S+)\s*\(([^()]+)\)")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_SENTENCE_END_RE = re.compile(r"[.?!]$")
_FILLERS = HESITATIONS
# Words right before a name that make it someone else's: "about Jordan Smith", "named Jordan".
_THIRD_PARTY_BEFORE = frozenset(
    """about with by for named called mr mrs ms miss his her their""".split()
)
# Nouns a little before a name that make it someone else's: "my manager, uh, Jordan Rivers".
_THIRD_PARTY_NEAR = frozenset(
    """manager boss colleague coworker co-worker colleagues friend mentor supervisor recruiter
    referred referral recommended recommendation teammate wife husband partner brother sister
    mother father son daughter""".split()
)
# Words that follow "Name's" when the 's is "is": "Jordan Rivera's my name", "'s calling".
_AFTER_IS = frozenset("my the here calling speaking a an again on at and".split())
_NOT_MIDDLE_NAMES = frozenset("from at for and the of with calling here i i'm".split())
_SELF_SURNAME_CUES = (("last", "name"), ("surname",), ("family", "name"))

MatchKind = Literal["full", "first", "last", "other"]


@dataclass(frozen=True)
class NameHit:
    """A stretch of tokens where (part of) the profile name, or another person's name, was said."""

    kind: MatchKind
    """full: first+last; first/last: that part only; other: first name + another surname."""
    first: int
    """Position of the first token in the token list."""
    last: int
    """Position of the last token in the token list (inclusive)."""
    someone_else: bool = False
    """True when the context makes the name someone else's ("my manager Jordan Rivers")."""


def letters(text: str) -> str:
    """Only the letters a-z of the folded, transliterated text.

    "O'Neil-Smith" -> "oneilsmith"; "Дмитрий" -> "dmitriy"; "Γιώργος" -> "giorgos". Any script is
    romanised (anyascii) so a name typed in Cyrillic, Greek or CJK meets the Latin transcript.
    """
    return _LETTERS_RE.sub("", fold(anyascii(text)))


def name_parts(full_name: str) -> list[str]:
    """The profile name's parts as letters, e.g. "José Núñez-Ortiz" -> ["jose", "nunezortiz"].

    A reading in parentheses replaces the part before it: "田中 (Tanaka) Hiroshi" ->
    ["tanaka", "hiroshi"].
    """
    with_readings = _READING_RE.sub(lambda m: m.group(2), full_name)
    return [p for p in (letters(w) for w in with_readings.split()) if p]


def similar(heard: str, expected: str, relaxed: bool = False) -> float:
    """How well a heard word matches a name part, 0..1; 0 when it does not count as a match.

    RELAXED admits looser ASR spellings ("Shivon" for Siobhan, "Ribeira" for Rivera); callers use
    it only next to a strong match of the other half of the name.
    """
    if not heard or not expected:
        return 0.0
    if heard == expected:
        return 1.0
    ratio = fuzz.ratio(heard, expected) / 100
    if relaxed and len(expected) > 3 and len(heard) > 3:
        if heard[0] == expected[0] and ratio >= 0.6:
            return 0.5 * ratio
        if JaroWinkler.similarity(heard, expected) >= 0.82:
            return 0.5 * ratio
        # Spelling far from sound ("Siobhan" said "Shivaun", "Niamh" as "Neeve"): Soundex folds
        # b/f/v/p, drops h/w and vowels, so a phonetic ASR spelling lands on the same code.
        if heard[0] == expected[0] and jellyfish.soundex(heard) == jellyfish.soundex(expected):
            return 0.5 * max(ratio, 0.5)
    same_sound = jellyfish.metaphone(heard) == jellyfish.metaphone(expected) or (
        jellyfish.nysiis(heard) == jellyfish.nysiis(expected)
    )
    if len(expected) <= 3 or len(heard) <= 3:
        # Short names ("Li", "Ng", "Jon") only match when they sound the same and start alike.
        if same_sound and heard[0] == expected[0]:
            return 0.85
        return 0.0
    if same_sound and ratio >= 0.6:
        return 0.7 + 0.3 * ratio
    if JaroWinkler.similarity(heard, expected) >= 0.9 and ratio >= 0.8:
        return 0.6 + 0.3 * ratio
    return 0.0


def _token_letters(tok: Token) -> str:
    return letters(_POSSESSIVE_RE.sub("", tok.text))


def match_part(
    toks: Sequence[Token], i: int, part: str, relaxed: bool = False
) -> tuple[int, float]:
    """Tokens from position I that say PART (1-3: "Anne Marie") and how well; (0, 0) if none."""
    best_k, best_score = 0, 0.0
    joined = ""
    for k in range(1, 4):
        if i + k > len(toks):
            break
        piece = _token_letters(toks[i + k - 1])
        if not piece:
            break
        joined += piece
        # Several words only join into one name part when the first starts it ("Anne Marie").
        if k > 1 and not (part.startswith(joined[: len(piece)]) and len(joined) > 2):
            break
        score = similar(joined, part, relaxed)
        # A longer match must be strictly better, so "Jordan" never swallows the next word.
        if score > best_score + (0.05 if best_k else 0.0):
            best_k, best_score = k, score
        if len(joined) > len(part) + 3:
            break
    return best_k, best_score


def match_spelled(toks: Sequence[Token], i: int, part: str) -> int:
    """How many tokens from position I spell PART letter by letter ("R-I-V-E-R-A"); 0 if none."""
    spelled = ""
    k = 0
    while i + k < len(toks):
        tok = toks[i + k]
        pieces = [p for p in re.split(r"[-.\s]", fold(tok.text).strip(" ,.;:!?")) if p]
        if not pieces or any(len(letters(p)) != 1 or len(p) != 1 for p in pieces):
            break
        spelled += "".join(pieces)
        k += 1
        if len(spelled) >= len(part) + 1:
            break
    if len(spelled) < 3:
        return 0
    if spelled == part or (len(part) >= 5 and Levenshtein.distance(spelled, part) <= 1):
        return k
    # The speaker may trail on with another letter word ("R I V E R A a message"): retry shorter.
    for cut in range(k - 1, 0, -1):
        shorter = "".join(letters(toks[i + j].text) for j in range(cut))
        if shorter == part:
            return cut
    return 0


def _someone_else(toks: Sequence[Token], first: int, last: int) -> bool:
    """True when the words around a name make it a third person's."""
    said = toks[last].text.strip('"')
    if _POSSESSIVE_RE.search(said.rstrip(",;:")) and last + 1 < len(toks):
        # "Jordan Rivera's referral" is someone's; "Jordan Rivera's my name" is "Rivera is".
        if toks[last + 1].norm not in _AFTER_IS and not _SENTENCE_END_RE.search(said):
            return True
    for back in range(1, 4):
        pos = first - back
        if pos < 0:
            break
        tok = toks[pos]
        # A sentence ending between the cue and the name puts the cue in another sentence.
        if _SENTENCE_END_RE.search(tok.text):
            break
        if back == 1 and tok.norm in _THIRD_PARTY_BEFORE:
            return True
        if tok.norm in _THIRD_PARTY_NEAR:
            return True
    return False


def _skippable(tok: Token, middles: Sequence[str]) -> bool:
    """Words allowed between first and last name: fillers, an initial, a middle name."""
    piece = _token_letters(tok)
    if tok.norm in _FILLERS or len(piece) == 1:
        return True
    if any(similar(piece, m) > 0 for m in middles):
        return True
    # A middle name the profile leaves out ("Mary Ann Smith"): capitalised, not a linking word.
    word = tok.text.strip(",.")
    return word[:1].isupper() and word.isalpha() and tok.norm not in _NOT_MIDDLE_NAMES


def _capitalised_other(toks: Sequence[Token], pos: int) -> bool:
    """True when the word at POS looks like another surname (capitalised, mid-sentence)."""
    if pos >= len(toks) or pos == 0:
        return False
    tok = toks[pos]
    word = tok.text.strip("\"'(")
    if not word[:1].isupper() or tok.norm in ("i", "i'm", "i'll", "i've", "i'd"):
        return False
    return not _SENTENCE_END_RE.search(toks[pos - 1].text) and not toks[pos - 1].text.endswith(",")


def find_name(toks: Sequence[Token], full_name: str) -> list[NameHit]:
    """Every place the name (or part of it) is said, in order, full matches preferred."""
    parts = name_parts(full_name)
    if not parts:
        return []
    first_part, last_part, middles = parts[0], parts[-1], parts[1:-1]
    hits: list[NameHit] = []
    used: set[int] = set()
    n = len(toks)
    for i in range(n):
        if i in used:
            continue
        if len(parts) > 1:
            swapped = _swapped_name(toks, i, first_part, last_part)
            if swapped is not None:
                hits.append(NameHit("full", i, swapped, _someone_else(toks, i, swapped)))
                used.update(range(i, swapped + 1))
                continue
        k, score = match_part(toks, i, first_part)
        if len(parts) == 1:
            if k:
                hits.append(NameHit("full", i, i + k - 1, _someone_else(toks, i, i + k - 1)))
                used.update(range(i, i + k))
            continue
        if not k:
            # A loosely heard first name counts only before a clearly heard surname.
            k, score = match_part(toks, i, first_part, relaxed=True)
            if not k:
                continue
            end = _surname_after(toks, i + k, last_part, middles, strong_only=True)
            if end is not None:
                hits.append(NameHit("full", i, end, _someone_else(toks, i, end)))
                used.update(range(i, end + 1))
            continue
        end = _surname_after(toks, i + k, last_part, middles, relaxed=score >= 1.0)
        if end is not None:
            hits.append(NameHit("full", i, end, _someone_else(toks, i, end)))
            used.update(range(i, end + 1))
            continue
        kind: MatchKind = "other" if _capitalised_other(toks, i + k) else "first"
        stop = i + k if kind == "other" else i + k - 1
        hits.append(NameHit(kind, i, stop, _someone_else(toks, i, stop)))
        used.update(range(i, i + k))
    if len(parts) > 1:
        hits.extend(_surnames_alone(toks, last_part, used))
    return sorted(hits, key=lambda h: h.first)


def _swapped_name(toks: Sequence[Token], i: int, first_part: str, last_part: str) -> int | None:
    """Last position of the name said in the other order from I, or None.

    Family-name-first profiles ("Nguyễn Văn An") are often said given name first ("An Nguyen"),
    and "Thompson, Maya" is still the full name: both parts, each clearly heard, back to back.
    """
    k, score = match_part(toks, i, last_part)
    if not k or score < 0.9 or i + k >= len(toks):
        return None
    k2, score2 = match_part(toks, i + k, first_part)
    if not k2 or score2 < 0.9:
        return None
    return i + k + k2 - 1


def _surname_after(
    toks: Sequence[Token],
    j: int,
    last_part: str,
    middles: Sequence[str],
    relaxed: bool = False,
    strong_only: bool = False,
) -> int | None:
    """The last token position of the surname said at or shortly after J, or None.

    RELAXED accepts a looser spelling (after an exact first name); STRONG_ONLY wants a close one.
    """
    for skip in range(0, len(middles) + 2):
        pos = j + skip
        if pos >= len(toks):
            return None
        if skip and not _skippable(toks[pos - 1], middles):
            return None
        spelled = match_spelled(toks, pos, last_part)
        if spelled:
            return pos + spelled - 1
        k, score = match_part(toks, pos, last_part, relaxed and not strong_only)
        if k and (not strong_only or score >= 0.9):
            return pos + k - 1
    return None


def _surnames_alone(toks: Sequence[Token], last_part: str, used: set[int]) -> list[NameHit]:
    """Surnames said apart from the first name: "last name Rivera", or spelled "R-I-V-E-R-A"."""
    hits: list[NameHit] = []
    i = 0
    while i < len(toks):
        if i in used:
            i += 1
            continue
        spelled = match_spelled(toks, i, last_part)
        if spelled:
            hits.append(NameHit("last", i, i + spelled - 1))
            i += spelled
            continue
        k, _ = match_part(toks, i, last_part)
        if k and (_self_surname_cue(toks, i) or _self_surname_cue_after(toks, i + k)):
            hits.append(NameHit("last", i, i + k - 1, _someone_else(toks, i, i + k - 1)))
            i += k
            continue
        i += 1
    return hits


def _self_surname_cue_after(toks: Sequence[Token], j: int) -> bool:
    """True when "is my last name" / "is my surname" comes right at position J."""
    after = tuple(t.norm for t in toks[j : j + 4])
    return after[:2] == ("is", "my") and any(
        after[2 : 2 + len(cue)] == cue for cue in _SELF_SURNAME_CUES
    )


def _self_surname_cue(toks: Sequence[Token], i: int) -> bool:
    """True when "last name (is)" / "surname" comes just before position I."""
    before = [t.norm.removesuffix("'s") for t in toks[max(0, i - 4) : i]]
    before = [w for w in before if w not in ("is", "", "it's") and w not in _FILLERS]
    for cue in _SELF_SURNAME_CUES:
        if tuple(before[-len(cue) :]) == cue:
            return True
    return False
