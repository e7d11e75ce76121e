"""The scenario loader: built-in library, validation messages with field paths and lines, lookup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio.transcript import Transcript
from simulator import locations
from simulator.checks import REGISTRY
from simulator.errors import UserError
from simulator.grading import grade_step
from simulator.profile import Profile
from simulator.scenario import (
    KINDS,
    CheckSpec,
    Problem,
    Scenario,
    ScenarioError,
    builtin_files,
    find_scenario,
    library,
    load_scenario_file,
    parse_scenario,
)

# PRODUCT.md, "Built-in scenarios": the checks each must run beyond the general ones.
REQUIRED_CHECKS: dict[str, set[str]] = {
    "voicemail-screening": {
        "says_name",
        "says_phone",
        "mentions_role",
        "within_time",
        "repeats_contact",
    },
    "phone-screen": {"within_time", "keywords"},
    "wrong-foot-restart": {"recovery_line"},
    "inappropriate-question": {"declines_personal_question"},
    "combative-interviewer": {"no_profanity", "within_time", "recovery_line", "owns_answer"},
    "long-anecdote": {"within_time", "star_structure"},
    "recruiter-debrief": {"takes_responsibility", "says_name", "mentions_role"},
    "post-interview-reflection": {"names_lesson"},
}

VALID = """\
id: tiny
title: Tiny
kind: interview
description: A one-step scenario.
steps:
  - prompt: Tell me about yourself.
    time_limit: 60
"""


def _builtins() -> dict[str, Scenario]:
    return {path.stem: load_scenario_file(path) for path in builtin_files()}


def _problems(text: str, file: str = "s.yaml") -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file)
    return info.value.problems


def _max_seconds(scenario: Scenario, step_index: int) -> float:
    """The within_time bound a step enforces (its own, or the step's time limit)."""
    step = scenario.steps[step_index]
    for spec in step.checks:
        if spec.id == "within_time":
            return float(spec.params.get("max_seconds", step.time_limit))
    raise AssertionError(f"{scenario.id} step {step_index} has no within_time")


# --- the built-in library -------------------------------------------------------------------


def test_every_builtin_in_the_table_ships_and_loads() -> None:
    scenarios = _builtins()
    assert set(scenarios) == set(REQUIRED_CHECKS)
    for stem, scenario in scenarios.items():
        assert scenario.id == stem
        assert scenario.kind in KINDS


@pytest.mark.parametrize("scenario_id", sorted(REQUIRED_CHECKS))
def test_builtin_runs_the_checks_product_md_requires(scenario_id: str) -> None:
    scenario = _builtins()[scenario_id]
    used = {spec.id for step in scenario.steps for spec in step.checks}
    assert REQUIRED_CHECKS[scenario_id] <= used
    # General checks stay on in every built-in: a scenario may retune them but not drop them.
    assert all(value is not False for value in scenario.general_checks.values())


def test_builtin_time_limits_follow_practice() -> None:
    scenarios = _builtins()
    voicemail = scenarios["voicemail-screening"]
    assert voicemail.persona.phone_line
    assert voicemail.steps[0].kind == "voicemail"
    assert _max_seconds(voicemail, 0) <= 45
    greeting = voicemail.steps[0].prompt.lower()
    assert all(word in greeting for word in ("name", "role", "number"))
    for index, _step in enumerate(scenarios["phone-screen"].steps):
        assert 60 <= _max_seconds(scenarios["phone-screen"], index) <= 120
        ids = [spec.id for spec in scenarios["phone-screen"].steps[index].checks]
        assert "keywords" in ids
    for index, _step in enumerate(scenarios["long-anecdote"].steps):
        assert _max_seconds(scenarios["long-anecdote"], index) <= 90
    combative = scenarios["combative-interviewer"]
    assert combative.steps[0].pause_before > 0
    recovery = [s for st_ in combative.steps for s in st_.checks if s.id == "recovery_line"]
    assert recovery and all(spec.optional for spec in recovery)
    # The recording must run past the bound, or an overlong answer could never be caught.
    for scenario in scenarios.values():
        for index, step in enumerate(scenario.steps):
            if any(spec.id == "within_time" for spec in step.checks):
                assert _max_seconds(scenario, index) < step.time_limit


def test_builtin_ids_are_unique_and_match_file_names() -> None:
    ids = [load_scenario_file(path).id for path in builtin_files()]
    assert len(ids) == len(set(ids))
    assert ids == [path.stem for path in builtin_files()]


def test_builtin_prompts_render_with_and_without_a_profile() -> None:
    full = Profile(
        name="Zoë Núñez", phone="617 555 0142", role="Data Analyst", company="Société Générale"
    )
    for scenario in _builtins().values():
        for step in scenario.steps:
            for profile in (full, Profile(), None):
                text = step.render_prompt(profile)
                assert "{" not in text and "}" not in text
    greeting = _builtins()["phone-screen"].steps[0]
    assert greeting.render_prompt(full).startswith("Hi Zoë, this is Dana")
    assert "at Société Générale" in greeting.render_prompt(full)
    assert greeting.render_prompt(Profile()).startswith("Hi there, this is Dana")
    assert "at our company" in greeting.render_prompt(None)


def test_render_prompt_leaves_text_without_placeholders_alone() -> None:
    step = parse_scenario(VALID).steps[0]
    assert step.render_prompt(Profile(name="Jordan Rivera")) == "Tell me about yourself."


# --- validation messages ----------------------------------------------------------------------


def _with_steps(steps: str, head: str = "") -> str:
    return (
        "id: broken\ntitle: Broken\nkind: interview\ndescription: Broken on purpose.\n"
        + head
        + "steps:\n"
        + steps
    )


BROKEN: list[tuple[str, str, str, str, int | None]] = [
    (
        "time limit zero",
        _with_steps(
            "  - prompt: One\n    time_limit: 30\n"
            "  - prompt: Two\n    time_limit: 30\n"
            "  - prompt: Three\n    time_limit: 0\n"
        ),
        "steps[2].time_limit",
        "must be > 0",
        11,
    ),
    (
        "unknown check id",
        _with_steps("  - prompt: Hi\n    time_limit: 30\n    checks:\n      - says_nam\n"),
        "steps[0].checks[0]",
        "unknown check 'says_nam' (did you mean 'says_name'?)",
        9,
    ),
    (
        "keywords without terms",
        _with_steps(
            "  - prompt: Hi\n    time_limit: 30\n    checks:\n"
            "      - says_name\n      - keywords: {mode: any}\n"
        ),
        "steps[0].checks[1].keywords.terms",
        "required field missing",
        10,
    ),
    (
        "check params in the id/params form",
        _with_steps(
            "  - prompt: Hi\n    time_limit: 30\n    checks:\n"
            "      - id: keywords\n        params:\n          terms: []\n          mode: most\n"
        ),
        "steps[0].checks[0].keywords.mode",
        "must be one of 'any' or 'all'",
        12,
    ),
    (
        "unknown field",
        _with_steps("  - prompt: Hi\n    timelimit: 30\n    time_limit: 30\n"),
        "steps[0].timelimit",
        "unknown field (known: id, prompt, kind, pause_before, time_limit, checks, note, cut_in, next)",
        7,
    ),
    (
        "wrong scenario kind",
        VALID.replace("kind: interview", "kind: interveiw"),
        "kind",
        "must be one of 'voicemail', 'phone-screen', 'interview', 'recruiter-call' or 'reflection'",
        3,
    ),
    (
        "wrong step kind",
        _with_steps("  - prompt: Hi\n    kind: beep\n    time_limit: 30\n"),
        "steps[0].kind",
        "must be one of 'question' or 'voicemail'",
        7,
    ),
    (
        "missing time limit",
        _with_steps("  - prompt: Hi\n"),
        "steps[0].time_limit",
        "required field missing",
        6,
    ),
    (
        "empty steps",
        "id: broken\ntitle: B\nkind: interview\ndescription: B.\nsteps: []\n",
        "steps",
        "must have at least 1 item",
        5,
    ),
    (
        "id with capitals",
        VALID.replace("id: tiny", "id: My Scenario"),
        "id",
        "must be lowercase letters, digits and dashes, e.g. my-scenario",
        1,
    ),
    (
        "step that is not a mapping",
        _with_steps("  - Tell me about yourself\n"),
        "steps[0]",
        "must be a mapping (key: value lines)",
        6,
    ),
    (
        "unknown general check",
        _with_steps("  - prompt: Hi\n    time_limit: 30\n", "general_checks:\n  paec: false\n"),
        "general_checks.paec",
        "not a general check (did you mean 'pace'?)",
        6,
    ),
    (
        "general check set to a number",
        _with_steps("  - prompt: Hi\n    time_limit: 30\n", "general_checks:\n  pace: 3\n"),
        "general_checks.pace",
        "must be true, false, or a mapping of parameters",
        6,
    ),
    (
        "unknown placeholder",
        _with_steps("  - prompt: Hi {nmae}, welcome.\n    time_limit: 30\n"),
        "steps[0].prompt",
        "unknown placeholder {nmae} (use {name}, {first_name}, {role}, {company})",
        6,
    ),
    (
        "stray brace",
        _with_steps("  - prompt: 'Hi {name, welcome.'\n    time_limit: 30\n"),
        "steps[0].prompt",
        "unbalanced { or }",
        6,
    ),
    (
        "within_time bound past the recording",
        _with_steps(
            "  - prompt: Hi\n    time_limit: 30\n    checks:\n"
            "      - within_time: {max_seconds: 45}\n"
        ),
        "steps[0].checks[0].within_time.max_seconds",
        "must be <= the step's time_limit (30)",
        9,
    ),
    (
        "persona rate too slow",
        _with_steps("  - prompt: Hi\n    time_limit: 30\n", "persona:\n  rate: 20\n"),
        "persona.rate",
        "must be >= 80",
        6,
    ),
    (
        "key written twice",
        VALID + "steps:\n  - prompt: Again\n    time_limit: 5\n",
        "steps",
        "written twice in the same mapping",
        8,
    ),
    (
        "malformed YAML",
        "id: broken\ntitle: [unclosed\nkind: interview\n",
        "",
        "malformed YAML: expected ',' or ']'",
        3,
    ),
    (
        "tab indentation",
        "id: broken\nsteps:\n\t- prompt: Hi\n",
        "",
        "indent with spaces, not tabs",
        3,
    ),
    (
        "impossible date",
        _with_steps("  - prompt: Hi\n    time_limit: 2024-13-45\n"),
        "",
        "malformed YAML: cannot read a value",
        7,
    ),
    (
        "bad tagged scalar",
        _with_steps(
            "  - prompt: Hi\n    time_limit: 30\n", "persona:\n  phone_line: !!bool maybe\n"
        ),
        "",
        "malformed YAML: cannot read a value",
        6,
    ),
    (
        "control character",
        "id: broken\ntitle: Bro\x00ken\n",
        "",
        "character U+0000 is not allowed",
        2,
    ),
    (
        "empty file",
        "",
        "",
        "a scenario must be a mapping (key: value lines), got an empty file",
        None,
    ),
    ("comments only", "# nothing yet\n\n", "", "got an empty file", None),
    ("a list", "- id: broken\n- title: B\n", "", "got a list", 1),
    ("a scalar", "just some words\n", "", "got a single line of text", 1),
]


@pytest.mark.parametrize(
    ("text", "field", "message", "line"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_file_reports_field_message_and_line(
    text: str, field: str, message: str, line: int | None
) -> None:
    problems = _problems(text, "broken.yaml")
    matching = [p for p in problems if p.field == field and message in p.message]
    assert matching, f"no {field}: {message!r} in {[str(p) for p in problems]}"
    assert matching[0].line == line
    assert matching[0].file == "broken.yaml"


def test_problem_reads_file_line_field_message() -> None:
    (problem,) = _problems(
        _with_steps(
            "  - prompt: One\n    time_limit: 30\n"
            "  - prompt: Two\n    time_limit: 30\n"
            "  - prompt: Three\n    time_limit: -5\n"
        ),
        "pack/bad.yaml",
    )
    assert str(problem) == "pack/bad.yaml:11: steps[2].time_limit: must be > 0"


def test_every_problem_is_reported_in_file_order() -> None:
    text = """\
id: Bad Id
title: ""
kind: interviw
description: x
persona:
  colour: red
steps:
  - prompt: Hello {nme}
    time_limit: 30
  - prompt: Next
    time_limit: 30
    checks:
      - says_nam
      - keywords: {mode: any}
  - prompt: third
    time_limit: 0
    kind: phone
"""
    problems = _problems(text)
    assert [(p.line, p.field) for p in problems] == [
        (1, "id"),
        (2, "title"),
        (3, "kind"),
        (6, "persona.colour"),
        (8, "steps[0].prompt"),
        (13, "steps[1].checks[0]"),
        (14, "steps[1].checks[1].keywords.terms"),
        (16, "steps[2].time_limit"),
        (17, "steps[2].kind"),
    ]
    error = ScenarioError(problems)
    assert "\n" not in str(error)
    assert str(error).endswith("(and 8 more; run mockcall validate)")
    assert isinstance(error, UserError)


def test_non_utf8_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("Tiny", "Entrevista en Logroño").encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.message, problem.line) == (str(path), "not a UTF-8 text file", 2)


def test_missing_file_and_folder_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario_file(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario_file(tmp_path)


def test_accents_and_a_byte_order_mark_load(tmp_path: Path) -> None:
    text = VALID.replace(
        "Tell me about yourself.", "Bonjour, je suis Zoë Núñez de Société Générale. Présentez-vous."
    )
    path = tmp_path / "accents.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    scenario = load_scenario_file(path)
    assert scenario.id == "tiny"
    assert scenario.steps[0].prompt.startswith("Bonjour, je suis Zoë Núñez de Société Générale")


def test_check_forms_and_optional_flag() -> None:
    text = _with_steps(
        "  - prompt: Hi\n    time_limit: 60\n    checks:\n"
        "      - says_name\n"
        "      - within_time: {max_seconds: 45, min_seconds: 10}\n"
        "      - recovery_line: {optional: true}\n"
        "      - {recovery_line: null, optional: true}\n"
        "      - id: keywords\n        params: {terms: [team, project], mode: all}\n"
    )
    checks = parse_scenario(text).steps[0].checks
    assert checks == [
        CheckSpec(id="says_name"),
        CheckSpec(id="within_time", params={"max_seconds": 45, "min_seconds": 10}),
        CheckSpec(id="recovery_line", optional=True),
        CheckSpec(id="recovery_line", optional=True),
        CheckSpec(id="keywords", params={"terms": ["team", "project"], "mode": "all"}),
    ]


def test_general_checks_can_be_retuned_or_turned_off() -> None:
    text = _with_steps(
        "  - prompt: Hi\n    time_limit: 30\n",
        "general_checks:\n  pace: {min_wpm: 90}\n  filler_rate: false\n  no_profanity: true\n",
    )
    scenario = parse_scenario(text)
    assert scenario.general_params("pace") == {"min_wpm": 90}
    assert scenario.general_params("filler_rate") is None
    assert scenario.general_params("no_profanity") == {}
    assert scenario.general_params("long_pauses") == {}


# --- the built-ins grade real answers sensibly --------------------------------------------------

PROFILE = Profile(
    name="Jordan Rivera",
    phone="617-555-0142",
    email="jordan.rivera@example.com",
    role="Senior Data Analyst",
    company="Northwind",
)

# A coach's model answer for every built-in step: none of its checks may fail on it.
MODEL_ANSWERS: dict[tuple[str, int], str] = {
    ("voicemail-screening", 0): (
        "Hi, this is Jordan Rivera calling about the Senior Data Analyst position. You can reach "
        "me at 617 555 0142. I'm available most afternoons this week. Again, that's Jordan Rivera,"
        " 617 555 0142. Thank you!"
    ),
    ("phone-screen", 0): (
        "Sure. I'm currently a data analyst at a logistics company, where I've spent the last four"
        " years building the reporting our operations team runs on. Before that I worked in "
        "finance, which is where I learned SQL. The project I'm proudest of is a forecasting model"
        " I built that cut late deliveries by twelve percent. I'm looking for a senior role where "
        "I can lead analysis end to end."
    ),
    ("phone-screen", 1): (
        "Two things. Your product is used by small clinics, and I've spent years making data "
        "useful for people who aren't analysts. And the role asks for someone to own the "
        "forecasting work, which is exactly the experience I have."
    ),
    ("phone-screen", 2): (
        "Yes, a couple. What would success look like in the first six months? And how is the team "
        "structured, who would I work with day to day? And what are the next steps in the process?"
    ),
    ("wrong-foot-restart", 0): (
        "So I started out in finance, and then moved into analytics about four years ago, and "
        "since then I've worked on reporting, forecasting and a lot of dashboards for the "
        "operations team."
    ),
    ("wrong-foot-restart", 1): (
        "A year from now I'd want to own the forecasting for the whole region, and to have cut "
        "late deliveries again, with the team using my models every week."
    ),
    ("wrong-foot-restart", 2): (
        "You're right, I rambled. I'm sorry, let me try that again, the short version."
    ),
    ("wrong-foot-restart", 3): (
        "Day to day I build the forecasts our operations team plans with. Last year my model cut "
        "late deliveries by twelve percent. I want to do that at a bigger scale, which is what "
        "this team does."
    ),
    ("wrong-foot-restart", 4): (
        "Day to day I build the forecasts our operations team plans with. Last year my model cut "
        "late deliveries by twelve percent. I want to do that at a bigger scale, which is what "
        "this team does."
    ),
    ("inappropriate-question", 0): (
        "Right now I'm leading a migration of our reporting from spreadsheets to a proper "
        "warehouse, and training the operations team to use the new dashboards."
    ),
    ("inappropriate-question", 1): (
        "I'd rather keep my family life separate from work, but I can tell you travel and launch "
        "weeks are not a problem for me. How often does that come up?"
    ),
    ("inappropriate-question", 2): (
        "I'd rather keep that side of things private. What I can say is that travel and launch "
        "weeks work for me. How many trips a quarter would it be?"
    ),
    ("inappropriate-question", 3): (
        "I'd prefer not to get into age, but I'm confident my experience fits the role. Could you "
        "tell me more about the team?"
    ),
    ("combative-interviewer", 0): (
        "I personally designed the forecasting model, wrote the data pipeline, and presented the "
        "results to the operations director. The team handled the rollout."
    ),
    ("combative-interviewer", 1): (
        "Fair point, let me try that again. I decided to drop the vendor tool and build the model "
        "in house. That decision saved forty thousand dollars a year."
    ),
    ("combative-interviewer", 2): (
        "I understand the concern. I have four years of forecasting work with measurable results, "
        "and I learn fast. I'd ask you to judge me on that."
    ),
    ("long-anecdote", 0): (
        "Last year our team was missing delivery targets and nobody knew why. My task was to find "
        "the cause. I pulled six months of shipment data and found that one warehouse was batching"
        " orders late. I worked with the manager there to change the schedule. As a result, late "
        "deliveries dropped by twelve percent within two months."
    ),
    ("long-anecdote", 1): (
        "When I was at my previous company, my manager wanted to launch a dashboard before the "
        "data was validated. I was responsible for the numbers, so I disagreed. I showed her three"
        " errors I had found and proposed a one-week delay. She agreed, and as a result the launch"
        " went out clean and the executives trusted the dashboard."
    ),
    ("recruiter-debrief", 0): (
        "Hi Sam, it's Jordan Rivera. I just finished my interview for the Senior Data Analyst role."
        " I'm on 617-555-0142."
    ),
    ("recruiter-debrief", 1): "Sure, it's 617-555-0142. That's 617-555-0142.",
    ("recruiter-debrief", 2): (
        "Honestly, not well. I arrived fifteen minutes late, and that's on me, I misjudged the "
        "traffic and should have left earlier. It threw me off for the first half."
    ),
    ("recruiter-debrief", 3): (
        "Please tell them I'm still very interested, and that I'd welcome the chance to show them "
        "a better version of me."
    ),
    ("post-interview-reflection", 0): (
        "The technical part went well, I explained my forecasting project clearly. Where it got "
        "away from me was the behavioural questions, my stories ran long."
    ),
    ("post-interview-reflection", 1): (
        "Next time I'll write out two STAR stories about deadlines and time them out loud before "
        "the interview, so each one is under ninety seconds."
    ),
}

# Weak answers a coach would flag, and the checks that must say so.
WEAK_ANSWERS: list[tuple[str, int, str, set[str]]] = [
    (
        "voicemail-screening",
        0,
        "Hi, it's Jordan, please call me back about the job, thanks.",
        {"mentions_role", "repeats_contact", "says_name", "says_phone"},
    ),
    (
        "phone-screen",
        0,
        "Well, I like computers and I am a hard worker, and I think I would be a good fit here.",
        {"keywords"},
    ),
    (
        "phone-screen",
        1,
        "I need a job and this one pays well and it is close to my house.",
        {"keywords"},
    ),
    (
        "phone-screen",
        2,
        "No, I think you covered everything, thanks so much.",
        {"keywords"},
    ),
    (
        "wrong-foot-restart",
        2,
        "As I was saying, after the merger we started again on the project from scratch.",
        {"recovery_line"},
    ),
    (
        "inappropriate-question",
        1,
        "Yes, I'm married and we have two kids, and we might have another one next year.",
        {"declines_personal_question"},
    ),
    (
        "inappropriate-question",
        3,
        "I'm forty-two, but I feel much younger than that.",
        {"declines_personal_question"},
    ),
    (
        "long-anecdote",
        0,
        "I'm a good problem solver and I always work hard and stay positive under pressure.",
        {"star_structure"},
    ),
    (
        "recruiter-debrief",
        0,
        "Hey, it's me, just calling about today.",
        {"mentions_role", "says_name"},
    ),
    (
        "recruiter-debrief",
        2,
        "It was awful, the interviewer was rude and the questions were completely unfair.",
        {"takes_responsibility"},
    ),
    (
        "post-interview-reflection",
        1,
        "I guess I'd just try to be more confident next time.",
        {"names_lesson"},
    ),
    (
        "combative-interviewer",
        0,
        "Look, I did a shit ton of work on that project, okay?",
        {"no_profanity"},
    ),
    (
        "combative-interviewer",
        0,
        "We rebuilt the whole reporting pipeline last year. The team worked really hard, and we "
        "delivered it a month early. I think we all learned a lot.",
        {"owns_answer"},
    ),
]


def test_every_builtin_step_has_a_model_answer() -> None:
    steps = {(s.id, i) for s in _builtins().values() for i in range(len(s.steps))}
    assert steps == set(MODEL_ANSWERS)


@pytest.mark.parametrize(
    ("key", "text"), list(MODEL_ANSWERS.items()), ids=[f"{k[0]}-{k[1]}" for k in MODEL_ANSWERS]
)
def test_model_answer_passes_every_check(key: tuple[str, int], text: str) -> None:
    scenario_id, index = key
    results = grade_step(find_scenario(scenario_id), index, Transcript.from_text(text), PROFILE)
    assert {spec.id for spec in find_scenario(scenario_id).steps[index].checks} <= {
        r.id for r in results
    }
    assert [(r.id, r.evidence) for r in results if r.status == "fail"] == []


@pytest.mark.parametrize(
    ("scenario_id", "index", "text", "flagged"),
    WEAK_ANSWERS,
    ids=[f"{w[0]}-{w[1]}" for w in WEAK_ANSWERS],
)
def test_weak_answer_is_flagged(scenario_id: str, index: int, text: str, flagged: set[str]) -> None:
    results = grade_step(find_scenario(scenario_id), index, Transcript.from_text(text), PROFILE)
    assert flagged <= {r.id for r in results if r.status == "fail"}


# --- nothing but ScenarioError escapes the loader ---------------------------------------------

_KEYS = [
    "id",
    "title",
    "kind",
    "description",
    "persona",
    "general_checks",
    "steps",
    "tags",
    "prompt",
    "time_limit",
    "pause_before",
    "checks",
    "note",
    "params",
    "optional",
    "severity",
    "rate",
    "phone_line",
    *sorted(REGISTRY),
    "terms",
    "mode",
    "max_seconds",
    "min_seconds",
]
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        _KEYS + list(KINDS) + ["voicemail", "question", "{name}", "{", "any", "must", "advice"]
    )
)
_KEY = st.sampled_from(_KEYS) | st.text(max_size=6) | st.integers(-3, 3)
_TREES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEY, children, max_size=5),
    max_leaves=25,
)
_SCENARIO_SHAPED = st.fixed_dictionaries(
    {},
    optional={
        "id": _TREES,
        "title": _TREES,
        "kind": st.sampled_from(KINDS) | _TREES,
        "description": _TREES,
        "persona": _TREES,
        "general_checks": st.dictionaries(st.sampled_from(_KEYS), _TREES, max_size=3),
        "steps": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "prompt": _TREES,
                    "time_limit": _TREES,
                    "kind": _TREES,
                    "checks": st.lists(_TREES, max_size=4),
                },
            )
            | _TREES,
            max_size=3,
        ),
    },
)

_FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _loads_or_reports(text: str) -> None:
    try:
        parse_scenario(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems and all(isinstance(p, Problem) for p in exc.problems)
        assert "\n" not in str(exc) and "\r" not in str(exc)


@_FUZZ
@given(_TREES | _SCENARIO_SHAPED)
def test_random_yaml_structures_only_raise_scenario_error(tree: Any) -> None:
    _loads_or_reports(yaml.safe_dump(tree, allow_unicode=True))


# Pieces of YAML syntax, tags and odd scalars, so random text reaches the parser's corners.
_YAML_PIECES = st.sampled_from(
    [
        "id: ", "steps:", "\n", "\n  ", "\n    ", "- ", ": ", "? ", "{", "}", "[", "]", ",",
        "'", '"', "|", ">", "# c", "\t", "&a ", "*a", "<<: *a", "---\n", "...\n", "%YAML 1.1\n",
        "!!bool ", "!!int ", "!!float ", "!!timestamp ", "!!binary ", "!!python/object:os.system ",
        "!!set ", "!!omap ", "!custom ", "2001-13-45", "0o777", "1e999", ".nan", "~", "yes",
        "prompt: ", "time_limit: ", "checks:", "keywords: ", "{name}", "é", "\ufeff", "\x00",
        "\x85", "\u2028",
    ]
)  # fmt: skip


@_FUZZ
@given(
    st.text(
        alphabet=st.characters(codec="utf-8") | st.sampled_from(list(":-[]{}&*!|>'\"#\n\t ,?%@`"))
    )
    | st.lists(_YAML_PIECES | st.text(max_size=3), max_size=30).map("".join)
    | st.lists(
        st.builds(
            "{}: {}{}".format,
            st.sampled_from(_KEYS),
            st.sampled_from(["", "!!bool ", "!!int ", "!!float ", "!!timestamp ", "!!binary "]),
            _YAML_PIECES | st.text(max_size=6),
        ),
        max_size=6,
    ).map("\n".join)
)
def test_random_text_only_raises_scenario_error(text: str) -> None:
    _loads_or_reports(text)


@_FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_only_raise_scenario_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    try:
        load_scenario_file(path)
    except ScenarioError as exc:
        assert exc.problems


def test_alias_loops_and_deep_nesting_are_reported() -> None:
    assert _problems("&a [*a]")[0].message.endswith("got a list")
    looped = _problems("id: &a {x: *a}\nsteps: &s [*s]\n")
    assert ("steps[0]", "must be a mapping (key: value lines)") in [
        (p.field, p.message) for p in looped
    ]
    (deep,) = _problems("[" * 5000 + "]" * 5000)
    assert deep.message == "malformed YAML: nested too deeply"


# --- the library: built-in plus the user's folder ---------------------------------------------


def _write_user(name: str, text: str) -> Path:
    path = locations.user_scenarios_dir() / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_scenario_is_found_by_library_id_and_path(tmp_path: Path) -> None:
    path = _write_user("my-pack.yaml", VALID.replace("id: tiny", "id: coach-pack-1"))
    entries = {e.scenario.id: e for e in library() if e.scenario is not None}
    assert entries["coach-pack-1"].path == path
    assert not entries["coach-pack-1"].builtin
    assert all(entries[i].builtin for i in REQUIRED_CHECKS)
    assert find_scenario("coach-pack-1").title == "Tiny"
    assert find_scenario(str(path)).id == "coach-pack-1"
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_text(VALID, encoding="utf-8")
    assert find_scenario(str(elsewhere)).id == "tiny"


def test_invalid_user_file_does_not_break_the_library() -> None:
    broken = _write_user("broken.yaml", _with_steps("  - prompt: Hi\n    time_limit: 0\n"))
    _write_user("notes.txt", "not a scenario")
    entries = library()
    assert {e.scenario.id for e in entries if e.scenario is not None} == set(REQUIRED_CHECKS)
    (bad,) = [e for e in entries if e.scenario is None]
    assert bad.path == broken and bad.error is not None
    assert str(bad.error.problems[0]) == f"{broken}:7: steps[0].time_limit: must be > 0"
    assert find_scenario("phone-screen").id == "phone-screen"


def test_user_scenario_replaces_a_builtin_with_the_same_id() -> None:
    _write_user("mine.yaml", VALID.replace("id: tiny", "id: phone-screen"))
    assert find_scenario("phone-screen").title == "Tiny"
    assert [e.scenario.id for e in library() if e.scenario is not None].count("phone-screen") == 1


def test_unknown_scenario_names_the_known_ones() -> None:
    with pytest.raises(UserError) as info:
        find_scenario("voicemail-screen")
    assert "unknown scenario 'voicemail-screen'" in str(info.value)
    assert "voicemail-screening" in str(info.value)
    with pytest.raises(ScenarioError, match="file not found"):
        find_scenario("missing.yaml")
