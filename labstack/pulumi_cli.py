"""The Pulumi CLI as the lab's own commands call it (`make up`, `make report`):
non-interactive, in the project directory, with the Makefile's environment."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
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
