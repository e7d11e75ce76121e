"""recovery_line: a reset or repair line is used ("can we start again", "let me rephrase that")."""

from __future__ import annotations

import re

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.language.engine import Doc, Hit, quote_hit, result, rules
from simulator.checks.registry import register

RULES = rules("recovery_line")
"""The phrase families (rules/recovery_line.yaml)."""

# "When I mess up, I own it and I try again the next day" is a habit, not a reset.
_HABITUAL = re.compile(
    r"(?<![^ ])(?:when|whenever|if|every|each|usually|always|often|sometimes|then|and)(?![^ ])"
)
_LATER = re.compile(r"(?:the )?(?:next|tomorrow|later|another)")
# "My boss and I got off on the wrong foot when I joined" is a story, not a reset.
_STORY_MARKERS = re.compile(
    r"(?<![^ ])(?:when (?:i|we|she|he|they) (?:first )?(?:joined|started|met|arrived|moved)"
    r"|with (?:my|our|his|her|their|a|an|the|this|that) )"
)


def _wrong_foot_here(doc: Doc, hit: Hit) -> bool:
    """True unless the wrong foot is part of a story ("my boss and I got off on the wrong foot")."""
    if doc.before(hit, 1) == ["and"] and not hit.said.startswith("you and i"):
        return False
    return not _STORY_MARKERS.search(doc.sentence(hit))


def _reported(doc: Doc, hit: Hit) -> bool:
    """'I decided we should try again with another supplier' narrates a decision at work."""
    before = [w for w in doc.before(hit, 2) if w != "that"]
    return bool(before) and before[-1] in RULES.word_list("reporting")


def recovery_hits(doc: Doc) -> list[Hit]:
    """Every reset or repair line in the answer, in order."""
    hits = [h for h in RULES.find(doc, "reset", "self_repair", "apology") if not _reported(doc, h)]
    hits += [
        h
        for h in RULES.family("present_reset").find(doc)
        if not _HABITUAL.search(" ".join(doc.before(h, 12))) and not _LATER.match(doc.after(h))
    ]
    hits += [h for h in RULES.family("wrong_foot").find(doc) if _wrong_foot_here(doc, h)]
    return sorted(hits, key=lambda h: h.start)


@register("recovery_line", "Recovery line used", severity="must")
def recovery_line(ctx: CheckContext, params: NoParams) -> CheckResult:
    """A reset or repair line is used ("can we start again", "let me rephrase that")."""
    hits = recovery_hits(Doc.of(ctx))
    if hits:
        return result(
            "recovery_line", "pass", f"recovery line: {quote_hit(hits[0])}", hits=hits[:1]
        )
    return result(
        "recovery_line",
        "fail",
        "no reset or repair line heard",
        'Name the reset out loud: "I think we got off on the wrong foot. Could I take another '
        'run at that?"',
    )
