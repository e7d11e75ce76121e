"""speaks_for_self: an answer about what you did does not say "we" over and over (a count, so a
cut-in can fire on it; owns_answer, where it exists, judges who acted clause by clause)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from simulator.checks.base import CheckContext, CheckResult, Span
from simulator.checks.registry import register
from simulator.checks.text import fmt_time, tokens

WE_WORDS = frozenset(("we", "we're", "we've", "we'd", "we'll", "us", "our", "ours"))
"""The words that credit the team rather than the speaker."""


class SpeaksForSelfParams(BaseModel):
    """Parameters of speaks_for_self."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_we: int = Field(default=4, ge=0, le=100)
    """The most "we"/"our"/"us" an answer may hold; one more fails."""


@register("speaks_for_self", 'Says "I", not "we"', params=SpeaksForSelfParams, severity="advice")
def speaks_for_self(ctx: CheckContext, params: SpeaksForSelfParams) -> CheckResult:
    """Fails once the answer says "we" (our, us) more than max_we times.

    A check that, once failed, stays failed as more words come: so a cut-in can fire on it.
    """
    toks = tokens(ctx.transcript)
    we = [t for t in toks if t.norm in WE_WORDS]
    mine = sum(1 for t in toks if t.norm in ("i", "i'm", "i've", "i'd", "my", "me"))
    if len(we) <= params.max_we:
        return CheckResult(
            "speaks_for_self", "pass", f'"we" {len(we)} time(s), "I" {mine} time(s)', ""
        )
    when = [f"{t.text!r} at {fmt_time(t.start)}" if t.start is not None else t.text for t in we]
    return CheckResult(
        "speaks_for_self",
        "fail",
        f'"we" {len(we)} times (more than {params.max_we}): ' + ", ".join(when[:8]),
        'Say what you did: "I decided", "I built", then what the team did with it.',
        spans=tuple(Span(t.index, t.index) for t in we),
    )
