"""What "the rollout is over" means, read with kubectl the moment `pulumi up`
returns: the same conditions a person would check with `kubectl get -o json`."""

from __future__ import annotations

from typing import Any

from tests.e2e.kube import kubectl_json


def _owned(items: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [i for i in items if i["kind"] == kind]


def statefulset_rollout_problems(namespace: str, image: str, partition: int = 0) -> list[str]:
    """Everything that says the StatefulSet `web-sts` has not finished rolling out.

    Finished: the controller observed the current generation, every replica
    exists and is Ready, nothing is left from a scale-in, and every ordinal
    >= partition runs the update revision and the configured image (for
    partition 0 the current revision has become the update revision).
    """
    found = kubectl_json("get", "statefulset,pods", "--namespace", namespace, "--selector", "app=nginx-sts")
    sts = next(i for i in _owned(found["items"], "StatefulSet") if i["metadata"]["name"] == "web-sts")
    pods = _owned(found["items"], "Pod")
    spec, status, meta = sts["spec"], sts.get("status", {}), sts["metadata"]
    replicas = spec.get("replicas", 1)
    problems = []
    if status.get("observedGeneration", 0) < meta["generation"]:
        problems.append(f"observedGeneration {status.get('observedGeneration')} < generation {meta['generation']}")
    for field in ("replicas", "readyReplicas", "availableReplicas"):
        if status.get(field, 0) != replicas:
            problems.append(f"status.{field} {status.get(field, 0)} != {replicas}")
    if status.get("updatedReplicas", 0) < replicas - partition:
        problems.append(f"status.updatedReplicas {status.get('updatedReplicas', 0)} < {replicas - partition}")
    if partition == 0 and status.get("currentRevision") != status.get("updateRevision"):
        current, update = status.get("currentRevision"), status.get("updateRevision")
        problems.append(f"currentRevision {current} != updateRevision {update}")
    names = sorted(p["metadata"]["name"] for p in pods)
    if names != sorted(f"web-sts-{i}" for i in range(replicas)):
        problems.append(f"pods {names}, expected web-sts-0..{replicas - 1}")
    for pod in pods:
        name = pod["metadata"]["name"]
        ordinal = int(name.rsplit("-", 1)[1])
        if pod["metadata"].get("deletionTimestamp"):
            problems.append(f"{name} is terminating")
        ready = any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", []))
        if not ready:
            problems.append(f"{name} is not Ready")
        if ordinal >= partition:
            revision = pod["metadata"]["labels"].get("controller-revision-hash")
            if revision != status.get("updateRevision"):
                problems.append(f"{name} runs revision {revision}, not {status.get('updateRevision')}")
            if pod["spec"]["containers"][0]["image"] != image:
                problems.append(f"{name} runs {pod['spec']['containers'][0]['image']}, not {image}")
    return problems


def deployment_rollout_problems(namespace: str, image: str) -> list[str]:
    """Everything that says the Deployment `web-dep` has not finished rolling out.

    Finished: the controller observed the current generation; updated, ready
    and available replicas all equal the desired count; and no pod of an
    older ReplicaSet is left, not even a terminating one.
    """
    found = kubectl_json("get", "deployment,replicasets,pods", "--namespace", namespace, "--selector", "app=nginx-dep")
    deployment = next(i for i in _owned(found["items"], "Deployment") if i["metadata"]["name"] == "web-dep")
    spec, status, meta = deployment["spec"], deployment.get("status", {}), deployment["metadata"]
    replicas = spec.get("replicas", 1)
    problems = []
    if status.get("observedGeneration", 0) < meta["generation"]:
        problems.append(f"observedGeneration {status.get('observedGeneration')} < generation {meta['generation']}")
    for field in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas"):
        if status.get(field, 0) != replicas:
            problems.append(f"status.{field} {status.get(field, 0)} != {replicas}")
    revision = meta.get("annotations", {}).get("deployment.kubernetes.io/revision")
    newest = [
        rs
        for rs in _owned(found["items"], "ReplicaSet")
        if rs["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision") == revision
    ]
    new_hash = newest[0]["metadata"]["labels"]["pod-template-hash"] if newest else None
    pods = _owned(found["items"], "Pod")
    if len(pods) != replicas:
        problems.append(f"{len(pods)} pods, expected {replicas}")
    for pod in pods:
        name = pod["metadata"]["name"]
        if pod["metadata"].get("deletionTimestamp"):
            problems.append(f"{name} is terminating")
        if pod["metadata"]["labels"].get("pod-template-hash") != new_hash:
            problems.append(f"{name} belongs to an older ReplicaSet")
        if pod["spec"]["containers"][0]["image"] != image:
            problems.append(f"{name} runs {pod['spec']['containers'][0]['image']}, not {image}")
    return problems
