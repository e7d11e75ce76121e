"""Contact checks: the answer says who you are and how to reach you (name, number, email, role)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from audio.transcript import Transcript, Verification
from audio.verify import Expectations
from simulator.checks.base import CheckContext, CheckResult, NoParams, Span
from simulator.checks.lexicon import HESITATIONS
from simulator.checks.names import NameHit, find_name, letters
from simulator.checks.registry import register
from simulator.checks.spoken_numbers import (
    PhoneMention,
    digit_runs,
    find_phone_mentions,
)
from simulator.checks.text import Token, fmt_time, fold, quote, span, stem, tokens
from simulator.errors import UserError
from simulator.profile import Profile, parse_phone

__all__ = ["PhoneMention", "audio_expectations", "find_phone_mentions", "phone_mentions_of"]

_NOTHING_HEARD = "Nothing was heard in this answer."


def _skip(check_id: str, field: str, example: str) -> CheckResult:
    return CheckResult(
        check_id,
        "skipped",
        f"Your profile has no {field}, so there is nothing to compare with.",
        f"Add it with: mockcall profile --{field} {example}",
    )


# ----------------------------------------------------------------------------------------- name


def _full_name_sayings(toks: Sequence[Token], name: str) -> list[tuple[NameHit, ...]]:
    """Each time the full name is said as the speaker's own: together, or first and cued last."""
    hits = [h for h in find_name(toks, name) if not h.someone_else]
    full: list[tuple[NameHit, ...]] = [(h,) for h in hits if h.kind == "full"]
    if full:
        return full
    firsts = [h for h in hits if h.kind == "first"]
    lasts = [h for h in hits if h.kind == "last"]
    if firsts and lasts:
        # "Hi, it's Jordan … my last name is Rivera, R-I-V-E-R-A": both parts, said apart, once.
        return [(firsts[0], lasts[0])]
    return []


@register("says_name", "Full name said", needs={"name"}, short="name")
def says_name(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Pass when the profile's first and last name are said as the speaker's own."""
    name = ctx.profile.name.strip()
    if not name:
        return _skip("says_name", "name", '"Jordan Rivera"')
    toks = tokens(ctx.transcript)
    if not toks:
        return CheckResult("says_name", "fail", _NOTHING_HEARD, f'Start with "This is {name}."')
    hits = find_name(toks, name)
    sayings = _full_name_sayings(toks, name)
    if sayings:
        parts = [h for saying in sayings[:2] for h in saying]
        said = " and ".join(quote(toks[h.first : h.last + 1]) for h in parts)
        return CheckResult(
            "says_name",
            "pass",
            f"Heard {said}.",
            "",
            spans=tuple(span(toks[h.first : h.last + 1]) for saying in sayings for h in saying),
        )
    first_name = name.split()[0]
    tip = f'Say your first AND last name, slowly: "This is {name}."'
    own_first = [h for h in hits if h.kind == "first" and not h.someone_else]
    others = [h for h in hits if h.someone_else or h.kind == "other"]
    if own_first:
        said = quote(toks[own_first[0].first : own_first[0].last + 1])
        evidence = f"Heard only your first name: {said}; no last name."
        spans = tuple(span(toks[h.first : h.last + 1], "miss") for h in own_first)
        return CheckResult("says_name", "fail", evidence, tip, spans=spans)
    if others:
        said = quote(toks[others[0].first : others[0].last + 1])
        evidence = f"Heard {said}, which is someone else's name, not yours ({name})."
        spans = tuple(span(toks[h.first : h.last + 1], "miss") for h in others)
        return CheckResult("says_name", "fail", evidence, tip, spans=spans)
    lasts = [h for h in hits if h.kind == "last"]
    if lasts:
        said = quote(toks[lasts[0].first : lasts[0].last + 1])
        evidence = f"Heard only your last name: {said}; no first name ({first_name})."
        return CheckResult("says_name", "fail", evidence, tip)
    return CheckResult("says_name", "fail", f"Your name ({name}) was not heard.", tip)


# ---------------------------------------------------------------------------------------- phone


@dataclass(frozen=True)
class _ProfilePhone:
    """The profile number as the phone checks need it."""

    digits: str
    """National significant number, e.g. "6175550142" or "2079460958"."""
    national: str
    """The number as people say it at home, in digit groups: "617 555 0142", "020 7946 0958"."""
    groups: tuple[int, ...]
    """Sizes of the digit groups of the national significant number, e.g. (3, 3, 4)."""
    prefixes: tuple[str, ...]
    """Digits that may be said before it: country code, trunk prefix ("1", "44", "440", "0")."""
    trunk: str
    """The national trunk prefix said before the number at home ("0" in the UK), or ""."""

    @property
    def said_digits(self) -> str:
        """The digits of the number as said at home, trunk prefix included: "02079460958"."""
        return "".join(self.national.split())

    def show_said(self, digits: str) -> str:
        """DIGITS (as said at home) grouped like the national number: "020 7946 0959"."""
        out: list[str] = []
        at = 0
        for group in self.national.split():
            if at >= len(digits):
                break
            out.append(digits[at : at + len(group)])
            at += len(group)
        return " ".join(out + ([digits[at:]] if at < len(digits) else []))

    def show_with(self, prefix: str, digits: str) -> str:
        """DIGITS grouped, after the PREFIX said before them: "020 7946 095", "1 617 555 014"."""
        if not prefix:
            return self.show(digits)
        if prefix == self.trunk:
            return prefix + self.show(digits)
        return f"{prefix} {self.show(digits)}"

    def show(self, digits: str) -> str:
        """DIGITS grouped like the profile number: "617555014" -> "617 555 014".

        A heard tail of the number ("5550142", area code missing) is grouped from the right.
        """
        if len(digits) < len(self.digits) and self.digits.endswith(digits):
            tail: list[str] = []
            end = len(digits)
            for size in reversed(self.groups):
                if end <= 0:
                    break
                tail.append(digits[max(0, end - size) : end])
                end -= size
            return " ".join(reversed(tail))
        out: list[str] = []
        at = 0
        for size in self.groups:
            if at >= len(digits):
                break
            out.append(digits[at : at + size])
            at += size
        if at < len(digits):
            out.append(digits[at:])
        return " ".join(out)


def audio_expectations(profile: Profile) -> Expectations:
    """What the transcriber should check against the audio: the profile's name and number."""
    phone = _phone_of(profile)
    if isinstance(phone, _ProfilePhone):
        # The number as said at home, trunk prefix included ("020 7946 0958", "617 555 0142").
        groups = tuple(len(g) for g in phone.national.split())
        return Expectations(profile.name.strip(), phone.said_digits, groups)
    return Expectations(profile.name.strip())


def _profile_phone(ctx: CheckContext) -> _ProfilePhone | CheckResult | None:
    """The parsed profile number; None when there is none; a skipped result when invalid."""
    return _phone_of(ctx.profile)


def _phone_of(profile: Profile) -> _ProfilePhone | CheckResult | None:
    if not profile.phone.strip():
        return None
    try:
        number = parse_phone(profile.phone, profile.region or "US")
    except UserError as exc:
        fix = "Fix it with: mockcall profile --phone"
        return CheckResult("says_phone", "skipped", str(exc), fix)
    digits = phonenumbers.national_significant_number(number)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    groups = [len(g) for g in re.findall(r"\d+", international)][1:]
    if sum(groups) != len(digits):
        groups = [len(digits)]
    national = " ".join(
        re.findall(
            r"\d+", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        )
    )
    country = str(number.country_code)
    # The country's main region: fictional ranges (UK 07700 900xxx) have no region of their own.
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    trunk = (metadata.national_prefix or "") if metadata is not None else ""
    prefixes = tuple(dict.fromkeys(p for p in (country + trunk, country, trunk) if p))
    # Where the trunk prefix is the country code (US "1"), it reads as a country code.
    home_trunk = trunk if trunk != country else ""
    return _ProfilePhone(digits, national or digits, tuple(groups), prefixes, home_trunk)


def phone_mentions_of(
    transcript: Transcript, digits: str, prefixes: Sequence[str] = ()
) -> list[PhoneMention]:
    """Every complete saying of DIGITS in the answer (non-overlapping, in order).

    A country code or trunk prefix from PREFIXES said just before the number is part of it.
    """
    if not digits:
        return []
    return [
        occurrence
        for mention in find_phone_mentions(transcript, min_digits=len(digits))
        for occurrence in mention.occurrences(digits, prefixes)
    ]


@dataclass(frozen=True)
class _Attempt:
    """A heard number that is close to, but not, the profile's."""

    digits: str
    """The heard digits compared with the national number."""
    prefix: str
    """A country code or trunk prefix said before them ("" if none)."""
    words: list[Token]
    """The words heard, prefix included."""
    distance: int
    """Edit distance from the profile's national number."""


def _describe_difference(heard: str, expected: str) -> str:
    """How a near-miss number differs from the profile's, in words."""
    if len(heard) < len(expected):
        short = len(expected) - len(heard)
        if expected.endswith(heard):
            return f"missing the first {short} digit{'s' if short > 1 else ''} (area code?)"
        return "one digit short" if short == 1 else f"{short} digits short"
    if len(heard) > len(expected):
        extra = len(heard) - len(expected)
        return "one digit too many" if extra == 1 else f"{extra} digits too many"
    wrong = [i for i in range(len(heard)) if heard[i] != expected[i]]
    if len(wrong) == 1:
        i = wrong[0]
        return f"one digit differs (heard {heard[i]} where your number has {expected[i]})"
    return f"{len(wrong)} digits differ"


def _closest_attempt(toks: Sequence[Token], phone: _ProfilePhone) -> _Attempt | None:
    """The heard digit stretch nearest the profile number, or None when no run is long enough."""
    best: _Attempt | None = None
    expected = phone.digits
    n = len(expected)
    for run in digit_runs(toks):
        if len(run.digits) < 5:
            continue
        for size in range(max(4, n - 3), n + 3):
            for lo in range(0, max(1, len(run.digits) - size + 1)):
                # A run shorter than the window (a number cut off mid-way) is compared whole.
                hi = min(lo + size, len(run.digits))
                if run.digits[lo:hi] == expected:
                    # The number itself, spoilt by digits glued on: compare the whole glued stretch.
                    lo, hi = _glued_stretch(run.breaks, lo, hi)
                window = run.digits[lo:hi]
                # A country code or trunk prefix said just before is quoted as part of the attempt.
                said = next(
                    (
                        p
                        for p in phone.prefixes
                        if lo >= len(p) and run.digits[lo - len(p) : lo] == p
                    ),
                    "",
                )
                if said == "" and any(window.startswith(p + expected[:3]) for p in phone.prefixes):
                    said = next(p for p in phone.prefixes if window.startswith(p + expected[:3]))
                    lo += len(said)
                    window = run.digits[lo:hi]
                dist = Levenshtein.distance(window, expected)
                if best is not None and (dist, -len(window)) >= (best.distance, -len(best.digits)):
                    continue
                first = run.owners[lo - len(said)]
                last = run.owners[hi - 1]
                best = _Attempt(window, said, list(toks[first : last + 1]), dist)
    return best


def _glued_stretch(breaks: Sequence[bool], lo: int, hi: int) -> tuple[int, int]:
    """Widen digits[lo:hi] to the pause-free stretch around it."""
    while lo > 0 and not breaks[lo]:
        lo -= 1
    while hi < len(breaks) and not breaks[hi]:
        hi += 1
    return lo, hi


def _longest_number(toks: Sequence[Token]) -> tuple[str, list[Token]] | None:
    runs = [r for r in digit_runs(toks) if len(r.digits) >= 7]
    if not runs:
        return None
    run = max(runs, key=lambda r: len(r.digits))
    return run.digits, list(toks[min(run.owners) : max(run.owners) + 1])


def _verifications(ctx: CheckContext, kind: str) -> list[Verification]:
    """What the transcriber found when it checked the profile's KIND against the audio."""
    return [v for v in ctx.transcript.verified if v.kind == kind]


def _during(ctx: CheckContext, v: Verification) -> list[Token]:
    """The transcript's words in the stretch a verification tested."""
    return [
        t
        for t in tokens(ctx.transcript)
        if t.start is not None
        and t.end is not None
        and t.end > v.start - 0.05
        and t.start < v.end + 0.05
    ]


def _contradicted(
    ctx: CheckContext, first_word: int, last_word: int, kind: str, digits: str = ""
) -> Verification | None:
    """The verification that found a rival clearly ahead where the transcript says the profile's.

    For a number (DIGITS given) only a rival of the same length counts: a transcript that
    heard every digit is not overruled by a shorter reading.
    """
    words = ctx.transcript.words
    start, end = words[first_word].start, words[last_word].end
    for v in _verifications(ctx, kind):
        if digits and len(v.rival) != len(digits):
            continue
        if v.decision == "not_said" and v.start < end + 0.5 and start < v.end + 0.5:
            return v
    return None


def _unsettled(
    check_id: str, evidence: str, tip: str, v: Verification, words: list[Token]
) -> CheckResult:
    """A result that claims neither pass nor miss: listen back to the moment at v.start."""
    spans = (span(words, "miss"),) if words else ()
    return CheckResult(check_id, "skipped", evidence, tip, spans=spans, unsettled_at=v.start)


@register("says_phone", "Callback number said", needs={"phone"}, short="number")
def says_phone(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Pass when the profile's phone number is said completely, in any spoken form."""
    phone = _profile_phone(ctx)
    if phone is None:
        return _skip("says_phone", "phone", '"617 555 0142"')
    if isinstance(phone, CheckResult):
        return phone
    toks = tokens(ctx.transcript)
    shown = phone.national
    tip = f'Say your callback number slowly, in groups: "{shown}", and repeat it at the end.'
    if not toks:
        return CheckResult("says_phone", "fail", _NOTHING_HEARD, tip)
    mentions = phone_mentions_of(ctx.transcript, phone.digits, phone.prefixes)
    # A transcript's reading of the number counts unless the audio clearly says another one
    # there (the prompt's "555" can put the profile's digits into a transcript).
    kept = [
        m
        for m in mentions
        if _contradicted(ctx, m.first_word, m.last_word, "number", phone.said_digits) is None
    ]
    if kept:
        said = "; ".join(quote(m.words) for m in kept[:3])
        return CheckResult(
            "says_phone",
            "pass",
            f"Heard your number {shown}: {said}.",
            "",
            spans=tuple(Span(m.first_word, m.last_word) for m in kept),
        )
    if mentions:
        m = mentions[0]
        v = _contradicted(ctx, m.first_word, m.last_word, "number", phone.said_digits)
        assert v is not None
        evidence = (
            f"The transcript reads your number in {quote(m.words)}, but the audio there sounds "
            f"more like {phone.show_said(v.rival)} — listen back at {fmt_time(v.start)}."
        )
        return _unsettled("says_phone", evidence, tip, v, list(m.words))
    checked = _verifications(ctx, "number")
    confirmed = [v for v in checked if v.decision == "said"]
    if confirmed:
        v = confirmed[0]
        words = _during(ctx, v)
        reads = f"; the transcript reads {quote(words)}" if words else ""
        return CheckResult(
            "says_phone",
            "pass",
            f"Heard your number {shown} at {fmt_time(v.start)}, checked against the audio{reads}.",
            "",
            spans=(span(words),) if words else (),
        )
    unclear = [v for v in checked if v.decision == "unclear"]
    if unclear:
        v = unclear[0]
        words = _during(ctx, v)
        reads = f" (the transcript reads {quote(words)})" if words else ""
        evidence = (
            f"Couldn't make out the number at {fmt_time(v.start)}{reads} — listen back to hear "
            f"whether it was {shown}."
        )
        return _unsettled("says_phone", evidence, tip, v, words)
    attempt = _closest_attempt(toks, phone)
    # A number that stops part-way ("312 555 ...") is shown as what it is: incomplete.
    cut_short = attempt is not None and phone.digits.startswith(attempt.digits)
    if attempt is not None and (attempt.distance <= 3 or cut_short):
        how = _describe_difference(attempt.digits, phone.digits)
        heard = phone.show_with(attempt.prefix, attempt.digits)
        evidence = f"Heard {quote(attempt.words)} = {heard}: {how} — your number is {shown}."
        words = attempt.words
        return CheckResult("says_phone", "fail", evidence, tip, spans=(span(words, "miss"),))
    other = _longest_number(toks)
    if other is not None:
        heard, words = other
        evidence = (
            f"Heard {quote(words)} = {phone.show(heard)}, which is not your number ({shown})."
        )
        return CheckResult("says_phone", "fail", evidence, tip, spans=(span(words, "miss"),))
    return CheckResult("says_phone", "fail", "No phone number was heard.", tip)


# ---------------------------------------------------------------------------------------- email

_EMAIL_SYMBOLS = {
    "dot": ".", "period": ".", "point": ".", "at": "@", "underscore": "_",
    "dash": "-", "hyphen": "-", "minus": "-", "plus": "+",
}  # fmt: skip
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_TENS_WORDS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5",
    "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9",
}  # fmt: skip
_TEEN_WORDS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_EMAIL_FILLERS = HESITATIONS
_EMAIL_CHARS_RE = re.compile(r"[^a-z0-9._@+\-]")


def _email_pieces(tok: Token) -> list[str]:
    """What one token may contribute to a spoken or written address."""
    raw = _EMAIL_CHARS_RE.sub("", fold(tok.text)).strip(".-")
    out = [raw] if raw else []
    letters_spelled = re.split(r"[-.]", raw)
    if len(letters_spelled) > 1 and all(len(p) == 1 for p in letters_spelled):
        out.append("".join(letters_spelled))  # "J-O-R-D-A-N" spells "jordan"
    word = tok.norm
    if word in _EMAIL_SYMBOLS:
        out.append(_EMAIL_SYMBOLS[word])
    if word in _DIGIT_WORDS:
        out.append(_DIGIT_WORDS[word])
    if word in _TEEN_WORDS:
        out.append(_TEEN_WORDS[word])
    if word in _TENS_WORDS:
        out.extend([_TENS_WORDS[word] + "0", _TENS_WORDS[word]])
    return out


def _email_from(toks: Sequence[Token], i: int, built: str, target: str, depth: int) -> int | None:
    """Last token position of TARGET spelled from position I on (after BUILT), or None."""
    if i >= len(toks) or depth > len(target) + 8:
        return None
    tok = toks[i]
    if built and tok.norm in _EMAIL_FILLERS:
        found = _email_from(toks, i + 1, built, target, depth + 1)
        if found is not None:
            return found
    for piece in _email_pieces(tok):
        candidate = built + piece
        if candidate == target:
            return i
        if target.startswith(candidate):
            found = _email_from(toks, i + 1, candidate, target, depth + 1)
            if found is not None:
                return found
    return None


def _email_attempt(toks: Sequence[Token]) -> list[Token] | None:
    """A stretch that looks like someone saying an email address, for the evidence of a miss."""
    for i, tok in enumerate(toks):
        if "@" in tok.text:
            return [tok]
        if tok.norm == "at" and any(t.norm == "dot" or "." in t.norm for t in toks[i + 1 : i + 5]):
            lo = i
            while lo > 0 and i - lo < 3 and not re.search(r"[.,?!:]$", toks[lo - 1].text):
                lo -= 1
            hi = i + 1
            while hi < len(toks) - 1 and hi - i < 6 and not toks[hi].norm.endswith("com"):
                hi += 1
            return list(toks[lo : hi + 1])
    return None


@register("says_email", "Email said", severity="advice", needs={"email"}, short="email")
def says_email(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Pass when the profile's email address is said ("jordan dot rivera at …") or written."""
    email = fold(ctx.profile.email.strip())
    if not email:
        return _skip("says_email", "email", "jordan.rivera@example.com")
    toks = tokens(ctx.transcript)
    spoken = email.replace(".", " dot ").replace("@", " at ").replace("_", " underscore ")
    tip = f'Spell it out plainly: "{" ".join(spoken.split())}".'
    if not toks:
        return CheckResult("says_email", "fail", _NOTHING_HEARD, tip)
    for i in range(len(toks)):
        end = _email_from(toks, i, "", email, 0)
        if end is not None:
            words = toks[i : end + 1]
            return CheckResult(
                "says_email", "pass", f"Heard {quote(words)}.", "", spans=(span(words),)
            )
    attempt = _email_attempt(toks)
    if attempt:
        evidence = f"Heard {quote(attempt)}, which is not your email ({email})."
        return CheckResult("says_email", "fail", evidence, tip, spans=(span(attempt, "miss"),))
    return CheckResult("says_email", "fail", f"Your email ({email}) was not heard.", tip)


# -------------------------------------------------------------------------------------- repeats


_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")


def _spoken_length(text: str) -> float:
    """Rough syllables it takes to say a written word: "617-555" is six digits, "Rivera" three."""
    digits = sum(ch.isdigit() for ch in text)
    if digits:
        # Most digit names are one syllable; seven and zero are two.
        return digits * 1.2
    if "@" in text or re.search(r"\w\.\w", text):
        # A written email or web address is said part by part: "nadia dot kowalczyk at gmail
        # dot com" takes as long as the words and every "dot" and "at".
        parts = [p for p in re.split(r"[@.]", text.strip(".,;:!?")) if p]
        said = sum(max(1, len(_VOWEL_GROUP_RE.findall(fold(p)))) for p in parts)
        return float(said + len(parts) - 1)
    return float(max(1, len(_VOWEL_GROUP_RE.findall(fold(text)))))


def _in_last_third(ctx: CheckContext, mention: PhoneMention) -> bool:
    """True when the number is finished in the last third of the answer.

    Timed answers use real times. Typed ones estimate speaking time from syllables, since
    "617-555-0142" is one written word but takes as long to say as "six one seven five …".
    """
    words = ctx.transcript.words
    if ctx.transcript.timed and words:
        begin, finish = words[0].start, words[-1].end
        if finish > begin:
            return (words[mention.last_word].end - begin) / (finish - begin) >= 2 / 3
    lengths = [_spoken_length(w.text) for w in words]
    total = sum(lengths)
    return total > 0 and sum(lengths[: mention.last_word + 1]) / total >= 2 / 3


def _when(ctx: CheckContext, word_index: int) -> str:
    if ctx.transcript.timed:
        return fmt_time(ctx.transcript.words[word_index].start)
    return f"word {word_index + 1}"


@register(
    "repeats_contact",
    "Name and number repeated",
    severity="advice",
    needs={"name", "phone"},
    short="repeat name & number",
)
def repeats_contact(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Pass when name and number are each said twice, or the number comes in the last third."""
    if not ctx.profile.name.strip():
        return _skip("repeats_contact", "name", '"Jordan Rivera"')
    phone = _profile_phone(ctx)
    if phone is None:
        return _skip("repeats_contact", "phone", '"617 555 0142"')
    if isinstance(phone, CheckResult):
        return CheckResult("repeats_contact", "skipped", phone.evidence, phone.tip)
    toks = tokens(ctx.transcript)
    tip = f'End by repeating both, slowly: "Again, this is {ctx.profile.name}, {phone.national}."'
    if not toks:
        return CheckResult("repeats_contact", "fail", _NOTHING_HEARD, tip)
    numbers = phone_mentions_of(ctx.transcript, phone.digits, phone.prefixes)
    names = _full_name_sayings(toks, ctx.profile.name)
    number_times = ", ".join(_when(ctx, m.first_word) for m in numbers)
    name_times = ", ".join(_when(ctx, toks[saying[0].first].index) for saying in names)
    spans = tuple(Span(m.first_word, m.last_word) for m in numbers) + tuple(
        span(toks[h.first : h.last + 1]) for saying in names for h in saying
    )
    late = [m for m in numbers if _in_last_third(ctx, m)]
    if late:
        m = late[-1]
        evidence = f"Number said in the last third of the message: {quote(m.words)}."
        if len(numbers) >= 2 and len(names) >= 2:
            evidence += f" Name said {len(names)}× ({name_times}), number {len(numbers)}×."
        return CheckResult("repeats_contact", "pass", evidence, "", spans=spans)
    if len(numbers) >= 2 and len(names) >= 2:
        evidence = (
            f"Name said {len(names)}× ({name_times}) and number {len(numbers)}× ({number_times})."
        )
        return CheckResult("repeats_contact", "pass", evidence, "", spans=spans)
    name_part = f"name {len(names)}×" + (f" ({name_times})" if names else "")
    number_part = f"number {len(numbers)}×" + (f" ({number_times})" if numbers else "")
    where = " and never in the last third" if numbers else ""
    evidence = f"Heard your {name_part}, your {number_part}{where}."
    return CheckResult("repeats_contact", "fail", evidence, tip, spans=spans)


# ----------------------------------------------------------------------------------------- role

# Seniority and filler words a role can be named without ("data analyst" for "Senior Data Analyst").
_ROLE_OPTIONAL = frozenset(
    """senior sr junior jr lead principal staff associate entry level mid i ii iii iv
    the a an of and for in to at with &""".split()
)
_SENIORITY_NOUNS = frozenset("lead associate principal staff".split())
_GENERIC_ROLE = frozenset("job position role opening opportunity vacancy posting post".split())


@dataclass(frozen=True)
class _RoleTerms:
    """The words a role must be named with."""

    head: str
    """Stem of the head noun ("analyst" in "Senior Data Analyst")."""
    others: tuple[str, ...]
    """Stems of the other key words ("data")."""
    words: dict[str, str]
    """Display word for each stem, for tips."""
    acronym: str
    """Initials of the key words when there are three or more ("csm"), else ""."""
    initials: str
    """Initials of the key words, however many ("rn" for Registered Nurse)."""


def _role_terms(role: str) -> _RoleTerms | None:
    main = re.split(r"[,(/–—]| - ", role)[0]
    main_words = [w for w in re.split(r"[\s\-]+", fold(main)) if letters(w)]
    all_words = [w for w in re.split(r"[\s\-/,()]+", fold(role)) if letters(w)]
    if "of" in main_words and main_words.index("of") > 0:
        head_word = main_words[main_words.index("of") - 1]
    elif main_words and main_words[-1] in _SENIORITY_NOUNS:
        head_word = main_words[-1]  # "Team Lead": here "lead" is the noun, not a seniority
    else:
        keys = [w for w in main_words if letters(w) not in _ROLE_OPTIONAL]
        if not keys:
            return None
        head_word = keys[-1]
    display: dict[str, str] = {}
    stems: list[str] = []
    for word in all_words:
        if letters(word) in _ROLE_OPTIONAL and word != head_word:
            continue
        s = stem(letters(word))
        if s and s not in display:
            display[s] = word
            stems.append(s)
    head = stem(letters(head_word))
    initials = "".join(letters(w)[0] for w in main_words if letters(w) not in _ROLE_OPTIONAL)
    # Two-letter initials ("PM", "DA") are too often something else ("3 PM") to count.
    acronym = initials if len(initials) >= 3 else ""
    return _RoleTerms(head, tuple(s for s in stems if s != head), display, acronym, initials)


# Short forms people say for one role word ("customer service rep", "dev", "admin"), as stems.
# Two-letter forms ("PM", "HR") stand for two words and too often for something else ("3 PM").
_ROLE_SHORT = {
    stem(short): tuple(stem(w) for w in full.split())
    for short, full in {
        "rep": "representative",
        "reps": "representative",
        "admin": "administrator administrative administration",
        "mgr": "manager",
        "dev": "developer development",
        "devs": "developer",
        "eng": "engineer engineering",
        "engr": "engineer",
        "tech": "technician technologist technical technology",
        "asst": "assistant",
        "coord": "coordinator",
        "exec": "executive",
        "ops": "operations",
        "mktg": "marketing",
        "acct": "accountant accounting account",
    }.items()
}


# Two-word modifiers people say as letters ("QA analyst", "UX researcher", "HR coordinator"), and
# the other way round. Only modifiers: the head noun is never replaced by an acronym.
_ROLE_ACRONYMS = {
    "ux": ("user", "experience"),
    "ui": ("user", "interface"),
    "qa": ("quality", "assurance"),
    "hr": ("human", "resources"),
    "it": ("information", "technology"),
    "pr": ("public", "relations"),
    "ai": ("artificial", "intelligence"),
    "ml": ("machine", "learning"),
    "bi": ("business", "intelligence"),
    "ar": ("accounts", "receivable"),
    "ap": ("accounts", "payable"),
}
# Adjective and noun endings of one root ("finance analyst" for Financial Analyst,
# "administration assistant" for Administrative Assistant), stripped from stems before comparing.
_DERIVED_ENDINGS = ("ation", "ativ", "ical", "ial", "ion", "al", "iv", "ic")


def _contract_acronyms(role: str) -> str:
    """The role with spelled-out modifiers as acronyms: "Quality Assurance Analyst" -> "qa analyst"."""
    out = fold(role)
    for short, words in _ROLE_ACRONYMS.items():
        out = re.sub(r"\b" + r"[\s-]+".join(words) + r"\b", short, out)
    return out


def _root(word_stem: str) -> str:
    for _ in range(2):
        for ending in _DERIVED_ENDINGS:
            if word_stem.endswith(ending) and len(word_stem) - len(ending) >= 6:
                word_stem = word_stem[: -len(ending)]
                break
        else:
            break
    return word_stem


def _stem_matches(heard: str, wanted: str) -> bool:
    if heard == wanted:
        return True
    if wanted in _ROLE_SHORT.get(heard, ()):
        return True
    if len(wanted) >= 6 and len(heard) >= 5 and _root(heard) == _root(wanted):
        return True
    return len(wanted) >= 6 and fuzz.ratio(heard, wanted) >= 85


@register("mentions_role", "Role named", needs={"role"}, short="role")
def mentions_role(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Pass when the role is named: its head noun and most of its key words, close together."""
    role = ctx.profile.role.strip()
    if not role:
        return _skip("mentions_role", "role", '"Senior Data Analyst"')
    terms = _role_terms(_contract_acronyms(role))
    full_terms = _role_terms(role)
    if terms is None or full_terms is None:
        return CheckResult(
            "mentions_role", "skipped", f"The profile role {role!r} has no key words.", ""
        )
    tip = f'Name the role you are calling about: "… about the {role} position."'
    toks = tokens(ctx.transcript)
    if not toks:
        return CheckResult("mentions_role", "fail", _NOTHING_HEARD, tip)
    pieces: list[tuple[str, int]] = []
    for pos, tok in enumerate(toks):
        for part in re.split(r"[-/]", tok.norm):
            if letters(part):
                pieces.append((stem(letters(part)), pos))
        # ASR splits compounds ("back end", "front end", "full stack", "health care"): the
        # joined pair may be the role's word.
        if pos + 1 < len(toks) and letters(tok.norm) and letters(toks[pos + 1].norm):
            pair = (letters(tok.norm), letters(toks[pos + 1].norm))
            pieces.append((stem(pair[0] + pair[1]), pos))
            pieces.extend((short, pos) for short, words in _ROLE_ACRONYMS.items() if pair == words)
    for at, tok in enumerate(toks):
        if full_terms.acronym and letters(tok.norm) == full_terms.acronym:
            return CheckResult(
                "mentions_role", "pass", f"Heard {quote([tok])}.", "", spans=(span([tok]),)
            )
        # Two-letter initials count when a job word follows: "the RN role", "the PM position".
        following = toks[at + 1].norm if at + 1 < len(toks) else ""
        before = toks[at - 1].norm if at else ""
        if (
            full_terms.initials != full_terms.acronym
            and not before[-1:].isdigit()
            and len(full_terms.initials) == 2
            and tok.text.strip(".,;:!?\"'()").isupper()
            and letters(tok.norm) == full_terms.initials
            and following in _GENERIC_ROLE | {"interview"}
        ):
            words = toks[at : at + 2]
            return CheckResult(
                "mentions_role", "pass", f"Heard {quote(words)}.", "", spans=(span(words),)
            )
    # Most of the key words: one may go unsaid once there are two or more besides the head
    # ("software engineer" for "Backend Software Engineer"), none when there is only one
    # ("analyst" alone is not "Data Analyst").
    needed = len(terms.others) - 1 if len(terms.others) >= 2 else len(terms.others)
    window = len(terms.others) + 4
    best: tuple[int, list[int], set[str]] | None = None
    for piece, head_pos in pieces:
        if not _stem_matches(piece, terms.head):
            continue
        found: dict[str, int] = {}
        for piece2, pos2 in pieces:
            if abs(pos2 - head_pos) > window:
                continue
            for other in terms.others:
                if other not in found and _stem_matches(piece2, other):
                    found[other] = pos2
        positions = [head_pos, *found.values()]
        if best is None or len(found) > best[0]:
            best = (len(found), positions, set(found))
        if len(found) >= needed:
            words = toks[min(positions) : max(positions) + 1]
            return CheckResult(
                "mentions_role", "pass", f"Heard {quote(words)}.", "", spans=(span(words),)
            )
    if best is not None:
        words = toks[min(best[1]) : max(best[1]) + 1]
        missing = [terms.words[s] for s in terms.others if s not in best[2]]
        evidence = f"Heard {quote(words)}, but not {', '.join(repr(m) for m in missing)}."
        return CheckResult("mentions_role", "fail", evidence, tip, spans=(span(words, "miss"),))
    generic = [i for i, t in enumerate(toks) if t.norm in _GENERIC_ROLE]
    if generic:
        i = generic[0]
        words = toks[max(0, i - 1) : i + 1]
        evidence = f"Heard only {quote(words)}, without naming the role ({role})."
        return CheckResult("mentions_role", "fail", evidence, tip, spans=(span(words, "miss"),))
    return CheckResult("mentions_role", "fail", f"The role ({role}) was not named.", tip)
