"""The listings one probe run reads, side by side: the workloads, their pods,
Services, claims, volumes, nodes and the namespace's events."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from kube.target import KubectlTarget
from probes import commands as cmd
from probes.calls import Kubectl, ProbeError, parallel
from probes.document import ClusterFacts
from probes.facts import Expectations

Listing = dict[str, Any]


@dataclass(frozen=True)
class Listings:
    """What `kubectl get ... --output=json` printed for each kind of object."""

    statefulset: Listing
    deployment: Listing
    statefulset_pods: Listing
    deployment_pods: Listing
    claims: Listing
    volumes: Listing
    events: Listing
    services: Listing
    nodes: Listing
    replicasets: Listing
    revisions: Listing
    """The StatefulSet label's ControllerRevisions: which template each pod revision is, and when it came."""
    version: Listing
    """`kubectl version`: the API server's version."""
    config: Listing
    """`kubectl config view --minify`: the server the run talked to."""


def _maybe_json(k: Kubectl, argv: list[str]) -> Listing:
    """What only describes the run (versions, the server's URL): a failure leaves it empty."""
    try:
        return k.json(argv)
    except ProbeError:
        return {}


def list_objects(k: Kubectl, target: KubectlTarget, e: Expectations) -> Listings:
    """Every listing at once; a failure of any object listing is the run's (ProbeError)."""
    names = e.names
    descriptive = [cmd.server_version(target), cmd.current_cluster(target)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        about = [pool.submit(_maybe_json, k, argv) for argv in descriptive]
        objects = parallel(
            k.json,
            [
                cmd.statefulset(target, names.statefulset.workload),
                cmd.deployment(target, names.deployment.workload),
                cmd.pods_of(target, names.statefulset.app),
                cmd.pods_of(target, names.deployment.app),
                cmd.claims(target),
                cmd.volumes(target),
                cmd.events(target),
                cmd.services(target),
                cmd.nodes(target),
                cmd.replicasets(target, names.deployment.app),
                cmd.controller_revisions(target, names.statefulset.app),
            ],
        )
        return Listings(*objects, *(f.result() for f in about))


def argv_of(target: KubectlTarget, e: Expectations, listing: str) -> list[str]:
    """The command that produced one of the listings, to show as evidence."""
    names = e.names
    return {
        "statefulset_pods": cmd.pods_of(target, names.statefulset.app),
        "deployment_pods": cmd.pods_of(target, names.deployment.app),
        "claims": cmd.claims(target),
        "nodes": cmd.nodes(target),
        "revisions": cmd.controller_revisions(target, names.statefulset.app),
    }[listing]


def cluster_of(listed: Listings, context: str) -> ClusterFacts:
    """The cluster the run observed: its kubeconfig context, API server and Kubernetes version."""
    clusters = listed.config.get("clusters") or [{}]
    return ClusterFacts(
        context=context or str(listed.config.get("current-context", "")),
        server=str((clusters[0].get("cluster") or {}).get("server", "")),
        kubernetes_version=str((listed.version.get("serverVersion") or {}).get("gitVersion", "")),
    )
