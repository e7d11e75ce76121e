"""A shallow clause reader: who did what, and when, in each clause of an answer.

Phrase rules find marker words ("as a result", "since then"); some judgements need the shape of
the sentence instead: in "I called him the night before. He started on time." the second clause's
subject is someone other than the speaker and its verb is past, so it reports what happened. This
module splits a Doc into clauses (at sentence ends, commas and conjunctions) and reads each one's
subject (the speaker, "we", or someone/something else) and its verb's tense. It knows closed-class
grammar words only; what a check makes of a clause lives in the check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from simulator.checks.language.engine import Doc, Hit, expand
from simulator.checks.lexicon import IRREGULAR_PASTS, NUMBER_WORDS


class Subject(Enum):
    """Who a clause is about."""

    SPEAKER = "speaker"
    """ "I" (or "me and the team": the speaker acting)."""
    WE = "we"
    """ "we", "the two of us", "my team and I"."""
    OTHER = "other"
    """Someone or something else: "he", "the board", "every order", "sales"."""


class Tense(Enum):
    """When a clause's verb places it."""

    PAST = "past"
    """ "started", "was timing out", "had to roll back", "could not share"."""
    PERFECT = "perfect"
    """ "has not missed one", "have used it": a past that still holds."""
    NOW = "now"
    """A present state marked as the new normal: "now the inbox is under fifty"."""
    OTHER = "other"
    """Present habit, future, modal ("would", "will", "going to")."""


@dataclass(frozen=True)
class Clause:
    """One clause: its words, subject, verb and tense."""

    words: tuple[str, ...]
    """The clause's expanded words, lowercase."""
    start: int
    """Character offset of the clause in Doc.text."""
    end: int
    """Character offset just past the clause."""
    sentence: int
    """Index of the sentence the clause is in."""
    intro: str
    """The conjunction that opened it ("and", "so", "when", "if"…), "" at a sentence or comma."""
    subject: Subject | None
    """Who it is about (None when no subject and verb were found)."""
    subject_words: tuple[str, ...]
    """The subject as said ("the board", "none of them")."""
    verb: str
    """The first verb word after the subject ("said", "was", "has")."""
    verb_index: int
    """Index of the verb in words (-1 when none was found)."""
    tense: Tense
    """The verb's tense."""

    def hit(self, doc: Doc) -> Hit:
        """The clause as a Hit (for evidence)."""
        return Hit(doc.covered(self.start, self.end), self.start, self.end, " ".join(self.words))

    @property
    def rest(self) -> tuple[str, ...]:
        """The words after the verb."""
        return self.words[self.verb_index + 1 :] if self.verb_index >= 0 else ()


CONJUNCTIONS = frozenset(
    """and so but then until because after when before while which though although why
    whereas unless if whether since""".split()
)
"""Words that open a new clause."""
DEGREE_WORDS = frozenset({"much", "many", "far", "well", "little"})
"""Words after which "so" is a degree ("so much", "so far"), not a conjunction."""
COORDINATORS = frozenset({"", "and", "so", "but", "then"})
"""Openers of a main clause (the others open a subordinate one: "whether", "when"…)."""
_TWO_WORD_INTROS = {
    ("so", "that"): "so that",
    ("in", "case"): "in case",
    ("for", "when"): "for when",
    ("even", "if"): "even if",
    ("as", "if"): "as if",
    ("in", "order"): "in order",
}
SPEAKER = frozenset({"i"})
WE = frozenset({"we"})
OTHER_PRONOUNS = frozenset(
    """he she they it everyone everybody nobody someone somebody everything nothing none
    people anyone anybody both""".split()
)
"""Pronouns for someone or something other than the speaker."""
DETERMINERS = frozenset(
    """the our my their his her its every each all no half most some that this those these a an
    another several many few""".split()
)
"""Words that open a noun phrase."""
PREPOSITIONS = frozenset(
    "on at by in within over from during after before for with without of to around".split()
)
RELATIVES = frozenset({"where", "who", "whom", "whose", "which", "that"})
"""Words that open a relative clause."""
BE_PAST = frozenset({"was", "were"})
BE_NOW = frozenset({"is", "are"})
PERFECT_AUX = frozenset({"has", "have"})
MODALS = frozenset(
    "would will could can should might may must shall going gonna want wanted hope".split()
)
"""Verbs that put a clause in the future or the hypothetical (past "could not" excepted)."""
NOT_SUBJECT = frozenset(
    """who which that what there here where how why when whom whose if so and but then also
    just really actually even still only""".split()
)
"""Words that cannot end a subject."""
FILLERS = frozenset(
    """um uh uhh er erm ah oh well like basically actually really just also then finally
    eventually quickly soon immediately even once first still all both never ever later always
    right literally honestly ultimately instead only""".split()
)
"""Words that may sit between a subject and its verb ("he actually became", "they all passed")."""
_WORD = re.compile(r"[^ ]+")


EXTRA_PASTS = frozenset(
    """said stood sold wound bent lit split spread quit read let cost hurt upset shed fell sank
    shrank stuck struck swung dug fled bled sprang slid rang tore hid shot leapt crept knelt
    burnt wove bound""".split()
)
"""Irregular pasts the lexicon does not list, because no keyword needs their base verb."""


_PREFIXES = ("mis", "re", "over", "under", "out", "up", "with")
"""Prefixes of irregular verbs ("misread", "overtook", "rewrote", "withdrew")."""


def _is_past(word: str) -> bool:
    if word in BE_PAST or word in {"had", "did"} or _irregular(word):
        return True
    return len(word) > 3 and word.endswith("ed") and not word.endswith("eed")


def _irregular(word: str) -> bool:
    if word in IRREGULAR_PASTS or word in EXTRA_PASTS:
        return True
    return any(
        word.startswith(p) and (word[len(p) :] in IRREGULAR_PASTS or word[len(p) :] in EXTRA_PASTS)
        for p in _PREFIXES
    )


def _is_verbish(word: str, present_s: bool = False) -> bool:
    """A word that can be a finite verb: past, an auxiliary, a modal (or, when PRESENT_S, a
    present in -s: "the close takes five days now")."""
    return (
        _is_past(word)
        or word in BE_NOW
        or word in PERFECT_AUX
        or word in MODALS
        or word in {"do", "does"}
        or (present_s and len(word) > 3 and word.endswith("s") and not word.endswith("ss"))
    )


def clauses(doc: Doc) -> list[Clause]:
    """The answer's clauses, in order."""
    comma_ends = _comma_ends(doc)
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(doc.text)]
    out: list[Clause] = []
    piece: list[tuple[str, int, int]] = []
    intro = ""
    sentence = 0

    def flush(next_intro: str) -> None:
        nonlocal piece, intro
        if piece:
            clause = _read(piece, intro, sentence)
            main = [c for c in out if c.sentence == sentence and c.intro in COORDINATORS]
            # "…and found it always broke": a clause opening on a verb shares the subject
            # before it; "it … broke" is what was found, not a new subject.
            opens_on_verb = bool(clause.words) and _is_past(clause.words[0])
            if main and (clause.subject is None or (opens_on_verb and clause.verb_index > 0)):
                clause = _shared_subject(clause, main[-1])
            out.append(clause)
        piece = []
        intro = next_intro

    i = 0
    while i < len(words):
        word, start, end = words[i]
        if word == ".":
            flush("")
            sentence += 1
            i += 1
            continue
        pair = (word, words[i + 1][0]) if i + 1 < len(words) else None
        if pair in _TWO_WORD_INTROS:
            flush(_TWO_WORD_INTROS[pair])
            i += 2
            continue
        next_word = words[i + 1][0] if i + 1 < len(words) else ""
        if word == "and" and next_word == "i" and not any(_is_verbish(w) for w, _, _ in piece):
            piece.append((word, start, end))  # "my manager and I": one subject
            i += 1
            continue
        if word == "so" and next_word in DEGREE_WORDS:
            piece.append((word, start, end))  # "it meant so much": a degree, not "so" = therefore
            i += 1
            continue
        if word in CONJUNCTIONS and (piece or not intro):
            flush(word)
            i += 1
            continue
        piece.append((word, start, end))
        if end in comma_ends:
            flush("")
        i += 1
    flush("")
    return out


def _shared_subject(clause: Clause, before: Clause) -> Clause:
    """ "I did an audit and cancelled 40 of them": a clause that opens on a verb shares the
    subject of the clause before it."""
    if before.subject is None or not clause.words or not _is_past(clause.words[0]):
        return clause
    return replace(
        clause,
        subject=before.subject,
        subject_words=before.subject_words,
        verb=clause.words[0],
        verb_index=0,
        tense=_tense(clause.words, 0),
    )


def _comma_ends(doc: Doc) -> set[int]:
    """Character offsets in doc.text where a word followed by a comma ends."""
    ends: set[int] = set()
    for position, tok in enumerate(doc.toks):
        if tok.text.rstrip("\"')]”’").endswith((",", ":", "—", "-")):
            ends.add(doc.offset(position) + len(expand(tok.norm)))
    return ends


def _read(piece: list[tuple[str, int, int]], intro: str, sentence: int) -> Clause:
    words = tuple(w for w, _, _ in piece)
    start, end = piece[0][1], piece[-1][2]
    # "After that we had no calls": the intro was a preposition, so "that" points back.
    points_back = intro in PREPOSITIONS
    subject, subject_words, verb_index = _subject_and_verb(words, points_back)
    verb = words[verb_index] if verb_index >= 0 else ""
    tense = _tense(words, verb_index) if verb_index >= 0 else Tense.OTHER
    return Clause(
        words, start, end, sentence, intro, subject, subject_words, verb, verb_index, tense
    )


def _subject_and_verb(
    words: tuple[str, ...], points_back: bool = False
) -> tuple[Subject | None, tuple[str, ...], int]:
    """The clause's subject and the index of its verb: the first subject word or noun phrase
    that a verb follows, after any fronted phrase ("On race day the fireworks went off")."""
    for present_s in (False, True):
        found = _first_subject_and_verb(words, present_s, points_back)
        if found[0] is not None:
            return found
    return None, (), -1


def _first_subject_and_verb(
    words: tuple[str, ...], present_s: bool, points_back: bool
) -> tuple[Subject | None, tuple[str, ...], int]:
    for v in range(1, len(words)):
        if not _is_verbish(words[v], present_s) or words[v - 1] in DETERMINERS:
            continue
        head = v - 1
        while head >= 0 and words[head] in FILLERS and words[head] not in OTHER_PRONOUNS:
            head -= 1
        if head < 0 or words[head] in NOT_SUBJECT or words[head] in PREPOSITIONS:
            continue
        if words[v] == "would" and v + 1 < len(words) and _participle(words[v + 1]):
            v += 1  # "I'd priced it" is spelled "i would priced": the pluperfect, not a wish
        kind, first = _subject_at(words, head)
        if kind is None and head >= 1 and words[head - 1] in SPEAKER | WE | OTHER_PRONOUNS:
            # "I double booked myself": one unknown adverb between subject and verb.
            kind, first = _subject_at(words, head - 1)
        if (
            first > 0
            and words[first - 1] in RELATIVES
            and not _demonstrative(words, first - 1, points_back)
        ):
            continue  # "a meeting where everyone scored": describes, does not report
        if kind is not None:
            return kind, words[first : head + 1], v
    return None, (), -1


def _demonstrative(words: tuple[str, ...], at: int, points_back: bool) -> bool:
    """ "After that we had no calls", "from that day on I…": "that" after a preposition (in the
    clause, or its intro when POINTS_BACK) points back; it does not open a relative clause."""
    if words[at] != "that":
        return False
    return words[at - 1] in PREPOSITIONS if at >= 1 else points_back


def _subject_at(words: tuple[str, ...], head: int) -> tuple[Subject | None, int]:
    """Who the subject ending at HEAD is, and where it starts."""
    word = words[head]
    if word in SPEAKER:
        # "my manager and I", "Sam and I": the speaker acting with someone.
        return (Subject.WE if head >= 2 and words[head - 1] == "and" else Subject.SPEAKER), head
    if word in WE or (word == "us" and head >= 1 and words[head - 1] == "of"):
        first = head - 1 if word == "us" else head
        while first > 0 and words[first - 1] in {"two", "three", "both", "all", "the", "of"}:
            first -= 1
        return Subject.WE, first
    if word in OTHER_PRONOUNS:
        return Subject.OTHER, head
    if word in {"them", "those"} and head >= 2 and words[head - 1] == "of":
        return Subject.OTHER, head - 2  # "none of them", "two of them", "half of those"
    if word in {"one"} and head >= 1 and words[head - 1] in {"no"}:
        return Subject.OTHER, head - 1
    if _is_verbish(word) or word in MODALS or word in {"me", "him", "them", "her", "you"}:
        return None, head
    # A noun phrase: back to its determiner ("the checkout page", "half the audience"), or a bare
    # noun or number at the clause's start ("sales", "crashes", "two of them").
    first = head
    while first > 0 and head - first < 5:
        before = words[first - 1]
        if before in PREPOSITIONS and before != "of":
            break
        if before in SPEAKER | WE | OTHER_PRONOUNS or before in NOT_SUBJECT or _is_past(before):
            break
        first -= 1
        if before in DETERMINERS:
            break
    opener = words[first]
    if opener in DETERMINERS or opener in NUMBER_WORDS or opener[:1].isdigit() or first == 0:
        if opener in {"that", "this"} and first == head:
            return None, head  # "that meant", "this helped": marker phrases, not a new subject
        return Subject.OTHER, first
    return None, head


def _participle(word: str) -> bool:
    return (len(word) > 3 and word.endswith("ed")) or _irregular(word) or word == "been"


def _tense(words: tuple[str, ...], v: int) -> Tense:
    verb = words[v]
    after = words[v + 1 : v + 3]
    if "now" in words or "anymore" in words:
        return Tense.NOW
    if verb in PERFECT_AUX:
        if any(_is_past(w) or w == "been" for w in after):
            return Tense.PERFECT
        return Tense.OTHER
    if verb == "could" and after[:1] == ("not",):
        return Tense.PAST
    if verb in MODALS:
        return Tense.OTHER
    if verb == "did" and after[:1] == ("not",):
        return Tense.PAST
    if _is_past(verb):
        return Tense.PAST
    return Tense.OTHER
