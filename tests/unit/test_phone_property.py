"""Property: any profile number, said in any spoken style, is recognised; one digit off is not."""

from __future__ import annotations

import re

import phonenumbers
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audio.transcript import Transcript
from simulator.checks.base import CheckContext, NoParams
from simulator.checks.contact import says_phone
from simulator.profile import Profile

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# Separators that mark a pause in what a recogniser writes.
PAUSING = [", ", ". ", "... ", ", uh, ", ", then "]
PLAIN = [" ", "-", " um "]

# National formats people give for each region, as (region, country code words, template): "#" is
# a random digit, fixed digits keep the number in a range phonenumbers accepts as possible.
TEMPLATES = [
    ("US", "one", "+1 ### ### ####"),
    ("US", "one", "+1 617 555 ####"),
    ("GB", "four four", "+44 20 #### ####"),
    ("GB", "four four", "+44 7### ######"),
    ("GB", "four four", "+44 1632 ######"),
    ("IN", "nine one", "+91 9#### #####"),
    ("AU", "six one", "+61 4## ### ###"),
]


@st.composite
def profile_numbers(draw: st.DrawFn) -> tuple[Profile, str, str]:
    """A profile with a possible phone number, its national digits, and the country code words."""
    region, cc_words, template = draw(st.sampled_from(TEMPLATES))
    text = "".join(draw(st.sampled_from("0123456789")) if ch == "#" else ch for ch in template)
    if region == "US":
        # NANP area codes and exchanges never start with 0 or 1.
        digits = list(text)
        for at in (3, 7):
            if digits[at] in "01":
                digits[at] = draw(st.sampled_from("23456789"))
        text = "".join(digits)
    number = phonenumbers.parse(text, region)
    assume(phonenumbers.is_possible_number(number))
    profile = Profile(name="Sam Lee", phone=text, region=region)
    return profile, profile.phone_digits(), cc_words


def groups_of(profile: Profile, digits: str) -> list[str]:
    """DIGITS cut into the groups the profile's number is written in (mutations keep the cuts)."""
    number = phonenumbers.parse(profile.phone, profile.region)
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    sizes = [len(g) for g in re.findall(r"\d+", formatted)][1:]
    out: list[str] = []
    at = 0
    for i, size in enumerate(sizes):
        take = size if i < len(sizes) - 1 else len(digits) - at
        out.append(digits[at : at + take])
        at += take
    return [g for g in out if g]


def zero_word(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["zero", "oh", "o"]))


def per_digit(draw: st.DrawFn, group: str) -> list[str]:
    """Digit by digit, maybe with "double"/"triple" for repeats."""
    words: list[str] = []
    i = 0
    while i < len(group):
        run = 1
        while i + run < len(group) and group[i + run] == group[i] and run < 3:
            run += 1
        word = zero_word(draw) if group[i] == "0" else UNITS[int(group[i])]
        if run >= 2 and draw(st.booleans()):
            words += ["triple" if run == 3 else "double", word]
            i += run
        else:
            words.append(word)
            i += 1
    return words


def pair_words(draw: st.DrawFn, pair: str) -> list[str]:
    """A two-digit chunk as people say it: "forty two", "fifteen", "oh five", "fifty"."""
    if pair[0] == "0":
        return per_digit(draw, pair)
    value = int(pair)
    if value < 20:
        return [TEENS[value - 10]]
    tens, unit = divmod(value, 10)
    if unit == 0:
        return [TENS[tens]]
    joiner = draw(st.sampled_from([" ", "-"]))
    return [f"{TENS[tens]}{joiner}{UNITS[unit]}"]


def render_group(draw: st.DrawFn, group: str) -> tuple[list[str], bool]:
    """One digit group in a random style; also whether it ends in a word that joins what follows."""
    style = draw(st.sampled_from(["digits", "words", "pairs", "hundreds"]))
    if style == "digits":
        return [group], False
    if style == "words" or len(group) < 2:
        return per_digit(draw, group), False
    if style == "hundreds" and len(group) == 3 and group[0] != "0":
        head = UNITS[int(group[0])]
        if group[1:] == "00":
            return [head, "hundred"], True
        if group[1] != "0":
            return [head, *pair_words(draw, group[1:])], group[2] == "0"
    # Pairs, with a leading single digit for odd lengths ("five fifty five").
    words: list[str] = []
    rest = group
    if len(rest) % 2:
        words += per_digit(draw, rest[0])
        rest = rest[1:]
    for k in range(0, len(rest), 2):
        words += pair_words(draw, rest[k : k + 2])
    return words, rest.endswith("0") and not rest.endswith("00") and rest[-2] != "0"


@st.composite
def spoken(draw: st.DrawFn, digits: str, profile: Profile, cc_words: str) -> str:
    """The number said the way a caller might, as a recogniser might write it."""
    parts: list[str] = []
    prefix = draw(st.sampled_from(["none", "cc-words", "cc-digits", "trunk"]))
    if prefix == "cc-words":
        parts.append("plus " + cc_words + ",")
    elif prefix == "cc-digits":
        code = phonenumbers.parse(profile.phone, profile.region).country_code
        parts.append(f"+{code}")
    groups = groups_of(profile, digits)
    if prefix == "trunk" and profile.region != "US":
        groups[0] = "0" + groups[0]
    if draw(st.booleans()):
        parts.append("area code")
    previous_joins = False
    for i, group in enumerate(groups):
        words, joins = render_group(draw, group)
        if i:
            # A bare tens/hundred word followed by a digit word would merge ("fifty five"), so a
            # caller pauses there; elsewhere any separator will do.
            options = PAUSING if previous_joins else PAUSING + PLAIN
            parts.append(draw(st.sampled_from(options)).strip() or " ")
        parts.append(" ".join(words))
        previous_joins = joins
    text = " ".join(p for p in parts if p.strip())
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = text.replace(" - ", "-")
    opener = draw(st.sampled_from(["My number is", "Call me on", "You can reach me at", ""]))
    return f"Hi, this is Sam Lee. {opener} {text}. Thanks!".replace("  ", " ")


@st.composite
def mutated(draw: st.DrawFn, digits: str) -> str:
    """DIGITS with one digit changed or dropped."""
    at = draw(st.integers(0, len(digits) - 1))
    if draw(st.booleans()):
        return digits[:at] + digits[at + 1 :]
    other = draw(st.sampled_from([d for d in "0123456789" if d != digits[at]]))
    return digits[:at] + other + digits[at + 1 :]


def check(profile: Profile, text: str) -> str:
    result = says_phone(CheckContext(Transcript.from_text(text), profile), NoParams())
    return result.status


SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@SETTINGS
@given(data=st.data(), picked=profile_numbers())
def test_any_spoken_form_of_the_profile_number_is_recognised(
    data: st.DataObject, picked: tuple[Profile, str, str]
) -> None:
    profile, digits, cc_words = picked
    text = data.draw(spoken(digits, profile, cc_words))
    assert check(profile, text) == "pass", text


@SETTINGS
@given(data=st.data(), picked=profile_numbers())
def test_a_number_one_digit_off_is_not_recognised(
    data: st.DataObject, picked: tuple[Profile, str, str]
) -> None:
    profile, digits, cc_words = picked
    wrong = data.draw(mutated(digits))
    text = data.draw(spoken(wrong, profile, cc_words))
    # Only meaningful when the digits said (with any prefix) do not contain the real number.
    code = str(phonenumbers.parse(profile.phone, profile.region).country_code)
    assume(all(digits not in prefix + wrong for prefix in ("", "0", code, code + "0")))
    assert check(profile, text) == "fail", text
