"""Language checks on typed or transcribed answers: wording, tone, and the shape of a story.

One module per check; their phrase families live in rules/<check id>.yaml, in the pattern
language engine.py describes. Importing the package registers every check.
"""

from __future__ import annotations

from simulator.checks.language import decline as decline
from simulator.checks.language import keywords as keywords
from simulator.checks.language import lesson as lesson
from simulator.checks.language import profanity as profanity
from simulator.checks.language import recovery as recovery
from simulator.checks.language import responsibility as responsibility
from simulator.checks.language import star as star
from simulator.checks.language.decline import disclosures
from simulator.checks.language.engine import (
    Doc,
    Hit,
    RuleBook,
    W,
    ends_sentence,
    expand,
    gap,
    quote_hit,
    quote_hits,
    result,
    rules,
    rx,
)
from simulator.checks.language.keywords import KeywordsParams, find_term, key_stem, stems_meet
from simulator.checks.language.lesson import lesson_hits
from simulator.checks.language.profanity import SWEARS, profanities
from simulator.checks.language.recovery import recovery_hits
from simulator.checks.language.star import star_parts

# What simulator/checks/language.py offered before it became this package, and the engine.
__all__ = [
    "SWEARS",
    "W",
    "Doc",
    "Hit",
    "KeywordsParams",
    "RuleBook",
    "disclosures",
    "ends_sentence",
    "expand",
    "find_term",
    "gap",
    "key_stem",
    "lesson_hits",
    "profanities",
    "quote_hit",
    "quote_hits",
    "recovery_hits",
    "result",
    "rules",
    "rx",
    "star_parts",
    "stems_meet",
]
