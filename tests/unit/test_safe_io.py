"""Private writes that never follow a planted link, and text made safe for a terminal."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from simulator import locations
from simulator.cli import _log_traceback
from simulator.errors import UserError
from simulator.safe_io import open_private_append, read_toml, terminal_safe, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_terminal_safe_drops_escape_sequences_whole_and_keeps_line_breaks() -> None:
    hostile = "Jordan \x1b[31mRivera\x1b[0m\x1b]0;title\x07 \x9b2J\u202egnp.exe\x00\r\nnext\tline"
    assert terminal_safe(hostile) == "Jordan Rivera gnp.exe\nnext\tline"
    assert terminal_safe("Zoë Ñúñez — naïve café") == "Zoë Ñúñez — naïve café"


def test_the_log_is_private_and_a_planted_link_is_not_followed(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        log = tmp_path / "mockcall.log"
        with open_private_append(log) as handle:
            handle.write("one\n")
        assert mode(log) == 0o600
        target = tmp_path / "target"
        target.write_text("keep\n")
        planted = tmp_path / "planted.log"
        planted.symlink_to(target)
        with pytest.raises(OSError):
            open_private_append(planted)
        assert target.read_text() == "keep\n"
    finally:
        os.umask(old)


def test_a_crash_report_never_writes_through_a_link_at_the_log(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("keep\n")
    log = locations.data_dir() / "mockcall.log"
    log.symlink_to(target)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        assert _log_traceback() == "no details saved: a symbolic link is in its place"
    assert target.read_text() == "keep\n"


def test_write_private_replaces_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    write_private(out, "first")
    with pytest.raises(UserError, match="already exists"):
        write_private(out, "second")
    write_private(out, "second", force=True)
    assert out.read_text() == "second" and mode(out) == 0o600


def test_a_toml_file_that_is_a_folder_or_too_deep_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        read_toml(tmp_path)
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 10_000 + "]" * 10_000)
    with pytest.raises(UserError, match="nested too deeply"):
        read_toml(deep)


def test_a_scenario_and_a_profile_keep_no_escape_codes_for_the_app_to_show(tmp_path: Path) -> None:
    from simulator.profile import load_profile
    from simulator.scenario import parse_scenario

    scenario = parse_scenario(
        'id: evil\ntitle: "Evil \\e[2J\\e]0;x\\a\\nTitle"\nkind: interview\n'
        'description: "d \\e[31mred"\npersona: {name: "Al\\e[5mex"}\n'
        'steps:\n  - prompt: "Hi \\e[1m{name}"\n    time_limit: 30\n    note: "\\e[8mhidden"\n'
    )
    assert scenario.title == "Evil Title"
    assert scenario.description == "d red" and scenario.persona.name == "Alex"
    assert scenario.steps[0].prompt == "Hi {name}" and scenario.steps[0].note == "hidden"
    profile = tmp_path / "p.toml"
    profile.write_text('name = "Jordan \\u001b[31mRivera\\u0007"\n', encoding="utf-8")
    assert load_profile(profile).name == "Jordan Rivera"
