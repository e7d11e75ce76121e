"""The registry of checks by stable id; check modules add themselves with @register."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from simulator.checks.base import SEVERITIES, CheckDef, CheckFunc, NoParams, Severity

REGISTRY: dict[str, CheckDef] = {}
"""Every known check, by id."""


def register(
    check_id: str,
    label: str,
    *,
    params: type[BaseModel] = NoParams,
    general: bool = False,
    severity: Severity | None = None,
    needs: Iterable[str] = (),
    short: str = "",
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under a stable id.

    Args:
        severity: must or advice; by default the general (delivery) checks are advice and the
            rest must, and a scenario may override either per check.
        needs: the profile fields the check compares against, so a scenario that runs it asks
            for them before the first prompt.
        short: the check's name in the results headline (default: the id in words).
    """

    def decorate(func: CheckFunc) -> CheckFunc:
        if check_id in REGISTRY:
            raise RuntimeError(f"check {check_id!r} registered twice")
        chosen: Severity = severity or ("advice" if general else "must")
        if chosen not in SEVERITIES:
            raise ValueError(f"check {check_id!r}: severity must be one of {SEVERITIES}")
        REGISTRY[check_id] = CheckDef(
            check_id,
            label,
            func,
            params,
            general,
            chosen,
            frozenset(needs),
            short or check_id.replace("_", " "),
        )
        return func

    return decorate
