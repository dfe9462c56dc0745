"""Advice on a StatefulSet's rollout that the inputs alone can give: a
partition that holds every pod back, and a forced rollback with nothing a
preview can show to be stuck."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .resources import command_spec, field, name_of, replicas


def partition_holds_every_pod(statefulset: Mapping[str, Any]) -> list[str]:
    """A RollingUpdate partition at or above replicas: a new pod template (an
    image) reaches only ordinals >= start + partition, and there are none."""
    strategy = field(statefulset, "spec", "updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        return []
    partition = int(field(strategy, "rollingUpdate", "partition") or 0)
    count = replicas(statefulset)
    if count == 0 or partition < count:
        return []
    start = int(field(statefulset, "spec", "ordinals", "start") or 0)
    name = name_of(statefulset)
    return [
        f"StatefulSet {name}: partition {partition} is at or above replicas {count}, so nothing will move. "
        f"A change of the pod template (the image) reaches only ordinals >= {start + partition}, and the pods "
        f"are {name}-{start}..{name}-{start + count - 1}: every pod stays on its current revision (the update is "
        f"staged, not rolled out). To roll out, lower the partition: statefulset-lab:partition {count - 1} moves "
        f"{name}-{start + count - 1} only, 0 moves them all."
    ]


def forced_rollback_without_a_stuck_pod(gate_command: Mapping[str, Any]) -> list[str]:
    """forceRollback set on a StatefulSet's rollout gate. Whether a pod is
    stuck is the cluster's to say, not the preview's: the advice says when
    the setting acts and when it does nothing."""
    found = command_spec(gate_command, "gates")
    if found is None:
        return []
    gate, spec = found
    if gate != "rollout" or spec.get("kind") != "statefulset" or not spec.get("force_rollback"):
        return []
    return [
        f"statefulset-lab:forceRollback is on for StatefulSet {spec.get('name', '?')}: its rollout gate will delete "
        "pods that cannot start (image pull or crash errors) on a revision the StatefulSet no longer rolls toward. "
        "A preview cannot see pods, so this cannot tell whether one is stuck: it acts only in the up right after a "
        "broken image was set back while a pod still waits on it; with nothing stuck it does nothing. Set "
        "forceRollback false once that up is through, so a later rollout is not forced without being asked."
    ]
