"""kubectl helpers of the end-to-end suite, on the suite's cluster."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any


def _kubectl_base() -> list[str]:
    """kubectl on the suite's cluster: $KUBECONFIG, and $KUBE_CONTEXT when given."""
    context = os.environ.get("KUBE_CONTEXT", "")
    return ["kubectl", *(["--context", context] if context else [])]


def kubectl_json(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [*_kubectl_base(), "--request-timeout=30s", *args, "-o", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"kubectl {' '.join(args)} failed: {done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def kubectl(*args: str, timeout: int = 120, stdin: str | None = None) -> str:
    done = subprocess.run(
        [*_kubectl_base(), "--request-timeout=60s", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"kubectl {' '.join(args)} failed: {done.stderr}")
    return done.stdout
