"""no_profanity: no swear words, masked forms ("f***ing") and mild ones ("damn") included."""

from __future__ import annotations

import re
from collections.abc import Sequence

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.language.engine import Doc, ends_sentence, rules
from simulator.checks.registry import register
from simulator.checks.text import Token, fold, quote, span, tokens

RULES = rules("no_profanity")
"""The swear words and swearing phrases (rules/no_profanity.yaml)."""
SWEARS = RULES.word_list("swears")
"""Swear words and their inflections, matched as whole words."""
_NAME_LIKE = RULES.word_list("name_like")
_PHRASE_SWEARS = RULES.word_list("phrase_swears")
_INTENSIFIERS = RULES.word_list("intensifiers")
_LITERAL_AFTER = RULES.word_list("literal_after")
_CENSORED = re.compile(r"[a-z]*\*+[a-z*]*")
_EMPHASIS = re.compile(r"\*+[a-z]{2,}\*+")


def _is_censored(raw: str) -> bool:
    """Recognisers and people write swear words masked: "f***", "sh*t", "a**hole", "****"."""
    s = fold(raw).strip(" ,.;:!?\"'()[]")
    if "*" not in s or not _CENSORED.fullmatch(s) or _EMPHASIS.fullmatch(s):
        return False
    return s.count("*") >= 2 or bool(re.fullmatch(r"[a-z]+\*+[a-z]+", s))


def _is_swear_intensifier(toks: Sequence[Token], i: int) -> bool:
    """'bloody' before another word that it intensifies, not in its literal sense."""
    if i + 1 >= len(toks) or ends_sentence(toks[i]):
        return False
    return toks[i + 1].norm not in _LITERAL_AFTER


def profanities(toks: Sequence[Token]) -> list[Token]:
    """The swear words in the answer, in order."""
    marked = {
        t.index
        for h in RULES.find(Doc(toks), "phrases")
        for t in h.toks
        if t.norm in _PHRASE_SWEARS
    }
    out: list[Token] = []
    for i, tok in enumerate(toks):
        parts = [tok.norm, tok.norm.replace("-", ""), *tok.norm.split("-")]
        if any(p in SWEARS for p in parts) or _is_censored(tok.text):
            out.append(tok)
        elif tok.norm in _NAME_LIKE and tok.text.lstrip("\"'(")[:1].islower():
            out.append(tok)
        elif tok.index in marked or (tok.norm == "hell" and _exclaimed(toks, i)):
            out.append(tok)
        elif tok.norm in _INTENSIFIERS and _is_swear_intensifier(toks, i):
            out.append(tok)
    return out


def _exclaimed(toks: Sequence[Token], i: int) -> bool:
    """ "Hell, I don't know": "hell" opening a sentence, set off by a comma or "!"."""
    sentence_start = i == 0 or ends_sentence(toks[i - 1])
    return sentence_start and toks[i].text.rstrip().endswith((",", "!"))


@register("no_profanity", "No profanity", general=True, severity="advice")
def no_profanity(ctx: CheckContext, params: NoParams) -> CheckResult:
    """No swear words, censored forms included."""
    found = profanities(tokens(ctx.transcript))
    if not found:
        return CheckResult("no_profanity", "pass", "no swear words heard", "")
    listed = ", ".join(quote([t]) for t in found[:6])
    if len(found) > 6:
        listed += f", and {len(found) - 6} more"
    return CheckResult(
        "no_profanity",
        "fail",
        f"{len(found)} swear word{'s' if len(found) != 1 else ''}: {listed}",
        'Swap it for a neutral word ("frustrating", "a real setback"): interviewers remember it.',
        spans=tuple(span([t], "miss") for t in found),
    )
