"""The command line through a subprocess: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROFILE = """[profile]
name = "Jordan Rivera"
phone = "(617) 555-0142"
email = "jordan.rivera@example.com"
role = "Data Analyst"
company = "Northwind"
"""

WITH_NUMBER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst position. "
    "You can reach me at 617-555-0142. Again, that's Jordan Rivera, 617 555 0142. Thanks!"
)
WITHOUT_NUMBER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst position. "
    "I'd love to talk more, please give me a call back. Thanks so much!"
)


def mockcall(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=os.environ.copy(),
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0]


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_help_lists_every_command() -> None:
    result = mockcall("--help")
    assert result.returncode == 0
    for command in (
        "scenarios",
        "validate",
        "run",
        "check",
        "transcribe",
        "history",
        "show",
        "export",
        "profile",
        "devices",
        "say",
    ):
        assert command in result.stdout


def test_scenarios_json_lists_the_builtins_and_says_where_yours_go(mockcall_home: Path) -> None:
    result = mockcall("scenarios", "--json")
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert listing["schema_version"] == 1
    assert Path(listing["user_scenarios_dir"]) == mockcall_home / "config" / "scenarios"
    ids = {entry["id"] for entry in listing["scenarios"]}
    assert {
        "voicemail-screening",
        "phone-screen",
        "wrong-foot-restart",
        "inappropriate-question",
        "combative-interviewer",
        "long-anecdote",
        "recruiter-debrief",
        "post-interview-reflection",
    } <= ids


def test_scenarios_says_where_your_own_scenarios_go(mockcall_home: Path) -> None:
    folder = mockcall_home / "config" / "scenarios"
    empty = mockcall("scenarios")
    assert empty.returncode == 0, empty.stderr
    assert f"Your own scenarios go in {folder} (none there yet)" in empty.stdout
    from simulator.scenario import builtin_files

    mine = (builtin_files()[0]).read_text(encoding="utf-8").replace("id: ", "id: my-", 1)
    write(folder, "mine.yaml", mine)
    listed = mockcall("scenarios")
    assert f"Your own scenarios go in {folder} (1 found there)" in listed.stdout
    assert "[yours]" in listed.stdout


def test_check_json_shape_and_the_missing_number(tmp_path: Path, profile_file: Path) -> None:
    good = write(tmp_path, "good.txt", WITH_NUMBER)
    bad = write(tmp_path, "bad.txt", WITHOUT_NUMBER)
    passed = mockcall(
        "check",
        "voicemail-screening",
        "--answer-text",
        str(good),
        "--profile",
        str(profile_file),
        "--json",
    )
    missed = mockcall(
        "check",
        "voicemail-screening",
        "--answer-text",
        str(bad),
        "--profile",
        str(profile_file),
        "--json",
    )
    assert passed.returncode == 0 and missed.returncode == 0, passed.stderr + missed.stderr
    report = json.loads(missed.stdout)
    assert set(report) >= {"scenario", "passed", "steps"}
    assert report["scenario"] == "voicemail-screening"
    step = report["steps"][0]
    assert step["index"] == 0 and step["transcript"].startswith("Hi, this is Jordan Rivera")
    for check in step["checks"]:
        assert set(check) == {"id", "status", "severity", "evidence", "tip"}
        assert check["status"] in {"pass", "fail", "skipped"}
    status = {c["id"]: c["status"] for c in step["checks"]}
    severity = {c["id"]: c["severity"] for c in step["checks"]}
    # The voicemail's must-haves are name, number and role; delivery is advice.
    assert {k for k, v in severity.items() if v == "must"} == {
        "says_name",
        "says_phone",
        "mentions_role",
    }
    assert status["says_phone"] == "fail"
    assert status["says_name"] == "pass"
    assert status["pace"] == "skipped"  # typed text has no timings
    assert report["passed"] is False
    good_status = {c["id"]: c["status"] for c in json.loads(passed.stdout)["steps"][0]["checks"]}
    assert good_status["says_phone"] == "pass"


def test_check_text_report_names_the_miss_and_its_tip(tmp_path: Path, profile_file: Path) -> None:
    bad = write(tmp_path, "bad.txt", WITHOUT_NUMBER)
    result = mockcall(
        "check", "voicemail-screening", "--answer-text", str(bad), "--profile", str(profile_file)
    )
    assert result.returncode == 0, result.stderr
    assert "says_phone" in result.stdout and "tip:" in result.stdout
    # The headline says what decides the drill before the details.
    head = result.stdout.splitlines()[:3]
    assert "NEEDS WORK" in head[0] and head[1].startswith("Returnable: name ✔ number ✘")
    assert head[2].startswith("Advice:")


def test_check_reads_stdin(profile_file: Path) -> None:
    result = mockcall(
        "check",
        "voicemail-screening",
        "--answer-text",
        "-",
        "--profile",
        str(profile_file),
        "--json",
        stdin=WITH_NUMBER,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["steps"][0]["transcript"].startswith("Hi")


def test_check_is_saved_in_history(tmp_path: Path, profile_file: Path) -> None:
    from simulator import locations

    # The profile given is the user's own (same details): the check is their practice.
    locations.profile_file().parent.mkdir(parents=True, exist_ok=True)
    locations.profile_file().write_text(PROFILE, encoding="utf-8")
    good = write(tmp_path, "good.txt", WITH_NUMBER)
    checked = mockcall(
        "check", "voicemail-screening", "--answer-text", str(good), "--profile", str(profile_file)
    )
    assert checked.returncode == 0, checked.stderr
    assert "saved as session 1 in your history" in checked.stderr
    history = mockcall("history", "--json")
    assert history.returncode == 0, history.stderr
    sessions = json.loads(history.stdout)["sessions"]
    assert len(sessions) == 1 and sessions[0]["scenario"] == "voicemail-screening"
    exported = mockcall("export", "last", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["scenario"] == "voicemail-screening"
    shown = mockcall("show", "last")
    assert shown.returncode == 0 and "617" in shown.stdout


def test_unknown_scenario(tmp_path: Path, profile_file: Path) -> None:
    answer = write(tmp_path, "a.txt", WITH_NUMBER)
    result = mockcall(
        "check", "no-such-thing", "--answer-text", str(answer), "--profile", str(profile_file)
    )
    assert_one_line_error(result, "unknown scenario 'no-such-thing'")


def test_missing_answer_file(profile_file: Path) -> None:
    result = mockcall(
        "check",
        "voicemail-screening",
        "--answer-text",
        "/nope/missing.txt",
        "--profile",
        str(profile_file),
    )
    assert_one_line_error(result, "/nope/missing.txt: answer file not found")


def test_malformed_profile(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.toml", 'name = "Jordan\n')
    answer = write(tmp_path, "a.txt", WITH_NUMBER)
    result = mockcall(
        "check", "voicemail-screening", "--answer-text", str(answer), "--profile", str(broken)
    )
    assert_one_line_error(result, "not valid TOML")


def test_profile_without_a_phone(tmp_path: Path) -> None:
    no_phone = write(
        tmp_path, "p.toml", '[profile]\nname = "Jordan Rivera"\nrole = "Data Analyst"\n'
    )
    answer = write(tmp_path, "a.txt", WITH_NUMBER)
    result = mockcall(
        "check", "voicemail-screening", "--answer-text", str(answer), "--profile", str(no_phone)
    )
    assert_one_line_error(result, "has no phone")


def test_too_many_answers(tmp_path: Path, profile_file: Path) -> None:
    answer = write(tmp_path, "a.txt", WITH_NUMBER)
    args = ["check", "post-interview-reflection", "--profile", str(profile_file)]
    for _ in range(6):
        args += ["--answer-text", str(answer)]
    assert_one_line_error(mockcall(*args), "answers were given")


def test_validate_reports_every_problem_with_field_and_line(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.yaml",
        "id: my-drill\ntitle: Drill\nkind: podcast\ndescription: x\nsteps:\n"
        "  - prompt: Hello?\n    time_limit: 0\n    checks: [says_nmae]\n",
    )
    result = mockcall("validate", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"{bad}:3: kind:") for line in lines), lines
    assert any(f"{bad}:7: steps[0].time_limit:" in line for line in lines), lines
    assert any("steps[0].checks[0]" in line and "says_nmae" in line for line in lines), lines


def test_validate_accepts_a_builtin() -> None:
    from simulator.scenario import builtin_files

    result = mockcall("validate", *[str(p) for p in builtin_files()])
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok") == len(builtin_files())


def test_validate_counts_steps_in_english() -> None:
    from simulator.scenario import builtin_files

    by_name = {p.stem: p for p in builtin_files()}
    result = mockcall("validate", str(by_name["voicemail-screening"]), str(by_name["phone-screen"]))
    assert result.returncode == 0, result.stderr
    assert "ok (voicemail-screening, 1 step)" in result.stdout
    assert "ok (phone-screen, 3 steps)" in result.stdout


def test_validate_help_lists_every_check_id_with_a_description() -> None:
    from simulator.checks import REGISTRY

    result = mockcall("validate", "--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for check_id in REGISTRY:
        line = next((line for line in lines if line.split()[:1] == [check_id]), None)
        assert line is not None, f"{check_id} not listed in validate --help"
        assert len(line.split()) > 3, f"{check_id} has no description: {line!r}"
    assert "(general)" in result.stdout


def test_malformed_yaml_is_one_line_with_its_line(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "id: x\nsteps: [\n  - prompt: hi\n")
    result = mockcall("validate", str(bad))
    assert result.returncode == 2
    assert "malformed YAML" in result.stderr and "Traceback" not in result.stderr


def test_profile_command_writes_and_reads(tmp_path: Path) -> None:
    result = mockcall(
        "profile",
        "--name",
        "José Núñez",
        "--phone",
        "+44 20 7946 0958",
        "--role",
        "Nurse",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "José Núñez"
    again = mockcall("profile", "--json")
    assert json.loads(again.stdout)["phone"] == "+44 20 7946 0958"
    assert_one_line_error(mockcall("profile", "--phone", "12"), "phone")


def test_usage_error_is_one_line() -> None:
    assert_one_line_error(mockcall("export", "1", "--format", "pdf"), "invalid choice")
