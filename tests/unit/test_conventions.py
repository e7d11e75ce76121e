"""Python-ecosystem conventions: one version, `python -m mockcall`, completion, JSON schema versions.

Each runs the real command in a subprocess, as a user or a shell would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import simulator

ROOT = Path(__file__).resolve().parents[2]


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_python_dash_m_mockcall_is_the_same_command_with_one_version() -> None:
    from importlib.metadata import version

    result = run("-m", "mockcall", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"mockcall {simulator.__version__}"
    # The installed distribution's metadata reads the same single source.
    assert version("mockcall") == simulator.__version__


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("scenarios", "--json"), "scenarios"),
        (("history", "--json"), "sessions"),
        (("profile", "--json"), "name"),
    ],
)
def test_every_json_output_starts_with_its_schema_version(
    args: tuple[str, ...], key: str, tmp_path: Path
) -> None:
    result = run("-m", "mockcall", *args, env={"MOCKCALL_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data)[0] == "schema_version" and data["schema_version"] == 1
    assert key in data


def test_export_json_says_whether_the_session_is_complete(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("Hi, this is Jordan Rivera about the Data Analyst role.", encoding="utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text(
        '[profile]\nname = "Jordan Rivera"\nphone = "(617) 555-0142"\nrole = "Data Analyst"\n',
        encoding="utf-8",
    )
    home = {"MOCKCALL_HOME": str(tmp_path / "home")}
    # `check` saves into history only with the profile in use, so make it the user's profile.
    setup = run("-m", "mockcall", "profile", "--name", "Jordan Rivera", "--phone",
                "(617) 555-0142", "--role", "Data Analyst", env=home)  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    checked = run("-m", "mockcall", "check", "voicemail-screening", "--answer-text", str(answer),
                  "--json", env=home)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["schema_version"] == 1 and report["complete"] is True
    exported = run("-m", "mockcall", "export", "last", "--format", "json", env=home)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["schema_version"] == 1
    assert data["complete"] is True and data["passed"] == report["passed"]


def _completion(shell: str, tmp_path: Path) -> Path:
    result = run("-m", "mockcall", "completion", shell)
    assert result.returncode == 0, result.stderr
    script = tmp_path / f"mockcall.{shell}"
    script.write_text(result.stdout, encoding="utf-8")
    return script


def _bash_complete(script: Path, *words: str) -> list[str]:
    line = " ".join(f"'{w}'" for w in words)
    code = (
        f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
        '_mockcall; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    result = subprocess.run(["bash", "-c", code], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_bash_completes_commands_flags_and_flag_values(tmp_path: Path) -> None:
    script = _completion("bash", tmp_path)
    assert _bash_complete(script, "mockcall", "ru") == ["run"]
    assert "completion" in _bash_complete(script, "mockcall", "")
    assert "--no-voice" in _bash_complete(script, "mockcall", "run", "--n")
    values = _bash_complete(script, "mockcall", "transcribe", "--engine", "")
    assert values == ["faster-whisper", "openai-whisper"]
    assert _bash_complete(script, "mockcall", "export", "1", "--format", "j") == ["json"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_commands_and_flag_values(tmp_path: Path) -> None:
    script = _completion("fish", tmp_path)
    code = f"source {script}; complete -C'mockcall ru'; complete -C'mockcall export 1 --format '"
    result = subprocess.run(["fish", "-c", code], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    candidates = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert "run" in candidates and "json" in candidates and "md" in candidates


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_script_loads_and_registers_its_completion(tmp_path: Path) -> None:
    script = _completion("zsh", tmp_path)
    code = f"autoload -U compinit && compinit -u && source {script} && print $_comps[mockcall]"
    result = subprocess.run(["zsh", "-c", code], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "_mockcall"


def test_an_unknown_shell_is_bad_input() -> None:
    result = run("-m", "mockcall", "completion", "powershell")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_another_audio_package_on_the_path_is_named_in_one_line(tmp_path: Path) -> None:
    foreign = tmp_path / "site" / "audio"
    foreign.mkdir(parents=True)
    (foreign / "__init__.py").write_text("VERSION = '9.9'\n", encoding="utf-8")
    # Run from elsewhere so the checkout is not first on sys.path, as an installed script runs.
    path = f"{foreign.parent}{os.pathsep}{ROOT}"
    result = run("-m", "mockcall", "scenarios", cwd=tmp_path, env={"PYTHONPATH": path})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(foreign) in lines[0] and "pipx install" in lines[0]


@pytest.mark.slow
def test_the_wheel_ships_licence_entry_points_and_data_and_runs_isolated(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("mockcall-*.whl"))
    assert wheel.name.startswith(f"mockcall-{simulator.__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "mockcall/__main__.py" in names
    assert sum(n.startswith("scenarios/") and n.endswith(".yaml") for n in names) >= 8
    # An isolated environment, as pipx makes: the wheel alone answers --version and completion.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    installed = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    for args in (["--version"], ["completion", "bash"]):
        result = subprocess.run(
            [str(env_dir / "bin" / "mockcall"), *args],
            capture_output=True, text=True, timeout=60, cwd=tmp_path,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# bash completion for mockcall")


def test_the_test_environment_runs_openai_whisper_without_triton() -> None:
    # triton is about 1 GB and used only on CUDA: set-up installs openai-whisper without it.
    from importlib.util import find_spec

    if find_spec("whisper") is None:
        pytest.skip("the openai-whisper engine is not installed")
    assert find_spec("triton") is None, "triton was installed: see the Makefile's OPENAI_WHISPER"
