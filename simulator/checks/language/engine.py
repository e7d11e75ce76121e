"""The phrase engine: answers as plain text, phrase rules read from data files, hits as timed words.

An answer becomes one lowercase string of expanded words ("I'm" -> "i am", "don't" -> "do not")
with " . " between sentences, so a phrase never crosses a sentence and every match maps back to
the transcript's words and times (for evidence quotes and highlight spans).

Phrases live in `rules/<check>.yaml`, written in a small pattern language instead of regexes:

    word            that word; contractions are expanded like the answer ("I'm" = "i am")
    (a|b c|d)       one of the alternatives (each may be several words)
    [a|b]           optionally one of them;  [a|b]*  any number of them
    {SLOT}          one of the phrases listed under `slots:` (in this file or common.yaml);
                    {NUMBER} (digits or a number word), {YEAR} and {PAST} (an irregular
                    past, "wrote") are built in
    *   *ing  19*   any one word; any word ending in "ing"; any word starting with "19"
    ...  ...5       up to 3 (or 5) words of the same sentence
    ...5!           up to 5 words that do not open a new clause (no "how", "we", "had"…)
    ^  $            the start / the end of a sentence

Each rule may add `followed_by` / `not_followed_by` (phrases that must / must not come right
after) and `not_after` (phrases that must not come right before, in the same sentence; a
family's `not_after` applies to all its rules). Every
rule carries `match` and `no_match` examples; tests/unit/test_rule_examples.py runs them all.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from simulator.checks.base import CheckContext, CheckResult, Status
from simulator.checks.lexicon import (
    ABBREVIATIONS,
    CLAUSE_OPENERS,
    IRREGULAR_PASTS,
    NUMBER_WORDS,
    SENTENCE_END,
)
from simulator.checks.text import Token, quote, span, tokens

# ---------------------------------------------------------------------------------------------
# Answers as text

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


def ends_sentence(tok: Token) -> bool:
    """True when the word ends its sentence ("done." does, "Dr." and "U.S." do not)."""
    raw = tok.text.rstrip("\"')]”’")
    if not raw.endswith(SENTENCE_END):
        return False
    return not ("." in tok.norm or tok.norm in ABBREVIATIONS) or raw.endswith(("?", "!"))


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
    rule: str = ""
    """The rule that found it ("family/pattern"), for debugging and rule coverage."""


_BOUNDARY = re.compile(r"(?:^| )\.(?= |$)")


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
            if ends_sentence(tok):
                self._starts.append(at)
                self._owner.append(-1)
                pieces.append(".")
                at += 2
        self.text: str = " ".join(pieces)
        """Expanded words joined by spaces, " . " between sentences."""
        self.padded: str = self.text + " "
        """text with a final space: every pattern item consumes the space after its word."""

    @classmethod
    def of(cls, ctx: CheckContext) -> Doc:
        """The Doc of a check's answer."""
        return cls(tokens(ctx.transcript))

    @classmethod
    def from_text(cls, text: str) -> Doc:
        """The Doc of a typed answer (for rule examples and tests)."""
        from audio.transcript import Transcript

        return cls(tokens(Transcript.from_text(text)))

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

    def find(self, rx: re.Pattern[str], rule: str = "") -> list[Hit]:
        """Every match of a compiled phrase pattern (from rx() or a Rule)."""
        out: list[Hit] = []
        for m in rx.finditer(self.padded):
            said = m.group(0).rstrip(" ")
            if not said:
                continue
            end = m.start() + len(said)
            out.append(Hit(self.covered(m.start(), end), m.start(), end, said, rule))
        return out

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

    def sentences(self) -> list[tuple[int, str]]:
        """Every sentence as (character offset, text)."""
        out: list[tuple[int, str]] = []
        at = 0
        for sentence in self.text.split(" . "):
            out.append((at, sentence.removesuffix(" .")))
            at += len(sentence) + 3
        return out

    def _sentence_end(self, at: int) -> int:
        m = _BOUNDARY.search(self.text, at)
        return m.start() if m else len(self.text)


def rx(*alternatives: str) -> re.Pattern[str]:
    """Compile raw regex alternatives that must match whole words of a Doc (for tests)."""
    return re.compile(r"(?<![^ ])(?:" + "|".join(alternatives) + r")(?![^ ])")


W = r"[^ .]+"
"""One word, in a raw rx() pattern."""


def gap(most: int) -> str:
    """Up to MOST words of the same sentence, in a raw rx() pattern."""
    return rf"(?:[^ .]+ ){{0,{most}}}?"


# ---------------------------------------------------------------------------------------------
# The pattern language

_TOKEN_RE = re.compile(r"\.\.\.\d*!?|\{[A-Z_0-9]+\}|\]\*|[()\[\]|^$]|[^\s()\[\]|{}]+")
_WORD = r"[^ .]+"
# A word that does not open a new clause: the gap "...5!" may not cross "how we", "the project had".
_CLAUSE_WORD = r"(?!(?:" + "|".join(sorted(CLAUSE_OPENERS)) + r") )[^ .]+"
_SENTENCE_START = r"(?:(?<!.)|(?<=\. ))"
_SENTENCE_STOP = r"(?=\.(?: |$)|$)"
_NUMBER = r"(?:\$?\d[^ ]*|(?:" + "|".join(sorted(NUMBER_WORDS)) + r")(?:-[a-z]+)?)"


class RuleError(ValueError):
    """A rule file that does not parse: the message names the file, rule and problem."""


BUILTIN_SLOTS = {
    "NUMBER": _NUMBER + " ",
    "YEAR": r"(?:19|20)\d\d(?:s|'s)? ",
    "PAST": "(?:" + "|".join(sorted(IRREGULAR_PASTS, key=len, reverse=True)) + ") ",
}
"""Slots the engine defines: {NUMBER} is digits ("$40k", "3.5") or a number word ("twenty");
{YEAR} is a year from 1900 to 2099 ("2019", "1990s"); {PAST} an irregular past ("flew", "met")."""


class _Parser:
    """Turns one pattern into a regex over Doc text (every item consumes a trailing space)."""

    def __init__(self, slots: Mapping[str, Sequence[str]], where: str) -> None:
        self.slots = slots
        self.where = where
        self._active: list[str] = []

    def compile(self, pattern: str) -> str:
        toks = _TOKEN_RE.findall(pattern)
        body, rest = self._seq(toks, 0)
        if rest != len(toks):
            raise RuleError(f"{self.where}: unexpected {toks[rest]!r} in {pattern!r}")
        return body

    def _seq(self, toks: list[str], i: int) -> tuple[str, int]:
        out: list[str] = []
        while i < len(toks) and toks[i] not in ("|", ")", "]", "]*"):
            tok = toks[i]
            if tok in ("(", "["):
                inner, i = self._alts(toks, i + 1)
                close = toks[i] if i < len(toks) else ""
                if (tok == "(" and close != ")") or (tok == "[" and close not in ("]", "]*")):
                    raise RuleError(f"{self.where}: unbalanced {tok!r}")
                suffix = {")": "", "]": "?", "]*": "*"}[close]
                out.append(f"(?:{inner}){suffix}")
            elif tok.startswith("{"):
                out.append(self._slot(tok[1:-1]))
            elif tok.startswith("..."):
                most = int(tok[3:].rstrip("!") or 3)
                word = _CLAUSE_WORD if tok.endswith("!") else _WORD
                out.append(f"(?:{word} ){{0,{most}}}?")
            elif tok == "^":
                out.append(_SENTENCE_START)
            elif tok == "$":
                out.append(_SENTENCE_STOP)
            elif tok.startswith("*"):
                out.append(_WORD + re.escape(tok[1:]) + " ")
            elif tok.endswith("*"):
                out.append(re.escape(tok[:-1]) + "[^ .]* ")
            else:
                from simulator.checks.text import normalize_word

                pieces = expand(normalize_word(tok)).split()
                if not pieces:
                    raise RuleError(f"{self.where}: {tok!r} is not a word (punctuation is ignored)")
                out.extend(re.escape(piece) + " " for piece in pieces)
            i += 1
        return "".join(out), i

    def _alts(self, toks: list[str], i: int) -> tuple[str, int]:
        branches: list[str] = []
        while True:
            body, i = self._seq(toks, i)
            if not body:
                raise RuleError(f"{self.where}: empty alternative")
            branches.append(body)
            if i < len(toks) and toks[i] == "|":
                i += 1
                continue
            return "|".join(branches), i

    def _slot(self, name: str) -> str:
        if name in BUILTIN_SLOTS and name not in self.slots:
            return BUILTIN_SLOTS[name]
        if name not in self.slots:
            raise RuleError(f"{self.where}: unknown slot {{{name}}}")
        if name in self._active:
            raise RuleError(f"{self.where}: slot {{{name}}} refers to itself")
        self._active.append(name)
        try:
            return "(?:" + "|".join(self.compile(p) for p in self.slots[name]) + ")"
        finally:
            self._active.pop()


@dataclass(frozen=True)
class Rule:
    """One phrase pattern with its examples."""

    name: str
    """"family/index", e.g. "reset/3"."""
    pattern: str
    """The pattern as written in the rule file."""
    regex: re.Pattern[str]
    """The pattern compiled over Doc text."""
    not_after: re.Pattern[str] | None
    """Phrases that must not come right before the hit (compiled), or None."""
    match: tuple[str, ...]
    """Answers the rule must find something in."""
    no_match: tuple[str, ...]
    """Answers the rule must find nothing in."""
    note: str = ""
    """Why the rule is there, when the pattern does not say."""

    def find(self, doc: Doc) -> list[Hit]:
        """Every place the rule matches."""
        hits = doc.find(self.regex, self.name)
        if self.not_after is None:
            return hits
        return [h for h in hits if not self._blocked(doc, h)]

    def match_at(self, doc: Doc, at: int) -> Hit | None:
        """The rule's match starting exactly at character AT of doc.text, or None."""
        m = self.regex.match(doc.padded, at)
        said = m.group(0).rstrip(" ") if m else ""
        if m is None or not said:
            return None
        end = at + len(said)
        hit = Hit(doc.covered(at, end), at, end, said, self.name)
        return None if self.not_after is not None and self._blocked(doc, hit) else hit

    def _blocked(self, doc: Doc, hit: Hit) -> bool:
        assert self.not_after is not None
        before = " ".join(doc.before(hit, 12))
        return bool(before) and bool(self.not_after.search(before + " "))


def _merged(hits: Iterable[Hit]) -> list[Hit]:
    """Hits in order of where they start; a hit overlapping the one before it is dropped."""
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: h.start):
        if not out or hit.start >= out[-1].end:
            out.append(hit)
    return out


@dataclass(frozen=True)
class Family:
    """A named list of rules that find the same kind of phrase."""

    name: str
    """The family's name in its rule file, e.g. "reset"."""
    about: str
    """What the family finds, in a line."""
    rules: tuple[Rule, ...]
    """Its rules, in file order (the first rule wins a tie at the same place)."""

    def match_at(self, doc: Doc, at: int) -> Hit | None:
        """The first rule's match starting exactly at character AT of doc.text, or None."""
        for rule in self.rules:
            hit = rule.match_at(doc, at)
            if hit is not None:
                return hit
        return None

    def find(self, doc: Doc) -> list[Hit]:
        """Every hit, in order; overlapping hits are merged the way one alternation would."""
        return _merged(h for rule in self.rules for h in rule.find(doc))


@dataclass(frozen=True)
class RuleBook:
    """One check's rule file: its families, slots and word lists."""

    check: str
    """The rule file's name (a check id or "common")."""
    families: Mapping[str, Family]
    """The phrase families, by name."""
    words: Mapping[str, frozenset[str]]
    """Named word lists (`words:` in the file)."""

    def family(self, name: str) -> Family:
        """The family of that name (KeyError names the file)."""
        try:
            return self.families[name]
        except KeyError:
            raise KeyError(f"{self.check}.yaml has no family {name!r}") from None

    def find(self, doc: Doc, *names: str) -> list[Hit]:
        """Hits of several families, in order, overlapping ones merged (the first one wins)."""
        return _merged(h for name in names for h in self.family(name).find(doc))

    def word_list(self, name: str) -> frozenset[str]:
        """A named word list (KeyError names the file)."""
        try:
            return self.words[name]
        except KeyError:
            raise KeyError(f"{self.check}.yaml has no word list {name!r}") from None


RULES_PACKAGE = "simulator.checks.language.rules"


# libyaml's parser when the system has it (several times faster at import), else pure Python.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """YAML where every scalar is text: "no", "on" and "2" stay words, not False, True and 2."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":bool", ":int", ":float"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_rule_text(text: str) -> Any:
    """A rule file's text parsed, every scalar kept as text."""
    return yaml.load(text, Loader=_TextLoader)  # noqa: S506 - a SafeLoader subclass


def _read(name: str) -> dict[str, Any]:
    text = resources.files(RULES_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data = load_rule_text(text) or {}
    if not isinstance(data, dict):
        raise RuleError(f"{name}.yaml: expected a mapping at the top")
    return data


def _phrases(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise RuleError(f"{where}: expected a phrase or a list of phrases")


def _words(value: Any, where: str) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(w for v in value for w in str(v).split())
    raise RuleError(f"{where}: expected words")


@cache
def common_slots() -> Mapping[str, tuple[str, ...]]:
    """The slots every rule file may use (rules/common.yaml)."""
    data = _read("common")
    return {k: _phrases(v, f"common.yaml slot {k}") for k, v in data.get("slots", {}).items()}


def build(check: str, data: Mapping[str, Any]) -> RuleBook:
    """A RuleBook from a parsed rule file."""
    slots: dict[str, tuple[str, ...]] = dict(common_slots()) if check != "common" else {}
    for key, value in (data.get("slots") or {}).items():
        slots[key] = _phrases(value, f"{check}.yaml slot {key}")
    families: dict[str, Family] = {}
    for fam_name, fam in (data.get("families") or {}).items():
        rules: list[Rule] = []
        shared_not_after = _phrases(fam.get("not_after", []), f"{check}.yaml {fam_name}")
        for index, entry in enumerate(fam.get("rules") or []):
            where = f"{check}.yaml {fam_name}/{index + 1}"
            if not isinstance(entry, dict) or "pattern" not in entry:
                raise RuleError(f"{where}: a rule needs a pattern")
            unknown = set(entry) - {
                "pattern",
                "match",
                "no_match",
                "followed_by",
                "not_followed_by",
                "not_after",
                "note",
            }
            if unknown:
                raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
            parser = _Parser(slots, where)
            body = parser.compile(entry["pattern"])
            for key, sign in (("followed_by", "="), ("not_followed_by", "!")):
                if key in entry:
                    alts = "|".join(parser.compile(p) for p in _phrases(entry[key], where))
                    body += f"(?{sign}{alts})"
            not_after = None
            blockers = shared_not_after + _phrases(entry.get("not_after", []), where)
            if blockers:
                alts = "|".join(parser.compile(p) for p in blockers)
                not_after = re.compile(rf"(?<![^ ])(?:{alts})$")
            rules.append(
                Rule(
                    f"{fam_name}/{index + 1}",
                    entry["pattern"],
                    re.compile(r"(?<![^ ])" + body),
                    not_after,
                    _phrases(entry.get("match", []), where),
                    _phrases(entry.get("no_match", []), where),
                    str(entry.get("note", "")),
                )
            )
        families[fam_name] = Family(fam_name, str(fam.get("about", "")), tuple(rules))
    words = {k: _words(v, f"{check}.yaml words {k}") for k, v in (data.get("words") or {}).items()}
    return RuleBook(check, families, words)


@cache
def rules(check: str) -> RuleBook:
    """The rule book of a check (rules/<check>.yaml), parsed once."""
    return build(check, _read(check))


def rule_files() -> list[str]:
    """The names of every rule file shipped (without .yaml)."""
    return sorted(
        p.name.removesuffix(".yaml")
        for p in resources.files(RULES_PACKAGE).iterdir()
        if p.name.endswith(".yaml")
    )


# ---------------------------------------------------------------------------------------------
# Results


def quote_hit(hit: Hit, most: int = 14) -> str:
    """The hit's words as heard, quoted with their time, cut after MOST words."""
    text = quote(hit.toks[:most])
    if len(hit.toks) > most:
        close = text.rfind('"')
        text = text[:close] + "…" + text[close:]
    return text


def quote_hits(hits: Sequence[Hit], most: int = 4) -> str:
    """Up to MOST hits quoted, then how many more."""
    shown = ", ".join(quote_hit(h) for h in hits[:most])
    if len(hits) > most:
        shown += f", and {len(hits) - most} more"
    return shown


def result(
    check_id: str,
    status: Status,
    evidence: str,
    tip: str = "",
    hits: Iterable[Hit] = (),
    kind: str = "evidence",
) -> CheckResult:
    """A CheckResult whose spans cover the hits."""
    spans = tuple(span(h.toks, kind) for h in hits if h.toks)
    return CheckResult(check_id, status, evidence, tip, spans=spans)
