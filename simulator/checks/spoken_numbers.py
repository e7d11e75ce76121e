"""Turns spoken or written numbers in a transcript into digit strings, for finding phone numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from audio.transcript import Transcript
from simulator.checks.text import Token, tokens

AtomKind = Literal[
    "digits",
    "unit",
    "teen",
    "tens",
    "hundred",
    "thousand",
    "mult",
    "a",
    "homo",
    "five",
    "gap",
    "break",
]

_UNITS = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "naught": 0,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_MULTS = {"double": 2, "triple": 3, "treble": 3}
# Words recognisers write for a digit said inside a run of digits ("six one to five"). They only
# count as digits between two single digits, because "to"/"for" are everywhere else in speech.
_HOMOPHONES = {"to": 2, "too": 2, "for": 4, "fore": 4, "won": 1, "ate": 8}
# What tiny.en writes for "five" said flatly in a list of digits ("three one two, fine, fine").
# They count as 5 next to a number or in a chain of them that touches one, pauses allowed.
_FIVE_SOUNDALIKES = frozenset({"fine", "find", "fife"})
# Words people put between the groups of a number without ending it: fillers, "then", "that's",
# "area code", "I mean" after a restart. Any other word ends the run of digits.
_GAP_WORDS = frozenset(
    """uh um umm uhm er erm ah eh hmm mm mhm and then dash hyphen that's thats that is it's its
    again so sorry i mean or rather actually no wait correction area code the rest okay ok yeah
    like plus my number number's phone cell mobile last first are digits of""".split()
)
# "the last four (digits) are 0142": the count is not part of the number.
_COUNT_CUES = frozenset({"last", "first"})
# Gap words that take back what came just before: "double oh... sorry, oh nine five eight".
_CORRECTIONS = frozenset("sorry mean rather actually no wait correction".split())
_MAX_GAP = 4
# Punctuation after a word marks a pause: "fifty, five" is 50 then 5, not 55.
_PAUSE_RE = re.compile(r"[,.;:!?…\-—–]$")
_DIGITISH_RE = re.compile(r"^[0-9o]*[0-9][0-9o]*$")
_SPLIT_RE = re.compile(r"[-.]")


@dataclass(frozen=True)
class _Atom:
    """One number-ish piece of a token: a digit string, a number word, or a gap word."""

    kind: AtomKind
    """What sort of piece it is."""
    value: str
    """Digits for "digits", the word's numeric value for number words, the word for gaps."""
    pos: int
    """Position of the owning token in the token list."""
    pause_after: bool
    """True when the speaker paused (punctuation) right after this piece."""


@dataclass(frozen=True)
class DigitRun:
    """A stretch of contiguous number words and digits, read as one digit string."""

    digits: str
    """Every digit heard in the stretch, in order."""
    owners: tuple[int, ...]
    """For each digit, the position (in the token list) of the token it came from."""
    breaks: tuple[bool, ...]
    """For each digit, True when a pause or a gap word comes right before it."""
    corrections: tuple[int, ...] = ()
    """Digit positions right after a correction word ("sorry", "I mean")."""


@dataclass(frozen=True)
class PhoneMention:
    """A phone-number-like stretch of the answer: its digits and where it was said."""

    digits: str
    """The digits heard, in order (country code and trunk prefix included if said)."""
    first_word: int
    """Index in Transcript.words of the first word of the stretch."""
    last_word: int
    """Index in Transcript.words of the last word of the stretch (inclusive)."""
    start: float | None
    """When the stretch starts, in seconds; None for untimed transcripts."""
    words: tuple[Token, ...]
    """The tokens of the stretch, for quoting."""
    owners: tuple[int, ...]
    """For each digit, the position in `words` of the token it came from."""
    breaks: tuple[bool, ...] = ()
    """For each digit, True when a pause or a gap word comes right before it."""
    corrections: tuple[int, ...] = ()
    """Digit positions right after a correction word ("sorry", "I mean")."""

    def occurrences(self, target: str, prefixes: Sequence[str] = ()) -> list[PhoneMention]:
        """Each place TARGET is said completely in this stretch, as its own mention.

        A prefix from PREFIXES said right before it (country code "1", trunk "0") is included.
        Digits glued on without a pause ("415 555 01233") spoil a match, unless they are a
        prefix or the start of saying the number again. A correction ("0143, sorry, 0142")
        replaces up to six digits said before it.
        """
        if not target:
            return []
        spans = self._plain(target, prefixes)
        found = [self.slice(lo, hi) for lo, hi in spans]
        for fix in self.corrections:
            if any(lo <= fix <= hi for lo, hi in spans):
                continue
            for dropped in range(1, min(fix, 6) + 1):
                keep = [*range(fix - dropped), *range(fix, len(self.digits))]
                corrected = self._subset(keep)
                splice = fix - dropped
                hits = [
                    (lo, hi) for lo, hi in corrected._plain(target, prefixes) if lo < splice < hi
                ]
                if hits:
                    found.append(corrected.slice(*hits[0]))
                    break
        return sorted(found, key=lambda m: (m.first_word, m.last_word))

    def _plain(self, target: str, prefixes: Sequence[str]) -> list[tuple[int, int]]:
        """Digit ranges (lo, hi) where TARGET is said as a whole, prefix included."""
        spans: list[tuple[int, int]] = []
        floor = 0
        at = self.digits.find(target)
        while at >= 0:
            end = at + len(target)
            if self._clean_edges(at, end, target, prefixes):
                lo = at
                for prefix in sorted(prefixes, key=len, reverse=True):
                    if at - len(prefix) >= floor and self.digits[at - len(prefix) : at] == prefix:
                        lo = at - len(prefix)
                        break
                spans.append((lo, end))
                floor = end
                at = self.digits.find(target, end)
            else:
                at = self.digits.find(target, at + 1)
        return spans

    def _clean_edges(self, at: int, end: int, target: str, prefixes: Sequence[str]) -> bool:
        """True unless digits said without a pause before or after make it a different number."""
        breaks = self.breaks or (True,) * len(self.digits)
        seg_start = at
        while seg_start > 0 and not breaks[seg_start]:
            seg_start -= 1
        seg_end = end
        while seg_end < len(self.digits) and not breaks[seg_end]:
            seg_end += 1
        lead, trail = self.digits[seg_start:at], self.digits[end:seg_end]
        starts = [target, *(p + target for p in prefixes)]
        lead_ok = not lead or lead in prefixes or target.startswith(lead) or lead.endswith(target)
        trail_ok = not trail or any(s.startswith(trail) or trail.startswith(s) for s in starts)
        return lead_ok and trail_ok

    def _subset(self, keep: list[int]) -> PhoneMention:
        """This stretch with only the digits at positions KEEP (same words)."""
        breaks = self.breaks or (True,) * len(self.digits)
        return PhoneMention(
            digits="".join(self.digits[k] for k in keep),
            first_word=self.first_word,
            last_word=self.last_word,
            start=self.start,
            words=self.words,
            owners=tuple(self.owners[k] for k in keep),
            breaks=tuple(breaks[k] for k in keep),
        )

    def slice(self, lo: int, hi: int) -> PhoneMention:
        """The sub-mention covering digits[lo:hi]."""
        first, last = self.owners[lo], self.owners[hi - 1]
        words = self.words[first : last + 1]
        breaks = self.breaks or (True,) * len(self.digits)
        return PhoneMention(
            digits=self.digits[lo:hi],
            first_word=words[0].index,
            last_word=words[-1].index,
            start=words[0].start,
            words=words,
            owners=tuple(o - first for o in self.owners[lo:hi]),
            breaks=(True, *breaks[lo + 1 : hi]),
        )


def _atoms_of(token: Token, pos: int) -> list[_Atom]:
    """Split one token into number atoms; a token that is not number-ish gives an empty list."""
    pause = bool(_PAUSE_RE.search(token.text))
    norm = token.norm
    compact = norm.replace("-", "").replace(".", "").replace("+", "").replace("/", "")
    if compact and _DIGITISH_RE.match(compact):
        return [_Atom("digits", compact.replace("o", "0"), pos, pause)]
    parts = [p for p in _SPLIT_RE.split(norm) if p]
    out: list[_Atom] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        # Inside "six-one-seven" a hyphen is a separator, not a pause.
        pause_here = pause if last else False
        atom = _word_atom(part, pos, pause_here)
        if atom is None:
            return []
        out.append(atom)
    if len(parts) > 1 and any(a.kind == "gap" for a in out):
        return []
    return out


def _word_atom(word: str, pos: int, pause: bool) -> _Atom | None:
    if word.isdigit():
        return _Atom("digits", word, pos, pause)
    if word in _UNITS:
        return _Atom("unit", str(_UNITS[word]), pos, pause)
    if word in _TEENS:
        return _Atom("teen", str(_TEENS[word]), pos, pause)
    if word in _TENS:
        return _Atom("tens", str(_TENS[word]), pos, pause)
    if word == "hundred":
        return _Atom("hundred", "100", pos, pause)
    if word == "thousand":
        return _Atom("thousand", "1000", pos, pause)
    if word in _MULTS:
        return _Atom("mult", str(_MULTS[word]), pos, pause)
    if word == "a":
        return _Atom("a", "1", pos, pause)
    if word in _HOMOPHONES:
        return _Atom("homo", str(_HOMOPHONES[word]), pos, pause)
    if word in _FIVE_SOUNDALIKES:
        return _Atom("five", "5", pos, pause)
    if word in _GAP_WORDS:
        return _Atom("gap", word, pos, pause)
    return None


def _is_single_digit(atom: _Atom) -> bool:
    return atom.kind == "unit" or (atom.kind == "digits" and len(atom.value) == 1)


_NUMBER_KINDS = frozenset({"digits", "unit", "teen", "tens", "mult"})


def _five_chain_touches_number(atoms: list[_Atom], i: int) -> bool:
    """True when the five-soundalike at I, with its soundalike neighbours, borders a number."""
    for step in (-1, 1):
        j = i + step
        pos = atoms[i].pos
        while 0 <= j < len(atoms) and abs(atoms[j].pos - pos) <= 1 and atoms[j].kind == "five":
            pos = atoms[j].pos
            j += step
        if 0 <= j < len(atoms) and abs(atoms[j].pos - pos) <= 1 and atoms[j].kind in _NUMBER_KINDS:
            return True
    return False


def _resolve(atoms: list[_Atom]) -> list[_Atom]:
    """Settle the context-dependent atoms: homophones between single digits, "a" before hundred."""
    out: list[_Atom] = []
    for i, atom in enumerate(atoms):
        # Only atoms of this or the neighbouring token count as context; a word that is not
        # number-ish in between has no atoms, so the flat list alone would hide it.
        prev = atoms[i - 1] if i > 0 and atoms[i - 1].pos >= atom.pos - 1 else None
        nxt = atoms[i + 1] if i + 1 < len(atoms) and atoms[i + 1].pos <= atom.pos + 1 else None
        if (
            prev is not None
            and prev.kind == "gap"
            and prev.value in _COUNT_CUES
            and atom.kind in ("unit", "digits")
        ):
            out.append(_Atom("gap", "count", atom.pos, atom.pause_after))
            continue
        if atom.kind == "five":
            if _five_chain_touches_number(atoms, i):
                out.append(_Atom("unit", "5", atom.pos, atom.pause_after))
            else:
                out.append(_Atom("break", "", atom.pos, True))
            continue
        if atom.kind == "homo":
            between = (
                prev is not None
                and nxt is not None
                and _is_single_digit(prev)
                and _is_single_digit(nxt)
                and not prev.pause_after
            )
            if between:
                out.append(_Atom("unit", atom.value, atom.pos, atom.pause_after))
            else:
                out.append(_Atom("break", "", atom.pos, True))
        elif atom.kind == "a":
            if nxt is not None and nxt.kind in ("hundred", "thousand"):
                out.append(atom)
            else:
                out.append(_Atom("break", "", atom.pos, True))
        else:
            out.append(atom)
    return out


def _split_runs(atom_lists: list[list[_Atom]]) -> list[list[_Atom]]:
    """Group the token atoms into runs: number atoms joined across at most _MAX_GAP gap words."""
    flat: list[_Atom | None] = []
    for atoms in atom_lists:
        if not atoms:
            flat.append(None)
        else:
            flat.extend(atoms)
    runs: list[list[_Atom]] = []
    current: list[_Atom] = []
    pending_gap: list[_Atom] = []
    for item in flat:
        if item is None or item.kind == "break":
            if current:
                runs.append(current)
            current, pending_gap = [], []
            continue
        if item.kind == "gap":
            if current:
                pending_gap.append(item)
                if sum(g.value != "count" for g in pending_gap) > _MAX_GAP:
                    runs.append(current)
                    current, pending_gap = [], []
            continue
        if pending_gap:
            # A bare "and" between two years is a list ("2015 and 2018"), not one number; between
            # groups of a phone number ("617 and 555 0142") it is only a joiner.
            if [g.value for g in pending_gap] == ["and"] and _year(current[-1]) and _year(item):
                runs.append(current)
                current = []
            else:
                # The gap words stay in the run: _read_run reads pauses and corrections from them.
                current.extend(pending_gap)
            pending_gap = []
        current.append(item)
    if current:
        runs.append(current)
    return runs


def _year(atom: _Atom) -> bool:
    return atom.kind == "digits" and len(atom.value) == 4 and atom.value[:2] in ("19", "20")


def _small(atoms: list[_Atom], i: int) -> tuple[int, int] | None:
    """A number below 100 starting at atoms[i], as (value, next index), or None."""
    atom = atoms[i]
    if atom.kind == "tens":
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if nxt is not None and nxt.kind == "unit" and nxt.value != "0" and not atom.pause_after:
            return int(atom.value) + int(nxt.value), i + 2
        return int(atom.value), i + 1
    if atom.kind in ("teen", "unit", "a"):
        return int(atom.value), i + 1
    if atom.kind == "digits" and len(atom.value) <= 2 and not atom.value.startswith("0"):
        return int(atom.value), i + 1
    return None


def _read_run(run: list[_Atom]) -> DigitRun:
    """Read one run as digits, composing "forty two", "five hundred", "double five"."""
    atoms: list[_Atom] = []
    # Per kept atom: a pause or gap word came before it / a correction word did.
    paused: list[bool] = []
    corrected: list[bool] = []
    gap = fix = False
    for atom in run:
        if atom.kind == "gap":
            gap = True
            fix = fix or atom.value in _CORRECTIONS
            continue
        paused.append(gap or bool(atoms and atoms[-1].pause_after))
        corrected.append(fix)
        atoms.append(atom)
        gap = fix = False
    digits: list[str] = []
    owners: list[int] = []
    breaks: list[bool] = []
    corrections: list[int] = []
    by_identity = {id(a): k for k, a in enumerate(atoms)}

    def emit(text: str, first: int, last: int, atom: _Atom | None = None) -> None:
        k = by_identity[id(atom)] if atom is not None else -1
        if k >= 0 and corrected[k]:
            corrections.append(len(digits))
        for n, ch in enumerate(text):
            digits.append(ch)
            owners.append(last if n == len(text) - 1 else first)
            breaks.append(n == 0 and (not digits[:-1] or (k >= 0 and paused[k])))

    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if atom.kind == "mult":
            if nxt is not None and _is_single_digit(nxt):
                emit(nxt.value * int(atom.value), atom.pos, nxt.pos, atom)
                i += 2
            else:
                i += 1
            continue
        small = _small(atoms, i)
        if small is not None:
            value, j = small
            last_of_small = atoms[j - 1]
            mult_atom = atoms[j] if j < len(atoms) else None
            if (
                value > 0
                and mult_atom is not None
                and mult_atom.kind in ("hundred", "thousand")
                and not last_of_small.pause_after
            ):
                scale = int(mult_atom.value)
                value *= scale
                j += 1
                last_pos = mult_atom.pos
                # "five hundred (and) fifty five": the rest joins unless the speaker paused.
                if not mult_atom.pause_after and j < len(atoms):
                    rest = _rest_below(atoms, j, scale)
                    if rest is not None:
                        value += rest[0]
                        last_pos = atoms[rest[1] - 1].pos
                        j = rest[1]
                emit(str(value), atom.pos, last_pos, atom)
                i = j
                continue
            if atom.kind == "tens" and j == i + 2:
                emit(str(value), atom.pos, atoms[i + 1].pos, atom)
            else:
                emit(atom.value if atom.kind == "digits" else str(value), atom.pos, atom.pos, atom)
            i = j
            continue
        if atom.kind == "digits":
            emit(atom.value, atom.pos, atom.pos, atom)
        # A stray "hundred"/"thousand" with nothing before it carries no digits.
        i += 1
    return DigitRun("".join(digits), tuple(owners), tuple(breaks), tuple(corrections))


def _rest_below(atoms: list[_Atom], i: int, scale: int) -> tuple[int, int] | None:
    """The part after "hundred"/"thousand": a number below SCALE, as (value, next index)."""
    small = _small(atoms, i)
    if small is None or small[0] == 0:
        return None
    value, j = small
    if scale == 1000 and j < len(atoms) and atoms[j].kind == "hundred":
        if atoms[j - 1].pause_after:
            return None
        value *= 100
        j += 1
        if not atoms[j - 1].pause_after and j < len(atoms):
            rest = _rest_below(atoms, j, 100)
            if rest is not None:
                value += rest[0]
                j = rest[1]
    if value >= scale:
        return None
    return value, j


def digit_runs(toks: Sequence[Token]) -> list[DigitRun]:
    """Every run of contiguous numbers in the tokens, each read as one digit string."""
    atom_lists = [_atoms_of(t, pos) for pos, t in enumerate(toks)]
    # Homophones and "a" are resolved against their neighbours across token boundaries.
    flat_resolved = _resolve([a for atoms in atom_lists for a in atoms])
    by_pos: dict[int, list[_Atom]] = {}
    for atom in flat_resolved:
        by_pos.setdefault(atom.pos, []).append(atom)
    ordered = [by_pos.get(pos, []) for pos in range(len(toks))]
    runs = [_read_run(run) for run in _split_runs(ordered)]
    return [r for r in runs if r.digits]


def spoken_digits(text: str) -> str:
    """All digits of a plain string, runs joined: "six one seven, 555" -> "617555"."""
    runs = digit_runs(tokens(Transcript.from_text(text)))
    return "".join(r.digits for r in runs)


def find_phone_mentions(transcript: Transcript, min_digits: int = 7) -> list[PhoneMention]:
    """Every phone-number-like stretch (at least MIN_DIGITS digits) in the answer, in order."""
    toks = tokens(transcript)
    mentions: list[PhoneMention] = []
    for run in digit_runs(toks):
        if len(run.digits) < min_digits:
            continue
        first, last = run.owners[0], run.owners[-1]
        lo, hi = min(run.owners), max(run.owners)
        words = tuple(toks[lo : hi + 1])
        mentions.append(
            PhoneMention(
                digits=run.digits,
                first_word=toks[first].index,
                last_word=toks[last].index,
                start=toks[first].start,
                words=words,
                owners=tuple(o - lo for o in run.owners),
                breaks=run.breaks,
                corrections=run.corrections,
            )
        )
    return mentions
