"""The candidate texts the audio verification scores: spoken renderings and rival numbers."""

from __future__ import annotations

from audio.transcript import Word
from audio.verify import number_competitors, number_renderings, number_stretches, render


def test_the_number_is_rendered_the_ways_people_say_it() -> None:
    said = set(number_renderings("6175550142", (3, 3, 4)).values())
    assert "six one seven, five five five, zero one four two" in said
    assert "six one seven, five five five, oh one four two" in said
    assert "six one seven, five double five, oh one four two" in said
    assert "617-555-0142" in said


def test_pairs_are_said_double_and_groups_follow_the_profile() -> None:
    assert (
        render("2079460958", (2, 4, 4), "double-oh")
        == "two oh, seven nine four six, oh nine five eight"
    )
    assert render("3125550100", (3, 3, 4), "double-zero") == (
        "three one two, five double five, zero one double zero"
    )
    assert render("7185550110", (3, 3, 4), "oh") == "seven one eight, five five five, oh one one oh"


def test_rivals_are_every_one_digit_change_drop_and_cut() -> None:
    digits = "6175550142"
    rivals = set(number_competitors(digits))
    assert digits not in rivals
    changed = {r for r in rivals if len(r) == len(digits)}
    assert len(changed) == 9 * len(digits)
    assert all(sum(a != b for a, b in zip(r, digits, strict=True)) == 1 for r in changed)
    assert "617555014" in rivals  # cut short by one
    assert "617555" in rivals  # cut short by four
    assert "5550142" in rivals  # without the area code
    assert "617550142" in rivals  # one 5 dropped


def test_what_the_transcript_heard_is_a_rival_too() -> None:
    assert "6175050142" in number_competitors("6175550142", ["6175050142"])
    assert "12" not in number_competitors("6175550142", ["12"])


def _words(text: str) -> list[Word]:
    return [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split())]


def test_number_stretches_span_mangled_readings_and_loops() -> None:
    words = _words("You can reach me at 6-1-7. I'm, I'm, I'm, 0-1-4-2. Thank you.")
    ((first, last),) = number_stretches(words)
    assert (words[first].text, words[last].text) == ("6-1-7.", "0-1-4-2.")
    words = _words("call me on six one seven five double five oh one four two please")
    ((first, last),) = number_stretches(words)
    assert (words[first].text, words[last].text) == ("six", "two")


def test_a_stray_number_word_is_not_a_stretch() -> None:
    assert number_stretches(_words("I have one year of experience and two certificates")) == []


def test_the_re_decode_mask_takes_away_every_way_to_write_a_digit_as_a_word() -> None:
    from audio.verify import number_word_token_ids

    texts = [" five", "Oh", " oh,", " double", " Triple", " to", " for", "ONE", " seven"]
    kept = [" 5", "55", "-", " 0142", " again", " area", " code", " me", " often", "", " fiver"]
    texts += kept
    suppressed = {texts[i] for i in number_word_token_ids(texts)}
    assert suppressed == set(texts) - set(kept)
