"""Asking the cluster from a policy: kubectl with a time limit, and its JSON
answer. Every failure is a RuntimeError that says what went wrong, which the
advice then quotes ("could not ask the cluster ...")."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

KUBECTL_SECONDS = 45


def kubectl_json(argv: list[str], stdin: str | None = None, kubeconfig: str = "") -> dict[str, Any]:
    """The JSON a kubectl `argv` prints; `kubeconfig`, when given, is its KUBECONFIG."""
    env = {**os.environ, "KUBECONFIG": kubeconfig} if kubeconfig else None
    try:
        done = subprocess.run(
            argv, input=stdin, env=env, capture_output=True, text=True, timeout=KUBECTL_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(f"kubectl did not answer: {err}") from err
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"kubectl exited with {done.returncode}")
    try:
        answer: dict[str, Any] = json.loads(done.stdout)
    except ValueError as err:
        raise RuntimeError(f"kubectl printed no JSON: {err}") from err
    return answer
