"""The rollout gate's judgement: done only when the controller has seen the
new spec and the update strategy's goal is reached."""

from __future__ import annotations

from typing import Any

import pytest

from gates.rollout_progress import deployment_progress, statefulset_progress
from kube.objects import pod_state

Obj = dict[str, Any]


def sts(
    replicas: int = 3,
    generation: int = 2,
    observed: int = 2,
    current: str = "r2",
    update: str = "r2",
    ready: int | None = None,
    partition: int | None = 0,
    strategy: str = "RollingUpdate",
    updated: int | None = None,
) -> Obj:
    ready = replicas if ready is None else ready
    rolling = {"rollingUpdate": {"partition": partition}} if partition is not None else {}
    return {
        "kind": "StatefulSet",
        "metadata": {"name": "web-sts", "generation": generation},
        "spec": {"replicas": replicas, "updateStrategy": {"type": strategy, **rolling}},
        "status": {
            "observedGeneration": observed,
            "replicas": replicas,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "updatedReplicas": replicas if updated is None else updated,
            "currentRevision": current,
            "updateRevision": update,
        },
    }


def pod(
    name: str, revision: str = "r2", ready: bool = True, terminating: bool = False, labels: dict[str, str] | None = None
) -> Obj:
    meta: Obj = {"name": name, "labels": {"controller-revision-hash": revision, **(labels or {})}}
    if terminating:
        meta["deletionTimestamp"] = "2026-11-27T00:00:00Z"
    return {
        "kind": "Pod",
        "metadata": meta,
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


def listing(*items: Obj) -> Obj:
    return {"items": list(items)}


def sts_pods(revisions: str = "r2 r2 r2") -> list[Obj]:
    return [pod(f"web-sts-{i}", r) for i, r in enumerate(revisions.split())]


def test_a_finished_rollout_is_done() -> None:
    assert statefulset_progress(listing(sts(), *sts_pods()), "web-sts").done


def test_a_status_of_the_previous_generation_is_not_done_even_if_it_looks_finished() -> None:
    """The provider's own wait passes exactly here: the old status is complete."""
    progress = statefulset_progress(listing(sts(generation=3, observed=2), *sts_pods()), "web-sts")
    assert not progress.done
    assert "observe generation 3" in progress.describe()


def test_half_way_through_a_rolling_update_is_not_done() -> None:
    half = sts(current="r1", update="r2", ready=2, updated=2)
    progress = statefulset_progress(listing(half, *sts_pods("r1 r2 r2")), "web-sts")
    assert not progress.done
    assert "web-sts-0 to move to revision r2 (runs r1)" in progress.waiting_for


def test_all_pods_moved_but_current_revision_behind_is_not_done() -> None:
    assert not statefulset_progress(listing(sts(current="r1"), *sts_pods()), "web-sts").done


def test_a_partition_only_moves_the_ordinals_at_or_above_it() -> None:
    partitioned = sts(current="r1", update="r2", partition=2, updated=1)
    assert statefulset_progress(listing(partitioned, *sts_pods("r1 r1 r2")), "web-sts").done
    assert not statefulset_progress(listing(partitioned, *sts_pods("r1 r1 r1")), "web-sts").done


def test_on_delete_waits_only_for_replicas_not_revisions() -> None:
    on_delete = sts(current="r1", update="r2", strategy="OnDelete", partition=None, updated=0)
    assert statefulset_progress(listing(on_delete, *sts_pods("r1 r1 r1")), "web-sts").done


def test_a_scale_in_is_done_only_when_the_removed_ordinals_are_gone() -> None:
    scaled = sts(replicas=2)
    leftover = pod("web-sts-2", terminating=True)
    progress = statefulset_progress(listing(scaled, *sts_pods("r2 r2"), leftover), "web-sts")
    assert not progress.done and "web-sts-2 to terminate" in progress.waiting_for
    assert statefulset_progress(listing(scaled, *sts_pods("r2 r2")), "web-sts").done


def test_a_scale_out_is_done_only_when_every_new_ordinal_is_ready() -> None:
    scaled = sts(replicas=4, ready=3)
    pods = [*sts_pods(), pod("web-sts-3", ready=False)]
    assert not statefulset_progress(listing(scaled, *pods), "web-sts").done
    assert not statefulset_progress(listing(sts(replicas=4), *sts_pods()), "web-sts").done


def test_zero_replicas_is_done_once_no_pod_is_left() -> None:
    zero = sts(replicas=0)
    assert statefulset_progress(listing(zero), "web-sts").done
    assert not statefulset_progress(listing(zero, pod("web-sts-0", terminating=True)), "web-sts").done


def test_other_pods_matching_the_selector_are_ignored() -> None:
    assert statefulset_progress(listing(sts(), *sts_pods(), pod("web-sts-canary", ready=False)), "web-sts").done


def test_a_missing_statefulset_is_awaited() -> None:
    assert not statefulset_progress(listing(), "web-sts").done


def deployment(
    replicas: int = 2, generation: int = 2, observed: int = 2, revision: str = "2", counts: dict[str, int] | None = None
) -> Obj:
    status = {"observedGeneration": observed, "replicas": replicas, "updatedReplicas": replicas}
    status |= {"readyReplicas": replicas, "availableReplicas": replicas} | (counts or {})
    return {
        "kind": "Deployment",
        "metadata": {
            "name": "web-dep",
            "uid": "dep-uid",
            "generation": generation,
            "annotations": {"deployment.kubernetes.io/revision": revision},
        },
        "spec": {"replicas": replicas},
        "status": status,
    }


def replica_set(hash_: str, revision: str) -> Obj:
    return {
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"web-dep-{hash_}",
            "labels": {"pod-template-hash": hash_},
            "annotations": {"deployment.kubernetes.io/revision": revision},
            "ownerReferences": [{"uid": "dep-uid"}],
        },
    }


def dep_pod(hash_: str, suffix: str, terminating: bool = False) -> Obj:
    return pod(f"web-dep-{hash_}-{suffix}", terminating=terminating, labels={"pod-template-hash": hash_})


def test_a_deployment_is_done_when_only_new_replica_set_pods_are_left() -> None:
    items = [deployment(), replica_set("old", "1"), replica_set("new", "2"), dep_pod("new", "a"), dep_pod("new", "b")]
    assert deployment_progress(listing(*items), "web-dep").done


def test_a_terminating_pod_of_the_old_replica_set_is_awaited() -> None:
    items = [deployment(), replica_set("old", "1"), replica_set("new", "2"), dep_pod("new", "a"), dep_pod("new", "b")]
    progress = deployment_progress(listing(*items, dep_pod("old", "z", terminating=True)), "web-dep")
    assert not progress.done
    assert "web-dep-old-z of an older ReplicaSet to go" in progress.waiting_for


def test_a_deployment_status_of_the_previous_generation_is_not_done() -> None:
    items = [deployment(generation=3), replica_set("new", "2"), dep_pod("new", "a"), dep_pod("new", "b")]
    assert not deployment_progress(listing(*items), "web-dep").done


@pytest.mark.parametrize("field", ["updatedReplicas", "readyReplicas", "availableReplicas"])
def test_a_deployment_short_of_any_count_is_not_done(field: str) -> None:
    items = [deployment(counts={field: 1}), replica_set("new", "2"), dep_pod("new", "a"), dep_pod("new", "b")]
    assert not deployment_progress(listing(*items), "web-dep").done


def test_pod_state_names_the_reason_a_pod_is_not_ready() -> None:
    waiting = pod("web-sts-0", ready=False)
    waiting["status"]["containerStatuses"] = [{"state": {"waiting": {"reason": "ErrImageNeverPull", "message": "x"}}}]
    assert pod_state(waiting) == "ErrImageNeverPull: x"
    pending = {
        "status": {
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "False", "message": "0/3 nodes"}],
        }
    }
    assert pod_state(pending) == "unschedulable: 0/3 nodes"
