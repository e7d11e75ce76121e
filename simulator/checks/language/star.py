"""star_structure: the story has a situation, what the speaker did, and a result."""

from __future__ import annotations

from simulator.checks.base import CheckContext, CheckResult, NoParams
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
    """The hits for each part of the story: situation, action, result (each in order)."""
    actions = sorted(
        RULES.find(doc, "action")
        + [h for h in RULES.find(doc, "action_ed") if h.said.split()[-1] not in _STATIVE],
        key=lambda h: h.start,
    )
    results = RULES.find(doc, "result")
    if not results and actions:
        # An outcome clause with no marker word counts once the speaker has acted.
        results = [h for h in RULES.find(doc, "consequence") if h.start >= actions[0].end]
    situation = RULES.find(doc, "situation")
    if not situation and actions:
        situation = _context_before(doc, actions[0])
    return {"situation": situation, "action": actions, "result": results}


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
