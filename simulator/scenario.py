"""Scenario files: typed models, the YAML loader, and validation errors with file, field and line."""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator import locations
from simulator.errors import UserError

Kind = Literal["voicemail", "phone-screen", "interview", "recruiter-call", "reflection"]
KINDS: tuple[str, ...] = ("voicemail", "phone-screen", "interview", "recruiter-call", "reflection")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Persona(_Model):
    """The interviewer: how they sound and behave."""

    name: str = "Interviewer"
    """What the UI calls them."""
    voice: str | None = None
    """A system voice id or name fragment (e.g. "en-us"), or None for the default."""
    rate: int = Field(default=170, ge=80, le=400)
    """Speaking rate in words per minute."""
    demeanour: Literal["warm", "neutral", "curt", "cold", "combative"] = "neutral"
    """How the interviewer comes across; shown to the user and used for the voice's delivery."""
    phone_line: bool = False
    """Band-limit the voice to telephone quality."""


class CheckSpec(_Model):
    """One check applied to a step's answer, with its parameters."""

    id: str
    """The stable check id."""
    params: dict[str, Any] = Field(default_factory=dict)
    """Check-specific parameters, validated by the check's own model."""
    optional: bool = False
    """A failed optional check does not fail the session."""


def _parse_check_item(item: Any) -> Any:
    """Accept `says_name`, `{within_time: {max_seconds: 45}}` or `{id: …, params: …}`."""
    if isinstance(item, str):
        return {"id": item}
    if isinstance(item, dict) and len(item) == 1 and "id" not in item:
        ((check_id, params),) = item.items()
        params = dict(params) if isinstance(params, dict) else params
        if params is None:
            params = {}
        if isinstance(params, dict):
            optional = params.pop("optional", False)
            return {"id": check_id, "params": params, "optional": optional}
        return {"id": check_id, "params": params}
    return item


class Step(_Model):
    """One prompt from the interviewer and the answer it expects."""

    prompt: str = Field(min_length=1)
    """What the interviewer says (for a voicemail: the greeting before the beep)."""
    kind: Literal["question", "voicemail"] = "question"
    """A voicemail step plays the greeting, then a beep, then records."""
    pause_before: float = Field(default=0.0, ge=0, le=120)
    """Seconds of silence before the prompt (being kept waiting)."""
    time_limit: float = Field(gt=0, le=1800)
    """The longest the answer may run, in seconds; recording stops here."""
    checks: list[CheckSpec] = Field(default_factory=list)
    """The checks for this answer, beyond the general ones."""
    note: str = ""
    """A hint shown to the user before answering."""

    @field_validator("checks", mode="before")
    @classmethod
    def _expand_checks(cls, value: Any) -> Any:
        return [_parse_check_item(v) for v in value] if isinstance(value, list) else value


class Scenario(_Model):
    """A rehearsal: who calls, what they ask, and what the answers must do."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    """Stable id, lowercase with dashes."""
    title: str = Field(min_length=1)
    """The name shown in lists."""
    kind: Kind
    """What sort of call this is."""
    description: str = Field(min_length=1)
    """One or two sentences on what it rehearses."""
    persona: Persona = Field(default_factory=Persona)
    """The interviewer."""
    general_checks: dict[str, bool | dict[str, Any]] = Field(default_factory=dict)
    """Turn a general check off (`pace: false`) or change its parameters (`pace: {max_wpm: 180}`)."""
    steps: list[Step] = Field(min_length=1)
    """The prompts, in order."""
    tags: list[str] = Field(default_factory=list)
    """Free-form labels for filtering."""

    @model_validator(mode="after")
    def _known_checks(self) -> Scenario:
        # Imported here: the registry imports the check modules, which import this module's users.
        from simulator.checks import GENERAL_CHECK_IDS, REGISTRY

        problems: list[tuple[tuple[str | int, ...], str]] = []
        for name, value in self.general_checks.items():
            if name not in GENERAL_CHECK_IDS:
                problems.append(
                    (("general_checks", name), f"not a general check (one of {', '.join(GENERAL_CHECK_IDS)})")
                )
            elif isinstance(value, dict):
                problems.extend(_params_problems(name, value, ("general_checks", name)))
        for i, step in enumerate(self.steps):
            for j, spec in enumerate(step.checks):
                loc: tuple[str | int, ...] = ("steps", i, "checks", j)
                if spec.id not in REGISTRY:
                    problems.append((loc, f"unknown check {spec.id!r}"))
                else:
                    problems.extend(_params_problems(spec.id, spec.params, loc))
        if problems:
            raise _ChecksInvalid(problems)
        return self

    def general_params(self, check_id: str) -> dict[str, Any] | None:
        """The parameters for a general check, or None when the scenario turns it off."""
        value = self.general_checks.get(check_id, True)
        if value is False:
            return None
        return value if isinstance(value, dict) else {}


class _ChecksInvalid(ValueError):
    """Raised inside validation to report check problems at their own field paths."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        super().__init__("; ".join(m for _, m in problems))
        self.problems = problems


def _params_problems(
    check_id: str, params: dict[str, Any], loc: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], str]]:
    from simulator.checks import REGISTRY

    try:
        REGISTRY[check_id].params.model_validate(params)
    except ValidationError as exc:
        return [(loc + (check_id,) + tuple(e["loc"]), e["msg"]) for e in exc.errors()]
    return []


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file."""

    file: str
    """The file as given."""
    field: str
    """Dotted field path, e.g. steps[2].time_limit ("" for the whole file)."""
    message: str
    """What is wrong."""
    line: int | None = None
    """1-based line in the file, when the parser knows it."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ScenarioError(UserError):
    """A scenario file that does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more; run mockcall validate)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


def _field_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _node_at(root: yaml.Node | None, loc: tuple[str | int, ...]) -> yaml.Node | None:
    """Follow a field path through the composed YAML tree, as far as it goes."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    nxt = value
                    break
            if nxt is None:
                return node
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            item = node.value[part]
            # A check written as `- within_time: {…}` is a one-key mapping: step inside it.
            node = item
        else:
            return node
    return node


def _problems_from_validation(
    file: str, exc: ValidationError, root: yaml.Node | None
) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, _ChecksInvalid):
            pairs = ctx_error.problems
        else:
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            elif err["type"] == "missing":
                msg = "required field missing"
            pairs = [(tuple(err["loc"]), msg)]
        for loc, msg in pairs:
            node = _node_at(root, _yaml_loc(loc))
            line = node.start_mark.line + 1 if node is not None else None
            problems.append(Problem(file, _field_path(loc), msg, line))
    return problems


def _yaml_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # Inside a check, pydantic's path names the check id as a key; in YAML that is the one-key mapping.
    return loc


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raise ScenarioError listing every problem."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError([Problem(file, "", f"malformed YAML: {exc.problem}", line)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(file, "", f"malformed YAML: {exc}")]) from None
    except (RecursionError, ValueError, TypeError) as exc:
        raise ScenarioError([Problem(file, "", f"malformed YAML: {exc}")]) from None
    if not isinstance(data, dict):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ScenarioError([Problem(file, "", f"a scenario must be a mapping, got {got}")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems_from_validation(file, exc, root)) from None
    except (RecursionError, TypeError) as exc:
        raise ScenarioError([Problem(file, "", f"cannot validate: {exc}")]) from None


def load_scenario_file(path: Path) -> Scenario:
    """Read and validate one scenario file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), "", "file not found")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem(str(path), "", "not a UTF-8 text file")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from None
    return parse_scenario(text, str(path))


@dataclass(frozen=True)
class LibraryEntry:
    """A scenario file found in the library, valid or not."""

    path: Path
    """Where it was found."""
    builtin: bool
    """True for the scenarios shipped with mockcall."""
    scenario: Scenario | None
    """The scenario, or None when the file does not validate."""
    error: ScenarioError | None = None
    """Why it does not validate."""


def builtin_files() -> list[Path]:
    """The YAML files of the built-in scenario library."""
    root = importlib.resources.files("scenarios")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith((".yaml", ".yml")))


def user_files() -> list[Path]:
    """The YAML files in the user's scenarios folder."""
    folder = locations.user_scenarios_dir()
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _entries() -> Iterator[LibraryEntry]:
    for builtin, files in ((True, builtin_files()), (False, user_files())):
        for path in files:
            try:
                yield LibraryEntry(path, builtin, load_scenario_file(path))
            except ScenarioError as exc:
                yield LibraryEntry(path, builtin, None, exc)


def library() -> list[LibraryEntry]:
    """Every built-in and user scenario; a user scenario with a built-in's id replaces it."""
    by_id: dict[str, LibraryEntry] = {}
    broken: list[LibraryEntry] = []
    for entry in _entries():
        if entry.scenario is None:
            broken.append(entry)
        else:
            by_id[entry.scenario.id] = entry
    return list(by_id.values()) + broken


def find_scenario(name: str) -> Scenario:
    """A scenario by id from the library, or by path to a YAML file."""
    candidate = Path(name)
    if name.endswith((".yaml", ".yml")) or candidate.exists():
        return load_scenario_file(candidate)
    for entry in library():
        if entry.scenario is not None and entry.scenario.id == name:
            return entry.scenario
    known = sorted(e.scenario.id for e in library() if e.scenario is not None)
    raise UserError(f"unknown scenario {name!r} (known: {', '.join(known)})")
