"""Whether a stored probe document still describes the cluster.

The document records a fingerprint of what it judged: the StatefulSet's and
the Deployment's uid and generation, and the name/uid of every pod with
either workload's label. The cluster's fingerprint now, read with two
kubectl calls (the workloads, then their pods), is compared with it: any
difference means the verdicts describe the cluster as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime

from kube.runner import CommandError, run_json
from kube.target import KubectlTarget, kubectl
from probes.document import Fingerprint, ProbeDocument, WorkloadIdentity
from probes.parse import parse_time


def live_fingerprint(document: ProbeDocument) -> Fingerprint:
    """The fingerprint of the document's workloads as the cluster shows them now
    (KUBECONFIG from the environment, the context the probes used)."""
    e = document.expectations
    target = KubectlTarget(namespace=e.namespace, context=document.cluster.context)
    names = e.names
    apps = f"app in ({names.statefulset.app},{names.deployment.app})"
    workloads = run_json(kubectl(target, "get", "statefulsets,deployments", "--output=json"), 30)
    pods = run_json(kubectl(target, "get", "pods", f"--selector={apps}", "--output=json"), 30)

    def identity(kind: str, name: str) -> WorkloadIdentity | None:
        for item in workloads.get("items", []):
            if item.get("kind") == kind and item["metadata"]["name"] == name:
                meta = item["metadata"]
                return WorkloadIdentity(uid=meta.get("uid", ""), generation=meta.get("generation", 0))
        return None

    return Fingerprint(
        statefulset=identity("StatefulSet", names.statefulset.workload),
        deployment=identity("Deployment", names.deployment.workload),
        pods=sorted(f"{i['metadata']['name']}/{i['metadata'].get('uid', '')}" for i in pods.get("items", [])),
    )


def _workload_change(kind: str, then: WorkloadIdentity | None, now: WorkloadIdentity | None) -> list[str]:
    if then == now:
        return []
    if then is None:
        return [f"the {kind} exists again"]
    if now is None:
        return [f"the {kind} is gone"]
    if then.uid != now.uid:
        return [f"the {kind} was replaced"]
    return [f"{kind} generation {then.generation} -> {now.generation}"]


def describe_changes(then: Fingerprint, now: Fingerprint) -> list[str]:
    """What differs between two fingerprints, in words; empty when nothing does."""
    changes = _workload_change("StatefulSet", then.statefulset, now.statefulset)
    changes += _workload_change("Deployment", then.deployment, now.deployment)
    before, after = set(then.pods), set(now.pods)
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


def status_lines(document: ProbeDocument, now: datetime | None = None) -> tuple[list[str], bool]:
    """The lines that say how old the observation is and whether the cluster
    changed since, and whether it did (True also when that cannot be told)."""
    lines = [f"Observed {age(document.observed_at, now)} ago."]
    stored = document.fingerprint
    if stored is None:
        return [*lines, "The document has no fingerprint: whether the cluster changed since is unknown."], True
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
