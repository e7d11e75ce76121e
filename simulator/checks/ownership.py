"""owns_answer: the answer says what the speaker did ("I decided…"), not mostly what "we" did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.registry import register
from simulator.checks.text import Token, quote, span, tokens

Agent = Literal["i", "we", "none"]

I_SUBJECTS = frozenset({"i", "i've", "i'd", "i'll", "i'm", "myself"})
"""The speaker as the subject of a clause."""
WE_WORDS = frozenset({"we", "we're", "we've", "we'd", "we'll", "ourselves", "our", "ours"})
"""The group as the one acting: a clause with these and no acting "I" speaks for the team."""
TEAM_NOUNS = frozenset({"team", "group", "department", "squad", "everyone", "everybody"})
"""Nouns that put the team in the speaker's place ("the team built…", "my group decided…")."""
_TEAM_DETERMINERS = frozenset({"the", "my", "our", "whole", "entire"})
# After "I", these say what the speaker thinks or was, not something they did:
# "I think we…", "I was part of the team that…", "I guess…".
_NOT_ACTING = frozenset(
    "think thought believe guess mean feel felt hope suppose know knew remember wish was am "
    "were say said didn't don't never wasn't can't couldn't not".split()
)
# Words that may stand between "I" and its verb without changing who acted.
_ADVERBS = frozenset(
    "just really actually personally also then first quickly basically finally eventually "
    "immediately myself alone single-handedly".split()
)
# "I was responsible for…", "I was in charge of…", "I was the one who…" do claim the action.
_OWNED_STATES = frozenset({"responsible", "accountable", "in", "the", "leading", "one"})
# "my decision", "my call", "my part was…": the speaker's own act or share named as a noun.
_OWN_ACTS = frozenset(
    "decision call idea proposal plan suggestion recommendation fix design analysis "
    "responsibility job role part task contribution".split()
)
# A new clause starts at a subject after one of these ("…the plan, and we shipped it").
_CONJUNCTIONS = frozenset(
    "and but so then because while when after until once which though although".split()
)
_SENTENCE_END = (".", "?", "!", ";", "…")


@dataclass(frozen=True)
class Clause:
    """A stretch of the answer with one subject, and who it says acted."""

    toks: tuple[Token, ...]
    """The clause's words."""
    agent: Agent
    """i: the speaker acted; we: the team or "we" did; none: neither (a fact, a result)."""


def _starts_subject(toks: Sequence[Token], i: int) -> bool:
    tok = toks[i]
    if tok.norm in I_SUBJECTS or tok.norm in WE_WORDS:
        return True
    nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
    return tok.norm in _TEAM_DETERMINERS and nxt in TEAM_NOUNS


def clauses(toks: Sequence[Token]) -> list[tuple[Token, ...]]:
    """The answer cut at sentence ends and where a new subject follows a conjunction or comma."""
    out: list[list[Token]] = []
    for i, tok in enumerate(toks):
        prev = toks[i - 1] if i else None
        new = prev is None or prev.text.rstrip("\"')]”’").endswith(_SENTENCE_END)
        if not new and prev is not None and _starts_subject(toks, i):
            new = prev.norm in _CONJUNCTIONS or prev.text.endswith((",", "—", "-"))
        if new or not out:
            out.append([])
        out[-1].append(tok)
    return [tuple(c) for c in out]


def _acting_i(toks: Sequence[Token], i: int) -> bool:
    """True when the "I" at I heads a clause about something the speaker did."""
    word = toks[i].norm
    if word == "myself":
        return False
    j = i + 1
    while j < len(toks) and toks[j].norm in _ADVERBS:
        j += 1
    if j < len(toks) and toks[j].norm in ("would", "'d"):
        j += 1
    verb = toks[j].norm if j < len(toks) else ""
    after = toks[j + 1].norm if j + 1 < len(toks) else ""
    if word == "i'm" or verb in ("was", "am"):
        # "I was rebuilding…", "I'm responsible for…" claim it; "I was nervous" does not.
        state = after if verb in ("was", "am") else verb
        return state.endswith("ing") or state in _OWNED_STATES
    if word == "i'd" and verb in ("say", "think", "guess"):
        return False
    return bool(verb) and verb not in _NOT_ACTING


def classify(clause: Sequence[Token]) -> Agent:
    """Who the clause says acted: an acting "I" wins over "we" and the team in the same clause."""
    for i, tok in enumerate(clause):
        if tok.norm in I_SUBJECTS and _acting_i(clause, i):
            return "i"
        if tok.norm == "my" and i + 1 < len(clause) and clause[i + 1].norm in _OWN_ACTS:
            return "i"
        if tok.norm == "me" and i + 1 < len(clause) and clause[i + 1].norm in ("who", "that"):
            return "i"  # "it was me who pushed for it"
    for i, tok in enumerate(clause):
        if tok.norm in WE_WORDS:
            return "we"
        nxt = clause[i + 1].norm if i + 1 < len(clause) else ""
        if tok.norm in _TEAM_DETERMINERS and nxt in TEAM_NOUNS:
            return "we"
    return "none"


def agents(toks: Sequence[Token]) -> list[Clause]:
    """Every clause of the answer with who it says acted."""
    return [Clause(c, classify(c)) for c in clauses(toks)]


def _said(clause: Clause) -> str:
    toks = list(clause.toks[:14])
    # "…the dashboards, and" reads better without the "and" that joins the next clause.
    while len(toks) > 1 and toks[-1].norm in _CONJUNCTIONS:
        toks.pop()
    return quote(toks)


def _listed(found: Sequence[Clause], most: int = 4) -> str:
    shown = ", ".join(_said(c) for c in found[:most])
    return shown + (f", and {len(found) - most} more" if len(found) > most else "")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


@register(
    "owns_answer",
    "Says what you did",
    severity="advice",
    short="say I, not we",
)
def owns_answer(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Pass when the speaker says what they did ("I…") at least as often as what "we" did."""
    toks = tokens(ctx.transcript)
    if not toks:
        return CheckResult("owns_answer", "skipped", "no speech heard", "")
    found = agents(toks)
    mine = [c for c in found if c.agent == "i"]
    ours = [c for c in found if c.agent == "we"]
    summary = f"{_count(len(mine), 'clause')} with you acting, {len(ours)} with we or the team"
    if mine and len(ours) <= len(mine):
        evidence = f"{summary}: {_listed(mine)}"
        if ours:
            evidence += f"; we: {_listed(ours)}"
        return CheckResult(
            "owns_answer", "pass", evidence, "", spans=tuple(span(c.toks) for c in mine)
        )
    if ours:
        evidence = f"{summary}; we: {_listed(ours)}"
        tip = (
            'Say what you did yourself: "I decided…", "I rebuilt…"; name the team once, then '
            "your own part in it."
        )
    else:
        evidence = f"{summary}: nothing says what you did"
        tip = 'Put yourself in the sentence: "I decided…", "I built…", and what came of it.'
    if mine:
        evidence += f"; you: {_listed(mine)}"
    return CheckResult(
        "owns_answer", "fail", evidence, tip, spans=tuple(span(c.toks, "miss") for c in ours)
    )
