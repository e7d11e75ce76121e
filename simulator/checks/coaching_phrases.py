"""Phrase lists for the delivery-coaching checks (hedging, repetition), kept as data in one place.

Owned by the coaching checks (simulator/checks/coaching.py) until the shared lexicon takes them.
Every entry is normalised words (see simulator.checks.text.normalize_word).
"""

from __future__ import annotations

HEDGES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "i think",
        "i guess",
        "i suppose",
        "i feel like",
        "maybe",
        "perhaps",
        "probably",
        "possibly",
        "sort of",
        "sorta",
        "kind of",
        "kinda",
        "more or less",
        "somewhat",
    )
)
"""Hedges that soften a claim; longest first is not needed (none is a prefix of another)."""

HEDGE_NOT_AFTER: dict[tuple[str, ...], frozenset[str]] = {
    # "what kind of role", "this sort of work": a noun phrase, not a hedge.
    ("kind", "of"): frozenset(
        "what which this that these those the a an any every each some all one same different "
        "other my your our their his her its no right wrong".split()
    ),
    ("sort", "of"): frozenset(
        "what which this that these those the a an any every each some all one same different "
        "other my your our their his her its no right wrong".split()
    ),
}
"""Words right before a hedge phrase that make it mean something else."""

HEDGE_NOT_BEFORE: dict[tuple[str, ...], frozenset[str]] = {
    # "I think about pipelines", "I think of it as": thinking, not hedging.
    ("i", "think"): frozenset("about of through".split()),
}
"""Words right after a hedge phrase that make it mean something else."""

STOPWORDS = frozenset(
    """a an the and or but so if then than that this these those there here it its it's is are
    was were be been being am i i'm i've i'd i'll me my we we're we've our us you you're your he
    she they them their his her to of in on at for with from by as about into over after before
    up down out off again just also very really too not no do did does don't didn't have has had
    can could would should will shall may might must what which who whom when where why how all
    any some each every one like well um uh oh yeah okay ok yes""".split()
)
"""Words too common to make a repeated phrase worth pointing out on their own."""

NUMBER_WORDS = frozenset(
    """zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand double triple""".split()
)
"""Spoken digits: a phone number said twice is good practice, not repetition."""
