"""Pure judgement: has a workload's rollout reached its goal?

Read from one `kubectl get <kind>,pods[,replicasets] -o json` list. A
rollout is over only when the controller has observed the object's current
generation (a status written for the previous spec says nothing about this
one), every replica exists and is Ready (and available, with
minReadySeconds), nothing is left over from a scale-in or an older revision,
and the pods that the update strategy moves run the new revision:

- StatefulSet, RollingUpdate: every ordinal >= partition on the update
  revision (partition 0: all of them, so the current revision has caught up).
- StatefulSet, OnDelete: nothing moves until a pod is deleted, so only the
  replica count and readiness are waited for.
- Deployment: every pod belongs to the newest ReplicaSet, none terminating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kube.objects import (
    cannot_start_reason,
    is_ready,
    is_terminating,
    no_node_fits,
    ordinal_of,
    pod_state,
    unschedulable_message,
)

Object = dict[str, Any]


@dataclass(frozen=True)
class Progress:
    """Whether the goal is reached, and if not, what is still awaited."""

    done: bool
    waiting_for: tuple[str, ...] = ()

    def describe(self) -> str:
        return "rollout complete" if self.done else "waiting for: " + "; ".join(self.waiting_for)


def _items(listing: Object, kind: str) -> list[Object]:
    return [i for i in listing.get("items", []) if i.get("kind") == kind]


def _generation_problems(obj: Object) -> list[str]:
    generation = obj.get("metadata", {}).get("generation", 0)
    observed = obj.get("status", {}).get("observedGeneration", 0)
    if observed < generation:
        return [f"the controller to observe generation {generation} (status is of {observed})"]
    return []


def _count_problems(status: Object, fields: tuple[str, ...], replicas: int) -> list[str]:
    return [f"status.{f} {status.get(f, 0)} to reach {replicas}" for f in fields if status.get(f, 0) != replicas]


def _pod_problems(pods: list[Object]) -> list[str]:
    found = []
    for pod in pods:
        name = pod["metadata"]["name"]
        if is_terminating(pod):
            found.append(f"{name} to terminate")
        elif not is_ready(pod):
            found.append(f"{name} to be Ready ({pod_state(pod)})")
    return found


@dataclass(frozen=True)
class Blocked:
    """A pod that holds a rollout up and will not get better by waiting."""

    pod: str
    uid: str
    why: str
    """What `kubectl describe` would show first (ImagePullBackOff: ..., unschedulable: ...)."""
    unschedulable: bool
    """The scheduler cannot place it (rather than its container not starting)."""
    outdated: bool
    """It runs a revision the workload no longer rolls toward (a reverted rollout)."""


def _no_node_fits(pod: Object) -> bool:
    return no_node_fits(unschedulable_message(pod))


def blocked_pods(kind: str, listing: Object, name: str) -> list[Blocked]:
    """The workload's pods that cannot start or cannot be placed, from the same listing as `progress`."""
    workloads = [w for w in listing.get("items", []) if w.get("kind") in ("StatefulSet", "Deployment")]
    workload = next((w for w in workloads if w["metadata"]["name"] == name), None)
    if workload is None:
        return []
    update = workload.get("status", {}).get("updateRevision", "") if kind == "statefulset" else ""
    found = []
    for pod in _items(listing, "Pod"):
        if is_terminating(pod) or is_ready(pod):
            continue
        if kind == "statefulset" and ordinal_of(pod["metadata"]["name"], name) is None:
            continue
        reason, placed = cannot_start_reason(pod), not _no_node_fits(pod)
        if not reason and placed:
            continue
        revision = pod["metadata"].get("labels", {}).get("controller-revision-hash", "")
        found.append(
            Blocked(
                pod=pod["metadata"]["name"],
                uid=pod["metadata"].get("uid", ""),
                why=pod_state(pod),
                unschedulable=not placed,
                outdated=bool(update) and revision != update,
            )
        )
    return found


def statefulset_progress(listing: Object, name: str) -> Progress:
    """`listing`: the StatefulSet and the pods its selector matches."""
    found = [s for s in _items(listing, "StatefulSet") if s["metadata"]["name"] == name]
    if not found:
        return Progress(False, (f"StatefulSet {name} to exist",))
    sts = found[0]
    spec, status = sts.get("spec", {}), sts.get("status", {})
    replicas = int(spec.get("replicas", 1))
    start = int((spec.get("ordinals") or {}).get("start", 0))
    wanted = range(start, start + replicas)
    pods = [p for p in _items(listing, "Pod") if ordinal_of(p["metadata"]["name"], name) is not None]
    waiting = _generation_problems(sts)
    waiting += _count_problems(status, ("replicas", "readyReplicas", "availableReplicas"), replicas)
    ordinals = {ordinal_of(p["metadata"]["name"], name) for p in pods}
    missing = [f"{name}-{i} to exist" for i in wanted if i not in ordinals]
    waiting += missing
    waiting += _pod_problems(pods)
    strategy = spec.get("updateStrategy", {})
    if strategy.get("type", "RollingUpdate") == "RollingUpdate":
        partition = int((strategy.get("rollingUpdate") or {}).get("partition", 0))
        target = status.get("updateRevision", "")
        for pod in pods:
            ordinal = ordinal_of(pod["metadata"]["name"], name)
            revision = pod["metadata"].get("labels", {}).get("controller-revision-hash", "")
            # The partition counts from the first ordinal (spec.ordinals.start).
            if ordinal is not None and start + partition <= ordinal < wanted.stop and revision != target:
                waiting.append(f"{pod['metadata']['name']} to move to revision {target} (runs {revision})")
        if partition == 0 and status.get("currentRevision") != target:
            waiting.append(f"currentRevision to become {target}")
    # Pods outside the ordinals are a scale-in (or a new start ordinal) still in progress.
    waiting += [
        f"{p['metadata']['name']} to be removed" for p in pods if ordinal_of(p["metadata"]["name"], name) not in wanted
    ]
    return Progress(not waiting, tuple(dict.fromkeys(waiting)))


def deployment_progress(listing: Object, name: str) -> Progress:
    """`listing`: the Deployment, its ReplicaSets and the pods its selector matches."""
    found = [d for d in _items(listing, "Deployment") if d["metadata"]["name"] == name]
    if not found:
        return Progress(False, (f"Deployment {name} to exist",))
    deployment = found[0]
    spec, status = deployment.get("spec", {}), deployment.get("status", {})
    replicas = int(spec.get("replicas", 1))
    waiting = _generation_problems(deployment)
    waiting += _count_problems(status, ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas"), replicas)
    revision = deployment["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision")
    owned = [
        rs
        for rs in _items(listing, "ReplicaSet")
        if any(o.get("uid") == deployment["metadata"].get("uid") for o in rs["metadata"].get("ownerReferences") or [])
    ]
    newest = [
        rs for rs in owned if rs["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision") == revision
    ]
    if not newest:
        waiting.append(f"the ReplicaSet of revision {revision} to exist")
    else:
        new_hash = newest[0]["metadata"].get("labels", {}).get("pod-template-hash")
        pods = _items(listing, "Pod")
        waiting += [
            f"{p['metadata']['name']} of an older ReplicaSet to go"
            for p in pods
            if p["metadata"].get("labels", {}).get("pod-template-hash") != new_hash
        ]
        waiting += _pod_problems(pods)
        if len(pods) != replicas:
            waiting.append(f"{replicas} pods (there are {len(pods)})")
    return Progress(not waiting, tuple(dict.fromkeys(waiting)))


def progress(kind: str, listing: Object, name: str) -> Progress:
    if kind == "statefulset":
        return statefulset_progress(listing, name)
    if kind == "deployment":
        return deployment_progress(listing, name)
    raise ValueError(f"unknown workload kind {kind!r}")
