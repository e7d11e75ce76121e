"""Scenario files: typed models, the YAML loader, and validation errors with file, field, line."""

from __future__ import annotations

import difflib
import importlib.resources
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator import locations
from simulator.checks.base import SEVERITIES, Severity
from simulator.errors import UserError
from simulator.safe_io import not_a_regular_file, os_reason, terminal_safe

if TYPE_CHECKING:
    from simulator.profile import Profile

Kind = Literal["voicemail", "phone-screen", "interview", "recruiter-call", "reflection"]
KINDS: tuple[str, ...] = ("voicemail", "phone-screen", "interview", "recruiter-call", "reflection")

PLACEHOLDERS: dict[str, str] = {
    "name": "there",
    "first_name": "there",
    "role": "the role",
    "company": "our company",
}
"""Placeholders a prompt may use, each with what it says when the profile leaves it empty."""

Loc = tuple[str | int, ...]

_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

MAX_SCENARIO_BYTES = 64 * 1024
"""The largest scenario file read (the built-in ones are 1–3 KB): checked before reading, so an
oversized file costs a stat, not minutes of validation."""
MAX_STEPS = 100
"""The most steps a scenario may have."""
MAX_YAML_NODES = 20_000
"""The most values a scenario may hold once YAML aliases are expanded (a 64 KB file of nested
aliases could otherwise stand for billions)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ChecksInvalid(ValueError):
    """Raised inside validation to report problems at field paths below the validated value."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        super().__init__("; ".join(m for _, m in problems))
        self.problems = problems


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

    @field_validator("name")
    @classmethod
    def _shown_name(cls, value: str) -> str:
        return _shown(value)


class CheckSpec(_Model):
    """One check applied to a step's answer, with its parameters."""

    id: str
    """The stable check id."""
    params: dict[str, Any] = Field(default_factory=dict)
    """Check-specific parameters, validated by the check's own model."""
    optional: bool = False
    """A failed optional check does not fail the session (it counts as advice)."""
    severity: Severity | None = None
    """must or advice for this step, overriding the check's own; None keeps the check's."""

    @model_validator(mode="after")
    def _known_check(self) -> CheckSpec:
        # Imported here: the check modules may import this module.
        from simulator.checks import REGISTRY

        if self.id not in REGISTRY:
            raise _ChecksInvalid([((), f"unknown check {self.id!r}{_suggest(self.id, REGISTRY)}")])
        problems = _params_problems(self.id, self.params, (self.id,))
        if self.optional and self.severity == "must":
            problems.append(
                (("severity",), "optional: true means a miss never fails: drop one of the two")
            )
        if problems:
            raise _ChecksInvalid(problems)
        return self

    def effective_severity(self) -> Severity:
        """The severity this step gives the check: its own, unless the file or `optional` says."""
        from simulator.checks import REGISTRY

        if self.severity is not None:
            return self.severity
        return "advice" if self.optional else REGISTRY[self.id].severity


_SPEC_OPTIONS = ("optional", "severity")
"""Keys a check item may carry beside its parameters, in either compact form."""


def _parse_check_item(item: Any) -> Any:
    """Accept `says_name`, `{within_time: {max_seconds: 45}}` or `{id: …, params: …}`.

    `optional` and `severity` may sit inside the parameters (`{pace: {severity: must}}`) or
    beside the check (`{recovery_line: null, optional: true}`).
    """
    if isinstance(item, str):
        return {"id": item}
    if not isinstance(item, dict) or "id" in item:
        return item
    keys = [k for k in item if k not in _SPEC_OPTIONS]
    if len(keys) != 1:
        return item
    check_id = keys[0]
    outer = {k: item[k] for k in _SPEC_OPTIONS if k in item}
    params = item[check_id]
    if params is None:
        params = {}
    if not isinstance(params, dict):
        return {"id": check_id, "params": params, **outer}
    params = dict(params)
    inner = {k: params.pop(k) for k in _SPEC_OPTIONS if k in params}
    return {"id": check_id, "params": params, **inner, **outer}


END = "end"
"""The branch target that ends the session."""


class CutIn(_Model):
    """When the interviewer interrupts an answer, and what they say; the first trigger wins."""

    say: str = Field(min_length=1)
    """The interruption, spoken over the answer; may use PLACEHOLDERS."""
    after_seconds: float | None = Field(default=None, gt=0, le=1800)
    """Cut in this many seconds into the answer."""
    past_aim: bool = False
    """Cut in once the answer runs past the step's aim (within_time's max_seconds)."""
    rambling_words: int | None = Field(default=None, ge=5, le=1000)
    """Cut in when this many words run on without a sentence ending (., ? or !)."""
    on_check: CheckSpec | None = None
    """Cut in as soon as this check fails on what has been said so far (e.g. too many "we")."""
    grace: float = Field(default=1.0, ge=0, le=10)
    """Seconds the recording goes on after the interruption has been said, then it stops."""

    @field_validator("on_check", mode="before")
    @classmethod
    def _expand_check(cls, value: Any) -> Any:
        return _parse_check_item(value)

    @field_validator("say")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return _check_placeholders(value)

    @model_validator(mode="after")
    def _has_trigger(self) -> CutIn:
        if (
            self.after_seconds is None
            and not self.past_aim
            and self.rambling_words is None
            and self.on_check is None
        ):
            raise ValueError("needs a trigger: after_seconds, past_aim, rambling_words or on_check")
        return self

    def render(self, profile: Profile | None = None) -> str:
        """The interruption with the profile filled in."""
        return _render(self.say, profile)


class Branch(_Model):
    """Where the conversation goes after a step, from how the answer did."""

    check: str | None = None
    """The check whose result decides (one of the step's checks or a general check)."""
    on_pass: str | None = None
    """The step id to go to when the check passes (or is skipped); None: the following step."""
    on_fail: str | None = None
    """The step id to go to when the check fails; None: the following step."""
    on_interrupted: str | None = None
    """The step id to go to when the interviewer cut the answer off (checked first)."""
    goto: str | None = None
    """The step id to go to whatever happened (instead of a check); "end" ends the session."""

    @model_validator(mode="after")
    def _consistent(self) -> Branch:
        if self.goto is not None and (self.check or self.on_pass or self.on_fail):
            raise ValueError("goto cannot be combined with check, on_pass or on_fail")
        if (self.on_pass or self.on_fail) and self.check is None:
            raise ValueError("on_pass and on_fail need a check to decide between them")
        if self.check is not None and not (self.on_pass or self.on_fail):
            raise ValueError("a check needs on_pass or on_fail to say where to go")
        return self

    def targets(self) -> list[tuple[str, str]]:
        """(field, target) for every step id this branch can lead to."""
        named = [
            ("goto", self.goto),
            ("on_pass", self.on_pass),
            ("on_fail", self.on_fail),
            ("on_interrupted", self.on_interrupted),
        ]
        return [(field, target) for field, target in named if target is not None]


def _parse_next(value: Any) -> Any:
    """`next: press` is short for `next: {goto: press}`."""
    return {"goto": value} if isinstance(value, str) else value


def _check_placeholders(value: str) -> str:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError:
        raise ValueError("unbalanced { or } (write {{ and }} for literal braces)") from None
    for name in fields:
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {{{name}}} (use {known})")
    return value


class Step(_Model):
    """One prompt from the interviewer and the answer it expects."""

    id: str | None = Field(default=None, pattern=_ID_PATTERN, max_length=64)
    """A name other steps' branches can go to; None: `step-N` (1-based), not a branch target."""
    prompt: str = Field(min_length=1)
    """What the interviewer says (for a voicemail, the greeting); may use PLACEHOLDERS."""
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
    cut_in: CutIn | None = None
    """When and how the interviewer interrupts this answer; None: they let you finish."""
    next: Branch | None = None
    """Where to go after this step; None: the following step in the file (or the end)."""

    @field_validator("prompt", "note")
    @classmethod
    def _shown_text(cls, value: str) -> str:
        return terminal_safe(value)

    @field_validator("checks", mode="before")
    @classmethod
    def _expand_checks(cls, value: Any) -> Any:
        return [_parse_check_item(v) for v in value] if isinstance(value, list) else value

    @field_validator("next", mode="before")
    @classmethod
    def _expand_next(cls, value: Any) -> Any:
        return _parse_next(value)

    @field_validator("prompt")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return _check_placeholders(value)

    @model_validator(mode="after")
    def _limits_fit(self) -> Step:
        # A bound the recording can never reach would make within_time pass whatever is said.
        problems: list[tuple[Loc, str]] = []
        for j, spec in enumerate(self.checks):
            bound = spec.params.get("max_seconds") if spec.id == "within_time" else None
            if isinstance(bound, int | float) and bound > self.time_limit:
                problems.append(
                    (
                        ("checks", j, spec.id, "max_seconds"),
                        f"must be <= the step's time_limit ({self.time_limit:g}), "
                        "or the check can never fail",
                    )
                )
        if problems:
            raise _ChecksInvalid(problems)
        return self

    def render_prompt(self, profile: Profile | None = None) -> str:
        """The prompt with {name}, {first_name}, {role} and {company} filled from the profile."""
        return _render(self.prompt, profile)


def _render(text: str, profile: Profile | None) -> str:
    values = dict(PLACEHOLDERS)
    if profile is not None:
        given = {
            "name": profile.name,
            "first_name": profile.name.split()[0] if profile.name.split() else "",
            "role": profile.role,
            "company": profile.company,
        }
        values.update({k: v.strip() for k, v in given.items() if v.strip()})
    try:
        return text.format_map(_KeepUnknown(values))
    except (ValueError, IndexError, AttributeError, TypeError, KeyError):
        # A prompt built in code rather than loaded from a file may hold stray braces: say it as is.
        return text


class _KeepUnknown(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Scenario(_Model):
    """A rehearsal: who calls, what they ask, and what the answers must do."""

    id: str = Field(pattern=_ID_PATTERN, max_length=64)
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
    """Turn a general check off (`pace: false`) or set its parameters (`pace: {max_wpm: 180}`)."""
    steps: list[Step] = Field(min_length=1)
    """The prompts, in order."""
    tags: list[str] = Field(default_factory=list)
    """Free-form labels for filtering."""

    @field_validator("title")
    @classmethod
    def _shown_title(cls, value: str) -> str:
        return _shown(value)

    @field_validator("description")
    @classmethod
    def _shown_description(cls, value: str) -> str:
        return terminal_safe(value)

    @model_validator(mode="after")
    def _branches_lead_somewhere(self) -> Scenario:
        problems = _flow_problems(self)
        if problems:
            raise _ChecksInvalid(problems)
        return self

    def step_id(self, index: int) -> str:
        """The step's id, or `step-N` (1-based) for a step without one."""
        return self.steps[index].id or f"step-{index + 1}"

    def step_index(self, step_id: str) -> int:
        """The index of the step with this id (ValueError when there is none)."""
        for index in range(len(self.steps)):
            if self.step_id(index) == step_id:
                return index
        raise ValueError(f"no step {step_id!r}")

    def successors(self, index: int) -> list[int | None]:
        """Every step the conversation can go to after step INDEX (None: the end)."""
        step = self.steps[index]
        following: int | None = index + 1 if index + 1 < len(self.steps) else None
        if step.next is None:
            return [following]
        if step.next.goto is not None:
            return [self._target(step.next.goto)]
        out: list[int | None] = []
        for target in (step.next.on_pass, step.next.on_fail):
            out.append(following if target is None else self._target(target))
        if step.next.on_interrupted is not None:
            out.append(self._target(step.next.on_interrupted))
        return out

    def _target(self, target: str) -> int | None:
        return None if target == END else self.step_index(target)

    @field_validator("general_checks", mode="before")
    @classmethod
    def _known_general_checks(cls, value: Any) -> Any:
        from simulator.checks import GENERAL_CHECK_IDS

        if not isinstance(value, dict):
            return value
        problems: list[tuple[Loc, str]] = []
        for name, setting in value.items():
            if name not in GENERAL_CHECK_IDS:
                problems.append(
                    (
                        (str(name),),
                        f"not a general check{_suggest(str(name), GENERAL_CHECK_IDS)} "
                        f"(one of {', '.join(GENERAL_CHECK_IDS)})",
                    )
                )
            elif isinstance(setting, dict):
                params = {k: v for k, v in setting.items() if k != "severity"}
                problems.extend(_params_problems(name, params, (name,)))
                if "severity" in setting and setting["severity"] not in SEVERITIES:
                    problems.append(((name, "severity"), f"must be one of {_or(SEVERITIES)}"))
            elif not isinstance(setting, bool):
                problems.append(((name,), "must be true, false, or a mapping of parameters"))
        if problems:
            raise _ChecksInvalid(problems)
        return value

    def general_params(self, check_id: str) -> dict[str, Any] | None:
        """The parameters for a general check, or None when the scenario turns it off."""
        value = self.general_checks.get(check_id, True)
        if value is False:
            return None
        if not isinstance(value, dict):
            return {}
        return {k: v for k, v in value.items() if k != "severity"}

    def general_severity(self, check_id: str) -> Severity:
        """A general check's severity: the scenario's `severity:` for it, else the check's own."""
        from simulator.checks import REGISTRY

        value = self.general_checks.get(check_id)
        chosen = value.get("severity") if isinstance(value, dict) else None
        return cast(Severity, chosen) if chosen in SEVERITIES else REGISTRY[check_id].severity


def _shown(value: str) -> str:
    """A one-line name for lists and headings: no control characters, no line breaks."""
    return " ".join(terminal_safe(value).split())


def _or(words: Iterable[str]) -> str:
    return " or ".join(repr(w) for w in words)


def _flow_problems(scenario: Scenario) -> list[tuple[Loc, str]]:
    """Unknown targets, unknown deciding checks, duplicate ids, unreachable steps, endless loops."""
    from simulator.checks import GENERAL_CHECK_IDS

    problems: list[tuple[Loc, str]] = []
    ids = [scenario.step_id(i) for i in range(len(scenario.steps))]
    for i, step_id in enumerate(ids):
        if step_id in ids[:i] or step_id == END:
            problems.append((("steps", i, "id"), f"{step_id!r} is already a step id"))
    known = set(ids) | {END}
    for i, step in enumerate(scenario.steps):
        if step.next is None:
            continue
        for field, target in step.next.targets():
            if target not in known:
                hint = _suggest(target, known)
                problems.append((("steps", i, "next", field), f"unknown step {target!r}{hint}"))
        check = step.next.check
        deciding = {spec.id for spec in step.checks} | {
            c for c in GENERAL_CHECK_IDS if scenario.general_params(c) is not None
        }
        if check is not None and check not in deciding:
            problems.append(
                (
                    ("steps", i, "next", "check"),
                    f"{check!r} is not one of this step's checks{_suggest(check, deciding)}",
                )
            )
        if step.next.on_interrupted is not None and step.cut_in is None:
            problems.append(
                (("steps", i, "next", "on_interrupted"), "this step has no cut_in to interrupt")
            )
    if problems:
        return problems
    # The flow is a graph from the first step: every step must be reachable, and from every
    # step some path must reach the end, or a loop would never let the session finish.
    reachable: set[int] = set()
    todo = [0]
    while todo:
        index = todo.pop()
        if index in reachable:
            continue
        reachable.add(index)
        todo.extend(n for n in scenario.successors(index) if n is not None)
    ends: set[int] = set()
    changed = True
    while changed:
        changed = False
        for index in range(len(scenario.steps)):
            if index not in ends and any(
                n is None or n in ends for n in scenario.successors(index)
            ):
                ends.add(index)
                changed = True
    for index in range(len(scenario.steps)):
        if index not in reachable:
            problems.append(
                (("steps", index), f"unreachable: no step's next leads to {ids[index]!r}")
            )
        elif index not in ends:
            problems.append(
                (
                    ("steps", index, "next"),
                    "loops forever: no path from this step reaches the end",
                )
            )
    return problems


def _suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _params_problems(check_id: str, params: dict[str, Any], loc: Loc) -> list[tuple[Loc, str]]:
    from simulator.checks import REGISTRY

    model = REGISTRY[check_id].params
    try:
        model.model_validate(params)
    except ValidationError as exc:
        return [
            (
                loc + tuple(e["loc"]),
                _friendly(e["type"], e["msg"], e.get("ctx"), model.model_fields),
            )
            for e in exc.errors()
        ]
    return []


# Pydantic error types whose wording does not depend on the value, said the way authors think.
_SIMPLE_MESSAGES: dict[str, str] = {
    "missing": "required field missing",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
    "dict_type": "must be a mapping (key: value lines)",
    "list_type": "must be a list",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "invalid_key": "keys must be text",
    "recursion_loop": "refers to itself (a YAML alias loop)",
}

_BOUNDS = {
    "greater_than": ">",
    "greater_than_equal": ">=",
    "less_than": "<",
    "less_than_equal": "<=",
}


def _friendly(
    kind: str, msg: str, ctx: Mapping[str, Any] | None, known_fields: Iterable[str] = ()
) -> str:
    """Pydantic's message in the words of a file author ("must be > 0", "unknown field")."""
    ctx = ctx or {}
    if kind == "extra_forbidden":
        known = list(known_fields)
        if not known:
            return "unknown field"
        return f"unknown field (known: {', '.join(known)})"
    if kind in _SIMPLE_MESSAGES:
        return _SIMPLE_MESSAGES[kind]
    if kind in _BOUNDS:
        limit = next(iter(ctx.values()), "")
        return f"must be {_BOUNDS[kind]} {limit:g}" if isinstance(limit, int | float) else msg
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"must have at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == _ID_PATTERN:
        return "must be lowercase letters, digits and dashes, e.g. my-scenario"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg.replace("Input should be", "must be", 1)


def _known_fields_at(loc: Loc) -> list[str]:
    """The field names of the scenario model that holds the field at LOC (for "unknown field")."""
    model: Any = Scenario
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = field.annotation
        if get_origin(model) is list:
            model = get_args(model)[0]
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
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
        text = (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )
        # One line on stderr, even when a key or a parser message holds a line break, and no
        # escape code from the file reaches the terminal.
        return terminal_safe(text.replace("\r", "\\r").replace("\n", "\\n"))


class ScenarioError(UserError):
    """A scenario file that does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = (
            f" (and {len(problems) - 1} more; run mockcall validate)" if len(problems) > 1 else ""
        )
        super().__init__(f"{problems[0]}{more}")


def _field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_at(root: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the field at LOC in the composed YAML tree, or of its nearest parent."""
    node = root
    mark = root.start_mark if root is not None else None
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
            for key, value in pairs:
                if key.value == str(part):
                    nxt, mark = value, key.start_mark
                    break
            else:
                # A check written as `{id: keywords, params: {...}}`: its params sit under params.
                ids = [
                    v.value for k, v in pairs if k.value == "id" and isinstance(v, yaml.ScalarNode)
                ]
                params = [v for k, v in pairs if k.value == "params"]
                if ids == [str(part)] and params:
                    nxt = node = params[0]
                    continue
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                nxt = node.value[part]
                mark = nxt.start_mark
        if nxt is None:
            break
        node = nxt
    return mark.line + 1 if mark is not None else None


def _problems_from_validation(
    file: str, exc: ValidationError, root: yaml.Node | None
) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        ctx_error = (err.get("ctx") or {}).get("error")
        pairs: list[tuple[Loc, str]]
        if isinstance(ctx_error, _ChecksInvalid):
            pairs = [(loc + rel, msg) for rel, msg in ctx_error.problems]
        elif err["type"] == "invalid_key":
            # Pydantic puts the offending key itself at the end of the path.
            pairs = [(loc[:-1] + (str(loc[-1]),), _friendly(err["type"], err["msg"], None))]
        else:
            known = _known_fields_at(loc) if err["type"] == "extra_forbidden" else ()
            pairs = [(loc, _friendly(err["type"], err["msg"], err.get("ctx"), known))]
        for where, msg in pairs:
            problems.append(Problem(file, _field_path(where), msg, _line_at(root, where)))
    return problems


def _duplicate_keys(file: str, root: yaml.Node | None) -> list[Problem]:
    """Keys written twice in one mapping: YAML keeps the last silently, which hides mistakes."""
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys and key.value != "<<":
                        problems.append(
                            Problem(
                                file,
                                _field_path(loc + (key.value,)),
                                "written twice in the same mapping (YAML keeps only the last)",
                                key.start_mark.line + 1,
                            )
                        )
                    keys.add(key.value)
                    stack.append((value, loc + (key.value,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, loc + (i,)) for i, item in enumerate(node.value))
    return problems


def _read_yaml(text: str, file: str) -> tuple[yaml.Node | None, Any]:
    """Compose and construct one YAML document, turning every parser failure into a Problem."""
    root: yaml.Node | None = None
    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)
        root = loader.get_single_node()
        if root is not None and _expanded_size(root, MAX_YAML_NODES) > MAX_YAML_NODES:
            raise ScenarioError(
                [
                    Problem(
                        file,
                        "",
                        f"too large: over {MAX_YAML_NODES:,} values once YAML aliases are expanded",
                    )
                ]
            )
        return root, (loader.construct_document(root) if root is not None else None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "not valid YAML"
        if "\\t" in message or "\t" in message:
            message = message.replace("\t", "\\t") + " (indent with spaces, not tabs)"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError([Problem(file, "", f"malformed YAML: {message}", line)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ScenarioError(
            [
                Problem(
                    file,
                    "",
                    f"malformed YAML: character U+{exc.character:04X} is not allowed",
                    line,
                )
            ]
        ) from None
    except RecursionError:
        raise ScenarioError([Problem(file, "", "malformed YAML: nested too deeply")]) from None
    except ScenarioError:
        raise
    except Exception as exc:
        # PyYAML's constructors raise plain ValueError/KeyError/AttributeError on bad tagged
        # scalars ("!!bool maybe", "2001-13-45"); find the scalar to give its line.
        line = _bad_scalar_line(root)
        raise ScenarioError(
            [Problem(file, "", f"malformed YAML: cannot read a value ({exc})", line)]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the YAML tree stands for with every alias expanded, counted up to just
    past LIMIT without expanding anything (an alias is one shared node)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        kids: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            kids = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            kids = [part for pair in node.value for part in pair]
        if children_done:
            on_path.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes.get(id(k), 1) for k in kids))
            continue
        on_path.add(key)
        stack.append((node, True))
        # An alias inside itself counts once: validation reports the loop ("refers to itself").
        stack.extend((k, False) for k in kids if id(k) not in sizes and id(k) not in on_path)
    return sizes[id(root)]


def _bad_scalar_line(root: yaml.Node | None) -> int | None:
    constructor = yaml.SafeLoader("")
    lines: list[int] = []
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except Exception:
                lines.append(node.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
    constructor.dispose()
    return min(lines, default=None)


def _describe(value: Any) -> str:
    if value is None:
        return "an empty file"
    names = {list: "a list", str: "a single line of text", bool: "true/false"}
    return names.get(
        type(value), "a single number" if isinstance(value, int | float) else "a value"
    )


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raise ScenarioError listing every problem."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_SCENARIO_BYTES:
        raise ScenarioError([_too_large(file, size)])
    root, data = _read_yaml(text, file)
    if not isinstance(data, dict):
        line = root.start_mark.line + 1 if root is not None else None
        raise ScenarioError(
            [
                Problem(
                    file,
                    "",
                    f"a scenario must be a mapping (key: value lines), got {_describe(data)}",
                    line,
                )
            ]
        )
    steps = data.get("steps")
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        raise ScenarioError(
            [
                Problem(
                    file,
                    "steps",
                    f"{len(steps)} steps; a scenario may have at most {MAX_STEPS}",
                    _line_at(root, ("steps",)),
                )
            ]
        )
    problems = _duplicate_keys(file, root)
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems += _problems_from_validation(file, exc, root)
    except (RecursionError, TypeError, ValueError) as exc:
        problems.append(Problem(file, "", f"cannot validate: {exc}"))
    if problems or scenario is None:
        problems.sort(key=lambda p: p.line if p.line is not None else 1 << 30)
        raise ScenarioError(problems)
    return scenario


def _too_large(file: str, size: int) -> Problem:
    return Problem(
        file,
        "",
        f"too large for a scenario ({_kib(size)}; at most {_kib(MAX_SCENARIO_BYTES)})",
    )


def _kib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB" if size >= 1 << 20 else f"{size / 1024:.0f} KB"


def load_scenario_file(path: Path) -> Scenario:
    """Read and validate one scenario file (over MAX_SCENARIO_BYTES is refused unread)."""
    file = str(path)
    try:
        kind = not_a_regular_file(path)
        if kind == "a folder":
            raise ScenarioError([Problem(file, "", "is a folder, not a scenario file")])
        if kind is not None:
            raise ScenarioError([Problem(file, "", f"is {kind}, not a scenario file")])
        with path.open("rb") as handle:
            data = handle.read(MAX_SCENARIO_BYTES + 1)
        if len(data) > MAX_SCENARIO_BYTES:
            raise ScenarioError([_too_large(file, max(len(data), path.stat().st_size))])
    except FileNotFoundError:
        raise ScenarioError([Problem(file, "", "file not found")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(file, "", f"cannot read: {os_reason(exc)}")]) from None
    try:
        # utf-8-sig: editors on Windows may start the file with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([Problem(file, "", "not a UTF-8 text file", line)]) from None
    return parse_scenario(text, file)


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


def find_scenario(name: str, warn: Callable[[str], None] | None = None) -> Scenario:
    """A scenario by id from the library, or by path to a YAML file.

    Args:
        warn: told, in one line each, about the user's scenario files that were skipped because
            they do not validate.
    """
    candidate = Path(name)
    if name.endswith((".yaml", ".yml")) or candidate.is_file():
        return load_scenario_file(candidate)
    entries = library()
    if warn is not None:
        for entry in entries:
            if entry.scenario is None and not entry.builtin and entry.error is not None:
                warn(f"skipped your scenario {entry.error.problems[0]}")
    for entry in entries:
        if entry.scenario is not None and entry.scenario.id == name:
            return entry.scenario
    known = sorted(e.scenario.id for e in entries if e.scenario is not None)
    raise UserError(f"unknown scenario {name!r} (known: {', '.join(known)})")
