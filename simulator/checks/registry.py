"""The registry of checks by stable id; check modules add themselves with @register."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from simulator.checks.base import CheckDef, CheckFunc, NoParams

REGISTRY: dict[str, CheckDef] = {}
"""Every known check, by id."""


def register(
    check_id: str, label: str, *, params: type[BaseModel] = NoParams, general: bool = False
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under a stable id."""

    def decorate(func: CheckFunc) -> CheckFunc:
        if check_id in REGISTRY:
            raise RuntimeError(f"check {check_id!r} registered twice")
        REGISTRY[check_id] = CheckDef(check_id, label, func, params, general)
        return func

    return decorate
