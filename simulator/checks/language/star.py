"""star_structure: the story has a situation, what the speaker did, and a result."""

from __future__ import annotations

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.language.engine import Doc, Hit, quote_hit, result, rules
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
    return {"situation": RULES.find(doc, "situation"), "action": actions, "result": results}


@register("star_structure", "STAR story: situation, action, result")
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
