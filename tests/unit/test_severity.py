"""Severity: must checks decide the drill, advice never fails it; scenarios override; kept in history."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from audio.transcript import Transcript
from simulator.checks import GENERAL_CHECK_IDS, REGISTRY
from simulator.checks.base import CheckResult, Span
from simulator.grading import grade_step, needed_profile_fields
from simulator.profile import Profile
from simulator.report import SessionReport, StepReport, headline, render_text
from simulator.scenario import ScenarioError, find_scenario, parse_scenario
from simulator.session import Practice
from simulator.store import _MIGRATIONS, Store

ME = Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst", company="Northwind")

# Name, number and role all there, said once: the message is returnable, and repeating the
# contact details is advice the user may ignore.
RETURNABLE_ONCE = (
    "Hi, this is Jordan Rivera calling about the Data Analyst role at Northwind. "
    "You can reach me at 617-555-0142. I've spent four years building reporting for a retail "
    "team, and I'd love to tell you how that fits yours. Thanks so much for your time, and I "
    "look forward to hearing from you."
)
# Everything but the number: not returnable, however polished.
NO_NUMBER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst role at Northwind. I'd love to "
    "talk about how my reporting work fits your team. Thanks, and have a great day."
)

LANGUAGE_SEVERITY = {
    "recovery_line": "must",
    "declines_personal_question": "must",
    "takes_responsibility": "must",
    "star_structure": "must",
    "names_lesson": "must",
    "keywords": "advice",
    "no_profanity": "advice",
}
"""What each language check registers: the judgement checks decide their drill."""


def test_the_language_checks_register_their_severity() -> None:
    assert {c: REGISTRY[c].severity for c in LANGUAGE_SEVERITY} == LANGUAGE_SEVERITY


def scenario(checks: str, general: str = "") -> str:
    return f"""
id: sev
title: Severity test
kind: voicemail
description: d
{general}
steps:
  - prompt: Leave a message.
    time_limit: 60
    checks:
{checks}
"""


def by_id(results: tuple[CheckResult, ...]) -> dict[str, CheckResult]:
    return {r.id: r for r in results}


def test_contact_and_delivery_checks_register_their_severity_and_needs() -> None:
    expected = {
        "says_name": ("must", {"name"}),
        "says_phone": ("must", {"phone"}),
        "mentions_role": ("must", {"role"}),
        "says_email": ("advice", {"email"}),
        "repeats_contact": ("advice", {"name", "phone"}),
        "within_time": ("advice", set()),
        "filler_rate": ("advice", set()),
        "pace": ("advice", set()),
        "long_pauses": ("advice", set()),
        "first_word_latency": ("advice", set()),
        "owns_answer": ("advice", set()),
    }
    got = {i: (REGISTRY[i].severity, set(REGISTRY[i].needs)) for i in expected}
    assert got == expected
    # The general checks are the ones registered general=True, in PRODUCT.md's order.
    assert GENERAL_CHECK_IDS == (
        "filler_rate",
        "pace",
        "long_pauses",
        "first_word_latency",
        "no_profanity",
        "vocal_variety",
        "volume",
        "hedging",
        "repetition",
        "steady_pace",
    )
    # A general check with no word on severity is advice; a judgement check is a must.
    assert REGISTRY["no_profanity"].severity == "advice"
    assert REGISTRY["recovery_line"].severity == "must"


def test_the_voicemail_passes_on_name_number_and_role_whatever_the_advice() -> None:
    practice = Practice(find_scenario("voicemail-screening"), ME, Store())
    step = practice.answer_text(0, RETURNABLE_ONCE)
    results = by_id(step.results)
    assert results["repeats_contact"].status == "fail"
    assert results["repeats_contact"].severity == "advice"
    assert step.passed and practice.finish().passed


def test_a_missed_must_fails_the_session() -> None:
    practice = Practice(find_scenario("voicemail-screening"), ME, Store())
    step = practice.answer_text(0, NO_NUMBER)
    assert by_id(step.results)["says_phone"].severity == "must"
    assert not step.passed and not practice.finish().passed


def test_grading_reads_the_severity_from_the_registration() -> None:
    text = scenario("      - keywords: {terms: [dashboard, forecast], mode: all}")
    results = by_id(grade_step(parse_scenario(text), 0, Transcript.from_text("Hello."), ME))
    assert results["keywords"].status == "fail" and results["keywords"].severity == "advice"
    saved = REGISTRY["keywords"]
    REGISTRY["keywords"] = replace(saved, severity="must")
    try:
        results = by_id(grade_step(parse_scenario(text), 0, Transcript.from_text("Hello."), ME))
    finally:
        REGISTRY["keywords"] = saved
    assert results["keywords"].severity == "must" and results["keywords"].counts_as_failure


def test_a_scenario_overrides_severity_in_every_form() -> None:
    text = scenario(
        "      - within_time: {max_seconds: 45, min_seconds: 10, severity: must}\n"
        "      - {says_phone: null, severity: advice}\n"
        "      - {id: mentions_role, severity: advice}\n"
        "      - says_name: {optional: true}\n",
        general="general_checks:\n  no_profanity: {severity: must}",
    )
    answer = Transcript.from_text("Damn, hi.")
    results = by_id(grade_step(parse_scenario(text), 0, answer, Profile(phone="617 555 0142")))
    assert {i: r.severity for i, r in results.items()} == {
        "within_time": "must",
        "says_phone": "advice",
        "mentions_role": "advice",
        "says_name": "advice",
        "no_profanity": "must",
        "filler_rate": "advice",
        "pace": "advice",
        "long_pauses": "advice",
        "first_word_latency": "advice",
        "vocal_variety": "advice",
        "volume": "advice",
        "hedging": "advice",
        "repetition": "advice",
        "steady_pace": "advice",
    }
    failing = {i for i, r in results.items() if r.counts_as_failure}
    assert failing == {"within_time", "no_profanity"}


def test_bad_severities_are_reported_at_their_field() -> None:
    text = scenario(
        "      - within_time: {max_seconds: 45, severity: mandatory}\n"
        "      - recovery_line: {optional: true, severity: must}\n",
        general="general_checks:\n  pace: {severity: high, max_wpm: 180}",
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    problems = {p.field: p.message for p in caught.value.problems}
    assert problems["general_checks.pace.severity"] == "must be one of 'must' or 'advice'"
    assert problems["steps[0].checks[0].severity"] == "must be one of 'must' or 'advice'"
    assert "optional: true" in problems["steps[0].checks[1].severity"]


def test_the_profile_fields_asked_for_come_from_the_registrations() -> None:
    text = scenario("      - says_email\n      - repeats_contact\n      - pace")
    assert needed_profile_fields(parse_scenario(text)) == {"email", "name", "phone"}
    assert needed_profile_fields(find_scenario("voicemail-screening")) == {"name", "phone", "role"}


def result(
    check_id: str, status: str, severity: str, spans: tuple[Span, ...] = (), optional: bool = False
) -> CheckResult:
    return CheckResult(check_id, status, "", "", check_id, optional, spans, severity)  # type: ignore[arg-type]


def test_the_headline_separates_the_must_haves_from_the_advice() -> None:
    pauses = (Span(3, 4, "pause"), Span(9, 10, "pause"))
    results = (
        result("says_name", "pass", "must"),
        result("says_phone", "fail", "must"),
        result("mentions_role", "pass", "must"),
        result("within_time", "pass", "advice"),
        result("pace", "fail", "advice"),
        result("long_pauses", "fail", "advice", pauses),
        result("filler_rate", "fail", "advice", (Span(1, 1, "filler"),)),
        result("recovery_line", "fail", "must", optional=True),
    )
    top = headline(results, "voicemail")
    assert top.must_line == "Returnable: name ✔ number ✘ role ✔"
    assert top.advice_line == "Advice: pace, 2 long pauses, 1 filler, recovery line"


def test_a_check_on_several_steps_is_a_miss_if_any_step_missed_it() -> None:
    results = (
        result("no_profanity", "pass", "must"),
        result("no_profanity", "fail", "must"),
        result("star_structure", "skipped", "must"),
    )
    assert headline(results, "interview").must_line == "Must-haves: no profanity ✘ star structure –"
    assert headline(results[:1], "interview").advice_line == "Advice: nothing to work on"
    advice_only = headline([result("pace", "pass", "advice")], "phone-screen")
    assert advice_only.must_line == "Must-haves: none in this drill (every check is advice)"


def test_the_text_report_opens_with_the_headline() -> None:
    step = StepReport(
        0,
        "Leave a message.",
        Transcript.from_text("Hi."),
        (result("says_name", "pass", "must"), result("pace", "fail", "advice")),
    )
    text = render_text(SessionReport("v", "Voicemail", (step,), None, 1, "voicemail"))
    lines = text.splitlines()
    assert lines[:3] == ["Voicemail (v) — PASSED", "Returnable: name ✔", "Advice: pace"]
    assert "  ✘ pace [pace] (advice)" in lines


def test_the_json_report_gives_each_check_its_severity() -> None:
    practice = Practice(find_scenario("voicemail-screening"), ME, Store())
    practice.answer_text(0, NO_NUMBER)
    report = practice.finish().to_json()
    checks = report["steps"][0]["checks"]
    assert {c["id"]: c["severity"] for c in checks}["says_phone"] == "must"
    assert all(set(c) == {"id", "status", "severity", "evidence", "tip"} for c in checks)
    assert report["passed"] is False


def test_severity_is_kept_in_history_and_old_rows_read_as_registered(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    # A history written before severities were kept: schema version 1.
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO sessions (scenario_id, scenario_title, scenario_kind, started_at)"
        " VALUES ('v', 'V', 'voicemail', '2025-01-01T00:00:00+00:00')"
    )
    conn.execute(
        "INSERT INTO takes (session_id, step_index, attempt, prompt, status, created_at,"
        " transcript_text, words, segments, timed)"
        " VALUES (1, 0, 1, 'Q', 'complete', '2025-01-01T00:00:00+00:00', 'hi', '[]', '[]', 0)"
    )
    for position, (check_id, optional) in enumerate(
        [("says_phone", 0), ("pace", 0), ("says_name", 1)]
    ):
        conn.execute(
            "INSERT INTO check_results (take_id, position, check_id, status, evidence, tip,"
            " optional) VALUES (1, ?, ?, 'fail', '', '', ?)",
            (position, check_id, optional),
        )
    conn.close()
    with Store(path) as store:
        take = store.get_take(1)
        assert [r.severity for r in take.results] == ["must", "advice", "advice"]
        sid = store.start_session("v", "V", "voicemail")
        new = store.begin_take(sid, 0, "Q", None)
        store.complete_take(
            new, Transcript.from_text("hi"), (result("pace", "fail", "must"),), None
        )
        assert store.get_take(new).results[0].severity == "must"
        assert store.get_take(new).passed is False
