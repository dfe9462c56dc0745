"""Whose pod is it? A workload's pods are those it controls, not whatever
carries its label.

- StatefulSet: pods whose ownerReferences name the StatefulSet. While it does
  not exist (deleted with `--cascade=orphan`, or out of band), the pods it
  left behind (its ordinal names, owned by nothing) stand in for its pods,
  so what can still be judged of them is judged.
- Deployment: pods owned by a ReplicaSet that the Deployment owns. While it
  does not exist, pods owned by nothing or by a ReplicaSet nobody owns.

Every other pod with the label is a stranger: listed, never exec'd into, and
named by the checks whose premise it breaks (the headless Service routes to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kube.objects import ordinal_of, owner_uids
from probes.facts import PodFacts, Workload
from probes.parse import by_ordinal, pod_facts

Item = dict[str, Any]


@dataclass(frozen=True)
class PodGroups:
    """One workload's pods, sorted."""

    current: list[PodFacts] = field(default_factory=list)
    """Its own pods that are not on their way out."""
    terminating: list[PodFacts] = field(default_factory=list)
    """Its own pods whose deletion was asked for (or that are stuck on a failed node)."""
    strangers: list[PodFacts] = field(default_factory=list)
    """Pods with its label that are not its own."""


def _grouped(items: list[Item], own: list[bool], workload: Workload, statefulset: str) -> PodGroups:
    facts = [pod_facts(i, workload, statefulset) for i in items]
    mine = [p for p, o in zip(facts, own, strict=True) if o]
    others = [p for p, o in zip(facts, own, strict=True) if not o]
    return PodGroups(
        current=by_ordinal([p for p in mine if not p.terminating]),
        terminating=by_ordinal([p for p in mine if p.terminating]),
        strangers=by_ordinal(others),
    )


def statefulset_pods(pods: Item, statefulset: Item | None, name: str) -> PodGroups:
    items = list(pods.get("items", []))
    if statefulset is not None:
        uid = statefulset["metadata"].get("uid", "")
        own = [uid in owner_uids(i) for i in items]
    else:
        own = [not owner_uids(i) and ordinal_of(i["metadata"]["name"], name) is not None for i in items]
    return _grouped(items, own, "statefulset", name)


def deployment_pods(pods: Item, replicasets: Item, deployment: Item | None) -> PodGroups:
    items = list(pods.get("items", []))
    sets = list(replicasets.get("items", []))
    if deployment is not None:
        uid = deployment["metadata"].get("uid", "")
        own_sets = {rs["metadata"].get("uid") for rs in sets if uid in owner_uids(rs)}
        own = [bool(own_sets & set(owner_uids(i))) for i in items]
    else:
        ownerless_sets = {rs["metadata"].get("uid") for rs in sets if not owner_uids(rs)}
        own = [not owner_uids(i) or bool(ownerless_sets & set(owner_uids(i))) for i in items]
    return _grouped(items, own, "deployment", "")
