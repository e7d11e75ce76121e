"""star_structure: the story has a situation, what the speaker did, and a result."""

from __future__ import annotations

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.language.clauses import Clause, Subject, Tense, clauses
from simulator.checks.language.engine import Doc, Hit, quote_hit, result, rules
from simulator.checks.lexicon import IRREGULAR_PASTS
from simulator.checks.registry import register

RULES = rules("star_structure")
"""The phrase families (rules/star_structure.yaml)."""
_STATIVE = RULES.word_list("stative")
_TIPS = {
    "situation": "Open with the situation: where you were and what the problem was.",
    "action": 'Say what you did, in the first person: "I decided…", "I built…".',
    "result": 'Finish with the result, ideally a number: "we cut wait times by 30%".',
}


def star_parts(doc: Doc) -> dict[str, list[Hit]]:
    """The hits for each part of the story: situation, action, result (each in order).

    The result is read from the story's shape, not from marker words alone: after the speaker's
    first action, any clause about someone or something else in the past ("the board said no",
    "none of them converted") or in a new state ("the close takes five days now"), a "we" clause
    that reports an outcome ("we had to roll back"), a marker ("as a result") or a measured change
    ("went from 30 to 45 percent"). A result told first counts when the story then steps back in
    time ("We kept the account. The client had threatened to leave…").
    """
    told = clauses(doc)
    # Deeds: the speaker doing something in the past. Task and role statements ("my job was…",
    # "I was responsible…") also count as the action part, but an outcome must follow a deed.
    deeds = sorted(
        [h for h in RULES.find(doc, "action_ed") if h.said.split()[-1] not in _STATIVE]
        + [c.hit(doc) for c in told if _is_action(c)],
        key=lambda h: h.start,
    )
    actions = sorted(RULES.find(doc, "action") + deeds, key=lambda h: h.start)
    results: list[Hit] = []
    if deeds:
        acted = deeds[0].end
        outcomes = [
            c
            for i, c in enumerate(told)
            if _is_outcome(c, _next_in_sentence(told, i)) and not _is_step(told, i)
        ]
        results = [c.hit(doc) for c in outcomes if c.start >= acted]
        before = [c.hit(doc) for c in outcomes if c.start < acted]
        for hit in RULES.find(doc, "result"):
            if _unreal(told, hit) or _acted_on(told, hit) or _opined(told, hit):
                continue
            (results if hit.start >= acted else before).append(hit)
        results += [h for h in before if _told_first(told, h, acted)]
        # "We ended up with a unanimous vote, after weeks… The team was split, so I…": a
        # landing marker is the outcome wherever it is told.
        results += [h for h in RULES.find(doc, "landing") if h.start < acted]
    # A measured change inside a lesson or a condition ("it taught me that 99 percent accuracy
    # is a warning sign") is not the story's outcome.
    changes = [
        h
        for h in RULES.find(doc, "change")
        if not (_unreal(told, h) or _reflects(told, h) or _opined(told, h))
    ]
    results = sorted(results + changes, key=lambda h: h.start)
    situation = RULES.find(doc, "situation")
    if not situation and actions:
        situation = _context_before(doc, actions[0]) or _opening(doc, told, results)
    return {"situation": situation, "action": actions, "result": results}


def _is_action(clause: Clause) -> bool:
    """The speaker (alone, or "we" with them) doing something in the past."""
    if clause.intro in _UNREAL or clause.tense is not Tense.PAST:
        return False
    if clause.subject is Subject.SPEAKER:
        if clause.verb == "did":
            return clause.rest[:1] in {("a",), ("an",), ("the",)}  # "I did an audit"
        # "I was working at…", "I had a client…": the scene, not a deed.
        if "_".join((clause.verb, *clause.rest[:1])) in _PHRASAL_DEEDS:
            return True  # "I worked through them": a stative verb made a deed by its particle
        return clause.verb not in _STATIVE | _BE | {"had"} and clause.rest[:1] != ("not",)
    # "We migrated to a new CRM" may be the company; "my manager and I", "the two of us" is
    # the speaker acting.
    return (
        clause.subject is Subject.WE
        and clause.subject_words != ("we",)
        and clause.verb not in _WE_OUTCOME | _STATIVE
    )


def _is_outcome(clause: Clause, following: Clause | None = None) -> bool:
    """A clause that reports what happened: someone or something else in the past or a new
    state, or "we" with an outcome verb; not a wish, a condition, an effort or a reflection."""
    if clause.intro in _UNREAL or clause.subject is None:
        return False
    if clause.tense is Tense.OTHER and not _could_since(clause, following):
        return False
    if clause.intro == "before":
        return False  # "I started before anyone reviewed it": when it happened, not what came of it
    if any(word in _REFLECTION for word in clause.words) or _opinion(clause):
        return False
    if clause.subject is Subject.WE:
        if clause.verb == "had":
            # "we had to roll back", "we had no uncovered shifts" (a problem gone); "we had two
            # roles" is scene
            return clause.rest[:1] in {("to",), *((w,) for w in _ABSENCE)}
        if clause.verb in _BE:
            return _changed(clause)  # "we were back online"; "we were a small team" is scene
        if clause.verb == "managed":
            return clause.rest[:1] == ("to",)  # "we managed to keep…"; "we managed it" is a deed
        return clause.verb in _WE_OUTCOME or clause.tense is not Tense.PAST
    if clause.subject is not Subject.OTHER:
        return False
    if clause.verb in _EFFORT and clause.subject_words[-1] not in _THINGS:
        return False  # "everyone pitched in" is effort; "everything worked again" is not
    # "It was close", "that was hard": a verdict on the story, not an outcome of it.
    if clause.subject_words[-1] in _VERDICT_SUBJECTS and (
        clause.verb in _BE or _feeling_verdict(clause)
    ):
        return False
    return clause.verb not in _BE or _changed(clause)


def _next_in_sentence(told: list[Clause], at: int) -> Clause | None:
    following = told[at + 1] if at + 1 < len(told) else None
    return following if following and following.sentence == told[at].sentence else None


def _could_since(clause: Clause, following: Clause | None = None) -> bool:
    """ "We could run it on every commit after that", "she could finally log in": a past ability
    the action opened up, not a hypothetical. FOLLOWING is the next clause of the sentence (the
    reader splits "…, after that" off)."""
    tail = (following.intro, *following.words) if following and following.subject is None else ()
    return clause.verb == "could" and bool(set(clause.words + tail) & _SINCE_WORDS)


def _feeling_verdict(clause: Clause) -> bool:
    """ "It meant a lot", "that felt great": what the story meant to the speaker, not an outcome
    ("that meant nobody waited" still is one)."""
    if clause.verb == "felt":
        return True
    said = " ".join(clause.rest)
    return clause.verb == "meant" and any(said.startswith(d) for d in _DEGREES)


def _changed(clause: Clause) -> bool:
    """A "was/were" clause that reports a change ("was replaced", "was timing out", "was back
    on by nine", "were coming out faster") rather than describing the scene ("the team was
    really small", "the stockroom was a mess")."""
    rest = clause.rest
    if any(_change_word(w) for w in rest[:3]) or set(rest) & _TIME_ANCHORS:
        return True
    return any(w.endswith("ed") or w in IRREGULAR_PASTS or w.endswith("ing") for w in rest[:2])


def _change_word(word: str) -> bool:
    return word in _CHANGE_WORDS or (word.endswith("er") and len(word) > 4)


def _unreal(told: list[Clause], hit: Hit) -> bool:
    """True when HIT sits in a condition, purpose or "whether" clause ("for when hers came back")."""
    return any(c.start <= hit.start < c.end + 1 and c.intro in _UNREAL for c in told)


def _is_step(told: list[Clause], at: int) -> bool:
    """An outcome that the speaker then acts on in the same sentence ("She said yes, so I
    created the account"): a step in the story, not where it ended."""
    here = told[at]
    later = [c for c in told[at + 1 :] if c.sentence == here.sentence]
    acts = [c for c in later if c.subject is Subject.SPEAKER and _is_action(c)]
    return bool(acts) and not any(_is_outcome(c) for c in later)


def _opined(told: list[Clause], hit: Hit) -> bool:
    """True when HIT sits in the speaker's opinion ("I believe it made a real difference", "I'd
    like to think it helped"): a hope about the outcome, not the outcome."""
    return any(c.start <= hit.start < c.end + 1 and _opinion(c) for c in told)


def _opinion(clause: Clause) -> bool:
    """ "I believe it made…" (the clause reader takes "it made" as the subject and verb, so the
    opinion sits before it) or "I'd like to think…" (the speaker, not in the past)."""
    words = clause.words
    if clause.subject is Subject.SPEAKER and clause.tense is not Tense.PAST:
        return bool(set(words[: clause.verb_index + 3]) & _OPINION)
    lead = words[: max(clause.verb_index, 0)]
    return "i" in lead and bool(set(lead[lead.index("i") :]) & _OPINION)


def _reflects(told: list[Clause], hit: Hit) -> bool:
    """True when HIT sits in a lesson or feeling clause ("it taught me that…")."""
    return any(
        c.start <= hit.start < c.end + 1 and any(w in _REFLECTION for w in c.words) for c in told
    )


def _acted_on(told: list[Clause], hit: Hit) -> bool:
    """A result marker that is a step (see _is_step)."""
    at = next((i for i, c in enumerate(told) if c.start <= hit.start < c.end + 1), None)
    return at is not None and _is_step(told, at)


def _told_first(told: list[Clause], outcome: Hit, acted: int) -> bool:
    """An outcome before the first action counts when the story then steps back in time: a
    pluperfect ("had threatened", "she'd asked") or a scene reset ("This was when I waited
    tables…") between it and the action."""
    for i, clause in enumerate(told):
        following = told[i + 1] if i + 1 < len(told) else None
        if outcome.end <= clause.start <= acted and (
            _pluperfect(clause) or _reset(clause, following)
        ):
            return True
    return False


def _reset(clause: Clause, following: Clause | None) -> bool:
    """ "This was when…", "that was back in 2019", "it was at my last job": the scene of a
    story whose outcome came first."""
    words = clause.words
    if len(words) < 2 or words[0] not in _VERDICT_SUBJECTS or words[1] not in _BE:
        return False
    if len(words) == 2:
        return following is not None and following.intro in {"when", "while"}
    return words[2] in _SCENE_OPENERS


def _pluperfect(clause: Clause) -> bool:
    words = clause.words
    for i, word in enumerate(words[:-1]):
        # The expander spells "she'd asked" as "she would asked": a past participle after it is
        # the pluperfect, not a conditional.
        if word in {"had", "would"} and words[i + 1].endswith("ed"):
            return True
        if word == "had" and words[i + 1] in _PARTICIPLES:
            return True
    return False


def _opening(doc: Doc, told: list[Clause], results: list[Hit]) -> list[Hit]:
    """The first sentence as the situation, when the story goes on past it to a result."""
    if not told or not results:
        return []
    first = [c for c in told if c.sentence == 0]
    if results[0].start < first[-1].end or len(told) < _MIN_CLAUSES:
        return []
    return [first[0].hit(doc)]


_MIN_CLAUSES = 3
"""Clauses a story needs before its first sentence alone can stand as the situation."""
_UNREAL = frozenset(
    {"if", "unless", "so that", "in case", "for when", "even if", "as if", "whether"}
)
"""Clause openers that make the clause a condition or a purpose, not something that happened."""
_BE = frozenset({"was", "were", "is", "are"})
_VERDICT_SUBJECTS = frozenset({"it", "that", "this"})
_CHANGE_WORDS = frozenset(
    "back now still no longer not never fixed gone stable happy happier calmer fine ready able".split()
)
"""Words after "was/were" that report a new state."""
_TIME_ANCHORS = frozenset(
    """within later afterwards next by until since eventually finally soon end days weeks
    months hours minutes week month day hour quarter term""".split()
)
"""Words that put a "was/were" clause after the action in time ("by nine", "within a week")."""
_SCENE_OPENERS = frozenset({"when", "back", "at", "in", "during", "while", "years", "last"})
_THINGS = frozenset({"it", "everything", "nothing", "that", "this", "which"})
_WE_OUTCOME = RULES.word_list("we_outcome")
_EFFORT = RULES.word_list("effort")
_REFLECTION = RULES.word_list("reflection")
_PHRASAL_DEEDS = RULES.word_list("phrasal_deed")
_OPINION = RULES.word_list("opinion")
_SINCE_WORDS = frozenset({"after", "since", "finally", "again", "afterwards", "now"})
"""Words that make a "could" clause a past ability the action opened up."""
_ABSENCE = frozenset({"no", "zero", "fewer", "only", "not"})
"""Words after "we had" that make it an outcome: a count of what is left, or what is gone."""
_DEGREES = ("a lot", "so much", "the world", "a great deal", "everything to")
"""What "it meant" is followed by when it is a feeling, not a consequence."""
_PARTICIPLES = frozenset({"been", "gone", "done", "seen", "given", "taken", "made", "told", "sent"})


def _context_before(doc: Doc, action: Hit) -> list[Hit]:
    """The story's opening, when it sets a scene before the first action.

    "All through college I waited tables. One busy weekend a customer got angry… I listened…":
    at least MIN_CONTEXT words and a past verb before the speaker acts are the situation.
    """
    words = [w for w in doc.text[: action.start].split() if w != "."]
    if len(words) < MIN_CONTEXT or not any(_past(w) for w in words):
        return []
    first = doc.toks[0]
    start = doc.offset(0)
    return [Hit(doc.covered(start, action.start), start, action.start, " ".join(words), first.text)]


MIN_CONTEXT = 5
"""Words of scene-setting before the first action that count as the situation."""


def _past(word: str) -> bool:
    return word in _PAST_STATES or word in IRREGULAR_PASTS or word.endswith("ed")


_PAST_STATES = frozenset({"was", "were", "had"})


@register(
    "star_structure",
    "STAR story: situation, action, result",
    severity="must",
)
def star_structure(ctx: CheckContext, params: NoParams) -> CheckResult:
    """The story has situation, task/action and result markers."""
    parts = star_parts(Doc.of(ctx))
    shown = [
        f"{name}: {quote_hit(hits[0], 8) if hits else 'none heard'}" for name, hits in parts.items()
    ]
    missing = [name for name, hits in parts.items() if not hits]
    chosen = [hits[0] for hits in parts.values() if hits]
    evidence = "; ".join(shown)
    if not missing:
        return result("star_structure", "pass", evidence, hits=chosen)
    return result("star_structure", "fail", evidence, _TIPS[missing[0]], chosen)
