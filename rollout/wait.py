"""Waits, with kubectl, until a workload's rollout is over (see `progress`).

`kubectl rollout status --watch` does the long wait cheaply (one watch, not
a poll) and stops at kubectl's notion of done; a short poll of the workload
and its pods then waits for what kubectl does not look at: the current
revision catching up, pods of an older revision or above the replica count
still terminating. OnDelete StatefulSets skip the first step (kubectl refuses
them) and only wait for their replicas.

Every kubectl runs in its own process group, killed as a whole when the
deadline passes, so a timed-out wait leaves nothing running behind it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from components.kubectl import KubectlTarget, kubectl
from rollout.progress import Progress, progress

POLL_SECONDS = 0.25


@dataclass(frozen=True)
class RolloutSpec:
    """What to wait for; the JSON document the program passes in."""

    kind: str
    """statefulset or deployment"""
    name: str
    namespace: str
    selector: str
    """Label selector of the workload's pods (and of the workload itself)."""
    timeout_seconds: int
    on_delete: bool = False
    kubeconfig: str = ""
    context: str = ""

    @classmethod
    def from_json(cls, text: str) -> RolloutSpec:
        return cls(**json.loads(text))

    @property
    def target(self) -> KubectlTarget:
        return KubectlTarget(namespace=self.namespace, kubeconfig=self.kubeconfig, context=self.context)


class RolloutError(RuntimeError):
    """The rollout did not finish in time, or the cluster could not be read."""


def run_bounded(argv: list[str], deadline: float, stream: bool = False) -> str:
    """Runs argv until it exits or the deadline passes (then its whole process
    group is killed); returns stdout, echoing it line by line when `stream`."""
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as child:
        try:
            out, err = _communicate(child, deadline, stream)
        except subprocess.TimeoutExpired as expired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            raise RolloutError(f"still running at the deadline: {' '.join(argv)}") from expired
    if child.returncode != 0:
        raise RolloutError(f"{' '.join(argv)} failed: {err.strip()[-600:]}")
    return out


def _communicate(child: subprocess.Popen[str], deadline: float, stream: bool) -> tuple[str, str]:
    if not stream:
        return child.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    assert child.stdout is not None
    lines = []
    # kubectl's own --timeout ends the watch before our deadline; readline
    # blocking past it is only possible if kubectl hangs, and then the
    # communicate below kills it.
    for line in child.stdout:
        lines.append(line)
        print(line.rstrip(), flush=True)
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(child.args, 0)
    _, err = child.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    return "".join(lines), err


def listing_argv(spec: RolloutSpec) -> list[str]:
    kinds = "statefulset,pods" if spec.kind == "statefulset" else "deployment,replicasets,pods"
    return kubectl(spec.target, "get", kinds, f"--selector={spec.selector}", "--output=json")


def rollout_status_argv(spec: RolloutSpec, seconds: int) -> list[str]:
    return kubectl(spec.target, "rollout", "status", f"{spec.kind}/{spec.name}", "--watch", f"--timeout={seconds}s")


def read_progress(spec: RolloutSpec, deadline: float) -> tuple[Progress, dict[str, Any]]:
    listing: dict[str, Any] = json.loads(run_bounded(listing_argv(spec), deadline))
    return progress(spec.kind, listing, spec.name), listing


def wait(spec: RolloutSpec) -> Progress:
    deadline = time.monotonic() + spec.timeout_seconds
    current, _ = read_progress(spec, deadline)
    if current.done:
        return current
    if not spec.on_delete:
        remaining = int(deadline - time.monotonic())
        # On failure, the poll below says precisely what is missing.
        with contextlib.suppress(RolloutError):
            run_bounded(rollout_status_argv(spec, max(remaining, 1)), deadline, stream=True)
    last = ""
    while True:
        current, _ = read_progress(spec, deadline)
        if current.done:
            return current
        if current.describe() != last:
            last = current.describe()
            print(f"{spec.kind}/{spec.name}: {last}", flush=True)
        if time.monotonic() + POLL_SECONDS > deadline:
            raise RolloutError(
                f"{spec.kind}/{spec.name} in namespace {spec.namespace} did not finish rolling out within "
                f"{spec.timeout_seconds}s; {last}"
            )
        time.sleep(POLL_SECONDS)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m rollout '<JSON of rollout.wait.RolloutSpec>'", file=sys.stderr)
        return 2
    spec = RolloutSpec.from_json(argv[0])
    try:
        done = wait(spec)
    except RolloutError as err:
        print(f"rollout: {err}", file=sys.stderr)
        return 1
    print(f"{spec.kind}/{spec.name}: {done.describe()}", flush=True)
    return 0
