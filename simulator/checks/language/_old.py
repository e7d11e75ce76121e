"""Language checks on typed or transcribed answers: wording, tone, and the shape of a story."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.checks.base import CheckContext, CheckResult, NoParams, Status
from simulator.checks.registry import register
from simulator.checks.text import (
    Token,
    fold,
    normalize_word,
    quote,
    span,
    stem,
    tokens,
    words_of,
)

# ---------------------------------------------------------------------------------------------
# The phrase matcher: the answer as one lowercase string of expanded words ("I'm" -> "i am",
# "don't" -> "do not") with " ." between sentences, so phrase families are plain regexes that
# never cross a sentence, and every match maps back to the transcript's words and times.

_NOT = {
    "can't": "can not",
    "cant": "can not",
    "won't": "will not",
    "wont": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "aint": "is not",
}
_BARE_NT = frozenset(
    "dont didnt doesnt isnt wasnt werent arent couldnt shouldnt wouldnt havent hasnt hadnt "
    "mustnt neednt".split()
)
_PRONOUN_S = frozenset(
    "it that what there here he she who where how everything nothing this".split()
)
_SLANG = {
    "im": "i am",
    "ive": "i have",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
    "sorta": "sort of",
    "cuz": "because",
    "cause": "because",
    "ok": "okay",
    "y'know": "you know",
    "thats": "that is",
    "whats": "what is",
    "theres": "there is",
    "lets": "let us",
    "let's": "let us",
}
_ABBREVIATIONS = frozenset("dr mr mrs ms st vs etc jr sr prof approx".split())


def expand(norm: str) -> str:
    """A word with its contraction spelled out: "i'm" -> "i am", "didn't" -> "did not"."""
    if norm in _NOT:
        return _NOT[norm]
    if norm in _SLANG:
        return _SLANG[norm]
    if norm in _BARE_NT:
        return norm[:-2] + " not"
    if norm.endswith("n't"):
        return norm[:-3] + " not"
    for suffix, full in (
        ("'m", " am"),
        ("'re", " are"),
        ("'ve", " have"),
        ("'ll", " will"),
        ("'d", " would"),
    ):
        if norm.endswith(suffix) and len(norm) > len(suffix):
            return norm[: -len(suffix)] + full
    if norm.endswith("'s") and norm[:-2] in _PRONOUN_S:
        return norm[:-2] + " is"
    return norm


def _ends_sentence(tok: Token) -> bool:
    raw = tok.text.rstrip("\"')]”’")
    if not raw.endswith((".", "?", "!", ";", "…")):
        return False
    # "U.S." and "Dr." end in a dot without ending the sentence.
    return not ("." in tok.norm or tok.norm in _ABBREVIATIONS) or raw.endswith(("?", "!"))


@dataclass(frozen=True)
class Hit:
    """One phrase found in the answer."""

    toks: tuple[Token, ...]
    """The transcript words the phrase covers."""
    start: int
    """Character offset of the match in Doc.text."""
    end: int
    """Character offset just past the match in Doc.text."""
    said: str
    """The matched expanded text, e.g. "i am married"."""


class Doc:
    """An answer prepared for phrase matching."""

    def __init__(self, toks: Sequence[Token]) -> None:
        self.toks: list[Token] = list(toks)
        """The transcript's tokens."""
        pieces: list[str] = []
        self._starts: list[int] = []
        self._owner: list[int] = []
        at = 0
        for position, tok in enumerate(self.toks):
            piece = expand(tok.norm)
            if tok.text.rstrip(".,;:!?\"')]").endswith("%"):
                piece += " percent"
            self._starts.append(at)
            self._owner.append(position)
            pieces.append(piece)
            at += len(piece) + 1
            if _ends_sentence(tok):
                self._starts.append(at)
                self._owner.append(-1)
                pieces.append(".")
                at += 2
        self.text: str = " ".join(pieces)
        """Expanded words joined by spaces, " . " between sentences."""

    @classmethod
    def of(cls, ctx: CheckContext) -> Doc:
        """The Doc of a check's answer."""
        return cls(tokens(ctx.transcript))

    def offset(self, position: int) -> int:
        """Character offset in text of the token at POSITION in toks."""
        return self._starts[self._owner.index(position)]

    def covered(self, start: int, end: int) -> tuple[Token, ...]:
        """The tokens whose words fall in text[start:end]."""
        first = bisect.bisect_right(self._starts, start) - 1
        out: list[Token] = []
        for i in range(max(first, 0), len(self._starts)):
            if self._starts[i] >= end:
                break
            if self._owner[i] >= 0:
                out.append(self.toks[self._owner[i]])
        return tuple(out)

    def find(self, rx: re.Pattern[str]) -> list[Hit]:
        """Every match of a compiled phrase pattern."""
        return [
            Hit(self.covered(m.start(), m.end()), m.start(), m.end(), m.group(0))
            for m in rx.finditer(self.text)
            if m.end() > m.start()
        ]

    def before(self, hit: Hit, count: int) -> list[str]:
        """Up to COUNT words just before the hit, within its sentence."""
        words = self.text[: hit.start].split()
        out: list[str] = []
        for word in reversed(words):
            if word == "." or len(out) == count:
                break
            out.append(word)
        return list(reversed(out))

    def sentence(self, hit: Hit) -> str:
        """The whole sentence the hit starts in."""
        left = self.text.rfind(" . ", 0, hit.start)
        return self.text[left + 3 if left >= 0 else 0 : self._sentence_end(hit.end)]

    def after(self, hit: Hit) -> str:
        """The rest of the hit's sentence after it."""
        return self.text[hit.end : self._sentence_end(hit.end)].strip()

    def _sentence_end(self, at: int) -> int:
        m = _BOUNDARY.search(self.text, at)
        return m.start() if m else len(self.text)


_BOUNDARY = re.compile(r"(?:^| )\.(?= |$)")


def rx(*alternatives: str) -> re.Pattern[str]:
    """Compile phrase alternatives that must match whole words of a Doc."""
    return re.compile(r"(?<![^ ])(?:" + "|".join(alternatives) + r")(?![^ ])")


W = r"[^ .]+"
"""One word, in a phrase pattern."""


def gap(most: int) -> str:
    """Up to MOST words of the same sentence, in a phrase pattern."""
    return rf"(?:[^ .]+ ){{0,{most}}}?"


def _find_all(
    doc: Doc, patterns: Iterable[re.Pattern[str]], keep: Callable[[Hit], bool] | None = None
) -> list[Hit]:
    hits = [h for p in patterns for h in doc.find(p) if keep is None or keep(h)]
    return sorted(hits, key=lambda h: h.start)


def _quote(hit: Hit, most: int = 14) -> str:
    text = quote(hit.toks[:most])
    if len(hit.toks) > most:
        close = text.rfind('"')
        text = text[:close] + "…" + text[close:]
    return text


def _result(
    check_id: str,
    status: Status,
    evidence: str,
    tip: str = "",
    hits: Iterable[Hit] = (),
    kind: str = "evidence",
) -> CheckResult:
    spans = tuple(span(h.toks, kind) for h in hits if h.toks)
    return CheckResult(check_id, status, evidence, tip, spans=spans)


def _quotes(hits: Sequence[Hit], most: int = 4) -> str:
    shown = ", ".join(_quote(h) for h in hits[:most])
    if len(hits) > most:
        shown += f", and {len(hits) - most} more"
    return shown


_ADVERBS = (
    r"(?:(?:kind of|sort of|totally|completely|just|basically|really|honestly|definitely"
    r"|clearly|probably|pretty much|simply|also|then|absolutely|badly|seriously) )*"
)
# ---------------------------------------------------------------------------------------------
# keywords

# Derivational endings stripped after text.stem so "management" meets "managed", "automation"
# meets "automate", "leadership" meets "leader". A stem keeps at least four letters ("user"),
# five after a bare "-ion".
_DERIVED = (
    ("izations", "iz"),
    ("ization", "iz"),
    ("isations", "is"),
    ("isation", "is"),
    ("ations", "at"),
    ("ation", "at"),
    ("itions", "it"),
    ("ition", "it"),
    ("ions", ""),
    ("ion", ""),
    ("ments", ""),
    ("ment", ""),
    ("ship", ""),
    ("ers", ""),
    ("er", ""),
    ("ly", ""),
    ("al", ""),
)
"""Derivational endings and what they become ("negotiation" -> "negotiat")."""
# Past forms a suffix stemmer cannot undo, mapped to the stem of their base verb.
_IRREGULAR = dict(
    pair.split(":")
    for pair in (
        "led:lead built:build wrote:writ written:writ ran:run taught:teach sold:sell bought:buy "
        "made:mak brought:bring thought:think spoke:speak spoken:speak drove:driv driven:driv "
        "grew:grow grown:grow won:win began:begin begun:begin took:tak taken:tak gave:giv "
        "given:giv chose:chos drew:draw drawn:draw met:meet sent:send spent:spend kept:keep "
        "held:hold told:tell found:find left:leav"
    ).split()
)


def key_stem(word: str) -> str:
    """The stem keywords are compared on: inflections and common derivations removed.

    "leadership"/"leader"/"led" -> "lead", "management"/"managed" -> "manag",
    "statistical"/"statistics" -> "statistic".
    """
    base = stem(word)
    if base in _IRREGULAR:
        return _IRREGULAR[base]
    if not base.isalpha():
        return base
    for _ in range(2):
        for suffix, replacement in _DERIVED:
            # A bare "-ion" needs a longer root: "mission" must not become "miss".
            least = 5 if suffix.startswith("ion") else 4
            if base.endswith(suffix) and len(base) - len(suffix) >= least:
                base = base[: -len(suffix)] + replacement
                break
        else:
            break
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
    """Two keyword stems name the same term: equal, or one a close extension of the other
    ("present"/"presentat", "account"/"accountant")."""
    if said == wanted:
        return True
    short, long = sorted((said, wanted), key=len)
    return len(short) >= 5 and long.startswith(short) and len(long) - len(short) <= 3


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
                if _ends_sentence(unit[1]):
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


@register("keywords", "Key terms covered", params=KeywordsParams)
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


# ---------------------------------------------------------------------------------------------
# star_structure

_PERIOD = (
    r"(?:years?|months?|quarters?|summers?|springs?|falls?|autumns?|winters?|weeks?|semesters?)"
)
SITUATION = rx(
    r"when i (?:was|worked|first|started|joined|had|ran|led|managed|moved|took over)",
    r"while i was",
    r"when (?:our|my|the|a|an|one of our|one of my) (?:[^ .]+ ){1,2}?(?:quit|left|was|were|had"
    r"|got|went|broke|crashed|failed|asked|told|called|started|joined|decided|changed|announced"
    r"|moved|retired|resigned|fell|dropped|came)",
    r"when (?:we|they) (?:were|had|got|lost|launched|moved|started|switched|migrated|ran)",
    r"(?:a|one|two|three|four|five|six|a few|a couple of|several|\d+) " + _PERIOD + " ago",
    r"(?:last|this past|one|that) (?:year|month|quarter|summer|spring|fall|autumn|winter"
    r"|semester)",
    r"(?:at|in|during) my (?:previous|last|old|current|former|first|second|prior|most recent"
    r"|early) (?:job|company|role|employer|position|internship|team|workplace|gig|startup|school"
    r"|placement)",
    r"(?:at|in|during) my (?:internship|placement|co-op|time at|time with|time in)",
    r"during my (?:time|internship|first|last|placement|tenure|years)",
    r"(?:back |early |late )?in (?:19|20)\d\d",
    r"i (?:worked|was working|used to work|interned|was interning|was employed) (?:at|as|for|on"
    r"|in|with)",
    r"(?:i|we) (?:was|were) (?:working|leading|managing|running|interning|part of|on a)",
    r"(?:we|our (?:team|company|client|group|department|store|startup|product|office|clinic"
    r"|school|restaurant)|the (?:team|company|client|project|store|business|department|product"
    r"|site|system|app|website|warehouse|office|clinic|restaurant|hospital)|my (?:team|manager"
    r"|boss|client|department|company)) (?:had|was facing|faced|were facing|was dealing"
    r"|were dealing|ran into|hit|was having|were having|was losing|were losing|was struggling"
    r"|were struggling|was behind|were behind|was getting|were getting|kept getting|lost|missed"
    r"|kept missing|was drowning|were drowning)",
    r"there (?:was|were) (?:a|an|this|some|two|three|several|constant|frequent|repeated|big"
    r"|huge|serious|real) " + gap(2) + r"(?:problem|problems|issue|issues|situation|bug|bugs"
    r"|outage|outages|deadline|conflict|complaint|complaints|backlog|crisis|delay|delays|error"
    r"|errors|gap|shortage|disagreement|incident|incidents|dispute|mistake|request|client"
    r"|customer|time)",
    r"(?:the|our|my|one) (?:problem|challenge|situation|issue|context|background|deadline)"
    r" (?:was|is|were)",
    r"(?:one time|once when|one day|one morning|at the time|at that time)",
    r"i was (?:on|in|part of|working on|assigned to|leading) (?:a|an|the|our|this) [^ .]+",
    r"(?:was|were) (?:a (?:total |complete |real |bit of a |huge )?(?:mess|disaster|nightmare"
    r"|bottleneck|problem)|chaos|chaotic|broken|failing|falling apart|overwhelmed)",
    r"(?:sales|revenue|churn|numbers|customers|traffic|morale|attendance|signups|sign-ups"
    r"|retention|costs|complaints|wait times|response times|turnover|conversion|tickets|errors"
    r"|scores|ratings) (?:were|was|had been|kept) (?:dropping|falling|declining|down|low|high"
    r"|rising|slipping|going up|going down|climbing|terrible|bad|poor|piling up)",
    r"(?:a|one|our|my) (?:[^ .]+ )?(?:client|customer|colleague|coworker|co-worker|manager"
    r"|stakeholder|teammate|vendor|supplier|patient|student|boss|supervisor|director|lead|nurse"
    r"|doctor|engineer|developer|designer|analyst|partner|peer|founder|teacher|editor|producer"
    r"|owner) (?:was|had|kept|came|called|complained|wanted|asked|needed|threatened|emailed"
    r"|insisted|disagreed|pushed|proposed|suggested|decided|refused)",
    # A disagreement story opens on the disagreement: "A colleague and I disagreed on …".
    r"(?:a|one|my|our) (?:[^ .]+ )?(?:colleague|coworker|co-worker|manager|boss|teammate|lead"
    r"|director|peer|partner|supervisor|client|engineer|designer|developer) and i (?:disagreed"
    r"|clashed|butted heads|had|were|did not|could not|saw)",
    r"i (?:disagreed|clashed|butted heads|had (?:a|an) (?:[^ .]+ )?(?:disagreement|conflict"
    r"|argument|falling out|difference of opinion)) (?:with|about|over|on)",
    # Coached candidates label the parts: "Situation: …", "For some context, …".
    r"(?:(?<!.)|(?<=\. ))(?:so )?situation",
    r"(?:for|some|a bit of|quick|a little|for some) (?:context|background)",
    # Who the speaker was then: "I taught ninth grade", "I was a shift lead".
    r"i (?:taught|was teaching|used to teach|coached|used to be|worked as|was working as)",
    r"i was (?:a|an) (?!bit |little |lot |few |couple )" + W,
    r"one of (?:my|our) [^ .]+ (?:had|was|were|kept)",
    r"(?:rate|rates|sales|revenue|churn|numbers|traffic|morale|attendance|signups|sign ups"
    r"|retention|costs|complaints|conversions?|tickets|errors|scores|ratings|bookings|orders"
    r"|usage) (?:suddenly |had |just )?(?:dropped|fell|plummeted|tanked|spiked|crashed|dipped"
    r"|slumped|went down|stalled)",
    # A recurring fault is the problem: "our payroll job kept failing at month end".
    r"(?:kept|keeps|would keep) (?:on )?(?:failing|crashing|breaking|jamming|missing|timing out"
    r"|going down|dropping|freezing|slipping|stalling|erroring|losing|overrunning)",
)
"""Where and when the story happens, and what the problem was."""
_ACTION_VERBS = (
    r"decided|led|built|created|designed|wrote|set up|organized|organised|proposed|introduced"
    r"|implemented|launched|ran|reached out|called|met|talked|spoke|sat down|pulled|analyzed"
    r"|analysed|redesigned|rewrote|automated|negotiated|trained|coached|mentored|scheduled"
    r"|prioritized|prioritised|volunteered|drafted|suggested|convinced|coordinated|developed"
    r"|tested|fixed|migrated|hired|interviewed|presented|mapped|put together|broke|restructured"
    r"|streamlined|reorganized|reorganised|rebuilt|documented|escalated|communicated|gathered"
    r"|surveyed|researched|investigated|traced|tracked|identified|audited|reviewed|replaced"
    r"|piloted|prototyped|persuaded|pitched|facilitated|started|kicked off|worked with"
    r"|partnered|collaborated|delegated|split|divided|changed|switched|moved|rolled out|shipped"
    r"|deployed|wrote up|made|took|set|sent|brought|gave|held|asked|offered|stayed|used|added"
    r"|did a|did an|did the|cancelled|canceled"
    r"|removed|contacted|emailed|followed up|checked|compared|calculated|recruited|planned"
    r"|assigned|took over|stepped up|stepped in|owned|went through|dug into|got everyone"
    r"|got the|tried|built out|spun up|wrote a|created a|came up with|figured out|worked out"
    r"|worked late|jumped in|pushed|championed|set out|cleaned up|consolidated|refactored"
    r"|simplified|standardized|standardised|trained up|onboarded|ran a|hosted|created an"
)
ACTION = rx(
    r"i (?:then |quickly |eventually |also |first |finally |immediately |personally "
    r"|actually |just |ended up |decided to |went ahead and |stepped in and |took it on and "
    r"|basically |initially |instead |carefully |had to )?(?:" + _ACTION_VERBS + ")",
    r"my (?:job|task|role|responsibility|goal|assignment|part|mission|first step|next step|plan"
    r"|approach|solution|idea|fix) (?:was|became|is)",
    r"i was (?:responsible|tasked|asked|in charge|assigned|brought in|put in charge|given the job"
    r"|the one who)",
    r"i (?:had|needed) to",
    r"what i did (?:was|is)",
    r"the first thing i did",
    r"i took (?:the lead|ownership|charge|it on|the initiative)",
    r"i (?:started|began) by",
    r"so i [^ .]+ed",
)
ACTION_ED = rx(r"i " + _ADVERBS + r"[^ .]+ed")
"""Any first-person past action ("I cancelled", "I apologized"), minus states (see _STATIVE)."""
_STATIVE = frozenset(
    (
        "needed wanted liked loved seemed noticed realized realised learned hoped expected assumed "
        "believed worried wondered feared used enjoyed appreciated preferred hated imagined "
        "guessed supposed owed happened considered failed struggled panicked freaked stressed "
        "interned worked joined graduated majored studied lived stayed waited tried wished "
        "figured felt"
    ).split()
)
"""What the speaker did about it."""
RESULT = rx(
    r"as a result",
    r"in the end",
    r"(?:which|that|this|it) meant",
    r"(?:the|our|my) (?:outcome|result|results|impact|payoff|upshot|end result|net result|net"
    r" effect) (?:was|were|is|are)",
    r"\d+(?:\.\d+)? percent",
    r"(?:by|to) (?:half|a third|a quarter|two thirds|a factor of)",
    r"(?:cut|reduced|increased|improved|grew|boosted|raised|lowered|decreased|shortened|dropped"
    r"|fell|rose|jumped|climbed|saved|sped up|went up|went down|came down|shrank|brought down"
    r"|brought up|took) " + gap(5) + r"(?:by|from|to|down to|up to) (?:about |around |over "
    r"|nearly |almost |roughly |more than |less than |under |just |only )?(?:\$?\d[^ ]*|half"
    r"|a third|a quarter|two thirds|zero|nothing|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|twenty|thirty|forty|fifty|a hundred|hundreds|thousands|a few|a couple)",
    r"(?:doubled|tripled|quadrupled|halved)",
    # "we ended up serving 180 covers", "ended up with": where things landed.
    r"ended up (?:with|[^ .]+ing)",
    r"(?:only|just) (?:lost|cost|took|missed|wasted|had) (?:us )?(?:about |around |roughly )?"
    r"(?:\$?\d|one|two|three|four|five|a few|a couple|a handful)",
    r"(?:led|leading) to",
    r"result(?:ed|ing) in",
    # A bare "that" mid-sentence is a relative clause ("a vendor that kept missing deadlines"):
    # only a sentence-opening "That helped" reports the outcome.
    r"(?:which|(?:(?<!.)|(?<=\. ))that|and that|this) (?:helped|saved|cut|allowed|let|reduced"
    r"|increased|improved|brought|got|made|gave|kept|turned|fixed|solved|stopped|ended)"
    r"(?! [^ .]+ing(?![^ ]))",
    r"(?:the|our|my) (?:client|customer|customers|manager|team|boss|director|stakeholders|users"
    r"|ceo|vp|patients|students) (?:was|were|ended up|became|got|seemed) (?:really |so |very "
    r"|super |extremely |much |a lot )?(?:happy|happier|thrilled|pleased|satisfied|delighted"
    r"|impressed|grateful|on board|back|calmer)",
    r"(?:renewed|re-signed|signed on|stayed with us|came back|kept the account|extended (?:the"
    r"|their) contract)",
    r"(?:got|received|earned|won) (?:promoted|a promotion|an award|the award|great feedback"
    r"|positive feedback|a bonus|recognition|a shout-out|a shoutout|the contract|the deal"
    r"|the account|the client|an a|a thank-you)",
    r"(?:on time|ahead of schedule|under budget|on budget|before the deadline|by the deadline"
    r"|met the deadline|hit the deadline|hit our target|hit the target|met our target"
    r"|exceeded (?:our|the) (?:target|goal|quota)|made the deadline|made our deadline)",
    r"(?:zero|no) (?:more )?(?:complaints|incidents|errors|downtime|outages|escalations|defects"
    r"|missed deadlines|churn)",
    r"(?:since then|from then on|ever since|to this day|still (?:use|uses|used|in use|running)"
    r"|became the standard|became standard|got adopted|was adopted|were adopted"
    r"|rolled (?:it|them) out (?:to|across))",
    r"by the end of (?:the )?(?:quarter|month|year|week|project|sprint|day)",
    r"(?:it|that|this) (?:worked|paid off|did the trick|solved|fixed|made a (?:big |huge |real )?"
    r"difference)",
    r"(?:we|i|they|it) (?:won|beat|exceeded|retained|recovered|passed|closed the|landed|hit)"
    r" (?:the|our|a|an|all|every|it|\d)",
    r"(?:we|i) saved (?:the|us|about|over|around|\$|\d|hours|money|time|the company)",
    r"(?:we|i|it|that|this) (?:kept|retained|protected|avoided|prevented|won back|brought back"
    r"|recovered|stabilized|stabilised|turned around) (?:all|every|the|our|a|an|it|them|\d)",
    r"(?:went|ran|came off) (?:really |very |pretty |super )?(?:smoothly|well|great|fine"
    r"|off without a hitch|without a hitch|to plan)",
    r"(?:was|were|became) (?:a |an )?(?:huge |big |real |total |complete )?(?:success|hit|win)",
    r"(?:were|was|went|dropped|fell|came) (?:down )?(?:to )?(?:basically |almost |nearly "
    r"|practically |effectively |pretty much )?(?:zero|nothing|none)",
    r"(?:did not|never|have not|has not) (?:lose|miss|lost|missed|have|had|get|got|see|seen"
    r"|hear|heard) (?:a single|another|any more|one more|any|a|one) [^ .]+",
    r"(?:finished|delivered|shipped|launched|wrapped up|completed|closed) " + gap(5) + "early",
    r"(?:everyone|everybody|they|he|she|the (?:client|customer|customers|team|users|manager"
    r"|boss)) (?:was|were|ended up|seemed) (?:really |so |very |super )?(?:happy|thrilled"
    r"|pleased|satisfied|delighted|impressed|grateful|relieved)",
    r"(?:hired|offered) me (?:full-time|full time|a job|a permanent|a role|a position)",
    # "ramp time went from four months to under two": a before-and-after is a result.
    r"went (?:down |up )?from " + gap(4) + r"(?:down |up )?to (?:about |around |over |nearly "
    r"|almost |roughly |more than |less than |under |just |only |a )?(?:\$?\d[^ ]*|zero"
    r"|nothing|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|a hundred"
    r"|hundreds|thousands|half|a few|a couple|same-day|next-day)",
    # "Facebook converted three times better", "twice as fast".
    r"(?:\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|several|many) times"
    r" (?:better|faster|higher|bigger|larger|quicker|cheaper|over)",
    r"twice as (?:many|much|fast|quick|quickly|likely|good|well|high|big|often)",
    # "it's now the standard for the whole region": what the change became.
    r"(?:is|are) now (?:the )?(?:standard|default|norm|template|used|in use|part of)",
    # A disagreement story ends on how the other side landed.
    r"(?:thanked|praised|credited|congratulated) (?:me|us|the team)",
    r"(?:he|she|they|everyone|everybody) (?:finally |eventually |ultimately |reluctantly )?"
    r"agreed(?= \.| and | so | we | i |$)",
    # "with a much better conversion rate", "saw fewer tickets": the measure moved.
    r"(?:with|saw|got|had|and) (?:a |an )?(?:much |far |a lot |significantly |noticeably |way )?"
    r"(?:better|higher|lower|faster|fewer|shorter) (?:[^ .]+ )?(?:conversion|retention|rate"
    r"|rates|scores|numbers|sales|revenue|engagement|response times?|wait times?|satisfaction"
    r"|results|tickets|complaints|errors)",
    r"(?:came around|came round|changed (?:her|his|their) mind|agreed with me|we compromised"
    r"|found a (?:middle ground|compromise)|met (?:in the|halfway|half way))",
    r"(?:he|she|they|we|everyone|everybody|both of them|(?:the|my|our) [^ .]+) (?:finally "
    r"|eventually |ultimately |then |both |all |quickly )?(?:agreed (?:to|on)|signed off|said yes"
    r"|approved (?:it|the|my|our)|came on board|got on board|bought in)",
    # "it hasn't happened since", "never came up again": the fix held.
    r"(?:has not|have not|never|did not) (?:happened|happen|come up|came up|recurred|recur"
    r"|broken|broke|failed|fail|gone down|went down|been (?:a|an) (?:problem|issue)) (?:again"
    r"|since)",
    # "we got the scanners back up in two hours": a broken thing working again.
    r"(?:got|had|brought) (?:it|them|everything|things|the [^ .]+|our [^ .]+|the [^ .]+ [^ .]+)"
    r" (?:back up|back online|back on track|working again|running again|up and running"
    r"|back to normal)",
    r"(?:got|shipped|delivered|sent) (?:all (?:the |of the |our )?|every |everything )"
    + gap(2)
    + r"(?:out|done|delivered|shipped|on time|through)",
)
"""What came of it."""


@register("star_structure", "STAR story: situation, action, result")
def star_structure(ctx: CheckContext, params: NoParams) -> CheckResult:
    """The story has situation, task/action and result markers."""
    doc = Doc.of(ctx)
    parts = {
        "situation": doc.find(SITUATION),
        "action": sorted(
            doc.find(ACTION)
            + [h for h in doc.find(ACTION_ED) if h.said.split()[-1] not in _STATIVE],
            key=lambda h: h.start,
        ),
        "result": doc.find(RESULT),
    }
    shown = [
        f"{name}: {_quote(hits[0], 8) if hits else 'none heard'}" for name, hits in parts.items()
    ]
    missing = [name for name, hits in parts.items() if not hits]
    chosen = [hits[0] for hits in parts.values() if hits]
    evidence = "; ".join(shown)
    if not missing:
        return _result("star_structure", "pass", evidence, hits=chosen)
    tips = {
        "situation": "Open with the situation: where you were and what the problem was.",
        "action": 'Say what you did, in the first person: "I decided…", "I built…".',
        "result": 'Finish with the result, ideally a number: "we cut wait times by 30%".',
    }
    return _result("star_structure", "fail", evidence, tips[missing[0]], chosen)


# ---------------------------------------------------------------------------------------------
# names_lesson

INTENT = rx(
    r"(?:next time|the next time|from now on|going forward|moving forward|in (?:the )?future"
    r"|in my next (?:interview|call|one|round)|before (?:my|the|every|each|any) (?:next )?"
    r"(?:interview|call|one)|for (?:my|the) next (?:interview|one|round))",
    r"(?:i will|i am going to|i plan to|i intend to|i need to|i am planning to|i have decided to"
    r"|i have to|i want to|i am gonna|i must|i will make sure to|i will make sure i|i am going to"
    r" make sure (?:to|i)|i will try to|i am definitely going to|i will definitely|i will always"
    r"|i will start|i will be sure to)(?! not)",
    r"(?:my|the) (?:plan|goal|fix|change) (?:is|will be) to",
    r"(?:the|my) (?:big |main |key |biggest |one )?(?:lesson|takeaway|take-away)(?: for me)?"
    r" (?:is|was)",
    r"what i (?:will|would|am going to) do differently",
    r"(?:if i (?:could|did|had|were to) " + gap(6) + r")?i would",
)
"""Where a next-time action may follow."""
DONE_ALREADY = rx(
    r"i have (?:already |now )?(?:booked|scheduled|set up|signed up|started|made|written|bought"
    r"|joined|asked|printed|recorded|blocked|put)"
)
"""A step already taken ("I've booked a mock interview")."""
_ACTIONS = frozenset(
    (
        "prepare practise practice rehearse research read review write jot record time schedule "
        "book bring arrive leave print study ask check plan pause use limit cap structure "
        "outline list memorize memorise map draft send email follow call test find reach "
        "connect log track count build sleep drink eat open answer say mention quantify tailor "
        "slow breathe join sign watch block hire prioritise prioritize bookmark print pack "
        "charge save download install update rewrite reread summarise summarize highlight "
        "label note film video quiz drill prep repeat restate paraphrase confirm"
    ).split()
)
"""Verbs that name an action when they have a real object ("research the team")."""
_SOFT_VERBS = frozenset(
    "do get have take give keep put set learn be try make start turn stop spend go run look".split()
)
"""Verbs that are vague unless their object is a specific thing ("do a mock interview")."""
_ING_FORMS = {"doing": "do", "going": "go", "being": "be", "seeing": "see"}
_VERB_STEMS = {stem(v): v for v in _ACTIONS | _SOFT_VERBS}


def _verb(word: str) -> str | None:
    """The base form of an action verb in base or -ing form ("writing" -> "write"), else None."""
    if word in _ACTIONS or word in _SOFT_VERBS:
        return word
    if word.endswith("ing"):
        return _ING_FORMS.get(word) or _VERB_STEMS.get(stem(word))
    return None


_CLAUSE_STOPS = frozenset(
    "and but or so then because instead which while when if since after unless until".split()
)
_HYPOTHETICAL = re.compile(r"next|again|differently|if i|future|hindsight|instead")
_VAGUE_WORDS = frozenset(
    (
        "for at by from into onto than as how what who where why these those its their "
        "his her each every other another last first better harder well properly it "
        "that this things stuff confidence confident skills skill communication nerves "
        "mindset attitude best lot bit everything "
        "anything something thoroughly carefully again ahead time beforehand interview "
        "interviews next one future them a the my to and on in of with be more really "
        "much very so just about also try trying effort work job improve improvement "
        "prepared ready calm relaxed myself focused focus energy positive positivity "
        "growth grow learn learning lesson lessons experience experiences mistake mistakes "
        "way ways approach general generally overall bigger picture self space head mind "
        # "research the company (more)" is the stock resolution; "its products" is specific.
        "company organisation organization business firm employer "
        "yourself you i me we us our your seriously serious step steps level game up down "
        "out over off all some any that's differently different thing role company's "
        # Hedges: "prepare more, basically" has no object.
        "basically actually honestly probably maybe guess think suppose definitely literally "
        "mostly generally"
    ).split()
)


def _concrete(clause: str, done: bool = False) -> bool:
    """A clause naming a specific action: a verb plus an object beyond vague words.

    DONE marks a step already taken ("I've booked …"): the verb was concrete, so any specific
    object will do.
    """
    words = clause.split()
    if done:
        return any(w not in _VAGUE_WORDS and w != "." for w in words)
    for at, word in enumerate(words):
        verb = _verb(word)
        # "better at answering the questions" names a skill to have, not an action to take.
        if verb is None or (verb != word and at > 0 and words[at - 1] == "at"):
            continue
        rest: list[str] = []
        for following in words[at + 1 :]:
            if following in _CLAUSE_STOPS or following == ".":
                break
            rest.append(following)
        specific = [w for w in rest if w not in _VAGUE_WORDS]
        numbers = [w for w in rest if w[:1].isdigit() or w in _NUMBER_WORDS]
        if numbers and specific:
            return True
        if verb == "be" and rest[:1] and rest[0] in _STATES:
            continue  # "be more prepared for questions" is a wish, however specific the object
        if verb in _SOFT_VERBS and rest[:1] and rest[0] in _QUALITIES:
            continue  # "get better at answering questions" is a wish, not an action
        if verb in _SOFT_VERBS:
            # "do better", "get more confident", "take it seriously" are vague; "do a mock
            # interview", "take notes", "get feedback from a friend" are not.
            if any(w in _SPECIFIC_NOUNS for w in specific):
                return True
        elif specific:
            return True
    return False


_QUALITIES = frozenset(
    "better good stronger clearer sharper faster quicker smoother calmer".split()
)
"""Comparatives that make "get …", "be …" a quality to have rather than a thing to do."""
_STATES = _QUALITIES | frozenset(
    "more less much so really very extra fully well prepared ready calm confident".split()
)
"""Words after "be" that describe a state ("be more prepared", "be ready for")."""
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten fifteen twenty thirty forty fifty "
    "sixty ninety hundred half dozen couple few".split()
)
_SPECIFIC_NOUNS = frozenset(
    (
        "mock notes note feedback copy copies examples example questions question stories "
        "story timer list lists recording recordings star linkedin glassdoor portfolio resume "
        "cv agenda outline outlines friend friends mentor coach minutes minute hour hours "
        "breath pause pauses water breakfast alarm alarms reminder reminders run "
        "runs rehearsal rehearsals sleep numbers metrics figures bullet bullets points "
        "route map directions interviewers team sheet cheat card cards script scripts video "
        "camera demo answers answer pen paper printout laptop charger headset headphones test "
        "trial company product products interviewer panel"
    ).split()
)


_IMPERATIVE_OBJECT = frozenset(
    "a an the my every each some two three four five out up down through more myself with at "
    "both all one".split()
)
_LEADS = frozenset(
    "um uh er so well honestly okay ok definitely probably just first also and".split()
)


def _imperatives(doc: Doc) -> list[Hit]:
    """Elliptical answers to "what will you do differently?": "Prep a one-minute intro."

    A sentence opening with an action verb followed by its object; "Practice makes perfect"
    (verb followed by a verb) is not one.
    """
    out: list[Hit] = []
    at = 0
    for sentence in doc.text.split(" . "):
        words = sentence.split()
        lead = 0
        while lead < len(words) and words[lead] in _LEADS:
            lead += 1
        if (
            lead + 1 < len(words)
            and words[lead] in _ACTIONS | _SOFT_VERBS - {"be"}
            and words[lead + 1] in _IMPERATIVE_OBJECT
        ):
            start = at + sum(len(w) + 1 for w in words[:lead])
            out.append(Hit(doc.covered(start, start), start, start, ""))
        at += len(sentence) + 3
    return out


def lesson_hits(doc: Doc, prompt: str = "") -> tuple[list[Hit], list[Hit]]:
    """(concrete next-time actions, vague intentions) found in the answer.

    "I'd …" is a next-time action when the answer or the PROMPT it replies to is about a
    next time ("If you had that interview again, what would you do differently?").
    """
    concrete: list[Hit] = []
    vague: list[Hit] = []
    marks = [(h, False) for h in doc.find(INTENT) + _imperatives(doc)]
    marks += [(h, True) for h in doc.find(DONE_ALREADY)]
    asked_next_time = bool(_HYPOTHETICAL.search(fold(prompt)))
    for hit, done in sorted(marks, key=lambda m: m[0].start):
        rest = doc.after(hit)
        if (
            hit.said.endswith("i would")
            and not asked_next_time
            and not _HYPOTHETICAL.search(doc.sentence(hit))
        ):
            continue
        whole = Hit(
            doc.covered(hit.start, hit.end + 1 + len(rest)),
            hit.start,
            hit.end + 1 + len(rest),
            f"{hit.said} {rest}",
        )
        (concrete if _concrete(rest, done) else vague).append(whole)
    return concrete, vague


@register("names_lesson", "Concrete lesson named")
def names_lesson(ctx: CheckContext, params: NoParams) -> CheckResult:
    """States a concrete next-time action, not a vague resolution."""
    doc = Doc.of(ctx)
    concrete, vague = lesson_hits(doc, ctx.prompt)
    if concrete:
        return _result(
            "names_lesson", "pass", f"next-time action: {_quote(concrete[0])}", hits=concrete[:1]
        )
    tip = (
        "Name the action and its object: \"Next time I'll write out two STAR stories for each "
        'skill in the job ad."'
    )
    if vague:
        return _result(
            "names_lesson", "fail", f"too vague: {_quote(vague[0])}", tip, vague[:1], "miss"
        )
    return _result("names_lesson", "fail", "no next-time action heard", tip)
