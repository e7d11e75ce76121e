"""star_structure on shapes eval_dev3.yaml found missing: a particle that makes a stative verb a
deed, "we had no…" as an outcome, a landing told before its back-story, and a feeling verdict
("it meant a lot") that is not an outcome (issue 8)."""

from __future__ import annotations

import pytest

from audio.transcript import Transcript
from simulator.checks import REGISTRY, CheckContext
from simulator.profile import Profile


def star(text: str) -> str:
    check = REGISTRY["star_structure"]
    ctx = CheckContext(Transcript.from_text(text), Profile())
    return check.func(ctx, check.params.model_validate({})).status


@pytest.mark.parametrize(
    "text",
    [
        # "worked through" is a deed, though "worked" alone is scene.
        "Our invoice backlog had grown to three hundred items over the summer. I worked through "
        "them one supplier at a time. Every supplier was paid by the end of the month.",
        "The report kept showing the wrong totals and nobody knew why. I figured out that two "
        "sheets used different dates. The totals matched the ledger the next day.",
        # A count of what is left, after the action.
        "Customers kept phoning about missing parcels every Monday. I added a tracking text to "
        "every dispatch. After that we had no calls about parcels for a month.",
        # The landing first, then the back-story in the simple past.
        "We ended up signing the supplier for two years. Their first quote was far over budget, "
        "so I benchmarked three rivals and took the numbers back to them.",
        # "stayed on" is a deed; the outcome after it counts.
        "Our payroll run failed on the last day of the month. I got the vendor on the phone and "
        "stayed on it with them all afternoon. Everyone was paid by six.",
        # "was able to", "we managed to", "could … after that": what the action made possible.
        "The shared drive kept filling up every Friday. I archived the old project folders to "
        "cold storage. The designers were able to save their files again.",
        "Our venue cancelled a week before the conference. I rang every hotel in town and "
        "booked the one with a free hall. We managed to hold it on the original date.",
        "Deploys needed a manual sign off from two people. I wrote an automated check for the "
        "things they looked at. We could deploy on our own after that.",
        # "only" between the speaker and the verb is still the speaker acting.
        "I drafted the tender response but I only costed the first year. The client picked a "
        "rival bid.",
    ],
)
def test_outcomes_in_these_shapes_pass(text: str) -> None:
    assert star(text) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        # A feeling about the story in place of its outcome.
        "Our new hire was struggling with the rota software at the care home. I sat with him for "
        "an hour and went through it screen by screen. It meant so much to me.",
        "Our new hire was struggling with the rota software at the care home. I sat with him for "
        "an hour and went through it screen by screen. That felt great.",
        # "worked" with no particle is still scene, and the story has no outcome.
        "At my last job the warehouse worked nights. I worked there for two years.",
        # "we had" with a scene object, after the action, is not an outcome.
        "The team was short before the audit. I rebuilt the checklist. We had two auditors.",
        # A "before" clause says when the action happened, not what came of it.
        "I rewrote the pricing page for our launch. I published it before legal checked the "
        "wording.",
        # A number inside a lesson is not a measured change.
        "I ran a survey of our members and sent it to everyone. It taught me that a ten percent "
        "response rate is normal.",
        # The speaker's opinion of the outcome, not the outcome.
        "The printer queue kept jamming before every board meeting. I set up a second printer "
        "for the board packs. I believe it made a big difference.",
        "The printer queue kept jamming before every board meeting. I set up a second printer "
        "for the board packs. I'd like to think it helped.",
        # "could" with no time after the action is a hypothetical.
        "Deploys needed a manual sign off from two people. I wrote an automated check. We "
        "could deploy on our own.",
    ],
)
def test_no_outcome_in_these_shapes_fails(text: str) -> None:
    assert star(text) == "fail"
