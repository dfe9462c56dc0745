"""Whether a stored probe document still describes the cluster.

The document records a fingerprint of what it judged: the StatefulSet's and
the Deployment's uid and generation, and the name/uid of every pod with
either workload's label. The cluster's fingerprint now, read with two
kubectl calls (the workloads, then their pods), is compared with it: any
difference means the verdicts describe the cluster as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kube.names import LabNames, WorkloadNames
from kube.runner import CommandError, run_json
from kube.target import KubectlTarget, kubectl
from probes.parse import parse_time

Fingerprint = dict[str, Any]


def live_fingerprint(document: dict[str, Any]) -> Fingerprint:
    """The fingerprint of the document's workloads as the cluster shows them now
    (KUBECONFIG from the environment, the context the probes used)."""
    e = document["expectations"]
    target = KubectlTarget(namespace=e["namespace"], context=(document.get("cluster") or {}).get("context", ""))
    names = LabNames(
        statefulset=WorkloadNames(e["statefulset"], e["statefulset_service"]),
        deployment=WorkloadNames(e["deployment"], e["deployment_service"]),
    )
    apps = f"app in ({names.statefulset.app},{names.deployment.app})"
    workloads = run_json(kubectl(target, "get", "statefulsets,deployments", "--output=json"), 30)
    pods = run_json(kubectl(target, "get", "pods", f"--selector={apps}", "--output=json"), 30)

    def identity(kind: str, name: str) -> dict[str, Any] | None:
        for item in workloads.get("items", []):
            if item.get("kind") == kind and item["metadata"]["name"] == name:
                return {"uid": item["metadata"].get("uid", ""), "generation": item["metadata"].get("generation", 0)}
        return None

    return {
        "statefulset": identity("StatefulSet", names.statefulset.workload),
        "deployment": identity("Deployment", names.deployment.workload),
        "pods": sorted(f"{i['metadata']['name']}/{i['metadata'].get('uid', '')}" for i in pods.get("items", [])),
    }


def _workload_change(kind: str, then: dict[str, Any] | None, now: dict[str, Any] | None) -> list[str]:
    if then == now:
        return []
    if then is None:
        return [f"the {kind} exists again"]
    if now is None:
        return [f"the {kind} is gone"]
    if then["uid"] != now["uid"]:
        return [f"the {kind} was replaced"]
    return [f"{kind} generation {then['generation']} -> {now['generation']}"]


def describe_changes(then: Fingerprint, now: Fingerprint) -> list[str]:
    """What differs between two fingerprints, in words; empty when nothing does."""
    changes = _workload_change("StatefulSet", then.get("statefulset"), now.get("statefulset"))
    changes += _workload_change("Deployment", then.get("deployment"), now.get("deployment"))
    before, after = set(then.get("pods", [])), set(now.get("pods", []))
    if before - after:
        changes.append("pods gone or replaced: " + ", ".join(sorted(p.split("/")[0] for p in before - after)))
    if after - before:
        changes.append("new pods: " + ", ".join(sorted(p.split("/")[0] for p in after - before)))
    return changes


def age(observed_at: str, now: datetime | None = None) -> str:
    seconds = int(((now or datetime.now(UTC)) - parse_time(observed_at)).total_seconds())
    if seconds < 90:
        return f"{max(seconds, 0)} s"
    if seconds < 5400:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def status_lines(document: dict[str, Any], now: datetime | None = None) -> tuple[list[str], bool]:
    """The lines that say how old the observation is and whether the cluster
    changed since, and whether it did (True also when that cannot be told)."""
    lines = [f"Observed {age(document['observed_at'], now)} ago."]
    stored = document.get("fingerprint")
    if stored is None:
        return [*lines, "This document predates fingerprints: whether the cluster changed since is unknown."], True
    try:
        changes = describe_changes(stored, live_fingerprint(document))
    except CommandError as err:
        return [*lines, f"Could not compare with the cluster now: {err}"], True
    if not changes:
        return [*lines, "The workloads and their pods have not changed since."], False
    lines.append(
        "CHANGED since: " + "; ".join(changes) + ". These verdicts describe the cluster as it was; "
        "`make report` observes it again."
    )
    return lines, True
