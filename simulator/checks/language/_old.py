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


# ---------------------------------------------------------------------------------------------
# no_profanity

# Whole words only, so "class", "assessment", "Scunthorpe", "cocktail", "Dickens" never match.
# "damn" counts (mild, but not interview language); "hell" only as an exclamation (see below);
# "crap" counts; "bloody" as an intensifier counts (see _INTENSIFIERS); "sucks", "freaking" do not.
SWEARS = frozenset(
    (
        "fuck fucks fucked fucking fuckin fucken fucker fuckers fuckup fuckups fuckwit "
        "motherfucker motherfuckers motherfucking mofo shit shits shitty shitting shitted shite "
        "shitload shitshow shithead shitheads bullshit horseshit dipshit apeshit ass asses arse "
        "asshole assholes arsehole arseholes jackass dumbass smartass badass bitch bitches "
        "bitching bitchy bastard bastards cunt cunts twat twats wanker wankers bollocks "
        "dickhead dickheads cocksucker piss pissed pissing pisses crap crappy damn damned dammit "
        "damnit goddamn goddamned goddamnit wtf stfu omfg fml retard retarded"
    ).split()
)
"""Swear words and their inflections, matched as whole words."""
_NAME_LIKE = frozenset({"dick", "prick"})
_WH = frozenset({"what", "who", "where", "how", "why", "when"})
_CENSORED = re.compile(r"[a-z]*\*+[a-z*]*")
_EMPHASIS = re.compile(r"\*+[a-z]{2,}\*+")


def _is_censored(raw: str) -> bool:
    """Recognisers and people write swear words masked: "f***", "sh*t", "a**hole", "****"."""
    s = fold(raw).strip(" ,.;:!?\"'()[]")
    if "*" not in s or not _CENSORED.fullmatch(s) or _EMPHASIS.fullmatch(s):
        return False
    return s.count("*") >= 2 or bool(re.fullmatch(r"[a-z]+\*+[a-z]+", s))


def _is_swear_hell(toks: Sequence[Token], i: int) -> bool:
    """'hell' as an exclamation ("what the hell", "hell no", "go to hell"), not "a hell of a"."""
    prev = toks[i - 1].norm if i > 0 else ""
    prev2 = toks[i - 2].norm if i > 1 else ""
    nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
    if prev == "the" and (prev2 in _WH or nxt in {"out", "with", "off", "up", "away"}):
        return True
    if nxt in {"no", "yes", "yeah", "nah"} or prev in {"bloody", "like", "as", "to"}:
        return True
    sentence_start = i == 0 or _ends_sentence(toks[i - 1])
    return sentence_start and toks[i].text.rstrip().endswith((",", "!"))


# British swear intensifiers ("the bloody rota", "sodding forms"); the literal, medical sense
# ("a bloody nose", "bloody discharge") and history ("Bloody Sunday") are not swearing.
_INTENSIFIERS = frozenset({"bloody", "sodding"})
_LITERAL_AFTER = frozenset(
    """nose noses stool stools discharge sputum urine vomit diarrhoea diarrhea dressing dressings
    bandage bandages tissue tissues show mucus fluid wound wounds lip lips tap taps cough
    battle battles war wars conflict conflicts history revolution fight fighting fights massacre
    sunday mary marys footprint footprints handprint handprints knife""".split()
)


def _is_swear_intensifier(toks: Sequence[Token], i: int) -> bool:
    """'bloody' before another word that it intensifies, not in its literal sense."""
    if i + 1 >= len(toks) or _ends_sentence(toks[i]):
        return False
    nxt = toks[i + 1]
    return nxt.norm not in _LITERAL_AFTER


def profanities(toks: Sequence[Token]) -> list[Token]:
    """The swear words in the answer, in order."""
    out: list[Token] = []
    for i, tok in enumerate(toks):
        parts = [tok.norm, tok.norm.replace("-", ""), *tok.norm.split("-")]
        if any(p in SWEARS for p in parts) or _is_censored(tok.text):
            out.append(tok)
        elif tok.norm in _NAME_LIKE and tok.text.lstrip("\"'(")[:1].islower():
            out.append(tok)
        elif tok.norm == "hell" and _is_swear_hell(toks, i):
            out.append(tok)
        elif tok.norm in _INTENSIFIERS and _is_swear_intensifier(toks, i):
            out.append(tok)
    return out


@register("no_profanity", "No profanity", general=True)
def no_profanity(ctx: CheckContext, params: NoParams) -> CheckResult:
    """No swear words, censored forms included."""
    toks = tokens(ctx.transcript)
    found = profanities(toks)
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


# ---------------------------------------------------------------------------------------------
# declines_personal_question

_DECLINE = (
    rx(
        r"i would (?:prefer|rather|like) (?:not|to keep|to focus|to stick|to stay|to concentrate"
        r"|to leave|to talk about|to keep the focus|to steer|to get back|to discuss my|to spend"
        r"|to put the focus|to center|to centre)",
        r"i (?:prefer|choose|tend|like) (?:not to|to keep)",
        r"(?:rather|prefer|choose) not (?:to )?(?:say|answer|share|get into|go into|discuss"
        r"|talk about|comment|disclose|bring)",
        r"(?:keep|keeping|kept) " + gap(5) + r"(?:private|separate|personal|out of (?:it|this"
        r"|the|work|my work|the conversation|the interview))",
        r"personal (?:life|matters?|details|information|stuff|side|questions?|business|topic)",
        r"(?:that|it|this) (?:is|feels|seems|sounds) (?:like )?(?:a (?:bit|little) |quite |rather "
        r"|pretty |very |fairly |kind of |sort of )?(?:a )?(?:personal|private|off-limits"
        r"|off limits)",
        r"not (?:really |particularly |directly |actually |all that |that |something that is )?"
        r"(?:relevant|related|pertinent)",
        r"(?:not|how|why|whether|unsure|sure|what) " + gap(4) + r"(?:relevant|pertinent"
        r"|related to (?:the|this|my) (?:job|role|work|position))",
        r"(?:is there|are there) (?:something|anything) (?:specific |particular )?(?:about"
        r"|regarding|in) (?:the|this) (?:role|job|position|schedule)",
        r"(?:keep|keeping) (?:that|it|this|those) to myself",
        r"not (?:something|a question|a topic) i " + gap(3) + r"(?:answer|discuss|share|get into"
        r"|go into|talk about|comment on|address|bring|mention|include|put)",
        # The jokey refusals: "a gentleman never tells", "that's classified".
        r"(?:never|not telling|will not) (?:tells?|reveals?|say)(?= \.|$| but| though| ha)",
        r"(?:that is|it is) (?:classified|top secret|a secret|a mystery|need to know)",
        r"let us just say",
        r"long enough to",
        r"(?:nothing|anything) (?:that )?(?:would|will|could|that would|that will) (?:stop|prevent"
        r"|keep|affect|get in the way|interfere|limit)",
        r"between me and",
        r"(?:that is|it is) (?:my|private|personal) business",
        r"next question",
        r"how (?:is|does|would) (?:that|this|it) (?:relevant|relate|matter|affect)",
        r"(?:does not|do not|will not|would not|has no|have no|will never|would never|should not"
        r"|never) (?:really |in any way |at all )?(?:affect|impact|interfere|change|bear"
        r"|have (?:any )?(?:bearing|impact|effect)|get in the way|play (?:a|any) (?:role|part))",
        r"(?:has|have) (?:nothing|little|no bearing) (?:to do )?(?:with|on)",
        r"what does (?:that|this) have to do with",
        r"(?:what|something) i can (?:tell|say|share|assure|promise)",
        r"i can (?:assure|promise|tell) you",
        r"rest assured",
        r"i am (?:fully |completely |totally |100 percent |a hundred percent |very |really )?"
        r"(?:committed|dedicated|available|flexible|able to (?:commit|travel|meet|work|perform"
        r"|do|handle|give))",
        r"i can (?:fully )?(?:commit|travel|meet|perform|handle|do the job|give)",
        r"my (?:qualifications|skills|experience|background|ability|availability|commitment"
        r"|track record|work history)",
        r"not (?:comfortable|something i (?:discuss|share|talk about|get into|go into))",
        r"i (?:do not|never|would rather not|prefer not to) (?:really |usually |generally "
        r"|typically |tend to |like to )*(?:discuss|share|talk about|get into|go into|comment on"
        r"|answer|bring|mix)",
        r"(?:i will|i am going to|i would|let me|i am gonna) (?:politely |respectfully )?pass",
        r"(?:let us|can we|could we|shall we|i would love to|happy to) (?:focus|get back|move on"
        r"|go back|talk about|stick|return|keep|steer)",
        r"(?:is there|if there is|are there|if there are) (?:a |any )?(?:specific |particular )?"
        r"(?:concern|concerns|worry|worries|requirement|requirements|question about)",
        r"(?:why you are asking|may i ask why|can i ask why|what makes you ask|why do you ask"
        r"|could i ask why|what prompted the question|is there a reason you are asking)",
        r"(?:not|never) (?:allowed|legal|supposed|permitted|appropriate|something you can)"
        r" (?:to ask|for an interview|in an interview|question|to be asked)",
        r"(?:inappropriate|illegal|off-limits|off limits|protected (?:information"
        r"|characteristic))",
        r"(?:authorized|authorised|eligible|legally able|legally allowed) to work",
        r"able to (?:perform|fulfil|fulfill|meet|carry out) (?:all )?(?:the )?(?:essential|job"
        r"|duties|functions|requirements|role|responsibilities)",
        r"(?:keep|maintain) (?:a )?(?:clear |healthy |firm |strict )?(?:separation|boundary"
        r"|boundaries|line)",
        r"(?:leave|keep) (?:that|it|my personal life|my family|my private life|family stuff)"
        r" (?:out of|at home|aside|outside)",
        r"(?:would|will) not (?:be )?(?:an? )?(?:issue|problem|concern|factor)",
        # Answering only the concern behind the question: "the travel is completely fine".
        r"(?:the )?(?:travel|travelling|traveling|late nights|late hours|hours|schedule|overtime"
        r"|launch weeks|launches|evenings|weekends|on-call|on call) "
        + gap(4)
        + r"(?:is|are|would be|will be|should be|sounds?) (?:completely |totally |absolutely "
        r"|perfectly |really |all |honestly )?(?:fine|okay|ok|good|great|no problem|not a problem"
        r"|not an issue|no issue|doable|manageable)",
        r"(?:that|it|this) is not (?:an? )?(?:issue|problem|concern) for me",
        r"old enough to",
        r"(?:i am|i would be) (?:happy|glad) to (?:talk|discuss|answer|speak) (?:about )?"
        r"(?:my|anything|any|how|the|what)",
        # "I don't think my age really matters here", "that shouldn't matter for the role".
        r"(?:i do not|i did not|i never) (?:think|believe|see (?:how|why)|feel) "
        + gap(4)
        + r"(?:matters|matter|is relevant|is important|makes a difference|comes into (?:it|play))",
        # "I'm going to leave that one alone", "I'll skip that one".
        r"(?:leave|let|skip|sit) (?:that|this|it) (?:one |question )?(?:alone|aside|there|be|out)",
        r"(?:i will|i am going to|i would|let me|i am gonna) skip (?:that|this|it)",
        r"(?:does not|do not|should not|would not|will not|should never) (?:really |actually "
        r"|honestly |at all )?(?:matter|factor in|come into (?:it|play)|make a difference)",
    ),
)
"""Declining or redirecting a personal question."""

_AGE_WORD = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_RELIGIONS = (
    r"catholic|christian|muslim|jewish|jew|hindu|buddhist|sikh|mormon|atheist|agnostic|protestant"
    r"|baptist|methodist|lutheran|orthodox|evangelical|religious|spiritual|pagan|jain|quaker"
    r"|anglican|presbyterian|episcopalian|born-again|believer|church-goer|churchgoer"
)
_NATIONALITIES = (
    r"american|canadian|british|irish|indian|chinese|mexican|nigerian|filipino|german|french"
    r"|italian|polish|korean|japanese|vietnamese|brazilian|spanish|pakistani|russian|ukrainian"
    r"|immigrant|green card holder|permanent resident|us citizen|u\.s citizen|citizen"
)
_HEALTH = (
    r"diabetes|epilepsy|adhd|autism|cancer|a disability|disability|depression|anxiety|ms"
    r"|multiple sclerosis|arthritis|asthma|a heart condition|heart condition|back problems"
    r"|a back injury|migraines|chronic [^ .]+|(?:a |any )?(?:health|medical) (?:issue|issues"
    r"|problem|problems|condition|conditions)|a condition|an illness|an injury|bipolar|ptsd|ocd"
    r"|long covid|lupus|crohn's|celiac|a chronic [^ .]+"
)
_DISCLOSE = (
    # Marital status and partners.
    rx(
        r"(?:i am|we are) (?:currently |happily |very happily |still |recently |newly |not |not "
        r"currently |just |also |actually )*(?:married|divorced|widowed|separated|unmarried"
        r"|in a relationship|seeing someone|dating someone|in a long-term relationship)"
        r"(?! to (?:the|any|a|an|this|that|one|my job|my work|my career|our|particular|specific))",
        r"(?:i am|we are) (?:currently |happily |still |recently |just |also |actually |not )*"
        r"engaged(?! (?:in|with|by|on|to (?:the|this|that|a|an)))",
        r"(?:i am|i am not) (?:currently |still |actually |happily )*single(?= (?:\.|and|but|so"
        r"|now|right|at|for|which|with|myself|though|too))",
        r"(?:i am|i am not) (?:currently |still |actually |happily )*single$",
        r"(?:been|got|getting) (?:happily )?(?:married|engaged|divorced)(?! to (?:the|any|a|an"
        r"|this|that|my job))",
        r"our (?:kids|children|son|daughter|sons|daughters|baby|little one|little ones|twins)",
        r"(?:they are|he is|she is|my (?:oldest|youngest|eldest) is)"
        r" (?:only |just |almost |nearly )?(?:\d{1,2}|one|two|three|four|five|six|seven|eight"
        r"|nine|ten|eleven|twelve)"
        r"(?= \.| and| but| so| years| months|$)",
        r"(?:we|i) (?:just |recently |have been |had been |have |got |am getting |are getting "
        r"|are |were |was )+(?:married|engaged|divorced)(?! to (?:the|any|a|an|this|that|my job))",
        # "No, it's just me", "I live on my own": the household answers the family question.
        r"(?:it is|it has been|it is always been) (?:just|only) (?:me|myself|the two of us"
        r"|the three of us|us two)(?! (?:who|that|on|in|doing|working|handling|running))",
        r"i live (?:alone|on my own|by myself|with my (?:partner|husband|wife|boyfriend"
        r"|girlfriend|fiance|fiancee|kids|children|family))",
        r"my (?:husband|wife|spouse|fiance|fiancee|fiancé|fiancée|girlfriend|boyfriend|ex-wife"
        r"|ex-husband|kids|children|son|daughter|sons|daughters|baby|babies|twins|toddler"
        r"|pregnancy|due date|church|mosque|synagogue|temple|diagnosis|condition|disability"
        r"|illness|medication|treatment|therapist|chemo|surgery|birthday|partner and i|partner is"
        r"|kid|little one|little ones|parents came|parents are from|family came|family is from)",
    ),
    # Children, pregnancy, family plans.
    rx(
        r"(?:i|we) (?:do |also |actually |still |already )?(?:have|have got|got|had)"
        r" (?:a |one |two |three |four |five |six |\d+ |no |twin "
        r"|young |grown |little |small |grown-up |adult |two young |three young )(?:kids|children"
        r"|child|kid|son|sons|daughter|daughters|baby|twins|toddler|husband|wife|family"
        r"|grandkids|grandchildren|little ones|boys|girls)",
        r"(?:i|we) (?:do not|did not|never) (?:have|want|plan|intend) (?:to have |on having )?"
        r"(?:any )?(?:kids|children|a family|a baby)",
        r"(?<!whether )(?<!if )no (?:kids|children)",
        r"(?:kids|children|a baby|a family|starting a family) (?:are|is) (?:not )?(?:on the horizon"
        r"|in the (?:plan|plans|cards|picture|future)|planned|a priority|happening|coming"
        r"|something we)",
        # "we're not planning anything soon" answers the family-plans question.
        r"(?:i am|we are) (?:not |definitely not |not really )?(?:planning|trying|hoping for)"
        r" (?:anything|any time soon|on anything)",
        r"(?:planning|hoping|trying|thinking about|plans?|hope|want|intend|wanting|going) (?:to have"
        r"|on having|for|to start|on starting) (?:kids|children|a baby|a family|another|more kids"
        r"|a second)",
        r"(?:i am|we are|she is|my wife is|my partner is) (?:not )?(?:pregnant"
        r"|expecting(?! (?:to|that|the|a|an|you|it|this|him|her|them|some|any|much)))",
        r"i am a (?:mom|mother|dad|father|parent|single mom|single dad|single mother|single father"
        r"|single parent|stay-at-home|grandmother|grandfather|grandparent|caregiver|widow|widower"
        r"|working mom|working mother|working dad|proud mom|proud dad|mom of|dad of|mother of"
        r"|father of)",
        r"as a (?:mom|mother|dad|father|parent|single mom|single dad|mother of|father of"
        r"|working mom|working parent)",
    ),
    # Age.
    rx(
        r"i am (?:\d{2}|" + _AGE_WORD + r")(?: years old| years young)?(?= \.| and| but| so| now"
        r"| this| next|$)",
        r"i am in my (?:early |mid |mid-|late )?(?:twenties|thirties|forties|fifties|sixties"
        r"|20s|30s|40s|50s|60s)",
        r"i was born (?:in )?(?:19|20)\d\d",
        r"i (?:just )?turned (?:\d{2}|" + _AGE_WORD + ")",
        r"(?:\d{2}|" + _AGE_WORD + r") years old",
        r"i am (?:over|under|almost|nearly|about|just over|just under) (?:\d{2}|" + _AGE_WORD + ")",
    ),
    # Religion.
    rx(
        r"i am (?:a |an )?(?:practicing |practising |devout |lapsed |non-practicing |not |not very "
        r"|not particularly |not really |very |quite |pretty )?(?:" + _RELIGIONS + ")",
        r"i (?:go to|attend|went to) (?:church|mass|mosque|synagogue|temple|services|bible study)",
        r"i (?:do not |do )?(?:pray|keep kosher|keep halal|fast during)",
        r"(?:i|we) (?:observe|celebrate|keep) (?:the )?(?:sabbath|shabbat|ramadan|eid|diwali"
        r"|passover|yom kippur|lent)",
    ),
    # Health.
    rx(
        r"i (?:have|have had|had|was diagnosed with|got diagnosed with|suffer from|live with"
        r"|deal with|manage|struggle with) (?:a |an )?(?:mild |chronic |severe |type 1 |type 2 "
        r"|type one |type two )?(?:" + _HEALTH + ")",
        r"i (?:do not|never) have (?:any )?(?:health|medical) (?:issues|problems|conditions)",
        r"i am (?:in )?(?:perfect|good|great|excellent|fine|full) health",
        r"i am (?:perfectly |completely |totally |very |in )?(?:healthy|disabled|diabetic"
        r"|epileptic|deaf|blind|autistic|sick(?! of)|ill|in remission|on medication|recovering"
        r"|cancer-free|a cancer survivor|neurodivergent)",
        r"i (?:take|am on) (?:medication|meds|insulin|antidepressants)",
        r"i (?:had|am having|have) (?:surgery|chemo|chemotherapy|treatment)",
    ),
    # Nationality and origin.
    rx(
        r"i (?:was born|grew up|was raised) (?:in|on)",
        r"my (?:parents|family|folks|mom|dad|mother|father) (?:are|is|were|was|came|come|moved"
        r"|immigrated|emigrated) (?:from|here)",
        r"i (?:immigrated|emigrated|moved here) (?:from|to|when)",
        r"i am (?:a |an )?(?:" + _NATIONALITIES + r")(?! (?:company|team|client|firm|market))",
        r"(?:i have|i hold|i am on|i am here on) (?:a |an )?(?:green card|work visa|visa|h-1b|h1b"
        r"|passport|citizenship)",
        r"(?:my )?(?:native|first) language is",
    ),
)
"""Disclosures: answering the personal question instead of declining it."""
ORIGIN = rx(r"i am (?:originally )?from " + W)
"""'I'm from Ohio' (checked for a capitalised place, so "I'm from the data team" does not count)."""
_SHORT_ANSWER = frozenset({"yes", "yeah", "yep", "yup", "no", "nope", "nah", "correct"})
_OPENERS = frozenset(
    "um uh er erm ah oh well so honestly ha haha hmm okay ok look actually".split()
)
_CLAUSE_END = (",", ".", "!", ";", "?", "-", "—", "…")
_AFFIRM_CLAUSE = re.compile(r"^(?:i|we) (?:am|are|do|have)(?: not)?(?: \.| but| and| so|$)")
_REFUSAL = re.compile(
    r"^(?:i would (?:rather|prefer) not|i prefer not|i (?:am not|will not) (?:going to |gonna )?"
    r"(?:answer|say|share|get into|discuss)|i (?:will|am going to) pass|i do not (?:answer|discuss"
    r"|share)|(?:that is|it is) (?:private|personal|none of)|not (?:going to|gonna) (?:answer|say"
    r"|share))"
)
_NOT_NOW = re.compile(
    r"^(?:not (?:at the moment|yet|right now|currently|at this point|for now|anymore|any more"
    r"|at present|these days|at this time)|no plans(?: yet| right now| at the moment)?"
    r"|never have)(?= |$)"
)
_ELABORATION = re.compile(
    r"^(?:but|and|so|not yet|not really|not at all|never|not currently|one|two|three|four"
    r"|a couple|happily|just|actually|recently|for|since|still|twice|once|of course|definitely"
    r"|absolutely|sadly|unfortunately|thankfully|luckily|hopefully)(?: |$)"
    r"|^(?:i|we) (?:am|are|do|have)(?: not)?(?: \.| but| and| so|$)"
)


def _not_hypothetical(doc: Doc, hit: Hit) -> bool:
    """'whether I'm married', 'if I have kids', 'about my kids?' ask rather than disclose."""
    return not set(doc.before(hit, 3)) & {"whether", "if", "about", "regarding", "asking"}


def _short_answer(doc: Doc) -> Hit | None:
    """A bare "Yes, but…", "No, not yet" or "I am, but…" opening: the question was answered.

    "No, I'd rather not say" and "Yes, I understand why you ask, but…" answer nothing.
    """
    toks = doc.toks
    i = 0
    while i < len(toks) and toks[i].norm in _OPENERS:
        i += 1
    if i >= len(toks):
        return None
    head = doc.text[doc.offset(i) :]
    if toks[i].norm in _SHORT_ANSWER:
        raw = toks[i].text.rstrip("\"')]")
        if i + 1 < len(toks) and not raw.endswith(_CLAUSE_END):
            return None
        rest = head.split(" ", 1)[1].lstrip(". ") if " " in head else ""
        # "No. Next question?" answered, then dismissed; "No. I'd rather not say." refused.
        stopped = raw.endswith((".", "!", "?", ";"))
        if not rest or _ELABORATION.match(rest) or (stopped and not _REFUSAL.match(rest)):
            return Hit((toks[i],), 0, 0, toks[i].norm)
        return None
    m = _AFFIRM_CLAUSE.match(head) or _NOT_NOW.match(head)
    if m:
        return Hit(tuple(toks[i : i + len(m.group(0).split())]), 0, 0, m.group(0))
    return None


def disclosures(doc: Doc) -> list[Hit]:
    """What the answer gives away about marriage, family, age, religion, health or origin."""
    hits = _find_all(doc, _DISCLOSE, lambda h: _not_hypothetical(doc, h))
    for hit in doc.find(ORIGIN):
        place = hit.toks[-1].text.lstrip("\"'(")
        if place[:1].isupper() and _not_hypothetical(doc, hit):
            hits.append(hit)
    short = _short_answer(doc)
    if short is not None:
        hits.insert(0, short)
    return sorted(hits, key=lambda h: h.start)


@register("declines_personal_question", "Personal question declined")
def declines_personal_question(ctx: CheckContext, params: NoParams) -> CheckResult:
    """A personal question is declined or redirected without disclosing the answer."""
    doc = Doc.of(ctx)
    told = disclosures(doc)
    if told:
        return _result(
            "declines_personal_question",
            "fail",
            f"disclosed: {_quotes(told, 2)}",
            "You don't owe this answer: \"I keep my personal life separate; what I can tell you "
            "is that I'm fully committed to this role.\"",
            told,
            "miss",
        )
    declines = _find_all(doc, _DECLINE)
    if declines:
        return _result(
            "declines_personal_question",
            "pass",
            f"declined: {_quote(declines[0])}",
            hits=declines[:1],
        )
    return _result(
        "declines_personal_question",
        "fail",
        "neither declined nor redirected the question",
        "Decline and redirect in one breath: \"I'd rather keep the focus on the role: what I can "
        'tell you is…"',
    )


# ---------------------------------------------------------------------------------------------
# takes_responsibility

_ADVERBS = (
    r"(?:(?:kind of|sort of|totally|completely|just|basically|really|honestly|definitely"
    r"|clearly|probably|pretty much|simply|also|then|absolutely|badly|seriously) )*"
)
_OWN = rx(
    r"(?:that|this|it) (?:one )?(?:is|was) (?:all |entirely |completely |totally |squarely |really "
    r"|honestly |fully )?on me",
    r"on me entirely",
    r"i (?:fully |completely |totally )?(?:take|accept|am taking|will take|have to take"
    r"|need to take|want to take|do take|own|take full)"
    r" (?:full |complete |total |all |the |100 percent |a hundred percent |my share of |some "
    r"|responsibility |ownership )*(?:responsibility|ownership|the blame|blame|accountability)",
    r"my (?:fault|mistake|mistakes|bad|error|blunder|misstep|oversight|own doing|responsibility)",
    r"(?:nobody's|no one's) (?:fault|mistake) but (?:mine|my own)",
    r"(?:fault|mistake|blame) (?:is|was) (?:all |entirely |completely )?mine",
    r"(?:was|is) (?:entirely |completely |totally |all |squarely )?on my (?:end|side|part)",
    r"i own (?:that|it|this|the|my|up)",
    r"owning (?:that|it|up)",
    r"i hold myself (?:accountable|responsible)",
    r"(?:i am|i will be) (?:fully )?accountable",
    r"i blame (?:myself|no one but myself|nobody but myself)",
    r"i should (?:not )?have(?! been (?:told|given|informed|warned|sent|notified|briefed|asked"
    r"|offered|contacted|called|included|emailed))",
    r"i (?:dropped|fumbled) the ball",
    r"i " + _ADVERBS + r"(?:messed|screwed|mucked|slipped|fouled) (?:it |that |things )?up",
    r"i " + _ADVERBS + r"(?:blew|botched|bombed|fumbled|flubbed|tanked) (?:it|that|the|my)",
    r"i made (?:a |an |some |several |a couple of |a few |a big |a real |a bad |a rookie )?"
    r"(?:mistake|mistakes|error|errors|mess|misjudgment|bad call|poor choice|wrong call)",
    r"(?:no excuses|not (?:going|trying) to make (?:any )?excuses|i (?:will not|am not going to)"
    r" make (?:any )?excuses|that is no excuse|there is no excuse)",
    r"(?:lesson (?:for me|learned)|i need to (?:do|be|prepare|get) better)",
    r"i (?:could|can) have (?:done|prepared|been|handled|answered) (?:it |that |things )?"
    r"(?:better|more|differently)",
    # "I'm sorry you feel that way" and "sorry to hear" are not apologies.
    r"i am (?:really |so |truly |very |deeply )?sorry(?! (?:you|if you|that you|to hear|to bother"
    r"|but|to say))",
    r"i (?:just |really )?(?:want to |wanted to |would like to |have to |need to |must )?"
    r"(?:apologize|apologise)(?! if you)",
)
"""Owning the mistake."""
_SELF_FACT = rx(
    r"i (?:was not|was|got)"
    r" (?:as |well |fully |really |that |a bit |a little |way |too |so |super |pretty |very "
    r"|extremely |incredibly |kind of |sort of |quite |(?:about |around |nearly |almost |over )?"
    r"(?:\d+|[^ .]+) (?:minutes|mins|hours) |an hour |half an hour )*(?:prepared|ready|unprepared"
    r"|underprepared|late|nervous|disorganized|scattered|flustered|long-winded|rambling|off"
    r"|vague|defensive|short|curt|rude|distracted|tired|on time|on my game)",
    r"i (?:talked|spoke|went|answered|rushed|rambled) (?:way |far |much |a bit |a little )?"
    r"(?:too )?(?:fast|much|long|quickly|on|off topic)",
    r"(?:i am|i have been|i was) (?:honestly |really )?(?:kicking myself|beating myself up)",
    r"i (?:showed up|went in|came in|got there|arrived|turned up|dialed in|logged on|joined)"
    r" (?:really |a bit |pretty |totally |completely |way |an hour |\d+ minutes |[^ .]+ minutes )?"
    r"(?:underprepared|unprepared|late|flustered|nervous|tired|distracted)",
    r"i (?:did not|had not|have not|could not|could not really) (?:prepare|research|practise"
    r"|practice|read|check|leave|allow|plan|ask|know|have|answer|give|bring|review|do|follow"
    r"|listen|get|look|explain|handle|think|show|remember|manage|keep|stay|find)",
    r"i "
    + _ADVERBS
    + r"(?:underestimated|overestimated|misjudged|misread|misunderstood|forgot|lost track|froze"
    r"|blanked|panicked|rambled|stumbled|struggled|ran out of time|went over time|talked too much"
    r"|went off on|overslept|missed|fumbled|mixed up|confused|assumed|went blank|got lost"
    r"|lost my train|got tongue-tied|overran|got the time wrong|went too long|took too long)",
)
"""Stating one's own part of what went wrong."""
_EVENT_FACT = rx(
    r"(?:the interview|it|the call|the technical (?:round|part|section|interview|questions)|the "
    r"meeting|things|the panel|the second round|the first round|the case study|the presentation"
    r"|the whole thing|that one) (?:did not go|went|was not|really did not go|honestly did not go)"
    r" (?:well|great|badly|poorly|as (?:planned|hoped|expected|well as)|so well|very well|wrong"
    r"|sideways|the way i|south|off the rails)",
    r"(?:started|ran|began) (?:\d+|ten|five|fifteen|twenty|thirty) minutes late",
    r"(?:there was|we had) (?:a|an|some) (?:mix-up|mixup|misunderstanding|miscommunication"
    r"|technical (?:issue|problem|glitch)|problem|issue|delay|glitch|scheduling (?:issue|mix-up))",
)
"""A neutral account of what happened."""
_FAULT = rx(
    r"(?:not|never|none of (?:it|this|that) (?:was|is)) (?:really |entirely |exactly |totally "
    r"|actually |at all |even |remotely )?my fault",
    # "the recruiter's fault", "their fault"; not "nobody's fault but mine".
    r"(?:(?:the|their|his|her|your) )?(?!nobody's|anybody's|anyone's|no one's)[^ .]+'s"
    r" (?:fault|mistake|screw-up|screwup)(?! but (?:mine|me|my))",
    r"(?:their|his|her|your) (?:fault|mistake|screw-up|screwup)",
    r"(?:fault|mistake) (?:was|is) (?:entirely |all |really )?(?:theirs|his|hers|yours)",
    r"(?:blame|blaming) (?:the|them|him|her|you|traffic|the traffic|my (?:alarm|car|train"
    r"|manager|boss|commute)|whoever)",
    r"(?:was|is) (?:all |entirely |completely )?on (?:your|their|his|her|[^ .]+'s) (?:end|side)",
    r"(?:i am not|i refuse to|i will not|i am not going to) (?:going to )?(?:take|accept|taking"
    r"|be taking) (?:the )?(?:blame|responsibility|the fall)",
)
"""'Fault'-style blame: fails even with ownership alongside."""
_OTHERS = (
    r"(?:the interviewers?|the panel|the hiring manager|the manager|the recruiter|he|she|they"
    r"|the guy|the lady|the woman|the man|the company|the team|hr|you|you guys|nobody|no one"
    r"|the other guy|the director|the ceo|the vp|the lead|the engineer|the engineers|their team"
    r"|the tech lead|the second interviewer|one of them|both of them|the receptionist"
    r"|reception|security|the front desk|the person asking|the guy asking (?:it|the question))"
)
_THEIR_THINGS = (
    r"(?:the|their|his|her|your) (?:questions?|format|directions|instructions|brief|process"
    r"|setup|set-up|scheduling|organisation|organization|software|platform|video (?:link"
    r"|software|call|platform)|tech|technology|room|building|signage|case study|test|task"
    r"|wording)"
)
_ACCUSE = rx(
    _OTHERS + r" (?:was|were|is|are|kept|had been|seemed|came across as|acted) (?:so |really |very "
    r"|pretty |super |incredibly |extremely |totally |just |kind of |a bit |quite |being |clearly "
    r"|honestly |completely |such |like )*(?:rude|unprofessional|dismissive|condescending|hostile"
    r"|disorganized|unprepared|unclear|vague|terrible|awful|horrible|arrogant|cold|mean"
    r"|biased|unfair|ridiculous|a jerk|jerks|interrupting|checked out|distracted|on (?:his|her"
    r"|their) phones?|not listening|impossible|useless|incompetent|clueless|a nightmare|hostile"
    r"|out to get me|rushing me|talking over me|cutting me off|late)",
    # The setting criticised: "their directions were terrible", "the question was badly worded".
    # A short relative clause may come between: "the directions you sent were wrong".
    _THEIR_THINGS
    + r" (?:(?:you|they|he|she) (?:[^ .]+ ){1,2})?(?:was|were|is|are) "
    + _ADVERBS
    + r"(?:so |very |pretty |super |a bit |kind of |just |completely |totally )*(?:(?:badly"
    r"|poorly|terribly|awfully) (?:worded|written|organi[sz]ed|explained|designed|run|set up"
    r"|communicated|planned|signposted)|terrible|awful|horrible|confusing|unclear|vague"
    r"|misleading|ridiculous|unfair|impossible|a mess|a joke|useless|wrong|incorrect|outdated"
    r"|out of date)",
    # What they did to the speaker: "the guy asking it mumbled", "sent me to the wrong floor".
    _OTHERS + r" " + gap(2) + r"(?:mumbled|muttered|spoke too fast|talked too fast|talked over me"
    r"|kept interrupting|interrupted me|cut me off|rushed me|ignored me"
    r"|(?:sent|directed|pointed|gave) me (?:to )?(?:the )?wrong)",
    _OTHERS + r" (?:never|did not|failed to|forgot to|neglected to|could not be bothered to"
    r"|did not even|never even|did not bother to) (?:tell|send|give|warn|let|mention|explain"
    r"|prepare|inform|say|share|bother|read|look|listen|follow|brief|reply|respond|show)",
    _OTHERS + r" (?:never|also never) (?:even )?(?:told|sent|gave|warned|let|mentioned|explained"
    r"|prepared|informed|said|shared|bothered|read|looked|listened|followed|briefed|replied"
    r"|responded|showed|got back|called|confirmed|asked)",
    r"(?:nobody|no one) (?:ever |even |actually )?(?:told|warned|mentioned|said|explained"
    r"|informed|briefed|sent|gave)",
    # "they changed the format on me", "sprang a live coding test on me".
    r"(?<!i )(?:changed|sprang|sprung|dropped|threw|pulled|switched) " + gap(3) + r"on me",
    r"(?:i was|we were) (?:never|not) (?:told|given|informed|warned|sent|briefed)",
    r"i should have been (?:told|given|informed|warned|sent|notified|briefed)",
    _OTHERS + r" should have (?:told|sent|given|warned|mentioned|explained|let|said|prepared"
    r"|briefed|known|informed)",
    r"(?:traffic|the traffic|the train|the bus|my alarm|the weather|the wifi|the internet|zoom"
    r"|the link|the subway|the metro|parking|the app|the directions|the trains)"
    r" (?:made me|caused|was to blame|is to blame|held me up|kept me|ruined|messed)",
    r"(?:set me up to fail|set up to fail|a set-up|a setup|a waste of (?:my )?time|wasted my time"
    r"|had it in for me|it was rigged|unfair to me|not fair to me|trick questions"
    r"|(?:were|was) (?:unfair|ridiculous|impossible|a joke|absurd))",
    r"(?:because of|thanks to|due to) (?:them|him|her|the interviewer|the recruiter|their|his|your"
    r"|you)",
    # Excuses that put the cause out of reach.
    r"(?:there was |there is )?(?:nothing|not much|not a lot|little) (?:else )?i could (?:have )?"
    r"(?:do|done)",
    r"(?:out of|beyond|outside (?:of )?) my (?:control|hands)",
    r"(?:that|this|it) (?:is|was) (?:just |totally |completely |frankly |honestly |kind of )?"
    r"(?:ridiculous|absurd|insane|a joke|unfair|unreasonable|outrageous)",
)
"""Blaming someone else's conduct: fails unless the answer also owns its part."""
_SARCASM = frozenset({"sure", "obviously", "apparently", "guess", "right", "course", "clearly"})


def _not_negated(doc: Doc, hit: Hit) -> bool:
    """'I'm not going to blame the traffic' refuses to blame."""
    return hit.said.startswith("not") or not set(doc.before(hit, 4)) & _NEGATIONS


_NEGATIONS = frozenset({"not", "never", "cannot", "refuse"})


def _sincere(doc: Doc, hit: Hit) -> bool:
    """'Sure, it's all my fault' is sarcasm and "I could've prepared more, sure, but…" a
    concession before the complaint, not ownership."""
    before = doc.before(hit, 4)
    if set(before) & _SARCASM and "all" in before + hit.said.split():
        return False
    if set(before) & {"sure", "obviously", "apparently"} and "my fault" in hit.said:
        return False
    return not _CONCESSION.match(doc.text[hit.end :])


_CONCESSION = re.compile(r" (?:[^ .]+ ){0,2}?(?:sure|i guess|whatever|fine|okay|yeah) but ")


@register("takes_responsibility", "Takes responsibility")
def takes_responsibility(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Owns the mistake, or states the facts without blaming anyone.

    Mixed answers: 'fault'-style blame ("it wasn't my fault", "it was the recruiter's fault")
    fails even next to an apology; complaints about others ("the interviewer was rude", "they
    didn't tell me") pass only when the answer also owns its part ("…but I should have asked").
    """
    doc = Doc.of(ctx)
    fault = _find_all(doc, [_FAULT], lambda h: _not_negated(doc, h))
    owned = _find_all(doc, [_OWN], lambda h: _sincere(doc, h))
    accused = _find_all(doc, [_ACCUSE])
    facts = _find_all(doc, [_SELF_FACT, _EVENT_FACT])
    tip_blame = 'Own your part first ("I should have asked about the format"), then any context.'
    if fault:
        return _result(
            "takes_responsibility", "fail", f"blame: {_quotes(fault, 2)}", tip_blame, fault, "miss"
        )
    if accused and not owned:
        return _result(
            "takes_responsibility",
            "fail",
            f"blame: {_quotes(accused, 2)}",
            tip_blame,
            accused,
            "miss",
        )
    if owned:
        return _result(
            "takes_responsibility", "pass", f"owned it: {_quote(owned[0])}", hits=owned[:1]
        )
    if facts:
        return _result(
            "takes_responsibility", "pass", f"stated the facts: {_quote(facts[0])}", hits=facts[:1]
        )
    return _result(
        "takes_responsibility",
        "fail",
        "didn't say what went wrong or own any part of it",
        'Say what happened and your part in it: "I was late, and that\'s on me."',
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
