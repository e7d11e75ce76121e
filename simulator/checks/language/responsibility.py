"""takes_responsibility: owns the mistake, or states the facts without blaming anyone."""

from __future__ import annotations

import re

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.language.clauses import Clause, Subject, Tense, clauses
from simulator.checks.language.engine import Doc, Hit, quote_hit, quote_hits, result, rules
from simulator.checks.registry import register

RULES = rules("takes_responsibility")
"""The phrase families (rules/takes_responsibility.yaml)."""
_SARCASM = RULES.word_list("sarcasm")
# "I could've prepared more, sure, but…": a concession before the complaint.
_CONCESSION = re.compile(r" (?:[^ .]+ ){0,2}?(?:sure|i guess|whatever|fine|okay|yeah) but ")


def _sincere(doc: Doc, hit: Hit) -> bool:
    """'Sure, it's all my fault' is sarcasm and "I could've prepared more, sure, but…" a
    concession before the complaint, not ownership."""
    before = doc.before(hit, 4)
    if set(before) & _SARCASM and "all" in before + hit.said.split():
        return False
    if set(before) & {"sure", "obviously", "apparently"} and "my fault" in hit.said:
        return False
    return not _CONCESSION.match(doc.text[hit.end :])


def caused_by_others(doc: Doc) -> list[Hit]:
    """Someone or something else given as the cause of the speaker's trouble, by the sentence's
    shape: "My satnav took me to the wrong side, so I was late" (their clause, then "so I…"),
    "I was late because the lift broke" (mine, then "because" theirs)."""
    told = clauses(doc)
    out: list[Hit] = []
    for before, after in zip(told, told[1:], strict=False):
        if before.sentence != after.sentence:
            continue
        if _theirs(before) and after.intro == "so" and after.subject is Subject.SPEAKER:
            out.append(before.hit(doc))
        elif before.subject is Subject.SPEAKER and after.intro == "because" and _theirs(after):
            out.append(after.hit(doc))
    return out


def _theirs(clause: Clause) -> bool:
    """A past clause about someone or something other than the speaker (not "it was…")."""
    return (
        clause.subject is Subject.OTHER
        and clause.tense is Tense.PAST
        and clause.subject_words[-1] not in {"it", "that", "this", "which"}
    )


@register("takes_responsibility", "Takes responsibility", severity="must")
def takes_responsibility(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Owns the mistake, or states the facts without blaming anyone.

    Mixed answers: 'fault'-style blame ("it wasn't my fault", "it was the recruiter's fault")
    fails even next to an apology; complaints about others ("the interviewer was rude", "they
    didn't tell me") and excuses ("sorry, but the traffic…") pass only when the answer also
    owns its part ("…but I should have asked").
    """
    doc = Doc.of(ctx)
    fault = RULES.find(doc, "fault")
    owned = [h for h in RULES.find(doc, "own") if _sincere(doc, h)]
    accused = RULES.find(doc, "accuse", "excuse") + caused_by_others(doc)
    facts = RULES.find(doc, "facts")
    tip_blame = 'Own your part first ("I should have asked about the format"), then any context.'
    if fault:
        return result(
            "takes_responsibility",
            "fail",
            f"blame: {quote_hits(fault, 2)}",
            tip_blame,
            fault,
            "miss",
        )
    if accused and not owned:
        return result(
            "takes_responsibility",
            "fail",
            f"blame: {quote_hits(accused, 2)}",
            tip_blame,
            accused,
            "miss",
        )
    if owned:
        return result(
            "takes_responsibility", "pass", f"owned it: {quote_hit(owned[0])}", hits=owned[:1]
        )
    if facts:
        return result(
            "takes_responsibility",
            "pass",
            f"stated the facts: {quote_hit(facts[0])}",
            hits=facts[:1],
        )
    return result(
        "takes_responsibility",
        "fail",
        "didn't say what went wrong or own any part of it",
        'Say what happened and your part in it: "I was late, and that\'s on me."',
    )
