"""A rollout that cannot finish fails in seconds, naming the pod and why; with
forceRollback the gate deletes a pod stuck on a revision the rollout left."""

from __future__ import annotations

import pytest

from gates.reads import GateError
from gates.rollout_progress import blocked_pods
from gates.rollout_wait import WATCH_SLICE_SECONDS, BlockedPods, RolloutSpec, blocked_message, watch_slice_seconds
from tests.unit.test_gates_rollout_progress import Obj, listing, pod, sts

SPEC = RolloutSpec(kind="statefulset", name="web-sts", namespace="lab", selector="app=nginx-sts")


def broken(name: str, revision: str, reason: str = "ImagePullBackOff") -> Obj:
    item = pod(name, revision, ready=False)
    item["metadata"]["uid"] = f"uid-{name}"
    item["status"]["containerStatuses"] = [
        {"state": {"waiting": {"reason": reason, "message": 'Back-off pulling image "nginx-slim:broken"'}}}
    ]
    return item


def unplaced(name: str, message: str = "0/3 nodes are available: ...") -> Obj:
    item = pod(name, "r2", ready=False)
    item["metadata"]["uid"] = f"uid-{name}"
    item["status"] = {
        "phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message}],
    }
    return item


def test_a_scheduling_race_the_scheduler_retries_is_not_a_blocked_pod() -> None:
    """Seen with 100 replicas at once on 1.37: the volume binding lost a race."""
    race = unplaced(
        "web-sts-3",
        'running Reserve plugin "VolumeBinding": "lab/www-web-sts-3" is out of sync (stored: 55033, assume: 54997)',
    )
    assert blocked_pods("statefulset", listing(sts(current="r1", update="r2"), race), "web-sts") == []


def test_a_pod_that_cannot_start_or_be_placed_is_blocked_and_a_starting_one_is_not() -> None:
    starting = pod("web-sts-0", "r2", ready=False)
    starting["status"]["containerStatuses"] = [{"state": {"waiting": {"reason": "ContainerCreating"}}}]
    found = blocked_pods(
        "statefulset",
        listing(sts(current="r1", update="r2"), starting, broken("web-sts-2", "r2"), unplaced("web-sts-1")),
        "web-sts",
    )
    assert [(b.pod, b.unschedulable, b.outdated) for b in found] == [
        ("web-sts-2", False, False),
        ("web-sts-1", True, False),
    ]


def test_a_broken_pod_fails_the_gate_once_its_patience_is_over_naming_it_and_the_fix() -> None:
    seen = BlockedPods(SPEC)
    stuck = listing(sts(current="r1", update="r2"), broken("web-sts-2", "r2"))
    seen.judge(stuck, now=100.0)
    seen.judge(stuck, now=119.0)  # still within the 20 s an image error gets
    with pytest.raises(GateError) as err:
        seen.judge(stuck, now=120.5)
    message = str(err.value)
    assert "web-sts-2 cannot start (ImagePullBackOff: Back-off pulling image" in message
    assert "revert statefulset-lab:image" in message


def test_the_watch_slice_ends_when_a_blocked_pod_s_patience_does() -> None:
    """Judged only between watch slices, a pod first seen blocked at the end of
    one would otherwise get a whole slice more than its patience."""
    seen = BlockedPods(SPEC)
    assert seen.seconds_to_verdict(now=0.0) is None
    assert watch_slice_seconds(until_deadline=600.0, until_verdict=None) == WATCH_SLICE_SECONDS
    seen.judge(listing(sts(current="r1", update="r2"), broken("web-sts-2", "r2")), now=15.0)
    assert seen.seconds_to_verdict(now=26.5) == 8.5
    assert watch_slice_seconds(until_deadline=600.0, until_verdict=8.5) == 9
    seen.judge(listing(sts(current="r1", update="r2"), pod("web-sts-2", "r2")), now=30.0)
    assert seen.seconds_to_verdict(now=30.0) is None, "a pod that got better has no verdict coming"


def test_a_watch_slice_is_never_shorter_than_a_second() -> None:
    """kubectl reads `--timeout=0s` as no timeout at all."""
    assert watch_slice_seconds(until_deadline=0.2, until_verdict=None) == 1
    assert watch_slice_seconds(until_deadline=600.0, until_verdict=-3.0) == 1
    assert watch_slice_seconds(until_deadline=4.2, until_verdict=9.0) == 5


def test_a_pod_that_gets_better_starts_its_patience_afresh() -> None:
    seen = BlockedPods(SPEC)
    seen.judge(listing(sts(), broken("web-sts-2", "r2")), now=0.0)
    seen.judge(listing(sts(), pod("web-sts-2")), now=15.0)
    seen.judge(listing(sts(), broken("web-sts-2", "r2")), now=30.0)
    seen.judge(listing(sts(), broken("web-sts-2", "r2")), now=45.0)  # 15 s since it broke again


def test_a_pod_stuck_on_a_reverted_revision_names_force_rollback() -> None:
    seen = BlockedPods(SPEC)
    reverted = listing(sts(current="r1", update="r1"), broken("web-sts-2", "r2"))
    seen.judge(reverted, now=0.0)
    with pytest.raises(GateError, match="set statefulset-lab:forceRollback true"):
        seen.judge(reverted, now=21.0)


def test_force_rollback_deletes_the_stuck_pod_once_and_keeps_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    deleted: list[list[str]] = []

    def delete(argv: list[str], deadline: float) -> str:
        deleted.append(argv)
        return "pod/web-sts-2\n"

    monkeypatch.setattr("gates.rollout_wait.act", delete)
    seen = BlockedPods(RolloutSpec(**{**SPEC.__dict__, "force_rollback": True}))
    reverted = listing(sts(current="r1", update="r1"), broken("web-sts-2", "r2"))
    for now in (0.0, 10.0, 60.0):
        seen.judge(reverted, now=now)
    assert len(deleted) == 1 and deleted[0][-3:] == ["web-sts-2", "--wait=false", "--output=name"]


def test_force_rollback_never_deletes_a_pod_of_the_revision_being_rolled_out() -> None:
    seen = BlockedPods(RolloutSpec(**{**SPEC.__dict__, "force_rollback": True}))
    forward = listing(sts(current="r1", update="r2"), broken("web-sts-2", "r2"))
    seen.judge(forward, now=0.0)
    with pytest.raises(GateError, match="web-sts-2 cannot start"):
        seen.judge(forward, now=25.0)


def test_an_unplaceable_pod_gets_a_minute_and_says_so() -> None:
    seen = BlockedPods(SPEC)
    waiting = listing(sts(), unplaced("web-sts-1"))
    seen.judge(waiting, now=0.0)
    seen.judge(waiting, now=59.0)
    with pytest.raises(GateError, match=r"web-sts-1 cannot be placed \(unschedulable: 0/3 nodes"):
        seen.judge(waiting, now=61.0)


def test_the_message_for_each_kind_of_block() -> None:
    spec = SPEC
    (b,) = blocked_pods("statefulset", listing(sts(), unplaced("web-sts-1")), "web-sts")
    assert "uncordon, start the node" in blocked_message(spec, b, 60)
