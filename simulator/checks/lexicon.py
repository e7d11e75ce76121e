"""Word lists every check shares: hesitation sounds, number words, sentence ends, irregular pasts.

One list each, so the filler count, the name and email matchers, the history's filler fallback
and the language checks agree on what "uhh" is.
"""

from __future__ import annotations

HESITATIONS = frozenset("um umm ummm uhm uh uhh uhhh er erm ah ahh hmm hm hmmm mm mmm eh".split())
"""Hesitation sounds, normalised (lowercase, no punctuation). "err" is left out: it is also a verb;
"uh-huh" and "mm-hmm" are acknowledgements, not hesitations."""

UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
)  # fmt: skip
"""Number words 0–9, in order."""
TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
"""Number words 10–19, in order."""
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
"""Number words 20, 30 … 90, in order."""
SCALES = ("hundred", "thousand", "million", "billion")
"""Number words that multiply."""
NUMBER_WORDS = frozenset((*UNITS, *TEENS, *TENS, *SCALES))
"""Every cardinal number word."""
QUANTITY_WORDS = frozenset({"half", "dozen", "couple", "few", "several", "hundreds", "thousands"})
"""Words that stand for a rough number ("a couple", "half")."""

SENTENCE_END = (".", "?", "!", ";", "…")
"""Characters that end a sentence when they end a word (abbreviations aside)."""
ABBREVIATIONS = frozenset("dr mr mrs ms st vs etc jr sr prof approx".split())
CLAUSE_OPENERS = frozenset(
    """how what when where why who which that because if we they he she it you i our their his
    her had was were is are has""".split()
)
"""Words that start a new clause or a new subject's verb, as spoken ("…about how we…")."""
"""Words written with a final dot that does not end the sentence ("Dr. Patel")."""

IRREGULAR_PASTS = {
    "led": "lead", "built": "build", "wrote": "write", "written": "write", "ran": "run",
    "taught": "teach", "sold": "sell", "bought": "buy", "made": "make", "brought": "bring",
    "thought": "think", "spoke": "speak", "spoken": "speak", "drove": "drive",
    "driven": "drive", "grew": "grow", "grown": "grow", "won": "win", "began": "begin",
    "begun": "begin", "took": "take", "taken": "take", "gave": "give", "given": "give",
    "chose": "choose", "chosen": "choose", "drew": "draw", "drawn": "draw", "met": "meet",
    "sent": "send", "spent": "spend", "kept": "keep", "held": "hold", "told": "tell",
    "found": "find", "left": "leave", "understood": "understand",
    "overcame": "overcome", "oversaw": "oversee", "overseen": "oversee", "rebuilt": "rebuild",
    "rewrote": "rewrite", "rewritten": "rewrite", "paid": "pay", "felt": "feel", "heard": "hear",
    "caught": "catch", "fought": "fight", "sought": "seek", "dealt": "deal",
    "meant": "mean", "set": "set", "cut": "cut", "shut": "shut", "put": "put", "hit": "hit",
    "lost": "lose", "stood": "stand", "sat": "sit", "fed": "feed", "flew": "fly",
    "flown": "fly", "knew": "know", "known": "know", "saw": "see", "seen": "see", "went": "go",
    "gone": "go", "did": "do", "done": "do", "got": "get", "gotten": "get", "became": "become",
    "came": "come", "broke": "break", "broken": "break", "froze": "freeze", "frozen": "freeze",
    "drank": "drink", "ate": "eat", "eaten": "eat", "forgot": "forget", "forgotten": "forget",
    "forgave": "forgive", "rode": "ride", "rose": "rise", "risen": "rise", "shook": "shake",
    "sang": "sing", "sung": "sing", "spun": "spin", "swam": "swim", "threw": "throw",
    "thrown": "throw", "woke": "wake", "wore": "wear", "worn": "wear", "hung": "hang",
    "laid": "lay", "lent": "lend", "slept": "sleep", "swept": "sweep", "wept": "weep",
    "undertook": "undertake", "undertaken": "undertake",
}  # fmt: skip
"""Irregular past forms and participles, mapped to their base verb ("wrote" -> "write")."""
