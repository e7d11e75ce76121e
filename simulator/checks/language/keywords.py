"""keywords: the scenario's terms are said (any, all, or at least min_count), with stemming."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Literal

import snowballstemmer
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.checks.base import CheckContext, CheckResult
from simulator.checks.language.engine import ends_sentence
from simulator.checks.lexicon import IRREGULAR_PASTS
from simulator.checks.registry import register
from simulator.checks.text import Token, fold, normalize_word, quote, span, tokens, words_of

_STEMMER = snowballstemmer.stemmer("english")
# Derivational endings Snowball keeps, stripped after it so "leadership" and "leader" meet "lead".
# A stem keeps at least four letters ("user", "paper" stay whole).
_DERIVED = ("ship", "er")
# Endings by which one stem may extend another and still name the same term
# ("account"/"accountant", "present"/"presentat"); "polic"/"polici" (police/policy) do not meet.
_EXTENSIONS = frozenset({"ant", "ent", "ist", "at", "ion", "or", "er", "al", "ic", "ment"})


@cache
def key_stem(word: str) -> str:
    """The stem keywords are compared on: Snowball (Porter2), irregular pasts and a few
    derivations undone.

    "leadership"/"leader"/"led" -> "lead", "management"/"managed" -> "manag", "wrote"/"writing"
    -> "writ", "statistical"/"statistics" -> "statist"; "policy" and "police" stay apart.
    """
    norm = normalize_word(word).replace("'", "")
    base = IRREGULAR_PASTS.get(norm, norm)
    if not base.isalpha():
        return base
    base = str(_STEMMER.stemWord(base))
    for suffix in _DERIVED:
        if base.endswith(suffix) and len(base) - len(suffix) >= 4:
            base = base[: -len(suffix)]
    return base[:-1] if base.endswith("e") and len(base) > 4 else base


def _key_parts(norm: str) -> list[str]:
    return [p for p in norm.replace("/", "-").split("-") if p]


class KeywordsParams(BaseModel):
    """Parameters of keywords."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: list[str] = Field(min_length=1)
    """The terms to cover; a term may be several words ("stakeholder management")."""
    mode: Literal["any", "all"] = "all"
    """Whether one term or every term must be said."""
    min_count: int | None = Field(default=None, ge=1)
    """At least this many terms (overrides mode)."""

    @field_validator("terms")
    @classmethod
    def _real_terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if not words_of(term):
                raise ValueError(f"term {term!r} has no words")
        return terms

    @model_validator(mode="after")
    def _count_fits(self) -> KeywordsParams:
        if self.min_count is not None and self.min_count > len(self.terms):
            raise ValueError(f"min_count {self.min_count} is more than the {len(self.terms)} terms")
        return self


def stems_meet(said: str, wanted: str) -> bool:
    """Two keyword stems name the same term: equal, or one extends the other by a
    derivational ending ("account"/"accountant")."""
    if said == wanted:
        return True
    short, long = sorted((said, wanted), key=len)
    return len(short) >= 5 and long.startswith(short) and long[len(short) :] in _EXTENSIONS


def find_term(toks: Sequence[Token], term: str) -> tuple[Token, ...] | None:
    """The first place the term is said (stems compared), or None.

    A term of several words matches them in order, or in any order within one sentence and
    two extra words ("project management" ~ "managed projects"). Wider spreads are not
    counted: "learned a lot about machines" is not "machine learning".
    """
    wanted = [key_stem(p) for w in words_of(term.replace("/", "-")) for p in _key_parts(w)]
    raw_term = fold(term).strip()
    # "CI/CD", "CI-CD" and "CI CD" are the same term: slashes split words like hyphens.
    units = [
        (key_stem(p), t) for t in toks for p in _key_parts(normalize_word(t.text.replace("/", "-")))
    ]
    n = len(wanted)
    for i in range(len(units) - n + 1):
        if all(stems_meet(units[i + k][0], wanted[k]) for k in range(n)):
            if not raw_term[-1:].isalnum():
                # "C++" and "C#" normalise to "c": compare what was written.
                said = fold(units[i][1].text).strip(" ,.;:!?\"'()")
                if said != raw_term:
                    continue
            return _distinct(u[1] for u in units[i : i + n])
    if n > 1:
        for i in range(len(units)):
            chunk: list[tuple[str, Token]] = []
            for unit in units[i : i + n + _TERM_SPREAD]:
                chunk.append(unit)
                if ends_sentence(unit[1]):
                    break
            covered = [u for u in chunk if any(stems_meet(u[0], w) for w in wanted)]
            if (
                covered
                and covered[0] is chunk[0]
                and all(any(stems_meet(u[0], w) for u in covered) for w in wanted)
            ):
                return _distinct(u[1] for u in covered)
    return None


_TERM_SPREAD = 2
"""Extra words a multi-word term's words may be spread over, in any order."""


def _distinct(toks: Iterable[Token]) -> tuple[Token, ...]:
    return tuple({t.index: t for t in toks}.values())


@register("keywords", "Key terms covered", params=KeywordsParams, severity="advice")
def keywords(ctx: CheckContext, params: KeywordsParams) -> CheckResult:
    """The scenario's terms are said (any, all, or at least min_count), with stemming."""
    toks = tokens(ctx.transcript)
    found: list[tuple[str, tuple[Token, ...]]] = []
    missing: list[str] = []
    for term in params.terms:
        where = find_term(toks, term)
        if where is None:
            missing.append(term)
        else:
            found.append((term, where))
    if params.min_count is not None:
        needed = params.min_count
    else:
        needed = 1 if params.mode == "any" else len(params.terms)
    parts = [f"{len(found)} of {len(params.terms)} terms (need {needed})"]
    if found:
        parts.append("found " + ", ".join(quote(w) for _, w in found))
    if missing:
        parts.append("missing " + ", ".join(f'"{t}"' for t in missing))
    evidence = "; ".join(parts)
    spans = tuple(span(w) for _, w in found)
    if len(found) >= needed:
        return CheckResult("keywords", "pass", evidence, "", spans=spans)
    named = ", ".join(f'"{t}"' for t in missing[:3])
    return CheckResult(
        "keywords",
        "fail",
        evidence,
        f"Work in {named}, in the words the job ad uses.",
        spans=spans,
    )
