"""Every phrase rule finds its `match` examples and none of its `no_match` ones.

The rule files (simulator/checks/language/rules/*.yaml) are data a contributor edits without
reading a regex; this test is what keeps them honest: a rule without an example it must find,
or with an example it does not find, fails here.
"""

from __future__ import annotations

import pytest

from simulator.checks.language.engine import Doc, Rule, RuleError, build, rule_files, rules


def _all_rules() -> list[tuple[str, Rule]]:
    return [
        (book, rule)
        for book in rule_files()
        for family in rules(book).families.values()
        for rule in family.rules
    ]


RULES = _all_rules()


def test_every_rule_file_parses_and_has_rules() -> None:
    names = rule_files()
    assert "recovery_line" in names
    assert all(rules(n).families for n in names if n != "common")


def problems(book: str, rule: Rule) -> list[str]:
    """What is wrong with a rule's examples (empty when it finds them all and no near miss)."""
    where = f"{book}.yaml {rule.name} ({rule.pattern!r})"
    found: list[str] = []
    if not rule.match:
        found.append(f"{where} has no match example")
    if not rule.no_match:
        found.append(f"{where} has no no_match example")
    for text in rule.match:
        if not rule.find(Doc.from_text(text)):
            found.append(f"{where} misses {text!r}")
    for text in rule.no_match:
        hits = rule.find(Doc.from_text(text))
        if hits:
            found.append(f"{where} wrongly finds {hits[0].said!r} in {text!r}")
    return found


@pytest.mark.parametrize("book,rule", RULES, ids=[f"{b}:{r.name}" for b, r in RULES])
def test_rule_finds_its_examples(book: str, rule: Rule) -> None:
    assert not problems(book, rule)


def test_a_rule_without_examples_or_with_a_wrong_one_is_caught() -> None:
    book = build(
        "demo",
        {
            "families": {
                "f": {
                    "rules": [
                        {"pattern": "start again"},
                        {"pattern": "start again", "match": "Start over.", "no_match": "x y"},
                        {
                            "pattern": "start again",
                            "match": "Start again.",
                            "no_match": "Start again!",
                        },
                    ]
                }
            }
        },
    )
    bare, misses, over = book.family("f").rules
    assert [p.split(") ")[-1] for p in problems("demo", bare)] == [
        "has no match example",
        "has no no_match example",
    ]
    assert problems("demo", misses) == ["demo.yaml f/2 ('start again') misses 'Start over.'"]
    assert "wrongly finds 'start again'" in problems("demo", over)[0]


def test_the_pattern_language() -> None:
    slots = {
        "families": {
            "f": {"rules": [{"pattern": "(can|could) {WE_I} [please]* start ...2 again $"}]}
        }
    }
    (rule,) = build("demo", slots).family("f").rules
    assert rule.find(Doc.from_text("Could we please please start it all again?"))
    assert rule.find(Doc.from_text("Can I start again"))
    assert not rule.find(Doc.from_text("Can we start it all over again today?"))
    # Contractions in a pattern are spelled out like the answer's.
    book = build("demo", {"families": {"f": {"rules": [{"pattern": "I'm sorry"}]}}})
    assert book.family("f").rules[0].find(Doc.from_text("Im sorry, I am."))
    hit = book.family("f").find(Doc.from_text("Well. I’m sorry."))[0]
    assert [t.text for t in hit.toks] == ["I’m", "sorry."]


@pytest.mark.parametrize(
    "pattern,problem",
    [
        ("(start again", "unbalanced"),
        ("{NOPE} again", "unknown slot"),
        ("start ) again", "unexpected"),
    ],
)
def test_bad_patterns_name_the_problem(pattern: str, problem: str) -> None:
    with pytest.raises(RuleError, match=problem):
        build("demo", {"families": {"f": {"rules": [{"pattern": pattern}]}}})
