"""The Pulumi CLI as the lab's own commands call it (`make up`, `make report`):
non-interactive, in the project directory, with the Makefile's environment."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any


class PulumiError(RuntimeError):
    """A pulumi command failed; the message carries what it said."""


def pulumi(*args: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Runs `pulumi --non-interactive <args>` and returns it, whatever its exit code."""
    return subprocess.run(
        ["pulumi", "--non-interactive", *args], capture_output=True, text=True, check=False, cwd=cwd, env=env
    )


def export_state(stack: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The stack's state (`pulumi stack export`), or None when there is no such stack."""
    exported = pulumi("stack", "export", "--stack", stack, cwd=cwd, env=env)
    if exported.returncode != 0:
        if "no stack named" in exported.stderr or "not found" in exported.stderr:
            return None
        raise PulumiError(f"pulumi stack export --stack {stack} failed: {exported.stderr.strip()}")
    state: dict[str, Any] = json.loads(exported.stdout)
    return state


def resources(state: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The resources of an exported state, each as the state records it (urn, type, parent, ...)."""
    deployment = (state or {}).get("deployment") or {}
    found = deployment.get("resources") or [] if isinstance(deployment, dict) else []
    return [r for r in found if isinstance(r, dict)]


def stack_step(tool: str, argv: list[str], step: Callable[[str], list[str]], *errors: type[Exception]) -> int:
    """The `main` of a `python -m labstack.<tool> STACK` step of `make up`: runs
    `step` on the stack and prints each line it returns after `<tool>: `; a
    PulumiError (or one of `errors`) is printed on stderr and exits 1."""
    if len(argv) != 1:
        print(f"usage: python -m labstack.{tool} STACK", file=sys.stderr)
        return 2
    caught: tuple[type[Exception], ...] = (PulumiError, *errors)
    try:
        said = step(argv[0])
    except caught as err:
        print(f"{tool}: {err}", file=sys.stderr)
        return 1
    for line in said:
        print(f"{tool}: {line}")
    return 0
