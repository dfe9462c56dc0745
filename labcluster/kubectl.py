"""kubectl from the toolchain, run with the lab's admin kubeconfig."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from .errors import LabError
from .paths import LabPaths


def kubectl(
    paths: LabPaths, *args: str, stdin: str | None = None, timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    argv = [str(paths.toolchain_bin / "kubectl"), f"--kubeconfig={paths.admin_kubeconfig}", *args]
    try:
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", f"kubectl timed out after {timeout}s")


def kubectl_json(paths: LabPaths, *args: str, timeout: float = 30.0) -> dict[str, Any] | None:
    """`kubectl get ... -o json` as a dict, or None when it fails."""
    done = kubectl(paths, *args, "-o", "json", f"--request-timeout={int(timeout)}s", timeout=timeout + 5)
    if done.returncode != 0:
        return None
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


def apply(paths: LabPaths, objects: list[dict[str, Any]], what: str) -> None:
    """Server-side apply of a list of objects, owned by the field manager "labcluster"."""
    document = json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
    done = kubectl(
        paths,
        "apply",
        "--server-side",
        "--force-conflicts",
        "--field-manager=labcluster",
        "-f",
        "-",
        stdin=document,
    )
    if done.returncode != 0:
        raise LabError(
            f"applying {what} failed",
            f"see {paths.log_file('kube-apiserver')}",
            done.stderr,
        )
