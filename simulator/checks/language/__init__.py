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
from simulator.checks.language.engine import Doc, Hit, expand, rx
from simulator.checks.language.keywords import key_stem

__all__ = ["Doc", "Hit", "expand", "key_stem", "rx"]
