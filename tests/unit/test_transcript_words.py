"""Word pieces from the recogniser join into words as written; speech maps of pieces merge."""

from __future__ import annotations

from audio.transcript import Word, joined_words, merged_speech


def test_pieces_without_a_leading_space_continue_the_word() -> None:
    # What faster-whisper returns for "Call 617-555-0142 about 4,000 self-service accounts."
    pieces = [
        (" Call", 0.0, 0.3, 0.9),
        (" 617", 0.3, 0.8, 0.9),
        ("-555", 0.8, 1.4, 0.6),
        ("-0142", 1.4, 2.1, 0.8),
        (" about", 2.1, 2.4, 0.9),
        (" 4", 2.4, 2.6, 0.9),
        (",000", 2.6, 2.9, 0.7),
        (" self", 2.9, 3.1, 0.9),
        ("-service", 3.1, 3.5, 0.9),
        (" accounts.", 3.5, 4.0, 0.9),
    ]
    words = joined_words(pieces)
    assert [w.text for w in words] == [
        "Call",
        "617-555-0142",
        "about",
        "4,000",
        "self-service",
        "accounts.",
    ]
    # The joined word spans all its pieces and is as sure as its least sure piece.
    assert words[1] == Word("617-555-0142", 0.3, 2.1, 0.6)
    assert " ".join(w.text for w in words) == "Call 617-555-0142 about 4,000 self-service accounts."


def test_a_stretched_bare_mark_joins_the_text_but_not_the_time() -> None:
    # The decoder stopped after "312-555-" and stretched the "-" over 14 s of skipped speech.
    words = joined_words([(" at", 6.9, 7.1, 0.9), (" 312", 7.1, 7.3, 0.9), ("-555", 7.3, 7.6, 0.8)])
    words += joined_words([(" 312", 7.1, 7.3, 0.9), ("-", 7.6, 21.4, 0.2)])
    assert words[1] == Word("312-555", 7.1, 7.6, 0.8)
    assert words[-1] == Word("312-", 7.1, 7.3, 0.9)


def test_the_first_piece_starts_a_word_even_without_a_space() -> None:
    assert [w.text for w in joined_words([("Yes.", 0.0, 0.4, 1.0), ("", 0.4, 0.4, 1.0)])] == [
        "Yes."
    ]


def test_speech_maps_of_consecutive_chunks_merge_where_a_cut_split_speech() -> None:
    first = ((0.5, 2.0), (3.0, 9.99))
    second = ((10.0, 12.0), (14.0, 15.0))
    assert merged_speech([first, second]) == ((0.5, 2.0), (3.0, 12.0), (14.0, 15.0))
    assert merged_speech([]) == ()
