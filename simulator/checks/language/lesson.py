"""names_lesson: states a concrete next-time action, not a vague resolution."""

from __future__ import annotations

import re

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.language.engine import Doc, Hit, quote_hit, result, rules
from simulator.checks.lexicon import HESITATIONS, IRREGULAR_PASTS, NUMBER_WORDS, QUANTITY_WORDS
from simulator.checks.registry import register
from simulator.checks.text import fold, stem

RULES = rules("names_lesson")
"""The phrase families and word lists (rules/names_lesson.yaml)."""
_ACTIONS = RULES.word_list("actions")
_SOFT_VERBS = RULES.word_list("soft_verbs")
_VAGUE_WORDS = RULES.word_list("vague")
_CLAUSE_STOPS = RULES.word_list("clause_stops")
_QUALITIES = RULES.word_list("qualities")
_STATES = _QUALITIES | RULES.word_list("states")
_SPECIFIC_NOUNS = RULES.word_list("specific_nouns")
_IMPERATIVE_OBJECT = RULES.word_list("imperative_object")
_LEADS = HESITATIONS | RULES.word_list("leads")
_NUMBER_WORDS = NUMBER_WORDS | QUANTITY_WORDS
_ING_FORMS = {"doing": "do", "going": "go", "being": "be", "seeing": "see"}
_VERB_STEMS = {stem(v): v for v in _ACTIONS | _SOFT_VERBS}
_HYPOTHETICAL = re.compile(r"next|again|differently|if i|future|hindsight|instead")


def _verb(word: str) -> str | None:
    """The base form of an action verb in base or -ing form ("writing" -> "write"), else None."""
    if word in _ACTIONS or word in _SOFT_VERBS:
        return word
    if word.endswith("ing"):
        return _ING_FORMS.get(word) or _VERB_STEMS.get(stem(word))
    return None


def _concrete(clause: str, done: bool = False) -> bool:
    """A clause naming a specific action: a verb plus an object beyond vague words.

    DONE marks a step already taken ("I've booked …"): the verb was concrete, so any specific
    object will do.
    """
    words = clause.split()
    if done:
        return any(w not in _VAGUE_WORDS and w != "." for w in words)
    for at, word in enumerate(words):
        verb = _verb(word)
        # "better at answering the questions" names a skill to have, not an action to take.
        if verb is None or (verb != word and at > 0 and words[at - 1] == "at"):
            continue
        rest: list[str] = []
        for following in words[at + 1 :]:
            if following in _CLAUSE_STOPS or following == ".":
                break
            rest.append(following)
        specific = [w for w in rest if w not in _VAGUE_WORDS]
        numbers = [w for w in rest if w[:1].isdigit() or w in _NUMBER_WORDS]
        if numbers and specific:
            return True
        if verb == "be" and rest[:1] and rest[0] in _STATES:
            continue  # "be more prepared for questions" is a wish, however specific the object
        if verb in _SOFT_VERBS and rest[:1] and rest[0] in _QUALITIES:
            continue  # "get better at answering questions" is a wish, not an action
        if verb in _SOFT_VERBS:
            # "do better", "get more confident", "take it seriously" are vague; "do a mock
            # interview", "take notes", "get feedback from a friend" are not.
            if any(w in _SPECIFIC_NOUNS for w in specific):
                return True
        elif specific:
            return True
    return False


def _imperatives(doc: Doc) -> list[Hit]:
    """Elliptical answers to "what will you do differently?": "Prep a one-minute intro."

    A sentence opening with an action verb followed by its object; "Practice makes perfect"
    (verb followed by a verb) is not one.
    """
    out: list[Hit] = []
    for at, sentence in doc.sentences():
        words = sentence.split()
        lead = 0
        while lead < len(words) and words[lead] in _LEADS:
            lead += 1
        if (
            lead + 1 < len(words)
            and words[lead] in _ACTIONS | _SOFT_VERBS - {"be"}
            and words[lead + 1] in _IMPERATIVE_OBJECT
        ):
            start = at + sum(len(w) + 1 for w in words[:lead])
            out.append(Hit(doc.covered(start, start), start, start, ""))
    return out


def lesson_hits(doc: Doc, prompt: str = "") -> tuple[list[Hit], list[Hit]]:
    """(concrete next-time actions, vague intentions) found in the answer.

    "I'd …" is a next-time action when the answer or the PROMPT it replies to is about a
    next time ("If you had that interview again, what would you do differently?").
    """
    concrete: list[Hit] = []
    vague: list[Hit] = []
    marks = [(h, False) for h in RULES.family("intent").find(doc) + _imperatives(doc)]
    marks += [(h, True) for h in RULES.family("done_already").find(doc)]
    asked_next_time = bool(_HYPOTHETICAL.search(fold(prompt)))
    for hit, done in sorted(marks, key=lambda m: m[0].start):
        rest = doc.after(hit)
        if (
            hit.said.endswith("i would")
            and not asked_next_time
            and not _HYPOTHETICAL.search(doc.sentence(hit))
        ):
            continue
        end = hit.end + 1 + len(rest)
        whole = Hit(doc.covered(hit.start, end), hit.start, end, f"{hit.said} {rest}", hit.rule)
        if _concrete(rest, done):
            concrete.append(whole)
        elif (plan := _timed_plan_after(doc, end)) is not None:
            # "Before the next one I'm not working late. Laptop off at eight, in bed by ten."
            concrete.append(Hit(whole.toks + plan.toks, hit.start, plan.end, whole.said, hit.rule))
        else:
            vague.append(whole)
    return concrete, vague


def _timed_plan_after(doc: Doc, end: int) -> Hit | None:
    """The next sentence, when it is a plan with clock times ("in bed by ten"), else None."""
    following = [(at, text) for at, text in doc.sentences() if at > end]
    if not following:
        return None
    at, text = following[0]
    if any(_past(w) for w in text.split()):
        return None  # "The interview was at nine." tells what happened, not a plan
    plan = [h for h in RULES.family("clock_time").find(doc) if at <= h.start < at + len(text)]
    return Hit(doc.covered(at, at + len(text)), at, at + len(text), text) if plan else None


_PAST_MARKERS = frozenset({"was", "were", "had", "did"})


def _past(word: str) -> bool:
    """A past-tense verb: was/had/did, an irregular past, or a regular -ed ("started", not "bed")."""
    if word in _PAST_MARKERS or word in IRREGULAR_PASTS:
        return True
    return len(word) >= 5 and word.endswith("ed") and not word.endswith("eed")


@register("names_lesson", "Concrete lesson named", severity="must")
def names_lesson(ctx: CheckContext, params: NoParams) -> CheckResult:
    """States a concrete next-time action, not a vague resolution."""
    concrete, vague = lesson_hits(Doc.of(ctx), ctx.prompt)
    if concrete:
        return result(
            "names_lesson", "pass", f"next-time action: {quote_hit(concrete[0])}", hits=concrete[:1]
        )
    tip = (
        "Name the action and its object: \"Next time I'll write out two STAR stories for each "
        'skill in the job ad."'
    )
    if vague:
        return result(
            "names_lesson", "fail", f"too vague: {quote_hit(vague[0])}", tip, vague[:1], "miss"
        )
    return result("names_lesson", "fail", "no next-time action heard", tip)
