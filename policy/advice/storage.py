"""Advice on the lab's volumes, which needs the whole stack: a claim one node
can serve that a workload's pods must share across nodes, and the steps that
delete claims and the pages on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .resources import (
    CLAIM,
    COMMAND,
    STATEFULSET,
    WORKLOADS,
    Resource,
    command_spec,
    field,
    mounted_claims,
    name_of,
    of_type,
    pod_spec,
    replicas,
)

HOSTNAME = "kubernetes.io/hostname"
ONE_NODE_MODES = {"ReadWriteOnce", "ReadWriteOncePod"}


def _namespace(props: Mapping[str, Any]) -> str:
    return str(field(props, "metadata", "namespace") or "default")


def _kind(resource: Resource) -> str:
    return resource.resource_type.rsplit(":", 1)[-1]


def node_separation(workload: Mapping[str, Any]) -> str | None:
    """What forces the workload's pods onto different nodes, None when nothing does."""
    spec = pod_spec(workload)
    anti = field(spec, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution") or []
    if any(isinstance(t, Mapping) and t.get("topologyKey") == HOSTNAME for t in anti):
        return f"a required pod anti-affinity on {HOSTNAME}"
    for spread in spec.get("topologySpreadConstraints") or []:
        if (
            isinstance(spread, Mapping)
            and spread.get("topologyKey") == HOSTNAME
            and spread.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule"
            and replicas(workload) > int(spread.get("maxSkew") or 1)
        ):
            return f"a topology spread on {HOSTNAME} (maxSkew {spread.get('maxSkew') or 1}, DoNotSchedule)"
    return None


def shared_claim_across_nodes(resources: Sequence[Resource]) -> list[str]:
    """Pods that all mount one ReadWriteOnce claim while their scheduling
    rules spread them over nodes: the volume serves one node, so the pods on
    the others never start."""
    one_node_claims = {
        (_namespace(c.props), name_of(c.props)): mode
        for c in of_type(resources, CLAIM)
        for mode in (field(c.props, "spec", "accessModes") or [])
        if mode in ONE_NODE_MODES
    }
    advice = []
    for workload in of_type(resources, *WORKLOADS):
        count = replicas(workload.props)
        separation = node_separation(workload.props)
        if count < 2 or separation is None:
            continue
        for claim in mounted_claims(workload.props):
            mode = one_node_claims.get((_namespace(workload.props), claim))
            if mode is None:
                continue
            advice.append(
                f"{_kind(workload)} {name_of(workload.props)}: its {count} pods all mount the {mode} claim {claim}, "
                f"and {separation} puts them on different nodes. A {mode} volume is attached to one node (a "
                "local-path volume is a directory on one node's disk), so the pods away from it cannot start: they "
                "stay Pending or ContainerCreating. Drop the constraint, or give each pod a claim of its own (a "
                "StatefulSet's volumeClaimTemplates)."
            )
    return advice


def _lessons(resources: Sequence[Resource]) -> list[str]:
    found = (command_spec(c.props, "lessons") for c in of_type(resources, COMMAND))
    return [lesson for lesson, _spec in (f for f in found if f is not None)]


def claims_deleted_with_data(resources: Sequence[Resource]) -> list[str]:
    """A StatefulSet whose claims Kubernetes deletes (a retention policy of
    Delete), said with the step of this stack that triggers it."""
    lessons = _lessons(resources)
    advice = []
    for statefulset in of_type(resources, STATEFULSET):
        name = name_of(statefulset.props)
        retention = field(statefulset.props, "spec", "persistentVolumeClaimRetentionPolicy") or {}
        if retention.get("whenDeleted") == "Delete":
            if "cascade-delete" in lessons:
                advice.append(
                    f"StatefulSet {name}: the lesson cascade-delete deletes it, and with pvcRetentionWhenDeleted "
                    "Delete its claims go with it: the volumes and the pages the pods wrote are deleted, and the "
                    "StatefulSet the next up creates starts on empty claims. Set pvcRetentionWhenDeleted Retain "
                    "first to keep them."
                )
            else:
                advice.append(
                    f"StatefulSet {name}: with pvcRetentionWhenDeleted Delete, whatever deletes it (pulumi destroy, "
                    "a replace after a podManagementPolicy change, the lesson cascade-delete) deletes its claims "
                    "and the data on them too."
                )
        if retention.get("whenScaled") == "Delete":
            advice.append(
                f"StatefulSet {name}: with pvcRetentionWhenScaled Delete, lowering replicas deletes the claims of "
                "the ordinals it removes and their pages: scaling out again gives those ordinals empty volumes."
            )
    return advice
