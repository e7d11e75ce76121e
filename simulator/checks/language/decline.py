"""declines_personal_question: a personal question is declined or redirected, nothing disclosed."""

from __future__ import annotations

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.language.engine import Doc, Hit, quote_hit, quote_hits, result, rules
from simulator.checks.lexicon import HESITATIONS
from simulator.checks.registry import register

RULES = rules("declines_personal_question")
"""The phrase families (rules/declines_personal_question.yaml)."""
DISCLOSE = (
    "disclose_partner",
    "disclose_family",
    "disclose_age",
    "disclose_religion",
    "disclose_health",
    "disclose_origin",
)
"""Families whose hits give the answer away."""
DECLINE = ("refuse", "private", "relevance", "redirect", "humour")
"""Families whose hits decline or redirect."""
_SHORT_ANSWER = frozenset({"yes", "yeah", "yep", "yup", "no", "nope", "nah", "correct"})
_OPENERS = HESITATIONS | frozenset("oh well so honestly ha haha okay ok look actually".split())
_CLAUSE_END = (",", ".", "!", ";", "?", "-", "—", "…")


def _short_answer(doc: Doc) -> Hit | None:
    """A bare "Yes, but…", "No, not yet" or "I am, but…" opening: the question was answered.

    "No, I'd rather not say" and "Yes, I understand why you ask, but…" answer nothing.
    """
    toks = doc.toks
    i = 0
    while i < len(toks) and toks[i].norm in _OPENERS:
        i += 1
    if i >= len(toks):
        return None
    head = doc.offset(i)
    if toks[i].norm in _SHORT_ANSWER:
        raw = toks[i].text.rstrip("\"')]")
        if i + 1 < len(toks) and not raw.endswith(_CLAUSE_END):
            return None
        said = Hit((toks[i],), 0, 0, toks[i].norm)
        if i + 1 >= len(toks):
            return said
        rest = doc.offset(i + 1)
        # "No. Next question?" answered, then dismissed; "No. I'd rather not say." refused;
        # "Yes, we tied the knot in May" answered, whatever follows: a bare yes or no answers
        # unless what comes right after it declines or only acknowledges the question.
        if RULES.family("elaboration").match_at(doc, rest) is not None:
            return said
        if RULES.family("refusal_start").match_at(doc, rest) is not None:
            return None
        if raw.endswith((".", "!", "?", ";")):
            return said
        opening = doc.text[rest:].split()[:_OPENING_WORDS]
        reach = rest + len(" ".join(opening))
        if any(rest <= h.start < reach for h in RULES.find(doc, *DECLINE)):
            return None  # "No, that's personal", "Yes, why do you ask?"
        return None if _acknowledges(opening) else said
    return RULES.family("affirm_clause").match_at(doc, head) or RULES.family("not_now").match_at(
        doc, head
    )


_OPENING_WORDS = 2
"""How far after a bare "yes," or "no," a decline may start and still undo it."""
_ACKNOWLEDGE = frozenset("understand see appreciate know get hear".split())


def _acknowledges(words: list[str]) -> bool:
    """ "Yes, I understand why you ask…", "Yes, I see where you're going…": not an answer."""
    return len(words) >= 2 and words[0] == "i" and words[1] in _ACKNOWLEDGE


def disclosures(doc: Doc) -> list[Hit]:
    """What the answer gives away about marriage, family, age, religion, health or origin."""
    hits = RULES.find(doc, *DISCLOSE)
    for hit in RULES.family("origin").find(doc):
        # "I'm from Ohio" discloses; "I'm from the data team" does not.
        place = hit.toks[-1].text.lstrip("\"'(")
        if place[:1].isupper():
            hits.append(hit)
    short = _short_answer(doc) or _tagged_answer(doc)
    if short is not None:
        hits.insert(0, short)
    return sorted(hits, key=lambda h: h.start)


def _tagged_answer(doc: Doc) -> Hit | None:
    """A short first sentence that ends on "yes" or "no" answers the question: "Every Sunday,
    yeah." (unless it declines: "I'd rather not say, no.")."""
    sentences = doc.sentences()
    if not sentences:
        return None
    at, first = sentences[0]
    words = first.split()
    if not 2 <= len(words) <= _TAGGED_MOST or words[-1] not in _SHORT_ANSWER:
        return None
    end = at + len(first)
    if any(h.start < end for h in RULES.find(doc, *DECLINE)):
        return None
    return Hit(doc.covered(at, end), at, end, first)


_TAGGED_MOST = 6
"""Longest first sentence read as a tagged answer ("Every Sunday, yeah.")."""


def _moves_on(doc: Doc) -> list[Hit]:
    """With nothing disclosed, an answer that asks the interviewer something back ("Is that
    something you ask every candidate?") or turns to the job ("I can cover the early starts")
    has redirected the question: what a redirect is, is its direction, not its wording."""
    for at, sentence in _questions(doc):
        words = sentence.split()
        # A question to the interviewer, not uptalk ("I guess it depends?").
        if {"you", "your"} & set(words) or set(words[:3]) & _QUESTION_OPENERS:
            end = at + len(sentence)
            return [Hit(doc.covered(at, end), at, end, sentence)]
    return RULES.family("job_talk").find(doc)


def _questions(doc: Doc) -> list[tuple[int, str]]:
    """The sentences that end in a question mark."""
    marks = [
        doc.offset(i) for i, tok in enumerate(doc.toks) if tok.text.rstrip("\"')]”’").endswith("?")
    ]
    return [
        (at, sentence)
        for at, sentence in doc.sentences()
        if any(at <= mark <= at + len(sentence) for mark in marks)
    ]


_QUESTION_OPENERS = frozenset(
    """is are was were do does did can could would will may might should shall why what how
    which who when where""".split()
)
"""Words a question to the interviewer opens with (within its first three words)."""


@register("declines_personal_question", "Personal question declined", severity="must")
def declines_personal_question(ctx: CheckContext, params: NoParams) -> CheckResult:
    """A personal question is declined or redirected without disclosing the answer."""
    doc = Doc.of(ctx)
    told = disclosures(doc)
    if told:
        return result(
            "declines_personal_question",
            "fail",
            f"disclosed: {quote_hits(told, 2)}",
            "You don't owe this answer: \"I keep my personal life separate; what I can tell you "
            "is that I'm fully committed to this role.\"",
            told,
            "miss",
        )
    declines = RULES.find(doc, *DECLINE)
    if declines:
        return result(
            "declines_personal_question",
            "pass",
            f"declined: {quote_hit(declines[0])}",
            hits=declines[:1],
        )
    moves = _moves_on(doc)
    if moves:
        return result(
            "declines_personal_question",
            "pass",
            f"moved on without telling: {quote_hit(moves[0])}",
            hits=moves[:1],
        )
    return result(
        "declines_personal_question",
        "fail",
        "neither declined nor redirected the question",
        "Decline and redirect in one breath: \"I'd rather keep the focus on the role: what I can "
        'tell you is…"',
    )
