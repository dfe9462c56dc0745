"""Advice on a StatefulSet's rollout: a partition that holds every pod back
(from the inputs alone), and a forced rollback while no pod is stuck (the
cluster as the preview finds it, judged by the rollout gate's own code)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from gates.rollout_progress import blocked_pods
from gates.rollout_wait import RolloutSpec, listing_argv

from .cluster import kubectl_json
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


def stuck_pods(spec: RolloutSpec, kubeconfig: str) -> list[str]:
    """The workload's pods that cannot start now, as its rollout gate judges
    them (the gate's own listing and judgement): what a forced rollback deletes
    once the revision they are stuck on is no longer rolled toward."""
    listing = kubectl_json(listing_argv(spec), kubeconfig=kubeconfig)
    return [f"{b.pod} ({b.why})" for b in blocked_pods(spec.kind, listing, spec.name) if not b.unschedulable]


def forced_rollback_without_a_stuck_pod(
    gate_command: Mapping[str, Any], stuck_now: Callable[[RolloutSpec, str], list[str]] = stuck_pods
) -> list[str]:
    """forceRollback set on a StatefulSet's rollout gate while none of its pods
    is stuck. The preview sees the cluster as it is before this up: a pod stuck
    there is what the setting is for, and nothing to advise on."""
    found = command_spec(gate_command, "gates")
    if found is None:
        return []
    gate, fields = found
    if gate != "rollout" or fields.get("kind") != "statefulset" or not fields.get("force_rollback"):
        return []
    spec = RolloutSpec.from_json(json.dumps(fields))
    what_it_does = (
        "its rollout gate deletes pods that cannot start (image pull or crash errors) on a revision the StatefulSet "
        "no longer rolls toward, which an OrderedReady rollout that was set back waits for forever"
    )
    environment = gate_command.get("environment") or {}
    try:
        stuck = stuck_now(spec, str(environment.get("KUBECONFIG", "")))
    except RuntimeError as err:
        return [
            f"statefulset-lab:forceRollback is on for StatefulSet {spec.name}: {what_it_does}. Whether a pod is stuck "
            f"could not be read ({err}): with none, it does nothing. Set it false once the rollback is through."
        ]
    if stuck:
        return []
    return [
        f"statefulset-lab:forceRollback is on for StatefulSet {spec.name}, and none of its pods is stuck now: "
        f"{what_it_does}; this up has nothing to roll back, so it does nothing (a broken image this up sets is the "
        "revision rolled toward, whose pods are never deleted). Set forceRollback false: it is for the up right "
        "after a broken image was set back while a pod still waits on it."
    ]
