"""Runs a step's checks, plus the scenario's general checks, on one answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from audio.prosody import Prosody
from audio.transcript import Transcript
from simulator.checks import GENERAL_CHECK_IDS, REGISTRY, CheckContext, CheckDef, CheckResult
from simulator.checks.base import Severity
from simulator.profile import Profile
from simulator.scenario import Scenario


def grade_step(
    scenario: Scenario,
    step_index: int,
    transcript: Transcript,
    profile: Profile,
    *,
    defaults: Mapping[str, Mapping[str, Any]] | None = None,
    prosody: Prosody | None = None,
) -> tuple[CheckResult, ...]:
    """Every result for one answer: the step's checks in file order, then the general checks.

    PROSODY (pitch and loudness of the answer's audio) feeds the audio coaching checks; without
    it (typed answers) they are skipped.
    """
    step = scenario.steps[step_index]
    ctx = CheckContext(
        transcript=transcript,
        profile=profile,
        time_limit=step.time_limit,
        prompt=step.render_prompt(profile),
        scenario_kind=scenario.kind,
        prosody=prosody,
    )
    results: list[CheckResult] = []
    seen: set[str] = set()
    for spec in step.checks:
        check = REGISTRY[spec.id]
        params = check.params.model_validate(spec.params)
        result = check.func(ctx, params)
        results.append(_finish(result, check, spec.effective_severity(), spec.optional))
        seen.add(spec.id)
    for check_id in GENERAL_CHECK_IDS:
        raw = scenario.general_params(check_id)
        if raw is None or check_id in seen:
            continue
        check = REGISTRY[check_id]
        merged = {**(defaults or {}).get(check_id, {}), **raw}
        result = check.func(ctx, check.params.model_validate(merged))
        results.append(_finish(result, check, scenario.general_severity(check_id), False))
    return tuple(results)


def _finish(
    result: CheckResult, check: CheckDef, severity: Severity, optional: bool
) -> CheckResult:
    return replace(result, label=result.label or check.label, optional=optional, severity=severity)


def needed_profile_fields(scenario: Scenario) -> set[str]:
    """The profile fields the scenario's checks compare against, as each check registered."""
    return {
        field
        for step in scenario.steps
        for spec in step.checks
        for field in REGISTRY[spec.id].needs
    }
