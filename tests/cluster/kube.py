"""kubectl on the embedded lab cluster, for the cluster tests."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest


class Kube:
    """Runs the toolchain's kubectl with the lab's admin kubeconfig."""

    def __init__(self, kubectl: Path, kubeconfig: Path) -> None:
        self.kubectl = kubectl
        self.kubeconfig = kubeconfig

    def run(
        self, *args: str, stdin: str | None = None, timeout: float = 90, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        argv = [str(self.kubectl), f"--kubeconfig={self.kubeconfig}", *args]
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False, timeout=timeout)
        if check and done.returncode != 0:
            pytest.fail(f"`kubectl {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done

    def get(self, *args: str) -> Any:
        return json.loads(self.run("get", *args, "-o", "json").stdout)

    def apply(self, objects: list[dict[str, Any]]) -> None:
        self.run("apply", "-f", "-", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))

    def exec(self, namespace: str, pod: str, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("exec", "-n", namespace, pod, "--", *command, check=check, timeout=60)

    def wait_ready(self, namespace: str, selector: str, timeout: int = 120) -> None:
        """Waits until pods matching `selector` exist and are Ready."""
        deadline = time.monotonic() + timeout
        while not self.get("pods", "-n", namespace, "-l", selector)["items"]:
            if time.monotonic() > deadline:
                pytest.fail(f"no pod matching {selector} in {namespace} after {timeout}s")
            time.sleep(0.5)
        self.run(
            "wait", "-n", namespace, "--for=condition=Ready", "pod", "-l", selector, f"--timeout={timeout}s",
            timeout=timeout + 10,
        )  # fmt: skip


def pod(name: str, namespace: str, image: str, command: list[str] | None = None, **labels: str) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "main", "image": image, "imagePullPolicy": "IfNotPresent"}
    if command:
        container["command"] = command
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name, **labels}},
        "spec": {"containers": [container], "terminationGracePeriodSeconds": 1},
    }
