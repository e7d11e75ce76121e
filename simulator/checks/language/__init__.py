"""Language checks on typed or transcribed answers: wording, tone, and the shape of a story.

One module per check; their phrase families live in rules/<check id>.yaml (see engine.py for the
pattern language). Importing the package registers every check.
"""

from __future__ import annotations

from simulator.checks.language import _old as _old
from simulator.checks.language import decline as decline
from simulator.checks.language import profanity as profanity
from simulator.checks.language import recovery as recovery
from simulator.checks.language import responsibility as responsibility
from simulator.checks.language._old import key_stem
from simulator.checks.language.engine import Doc, Hit, expand, rx

__all__ = ["Doc", "Hit", "expand", "key_stem", "rx"]
