"""Waits, with kubectl, until a workload's rollout is over (see `rollout_progress`).

`kubectl rollout status --watch` does the long wait cheaply (one watch, not
a poll) and stops at kubectl's notion of done; a short poll of the workload
and its pods then waits for what kubectl does not look at: the current
revision catching up, pods of an older revision or above the replica count
still terminating. OnDelete StatefulSets skip the first step (kubectl refuses
them) and only wait for their replicas.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from gates.reads import GateError, follow, read_json
from gates.rollout_progress import Progress, progress
from kube.target import KubectlTarget, kubectl

POLL_SECONDS = 0.25
ROLLOUT_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class RolloutSpec:
    """What to wait for: the JSON document `python -m gates rollout` reads,
    which the program's rollout gate writes. The kubeconfig comes through
    the command's environment (KUBECONFIG), like every command's."""

    kind: str
    """statefulset or deployment"""
    name: str
    namespace: str
    selector: str
    """Label selector of the workload's pods (and of the workload itself)."""
    timeout_seconds: int = ROLLOUT_TIMEOUT_SECONDS
    on_delete: bool = False
    """An OnDelete StatefulSet: nothing rolls until a pod is deleted."""
    context: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RolloutSpec:
        return cls(**json.loads(text))

    @property
    def target(self) -> KubectlTarget:
        return KubectlTarget(namespace=self.namespace, context=self.context)


def listing_argv(spec: RolloutSpec) -> list[str]:
    kinds = "statefulset,pods" if spec.kind == "statefulset" else "deployment,replicasets,pods"
    return kubectl(spec.target, "get", kinds, f"--selector={spec.selector}", "--output=json")


def rollout_status_argv(spec: RolloutSpec, seconds: int) -> list[str]:
    return kubectl(spec.target, "rollout", "status", f"{spec.kind}/{spec.name}", "--watch", f"--timeout={seconds}s")


READ_SECONDS = 30
"""Each listing may take this long even when the wait's deadline is nearer:
a read cut short would hide what the wait was waiting for."""


def read_progress(spec: RolloutSpec, deadline: float) -> tuple[Progress, dict[str, Any]]:
    listing = read_json(listing_argv(spec), max(deadline, time.monotonic() + READ_SECONDS))
    return progress(spec.kind, listing, spec.name), listing


def _echo(line: str) -> None:
    print(line, flush=True)


def wait(spec: RolloutSpec) -> Progress:
    deadline = time.monotonic() + spec.timeout_seconds
    # The gate runs because the spec just changed, so the watch comes first.
    if not spec.on_delete:
        remaining = int(deadline - time.monotonic())
        # Whether it succeeds or not, the poll below says precisely what is missing.
        follow(rollout_status_argv(spec, max(remaining, 1)), deadline, on_line=_echo)
    last = ""
    while True:
        current, _ = read_progress(spec, deadline)
        if current.done:
            return current
        if current.describe() != last:
            last = current.describe()
            print(f"{spec.kind}/{spec.name}: {last}", flush=True)
        if time.monotonic() + POLL_SECONDS > deadline:
            raise GateError(
                f"{spec.kind}/{spec.name} in namespace {spec.namespace} did not finish rolling out within "
                f"{spec.timeout_seconds}s; {last}"
            )
        time.sleep(POLL_SECONDS)


def run(spec_json: str) -> int:
    """`python -m gates rollout '<json>'`: exit 0 once the rollout is over."""
    spec = RolloutSpec.from_json(spec_json)
    done = wait(spec)
    print(f"{spec.kind}/{spec.name}: {done.describe()}", flush=True)
    return 0
