"""The listings one probe run reads, side by side: the workloads, their pods,
Services, claims, volumes, nodes and the namespace's events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kube.target import KubectlTarget
from probes import commands as cmd
from probes.calls import Kubectl, parallel
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


def list_objects(k: Kubectl, target: KubectlTarget, e: Expectations) -> Listings:
    names = e.names
    return Listings(
        *parallel(
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
            ],
        )
    )
