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
import math
import time
from dataclasses import asdict, dataclass
from typing import Any

from gates.reads import GateError, act, follow, read_json
from gates.rollout_progress import Blocked, Progress, blocked_pods, progress
from kube.target import KubectlTarget, kubectl

POLL_SECONDS = 0.25
ROLLOUT_TIMEOUT_SECONDS = 600
WATCH_SLICE_SECONDS = 15
"""The watch runs in slices: between them the gate looks for pods that will
never get better, so a broken rollout fails in seconds, not at the timeout."""
PATIENCE_SECONDS = {"cannot start": 20.0, "unschedulable": 60.0}
"""How long a pod may stay blocked before the gate gives up on it: an image
pull error is final after a couple of retries; the scheduler may still be
waiting for a volume to bind or a node to come back."""


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
    force_rollback: bool = False
    """Delete pods that cannot start on a revision the workload no longer rolls
    toward: a reverted OrderedReady rollout waits for them forever."""

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


class BlockedPods:
    """Since when each pod has been blocked, and what the gate did about it."""

    def __init__(self, spec: RolloutSpec) -> None:
        self.spec = spec
        self.since: dict[str, float] = {}
        self.patience: dict[str, float] = {}
        self.deleted: set[str] = set()

    def seconds_to_verdict(self, now: float) -> float | None:
        """How long until the first blocked pod's patience is over (None when
        no pod is blocked): the watch slice ends then, so that the verdict
        comes when the patience ends, not at the end of a full slice."""
        left = [self.since[uid] + patience - now for uid, patience in self.patience.items()]
        return min(left) if left else None

    def judge(self, listing: dict[str, Any], now: float) -> None:
        """Deletes what forceRollback may delete; raises GateError for a pod
        blocked longer than its patience."""
        blocked = blocked_pods(self.spec.kind, listing, self.spec.name)
        self.since = {b.uid: self.since.get(b.uid, now) for b in blocked}
        self.patience = {}
        for b in blocked:
            if self.spec.force_rollback and b.outdated and not b.unschedulable:
                if b.uid not in self.deleted:
                    self.deleted.add(b.uid)
                    print(
                        f"forceRollback: deleting {b.pod} ({b.why}), stuck on a revision no longer rolled out",
                        flush=True,
                    )
                    act(delete_pod_argv(self.spec, b.pod), now + READ_SECONDS)
                continue
            patience = PATIENCE_SECONDS["unschedulable" if b.unschedulable else "cannot start"]
            self.patience[b.uid] = patience
            if now - self.since[b.uid] >= patience:
                raise GateError(blocked_message(self.spec, b, patience))


def blocked_message(spec: RolloutSpec, b: Blocked, patience: float) -> str:
    what = "cannot be placed" if b.unschedulable else "cannot start"
    if b.unschedulable:
        advice = "make a node available to it (uncordon, start the node), then `pulumi up` again"
    elif b.outdated:
        advice = (
            "it runs a revision the rollout no longer goes to, and an OrderedReady StatefulSet waits for it forever: "
            "delete it, or set statefulset-lab:forceRollback true and `pulumi up` again"
        )
    else:
        advice = "fix the image or the container (revert statefulset-lab:image), then `pulumi up` again"
    return (
        f"{spec.kind}/{spec.name} in namespace {spec.namespace}: the rollout is stuck: {b.pod} {what} "
        f"({b.why}) for {patience:.0f}s; {advice}"
    )


def delete_pod_argv(spec: RolloutSpec, pod: str) -> list[str]:
    # `kubectl delete` prints only names (`--output=name`); any other format is an error.
    return kubectl(spec.target, "delete", "pod", pod, "--wait=false", "--output=name")


def watch_slice_seconds(until_deadline: float, until_verdict: float | None) -> int:
    """The next `rollout status --watch` slice: WATCH_SLICE_SECONDS, shorter
    when the deadline or a blocked pod's verdict is nearer; never below 1 s,
    since kubectl reads `--timeout=0s` as no timeout at all."""
    nearest = min(WATCH_SLICE_SECONDS, until_deadline, WATCH_SLICE_SECONDS if until_verdict is None else until_verdict)
    return max(1, math.ceil(nearest))


def wait(spec: RolloutSpec) -> Progress:
    deadline = time.monotonic() + spec.timeout_seconds
    blocked = BlockedPods(spec)
    # The gate runs because the spec just changed, so the watch comes first; it
    # runs in slices, and once kubectl says done, only the poll goes on.
    watching = not spec.on_delete
    last = ""
    while True:
        if watching:
            now = time.monotonic()
            slice_seconds = watch_slice_seconds(deadline - now, blocked.seconds_to_verdict(now))
            watching = not follow(rollout_status_argv(spec, slice_seconds), deadline, on_line=_echo)
        current, listing = read_progress(spec, deadline)
        if current.done:
            return current
        blocked.judge(listing, time.monotonic())
        if current.describe() != last:
            last = current.describe()
            print(f"{spec.kind}/{spec.name}: {last}", flush=True)
        if time.monotonic() + POLL_SECONDS > deadline:
            raise GateError(
                f"{spec.kind}/{spec.name} in namespace {spec.namespace} did not finish rolling out within "
                f"{spec.timeout_seconds}s; {last}"
            )
        if not watching:
            time.sleep(POLL_SECONDS)


def run(spec_json: str) -> int:
    """`python -m gates rollout '<json>'`: exit 0 once the rollout is over."""
    spec = RolloutSpec.from_json(spec_json)
    done = wait(spec)
    print(f"{spec.kind}/{spec.name}: {done.describe()}", flush=True)
    return 0
