"""Contact checks (name, phone, email, repeats, role), their text helpers, and the eval set."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from audio.transcript import Segment, Transcript, Word
from simulator.checks import REGISTRY
from simulator.checks.base import CheckContext, CheckResult, NoParams
from simulator.checks.contact import (
    find_phone_mentions,
    mentions_role,
    repeats_contact,
    says_email,
    says_name,
    says_phone,
)
from simulator.checks.spoken_numbers import spoken_digits
from simulator.checks.text import fmt_time, fold, normalize_word, quote, stem, tokens
from simulator.profile import Profile

EVAL_FILE = Path(__file__).parent.parent / "data" / "eval_contact.yaml"
CONTACT_IDS = ("says_name", "says_phone", "says_email", "repeats_contact", "mentions_role")

JORDAN = Profile(
    name="Jordan Rivera",
    phone="617-555-0142",
    email="jordan.rivera@example.com",
    role="Senior Data Analyst",
)


def timed(text: str, step: float = 0.4, pauses: dict[int, float] | None = None) -> Transcript:
    """A timed transcript of TEXT: one word every STEP seconds, plus PAUSES before word indexes."""
    words: list[Word] = []
    t = 0.0
    for i, w in enumerate(text.split()):
        t += (pauses or {}).get(i, 0.0)
        words.append(Word(w, t, t + step * 0.8))
        t += step
    segment = Segment(text, 0.0, t, tuple(words))
    return Transcript.from_segments([segment], duration=t + 0.5)


def run(check: Any, text: str | Transcript, profile: Profile = JORDAN) -> CheckResult:
    """Run one check on typed TEXT (or a ready transcript) for PROFILE."""
    transcript = text if isinstance(text, Transcript) else Transcript.from_text(text)
    result: CheckResult = check(CheckContext(transcript, profile), NoParams())
    return result


# --------------------------------------------------------------------------- registry and text


def test_contact_checks_are_registered_with_labels() -> None:
    labels = {cid: REGISTRY[cid].label for cid in CONTACT_IDS}
    assert labels == {
        "says_name": "Full name said",
        "says_phone": "Callback number said",
        "says_email": "Email said",
        "repeats_contact": "Name and number repeated",
        "mentions_role": "Role named",
    }
    assert not any(REGISTRY[cid].general for cid in CONTACT_IDS)


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("Rivera,", "rivera"),
        ("That’s", "that's"),
        ("(617)", "617"),
        ("Núñez.", "nunez"),
        ("…", ""),
        ("Straße", "strasse"),
        ("jordan.rivera@example.com.", "jordan.rivera@example.com"),
    ],
)
def test_normalize_word(raw: str, norm: str) -> None:
    assert normalize_word(raw) == norm


def test_fold_strips_accents_and_case() -> None:
    assert fold("José NÚÑEZ") == "jose nunez"


def test_tokens_skip_bare_punctuation_but_keep_word_indexes() -> None:
    toks = tokens(Transcript.from_text("Hi — it's me."))
    assert [(t.norm, t.index) for t in toks] == [("hi", 0), ("it's", 2), ("me", 3)]
    assert toks[0].start is None


def test_fmt_time_and_quote() -> None:
    assert fmt_time(3.4) == "0:03"
    assert fmt_time(75) == "1:15"
    assert fmt_time(3725) == "1:02:05"
    toks = tokens(timed("Hi this is Jordan Rivera.", step=1.0))
    assert quote(toks[3:5]) == '"Jordan Rivera" at 0:03'
    assert quote(tokens(Transcript.from_text("Jordan Rivera."))) == '"Jordan Rivera"'


@pytest.mark.parametrize(
    ("words", "same"),
    [("analysts analyst", True), ("engineering engineer", True), ("managed managing", True),
     ("companies company", True), ("data date", False)],
)  # fmt: skip
def test_stem(words: str, same: bool) -> None:
    a, b = words.split()
    assert (stem(a) == stem(b)) is same


# ------------------------------------------------------------------------------ spoken numbers


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("617-555-0142", "6175550142"),
        ("(617) 555 0142", "6175550142"),
        ("six one seven five five five zero one four two", "6175550142"),
        ("six one seven double five five o one four two", "6175550142"),
        ("six one seven triple five zero one forty two", "6175550142"),
        ("six seventeen, five fifty five, oh one four two", "6175550142"),
        ("area code six one seven, then five five five, zero one four two", "6175550142"),
        ("plus one 617 555 0142", "16175550142"),
        ("617 five five five 0142", "6175550142"),
        ("6-1-7-5-5-5-O-1-4-2", "6175550142"),
        ("five hundred and fifty five", "555"),
        ("oh one hundred", "0100"),
        ("two thousand and five", "2005"),
        ("fifty, five", "505"),
        ("fifty-five", "55"),
        ("six one to five", "6125"),
        ("I went to 5 places", "5"),
        ("five five five and the last four are oh one four two", "5550142"),
    ],
)
def test_spoken_digits(text: str, digits: str) -> None:
    assert spoken_digits(text) == digits


def test_find_phone_mentions_reports_digits_words_and_time() -> None:
    transcript = timed("Hi, call me at 617 555 0142. Or my office, 212 555 0199 thanks")
    mentions = find_phone_mentions(transcript)
    assert [m.digits for m in mentions] == ["6175550142", "2125550199"]
    first = mentions[0]
    assert (first.first_word, first.last_word) == (4, 6)
    assert first.start == pytest.approx(1.6)


def test_find_phone_mentions_ignores_years_and_short_numbers() -> None:
    transcript = Transcript.from_text("From 2015 and 2018 I led 5 teams of 12.")
    assert find_phone_mentions(transcript) == []


def test_occurrences_reject_glued_extra_digits_but_allow_prefix_and_restart() -> None:
    def count(text: str) -> int:
        return sum(
            len(m.occurrences("6175550142", ("1",)))
            for m in find_phone_mentions(Transcript.from_text(text))
        )

    assert count("617 555 01423") == 0
    assert count("1-617-555-0142") == 1
    assert count("six one seven... uh... six one seven five five five oh one four two") == 1
    assert count("617 555 0142, again 617 555 0142") == 2
    assert count("617 555 0143, sorry, 0142") == 1


# ------------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "text",
    [
        "Hi, this is Jordan Rivera calling.",
        "Hey, it's Jordan Riviera.",
        "This is Jordan, Jordan Rivera.",
        "hi this is jordan rivera",
        "Hi, it's Jordan R-I-V-E-R-A.",
        "My name is Jordan, R I V E R A, calling about the role.",
        "Calling about the analyst role. Speak soon, this was Jordan Rivera",
        "Hi, it's Jordan, my last name is Rivera.",
        "Hi, it's Jordan, and Rivera is my last name.",
        "Hi, uh, this is Jordan, um, Rivera.",
    ],
)
def test_says_name_passes(text: str) -> None:
    result = run(says_name, text)
    assert result.status == "pass", result.evidence
    assert result.spans


def test_says_name_evidence_quotes_words_with_time() -> None:
    result = run(says_name, timed("Hi, this is Jordan Rivera.", step=1.0))
    assert result.status == "pass"
    assert '"Jordan Rivera" at 0:03' in result.evidence
    assert [(s.first_word, s.last_word) for s in result.spans] == [(3, 4)]


def test_says_name_first_name_alone_fails_with_tip() -> None:
    result = run(says_name, "Hi, it's Jordan, calling about the data analyst role.")
    assert result.status == "fail"
    assert '"Jordan"' in result.evidence
    assert "first AND last name" in result.tip
    assert "Jordan Rivera" in result.tip


@pytest.mark.parametrize(
    "text",
    [
        "I'm calling about Jordan Smith's referral.",
        "Hi, my manager Jordan Rivers suggested I call.",
        "Hello, I'm calling about Jordan Rivera's application.",
        "My friend Jordan Rivera told me about the role.",
        "Hi, this is Jordan calling for Rivera Associates.",
        "Hi, it's J. Rivera.",
        "Hi, it's Rivera calling.",
    ],
)
def test_says_name_someone_else_or_partial_fails(text: str) -> None:
    assert run(says_name, text).status == "fail"


def test_says_name_contraction_is_not_a_possessive() -> None:
    assert run(says_name, "Hi, Jordan Rivera's my name.").status == "pass"
    assert run(says_name, "Hi, I have Jordan Rivera's resume.").status == "fail"


def test_says_name_someone_elses_name_is_named_in_evidence() -> None:
    result = run(says_name, "I'm calling about Jordan Smith's referral.")
    assert "someone else" in result.evidence
    assert "Jordan Smith's" in result.evidence


def test_says_name_unicode_fold_both_ways() -> None:
    accented = Profile(name="José Núñez")
    plain = Profile(name="Jose Nunez")
    assert run(says_name, "Hi, this is Jose Nunez.", accented).status == "pass"
    assert run(says_name, "Hola, soy José Núñez.", plain).status == "pass"


def test_says_name_hyphenated_names_split_by_asr() -> None:
    profile = Profile(name="Anne-Marie O'Neill-Hart")
    assert run(says_name, "Hi, it's Anne Marie O'Neill Hart.", profile).status == "pass"
    assert run(says_name, "Hi, it's Annemarie Oneill-Hart.", profile).status == "pass"
    assert run(says_name, "Hi, it's Anne-Marie.", profile).status == "fail"


def test_says_name_middle_name_and_short_surname() -> None:
    assert run(says_name, "This is Mary Ann Smith.", Profile(name="Mary Smith")).status == "pass"
    assert run(says_name, "This is Wei Lee.", Profile(name="Wei Li")).status == "pass"
    assert run(says_name, "This is Wei Zhang.", Profile(name="Wei Li")).status == "fail"


def test_says_name_skips_without_profile_name_and_fails_on_silence() -> None:
    skipped = run(says_name, "Hi, this is Jordan Rivera.", Profile())
    assert skipped.status == "skipped"
    assert "no name" in skipped.evidence
    assert run(says_name, "").status == "fail"


# ------------------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    "text",
    [
        "Call me at 617-555-0142.",
        "Call me at (617) 555 0142.",
        "Call me at 6175550142.",
        "It's six one seven five five five zero one four two.",
        "It's six one seven, five five five, oh one four two.",
        "It's six one seven double five five o one four two.",
        "It's six one seven triple five zero one forty two.",
        "Six seventeen, five fifty five, zero one forty two.",
        "Area code six one seven, then five five five, zero one four two.",
        "Plus one, six one seven, five five five, zero one four two.",
        "1-617-555-0142",
        "617 five five five 0142",
        "six one seven... uh... six one seven five five five oh one four two",
        "My area code is 617 and the number is 555-0142.",
        "617 555 0143, sorry, 0142.",
    ],
)
def test_says_phone_passes(text: str) -> None:
    result = run(says_phone, text)
    assert result.status == "pass", result.evidence
    assert result.spans


def test_says_phone_pass_evidence_has_time_and_span() -> None:
    result = run(says_phone, timed("Hi, my number is 617 555 0142 thanks", step=1.0))
    assert result.status == "pass"
    assert '"617 555 0142" at 0:04' in result.evidence
    assert [(s.first_word, s.last_word) for s in result.spans] == [(4, 6)]


def test_says_phone_one_digit_short_shows_what_was_heard() -> None:
    result = run(says_phone, "Call me back at six one seven five five five zero one four.")
    assert result.status == "fail"
    assert "617 555 014" in result.evidence
    assert "one digit short" in result.evidence
    assert "six one seven five five five zero one four" in result.evidence
    assert result.spans and result.spans[0].kind == "miss"


def test_says_phone_changed_digit_names_the_digit() -> None:
    result = run(says_phone, "My number is 617-555-0143.")
    assert result.status == "fail"
    assert "617 555 0143" in result.evidence
    assert "heard 3 where your number has 2" in result.evidence


def test_says_phone_missing_area_code() -> None:
    result = run(says_phone, "Reach me at 555-0142.")
    assert result.status == "fail"
    assert "555 0142" in result.evidence
    assert "area code" in result.evidence


def test_says_phone_glued_extra_digit_fails() -> None:
    result = run(says_phone, "My number is 617 555 01423.")
    assert result.status == "fail"
    assert "one digit too many" in result.evidence


def test_says_phone_other_number_and_no_number() -> None:
    other = run(says_phone, "Call 212 867 5309 anytime.")
    assert other.status == "fail"
    assert "not your number" in other.evidence
    nothing = run(says_phone, "I'll call you back later.")
    assert nothing.status == "fail"
    assert nothing.evidence == "No phone number was heard."
    assert "617 555 0142" in nothing.tip


def test_says_phone_uk_number_with_trunk_and_country_code() -> None:
    profile = Profile(name="Anne Hart", phone="+44 20 7946 0958", region="GB")
    for text in (
        "ring me on 020 7946 0958",
        "oh two oh, seven nine four six, oh nine five eight",
        "plus four four, twenty, seven nine four six, oh nine five eight",
        "+44 (0)20 7946 0958",
    ):
        assert run(says_phone, text, profile).status == "pass", text
    short = run(says_phone, "oh two oh seven nine four six oh nine five", profile)
    assert short.status == "fail"
    assert "020 7946 095" in short.evidence


def test_says_phone_skips_without_or_with_invalid_profile_phone() -> None:
    assert run(says_phone, "617 555 0142", Profile(name="X")).status == "skipped"
    bad = run(says_phone, "617 555 0142", Profile(name="X", phone="12"))
    assert bad.status == "skipped"
    assert "12" in bad.evidence


# ------------------------------------------------------------------------------------- email


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("Email me at jordan dot rivera at example dot com.", "jordan.rivera@example.com"),
        ("It's Jordan.Rivera@Example.com.", "jordan.rivera@example.com"),
        ("jordan underscore rivera at gmail dot com", "jordan_rivera@gmail.com"),
        ("j rivera at example dot com", "jrivera@example.com"),
        ("J-O-R-D-A-N dot rivera at example.com", "jordan.rivera@example.com"),
        ("jordan rivera eighty eight at gmail dot com", "jordanrivera88@gmail.com"),
        ("jordan dash rivera at mail dot co dot uk", "jordan-rivera@mail.co.uk"),
    ],
)
def test_says_email_passes(text: str, email: str) -> None:
    result = run(says_email, text, Profile(email=email))
    assert result.status == "pass", result.evidence


def test_says_email_wrong_address_fails_with_what_was_heard() -> None:
    result = run(says_email, "Email jordan dot rivers at example dot com, thanks.")
    assert result.status == "fail"
    assert "jordan dot rivers at example dot com" in result.evidence
    assert "jordan dot rivera at example dot com" in result.tip


def test_says_email_missing_and_skipped() -> None:
    assert run(says_email, "Call me at 617 555 0142.").status == "fail"
    assert run(says_email, "jordan dot rivera at example dot com", Profile()).status == "skipped"


# ----------------------------------------------------------------------------------- repeats


def test_repeats_contact_both_twice_early_passes() -> None:
    text = (
        "Hi, this is Jordan Rivera, 617 555 0142. Again, Jordan Rivera, 617 555 0142. I have six "
        "years of experience in analytics and I'd love to talk about the role sometime this week "
        "if you have a moment to spare, thanks so much for listening to this long message today."
    )
    result = run(repeats_contact, text)
    assert result.status == "pass"
    assert "Name said 2×" in result.evidence
    assert "number 2×" in result.evidence


def test_repeats_contact_number_in_last_third_by_time() -> None:
    text = "Hi this is Jordan Rivera about the data analyst role my number is 617 555 0142"
    result = run(repeats_contact, timed(text))
    assert result.status == "pass"
    assert "last third" in result.evidence
    assert "at 0:0" in result.evidence


def test_repeats_contact_uses_time_not_word_position_when_timed() -> None:
    text = "Hi this is Jordan Rivera my number is 617 555 0142 okay thanks bye"
    # By words the number ends at 11 of 14; a long silence before "okay" puts it early in time.
    assert run(repeats_contact, Transcript.from_text(text)).status == "pass"
    late_pause = run(repeats_contact, timed(text, pauses={11: 20.0}))
    assert late_pause.status == "fail"
    assert "never in the last third" in late_pause.evidence


def test_repeats_contact_once_early_fails_with_tip() -> None:
    text = (
        "617 555 0142, this is Jordan Rivera. I wanted to follow up on the Senior Data Analyst "
        "application and let you know I'm still very interested. Looking forward to hearing back."
    )
    result = run(repeats_contact, text)
    assert result.status == "fail"
    assert "name 1×" in result.evidence
    assert "number 1×" in result.evidence
    assert "Jordan Rivera" in result.tip and "617 555 0142" in result.tip


def test_repeats_contact_counts_a_name_said_in_two_parts_once() -> None:
    text = (
        "Hi, it's Jordan, last name Rivera, 617 555 0142, again 617 555 0142. I'd love to talk "
        "about the analyst role whenever suits you this week, thanks so much for listening today."
    )
    result = run(repeats_contact, text)
    assert result.status == "fail"
    assert "name 1×" in result.evidence and "number 2×" in result.evidence


def test_repeats_contact_skips_without_phone_or_name() -> None:
    assert run(repeats_contact, "hi", Profile(name="Jordan Rivera")).status == "skipped"
    assert run(repeats_contact, "hi", Profile(phone="617 555 0142")).status == "skipped"


# -------------------------------------------------------------------------------------- role


@pytest.mark.parametrize(
    "text",
    [
        "I'm calling about the Senior Data Analyst position.",
        "about the data analyst role",
        "You're hiring data analysts, I believe.",
        "the analyst role working with data",
        "the Data-Analyst opening",
    ],
)
def test_mentions_role_passes(text: str) -> None:
    result = run(mentions_role, text)
    assert result.status == "pass", result.evidence


def test_mentions_role_generic_job_fails_with_tip_naming_role() -> None:
    result = run(mentions_role, "Hi, I'm calling about the job you posted.")
    assert result.status == "fail"
    assert '"the job"' in result.evidence
    assert "Senior Data Analyst" in result.tip


def test_mentions_role_missing_key_word_fails() -> None:
    result = run(mentions_role, "I'm calling about the analyst job.")
    assert result.status == "fail"
    assert "'data'" in result.evidence


def test_mentions_role_other_shapes() -> None:
    head_of = Profile(role="Head of Marketing")
    assert run(mentions_role, "about the head of marketing post", head_of).status == "pass"
    assert run(mentions_role, "about the marketing manager job", head_of).status == "fail"
    csm = Profile(role="Customer Success Manager")
    assert run(mentions_role, "following up on the CSM role", csm).status == "pass"
    assert run(mentions_role, "regarding the manager position", csm).status == "fail"


def test_mentions_role_lead_as_head_noun() -> None:
    lead = Profile(role="Team Lead")
    assert run(mentions_role, "applying for the team lead role", lead).status == "pass"
    assert run(mentions_role, "I'd love to join your team", lead).status == "fail"


def test_mentions_role_skips_without_role() -> None:
    assert run(mentions_role, "the data analyst role", Profile(name="x")).status == "skipped"


# ------------------------------------------------------------------------------ evaluation set


def _eval_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    return data


def _eval_results() -> list[tuple[str, str, str, str, str]]:
    """(case id, check id, expected, got, evidence) for every labelled check in the eval set."""
    data = _eval_data()
    profiles = {key: Profile(**fields) for key, fields in data["profiles"].items()}
    checks = {cid: REGISTRY[cid].func for cid in CONTACT_IDS}
    rows: list[tuple[str, str, str, str, str]] = []
    for case in data["cases"]:
        ctx = CheckContext(Transcript.from_text(case["text"]), profiles[case["profile"]])
        for cid, expected in case["expect"].items():
            result = checks[cid](ctx, NoParams())
            rows.append((case["id"], cid, expected, result.status, result.evidence))
    return rows


def test_eval_set_is_big_and_varied() -> None:
    data = _eval_data()
    cases = data["cases"]
    assert len(cases) >= 40
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert set(case["expect"]) == set(CONTACT_IDS), case["id"]
    for cid in CONTACT_IDS:
        statuses = Counter(c["expect"][cid] for c in cases)
        assert statuses["pass"] >= 10 and statuses["fail"] >= 5, (cid, statuses)


def test_eval_set_full_agreement_per_check() -> None:
    rows = _eval_results()
    disagreements = [r for r in rows if r[2] != r[3]]
    per_check = {
        cid: sum(1 for r in rows if r[1] == cid and r[2] == r[3])
        / sum(1 for r in rows if r[1] == cid)
        for cid in CONTACT_IDS
    }
    assert disagreements == [], per_check
    assert all(rate == 1.0 for rate in per_check.values())


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Calling about the RN role on the surgical ward.", "pass"),
        ("It's about the RN position, thanks.", "pass"),
        ("I am calling about the nurse thing, call me after 3 RN role.", "fail"),
        ("I'll be free from 3 rn, calling about the role.", "fail"),
    ],
)
def test_two_letter_role_initials_count_only_before_a_job_word(text: str, want: str) -> None:
    nurse = Profile(name="Sarah-Jane Whitfield", role="Registered Nurse")
    assert run(mentions_role, text, nurse).status == want


def test_a_number_cut_off_mid_way_fails_without_crashing() -> None:
    maria = Profile(name="Maria Delgado", phone="(312) 555-0187", role="Project Coordinator")
    for text in (
        "Hello, my name is Maria Delgado. You can reach me at 312-555-",
        "Hello, my name is Maria Delgado. You can reach me at 312 -555 -",
    ):
        ctx = CheckContext(transcript=Transcript.from_text(text), profile=maria)
        result = REGISTRY["says_phone"].func(ctx, NoParams())
        assert result.status == "fail", text
        assert "312" in result.evidence


def test_five_heard_as_fine_inside_a_number_still_counts() -> None:
    maria = Profile(name="Maria Delgado", phone="(312) 555-0187")
    heard = "You can reach me at 312- Find, find, find, zero, one, eight, seven. Thanks."
    ctx = CheckContext(transcript=Transcript.from_text(heard), profile=maria)
    assert REGISTRY["says_phone"].func(ctx, NoParams()).status == "pass"
    # "fine" away from any digit is just "fine": the number stays incomplete.
    chat = "I'm doing fine, thanks. Call me at 312 0187."
    ctx = CheckContext(transcript=Transcript.from_text(chat), profile=maria)
    assert REGISTRY["says_phone"].func(ctx, NoParams()).status == "fail"
